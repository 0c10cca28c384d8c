"""The citizens' limits on filing complaints and looking up their status, the same on every channel.

A complaint owes staff a notice and stays in the database for good: one session filing hundreds
would bury real complaints and grow the database without bound. A status look-up shows a
complaint's kind, status and dates: hundreds of guesses would list every complaint. Both are
counted per citizen (a Telegram user and chat, a WeChat OpenID, a web session) and, on the web,
per client address, each over an hour and a day (complaints) or a minute and an hour (look-ups).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable

from .. import texts
from ..config import Settings
from ..limits import RateLimit

HOUR = 3600.0
DAY = 86400.0


def keys(channel: str, *ids: str | int | None) -> list[str]:
    """The keys a citizen's events count under: one per id given (a user, a chat, a session)."""
    return [f"{channel}:{i}" for i in ids if i is not None and str(i) != ""]


class Limits:
    """How many complaints and status look-ups a citizen and an address may make.

    :param settings: the limits (``complaints_per_*``, ``status_per_*``)
    :param clock: monotonic seconds (a test passes a fake)
    """

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.by_citizen = RateLimit(
            (settings.complaints_per_hour, HOUR), (settings.complaints_per_day, DAY), clock=clock
        )
        self.by_address = RateLimit(
            (settings.complaints_per_address_hour, HOUR), (settings.complaints_per_address_day, DAY), clock=clock
        )
        self.lookups = RateLimit((settings.status_per_minute, 60.0), (settings.status_per_hour, HOUR), clock=clock)

    def complaint(self, citizen: list[str], address: str | None = None) -> float:
        """Count a complaint if the citizen and the address may file one now: 0.0 then, else the
        seconds until they may (nothing is counted)."""
        at = ["ip:" + address] if address else []
        waiting = max(self.by_citizen.wait(*citizen), self.by_address.wait(*at) if at else 0.0)
        if waiting > 0:
            return waiting
        self.by_citizen.hit(*citizen)
        if at:
            self.by_address.hit(*at)
        return 0.0

    def status(self, citizen: list[str], address: str | None = None) -> float:
        """Count a status look-up if it is allowed: 0.0 then, else the seconds to wait."""
        return self.lookups.hit(*citizen, *(["ip:" + address] if address else []))


def when(now: dt.datetime, seconds: float) -> str:
    """The time ``seconds`` after ``now`` (aware, the bureau's zone), to the next minute, as said
    to a citizen: 今天 18:05, or 12月2日 09:30 on another day."""
    at = now + dt.timedelta(minutes=math.ceil(seconds / 60))
    clock = at.strftime("%H:%M")
    if at.date() == now.date():
        return texts.WHEN_TODAY.format(time=clock)
    return texts.WHEN_DAY.format(month=at.month, day=at.day, time=clock)
