"""Middlewares: each update once, per-user throttling, retries of Bot API calls, and keeping the
answer models aiogram validates with.

aiogram has no built-in throttling; these follow its middleware idiom (a callable that gets the
handler, the event and the data, and decides whether to call on).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, Message, TelegramObject, Update

from ... import texts
from ...limits import LRU, RateLimit

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DeduplicateMiddleware(BaseMiddleware):
    """Handle each ``update_id`` once: Telegram redelivers a webhook update that was not acknowledged
    in time, and a restart may fetch again what was being handled.

    :param remember: how many recent update ids to keep
    """

    def __init__(self, remember: int = 10_000) -> None:
        self._seen: LRU[int, None] = LRU(remember)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Update):
            if event.update_id in self._seen:
                log.info("update %s: duplicate, skipped", event.update_id)
                return None
            self._seen[event.update_id] = None
        return await handler(event, data)


class ThrottlingMiddleware(BaseMiddleware):
    """At most ``limit`` messages or clicks per user per ``period`` seconds.

    The first message over the limit gets one polite notice; the rest of a flood is dropped
    silently, and the notice is armed again once a message of theirs is let through.

    :param limit: events a user may send per window
    :param period: the window, in seconds
    :param clock: monotonic seconds (a test passes a fake)
    :param exempt: user ids never throttled (staff at work)
    :param size: how many users are remembered (the least recently seen are forgotten first)
    """

    def __init__(
        self,
        limit: int,
        period: float,
        clock: Callable[[], float] = time.monotonic,
        exempt: frozenset[int] = frozenset(),
        size: int = 50_000,
    ) -> None:
        self.limit = limit
        self.period = period
        self.exempt = exempt
        self._limit = RateLimit((limit, period), size=size, clock=clock)
        self._warned: LRU[str, None] = LRU(size)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = getattr(event, "from_user", None)
        if user is None or user.id in self.exempt:
            return await handler(event, data)
        key = str(user.id)
        if not self._limit.allow(key):
            if key not in self._warned:
                self._warned[key] = None
                log.info("user throttled")
                if isinstance(event, Message | CallbackQuery):
                    await event.answer(texts.THROTTLED)
            return None
        self._warned.pop(key)  # allowed again: the next flood gets its notice
        return await handler(event, data)


# Methods that may be sent again when the first try met a server or network error: sending
# them twice changes nothing. A message is not among them: it could reach the citizen twice.
IDEMPOTENT = frozenset(
    {
        "getMe",
        "answerCallbackQuery",
        "editMessageText",
        "editMessageReplyMarkup",
        "answerInlineQuery",
        "setMyCommands",
        "deleteWebhook",
        "setWebhook",
        "sendChatAction",
    }
)


class RetryMiddleware(BaseRequestMiddleware):
    """Retry Bot API calls: after ``retry_after`` on 429 (Telegram did nothing, so any method), and
    with exponential backoff on 5xx and network errors for idempotent methods.

    ``getUpdates`` is left to aiogram's polling loop, which has its own backoff. A 403 (the user
    blocked the bot) is never retried.

    :param attempts: tries in all, the first included
    :param backoff: the first backoff in seconds, doubled each time
    :param max_wait: a longer retry_after is not waited for (the call fails)
    :param sleep: how to wait (a test passes a fake)
    """

    def __init__(
        self,
        attempts: int = 3,
        backoff: float = 0.5,
        max_wait: float = 30.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.attempts = attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self.sleep = sleep

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        name = method.__api_method__
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as e:
                if name == "getUpdates" or attempt == self.attempts or e.retry_after > self.max_wait:
                    raise
                log.warning("%s: 429, retrying after %s s", name, e.retry_after)
                await self.sleep(e.retry_after)
            except (TelegramServerError, TelegramNetworkError) as e:
                if name not in IDEMPOTENT or attempt == self.attempts:
                    raise
                delay = self.backoff * 2 ** (attempt - 1)
                log.warning("%s: %s, retrying in %.1f s", name, type(e).__name__, delay)
                await self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover


class KeepResponseModels(BaseRequestMiddleware):
    """Keep alive the ``Response[T]`` models aiogram validates each Bot API answer with.

    ``Response[Message]`` is a generic pydantic model built on first use (about 10 ms), and
    pydantic caches built generics only weakly: the class dies at the next full garbage
    collection and the next ``sendMessage`` builds it again. Under load that is dozens of
    rebuilds a minute (measured: 60 per 3,000 replies, a quarter of a millisecond per reply).
    Holding each one for the life of the process makes it a dictionary lookup.
    """

    def __init__(self) -> None:
        self._models: dict[Any, type[Response[Any]]] = {}

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._models:
            self._models[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)
