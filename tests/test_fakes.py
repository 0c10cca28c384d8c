"""The test doubles in tests/fakes.py work with aiogram's real Bot, sessions and Dispatcher.

No project code here: these tests pin the doubles themselves, so that a failing channel test
points at the channel and not at its fakes.
"""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import SendMessage
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from tests import fakes
from tests.fakes import FakeBotAPI, make_bot, message_update

KEYBOARD = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="是", callback_data="yes")]])


def run(coroutine):
    return asyncio.run(coroutine)


def http_bot(api: FakeBotAPI) -> Bot:
    return make_bot(AiohttpSession(api=TelegramAPIServer.from_base(api.base_url)))


def echo_dispatcher() -> Dispatcher:
    router = Router()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text)

    @router.callback_query(F.data == "yes")
    async def confirm(callback: CallbackQuery) -> None:
        await callback.answer("好的")
        await callback.message.edit_text("已确认")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


# RecordingSession


def test_recording_session_records_and_answers_send_message():
    bot = make_bot()

    first = run(bot.send_message(5, "你好", reply_markup=KEYBOARD))
    second = run(bot.send_message(5, "再见"))

    [request, _] = bot.session.calls("sendMessage")
    assert isinstance(request, SendMessage)
    assert (request.chat_id, request.text) == (5, "你好")
    assert (first.chat.id, first.text) == (5, "你好")
    # Results are bound to the bot (a private `_bot` on every object), so they never == a fresh model.
    assert first.reply_markup.model_dump() == KEYBOARD.model_dump()
    assert second.message_id == first.message_id + 1
    assert first.from_user.id == bot.id == fakes.BOT_ID


def test_recording_session_answers_get_me_and_bool_methods():
    bot = make_bot()

    me = run(bot.get_me())

    assert (me.id, me.is_bot) == (fakes.BOT_ID, True)
    assert run(bot.send_chat_action(5, "typing")) is True
    assert run(bot.delete_webhook()) is True
    assert [r.__api_method__ for r in bot.session.requests] == ["getMe", "sendChatAction", "deleteWebhook"]


@pytest.mark.parametrize(
    ("status", "exception"),
    [
        (400, TelegramBadRequest),
        (403, TelegramForbiddenError),
        (409, TelegramConflictError),
        (429, TelegramRetryAfter),  # retry_after defaults to 1, as Telegram always sends one
        (500, TelegramServerError),
        (502, TelegramServerError),
    ],
)
def test_queued_status_raises_aiogram_exception(status, exception):
    bot = make_bot()
    bot.session.fail("sendMessage", status)

    with pytest.raises(exception):
        run(bot.send_message(5, "你好"))
    assert run(bot.send_message(5, "你好")).text == "你好"  # only the next call fails


def test_queued_403_keeps_telegrams_description():
    bot = make_bot()
    bot.session.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")

    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        run(bot.send_message(5, "你好"))


def test_queued_429_raises_retry_after_the_given_times():
    bot = make_bot()
    bot.session.fail("sendMessage", 429, retry_after=1, times=2)

    for _ in range(2):
        with pytest.raises(TelegramRetryAfter) as raised:
            run(bot.send_message(5, "你好"))
        assert raised.value.retry_after == 1
    run(bot.send_message(5, "你好"))
    assert len(bot.session.calls("sendMessage")) == 3


@pytest.mark.parametrize(
    "error",
    [
        TelegramNetworkError,
        TelegramNetworkError(method=SendMessage(chat_id=5, text="x"), message="Request timeout error"),
        lambda method: TelegramNetworkError(method=method, message="Request timeout error"),
    ],
    ids=["class", "instance", "factory"],
)
def test_queued_exception_is_raised(error):
    bot = make_bot()
    bot.session.fail("sendMessage", error)

    with pytest.raises(TelegramNetworkError, match="timeout"):
        run(bot.send_message(5, "你好"))


