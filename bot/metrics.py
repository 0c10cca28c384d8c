"""Health and metrics: ``/healthz`` for a load balancer or a monitor, ``/metrics`` for Prometheus.

What happens is counted where it happens, with the counters below: questions at the conversation
layer (every channel's pass there), failed deliveries in the outbox's sender, refusals in the web
chat's rate limit. They are module-level, as ``prometheus_client`` intends: one process, one set of
counts (the tests read differences). What the database holds (complaints open and overdue, the
outbox's backlog) is read when Prometheus asks, by ``DatabaseCollector``, with a few cheap queries.

``/metrics`` answers only the addresses in ``GONGKAI_METRICS_ALLOW`` or a request with the bearer
token ``GONGKAI_METRICS_TOKEN``: the figures are not secret, but they are not the public's either.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import ipaddress
import logging
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from .outcomes import OUTCOMES

if TYPE_CHECKING:
    from .app import Services
    from .config import Settings

log = logging.getLogger(__name__)
__all__ = ["COUNTED", "DatabaseCollector", "allowed", "health", "question", "refused", "setup"]

CHANNELS = ("telegram", "wechat", "web", "console")
# The services whose open and overdue cases are gauges: each has ``counts()`` with "open" and
# "overdue". A service this process does not have (the register of applications, before it is
# built) is left out, so that adding one is adding its name here.
COUNTED = ("complaints", "applications")

# Not a *_created series beside every counter: twice the lines, of use to no query here.
disable_created_metrics()
REGISTRY = CollectorRegistry(auto_describe=True)
QUESTIONS = Counter(
    "gongkai_questions",
    "Questions answered, by channel and outcome (answer, clarify, fallback, complaint, catalogue, greeting, invalid).",
    ["channel", "outcome"],
    registry=REGISTRY,
)
# From a cached reply (well under a millisecond) to a cold one with an embedding (tens of ms) to a
# question held up by a busy machine (seconds).
ANSWER_SECONDS = Histogram(
    "gongkai_answer_seconds",
    "Time to answer a question (matching and composing the reply), by channel.",
    ["channel"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
DELIVERIES_FAILED = Counter(
    "gongkai_deliveries_failed",
    "Notices whose delivery failed, by channel, reason and whether they were given up (else retried).",
    ["channel", "reason", "given_up"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "gongkai_rate_limit_refusals",
    "Messages refused by a rate limit, by where.",
    ["where"],
    registry=REGISTRY,
)
for _channel in CHANNELS:  # every series exists from the start: a rate() over a missing one is empty
    ANSWER_SECONDS.labels(_channel)
    for _outcome in OUTCOMES:
        QUESTIONS.labels(_channel, _outcome)
RATE_LIMITED.labels("web_chat")


def question(channel: str, outcome: str, ms: float) -> None:
    """Count a question answered on ``channel`` with ``outcome`` in ``ms`` milliseconds."""
    QUESTIONS.labels(channel, outcome).inc()
    ANSWER_SECONDS.labels(channel).observe(ms / 1000)


def delivery_failed(channel: str, error: str, given_up: bool) -> None:
    """Count a failed delivery. The reason is the error's first part ("wechat 45015", "429",
    "TelegramForbiddenError"): WeChat's message after the code holds a hint that differs each time,
    and a label must take few values."""
    reason = error.split(":", 1)[0].strip()[:40] or "unknown"
    DELIVERIES_FAILED.labels(channel, reason, "true" if given_up else "false").inc()


def refused(where: str) -> None:
    """Count a message refused by the rate limit of ``where``."""
    RATE_LIMITED.labels(where).inc()


def _age(stamp: str | None, now: dt.datetime) -> float:
    """Seconds since the ISO time ``stamp`` (0 if there is none)."""
    if not stamp:
        return 0.0
    at = dt.datetime.fromisoformat(stamp)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return max(0.0, (now - at).total_seconds())


def oldest_pending(services: Services, channels: Collection[str] | None = None) -> tuple[int, float]:
    """How many notices the outbox owes (on ``channels``, or on any), and for how many seconds the
    oldest has waited."""
    sql = "select count(*), min(created_at) from outbox where status = 'pending'"
    if channels is not None:
        sql += f" and channel in ({', '.join('?' * len(channels))})"
    count, oldest = services.store.reader.execute(sql, list(channels or ())).fetchone()
    return int(count), _age(oldest, dt.datetime.now(dt.UTC))


class DatabaseCollector(Collector):
    """The gauges read from the database when Prometheus asks: cases open and overdue, the
    outbox's backlog (by channel), the age of its oldest notice, and the notices given up."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[Metric]:
        for name in COUNTED:
            service = getattr(self.services, name, None)
            if service is None:
                continue
            try:
                counts = service.counts()
            except Exception:  # one broken source must not take the others down with it
                log.exception("metrics: cannot count %s", name)
                continue
            yield GaugeMetricFamily(f"gongkai_{name}_open", f"{name.capitalize()} not closed.", counts["open"])
            yield GaugeMetricFamily(
                f"gongkai_{name}_overdue", f"{name.capitalize()} not closed past their due date.", counts["overdue"]
            )
        db = self.services.store.reader
        pending = GaugeMetricFamily(
            "gongkai_outbox_pending", "Notices owed and not yet sent, by channel.", labels=["channel"]
        )
        failed = GaugeMetricFamily(
            "gongkai_outbox_failed", "Notices given up (could never be delivered), by channel.", labels=["channel"]
        )
        rows = db.execute("select channel, status, count(*) from outbox where status != 'sent' group by 1, 2")
        for channel, status, count in rows.fetchall():
            (pending if status == "pending" else failed).add_metric([channel], count)
        yield pending
        yield failed
        yield GaugeMetricFamily(
            "gongkai_outbox_oldest_pending_seconds",
            "Seconds the oldest notice owed has waited (0 when none is).",
            oldest_pending(self.services)[1],
        )


