"""Applications for information on Telegram: ``/apply`` and the dialogue's steps, as messages and
buttons. The steps and their rules are the conversation layer's (``services.applying``); the FSM
only keeps the form; this module only translates."""

from __future__ import annotations

import contextlib

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from ... import texts
from ...services.applying import (
    ApplicationDialogue,
    ApplicationForm,
    Applied,
    Ask,
    Complaint,
    Confirmed,
    Dropped,
    Step,
    correct,
)
from ...services.conversation import Conversation
from .complaints import _show, keyboard
from .render import html

CHANNEL = "telegram"


class ApplyCallback(CallbackData, prefix="ap"):
    """A button of the application dialogue: the option's value at the step shown."""

    step: str
    value: str


class Applying(StatesGroup):
    step = State()


def markup(ask: Ask) -> InlineKeyboardMarkup | None:
    if not ask.options:
        return None
    return keyboard([[(label, ApplyCallback(step=ask.step, value=value))] for value, label in ask.options])


def application_router() -> Router:
    """``/apply`` and the dialogue. Joins before the questions router's catch-all, beside the
    complaint form: a message in the middle of the dialogue is the dialogue's."""
    router = Router(name="applications")
    router.message.register(cancel, Command("cancel"), StateFilter(Applying.step))
    router.message.register(start, Command("apply"))
    router.message.register(correction, Command("correct"))
    router.message.register(typed, StateFilter(Applying.step), F.text, ~F.text.startswith("/"))
    router.message.register(not_text, StateFilter(Applying.step), ~F.text)
    router.callback_query.register(pressed, StateFilter(Applying.step), ApplyCallback.filter())
    router.callback_query.register(gone, ApplyCallback.filter())
    return router


async def _form(state: FSMContext) -> ApplicationForm:
    return ApplicationForm.from_dict((await state.get_data()).get("application") or {})


async def _answer(
    message: Message,
    state: FSMContext,
    applying: ApplicationDialogue,
    conversation: Conversation,
    form: ApplicationForm,
    said: Step,
    key: str,
) -> None:
    """Show what the dialogue said; file on confirmation (``key`` names the submission)."""
    if isinstance(said, Confirmed):
        chat = message.chat.id
        said = await applying.submit(form, channel=CHANNEL, chat_id=chat, user_id=chat, dedupe_key=key)
    if isinstance(said, Ask):
        await state.set_state(Applying.step)
        await state.set_data({"application": form.as_dict()})
        await message.answer(html(said.text), reply_markup=markup(said))
        return
    await state.clear()
    if isinstance(said, Complaint):  # 第39条: the complaint form, its text already written
        await _show(message, state, *conversation.told(said.kind, form.fields.get("description", "")))
        return
    if isinstance(said, Applied | Dropped):
        await message.answer(html(said.text))


async def start(message: Message, state: FSMContext, applying: ApplicationDialogue) -> None:
    form, ask = applying.start()
    await state.set_state(Applying.step)
    await state.set_data({"application": form.as_dict()})
    await message.answer(html(ask.text), reply_markup=markup(ask))


async def typed(message: Message, state: FSMContext, applying: ApplicationDialogue, conversation: Conversation) -> None:
    form = await _form(state)
    said = await applying.step(form, message.text)
    key = f"{CHANNEL}:{message.chat.id}:{message.message_id}"
    await _answer(message, state, applying, conversation, form, said, key)


async def not_text(
    message: Message, state: FSMContext, applying: ApplicationDialogue, conversation: Conversation
) -> None:
    form = await _form(state)
    await _answer(message, state, applying, conversation, form, await applying.step(form, None), "")


async def pressed(
    callback: CallbackQuery,
    callback_data: ApplyCallback,
    state: FSMContext,
    applying: ApplicationDialogue,
    conversation: Conversation,
) -> None:
    await callback.answer()
    message = callback.message
    if not isinstance(message, Message):
        return
    form = await _form(state)
    if callback_data.step != form.step:  # a button of an earlier step
        await message.answer(texts.APPLY_PICK)
        return
    with contextlib.suppress(TelegramBadRequest):
        await message.edit_reply_markup(reply_markup=None)
    said = await applying.choose(form, callback_data.value)
    # The confirming button's message names the submission: a redelivered press files once.
    key = f"{CHANNEL}:{message.chat.id}:application:{message.message_id}"
    await _answer(message, state, applying, conversation, form, said, key)


async def correction(message: Message, applying: ApplicationDialogue) -> None:
    """``/correct 编号 内容``: the applicant's corrected application."""
    said = await correct(applying.applications, message.text or "", channel=CHANNEL, chat_id=message.chat.id)
    await message.answer(html(said))


async def gone(callback: CallbackQuery) -> None:
    await callback.answer(texts.FORM_EXPIRED, show_alert=True)


async def cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(texts.CANCELLED)
