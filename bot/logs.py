"""Logs an operator can use: one line per event, as text or JSON, each with the request id of the
message it concerns.

A request id is made where a message enters the conversation layer (``begin``) and kept in a
context variable: everything that message causes in the same task logs it, writes run in the
caller's context (``Store.write``), and a notice owed to the outbox stores it, so the line that
says it was delivered, seconds or hours later, carries it too (``bound``). Log ids and outcomes,
never a citizen's words or contacts.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import secrets
from collections.abc import Iterator

__all__ = ["JsonFormatter", "RequestIdFilter", "begin", "bound", "configure", "current", "request_id"]

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("gongkai_request_id", default=None)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(request)s"
# Attributes every LogRecord has: what is not among them was passed as ``extra=`` and is kept.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "request"}


def current() -> str | None:
    """The request id of the message being handled, if any."""
    return request_id.get()


def begin() -> str:
    """The request id of the message being handled: a new one if this task has none yet (a
    channel may have set one where the message arrived)."""
    rid = request_id.get()
    if rid is None:
        rid = secrets.token_hex(6)
        request_id.set(rid)
    return rid


@contextlib.contextmanager
def bound(rid: str | None) -> Iterator[None]:
    """Log with ``rid`` (a notice's, when it is delivered) inside the block."""
    token = request_id.set(rid)
    try:
        yield
    finally:
        request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (``record.request_id``, None if there is none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        rid = getattr(record, "request_id", None) or request_id.get()
        # As extra= does: the formatters read them as %(request_id)s and %(request)s.
        record.__dict__.update(request_id=rid, request=f" [{rid}]" if rid else "")
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, the request id and
    whatever ids were passed as ``extra=``; an exception's traceback as ``exc``."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and value is not None:
                data[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        return json.dumps(data, ensure_ascii=False)


def configure(level: str = "INFO", fmt: str = "text") -> None:
    """Log to standard error (the journal, under systemd) at ``level``, as ``fmt`` ("text" or
    "json"), with request ids."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
