"""Complaints on Telegram: the citizen's form and /status, the staff group's buttons and commands,
and the outbox sender that delivers what the supervision log owes (new complaints to staff, staff
replies and closings to citizens).

The steps and rules are the conversation layer's (``services.conversation``) and the core's
(``services.complaints``); this module only translates.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
)
from aiogram.filters import Command, CommandObject, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
)

from ... import texts
from ...services.complaints import (
    EVENTS,
    KINDS,
    RATINGS,
    STAFF,
    STATUSES,
    TOPICS,
    Complaint,
    ComplaintError,
    Complaints,
    Event,
)
from ...services.conversation import (
    AskContact,
    AskText,
    Choose,
    Conversation,
    Done,
    Form,
    Invalid,
    Limited,
    Prompt,
    Summary,
)
from ...services.outbox import Notice, Outbox
from ...services.sender import Failure, Sender, retry_later
from .callbacks import (
    ComplaintStart,
    FormCallback,
    ListCallback,
    RateCallback,
    StaffCallback,
    TopicCallback,
)
from .render import html

log = logging.getLogger(__name__)
CHANNEL = "telegram"
LIST_PAGE = 8
STAFF_COMMANDS = ("complaints", "note", "reopen", "reply", "close")


class ComplaintForm(StatesGroup):
    what = State()
    topic = State()
    contact = State()
    confirm = State()


class StaffReply(StatesGroup):
    text = State()


class IsStaff(Filter):
    """The user is one of the configured staff (``GONGKAI_TELEGRAM_STAFF_IDS``)."""

    async def __call__(self, event: TelegramObject, staff_ids: frozenset[int]) -> bool:
        user = getattr(event, "from_user", None)
        return user is not None and user.id in staff_ids


def _actor(event: Message | CallbackQuery) -> str:
    user = event.from_user
    if user is None:
        return "telegram:?"
    return f"telegram:{user.id} {user.full_name}".strip()


def keyboard(rows: list[list[tuple[str, Any]]]) -> InlineKeyboardMarkup:
    """Inline buttons, row by row, each a (label, CallbackData)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d.pack()) for t, d in row] for row in rows]
    )


# --- rendering -------------------------------------------------------------------------------------


def _contact(complaint: Complaint, *, masked: bool) -> str:
    name = complaint.masked_name if masked else complaint.name
    phone = complaint.masked_phone if masked else complaint.phone
    return " ".join(x for x in (name, phone) if x) or texts.FORM_NO_CONTACT


def staff_card(complaint: Complaint) -> str:
    """A new complaint as the staff group sees it: contact masked."""
    return html(
        texts.STAFF_NEW.format(
            kind=complaint.kind,
            number=complaint.number,
            topic=complaint.topic_label,
            created=complaint.filed_at,
            channel=texts.CHANNELS.get(complaint.channel, complaint.channel),
            due=complaint.due_on,
            text=complaint.text,
            contact=_contact(complaint, masked=True),
        )
    ) + html(f"\n状态：{complaint.status_label}")


def staff_record(complaint: Complaint, events: list[Event]) -> str:
    """The whole record and its history, contact unmasked (for staff only)."""
    head = texts.STAFF_RECORD.format(
        kind=complaint.kind,
        number=complaint.number,
        status=complaint.status_label,
        topic=complaint.topic_label,
        created=complaint.filed_at,
        channel=texts.CHANNELS.get(complaint.channel, complaint.channel),
        due=complaint.due_on,
        contact=_contact(complaint, masked=False),
        rating=RATINGS.get(complaint.rating or "", "—"),
        text=complaint.text,
    )
    trail = [
        texts.STAFF_EVENT.format(
            at=e.at[:16].replace("T", " "), label=e.label, actor=e.actor, text=f"：{e.text}" if e.text else ""
        )
        for e in events
    ]
    return html("\n".join([head, "", *trail]))


def staff_buttons(complaint: Complaint) -> InlineKeyboardMarkup | None:
    """受理 / 回复 / 办结, as far as the status allows them."""
    row = []
    if complaint.status in ("new", "reopened"):
        row.append((texts.STAFF_ACCEPT, StaffCallback(action="accepted", number=complaint.number)))
    if complaint.status != "closed":
        row.append((texts.STAFF_REPLY, StaffCallback(action="replied", number=complaint.number)))
        row.append((texts.STAFF_CLOSE, StaffCallback(action="closed", number=complaint.number)))
    return keyboard([row]) if row else None