def test_dispatcher_echo_through_feed_update():
    bot, dispatcher = make_bot(), echo_dispatcher()

    run(dispatcher.feed_update(bot, message_update("你好", user_id=7)))

    [answer] = bot.session.calls("sendMessage")
    assert (answer.chat_id, answer.text) == (7, "你好")


def test_dispatcher_callback_answers_and_edits():
    bot, dispatcher = make_bot(), echo_dispatcher()

    run(dispatcher.feed_update(bot, fakes.callback_update("yes", message_id=12, message_text="确认吗？")))

    [answer] = bot.session.calls("answerCallbackQuery")
    [edit] = bot.session.calls("editMessageText")
    assert answer.text == "好的"
    assert (edit.message_id, edit.text) == (12, "已确认")


@pytest.mark.parametrize(
    ("build", "event_type", "content_type"),
    [
        (lambda: message_update("你好"), "message", "text"),
        (lambda: fakes.photo_update(caption="证件"), "message", "photo"),
        (fakes.sticker_update, "message", "sticker"),
        (fakes.voice_update, "message", "voice"),
        (fakes.location_update, "message", "location"),
        (fakes.contact_update, "message", "contact"),
        (fakes.document_update, "message", "document"),
        (lambda: fakes.edited_message_update("改了", message_id=3), "edited_message", "text"),
        (lambda: fakes.callback_update("yes", message_id=3), "callback_query", None),
        (lambda: fakes.inline_update("公开"), "inline_query", None),
    ],
)
def test_update_builders(build, event_type, content_type):
    first, second = build(), build()

    assert first.event_type == event_type
    assert second.update_id > first.update_id
    if content_type is not None:
        assert first.event.content_type == content_type


def test_message_update_in_a_group_and_with_a_command():
    update = message_update("/start abc", user_id=3, chat_type="supergroup", update_id=99)

    assert update.update_id == 99
    assert (update.message.chat.type, update.message.from_user.id) == ("supergroup", 3)
    assert update.message.entities[0].type == "bot_command"


# FakeBotAPI


def test_http_get_me_and_send_message_with_keyboard():
    async def scenario():
        async with FakeBotAPI() as api:
            bot = http_bot(api)
            me = await bot.get_me()
            sent = await bot.send_message(5, "你好", reply_markup=KEYBOARD)
            digits = await bot.send_message(5, "42")
            await bot.session.close()
            return api, me, sent, digits

    api, me, sent, digits = run(scenario())

    assert me.id == fakes.BOT_ID
    assert (sent.chat.id, sent.text) == (5, "你好")
    assert sent.reply_markup.model_dump() == KEYBOARD.model_dump()
    assert digits.message_id == sent.message_id + 1
    first, second = api.calls_of("sendMessage")
    assert first["chat_id"] == 5
    assert first["reply_markup"] == {"inline_keyboard": [[{"text": "是", "callback_data": "yes"}]]}
    assert second["text"] == "42"  # a text field stays a string even when it looks like JSON


def test_http_polling_answers_a_pushed_update_and_stops():
    async def scenario():
        async with FakeBotAPI() as api:
            bot, dispatcher = http_bot(api), echo_dispatcher()
            polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False))
            await api.wait_for("getUpdates")
            api.push_update(message_update("你好", user_id=7))
            [answer] = await api.wait_for("sendMessage")
            started = time.monotonic()
            await dispatcher.stop_polling()
            await asyncio.wait_for(polling, 3)
            return api, answer, time.monotonic() - started

    api, answer, stopping = run(scenario())

    assert (answer["chat_id"], answer["text"]) == (7, "你好")
    assert stopping < 3
    assert api.calls_of("getMe")


