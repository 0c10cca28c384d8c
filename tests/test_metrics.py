"""/healthz, /metrics and the logs an operator reads: through the real application on a test
server, the counters moved by the real conversation layer, sender and rate limit."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import logging
import re
import sqlite3

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from bot import logs
from bot.app import Services, build_web_app
from bot.channels.web import setup as setup_web
from bot.services.complaints import Complaints, Draft
from bot.services.conversation import Conversation
from bot.services.sender import Sender, retry_later

# Every series the issue names (counters without their _total: the parser names families so).
SERIES = {
    "gongkai_questions",
    "gongkai_answer_seconds",
    "gongkai_complaints_open",
    "gongkai_complaints_overdue",
    "gongkai_outbox_pending",
    "gongkai_outbox_oldest_pending_seconds",
    "gongkai_outbox_failed",
    "gongkai_deliveries_failed",
    "gongkai_rate_limit_refusals",
}


def staff_settings(settings, **more):
    """Settings with a Telegram staff group: every complaint owes the outbox a staff card."""
    return settings.model_copy(update={"telegram_token": "42:TEST", "telegram_staff_chat_id": -100, **more})


def serve(services: Services, scenario):
    async def main():
        app = build_web_app(services)
        setup_web(app, services, services.settings)
        async with TestClient(TestServer(app)) as client:
            return await scenario(client)

    return asyncio.run(main())


def families(text: str) -> dict[str, list]:
    return {f.name: f.samples for f in text_string_to_metric_families(text)}


def value(samples, name: str, **labels: str) -> float:
    return next(s.value for s in samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))


async def scrape(client: TestClient, **headers: str) -> dict[str, list]:
    response = await client.get("/metrics", headers=headers)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return families(await response.text())


def test_metrics_parse_and_name_every_series(answerer, store, settings):
    settings = staff_settings(settings, web_rate_limit=1)
    services = Services.of(answerer, store, settings, complaints=Complaints(store, settings))

    async def scenario(client):
        before = await scrape(client)
        asked = before["gongkai_questions"]
        answers = value(asked, "gongkai_questions_total", channel="web", outcome="answer")
        fallbacks = value(asked, "gongkai_questions_total", channel="wechat", outcome="fallback")
        timed = value(before["gongkai_answer_seconds"], "gongkai_answer_seconds_count", channel="web")
        # The conversation layer counts every channel's questions, Telegram's record() included.
        await services.conversation.ask("申请信息公开要收费吗", channel="web", user_id="a")
        reply = await answerer.aanswer("明天会下雨吗")
        await services.conversation.record(reply, channel="wechat", user_id="b")
        # A complaint owes the staff group a card; its delivery fails (to be retried).
        draft = Draft("窗口人员态度差")
        await services.complaints.afile(draft, channel="web", chat_id="w1", user_id="w1", dedupe_key="k")

        async def fail(notice):
            raise ConnectionError("down")

        await Sender(services.complaints.outbox, "telegram", fail, retry_later, interval=1).deliver()
        # The web chat's limit (one a minute here) refuses the second question.
        page = await (await client.get("/")).text()
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        for _ in range(2):
            await client.post("/chat", data={"csrf": csrf, "q": "多久答复"}, headers={"X-Requested-With": "fetch"})

        after = await scrape(client)
        assert set(after) >= SERIES, SERIES - set(after)
        asked = after["gongkai_questions"]
        # One asked of the conversation layer, one through the web chat (its second was refused).
        assert value(asked, "gongkai_questions_total", channel="web", outcome="answer") == answers + 2
        assert value(asked, "gongkai_questions_total", channel="wechat", outcome="fallback") == fallbacks + 1
        assert value(after["gongkai_answer_seconds"], "gongkai_answer_seconds_count", channel="web") == timed + 2
        assert value(after["gongkai_complaints_open"], "gongkai_complaints_open") == 1
        assert value(after["gongkai_complaints_overdue"], "gongkai_complaints_overdue") == 0
        assert value(after["gongkai_outbox_pending"], "gongkai_outbox_pending", channel="telegram") == 1
        assert 0 <= value(after["gongkai_outbox_oldest_pending_seconds"], "gongkai_outbox_oldest_pending_seconds") < 60
        failed = after["gongkai_deliveries_failed"]
        assert value(failed, "gongkai_deliveries_failed_total", channel="telegram", reason="ConnectionError") >= 1
        refusals = after["gongkai_rate_limit_refusals"]
        assert value(refusals, "gongkai_rate_limit_refusals_total", where="web_chat") >= 1
        return after

    after = serve(services, scenario)
    assert ("gongkai_applications_open" in after) == hasattr(services, "applications")


def test_overdue_complaints_and_given_up_notices_are_counted(answerer, store, settings):
    settings = staff_settings(settings)
    filed_at = dt.datetime(2020, 3, 2, 9, tzinfo=dt.UTC)
    complaints = Complaints(store, settings, now=lambda: filed_at)
    complaints.file(Draft("超期未答复"), channel="web", chat_id="w", user_id="w", dedupe_key="old")
    store.write(lambda db: db.execute("update outbox set status = 'failed', last_error = 'TelegramForbiddenError'"))
    services = Services.of(answerer, store, settings, complaints=Complaints(store, settings))

    async def scenario(client):
        return await scrape(client)

    shown = serve(services, scenario)
    assert value(shown["gongkai_complaints_overdue"], "gongkai_complaints_overdue") == 1
    assert value(shown["gongkai_outbox_failed"], "gongkai_outbox_failed", channel="telegram") == 1
    assert value(shown["gongkai_outbox_oldest_pending_seconds"], "gongkai_outbox_oldest_pending_seconds") == 0


@pytest.mark.parametrize(
    "allow,token,headers,status",
    [
        (["127.0.0.1", "::1"], None, {}, 200),
        (["10.0.0.0/8"], None, {}, 403),  # the test client is 127.0.0.1: another address
        (["10.0.0.0/8"], "s3cret-token", {"Authorization": "Bearer s3cret-token"}, 200),
        (["10.0.0.0/8"], "s3cret-token", {"Authorization": "Bearer wrong"}, 403),
        (["10.0.0.0/8"], "s3cret-token", {}, 403),
        (["10.0.0.0/8"], None, {"Authorization": "Bearer "}, 403),  # no token set: none is right
        # The public through a reverse proxy on 127.0.0.1 is not 127.0.0.1...
        (["127.0.0.1", "::1"], None, {"X-Real-IP": "203.0.113.9"}, 403),
        (["127.0.0.1", "::1"], None, {"X-Forwarded-For": "127.0.0.1, 203.0.113.9"}, 403),
        # ...but a monitor on the bureau's network, through it, may be allowed.
        (["127.0.0.1", "10.0.0.0/8"], None, {"X-Real-IP": "10.1.2.3"}, 200),
    ],
)
def test_who_may_read_metrics(answerer, store, settings, allow, token, headers, status):
    secret = SecretStr(token) if token else None
    settings = settings.model_copy(update={"metrics_allow": allow, "metrics_token": secret})
    services = Services.of(answerer, store, settings)

    async def scenario(client):
        response = await client.get("/metrics", headers=headers)
        body = await response.text()
        assert response.status == status
        if status == 403:
            assert "gongkai_" not in body

    serve(services, scenario)


def test_metrics_allow_is_checked_at_start(monkeypatch):
    from pydantic import ValidationError

    from bot.config import Settings

    monkeypatch.setenv("GONGKAI_METRICS_ALLOW", "127.0.0.1, 10.0.0.0/8")
    assert Settings().metrics_allow == ["127.0.0.1", "10.0.0.0/8"]
    monkeypatch.setenv("GONGKAI_METRICS_ALLOW", "127.0.0.1, localhost")
    with pytest.raises(ValidationError):
        Settings()


# --- /healthz ----------------------------------------------------------------------------------------


def test_healthz_passes_and_writes(answerer, store, settings):
    services = Services.of(answerer, store, settings)

    async def scenario(client):
        response = await client.get("/healthz")
        return response.status, await response.json()

    status, body = serve(services, scenario)
    assert status == 200 and body["ok"] is True
    assert {name for name, check in body["checks"].items() if check["ok"]} == {"process", "database", "outbox"}
    assert store.reader.execute("select value from meta where key = 'health_checked_at'").fetchone()


def test_healthz_fails_on_an_old_notice_in_the_outbox(answerer, store, settings):
    settings = staff_settings(settings, health_outbox_max_age_seconds=600)
    services = Services.of(answerer, store, settings, complaints=Complaints(store, settings))
    services.complaints.file(Draft("态度差"), channel="web", chat_id="w", user_id="w", dedupe_key="k")
    an_hour_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(timespec="seconds")
    store.write(lambda db: db.execute("update outbox set created_at = ?", [an_hour_ago]))
    [channel] = {row[0] for row in store.reader.execute("select channel from outbox")}

    async def scenario(client):
        response = await client.get("/healthz")
        return response.status, await response.json()

    # Owed on a channel no sender of this process delivers (the web chat's citizen, who fetches
    # it on their next visit; WeChat without its AppSecret): no backlog of this process's.
    status, body = serve(services, scenario)
    assert status == 200 and body["checks"]["outbox"]["pending"] == 0
    services.complaints.outbox.delivering.add(channel)  # as a running Sender does
    status, body = serve(services, scenario)
    assert status == 503 and body["ok"] is False
    outbox = body["checks"]["outbox"]
    assert outbox["ok"] is False and outbox["pending"] == 1 and 3500 < outbox["oldest_seconds"] < 3700
    assert body["checks"]["database"]["ok"] is True


def test_a_running_sender_is_what_makes_its_channel_s_notices_a_backlog(store, settings):
    outbox = Complaints(store, settings).outbox

    async def main() -> None:
        async def deliver(notice):
            return None

        sender = Sender(outbox, "telegram", deliver, retry_later, interval=1)
        await sender.start()
        await asyncio.sleep(0.05)
        assert outbox.delivering == {"telegram"}
        await sender.stop()
        assert outbox.delivering == set()

    asyncio.run(main())


def test_healthz_fails_when_the_database_cannot_be_written(answerer, store, settings, db_path):
    settings = settings.model_copy(update={"health_db_timeout_seconds": 0.3})
    services = Services.of(answerer, store, settings)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock

    async def scenario(client):
        try:
            response = await client.get("/healthz")
            return response.status, await response.json()
        finally:
            other.execute("ROLLBACK")

    status, body = serve(services, scenario)
    other.close()
    assert status == 503
    assert body["checks"]["database"] == {"ok": False, "error": "a write was not committed within 0.3 s"}
    assert body["checks"]["outbox"]["ok"] is True


# --- logs ---------------------------------------------------------------------------------------------


@pytest.fixture
def json_log():
    """What the root logger writes, as ``gongkai run`` with GONGKAI_LOG_FORMAT=json writes it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in out.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_json_lines_with_time_level_logger_message_and_extra_ids(json_log):
    log = logging.getLogger("gongkai.test")
    with logs.bound("abc123"):
        log.info("complaint %s filed", "20261127-001-6", extra={"outbox_id": 7})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed")
    first, second = json_log()
    assert first["message"] == "complaint 20261127-001-6 filed" and first["level"] == "INFO"
    assert first["logger"] == "gongkai.test" and first["request_id"] == "abc123" and first["outbox_id"] == 7
    assert dt.datetime.fromisoformat(first["time"]).tzinfo is not None
    assert "request_id" not in second and "ValueError: boom" in second["exc"]


