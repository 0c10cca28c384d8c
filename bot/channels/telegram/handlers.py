"""The Telegram channel's routers, one per feature, built by factories (a router joins one dispatcher).

Handlers only translate: an update becomes a call on a core service (``answerer``, ``conversation``,
injected by the dispatcher), and its reply becomes HTML with inline buttons.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from typing import Any, Generic, TypeVar

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import Command, CommandObject, CommandStart, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import default_state
from aiogram.types import (
    CallbackQuery,
    ErrorEvent,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultUnion,
    InputTextMessageContent,
    Message,
    Update,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder

from ... import texts
from ...limits import LRU
from ...services.answering import Answerer, Reply, missable, says_missed
from ...services.conversation import Conversation
from ..typed import status_typed
from .callbacks import AskCallback, BrowseCallback, EntryCallback, MissedCallback, SearchCallback, SectionCallback
from .complaints import offer_markup, remember_told, tell_status
from .render import html, item_html, split_message

log = logging.getLogger(__name__)
PAGE = 5
CHANNEL = "telegram"
V = TypeVar("V")


class Memory(Generic[V]):
    """Recent values by a short token, so that a button's callback data fits in 64 bytes: a search
    query to page, an answer to say missed."""

    def __init__(self, size: int = 4096) -> None:
        self._values: LRU[str, V] = LRU(size)

    def remember(self, key: str, value: V) -> str:
        token = hashlib.sha1(key.encode()).hexdigest()[:10]
        self._values[token] = value
        return token

    def recall(self, token: str) -> V | None:
        return self._values.get(token)


class Addressed(Filter):
    """In private chats, every message; in groups, only those that mention the bot or reply to it.

    A bot in a group sees (with privacy mode off) all its chatter: answering each line would be noise.

    :param text: only text messages, and whether commands (True) or other text (False); None: any
      message at all. A filter class rather than ``F.text``: aiogram runs a magic filter in a worker
      thread, a hop that costs more than the check.
    """

    def __init__(self, text: bool | None = None) -> None:
        self.text = text

    async def __call__(self, message: Message, bot: Bot) -> bool:
        if self.text is not None and (message.text is None or message.text.startswith("/") != self.text):
            return False
        if message.chat.type == ChatType.PRIVATE:
            return True
        me = await bot.me()
        replied_to = message.reply_to_message.from_user if message.reply_to_message else None
        if replied_to is not None and replied_to.id == me.id:
            return True
        return bool(me.username and f"@{me.username}".lower() in (message.text or "").lower())


async def send(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Send HTML ``text``, split at Telegram's limit; the buttons go with the last part."""
    parts = split_message(text)
    for number, part in enumerate(parts, 1):
        await message.answer(part, reply_markup=markup if number == len(parts) else None, disable_web_page_preview=True)