def test_http_long_poll_times_out_empty_and_offset_confirms():
    async def scenario():
        async with FakeBotAPI() as api:
            bot = http_bot(api)
            started = time.monotonic()
            empty = await bot.get_updates(timeout=1)
            waited = time.monotonic() - started
            message = message_update("一").message.model_dump(mode="json", by_alias=True, exclude_none=True)
            first = api.push_update({"message": message})  # a plain dict gets the next update_id
            api.push_update(message_update("二"))
            pending = await bot.get_updates(timeout=0)
            after = await bot.get_updates(offset=pending[-1].update_id + 1, timeout=0)
            await bot.session.close()
            return empty, waited, first, pending, after

    empty, waited, first, pending, after = run(scenario())

    assert empty == []
    assert 0.9 < waited < 3
    assert first["update_id"] == 1
    assert [update.message.text for update in pending] == ["一", "二"]
    assert after == []


def test_http_long_poll_wakes_on_push():
    async def scenario():
        async with FakeBotAPI() as api:
            bot = http_bot(api)
            poll = asyncio.create_task(bot.get_updates(timeout=10))
            await api.wait_for("getUpdates")
            started = time.monotonic()
            api.push_update(message_update("醒醒"))
            updates = await asyncio.wait_for(poll, 3)
            await bot.session.close()
            return updates, time.monotonic() - started

    updates, waited = run(scenario())

    assert [update.message.text for update in updates] == ["醒醒"]
    assert waited < 1


def test_http_failures_map_to_aiogram_exceptions():
    async def scenario():
        async with FakeBotAPI() as api:
            bot = http_bot(api)
            api.fail("sendMessage", 429, retry_after=1)
            api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
            with pytest.raises(TelegramRetryAfter) as raised:
                await bot.send_message(5, "你好")
            with pytest.raises(TelegramForbiddenError):
                await bot.send_message(5, "你好")
            sent = await bot.send_message(5, "你好")
            await bot.session.close()
            return raised.value, sent

    retry, sent = run(scenario())

    assert retry.retry_after == 1
    assert sent.text == "你好"


def test_http_webhook_blocks_get_updates_until_deleted():
    async def scenario():
        async with FakeBotAPI() as api:
            bot = http_bot(api)
            await bot.set_webhook("https://example.invalid/hook")
            info = await bot.get_webhook_info()
            with pytest.raises(TelegramConflictError):
                await bot.get_updates()
            api.push_update(message_update("旧"))
            await bot.delete_webhook(drop_pending_updates=True)
            updates = await bot.get_updates()
            await bot.session.close()
            return info, updates

    info, updates = run(scenario())

    assert info.url == "https://example.invalid/hook"
    assert updates == []


def test_http_server_in_a_thread_serves_another_loop():
    api = FakeBotAPI()
    base_url = api.start_in_thread()
    try:

        async def poll():
            bot = make_bot(AiohttpSession(api=TelegramAPIServer.from_base(base_url)))
            poll = asyncio.create_task(bot.get_updates(timeout=5))
            await api.wait_for("getUpdates")
            api.push_update(message_update("线程"))  # from this thread, not the server's
            updates = await asyncio.wait_for(poll, 3)
            await bot.session.close()
            return updates

        updates = run(poll())
    finally:
        api.stop()

    assert base_url.startswith("http://127.0.0.1:")
    assert [update.message.text for update in updates] == ["线程"]


def test_http_accepts_json_bodies_and_get_queries_and_rejects_bad_tokens():
    async def scenario():
        async with FakeBotAPI() as api, aiohttp.ClientSession() as client:
            bot_url = f"{api.base_url}/bot{fakes.TOKEN}"
            async with client.post(f"{bot_url}/sendMessage", json={"chat_id": 5, "text": "你好"}) as response:
                sent = await response.json()
            async with client.get(f"{bot_url}/getUpdates", params={"timeout": "0", "limit": "5"}) as response:
                updates = await response.json()
            async with client.post(f"{api.base_url}/botnot-a-token/getMe") as response:
                rejected = response.status, await response.json()
            return api, sent, updates, rejected

    api, sent, updates, rejected = run(scenario())

    assert sent["result"]["text"] == "你好"
    assert updates == {"ok": True, "result": []}
    assert api.calls_of("getUpdates") == [{"timeout": 0, "limit": 5}]
    assert rejected == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