class _Counted(Collector):
    """The module's counters, in another registry."""

    def collect(self) -> Iterator[Metric]:
        return iter(REGISTRY.collect())


def registry(services: Services) -> CollectorRegistry:
    """What ``/metrics`` shows for ``services``: the counters and the database's gauges."""
    shown = CollectorRegistry(auto_describe=False)
    shown.register(_Counted())
    shown.register(DatabaseCollector(services))
    return shown


# --- who may read /metrics --------------------------------------------------------------------------


def allowed(request: web.Request, settings: Settings) -> bool:
    """Whether ``request`` may read ``/metrics``: it has the bearer token, or it comes from an
    allowed address. A request through the reverse proxy (X-Real-IP, X-Forwarded-For) is judged
    by the address the proxy names as well as the proxy's own: the public coming through a proxy
    on 127.0.0.1 is not 127.0.0.1."""
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    networks = [ipaddress.ip_network(n, strict=False) for n in settings.metrics_allow]
    addresses = [request.remote or ""]
    forwarded = request.headers.get("X-Real-IP", "").strip() or (
        request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
    )
    if forwarded or "Forwarded" in request.headers:
        addresses.append(forwarded)
    return all(_within(address, networks) for address in addresses)


def _within(address: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks)


# --- the routes -------------------------------------------------------------------------------------


async def health(services: Services) -> tuple[bool, dict[str, Any]]:
    """The checks of ``/healthz``: the process answers (it does, if this runs), the database takes
    a write within ``health_db_timeout_seconds``, and no notice that a sender of this process
    delivers has waited in the outbox longer than ``health_outbox_max_age_seconds`` (a web
    citizen's waits for their next visit). Whether all passed, and each one's result."""
    settings = services.settings
    checks: dict[str, dict[str, Any]] = {"process": {"ok": True}}
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def touch(db: Any) -> None:
        db.execute(
            "insert into meta (key, value) values ('health_checked_at', ?)"
            " on conflict (key) do update set value = excluded.value",
            [stamp],
        )

    timeout = settings.health_db_timeout_seconds
    try:
        await asyncio.wait_for(services.store.awrite(touch), timeout)
        checks["database"] = {"ok": True}
    except TimeoutError:
        checks["database"] = {"ok": False, "error": f"a write was not committed within {timeout:g} s"}
    except Exception as e:
        checks["database"] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
    try:
        # Only what a sender of this process delivers is its backlog (see Outbox.delivering).
        count, age = oldest_pending(services, services.complaints.outbox.delivering)
        limit = settings.health_outbox_max_age_seconds
        checks["outbox"] = {"ok": age <= limit, "pending": count, "oldest_seconds": round(age), "max_seconds": limit}
    except Exception as e:
        checks["outbox"] = {"ok": False, "error": f"{type(e).__name__}: {e}"}
    ok = all(check["ok"] for check in checks.values())
    if not ok:
        log.warning("health check failed: %s", ", ".join(name for name, check in checks.items() if not check["ok"]))
    return ok, checks


def setup(app: web.Application, services: Services) -> None:
    """Add ``/healthz`` and ``/metrics`` to the application."""
    shown = registry(services)

    async def healthz(_: web.Request) -> web.Response:
        ok, checks = await health(services)
        return web.json_response({"ok": ok, "checks": checks}, status=200 if ok else 503)

    async def metrics(request: web.Request) -> web.Response:
        if not allowed(request, services.settings):
            log.warning("metrics refused: no token, and an address not in GONGKAI_METRICS_ALLOW")
            raise web.HTTPForbidden(text="Forbidden")
        body = generate_latest(shown)
        return web.Response(body=body, headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
