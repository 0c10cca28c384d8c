"""Test doubles for the Telegram channel: a recording bot session, update builders and a fake Bot API server.

Tests fake Telegram at its seams and nowhere else, the way aiogram's own tests do: everything above
the HTTP session (the ``message.answer`` shortcuts, the mapping of error responses to exceptions,
middlewares, filters) stays aiogram's real code.

* ``RecordingSession`` replaces only ``BaseSession.make_request``: for dispatcher tests driven with
  ``dp.feed_update(bot, update)``, in-process and fast.
* ``FakeBotAPI`` is a real HTTP server on 127.0.0.1 speaking the Bot API's wire format, for tests
  that must exercise ``AiohttpSession`` and long polling (``dp.start_polling``), a bot running as a
  subprocess, or a benchmark.

Both answer successful calls with what Telegram would send (a ``Message`` for ``sendMessage``, a
bot ``User`` for ``getMe``, ...) and answer queued failures with the Bot API's error JSON, so that
aiogram's own ``BaseSession.check_response`` raises the matching exception.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import json
import threading
import time
import typing
from collections import defaultdict, deque
from collections.abc import AsyncGenerator, Callable, Mapping
from http import HTTPStatus
from types import TracebackType
from typing import Any

import aiogram.methods
from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import TelegramMethod
from aiogram.types import Message, MessageId, Update, User
from aiohttp import web

BOT_ID = 42
TOKEN = f"{BOT_ID}:TEST"
"""A token aiogram's validation accepts (digits, a colon, anything): the bot's id is ``BOT_ID``."""

ErrorSpec = int | BaseException | type[TelegramAPIError] | Callable[[TelegramMethod[Any]], BaseException]
"""What ``RecordingSession.fail`` accepts: an HTTP status, an exception, its class, or a factory."""

# Descriptions the Bot API sends with each status, used when a test does not give its own.
_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
}

_METHODS: dict[str, type[TelegramMethod[Any]]] = {
    cls.__api_method__.lower(): cls
    for name in aiogram.methods.__all__
    if isinstance(cls := getattr(aiogram.methods, name), type) and isinstance(getattr(cls, "__api_method__", None), str)
}
"""aiogram's method classes by lower-cased API name (Bot API method names are case-insensitive)."""

_GROUP_CHAT_ID = -1001000000001

# Unique across the test run and increasing, as Telegram's are. Message ids are shared by the
# users' and the bot's messages so that a handler mixing them up cannot pass by coincidence.
_update_ids = itertools.count(1)
_message_ids = itertools.count(1)
_serials = itertools.count(1)  # file and query ids


# --- What the Bot API answers, shared by both doubles -------------------------------------------


def _error_body(status: int, description: str | None, retry_after: int | None) -> dict[str, Any]:
    if status == HTTPStatus.TOO_MANY_REQUESTS and retry_after is None:
        retry_after = 1  # Telegram always says when; without it aiogram would not raise TelegramRetryAfter
    if description is None:
        if retry_after is not None:
            description = f"Too Many Requests: retry after {retry_after}"
        else:
            description = _DESCRIPTIONS.get(status, HTTPStatus(status).phrase)
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return body


def _bot_user(bot_id: int) -> dict[str, Any]:
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": "Gongkai",
        "username": "gongkai_test_bot",
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": True,
    }


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": "zh-hans"}


def _chat(chat_id: int | str, chat_type: str | None = None) -> dict[str, Any]:
    if isinstance(chat_id, str):  # "@channel" usernames are the only string chat ids
        return {"id": _GROUP_CHAT_ID, "type": "channel", "username": chat_id.lstrip("@")}
    if chat_type is None:
        chat_type = "private" if chat_id > 0 else "supergroup"
    if chat_type == "private":
        return {"id": chat_id, "type": chat_type, "first_name": "Test"}
    return {"id": chat_id, "type": chat_type, "title": "Test group"}


