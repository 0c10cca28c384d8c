"""Delivers what the supervision log owes WeChat citizens (staff replies and closings) as
customer-service messages, until each is sent or can never be.

WeChat lets an account write to a citizen for 48 hours after the citizen's last message (errcode
45015 after that, 45047 once the few messages allowed are used up) and not at all once they have
unfollowed it (43004). Such a message is marked failed, not retried: the reply stays in the record
and the citizen sees it with "查询 编号". The network, WeChat's server errors and "system busy"
(-1) are retried with a backoff; a rejected access token is fetched again by the API client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from ...services.complaints import STAFF, Complaints
from ...services.complaints import Message as Owed
from .api import WeChatAPI, WeChatAPIError
from .dialogue import CHANNEL, Sessions, citizen_message
from .protocol import split_text
from .webhook import MAX_TEXT_BYTES

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12  # an error that is neither known to be final nor transient is tried this often
MAX_BACKOFF = 600.0


def backoff(attempts: int) -> float:
    """Seconds to wait before the next try, after ``attempts`` failed ones: 5, 10, 20, ... 600."""
    return min(MAX_BACKOFF, 5.0 * 2**attempts)


class OutboxSender:
    """Sends the supervision log's messages for WeChat citizens.

    Woken at once by ``wake()`` (a staff action in this process), and every ``interval`` seconds
    otherwise (a reply written with the CLI, a retry that has come due). A closing delivered asks
    the citizen for a rating, which ``sessions`` remembers.

    :param api: the WeChat API client
    :param sessions: where the rating request is remembered for the citizen's answer
    """

    def __init__(self, complaints: Complaints, api: WeChatAPI, sessions: Sessions, *, interval: float = 5.0) -> None:
        self.complaints = complaints
        self.api = api
        self.sessions = sessions
        self.interval = interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    async def deliver(self) -> int:
        """Send every message that is due now; how many were sent."""
        sent = 0
        for owed in self.complaints.owed(CHANNEL):
            number = owed.complaint.number
            if owed.recipient == STAFF or owed.kind not in ("replied", "closed"):
                # WeChat has no staff group: nothing files such a message, and it is never retried.
                await self.complaints.afailed(owed, "not deliverable on WeChat", retry_in=None)
                continue
            try:
                await self._send(owed)
            except WeChatAPIError as e:
                error = f"wechat {e}"
                if e.undeliverable:
                    retry: float | None = None
                elif e.transient or owed.attempts + 1 < MAX_ATTEMPTS:
                    retry = backoff(owed.attempts)
                else:
                    retry = None
                outcome = "failed" if retry is None else f"retry in {retry:.0f} s"
                log.warning("outbox %s (complaint %s): wechat %s, %s", owed.id, number, e.errcode, outcome)
                await self.complaints.afailed(owed, error, retry_in=retry)
            else:
                await self.complaints.asent(owed)
                log.info("outbox %s (complaint %s): sent on WeChat", owed.id, number)
                sent += 1
        return sent

    async def _send(self, owed: Owed) -> None:
        for part in split_text(citizen_message(owed), MAX_TEXT_BYTES):
            await self.api.send_text(owed.recipient, part)
        if owed.kind == "closed":
            self.sessions.ask_rating(owed.recipient, owed.complaint.number)

    async def run(self) -> None:
        """Deliver until cancelled."""
        while True:
            try:
                await self.deliver()
            except Exception:  # the loop must outlive a bad moment (a locked database, a bug)
                log.exception("wechat outbox: delivery round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()

    async def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="gongkai-wechat-outbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