# --- the citizen's side ----------------------------------------------------------------------------


def offer_markup(offer: Choose, told: int = 0) -> InlineKeyboardMarkup:
    """The buttons under a complaint reply: file one here (with message ``told`` as its text), or not."""
    return keyboard([[(label, ComplaintStart(kind=value, told=told)) for value, label in offer.options]])


# The messages complaint forms were offered under, kept in the chat's FSM data by message id (the
# last few: an older offer's button still files its own message), until a form begins.
TOLD_KEY, TOLD_KEPT = "told", 3


async def remember_told(state: FSMContext, message_id: int, text: str) -> None:
    """Keep ``text``, the message a complaint form is offered under, for the offer's button."""
    told = dict(list(((await state.get_data()).get(TOLD_KEY) or {}).items())[-(TOLD_KEPT - 1) :])
    await state.update_data({TOLD_KEY: {**told, str(message_id): text}})


# How the form's refusals are said on Telegram, where the citizen has buttons to press.
NOT_TEXT = {
    "what": texts.FORM_WHAT_TEXT_ONLY,
    "contact": texts.FORM_CONTACT_TEXT_ONLY,
    "confirm": texts.FORM_CONFIRM_BUTTONS,
}
INVALID = {
    "too_long": texts.FORM_WHAT_TOO_LONG,
    "topic": texts.FORM_TOPIC_BUTTONS,
    "bad_phone": texts.FORM_CONTACT_BAD_PHONE,
    "no_contact": texts.FORM_CONTACT_TEXT_ONLY,
    "name_too_long": texts.FORM_NAME_TOO_LONG,
    "confirm": texts.FORM_CONFIRM_BUTTONS,
}
STATES = {"what": ComplaintForm.what, "topic": ComplaintForm.topic, "contact": ComplaintForm.contact}


def render(prompt: Prompt) -> tuple[str, InlineKeyboardMarkup | None]:
    """A prompt of the conversation layer as HTML and buttons."""
    if isinstance(prompt, AskText):
        said = texts.FORM_WHAT_TIPOFF if prompt.kind == "举报" else texts.FORM_WHAT
        return html(said.format(limit=prompt.limit)), None
    if isinstance(prompt, Choose):  # the form's topic, after its lead if it has one
        lead = [html(prompt.text)] if prompt.text else []
        if (suggestion := prompt.suggestion) is not None:
            lead.append(html(texts.FORM_TOPIC_SUGGESTED.format(topic=suggestion[1])))
        topics = [
            (texts.FORM_TOPIC_MARK.format(label=label) if key == prompt.suggested else label, TopicCallback(topic=key))
            for key, label in prompt.options
        ]
        return "\n".join([*lead, texts.FORM_TOPIC]), keyboard([[topic] for topic in topics])
    if isinstance(prompt, AskContact):
        said = texts.FORM_DETAIL_ADDED + "\n" + texts.FORM_CONTACT if prompt.added else texts.FORM_CONTACT
        return said, keyboard([[(texts.FORM_SKIP, FormCallback(action="skip"))]])
    if isinstance(prompt, Summary):
        said = texts.FORM_SUMMARY.format(kind=prompt.kind, topic=prompt.topic, text=prompt.text, contact=prompt.contact)
        buttons = [
            (texts.FORM_SUBMIT, FormCallback(action="submit")),
            (texts.FORM_CANCEL, FormCallback(action="cancel")),
        ]
        return html(said), keyboard([buttons])
    if isinstance(prompt, Invalid):
        said = (
            NOT_TEXT.get(prompt.step, texts.FORM_CONFIRM_BUTTONS)
            if prompt.reason == "not_text"
            else INVALID[prompt.reason]
        )
        return html(said.format(length=prompt.length, limit=prompt.limit)), None
    if isinstance(prompt, Done):
        filed = prompt.complaint
        return html(texts.FILED.format(kind=filed.kind, number=filed.number, due=prompt.due)), None
    if isinstance(prompt, Limited):
        return html(prompt.text), None
    return texts.CANCELLED if prompt.busy else texts.NOTHING_TO_CANCEL, None