def test_the_request_id_follows_a_complaint_through_the_outbox(answerer, store, settings, json_log):
    settings = staff_settings(settings)
    complaints = Complaints(store, settings)
    conversation = Conversation(answerer, complaints, store)

    async def main():
        form, _ = conversation.start("投诉")
        conversation.step(form, "窗口工作人员态度很差，我的电话13812345678")
        conversation.step(form, "3")
        conversation.step(form, "张三 13812345678")
        done = await conversation.submit(form, channel="console", chat_id="u", user_id="u", dedupe_key="k1")
        rid = logs.current()

        async def deliver(notice):
            assert notice.request_id == rid

        # The sender runs in its own task, as in the running bot: no request id of its own.
        await asyncio.create_task(_fresh(Sender(complaints.outbox, "telegram", deliver, retry_later, interval=1)))
        return done.complaint.number, rid

    number, rid = asyncio.run(main())
    assert rid and store.reader.execute("select request_id from outbox").fetchone()[0] == rid
    lines = json_log()
    filed = next(line for line in lines if line["message"].startswith(f"complaint {number} filed"))
    sent = next(line for line in lines if line["message"].endswith("sent on telegram"))
    assert filed["request_id"] == sent["request_id"] == rid
    assert (sent["channel"], sent["kind"]) == ("telegram", "created") and isinstance(sent["outbox_id"], int)
    text = "\n".join(line["message"] for line in lines)
    assert "13812345678" not in text and "张三" not in text and "态度很差" not in text


async def _fresh(sender: Sender) -> int:
    logs.request_id.set(None)
    return await sender.deliver()


@pytest.mark.parametrize("fmt,formatter", [("json", logs.JsonFormatter), ("text", logging.Formatter)])
def test_run_configures_the_log_format(fmt, formatter):
    root = logging.getLogger()
    kept, level = root.handlers[:], root.level
    try:
        logs.configure("WARNING", fmt)
        (handler,) = root.handlers
        assert type(handler.formatter) is formatter and root.level == logging.WARNING
        assert any(isinstance(f, logs.RequestIdFilter) for f in handler.filters)
    finally:
        root.handlers[:] = kept
        root.setLevel(level)
