"""WeChat's side of the outbox: staff replies and closings reach citizens as customer-service
messages, until each is sent or can never be.

WeChat lets an account write to a citizen for 48 hours after the citizen's last message (errcode
45015 after that, 45047 once the few messages allowed are used up) and not at all once they have
unfollowed it (43004). Such a notice is given up, not retried: the reply stays in the record and
the citizen sees it with "查询 编号" (and it is owed again when they write). The network, WeChat's
server errors and "system busy" (-1) are retried with a backoff; a rejected access token is
fetched again by the API client.
"""

from __future__ import annotations

import logging

from ...services.complaints import STAFF
from ...services.outbox import Notice, Outbox
from ...services.sender import Failure, Sender, backoff, retry_later
from .api import WeChatAPI, WeChatAPIError
from .dialogue import CHANNEL, Sessions, citizen_message
from .protocol import split_text
from .webhook import MAX_TEXT_BYTES

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12  # an error that is neither known to be final nor transient is tried this often


class Undeliverable(Exception):
    """A notice WeChat has no way to deliver: it has no staff group."""


class OutboxSender(Sender):
    """Sends the outbox's notices for WeChat citizens. A closing delivered asks the citizen for a
    rating, which ``sessions`` remembers for their answer.

    :param api: the WeChat API client
    :param sessions: where the rating request is remembered
    :param interval: seconds between looks at the outbox when nothing in this process wakes it
    """

    def __init__(self, outbox: Outbox, api: WeChatAPI, sessions: Sessions, *, interval: float) -> None:
        super().__init__(outbox, CHANNEL, self._send, classify, interval=interval)
        self.api = api
        self.sessions = sessions

    async def _send(self, notice: Notice) -> None:
        if notice.recipient == STAFF or not notice.text:
            raise Undeliverable("not deliverable on WeChat")
        for part in split_text(citizen_message(notice), MAX_TEXT_BYTES):
            await self.api.send_text(notice.recipient, part)
        if notice.kind == "closed" and notice.complaint is not None:
            self.sessions.ask_rating(notice.recipient, notice.complaint.number)


def classify(error: Exception, notice: Notice) -> Failure:
    """Given up when WeChat says it cannot deliver (or after ``MAX_ATTEMPTS`` of an unknown
    errcode); a transient error, or anything unforeseen, backs off."""
    if isinstance(error, Undeliverable):
        return Failure(str(error), None)
    if not isinstance(error, WeChatAPIError):
        return retry_later(error, notice)
    if error.undeliverable or not (error.transient or notice.attempts + 1 < MAX_ATTEMPTS):
        return Failure(f"wechat {error}", None)
    return Failure(f"wechat {error}", backoff(notice.attempts))