def _result(method: str, params: Mapping[str, Any], bot_id: int) -> Any:
    """The ``result`` of a successful call, chosen by the method's return type in aiogram."""
    model = _METHODS.get(method.lower())
    returning = model.__returning__ if model else bool
    if returning is User:
        return _bot_user(bot_id)
    if returning is MessageId:
        return {"message_id": next(_message_ids)}
    if Message in (typing.get_args(returning) or (returning,)) and "chat_id" in params:
        return _sent_message(method, params, bot_id)
    if typing.get_origin(returning) is list:
        return []
    # True is right for every bool method; for other return types aiogram fails to validate it
    # (ClientDecodeError), which is the loud failure a test needs to see.
    return True


def _sent_message(method: str, params: Mapping[str, Any], bot_id: int) -> dict[str, Any]:
    now = int(time.time())
    editing = method.lower().startswith("edit")
    message: dict[str, Any] = {
        # An edited message keeps its id; a sent one gets the next.
        "message_id": params["message_id"] if editing else next(_message_ids),
        "date": now,
        "chat": _chat(params["chat_id"]),
        "from": _bot_user(bot_id),
    }
    if editing:
        message["edit_date"] = now
    for key in ("text", "caption"):
        if params.get(key) is not None:
            message[key] = params[key]
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:  # Telegram echoes only inline keyboards
        message["reply_markup"] = markup
    return message


class _Failures:
    """Queued failures per method; each call of the method takes the next one."""

    def __init__(self) -> None:
        self._queues: defaultdict[str, deque[Any]] = defaultdict(deque)

    def add(self, method: str, failure: Any, times: int) -> None:
        self._queues[method.lower()].extend([failure] * times)

    def pop(self, method: str) -> Any | None:
        queue = self._queues.get(method.lower())
        return queue.popleft() if queue else None


# --- In-process: the recording session -----------------------------------------------------------


class RecordingSession(BaseSession):
    """A bot session that records every call and answers it without any network.

    Replacing only ``make_request`` keeps the rest of aiogram real, and answers are passed through
    ``check_response`` like a real HTTP response: results are validated into aiogram types bound to
    the bot (so ``sent.edit_text(...)`` works), and queued failures become the exceptions aiogram
    raises for Telegram's real error JSON.

    ``requests`` holds every ``TelegramMethod`` called, in order. ``getUpdates`` answers ``[]`` at
    once and downloads are empty: for polling, use ``FakeBotAPI``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        self.closed = False
        self._failures = _Failures()
        self._waiting: list[tuple[str, int, asyncio.Future[None]]] = []

    def calls(self, name: str) -> list[TelegramMethod[Any]]:
        """The recorded calls of one Bot API method, by its API name, e.g. ``"sendMessage"``."""
        return [request for request in self.requests if request.__api_method__ == name]

    async def recorded(self, name: str, count: int = 1, timeout: float = 5) -> list[TelegramMethod[Any]]:
        """Wait until ``count`` calls of ``name`` were made (something handled in the background);
        woken by the call itself, not by polling. Raises ``TimeoutError`` after ``timeout`` seconds."""
        if len(self.calls(name)) < count:
            waiting = (name, count, asyncio.get_running_loop().create_future())
            self._waiting.append(waiting)
            try:
                await asyncio.wait_for(waiting[2], timeout)
            finally:
                self._waiting.remove(waiting)
        return self.calls(name)

    def fail(
        self,
        method: str,
        error: ErrorSpec,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        ``error`` is one of:

        - an HTTP status (403, 429, 500, ...): the call is answered with the Bot API's error JSON
          (``description`` or a typical one, ``retry_after`` in seconds as ``parameters``), and
          aiogram's own mapping raises (``TelegramForbiddenError``, ``TelegramRetryAfter``, ...);
        - an exception class such as ``TelegramNetworkError``: built with the failing method and
          ``description`` as its message; for failures that never reach Telegram (timeouts);
        - an exception instance, raised as it is;
        - a factory taking the failing ``TelegramMethod`` and returning the exception.

        Example: ``session.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")``.
        """
        failure: Any = error
        if isinstance(error, int):
            failure = (error, _error_body(error, description, retry_after))
        elif isinstance(error, type):
            failure = functools.partial(error, message=description or "Request timeout error")
        self._failures.add(method, failure, times)

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,
    ) -> Any:
        self.closed = False
        self.requests.append(method)
        for name, count, done in self._waiting:
            if not done.done() and len(self.calls(name)) >= count:
                done.set_result(None)
        failure = self._failures.pop(method.__api_method__)
        if isinstance(failure, BaseException):
            raise failure
        if callable(failure):
            raise failure(method)
        if failure is not None:
            status, body = failure
        else:
            result = _result(method.__api_method__, self._params(bot, method), bot.id)
            status, body = 200, {"ok": True, "result": result}
        response = self.check_response(bot=bot, method=method, status_code=status, content=self.json_dumps(body))
        return response.result

    def _params(self, bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any]:
        # The same preparation AiohttpSession applies (defaults resolved, objects as dicts), unencoded.
        files: dict[str, Any] = {}
        prepared = {
            key: self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            for key, value in method.model_dump(warnings=False).items()
        }
        return {key: value for key, value in prepared.items() if value is not None}

    async def close(self) -> None:
        self.closed = True

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""


