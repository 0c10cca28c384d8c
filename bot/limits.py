"""Bounded memory for the guards: an LRU mapping, and a sliding-window rate limit on it.

Every cache and every rate limit of the channels is one of these two (the web chat's session
table aside), so that a flood of new keys (addresses, cookies, update ids, nonces) costs a fixed
amount of memory: past ``size`` keys the least recently used one is forgotten.
"""

from __future__ import annotations

import bisect
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar, overload

K = TypeVar("K")
V = TypeVar("V")
D = TypeVar("D")


class LRU(Generic[K, V]):
    """A mapping of at most ``size`` keys: setting one more forgets the least recently used.

    Reading a key with ``get`` or ``[]`` makes it the most recently used; ``in`` does not.

    :param size: how many keys are kept at most
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("an LRU keeps at least one key")
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __getitem__(self, key: K) -> V:
        value = self._items[key]
        self._items.move_to_end(key)
        return value

    def __setitem__(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def __delitem__(self, key: K) -> None:
        del self._items[key]

    @overload
    def get(self, key: K) -> V | None: ...

    @overload
    def get(self, key: K, default: D) -> V | D: ...

    def get(self, key: K, default: object = None) -> object:
        """The value of ``key`` (now the most recently used), or ``default``."""
        if key not in self._items:
            return default
        return self[key]

    def pop(self, key: K, default: V | None = None) -> V | None:
        return self._items.pop(key, default)

    def clear(self) -> None:
        self._items.clear()

    def setdefault(self, key: K, default: V) -> V:
        """The value of ``key``, set to ``default`` first if it has none."""
        if key in self._items:
            return self[key]
        self[key] = default
        return default


class RateLimit:
    """At most ``limit`` events per ``period`` seconds for each key, for every rule at once.

    ``RateLimit((3, 3600), (10, 86400))`` allows three an hour and ten a day. An event is counted
    under every key it is checked with (a session, an address, a citizen), and only when every key
    is within every rule: a refused attempt does not lengthen the wait.

    :param rules: (limit, period in seconds) pairs
    :param size: how many keys are remembered (the least recently seen are forgotten first)
    :param clock: monotonic seconds (a test passes a fake)
    """

    def __init__(
        self, *rules: tuple[int, float], size: int = 50_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not rules or any(limit < 1 or period <= 0 for limit, period in rules):
            raise ValueError("a rate limit needs rules of at least one event per positive period")
        self.rules = tuple(sorted(rules, key=lambda rule: rule[1]))
        self.clock = clock
        self._keep = max(period for _, period in self.rules)
        self._events: LRU[str, deque[float]] = LRU(size)

    def wait(self, *keys: str) -> float:
        """Seconds until an event for every key would be allowed (0: now); nothing is counted."""
        now = self.clock()
        return max((self._wait(self._window(key, now), now) for key in set(keys)), default=0.0)

    def hit(self, *keys: str) -> float:
        """Count an event for every key if it is allowed now: 0.0 then, else the seconds to wait."""
        now = self.clock()
        windows = [self._window(key, now) for key in set(keys)]
        waiting = max((self._wait(w, now) for w in windows), default=0.0)
        if waiting > 0:
            return waiting
        for window in windows:
            window.append(now)
        return 0.0

    def allow(self, *keys: str) -> bool:
        """Whether an event for every key is within the limits; counted only if it is."""
        return self.hit(*keys) == 0.0

    def _window(self, key: str, now: float) -> deque[float]:
        window = self._events.setdefault(key, deque())
        while window and now - window[0] >= self._keep:
            window.popleft()
        return window

    def _wait(self, window: deque[float], now: float) -> float:
        waiting = 0.0
        events = list(window) if len(self.rules) > 1 else window
        for limit, period in self.rules:
            # The events within this rule's period: those at or after now - period.
            first = bisect.bisect_right(events, now - period) if len(self.rules) > 1 else 0
            count = len(events) - first
            if count >= limit:
                # The event whose leaving brings the count under the limit.
                waiting = max(waiting, events[first + count - limit] + period - now)
        return waiting
