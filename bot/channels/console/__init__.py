"""The terminal chat (``gongkai chat``): a citizen's conversation typed in a terminal.

A channel like the others, on the same conversation layer: questions (recorded with channel
"console"), numbered choices, /search, the complaint form (投诉 or 举报) and the status look-up
(查询 编号). The terminal is read on a thread of its own, one line at a time; each line is
handled on the event loop, and its answer printed before the next prompt.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import threading
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import click
from aiohttp import web

from ... import texts
from ...config import Settings
from ...reading import choice_number, search_typed
from ...services.applying import (
    CORRECT,
    ApplicationDialogue,
    ApplicationForm,
    Applied,
    Ask,
    Complaint,
    Confirmed,
    Dropped,
    correct,
)
from ...services.applying import START as APPLY
from ...services.conversation import Cancelled, Conversation, Form, fold, pick
from ..typed import CANCEL, START, form_step, render, render_ask, status_typed

if TYPE_CHECKING:
    from ...app import Services

CHANNEL = "console"
QUIT = frozenset({"/quit", "/exit", "/q"})
HELP = frozenset({"/help", "/h", "帮助", "help", "?"})


class Console:
    """One citizen at the terminal: what the bot waits for from them, and the answer to each line.

    :param user: who is at the terminal (their login name; recorded only as an anonymous reference)
    """

    def __init__(self, conversation: Conversation, user: str) -> None:
        self.conversation = conversation
        self.user = user
        self.form: Form | None = None
        self.choices: list[tuple[str, str]] = []  # the guide entries last offered, (id, title)
        self.english = False  # ... offered in English: the one picked is answered in English
        self.offer: str | None = None  # the complaint kind last offered
        self.told = ""  # the message it was offered under: the form's text if one is filed
        # Offered under a list of questions (whose numbers pick one): the kind, and the message
        # its word (投诉) files.
        self.told_under_list: tuple[str, str] | None = None
        self.application: ApplicationForm | None = None  # an application for information being written
        self.applying = (
            ApplicationDialogue(conversation.applications, conversation.answerer)
            if conversation.applications is not None
            else None
        )

    async def handle(self, line: str) -> str | None:
        """The answer to one line typed by the citizen (None: nothing to say)."""
        text = line.strip()
        word = fold(text).lower()
        if not text:
            return None
        if word in CANCEL:
            busy = self.form is not None or self.offer is not None or self.application is not None
            self.form = self.offer = self.application = None
            return render(Cancelled(busy))
        if self.form is not None:
            return await self._form(text)
        if self.application is not None:
            return await self._apply(text)
        if self.applying is not None and CORRECT.match(text):
            return await correct(self.applying.applications, text, channel=CHANNEL, chat_id=self.user)
        if self.applying is not None and word in APPLY:
            self.application, ask = self.applying.start()
            return render_ask(ask)
        if self.offer is not None:
            kind, self.offer = self.offer, None
            if word in ("1", "0"):
                return self._start(kind, self.told) if word == "1" else texts.WX_DECLINED
        if word in START:
            told, self.told_under_list = self.told_under_list, None
            return self._start(START[word], told[1] if told and told[0] == START[word] else "")
        if self.conversation.asks_to_forget(word):
            return await self.conversation.forget(channel=CHANNEL, user_id=self.user)
        if word in HELP:
            return texts.CONSOLE_HELP
        query = search_typed(text)
        if query is not None:
            return self.conversation.answerer.catalogue.search(query).text() if query else texts.SEARCH_USAGE
        number = choice_number(word)
        if self.choices and number is not None:
            chosen = pick(self.choices, str(number))
            if chosen is None:
                return texts.CHAT_CHOICE_GONE
            self.choices = []
            picked = self.conversation.entry(chosen, english=self.english, channel=CHANNEL, user_id=self.user)
            return picked.reply.text if picked is not None else texts.CHOICE_GONE
        typed = status_typed(text)
        if typed is not None:
            status = self.conversation.status(typed, channel=CHANNEL, chat_id=self.user)
            return texts.WX_STATUS_USAGE if status.outcome == "usage" else status.text
        reply = await self.conversation.ask(text, channel=CHANNEL, user_id=self.user)
        self.choices, self.english = [(c.id, c.title) for c in reply.choices], reply.english
        offer = self.conversation.offer(reply)
        self.told_under_list = None
        if offer is None:
            invite = self.applying is not None and self.conversation.invites_to_apply(reply)
            return reply.text + ("\n\n" + texts.WX_APPLY_HERE if invite else "")
        kind = offer.options[0][0]
        if self.choices:  # the numbers pick a question: the form is asked for by its word
            self.told_under_list = (kind, reply.q)
            return reply.text + "\n\n" + offer.text + "\n" + texts.WX_OFFER_WORD.format(kind=kind)
        self.offer, self.told = kind, reply.q
        return reply.text + "\n\n" + offer.text + "\n" + texts.WX_OFFER.format(kind=self.offer)

    async def _apply(self, text: str) -> str:
        """A line typed in the application dialogue; a complaint chosen instead opens the complaint
        form with the description as its text (第39条)."""
        applying, form = self.applying, self.application
        assert applying is not None and form is not None
        said = await applying.step(form, text)
        if isinstance(said, Confirmed):
            key = f"{CHANNEL}:{self.user}:application:{id(form)}"
            said = await applying.submit(form, channel=CHANNEL, chat_id=self.user, user_id=self.user, dedupe_key=key)
        if isinstance(said, Ask):
            return render_ask(said)
        self.application = None
        if isinstance(said, Complaint):
            self.form, prompt = self.conversation.told(said.kind, form.fields.get("description", ""))
            return render(prompt)
        return said.text if isinstance(said, Applied | Dropped) else ""

    def _start(self, kind: str, told: str = "") -> str:
        """A new complaint form; ``told``, the message it was offered under, is its text."""
        self.form, prompt = self.conversation.told(kind, told)
        return render(prompt)

    async def _form(self, text: str) -> str:
        form = self.form
        assert form is not None
        prompt = form_step(self.conversation, form, text)
        if prompt is not None:
            if isinstance(prompt, Cancelled):
                self.form = None
            return render(prompt)
        done = await self.conversation.submit(
            form, channel=CHANNEL, chat_id=self.user, user_id=self.user, dedupe_key=f"{CHANNEL}:{self.user}:{id(form)}"
        )
        self.form = None
        return render(done)


def _read(console: Console, loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    """Prompt, read a line, have it answered on the loop, print the answer; until /quit or EOF."""
    try:
        while True:
            try:
                line = click.prompt("您", prompt_suffix="：", default="", show_default=False)
            except (EOFError, click.Abort):
                click.echo()
                break
            if line.strip() in QUIT:
                break
            said = asyncio.run_coroutine_threadsafe(console.handle(line), loop).result()
            if said:
                click.echo(said)
    finally:
        with contextlib.suppress(RuntimeError):  # the loop is already gone (Ctrl-C)
            loop.call_soon_threadsafe(stop.set)


def setup(app: web.Application, services: Services, settings: Settings) -> None:
    """The terminal chat, started with the application; /quit or end of input stops it."""
    from ...app import STOP

    console = Console(services.conversation, getpass.getuser())

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        click.echo(texts.WELCOME.format(**services.conversation.contacts))
        click.echo(texts.PRIVACY)
        click.echo(texts.CHAT_INTRO)
        # A daemon thread: a prompt still waiting for input must not keep the process alive.
        loop = asyncio.get_running_loop()
        threading.Thread(target=_read, args=(console, loop, app[STOP]), name="console", daemon=True).start()
        yield
        click.echo(texts.CHAT_BYE)

    app.cleanup_ctx.append(lifecycle)
