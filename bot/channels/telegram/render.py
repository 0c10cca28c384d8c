"""Core replies as Telegram HTML: every piece of text escaped, long texts split cleanly."""

from __future__ import annotations

from html import escape

from ...knowledge import CatalogueItem

# Telegram's limit is 4096 characters of text after entities are parsed; escaping only lengthens
# the source, so splitting the escaped source at this length is always within the limit.
MAX_MESSAGE = 4096


def html(text: str) -> str:
    """Plain text (a citizen's words, a knowledge answer) made safe for parse_mode=HTML."""
    return escape(text, quote=False)


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split ``text`` into messages of at most ``limit`` characters, at line breaks where possible.

    An HTML entity (``&amp;``) is never cut in half; a tag must not span lines in what we send.
    """
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = limit
            amp = text.rfind("&", cut - 8, cut)
            if amp != -1 and ";" not in text[amp:cut]:
                cut = amp
        parts.append(text[:cut].rstrip("\n"))
        text = text[cut:].lstrip("\n")
    if text or not parts:
        parts.append(text)
    return parts


def item_html(item: CatalogueItem, number: int | None = None) -> str:
    """One catalogue item: title, 索引号, date, category and link."""
    head = f"{number}. " if number is not None else ""
    link = f'\n<a href="{escape(item.link)}">{html(item.link)}</a>' if item.link else ""
    meta = " · ".join(html(x) for x in (item.index_no, item.date, item.category) if x)
    return f"{head}<b>{html(item.title)}</b>\n{meta}{link}"