def make_bot(session: BaseSession | None = None, **kwargs: Any) -> Bot:
    """A ``Bot`` with the test token (id 42) on ``session``, a fresh ``RecordingSession`` by default.

    ``kwargs`` go to ``Bot``, e.g. ``default=DefaultBotProperties(parse_mode="HTML")``.
    """
    return Bot(TOKEN, session=session or RecordingSession(), **kwargs)


# --- Update builders ------------------------------------------------------------------------------


def _update(kind: str, payload: dict[str, Any], update_id: int | None) -> Update:
    return Update.model_validate({"update_id": next(_update_ids) if update_id is None else update_id, kind: payload})


def _message_update(
    content: dict[str, Any],
    *,
    user_id: int,
    chat_id: int | None,
    chat_type: str,
    update_id: int | None,
    extra: dict[str, Any],
    kind: str = "message",
) -> Update:
    if chat_id is None:
        chat_id = user_id if chat_type == "private" else _GROUP_CHAT_ID
    message = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": _chat(chat_id, chat_type),
        "from": _user(user_id),
        **content,
        **extra,
    }
    return _update(kind, message, update_id)


def _file(prefix: str) -> dict[str, str]:
    n = next(_serials)
    return {"file_id": f"{prefix}-{n}", "file_unique_id": f"{prefix}-u{n}"}


def message_update(
    text: str,
    *,
    user_id: int = 1,
    chat_id: int | None = None,
    update_id: int | None = None,
    chat_type: str = "private",
    **extra: Any,
) -> Update:
    """An update with a text message from ``user_id``.

    ``chat_id`` defaults to the user's id in a private chat and to a fixed group id otherwise;
    ``update_id`` to the next of a counter. ``extra`` adds or overrides message fields
    (``reply_to_message``, ``message_id``, ...). A text starting with "/" gets the ``bot_command``
    entity Telegram would add. The other message builders take the same keyword arguments.
    """
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return _message_update(
        content, user_id=user_id, chat_id=chat_id, chat_type=chat_type, update_id=update_id, extra=extra
    )


def edited_message_update(
    text: str,
    *,
    message_id: int,
    user_id: int = 1,
    chat_id: int | None = None,
    update_id: int | None = None,
    chat_type: str = "private",
    **extra: Any,
) -> Update:
    """An update saying the user edited their message ``message_id`` to ``text``."""
    content = {"text": text, "message_id": message_id, "edit_date": int(time.time())}
    return _message_update(
        content,
        user_id=user_id,
        chat_id=chat_id,
        chat_type=chat_type,
        update_id=update_id,
        extra=extra,
        kind="edited_message",
    )


