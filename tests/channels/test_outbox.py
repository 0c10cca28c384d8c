"""The one outbox on Telegram: what used to stop the queue, a group that moves, a complaint from the web."""

from __future__ import annotations

import asyncio
import time

from aiogram.client.default import DefaultBotProperties
from aiogram.exceptions import ClientDecodeError, TelegramMigrateToChat
from aiohttp.test_utils import TestClient, TestServer

from bot.app import Services, build_web_app
from bot.channels.telegram import build_dispatcher
from bot.channels.web import setup as setup_web
from bot.services.complaints import Complaints

from ..fakes import RecordingSession, make_bot
from .test_telegram import Harness
from .test_telegram_complaints import STAFF_GROUP, deliver, file_complaint, staffed, tg  # noqa: F401 (fixtures)
from .test_web import file_complaint as file_on_the_web

SUPERGROUP = -1009990001112


def outbox_rows(harness: Harness) -> list[tuple]:
    return harness.store.reader.execute(
        "select recipient, status, attempts, last_error from outbox order by id"
    ).fetchall()


def test_a_staff_group_upgraded_to_a_supergroup_keeps_receiving_cards(tg, answerer, store, staffed):  # noqa: F811
    # Telegram answers the old group's id with the new one (400, parameters.migrate_to_chat_id);
    # aiogram raises TelegramMigrateToChat, which used to abort the whole round.
    first = file_complaint(tg)
    tg.session.fail(
        "sendMessage",
        lambda method: TelegramMigrateToChat(
            method=method,
            message="Bad Request: group chat was upgraded to a supergroup chat",
            migrate_to_chat_id=SUPERGROUP,
        ),
    )
    assert deliver(tg) == 1
    failed, resent = tg.sent()[-2:]
    assert failed.chat_id == STAFF_GROUP and resent.chat_id == SUPERGROUP and first in resent.text

    second = file_complaint(tg, summary_id=911)
    assert deliver(tg) == 1
    assert tg.sent()[-1].chat_id == SUPERGROUP and second in tg.sent()[-1].text

    # Remembered: a process started afterwards posts to the supergroup at once.
    restarted = Harness(answerer, store, staffed)
    third = file_complaint(restarted, summary_id=921)
    assert asyncio.run(restarted.dp["outbox"].deliver(restarted.bot)) == 1
    assert [m.chat_id for m in restarted.sent()][-1] == SUPERGROUP and third in restarted.sent()[-1].text
    assert [status for _, status, _, _ in outbox_rows(tg)] == ["sent", "sent", "sent"]


def test_an_undecodable_502_on_one_notice_does_not_delay_the_next(tg):  # noqa: F811
    # A proxy in front of the Bot API answers with an HTML page: aiogram cannot decode it
    # (ClientDecodeError, no TelegramAPIError), which used to abort the round.
    first, second = file_complaint(tg), file_complaint(tg, summary_id=911)

    def bad_gateway(method):
        try:
            tg.session.check_response(
                bot=tg.bot, method=method, status_code=502, content="<html><h1>502 Bad Gateway</h1></html>"
            )
        except ClientDecodeError as e:
            return e
        raise AssertionError("aiogram decoded an HTML page")

    tg.session.fail("sendMessage", bad_gateway)
    assert deliver(tg) == 1
    assert second in tg.sent()[-1].text and first not in tg.sent()[-1].text
    assert outbox_rows(tg) == [("staff", "pending", 1, "ClientDecodeError"), ("staff", "sent", 0, None)]


def test_a_complaint_filed_on_the_web_reaches_the_telegram_staff_group_within_a_second(answerer, store, staffed):  # noqa: F811
    slow = staffed.model_copy(update={"outbox_interval": 60.0})  # only being woken can be in time

    async def main() -> tuple[str, list, float]:
        complaints = Complaints(store, slow)
        session = RecordingSession()
        bot = make_bot(session, default=DefaultBotProperties(parse_mode="HTML"))
        dp = build_dispatcher(Services.of(answerer, store, slow, complaints=complaints), slow)
        app = build_web_app()
        setup_web(app, Services.of(answerer, store, slow, complaints=complaints), slow)
        await dp.emit_startup(bot=bot)
        try:
            async with TestClient(TestServer(app)) as client:
                number = await file_on_the_web(client)
                filed = time.monotonic()
                while not session.calls("sendMessage") and time.monotonic() - filed < 5:
                    await asyncio.sleep(0.01)
                return number, session.calls("sendMessage"), time.monotonic() - filed
        finally:
            await dp.emit_shutdown(bot=bot)

    number, sent, waited = asyncio.run(main())
    assert [m.chat_id for m in sent] == [STAFF_GROUP] and number in sent[0].text
    assert waited < 1.0
