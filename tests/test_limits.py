"""The one LRU and the one rate limit every guard is built on, and the citizens' limits on them."""

from __future__ import annotations

import datetime as dt

import pytest

from bot import texts
from bot.limits import LRU, RateLimit
from bot.services.limits import Limits, keys, when


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- LRU -------------------------------------------------------------------------------------------


def test_lru_forgets_the_least_recently_used_past_its_size():
    lru: LRU[str, int] = LRU(3)
    for n, key in enumerate("abc"):
        lru[key] = n
    assert lru.get("a") == 0  # read: now the most recent
    lru["d"] = 3
    assert list(lru) == ["c", "a", "d"] and "b" not in lru and len(lru) == 3
    assert lru.setdefault("c", 9) == 2 and lru.setdefault("e", 4) == 4
    assert list(lru) == ["d", "c", "e"]  # c was read by setdefault; a went
    assert lru.pop("d") == 3 and lru.pop("d") is None and lru.get("zz", -1) == -1


def test_lru_stays_bounded_under_a_flood_of_new_keys():
    lru: LRU[int, None] = LRU(1000)
    for n in range(100_000):
        lru[n] = None
    assert len(lru) == 1000 and min(lru) == 99_000


# --- RateLimit --------------------------------------------------------------------------------------


def test_sliding_window_allows_the_limit_then_says_how_long_to_wait():
    clock = Clock()
    limit = RateLimit((3, 60.0), clock=clock)
    assert [limit.allow("s") for _ in range(4)] == [True, True, True, False]
    assert limit.wait("s") == 60.0 and limit.allow("other")
    clock.now += 30
    assert limit.hit("s") == 30.0  # a refused attempt does not lengthen the wait
    clock.now += 30
    assert [limit.allow("s") for _ in range(4)] == [True, True, True, False]


def test_every_rule_holds_at_once():
    clock = Clock()
    limit = RateLimit((2, 3600.0), (3, 86400.0), clock=clock)
    assert limit.allow("c") and limit.allow("c") and not limit.allow("c")
    assert limit.wait("c") == 3600.0
    clock.now += 3600
    assert limit.allow("c") and not limit.allow("c")  # the day's third
    assert limit.wait("c") == 86400.0 - 3600.0  # until the first of the day is a day old
    clock.now += 86400
    assert limit.allow("c")


def test_an_event_counts_under_every_key_and_only_when_all_allow_it():
    clock = Clock()
    limit = RateLimit((2, 60.0), clock=clock)
    assert limit.allow("session", "address") and limit.allow("session", "address")
    assert not limit.allow("new session", "address")  # the address is spent
    assert limit.wait("new session") == 0.0  # and the refused attempt counted nowhere
    assert limit.allow("same", "same") and limit.allow("same")  # a key named twice counts once


def test_rate_limit_remembers_a_bounded_number_of_keys():
    limit = RateLimit((1, 60.0), size=100, clock=Clock())
    for n in range(10_000):
        limit.allow(f"ip:{n}")
    assert len(limit._events) == 100


@pytest.mark.parametrize("rules", [(), ((0, 60.0),), ((1, 0.0),)])
def test_a_rate_limit_without_sensible_rules_is_refused(rules):
    with pytest.raises(ValueError):
        RateLimit(*rules)


# --- the citizens' limits -----------------------------------------------------------------------------


def test_complaints_are_limited_per_citizen_and_per_address(settings):
    clock = Clock()
    limits = Limits(
        settings.model_copy(
            update={
                "complaints_per_hour": 2,
                "complaints_per_day": 3,
                "complaints_per_address_hour": 3,
                "complaints_per_address_day": 5,
            }
        ),
        clock=clock,
    )
    web = keys("web", "wSESSION", "wSESSION")
    assert [limits.complaint(web, "10.0.0.1") for _ in range(3)] == [0.0, 0.0, 3600.0]
    other = keys("web", "wOTHER")
    assert limits.complaint(other, "10.0.0.1") == 0.0  # the address's third
    assert limits.complaint(keys("web", "wTHIRD"), "10.0.0.1") == 3600.0  # its hour is spent
    assert limits.complaint(keys("web", "wTHIRD"), "10.0.0.2") == 0.0
    assert limits.complaint(keys("telegram", 42, 42)) == 0.0  # no address off the web
    clock.now += 3600
    assert limits.complaint(web, "10.0.0.9") == 0.0
    assert limits.complaint(web, "10.0.0.9") == 86400.0 - 3600.0  # the citizen's day is spent


def test_keys_name_the_channel_and_skip_missing_ids():
    assert keys("telegram", 42, 42, None, "") == ["telegram:42", "telegram:42"]


def test_when_is_said_in_the_bureaus_time():
    zone = dt.timezone(dt.timedelta(hours=8))
    now = dt.datetime(2026, 12, 1, 17, 30, 20, tzinfo=zone)
    assert when(now, 25 * 60) == texts.WHEN_TODAY.format(time="17:55")
    assert when(now, 1) == "今天 17:31"
    assert when(now, 86400 - 600) == texts.WHEN_DAY.format(month=12, day=2, time="17:20")
