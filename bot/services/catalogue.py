"""Searching the disclosure catalogue."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import texts
from ..config import Settings
from ..knowledge import CatalogueItem
from ..matching import Hit, Matcher, Query
from ..textnorm import readable

# A query is searched on at most this many characters (a question's limit): a pasted megabyte took
# half a minute and half a gigabyte, and no title is that long.
MAX_QUERY_CHARS = 500


def as_hit(item: CatalogueItem, score: float | None) -> dict[str, Any]:
    """A catalogue item as replies and ``--json`` carry it (a listing, not a search, has no score)."""
    fields = {"index_no": item.index_no, "title": item.title, "category": item.category, "date": item.date}
    return fields | {"link": item.link, "score": score}


@dataclass
class SearchResult:
    """Ranked catalogue items for one query; ``ms`` is the time the search took."""

    q: str
    hits: list[Hit] = field(default_factory=list)
    ms: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "q": self.q,
            "hits": [as_hit(h.item, h.score) for h in self.hits],
            "ms": round(self.ms, 3),
        }

    def text(self, start: int = 1, header: str = texts.SEARCH_HEADER) -> str:
        """The hits as plain text under ``header``, numbered from ``start``."""
        if not self.q.strip():
            return texts.SEARCH_KEYWORD
        if not self.hits:
            return texts.SEARCH_NONE.format(q=self.q)
        lines = [header]
        for number, hit in enumerate(self.hits, start):
            item = hit.item
            lines.append(
                texts.SEARCH_HIT.format(
                    mark=f"{number}.",
                    title=item.title,
                    index_no=item.index_no,
                    date=item.date,
                    category=item.category,
                    link=f"\n   {item.link}" if item.link else "",
                )
            )
        return "\n".join(lines)


class CatalogueSearch:
    """Catalogue search with the settings' cut-off and page size."""

    def __init__(self, matcher: Matcher, settings: Settings) -> None:
        self.matcher = matcher
        self.settings = settings

    def categories(self) -> list[str]:
        """The catalogue's categories, in the order they first appear."""
        return list(dict.fromkeys(i.category for i in self.matcher.knowledge.catalogue if i.category))

    def columns(self) -> list[str]:
        """The website columns the catalogue's items are published in."""
        return list(dict.fromkeys(i.column for i in self.matcher.knowledge.catalogue if i.column))

    def newest(
        self, limit: int, *, category: str | None = None, column: str | None = None
    ) -> tuple[list[CatalogueItem], int]:
        """The ``limit`` newest items of a category or a website column, and how many it has (a
        guide entry about one lists them: 政策法规类公开了多少 is told which they are)."""
        items = self.browse(category=category, column=column)
        return items[:limit], len(items)

    def items(self, index_nos: Iterable[str]) -> list[CatalogueItem]:
        """The items of these index numbers that the catalogue has, in that order."""
        by_number = self.matcher.grouped("index_no")
        return [by_number[n][0] for n in index_nos if n in by_number]

    def browse(self, *, category: str | None = None, column: str | None = None) -> list[CatalogueItem]:
        """The items of one category or one website column, newest first."""
        if column is None and category is not None:  # grouped once per catalogue
            return list(self.matcher.grouped("category").get(category, []))
        if category is None and column is not None:
            return list(self.matcher.grouped("column").get(column, []))
        items = [
            i
            for i in self.matcher.knowledge.catalogue
            if (category is None or i.category == category) and (column is None or i.column == column)
        ]
        return sorted(items, key=lambda i: i.date, reverse=True)

    def search(self, q: str, *, limit: int | None = None, offset: int = 0) -> SearchResult:
        """Items matching ``q`` (a keyword, part of a title, a description), best first."""
        started = time.perf_counter()
        q = readable(q)[:MAX_QUERY_CHARS]
        result = self.search_query(self.matcher.query(q), limit=limit, offset=offset)
        result.ms = (time.perf_counter() - started) * 1000
        return result

    def search_query(
        self,
        query: Query,
        *,
        limit: int | None = None,
        offset: int = 0,
        min_score: float | None = None,
        budget: int = 50_000,
    ) -> SearchResult:
        limit = limit or self.settings.search_limit
        cutoff = self.settings.search_min_score if min_score is None else min_score
        hits = self.matcher.search(query, offset + limit, cutoff, budget) if query.normalized else []
        return SearchResult(query.text, hits[offset:])
