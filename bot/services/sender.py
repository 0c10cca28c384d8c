"""The one loop that delivers a channel's notices from the outbox; channels give it two functions.

``send(notice)`` delivers one notice or raises; ``classify(error, notice)`` says what to record
and when to try it again (seconds), or that it never can be (None). Whatever ``send`` raises is classified and
recorded against that notice alone, and the round goes on with the next one: an error nobody
foresaw (a group upgraded mid-run, a proxy's HTML 502) backs off one notice, never the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .. import logs, metrics
from .outbox import Notice, Outbox

log = logging.getLogger(__name__)

MAX_BACKOFF = 600.0


@dataclass(frozen=True)
class Failure:
    """What the outbox records of a failed send: the error, and seconds until the next try (None:
    never, the notice is given up; what it told stays in the record)."""

    error: str
    retry_in: float | None


Send = Callable[[Notice], Awaitable[None]]
Classify = Callable[[Exception, Notice], Failure]


def backoff(attempts: int) -> float:
    """Seconds to wait before the next try, after ``attempts`` failed ones: 5, 10, 20, ... 600."""
    return min(MAX_BACKOFF, 5.0 * 2**attempts)


def retry_later(error: Exception, notice: Notice) -> Failure:
    """The classification of an error that is not known to be final: back off and try again."""
    return Failure(type(error).__name__, backoff(notice.attempts))


class Sender:
    """Delivers what the outbox owes on one channel, until each notice is sent or never can be.

    Woken at once when this process commits a notice (``Outbox.wake``), and every ``interval``
    seconds otherwise: a notice owed by another process (the CLI), a retry that has come due.

    :param channel: the outbox's name of the channel ("telegram", "wechat")
    :param send: delivers one notice, or raises
    :param classify: what to record of an error, and when its notice is tried again
    :param interval: seconds between looks at the outbox when nothing wakes the sender
    """

    def __init__(self, outbox: Outbox, channel: str, send: Send, classify: Classify, *, interval: float) -> None:
        self.outbox = outbox
        self.channel = channel
        self.send = send
        self.classify = classify
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    async def deliver(self) -> int:
        """Send every notice that is due now; how many were sent."""
        sent = 0
        for notice in self.outbox.owed(self.channel):
            with logs.bound(notice.request_id):  # logged under the id of the message that owed it
                try:
                    await self.send(notice)
                except Exception as error:  # every error is the notice's, none the queue's
                    await self._failed(notice, error)
                else:
                    await self.outbox.sent(notice)
                    log.info("outbox %s: sent on %s", notice.id, self.channel, extra=self._ids(notice))
                    sent += 1
        return sent

    def _ids(self, notice: Notice) -> dict[str, object]:
        """The ids a JSON log line carries as fields of their own (``bot.logs``)."""
        return {"outbox_id": notice.id, "channel": self.channel, "kind": notice.kind}

    async def _failed(self, notice: Notice, error: Exception) -> None:
        try:
            failure = self.classify(error, notice)
        except Exception:  # a classifier's bug must not lose the notice either
            log.exception("outbox %s: cannot classify %s", notice.id, type(error).__name__)
            failure = retry_later(error, notice)
        outcome = "given up" if failure.retry_in is None else f"retry in {failure.retry_in:.0f} s"
        log.warning("outbox %s on %s: %s, %s", notice.id, self.channel, failure.error, outcome, extra=self._ids(notice))
        metrics.delivery_failed(self.channel, failure.error, failure.retry_in is None)
        await self.outbox.failed(notice, failure.error, retry_in=failure.retry_in)

    async def run(self) -> None:
        """Deliver until cancelled."""
        woken = self.outbox.subscribe()
        self.outbox.delivering.add(self.channel)
        try:
            while True:
                woken.clear()
                try:
                    await self.deliver()
                except Exception:  # the loop must outlive a bad moment (a locked database, a bug)
                    log.exception("outbox: delivery round on %s failed", self.channel)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(woken.wait(), self.interval)
        finally:
            self.outbox.delivering.discard(self.channel)
            self.outbox.unsubscribe(woken)

    async def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name=f"gongkai-outbox-{self.channel}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