async def _show(message: Message, state: FSMContext, form: Form, prompt: Prompt) -> None:
    """Keep the form in the FSM (its step as the state) and show the prompt."""
    await state.set_data(form.as_dict())
    await state.set_state(STATES.get(form.step, ComplaintForm.confirm))
    text, markup = render(prompt)
    await message.answer(text, reply_markup=markup)


async def _form(state: FSMContext) -> Form:
    return Form.from_dict(await state.get_data())


def citizen_router() -> Router:
    """The complaint form, ``/complaint`` and ``/status``. Joins before the questions router, so
    that a message in the middle of the form is taken by the form. The steps and their rules are
    the conversation layer's; the FSM only remembers the step."""
    router = Router(name="complaints")
    router.message.register(cancel, Command("cancel"), StateFilter(ComplaintForm, StaffReply))
    router.message.register(complaint, Command("complaint"), F.text.regexp(r"^/complaint(@\w+)?\s*$"))
    router.callback_query.register(start, ComplaintStart.filter())
    router.message.register(what, StateFilter(ComplaintForm.what), F.text, ~F.text.startswith("/"))
    router.message.register(what_not_text, StateFilter(ComplaintForm.what), ~F.text)
    router.callback_query.register(topic, StateFilter(ComplaintForm.topic), TopicCallback.filter())
    router.message.register(not_understood, StateFilter(ComplaintForm.topic), ~F.text.startswith("/"))
    router.message.register(contact, StateFilter(ComplaintForm.contact), F.text, ~F.text.startswith("/"))
    router.message.register(not_understood, StateFilter(ComplaintForm.contact), ~F.text)
    router.callback_query.register(skip, StateFilter(ComplaintForm.contact), FormCallback.filter(F.action == "skip"))
    router.message.register(not_understood, StateFilter(ComplaintForm.confirm), ~F.text.startswith("/"))
    router.callback_query.register(
        cancel_button, StateFilter(ComplaintForm.confirm), FormCallback.filter(F.action == "cancel")
    )
    router.callback_query.register(
        submit, StateFilter(ComplaintForm.confirm), FormCallback.filter(F.action == "submit")
    )
    router.callback_query.register(form_gone, FormCallback.filter())
    router.callback_query.register(form_gone, TopicCallback.filter())
    router.message.register(status, Command("status"))
    router.callback_query.register(rate, RateCallback.filter(F.rating.in_(RATINGS)))
    return router


async def cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(texts.CANCELLED)


async def complaint(message: Message, state: FSMContext, conversation: Conversation) -> None:
    await _show(message, state, *conversation.start("投诉"))


async def start(
    callback: CallbackQuery, callback_data: ComplaintStart, state: FSMContext, conversation: Conversation
) -> None:
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    with contextlib.suppress(TelegramBadRequest):
        await callback.message.edit_reply_markup(reply_markup=None)
    if callback_data.kind not in KINDS:
        await callback.message.answer(texts.COMPLAINT_DECLINED)
        return
    # The message the offer was made under (none for a button from before a restart: then asked).
    told = ((await state.get_data()).get(TOLD_KEY) or {}).get(str(callback_data.told), "")
    await _show(callback.message, state, *conversation.told(callback_data.kind, told))


async def what(message: Message, state: FSMContext, conversation: Conversation) -> None:
    form = await _form(state)
    await _show(message, state, form, conversation.what(form, message.text))


async def what_not_text(message: Message, state: FSMContext, conversation: Conversation) -> None:
    form = await _form(state)
    await _show(message, state, form, conversation.what(form, None))


async def not_understood(message: Message, state: FSMContext, conversation: Conversation) -> None:
    """Something the step cannot take (typed where a button is expected, or not text)."""
    form = await _form(state)
    await _show(message, state, form, conversation.hint(form))