def photo_update(
    *,
    caption: str | None = None,
    user_id: int = 1,
    chat_id: int | None = None,
    update_id: int | None = None,
    chat_type: str = "private",
    **extra: Any,
) -> Update:
    """An update with a photo in two sizes, as Telegram sends them, and an optional caption."""
    content: dict[str, Any] = {
        "photo": [{**_file("photo"), "width": 90, "height": 60}, {**_file("photo"), "width": 1280, "height": 853}],
    }
    if caption is not None:
        content["caption"] = caption
    return _message_update(
        content, user_id=user_id, chat_id=chat_id, chat_type=chat_type, update_id=update_id, extra=extra
    )


def sticker_update(
    emoji: str = "🙂",
    *,
    user_id: int = 1,
    chat_id: int | None = None,
    update_id: int | None = None,
    chat_type: str = "private",
    **extra: Any,
) -> Update:
    """An update with a static sticker."""
    sticker = {
        **_file("sticker"),
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }
    return _message_update(
        {"sticker": sticker}, user_id=user_id, chat_id=chat_id, chat_type=chat_type, update_id=update_id, extra=extra
    )


def voice_update(
    duration: int = 3,
    *,
    user_id: int = 1,
    chat_id: int | None = None,
    update_id: int | None = None,
    chat_type: str = "private",
    **extra: Any,
) -> Update:
    """An update with a voice message ``duration`` seconds long."""
    voice = {**_file("voice"), "duration": duration, "mime_type": "audio/ogg"}
    return _message_update(
        {"voice": voice}, user_id=user_id, chat_id=chat_id, chat_type=chat_type, update_id=update_id, extra=extra
    )


def location_update(
    latitude: float = 39.9042,
    longitude: float = 116.4074,
    *,
    user_id: int = 1,
    chat_id: int | None = None,
    update_id: int | None = None,
    chat_type: str = "private",
    **extra: Any,
) -> Update:
    """An update with a shared location, Beijing by default."""
    location = {"latitude": latitude, "longitude": longitude}
    return _message_update(
        {"location": location}, user_id=user_id, chat_id=chat_id, chat_type=chat_type, update_id=update_id, extra=extra
    )


def contact_update(
    phone_number: str = "+8613800000000",
    first_name: str = "张三",
    *,
    user_id: int = 1,
    chat_id: int | None = None,
    update_id: int | None = None,
    chat_type: str = "private",
    **extra: Any,
) -> Update:
    """An update with the user sharing their own contact, as a ``request_contact`` button does."""
    contact = {"phone_number": phone_number, "first_name": first_name, "user_id": user_id}
    return _message_update(
        {"contact": contact}, user_id=user_id, chat_id=chat_id, chat_type=chat_type, update_id=update_id, extra=extra
    )


def document_update(
    file_name: str = "申请表.pdf",
    mime_type: str = "application/pdf",
    *,
    caption: str | None = None,
    user_id: int = 1,
    chat_id: int | None = None,
    update_id: int | None = None,
    chat_type: str = "private",
    **extra: Any,
) -> Update:
    """An update with a document (a file of 1 KiB) and an optional caption."""
    document = {**_file("document"), "file_name": file_name, "mime_type": mime_type, "file_size": 1024}
    content: dict[str, Any] = {"document": document}
    if caption is not None:
        content["caption"] = caption
    return _message_update(
        content, user_id=user_id, chat_id=chat_id, chat_type=chat_type, update_id=update_id, extra=extra
    )


