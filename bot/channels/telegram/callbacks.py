"""Callback data of the inline buttons, within Telegram's 64 bytes (aiogram's CallbackData)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class EntryCallback(CallbackData, prefix="e"):
    """Show a guide entry's answer (a clarify choice, or an entry of a guide section); ``en``: in
    English (a choice offered to a question asked in English)."""

    id: str
    en: bool = False


class AskCallback(CallbackData, prefix="a"):
    """Ask a question an answer points to (可问“…”): its wording, when it fits the 64 bytes."""

    q: str


class MissedCallback(CallbackData, prefix="m"):
    """Say an answer missed (没答到我问的？), or that none of a list is it (都不是): the answer or list
    itself is kept server-side under ``token`` (its question may not fit)."""

    token: str


class SectionCallback(CallbackData, prefix="s"):
    """List the entries of a guide section (by its position; -1: the list of sections)."""

    n: int


class BrowseCallback(CallbackData, prefix="b"):
    """Browse the catalogue: by category ("k") or column ("c"), item n of that list, a page.

    ``n`` = -1 lists the categories or columns themselves.
    """

    by: str
    n: int
    page: int = 0


class SearchCallback(CallbackData, prefix="q"):
    """A page of a search; the query itself is kept server-side under ``token`` (it may not fit)."""

    token: str
    page: int


class ComplaintStart(CallbackData, prefix="cs"):
    """Answer to "file a complaint?": kind "投诉" or "举报"; "no" declines. ``told``: the id of
    the citizen's message the offer was made under, whose text becomes the form's (0: none)."""

    kind: str
    told: int = 0


class TopicCallback(CallbackData, prefix="ct"):
    """What the complaint concerns (a key of ``complaints.TOPICS``)."""

    topic: str


class FormCallback(CallbackData, prefix="cf"):
    """A step of the complaint form: "skip" the contact, "submit" or "cancel" the summary."""

    action: str


class RateCallback(CallbackData, prefix="rt"):
    """The citizen's rating of a closed complaint (a key of ``complaints.RATINGS``)."""

    number: str
    rating: str


class StaffCallback(CallbackData, prefix="sf"):
    """A staff button on a complaint: "accepted", "replied" (write a reply), "closed"."""

    action: str
    number: str


class ListCallback(CallbackData, prefix="sl"):
    """A page of the staff's complaint list, of one status ("all" for every one)."""

    status: str
    page: int