async def topic(
    callback: CallbackQuery, callback_data: TopicCallback, state: FSMContext, conversation: Conversation
) -> None:
    form = await _form(state)
    prompt = conversation.topic(form, callback_data.topic)
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    if not isinstance(prompt, Invalid):
        await callback.message.edit_text(html(f"{texts.FORM_TOPIC}{TOPICS[callback_data.topic]}"))
    await _show(callback.message, state, form, prompt)


async def contact(message: Message, state: FSMContext, conversation: Conversation) -> None:
    form = await _form(state)
    await _show(message, state, form, conversation.contact(form, message.text))


async def skip(callback: CallbackQuery, state: FSMContext, conversation: Conversation) -> None:
    await callback.answer()
    form = await _form(state)
    prompt = conversation.contact(form, None, skip=True)
    if isinstance(callback.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await callback.message.edit_reply_markup(reply_markup=None)
        await _show(callback.message, state, form, prompt)


async def cancel_button(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.edit_text(texts.CANCELLED)


async def submit(callback: CallbackQuery, state: FSMContext, conversation: Conversation) -> None:
    form = await _form(state)
    message = callback.message
    chat_id = message.chat.id if message else callback.from_user.id
    # The number is shown only once the complaint is committed; a double click, or the same
    # update delivered again, names the same summary message and files nothing new.
    key = f"{CHANNEL}:{chat_id}:{message.message_id if message else callback.id}"
    done = await conversation.submit(
        form, channel=CHANNEL, chat_id=chat_id, user_id=callback.from_user.id, dedupe_key=key
    )
    await state.clear()
    await callback.answer()
    text, _ = render(done)
    if isinstance(message, Message):
        await message.edit_text(text)
    else:
        await callback.bot.send_message(chat_id, text)  # type: ignore[union-attr]


async def form_gone(callback: CallbackQuery) -> None:
    await callback.answer(texts.FORM_EXPIRED, show_alert=True)


async def status(message: Message, command: CommandObject, conversation: Conversation) -> None:
    await tell_status(message, command.args or "", conversation)


async def tell_status(message: Message, typed: str, conversation: Conversation) -> None:
    """The status of the number ``typed``: after /status, alone, or in a sentence."""
    found = conversation.status(typed, channel=CHANNEL, chat_id=message.chat.id)
    await message.answer(texts.STATUS_USAGE if found.outcome == "usage" else html(found.text))


async def rate(callback: CallbackQuery, callback_data: RateCallback, conversation: Conversation) -> None:
    chat_id = callback.message.chat.id if callback.message else callback.from_user.id
    rated, said = await conversation.rate(callback_data.number, callback_data.rating, channel=CHANNEL, chat_id=chat_id)
    if not rated:
        await callback.answer(said, show_alert=True)
        return
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=None)
        await callback.message.answer(said)


# --- the staff's side ------------------------------------------------------------------------------


def staff_router() -> Router:
    """Staff buttons and commands. Joins first: a staff member's reply in progress is theirs.

    Everyone else is refused politely, forged buttons included.
    """
    router = Router(name="staff")
    # Only staff reach the handlers below: the filter is on the router, not on each handler.
    staff = Router(name="staff-only")
    staff.message.filter(IsStaff())
    staff.callback_query.filter(IsStaff())
    router.include_router(staff)
    with_number = F.text.regexp(r"^/complaint(@\w+)?\s+\S")

    @router.callback_query(StaffCallback.filter(), ~IsStaff())
    @router.callback_query(ListCallback.filter(), ~IsStaff())
    async def not_staff_button(callback: CallbackQuery) -> None:
        log.warning("staff button refused: user is not staff")
        await callback.answer(texts.ONLY_STAFF, show_alert=True)

    @router.message(Command(*STAFF_COMMANDS), ~IsStaff())
    @router.message(Command("complaint"), with_number, ~IsStaff())
    async def not_staff_command(message: Message) -> None:
        await message.answer(texts.ONLY_STAFF)

    @staff.callback_query(StaffCallback.filter(F.action == "replied"))
    async def reply_button(callback: CallbackQuery, callback_data: StaffCallback, state: FSMContext) -> None:
        await state.set_state(StaffReply.text)
        await state.set_data({"number": callback_data.number})
        await callback.answer()
        if isinstance(callback.message, Message):
            # In a group the bot sees only replies to itself (privacy mode): the prompt opens the
            # reply box for the staff member it mentions, and only for them.
            mention = callback.from_user.mention_html()
            await callback.message.answer(
                mention + " " + html(texts.STAFF_REPLY_PROMPT.format(number=callback_data.number)),
                reply_markup=ForceReply(selective=True, input_field_placeholder="答复内容"),
            )

    @staff.callback_query(StaffCallback.filter(F.action.in_({"accepted", "closed"})))
    async def action_button(callback: CallbackQuery, callback_data: StaffCallback, complaints: Complaints) -> None:
        try:
            complaint = await complaints.aact(callback_data.number, callback_data.action, _actor(callback))
        except ComplaintError as e:
            await callback.answer(str(e), show_alert=True)
            return
        await callback.answer(texts.STAFF_DONE.format(number=complaint.number, label=EVENTS[callback_data.action]))
        if isinstance(callback.message, Message):
            with contextlib.suppress(TelegramBadRequest):
                await callback.message.edit_text(staff_card(complaint), reply_markup=staff_buttons(complaint))

    @staff.message(StateFilter(StaffReply.text), F.text, ~F.text.startswith("/"))
    async def reply_text(message: Message, state: FSMContext, complaints: Complaints) -> None:
        number = (await state.get_data())["number"]
        await _act(message, complaints, number, "replied", message.text or "")
        await state.clear()

    @staff.message(StateFilter(StaffReply.text), ~F.text)
    async def reply_not_text(message: Message) -> None:
        await message.answer(texts.STAFF_REPLY_TEXT_ONLY)

    @staff.message(Command("complaints"))
    async def list_(message: Message, command: CommandObject, complaints: Complaints) -> None:
        status = (command.args or "").strip() or "open"
        text, markup = _list_page(complaints, status, 0)
        await message.answer(text, reply_markup=markup)

    @staff.callback_query(ListCallback.filter())
    async def list_page(callback: CallbackQuery, callback_data: ListCallback, complaints: Complaints) -> None:
        text, markup = _list_page(complaints, callback_data.status, callback_data.page)
        await callback.answer()
        if isinstance(callback.message, Message):
            with contextlib.suppress(TelegramBadRequest):
                await callback.message.edit_text(text, reply_markup=markup)

    @staff.message(Command("complaint"), with_number)
    async def show(message: Message, command: CommandObject, complaints: Complaints) -> None:
        complaint = _find(complaints, (command.args or "").strip())
        if complaint is None:
            await message.answer(html(texts.STATUS_UNKNOWN.format(number=(command.args or "").strip()[:40])))
            return
        await message.answer(
            staff_record(complaint, complaints.events(complaint)), reply_markup=staff_buttons(complaint)
        )

    @staff.message(Command("note", "reopen", "reply", "close"))
    async def act(message: Message, command: CommandObject, complaints: Complaints) -> None:
        number, _, text = (command.args or "").strip().partition(" ")
        action = {"note": "noted", "reopen": "reopened", "reply": "replied", "close": "closed"}[command.command]
        if not number or (action != "closed" and not text.strip()):
            await message.answer(texts.STAFF_USAGE[command.command])
            return
        await _act(message, complaints, number, action, text)

    return router


def _find(complaints: Complaints, typed: str) -> Complaint | None:
    found = complaints.lookup(typed) if typed else None
    return found.complaint if found else None


async def _act(message: Message, complaints: Complaints, typed: str, action: str, text: str) -> None:
    complaint = _find(complaints, typed)
    if complaint is None:
        await message.answer(html(texts.STATUS_UNKNOWN.format(number=typed[:40])))
        return
    try:
        complaint = await complaints.aact(complaint.number, action, _actor(message), text)
    except ComplaintError as e:
        await message.answer(html(str(e)))
        return
    if action == "replied":
        await message.answer(html(texts.STAFF_REPLY_SENT.format(number=complaint.number)))
    else:
        await message.answer(html(texts.STAFF_DONE.format(number=complaint.number, label=EVENTS[action])))


def _list_page(complaints: Complaints, status: str, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    titles = {"open": "未办结的投诉", "overdue": "超期的投诉", "all": "全部投诉"}
    try:
        listed, total = complaints.search(None if status == "all" else status, limit=LIST_PAGE, offset=page * LIST_PAGE)
    except ComplaintError as e:
        return html(str(e)), None
    title = titles.get(status) or f"“{STATUSES[status]}”的投诉"
    if total == 0:
        return html(texts.STAFF_LIST_NONE.format(title=title)), None
    pages = -(-total // LIST_PAGE)
    lines = [texts.STAFF_LIST.format(title=title, total=total, page=page + 1, pages=pages)]
    for c in listed:
        summary = c.text if len(c.text) <= 24 else c.text[:24] + "…"
        lines.append(texts.STAFF_LIST_ITEM.format(number=c.number, status=c.status_label, due=c.due_on, text=summary))
    lines.append("查看详情：/complaint 编号")
    row = []
    if page > 0:
        row.append((texts.PREVIOUS, ListCallback(status=status, page=page - 1)))
    if page + 1 < pages:
        row.append((texts.NEXT, ListCallback(status=status, page=page + 1)))
    return html("\n".join(lines)), keyboard([row]) if row else None


# --- the outbox ------------------------------------------------------------------------------------


class OutboxSender:
    """Telegram's side of the outbox: how a notice is sent, and what Telegram's errors mean.

    A staff group upgraded to a supergroup answers with its new id: the card is sent there, and
    the move remembered for every notice after it (``Outbox.moved``).

    :param staff_chat_id: the staff group (None: complaints are only listed, not posted)
    :param interval: seconds between looks at the outbox when nothing in this process wakes it
    """

    def __init__(self, outbox: Outbox, staff_chat_id: int | None, *, interval: float) -> None:
        self.outbox = outbox
        self.staff_chat_id = staff_chat_id
        self.interval = interval
        self._sender: Sender | None = None

    def sender(self, bot: Bot) -> Sender:
        return Sender(self.outbox, CHANNEL, functools.partial(self.send, bot), classify, interval=self.interval)

    async def deliver(self, bot: Bot) -> int:
        """Send every notice that is due now; how many were sent."""
        return await self.sender(bot).deliver()

    async def send(self, bot: Bot, notice: Notice) -> None:
        complaint = notice.complaint
        if notice.recipient == STAFF:
            if self.staff_chat_id is None:
                return
            staff_chat = int(self.outbox.moved_to(CHANNEL, str(self.staff_chat_id)))
            if complaint is None:
                await self._send(bot, staff_chat, html(notice.text), None)
            else:
                await self._send(bot, staff_chat, staff_card(complaint), staff_buttons(complaint))
            return
        markup = None
        if notice.kind == "closed" and complaint is not None:
            rows = [[(label, RateCallback(number=complaint.number, rating=key)) for key, label in RATINGS.items()]]
            markup = keyboard(rows)
        await self._send(bot, notice.recipient, html(notice.text), markup)

    async def _send(self, bot: Bot, chat_id: int | str, text: str, markup: InlineKeyboardMarkup | None) -> None:
        try:
            await bot.send_message(chat_id, text, reply_markup=markup)
        except TelegramMigrateToChat as e:
            await self.outbox.moved(CHANNEL, str(chat_id), str(e.migrate_to_chat_id))
            await bot.send_message(e.migrate_to_chat_id, text, reply_markup=markup)

    async def start(self, bot: Bot) -> None:
        self._sender = self.sender(bot)
        await self._sender.start()

    async def stop(self) -> None:
        if self._sender is not None:
            await self._sender.stop()


def classify(error: Exception, notice: Notice) -> Failure:
    """A 429 waits as long as Telegram says; a citizen who blocked the bot (403) or a chat that is
    gone (400) is given up on, the staff group retried every 5 minutes, since staff may add the bot
    back; anything else (the network, a 5xx, a proxy's undecodable answer) backs off."""
    if isinstance(error, TelegramRetryAfter):
        return Failure("429", error.retry_after)
    if isinstance(error, TelegramForbiddenError | TelegramBadRequest):
        return Failure(type(error).__name__, 300 if notice.recipient == STAFF else None)
    return retry_later(error, notice)
