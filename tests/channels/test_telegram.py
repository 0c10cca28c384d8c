"""The Telegram channel end to end through aiogram's dispatcher, with only the HTTP session faked."""

from __future__ import annotations

import asyncio
import logging
import signal
import subprocess
import sys

import pytest
from aiogram.client.default import DefaultBotProperties
from aiogram.exceptions import TelegramNetworkError

from bot import texts
from bot.app import Services
from bot.channels.telegram import WEBHOOK_PATH, add_webhook, build_dispatcher, set_commands
from bot.channels.telegram.callbacks import (
    AskCallback,
    BrowseCallback,
    EntryCallback,
    MissedCallback,
    SearchCallback,
    SectionCallback,
)
from bot.channels.telegram.middlewares import RetryMiddleware
from bot.channels.telegram.render import MAX_MESSAGE, split_message
from bot.services.answering import Answerer

from ..conftest import ROOT, gongkai_env
from ..fakes import (
    FakeBotAPI,
    RecordingSession,
    callback_update,
    contact_update,
    document_update,
    edited_message_update,
    inline_update,
    location_update,
    make_bot,
    message_update,
    photo_update,
    sticker_update,
    voice_update,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Harness:
    """A dispatcher with the real core, a bot on a recording session, and a fake clock."""

    def __init__(self, answerer, store, settings) -> None:
        self.clock = Clock()
        self.session = RecordingSession()
        self.sleeps: list[float] = []

        async def fake_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        self.session.middleware(RetryMiddleware(sleep=fake_sleep))
        self.bot = make_bot(self.session, default=DefaultBotProperties(parse_mode="HTML"))
        self.dp = build_dispatcher(Services.of(answerer, store, settings), settings, clock=self.clock)
        self.store = store

    def feed(self, *updates) -> None:
        async def main() -> None:
            for update in updates:
                await self.dp.feed_update(self.bot, update)

        asyncio.run(main())

    def sent(self, method: str = "sendMessage") -> list:
        return self.session.calls(method)

    def texts(self) -> list[str]:
        return [m.text for m in self.sent()]


@pytest.fixture
def tg(answerer, store, settings) -> Harness:
    return Harness(answerer, store, settings)


def buttons(call) -> list[tuple[str, str]]:
    markup = call.reply_markup
    return [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row] if markup else []


# --- what a citizen gets ---------------------------------------------------------------------------


def test_start_welcomes_and_says_what_is_recorded(tg):
    tg.feed(message_update("/start"))
    [text] = tg.texts()
    assert "政府信息公开" in text and "匿名编号" in text


@pytest.mark.parametrize(
    "command,expected",
    [
        ("/help", "/search 关键词"),
        ("/contact", "监督投诉电话"),
        ("/cancel", texts.NOTHING_TO_CANCEL),
        ("/search", texts.SEARCH_USAGE),
        ("/nosuchcommand", "/guide"),
    ],
)
def test_commands(tg, command, expected):
    tg.feed(message_update(command))
    assert expected in tg.texts()[0]


def test_question_is_answered_and_logged(tg):
    tg.feed(message_update("申请信息公开要收费吗", user_id=777000111))
    [text] = tg.texts()
    assert "不收费" in text
    [row] = tg.store.enquiries()
    assert row["channel"] == "telegram" and row["entry_id"] == "fee-free"
    assert row["user_ref"] == tg.store.user_ref("telegram", 777000111) and "777000111" not in row["user_ref"]


def test_clarify_then_click_edits_the_message(tg, settings):
    tg.feed(message_update("期限"))
    [call] = tg.sent()
    choices = buttons(call)
    assert call.text.startswith("您想问的是下面哪一个") and settings.office_phone in call.text
    assert len(choices) >= 2
    title, data = choices[0]
    entry_id = EntryCallback.unpack(data).id
    tg.feed(callback_update(data, message_id=500))
    [edit] = tg.sent("editMessageText")
    assert edit.message_id == 500 and title in edit.text
    assert len(tg.sent()) == 1  # no new message piled up
    assert tg.sent("answerCallbackQuery")
    assert entry_id


def test_documents_near_one_asked_for_are_listed_under_the_choices(tg):
    tg.feed(message_update("烟花爆竹零售点审批结果在哪公示"))
    [call] = tg.sent()
    assert texts.CLARIFY_DOCUMENTS_HEADER in call.text and "2009年春节烟花爆竹零售网点许可名单公告" in call.text
    assert EntryCallback.unpack(buttons(call)[0][1]).id == "enterprise-records"


def test_a_short_question_after_an_answer_asks_of_its_subject(tg):
    tg.feed(message_update("能直接上法院告不", user_id=777000111))
    tg.feed(message_update("有时间限制没", user_id=777000111))
    assert [row["entry_id"] for row in tg.store.enquiries()] == ["litigation", "review-before-suit"]  # newest first
    assert "6个月" in tg.texts()[-1]


def test_not_it_after_an_answer_offers_the_others_as_buttons_and_waits_for_staff(tg):
    tg.feed(message_update("申请<b>要多久</b>", user_id=777000111))
    tg.feed(message_update("不是这个", user_id=777000111))
    call = tg.sent()[-1]
    assert call.text.startswith("抱歉，没有答到您想问的。您问的“申请&lt;b&gt;要多久&lt;/b&gt;”，是下面哪一个？请点选。")
    offered = [EntryCallback.unpack(data).id for _, data in buttons(call)]
    assert offered and "deadline" not in offered
    newest = tg.store.enquiries()[0]  # the question again, not answered, in its own words
    assert newest["outcome"] == "clarify" and newest["typed"] == "申请<b>要多久</b>"


def test_an_answer_has_a_button_that_says_it_missed_and_offers_the_others(tg):
    tg.feed(message_update("多久答复", user_id=777000111))
    answer = tg.sent()[-1]
    label, data = buttons(answer)[-1]
    assert label == texts.MISSED_BUTTON and MissedCallback.unpack(data)
    tg.feed(callback_update(data, message_id=600, user_id=777000111, buttons=buttons(answer)))
    offered = tg.sent()[-1]  # a new message: the answer stays
    assert offered.text.startswith("抱歉，没有答到您想问的。您问的“多久答复”，是下面哪一个？请点选。")
    ids = [EntryCallback.unpack(d).id for _, d in buttons(offered)]
    assert ids and "deadline" not in ids  # and no button that says the list offered instead missed
    [edit] = tg.sent("editMessageReplyMarkup")  # the button said once goes, the others stay
    assert edit.message_id == 600 and data not in str(edit.reply_markup)
    assert [b.text for row in edit.reply_markup.inline_keyboard for b in row] == [b[0] for b in buttons(answer)[:-1]]
    newest = tg.store.enquiries()[0]  # the question again, not answered, for staff to teach
    assert newest["outcome"] == "clarify" and newest["typed"] == "多久答复"
    # A choice picked from the list is what the citizen chose: no button says it missed.
    tg.feed(callback_update(buttons(offered)[0][1], message_id=601, user_id=777000111))
    assert texts.MISSED_BUTTON not in str(tg.sent("editMessageText")[-1].reply_markup)


def test_a_list_has_a_none_of_these_button_and_a_stale_one_says_so(tg, settings):
    tg.feed(message_update("期限", user_id=777000111))
    listed = tg.sent()[-1]
    shown = [EntryCallback.unpack(d).id for _, d in buttons(listed)[:-1]]
    label, data = buttons(listed)[-1]
    assert label == texts.NONE_BUTTON
    tg.feed(callback_update(data, message_id=610, user_id=777000111))
    more = tg.sent()[-1]
    assert "您问的“期限”，是下面哪一个？请点选。" in more.text
    assert not {EntryCallback.unpack(d).id for _, d in buttons(more)} & set(shown)
    tg.feed(callback_update(MissedCallback(token="0123456789").pack(), message_id=611))  # after a restart
    assert tg.sent("answerCallbackQuery")[-1].text == texts.CHOICE_GONE


def test_a_missed_answer_with_nothing_else_likely_is_asked_to_be_put_otherwise(tg, settings, monkeypatch):
    monkeypatch.setattr(Answerer, "instead", lambda self, missed: None)
    tg.feed(message_update("how long does a reply take", user_id=777000111))
    label, data = buttons(tg.sent()[-1])[-1]
    assert label == texts.MISSED_BUTTON_EN
    tg.feed(callback_update(data, message_id=620, user_id=777000111))
    assert tg.sent()[-1].text == texts.NOT_IT_EN.format(office_phone=settings.office_phone)
    assert tg.store.enquiries()[0]["typed"] == texts.MISSED_SAYS_EN


def test_a_list_offered_in_english_is_answered_in_english_when_clicked(tg):
    tg.feed(message_update("where to apply"))
    [call] = tg.sent()
    assert call.text.startswith("Which of these do you mean?")
    title, data = buttons(call)[0]
    assert title.isascii() and EntryCallback.unpack(data).en
    tg.feed(callback_update(data, message_id=500))
    [edit] = tg.sent("editMessageText")
    assert title in edit.text and "Article" in edit.text


def test_a_pointer_in_an_answer_is_a_button_that_asks_it(tg):
    tg.feed(message_update("申请信息公开要收费吗", user_id=777000111))
    [call] = tg.sent()
    assert "可问“什么是信息处理费”" in call.text  # the text stays as the guide wrote it
    [(label, data), (missed, _)] = buttons(call)
    assert label == texts.TG_ASK.format(question="什么是信息处理费") and missed == texts.MISSED_BUTTON
    assert AskCallback.unpack(data).q == "什么是信息处理费"
    tg.feed(callback_update(data, message_id=600, user_id=777))
    answered = tg.sent()[-1]
    assert len(tg.sent()) == 2 and not tg.sent("editMessageText")  # a new message: the first answer stays
    assert answered.text.startswith("<b>什么是信息处理费</b>") and "信息处理费是" in answered.text
    assert [r["entry_id"] for r in tg.store.enquiries()] == ["fee-processing", "fee-free"]


def test_an_answer_on_how_to_apply_says_how_to_apply_here(tg):
    tg.feed(message_update("怎么申请政府信息公开？有哪些申请方式？"))
    tg.feed(message_update("申请信息公开要收费吗"))
    how, fee = tg.texts()
    assert texts.TG_APPLY_HERE in how and "/apply" in how and texts.TG_APPLY_HERE not in fee


def test_a_pointer_too_long_for_callback_data_gets_no_button():
    from bot.channels.telegram.handlers import ask_markup

    assert ask_markup(["长" * 30]) is None and ask_markup([]) is None
    assert ask_markup(["a:b"]) is None  # the callback data's separator
    markup = ask_markup(["怎么申请", "长" * 30])
    assert markup is not None and [b.text for row in markup.inline_keyboard for b in row] == ["问：怎么申请"]


def test_fallback_gives_contacts(tg, settings):
    tg.feed(message_update("明天会下雨吗"))
    assert settings.office_phone in tg.texts()[0]


def test_guide_sections_then_entries_then_answer(tg, knowledge):
    tg.feed(message_update("/guide"))
    sections = buttons(tg.sent()[0])
    assert [t for t, _ in sections] == knowledge.sections
    fees = next(d for t, d in sections if t == "收费")
    tg.feed(callback_update(fees, message_id=10))
    entries = buttons(tg.sent("editMessageText")[-1])
    assert entries[-1][0] == texts.BACK
    tg.feed(callback_update(entries[0][1], message_id=10))
    assert "收费" in tg.sent("editMessageText")[-1].text


def test_catalogue_browse_pages(tg):
    tg.feed(message_update("/catalogue"))
    assert "123" in tg.texts()[0]
    tg.feed(callback_update(BrowseCallback(by="k", n=-1).pack(), message_id=20))
    categories = buttons(tg.sent("editMessageText")[-1])
    other = next(d for t, d in categories if t == "其他信息")
    tg.feed(callback_update(other, message_id=20))
    page1 = tg.sent("editMessageText")[-1]
    assert "其他信息】共 92 条，第 1/19 页" in page1.text and "索引号" not in page1.text
    assert "ZDAJ-04-2009-" in page1.text and "http://www.zdaj.example/" in page1.text
    nav = dict(buttons(page1))
    assert texts.PREVIOUS not in nav and texts.NEXT in nav
    tg.feed(callback_update(nav[texts.NEXT], message_id=20))
    page2 = tg.sent("editMessageText")[-1]
    assert "第 2/19 页" in page2.text and texts.PREVIOUS in dict(buttons(page2))


def test_catalogue_by_column(tg):
    tg.feed(callback_update(BrowseCallback(by="c", n=-1).pack(), message_id=21))
    columns = [t for t, _ in buttons(tg.sent("editMessageText")[-1])]
    assert "重大危险源" in columns and "安全动态" in columns


def test_search_pages(tg):
    tg.feed(message_update("/search 安全"))
    first = tg.sent()[-1]
    assert "“安全”的搜索结果，第 1 页" in first.text
    nav = dict(buttons(first))
    tg.feed(callback_update(nav[texts.NEXT], message_id=30))
    assert "第 2 页" in tg.sent("editMessageText")[-1].text


def test_expired_search_says_so(tg):
    tg.feed(callback_update(SearchCallback(token="0123456789", page=1).pack(), message_id=31))
    [answer] = tg.sent("answerCallbackQuery")
    assert answer.text == texts.SEARCH_EXPIRED


@pytest.mark.parametrize("data", ["e:no-such-entry", "s:99", "b:k:99:0", "garbage", "e"])
def test_forged_or_stale_buttons_are_refused_politely(tg, data):
    tg.feed(callback_update(data, message_id=40))
    [answer] = tg.sent("answerCallbackQuery")
    assert answer.text == texts.CHOICE_GONE and answer.show_alert
    assert not tg.sent("editMessageText")


def test_inline_mode_lists_catalogue_items(tg):
    tg.feed(inline_update("安全生产月"))
    [call] = tg.sent("answerInlineQuery")
    assert call.results and "安全生产月" in call.results[0].title
    assert all(len(r.id.encode()) <= 64 for r in call.results)
    tg.feed(inline_update(""))
    assert len(tg.sent("answerInlineQuery")[-1].results) == 20


@pytest.mark.parametrize(
    "update", [photo_update(), sticker_update(), voice_update(), location_update(), contact_update(), document_update()]
)
def test_non_text_messages_get_a_helpful_reply(tg, update):
    tg.feed(update)
    assert tg.texts() == [texts.NON_TEXT]


def test_edited_message_is_answered_again(tg):
    tg.feed(edited_message_update("申请要收费吗", message_id=5))
    assert "不收费" in tg.texts()[0]


def test_group_chatter_is_ignored_but_mentions_are_answered(tg):
    tg.feed(message_update("大家好，今天开会", chat_id=-100, chat_type="supergroup"))
    tg.feed(photo_update(chat_id=-100, chat_type="supergroup"))
    assert tg.texts() == []
    tg.feed(message_update("@gongkai_test_bot 申请要收费吗", chat_id=-100, chat_type="supergroup"))
    assert "不收费" in tg.texts()[0]


def test_user_text_is_escaped(tg):
    tg.feed(message_update("/search <script>alert(1)</script>"))
    text = tg.texts()[0]
    assert "<script>" not in text and "&lt;script&gt;" in text


# --- how it behaves -----------------------------------------------------------------------------------


def test_throttling_notices_once_then_recovers(tg, settings):
    limit = settings.telegram_throttle_messages
    tg.feed(*(message_update("收费吗", user_id=9) for _ in range(limit + 5)))
    sent = tg.texts()
    assert len(sent) == limit + 1 and sent[-1] == texts.THROTTLED
    tg.feed(message_update("收费吗", user_id=10))  # other users are not affected
    assert len(tg.texts()) == limit + 2
    tg.clock.now += settings.telegram_throttle_seconds
    tg.feed(message_update("收费吗", user_id=9))
    assert "不收费" in tg.texts()[-1]


def test_the_same_update_is_handled_once(tg):
    update = message_update("申请要收费吗")
    tg.feed(update, update)
    assert len(tg.texts()) == 1 and len(tg.store.enquiries()) == 1


def test_blocked_user_is_logged_not_retried(tg, caplog):
    caplog.set_level(logging.INFO)
    tg.session.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    tg.feed(message_update("收费吗"))
    assert len(tg.sent()) == 1 and tg.sleeps == []
    assert "blocked" in caplog.text


def test_429_waits_retry_after_then_sends(tg):
    tg.session.fail("sendMessage", 429, retry_after=3)
    tg.feed(message_update("收费吗"))
    assert tg.sleeps == [3] and len(tg.sent()) == 2 and "不收费" in tg.texts()[-1]


def test_server_error_retries_an_edit_with_backoff(tg):
    tg.session.fail("editMessageText", 502, "Bad Gateway", times=2)
    tg.feed(callback_update(SectionCallback(n=0).pack(), message_id=50))
    assert len(tg.sent("editMessageText")) == 3 and tg.sleeps == [0.5, 1.0]


def test_a_message_is_not_resent_after_a_server_error(tg, caplog):
    # It may have reached the citizen: sending it again could duplicate it. The errors
    # handler logs the update id and apologises.
    tg.session.fail("sendMessage", 500, "Internal Server Error")
    tg.feed(message_update("收费吗", update_id=4242))
    assert tg.sleeps == []
    assert "update 4242" in caplog.text
    assert tg.texts()[-1] == texts.ERROR.format(**tg.dp["answerer"].contacts)


def test_network_error_in_a_handler_is_answered_politely(tg):
    tg.session.fail("editMessageText", TelegramNetworkError, times=3)
    tg.feed(callback_update(SectionCallback(n=0).pack(), message_id=51))
    [answer] = tg.sent("answerCallbackQuery")
    assert answer.show_alert and "出了点问题" in answer.text


def test_commands_are_registered_in_chinese(tg):
    asyncio.run(set_commands(tg.bot))
    [call] = tg.sent("setMyCommands")
    assert {c.command for c in call.commands} == set(texts.TG_COMMANDS)
    assert all(c.description for c in call.commands)


# --- pieces -----------------------------------------------------------------------------------------


def test_long_replies_split_at_line_breaks():
    text = "\n".join(f"第{i}行" + "字" * 50 for i in range(200))
    parts = split_message(text)
    assert len(parts) > 1 and all(len(p) <= MAX_MESSAGE for p in parts)
    assert "\n".join(parts) == text


def test_split_never_cuts_an_entity():
    text = "a" * 4090 + "&amp;" * 10
    parts = split_message(text)
    assert all(len(p) <= MAX_MESSAGE for p in parts) and "".join(parts) == text
    assert not parts[0].endswith("&") and parts[1].startswith("&amp;")


def test_callback_data_fits_64_bytes(knowledge):
    packed = [EntryCallback(id=e.id).pack() for e in knowledge.guide]
    packed += [SectionCallback(n=99).pack(), BrowseCallback(by="k", n=999, page=9999).pack()]
    packed += [SearchCallback(token="0123456789", page=9999).pack(), MissedCallback(token="0123456789").pack()]
    assert max(len(p.encode()) for p in packed) <= 64


# --- the webhook and the real HTTP path ---------------------------------------------------------------


def test_webhook_checks_the_secret(answerer, store, settings):
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    async def main() -> tuple[int, ...]:
        bot = make_bot()
        dp = build_dispatcher(Services.of(answerer, store, settings), settings)
        app = web.Application()
        add_webhook(app, dp, bot, "s3cret")
        update = message_update("收费吗").model_dump(mode="json", exclude_none=True)
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            good = await client.post(WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
            bad = await client.post(WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
            missing = await client.post(WEBHOOK_PATH, json=update)
            junk = await client.post(
                WEBHOOK_PATH, data=b"{not json", headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            )
            await bot.session.recorded("sendMessage")  # the update is handled in the background
        return good.status, bad.status, missing.status, junk.status, len(bot.session.calls("sendMessage"))

    assert asyncio.run(main()) == (200, 403, 403, 400, 1)


def test_polling_bot_as_a_subprocess_against_a_fake_bot_api(tmp_path):
    api = FakeBotAPI()
    base = api.start_in_thread()
    env = gongkai_env(tmp_path / "bot.db", telegram_token="42:TEST", telegram_api_base=base)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        asyncio.run(api.wait_for("getUpdates", timeout=60))
        api.push_update(message_update("请问申请信息公开要收费吗").model_dump(mode="json", exclude_none=True))
        api.push_update(message_update("期限").model_dump(mode="json", exclude_none=True))
        sent = asyncio.run(api.wait_for("sendMessage", count=2, timeout=20))
        assert "不收费" in sent[0]["text"] and sent[0]["parse_mode"] == "HTML"
        assert sent[1]["reply_markup"]["inline_keyboard"]
        assert api.calls_of("setMyCommands") and api.calls_of("deleteWebhook")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            output = process.communicate(timeout=20)[0].decode()
        finally:
            process.kill()
            api.stop()
    assert process.returncode == 0, output
    assert "不收费" not in output  # logs carry ids and outcomes, not what was said


def test_a_refused_token_is_one_line_not_a_traceback(tmp_path):
    api = FakeBotAPI()
    base = api.start_in_thread()
    api.fail("getMe", 401, "Unauthorized")
    env = gongkai_env(tmp_path / "b.db", telegram_token="42:WRONG", telegram_api_base=base)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
    finally:
        api.stop()
    assert done.returncode == 1
    assert "Error: Telegram refused GONGKAI_TELEGRAM_TOKEN" in done.stderr and "Traceback" not in done.stderr


def test_a_question_takes_no_thread_hop(tg, monkeypatch):
    # aiogram runs a synchronous filter (a magic F filter, a bare State) in a worker thread: on
    # the path every question takes, that hop cost a third of the throughput. Keep it off it.
    import aiogram.dispatcher.event.handler as handler

    hops: list[object] = []

    async def to_thread(fn, *args, **kwargs):
        hops.append(fn)
        return fn(*args, **kwargs)

    monkeypatch.setattr(handler.asyncio, "to_thread", to_thread)
    tg.feed(message_update("申请公开要收费吗"), callback_update(EntryCallback(id="fee-free").pack(), message_id=5))
    assert "不收费" in tg.texts()[0]
    assert hops == []