def callback_update(
    data: str,
    *,
    message_id: int,
    user_id: int = 1,
    chat_id: int | None = None,
    message_text: str | None = None,
    buttons: list[tuple[str, str]] | None = None,
    update_id: int | None = None,
) -> Update:
    """An update for a press of an inline button carrying ``data`` under the bot's message
    ``message_id``, which has ``buttons`` (text, callback data), one a row."""
    chat_id = user_id if chat_id is None else chat_id
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": _chat(chat_id),
        "from": _bot_user(BOT_ID),
    }
    if message_text is not None:
        message["text"] = message_text
    if buttons:
        rows = [[{"text": text, "callback_data": data}] for text, data in buttons]
        message["reply_markup"] = {"inline_keyboard": rows}
    query = {
        "id": str(next(_serials)),
        "from": _user(user_id),
        "chat_instance": f"instance-{chat_id}",
        "message": message,
        "data": data,
    }
    return _update("callback_query", query, update_id)


def inline_update(query: str, *, user_id: int = 1, offset: str = "", update_id: int | None = None) -> Update:
    """An update for an inline query (``@bot query``) typed by ``user_id``; ``offset`` asks for a next page."""
    inline_query = {"id": str(next(_serials)), "from": _user(user_id), "query": query, "offset": offset}
    return _update("inline_query", inline_query, update_id)


# --- Over HTTP: the fake Bot API server ----------------------------------------------------------


def _is_text_field(model: type[TelegramMethod[Any]] | None, key: str) -> bool:
    field = model.model_fields.get(key) if model else None
    if field is None:
        return False
    kinds = {kind for kind in (typing.get_args(field.annotation) or (field.annotation,)) if kind is not type(None)}
    return kinds == {str}


def _decode_form(method: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    # aiogram sends strings as they are and everything else (numbers, bools, objects, lists) as
    # JSON, so a value is decoded unless aiogram's model says the field is text: a message "42"
    # must stay the string "42".
    model = _METHODS.get(method.lower())
    params: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, web.FileField):
            params[key] = value.file.read()
        elif _is_text_field(model, key):
            params[key] = value
        else:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
    return params