def reply_html(
    reply: Reply, contacts: dict[str, str], told: int = 0, missed: Memory[Reply] | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A core reply as HTML and buttons: clarify choices become buttons, not numbers; a complaint
    form offered files message ``told`` (see ``remember_told``). With ``missed``, where it keeps
    the replies a citizen may say missed, an answer not chosen from a list gets a button that says
    it missed (没答到我问的？), a list one that says none of it is it (都不是), under their own.
    (Rows built as lists: a keyboard builder costs more than the rest of the reply's HTML.)"""
    offer = Conversation.offer(reply)
    rows: list[list[InlineKeyboardButton]] = []
    if reply.outcome == "clarify":
        for choice in reply.choices:
            data = EntryCallback(id=choice.id, en=reply.english).pack()
            rows.append([InlineKeyboardButton(text=choice.title, callback_data=data)])
        body = Conversation.choose_prompt(reply, contacts) + Conversation.documents_under(reply)
    else:
        body = reply.text
        if offer is None:
            rows += _asks(reply.asks)
        if offer is None and Conversation.invites_to_apply(reply):
            body += "\n\n" + texts.TG_APPLY_HERE
    if missed is not None and missable(reply):
        label, _ = says_missed(reply.outcome == "clarify", reply.english)
        shown = ",".join(c.id for c in reply.choices) if reply.outcome == "clarify" else reply.entry_id
        token = missed.remember(f"{reply.q}\n{reply.read}\n{shown}\n{reply.english}", reply)
        rows.append([InlineKeyboardButton(text=label, callback_data=MissedCallback(token=token).pack())])
    if offer is not None:  # under an answer or a list for a message that reads somewhat like a complaint
        rows += offer_markup(offer, told).inline_keyboard
        body += "\n\n" + offer.text
    return html(body), InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def ask_markup(asks: list[str]) -> InlineKeyboardMarkup | None:
    """A button for each question an answer points to (``Reply.asks``), which asks it; a wording
    too long for Telegram's 64 bytes of callback data gets none (the answer's text still names it)."""
    rows = _asks(asks)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _asks(asks: list[str]) -> list[list[InlineKeyboardButton]]:
    rows = []
    for question in asks:
        try:
            data = AskCallback(q=question).pack()
        except ValueError:
            continue
        rows.append([InlineKeyboardButton(text=texts.TG_ASK.format(question=question), callback_data=data)])
    return rows


async def ask_pointed(
    callback: CallbackQuery,
    callback_data: AskCallback,
    conversation: Conversation,
    event_update: Update,
    missed: Memory[Reply],
) -> None:
    """A pointer's button: its question asked and answered in a new message (the answer that
    pointed to it stays), recorded like a question typed."""
    await callback.answer()
    if not isinstance(callback.message, Message):
        return
    user_id = callback.from_user.id if callback.from_user else None
    reply = await conversation.ask(callback_data.q, channel=CHANNEL, user_id=user_id)
    log.info("update %s: asked by a pointer: %s %s", event_update.update_id, reply.outcome, reply.entry_id or "-")
    body, markup = reply_html(reply, conversation.contacts, missed=missed)
    await send(callback.message, f"<b>{html(callback_data.q)}</b>\n" + body, markup)


def _pager(make: Any, page: int, pages: int, back: Any | None = None) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    if page > 0:
        builder.button(text=texts.PREVIOUS, callback_data=make(page - 1))
    if page + 1 < pages:
        builder.button(text=texts.NEXT, callback_data=make(page + 1))
    if back is not None:
        builder.button(text=texts.BACK, callback_data=back)
    markup = builder.as_markup()
    return markup if markup.inline_keyboard else None


async def _edit(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the clicked message's text, rather than pile up new messages."""
    if isinstance(callback.message, Message):
        try:
            await callback.message.edit_text(split_message(text)[0], reply_markup=markup, disable_web_page_preview=True)
        except TelegramBadRequest as e:
            if "message is not modified" not in str(e):  # a double click: nothing to change
                raise
    await callback.answer()


# --- commands --------------------------------------------------------------------------------------


def commands_router() -> Router:
    router = Router(name="commands")

    @router.message(CommandStart())
    async def start(message: Message, answerer: Answerer) -> None:
        await message.answer(html((texts.WELCOME + "\n" + texts.PRIVACY).format(**answerer.contacts)))

    @router.message(Command("help"))
    async def help_(message: Message, bot: Bot) -> None:
        me = await bot.me()
        await message.answer(html(texts.TG_HELP.format(username=me.username or "bot")))

    @router.message(Command("contact"))
    async def contact(message: Message, answerer: Answerer) -> None:
        await message.answer(html(texts.CONTACT.format(**answerer.contacts)))

    @router.message(Command("cancel"))
    async def cancel(message: Message, state: FSMContext) -> None:
        had_state = await state.get_state() is not None
        await state.clear()
        await message.answer(texts.CANCELLED if had_state else texts.NOTHING_TO_CANCEL)

    @router.message(Command("forget"))
    async def forget(message: Message, conversation: Conversation) -> None:
        user_id = message.from_user.id if message.from_user else None
        await message.answer(await conversation.forget(channel=CHANNEL, user_id=user_id))

    @router.message(Command("guide"))
    async def guide(message: Message, answerer: Answerer) -> None:
        text, markup = _sections(answerer)
        await message.answer(text, reply_markup=markup)

    @router.message(Command("catalogue"))
    async def catalogue(message: Message, answerer: Answerer) -> None:
        text, markup = _catalogue_menu(answerer)
        await message.answer(text, reply_markup=markup)

    @router.message(Command("search"))
    async def search(message: Message, command: CommandObject, answerer: Answerer, searches: Memory[str]) -> None:
        query = (command.args or "").strip()
        if not query:
            await message.answer(texts.SEARCH_USAGE)
            return
        text, markup = _search_page(answerer, searches, query, 0)
        await send(message, text, markup)

    return router


# --- buttons ---------------------------------------------------------------------------------------


def _sections(answerer: Answerer) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for n, section in enumerate(answerer.matcher.knowledge.sections):
        builder.button(text=section, callback_data=SectionCallback(n=n))
    builder.adjust(2)
    return texts.GUIDE_SECTIONS, builder.as_markup()


def _catalogue_menu(answerer: Answerer) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    builder.button(text=texts.CATALOGUE_BY_CATEGORY, callback_data=BrowseCallback(by="k", n=-1))
    builder.button(text=texts.CATALOGUE_BY_COLUMN, callback_data=BrowseCallback(by="c", n=-1))
    count = len(answerer.matcher.knowledge.catalogue)
    return texts.CATALOGUE_MENU.format(count=count), builder.as_markup()


def _search_page(
    answerer: Answerer, searches: Memory[str], query: str, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    result = answerer.catalogue.search(query, limit=PAGE + 1, offset=page * PAGE)
    has_next = len(result.hits) > PAGE
    hits = result.hits[:PAGE]
    if not hits:
        return html(texts.SEARCH_NONE.format(q=query)), None
    lines = [html(texts.SEARCH_PAGE.format(q=query, page=page + 1))]
    lines += [item_html(h.item, page * PAGE + n) for n, h in enumerate(hits, 1)]
    token = searches.remember(query, query)
    pages = page + 2 if has_next else page + 1
    return "\n\n".join(lines), _pager(lambda p: SearchCallback(token=token, page=p), page, pages)


def buttons_router() -> Router:
    router = Router(name="buttons")

    @router.callback_query(EntryCallback.filter())
    async def entry(callback: CallbackQuery, callback_data: EntryCallback, conversation: Conversation) -> None:
        user_id = callback.from_user.id if callback.from_user else None
        picked = conversation.entry(callback_data.id, english=callback_data.en, channel=CHANNEL, user_id=user_id)
        if picked is None:  # a button from before the guide changed
            await callback.answer(texts.CHOICE_GONE, show_alert=True)
            return
        body, markup = reply_html(picked.reply, conversation.contacts)
        await _edit(callback, f"<b>{html(picked.question)}</b>\n" + body, markup)

    router.callback_query.register(ask_pointed, AskCallback.filter())

    @router.callback_query(SectionCallback.filter(F.n < 0))
    async def sections(callback: CallbackQuery, answerer: Answerer) -> None:
        text, markup = _sections(answerer)
        await _edit(callback, text, markup)

    @router.callback_query(SectionCallback.filter())
    async def section(callback: CallbackQuery, callback_data: SectionCallback, answerer: Answerer) -> None:
        names = answerer.matcher.knowledge.sections
        if callback_data.n >= len(names):
            await callback.answer(texts.CHOICE_GONE, show_alert=True)
            return
        name = names[callback_data.n]
        builder = InlineKeyboardBuilder()
        for e in answerer.matcher.knowledge.guide:
            if e.section == name:
                builder.button(text=e.question, callback_data=EntryCallback(id=e.id))
        builder.button(text=texts.BACK, callback_data=SectionCallback(n=-1))
        builder.adjust(1)
        await _edit(callback, html(texts.GUIDE_SECTION.format(section=name)), builder.as_markup())

    @router.callback_query(BrowseCallback.filter(F.n < 0))
    async def browse_lists(callback: CallbackQuery, callback_data: BrowseCallback, answerer: Answerer) -> None:
        catalogue = answerer.catalogue
        names = catalogue.categories() if callback_data.by == "k" else catalogue.columns()
        builder = InlineKeyboardBuilder()
        for n, name in enumerate(names):
            builder.button(text=name, callback_data=BrowseCallback(by=callback_data.by, n=n))
        builder.adjust(2)
        text, _ = _catalogue_menu(answerer)
        await _edit(callback, text, builder.as_markup())

    @router.callback_query(BrowseCallback.filter())
    async def browse(callback: CallbackQuery, callback_data: BrowseCallback, answerer: Answerer) -> None:
        catalogue = answerer.catalogue
        by, n, page = callback_data.by, callback_data.n, callback_data.page
        names = catalogue.categories() if by == "k" else catalogue.columns()
        if n >= len(names):
            await callback.answer(texts.CHOICE_GONE, show_alert=True)
            return
        name = names[n]
        items = catalogue.browse(category=name) if by == "k" else catalogue.browse(column=name)
        pages = max(1, -(-len(items) // PAGE))
        page = min(page, pages - 1)
        shown = items[page * PAGE : (page + 1) * PAGE]
        head = html(texts.CATALOGUE_LIST.format(name=name, count=len(items), page=page + 1, pages=pages))
        body = [item_html(item, page * PAGE + i) for i, item in enumerate(shown, 1)]
        markup = _pager(lambda p: BrowseCallback(by=by, n=n, page=p), page, pages, BrowseCallback(by=by, n=-1))
        await _edit(callback, "\n\n".join([head, *body]), markup)

    @router.callback_query(MissedCallback.filter())
    async def said_missed(
        callback: CallbackQuery, callback_data: MissedCallback, conversation: Conversation, missed: Memory[Reply]
    ) -> None:
        """没答到我问的？ under an answer, 都不是 under a list: what else its question may be (see
        ``Conversation.instead``), in a new message; the answer stays, without the button."""
        answered = missed.recall(callback_data.token)
        if answered is None or not isinstance(callback.message, Message):
            await callback.answer(texts.CHOICE_GONE, show_alert=True)
            return
        await callback.answer()
        user_id = callback.from_user.id if callback.from_user else None
        reply = await conversation.instead(answered, channel=CHANNEL, user_id=user_id)
        message = callback.message
        if message.reply_markup is not None:  # said once: the button goes
            kept = [
                [b for b in row if b.callback_data != callback.data] for row in message.reply_markup.inline_keyboard
            ]
            with contextlib.suppress(TelegramBadRequest):  # too old to edit, or pressed twice at once
                await message.edit_reply_markup(
                    reply_markup=InlineKeyboardMarkup(inline_keyboard=[r for r in kept if r])
                )
        body, markup = reply_html(reply, conversation.contacts, missed=missed)
        await send(message, body, markup)

    @router.callback_query(SearchCallback.filter())
    async def search_page(
        callback: CallbackQuery, callback_data: SearchCallback, answerer: Answerer, searches: Memory[str]
    ) -> None:
        query = searches.recall(callback_data.token)
        if query is None:
            await callback.answer(texts.SEARCH_EXPIRED, show_alert=True)
            return
        text, markup = _search_page(answerer, searches, query, callback_data.page)
        await _edit(callback, text, markup)

    @router.callback_query()
    async def unknown(callback: CallbackQuery) -> None:
        # Forged or outdated callback data: say so rather than leave the button spinning.
        await callback.answer(texts.CHOICE_GONE, show_alert=True)

    return router


# --- inline mode -----------------------------------------------------------------------------------


def inline_router() -> Router:
    router = Router(name="inline")

    @router.inline_query()
    async def inline(query: InlineQuery, answerer: Answerer) -> None:
        text = query.query.strip()
        if text:
            items = [h.item for h in answerer.catalogue.search(text, limit=20).hits]
        else:
            items = answerer.catalogue.browse()[:20]  # the newest, before anything is typed
        results: list[InlineQueryResultUnion] = [
            InlineQueryResultArticle(
                id=hashlib.sha1(item.index_no.encode()).hexdigest()[:32],
                title=item.title,
                description=" · ".join(x for x in (item.date, item.category, item.index_no) if x),
                url=item.link or None,
                input_message_content=InputTextMessageContent(
                    message_text=html(texts.INLINE_ITEM.format(**vars(item))).strip(),
                    disable_web_page_preview=True,
                ),
            )
            for item in items
        ]
        await query.answer(results, cache_time=60, is_personal=False)

    return router


# --- free text, other messages, errors -------------------------------------------------------------


def questions_router() -> Router:
    router = Router(name="questions")

    # Not in the middle of a form (a complaint, a staff reply): then the text is the form's.
    @router.message(Addressed(text=False), StateFilter(default_state))
    @router.edited_message(Addressed(text=False), StateFilter(default_state))
    async def question(
        message: Message,
        answerer: Answerer,
        conversation: Conversation,
        bot: Bot,
        event_update: Update,
        state: FSMContext,
        missed: Memory[Reply],
    ) -> None:
        text = message.text or ""
        if message.chat.type != ChatType.PRIVATE:
            me = await bot.me()
            text = text.replace(f"@{me.username}", "").strip()
        typed = status_typed(text)
        if typed is not None:  # a tracking number, alone or in a sentence, as on WeChat and the web
            await tell_status(message, typed, conversation)
            return
        user_id = message.from_user.id if message.from_user else None
        reply = await conversation.reply_to(text, channel=CHANNEL, user_id=user_id)
        reply = conversation.with_own_cases(reply, channel=CHANNEL, chat_id=message.chat.id)
        log.info("update %s: %s %s", event_update.update_id, reply.outcome, reply.entry_id or "-")
        body, markup = reply_html(reply, answerer.contacts, message.message_id, missed)
        if Conversation.offer(reply) is not None:
            await remember_told(state, message.message_id, reply.q)
        # The enquiry log's commit and the reply's round trip to Telegram overlap.
        await asyncio.gather(conversation.record(reply, channel=CHANNEL, user_id=user_id), send(message, body, markup))

    return router


def fallback_router() -> Router:
    """What no other router took: unknown commands, photos and the like. Joins last."""
    router = Router(name="fallback")

    @router.message(Addressed(text=True))
    async def unknown_command(message: Message, bot: Bot) -> None:
        me = await bot.me()
        await message.answer(html(texts.TG_HELP.format(username=me.username or "bot")))

    @router.message()
    async def not_text(message: Message) -> None:
        # Photos, stickers, voice, files, locations, contacts: say what works instead, in a
        # private chat; in a group they are the members' business.
        if message.chat.type == ChatType.PRIVATE:
            await message.answer(texts.NON_TEXT)

    return router


def errors_router() -> Router:
    router = Router(name="errors")

    @router.error()
    async def on_error(event: ErrorEvent, answerer: Answerer) -> bool:
        update_id = event.update.update_id
        if isinstance(event.exception, TelegramForbiddenError):
            log.info("update %s: the user blocked the bot; not retried", update_id)
            return True
        log.error("update %s: %s", update_id, type(event.exception).__name__, exc_info=event.exception)
        polite = texts.ERROR.format(**answerer.contacts)
        try:
            if event.update.message:
                await event.update.message.answer(polite)
            elif event.update.callback_query:
                await event.update.callback_query.answer(polite, show_alert=True)
        except Exception as e:  # the apology failing too must not loop
            log.warning("update %s: could not apologise: %s", update_id, type(e).__name__)
        return True

    return router
