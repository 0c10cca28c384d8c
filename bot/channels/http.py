"""What every HTTP response of the one server shares, whatever the channel: security headers,
no version in ``Server``, short Chinese error messages instead of aiohttp's English ones (or a
traceback), and forms read safely.

A malformed request is the client's mistake and gets a 4xx: a form body that is not UTF-8, a
multipart body that is not one, a file where a text is expected (``read_form``). Anything else
that goes wrong is ours: logged with its traceback, and the client gets a plain 500.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import hdrs, web
from aiohttp.http_exceptions import HttpProcessingError
from multidict import MultiDict

from .. import texts

log = logging.getLogger(__name__)

SERVER = "gongkai"  # aiohttp's default names Python's and its own version
# Every response gets these unless its channel set its own (the web chat's embeddable view sets
# a Content-Security-Policy that lets other sites frame it: then no X-Frame-Options, which would
# forbid what the policy allows).
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'self'"
# What a body that is not a form of text raises while aiohttp reads it: UnicodeDecodeError (a
# ValueError), a multipart reader's ValueError or AssertionError, LookupError for an unknown charset,
# HttpProcessingError for a part's headers cut short (InvalidHeader).
MALFORMED = (ValueError, LookupError, AssertionError, UnicodeError, HttpProcessingError)
_CJK = re.compile("[\u4e00-\u9fff]")
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# How the server is run (``web.AppRunner(app, **SERVER_OPTIONS)``). A body is read as it was sent:
# no browser nor WeChat compresses what it posts, and a body said to be compressed that is not
# failed in aiohttp's parser, before any handler, with tracebacks and a 500 on every form.
SERVER_OPTIONS: dict[str, Any] = {"access_log": None, "auto_decompress": False}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def setup(app: web.Application) -> None:
    """Give every response of ``app`` the headers and the Chinese error messages."""
    app.middlewares.insert(0, errors)  # outermost: it sees what every other middleware raises
    app.on_response_prepare.append(secure_headers)
    server_log = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, MalformedRequests) for f in server_log.filters):
        server_log.addFilter(MalformedRequests())


def guard(runner: web.AppRunner) -> None:
    """Give the responses aiohttp writes itself, to a request its parser refused (a header over
    8 KB, a bad chunk, a NUL in the path), the same headers as every other: no route ever matched
    such a request, so the application's ``on_response_prepare`` never runs for it, and it went out
    naming Python's and aiohttp's versions. Call once ``runner`` is set up; connections opened
    after it are guarded."""
    assert runner.server is not None, "the runner is not set up"
    runner.server.request_factory = partial(runner.app._make_request, _cls=_Refusable)


class _Refusable(web.Request):
    """A request whose response gets the security headers and a Chinese message even when aiohttp
    itself answers it."""

    async def _prepare_hook(self, response: web.StreamResponse) -> None:
        if self._match_info is None:  # refused before routing: aiohttp's own 400
            await secure_headers(self, response)
            if isinstance(response, web.Response):  # its English, quoting the request's bytes
                body = message(response.status)
                response.text = body
                response.headers["Content-Length"] = str(len(body.encode()))
        else:
            await super()._prepare_hook(response)


class MalformedRequests(logging.Filter):
    """A request aiohttp's parser refuses (a header over 8 KB, a bad chunk, a NUL in the path) is
    the client's mistake, logged by aiohttp as an error with a traceback whose message quotes the
    request's bytes (a cookie's session token among them): logged as one line naming the kind of
    error, nothing of the request."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError):
            record.msg, record.args = "malformed request refused: %s", (type(error).__name__,)
            record.exc_info = record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


async def secure_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Set on every response as it is sent, errors and redirects included (aiohttp's own 404, 405
    and 500 too, which no middleware sees)."""
    response.headers["Server"] = SERVER
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = POLICY
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Error responses say what went wrong in a short Chinese sentence; an unexpected exception is
    logged and answered with a plain 500, never a traceback."""
    try:
        return await handler(request)
    except web.HTTPException as e:
        if e.status >= 400 and not _CJK.search(e.text or ""):
            e.text = message(e.status)
        raise
    except Exception:
        log.exception("%s %s: failed", request.method, request.path)
        return web.Response(status=500, text=message(500))


def message(status: int) -> str:
    """The short Chinese sentence for an error status."""
    return texts.HTTP_ERRORS.get(status, texts.HTTP_ERROR_OTHER)


async def read_form(request: web.Request) -> MultiDict[str]:
    """The posted form's fields, text only; 400 when the body is not a form of text: not UTF-8, a
    multipart body that is not one, or a file field."""
    encoded = request.headers.get(hdrs.CONTENT_ENCODING, "identity").strip().lower() != "identity"
    if request.body_exists and (request.content_type not in FORMS or encoded):  # JSON, plain text, gzip
        log.info("%s %s: a body of %s refused", request.method, request.path, request.content_type)
        raise web.HTTPBadRequest(text=texts.HTTP_BAD_FORM)
    try:
        if request.content_type == FORMS[0]:
            # Parsed here, strictly: aiohttp's post() reads a percent-encoded byte that is not
            # UTF-8 (%ff) as U+FFFD, where the same byte sent raw is refused.
            charset = request.charset or "utf-8"
            body = (await request.read()).decode(charset)  # read() keeps to client_max_size (413)
            pairs: list[tuple[str, object]] = list(
                parse_qsl(body.rstrip(), keep_blank_values=True, encoding=charset, errors="strict")
            )
        else:
            pairs = list((await request.post()).items())
    except web.HTTPException:
        raise  # 413 for a body over client_max_size
    except MALFORMED as e:
        log.info("%s %s: malformed form refused (%s)", request.method, request.path, type(e).__name__)
        raise web.HTTPBadRequest(text=texts.HTTP_BAD_FORM) from None
    fields: MultiDict[str] = MultiDict()
    for name, value in pairs:
        if not isinstance(value, str):
            log.info("%s %s: a file where a text is expected, refused", request.method, request.path)
            raise web.HTTPBadRequest(text=texts.HTTP_BAD_FORM)
        fields.add(name, value.replace("\x00", ""))  # a NUL is no character anyone typed
    return fields