class FakeBotAPI:
    """A small Bot API server on 127.0.0.1, for tests that need aiogram's real HTTP client.

    It answers ``POST``/``GET /bot{token}/{method}`` with form, multipart or JSON parameters as
    Telegram does, records every call in ``calls`` as ``(method, params)`` with JSON values decoded,
    serves ``getUpdates`` with long-poll semantics from updates pushed by the test, and can be told
    to fail. Run it in the test's event loop::

        async with FakeBotAPI() as api:
            bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)))

    or in a thread of its own for a bot in another thread or process::

        base_url = api.start_in_thread()  # e.g. GONGKAI_TELEGRAM_API_BASE=base_url
        ...
        api.stop()

    ``push_update`` and ``fail`` may be called from any thread.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.base_url = ""
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._failures = _Failures()
        self._lock = threading.Lock()  # guards the update queue: push_update may come from another thread
        self._updates: list[dict[str, Any]] = []
        self._last_update_id = 0
        self._webhook_url = ""
        self._closing = False
        self._arrived = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    # Life cycle

    async def start(self) -> str:
        """Start serving on a free port in the running loop; return the base URL."""
        self._loop = asyncio.get_running_loop()
        self._closing = False
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # Pending long polls are released on close, so a short shutdown timeout is enough.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, 0).start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self.base_url

    async def close(self) -> None:
        """Answer pending long polls with no updates and stop serving."""
        if self._runner is None:
            return
        self._closing = True
        self._wake()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    def start_in_thread(self) -> str:
        """Start serving from an event loop in a daemon thread; return the base URL."""
        loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=loop.run_forever, name="FakeBotAPI", daemon=True)
        self._thread.start()
        return asyncio.run_coroutine_threadsafe(self.start(), loop).result(timeout=10)

    def stop(self) -> None:
        """Stop a server started with ``start_in_thread`` and its thread."""
        if self._thread is None or self._loop is None:
            raise RuntimeError("FakeBotAPI.stop() is for a server started with start_in_thread()")
        loop = self._loop
        asyncio.run_coroutine_threadsafe(self.close(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(timeout=10)
        loop.close()
        self._thread = None

    # What a test does

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        """The parameters of each recorded call of ``method``, in order."""
        return [params for name, params in self.calls if name.lower() == method.lower()]

    def push_update(self, update: Mapping[str, Any] | Update) -> dict[str, Any]:
        """Queue an update for ``getUpdates`` and wake pending long polls; return it as queued.

        ``update`` is a Bot API dict or an ``Update`` (from the builders above); an ``update_id`` is
        assigned when missing.
        """
        if isinstance(update, Update):
            update = update.model_dump(mode="json", exclude_none=True, by_alias=True)
        queued = dict(update)
        with self._lock:
            queued.setdefault("update_id", self._last_update_id + 1)
            self._last_update_id = max(self._last_update_id, queued["update_id"])
            self._updates.append(queued)
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake)
        return queued

    def fail(
        self,
        method: str,
        status: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with HTTP ``status`` and the Bot API's error JSON.

        ``description`` defaults to a typical one for the status; ``retry_after`` (seconds) is sent
        as ``parameters.retry_after``, which aiogram raises as ``TelegramRetryAfter``.
        """
        self._failures.add(method, (status, _error_body(status, description, retry_after)), times)

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5) -> list[dict[str, Any]]:
        """Wait until ``count`` calls of ``method`` were recorded; return their parameters.

        Raises ``TimeoutError`` after ``timeout`` seconds.
        """
        # Polling, not an event: the server may run in another thread's loop than the caller's.
        deadline = time.monotonic() + timeout
        while len(calls := self.calls_of(method)) < count:
            if time.monotonic() >= deadline:
                seen = [name for name, _ in self.calls]
                raise TimeoutError(f"expected {count} {method} call(s) in {timeout}s, got {len(calls)}; calls: {seen}")
            await asyncio.sleep(0.01)
        return calls

    # Serving

    def _wake(self) -> None:
        # Runs in the server's loop. Each long poll waits on the event current when it found
        # nothing to return; replacing it lets later polls wait afresh.
        self._arrived.set()
        self._arrived = asyncio.Event()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        fields: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params = {**_decode_form(method, fields), **await request.json()}
        else:
            fields.update(await request.post())
            params = _decode_form(method, fields)
        self.calls.append((method, params))

        bot_id, _, secret = request.match_info["token"].partition(":")
        if not (bot_id.isdigit() and secret):
            return web.json_response(_error_body(404, "Not Found", None), status=404)
        if failure := self._failures.pop(method):
            status, body = failure
            return web.json_response(body, status=status)
        if method.lower() == "getupdates":
            if self._webhook_url:
                description = (
                    "Conflict: can't use getUpdates method while webhook is active;"
                    " use deleteWebhook to delete the webhook first"
                )
                return web.json_response(_error_body(409, description, None), status=409)
            result = await self._get_updates(params)
        else:
            result = self._answer(method, params, int(bot_id))
        return web.json_response({"ok": True, "result": result})

    def _answer(self, method: str, params: dict[str, Any], bot_id: int) -> Any:
        name = method.lower()
        if name == "setwebhook":
            self._webhook_url = params.get("url", "")
        elif name == "deletewebhook":
            self._webhook_url = ""
            if params.get("drop_pending_updates"):
                with self._lock:
                    self._updates.clear()
        elif name == "getwebhookinfo":
            with self._lock:
                pending = len(self._updates)
            return {"url": self._webhook_url, "has_custom_certificate": False, "pending_update_count": pending}
        return _result(method, params, bot_id)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = params.get("offset")
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(params.get("timeout", 0))
        while True:
            with self._lock:
                if offset is not None:  # confirms, and so forgets, every update before it
                    self._updates = [update for update in self._updates if update["update_id"] >= offset]
                batch = self._updates[:limit]
            remaining = deadline - loop.time()
            if batch or self._closing or remaining <= 0:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)
