"""What citizens ask that the bot cannot answer yet, grouped so that staff see each question once.

One grouping for every staff tool: the console's 待完善问题 page and ``gongkai enquiries
unanswered`` both call ``unanswered``. Questions are grouped by their normalised text (which
makes 养狗要办证吗 and 养狗要办证吗？ one question) and shown in the citizens' own words; those
the knowledge in force now answers (taught since, or the guide edited) are set apart by
``answered_now``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from ..storage import Store
from .answering import Reply

SIMILAR = 72  # rapidfuzz ratio (0-100) from which two normalised questions count as the same
SCAN = 500  # the distinct normalised questions read to group (the most asked)


@dataclass
class Group:
    """Questions asked in different words.

    :param text: the most asked wording, as a citizen typed it (the normalised text for enquiries
      recorded before typed texts were kept)
    :param times: how often all its wordings were asked
    :param last_at: when one was last asked
    :param wordings: every wording as typed, each once, most asked first (``text`` first)
    :param outcomes: how they were answered (``fallback``, ``clarify``)
    :param normalized: the normalised texts grouped
    :param missed: the guide entries citizens said missed it (不是这个 after its answer)
    """

    text: str
    times: int
    last_at: str
    wordings: list[str] = field(default_factory=list)
    outcomes: set[str] = field(default_factory=set)
    normalized: list[str] = field(default_factory=list)
    missed: set[str] = field(default_factory=set)

    def add(self, row: dict[str, Any]) -> None:
        self.times += row["times"]
        self.last_at = max(self.last_at, row["last_at"])
        self.outcomes.update(o for o in str(row.get("outcomes") or "").split(",") if o)
        self.missed.update(e for e in str(row.get("missed") or "").split(",") if e)
        self.normalized.append(row["text"])
        for wording in row.get("wordings") or [row["text"]]:
            if wording not in self.wordings:
                self.wordings.append(wording)


def group_questions(rows: list[dict[str, Any]], *, similar: int = SIMILAR) -> list[Group]:
    """Group rows of (text, times, last_at, and optionally outcomes and wordings, as
    ``Store.unanswered`` gives them), most asked first, by the similarity of their normalised texts.

    Each row joins the group of the first (most asked) text it resembles, any text of the group;
    the groups come out most asked first.
    """
    groups: list[Group] = []
    texts: list[str] = []  # every normalised text seen, and the group it joined
    owners: list[int] = []
    for row in sorted(rows, key=lambda r: (-r["times"], r["text"])):
        found = process.extractOne(row["text"], texts, scorer=fuzz.ratio, score_cutoff=similar)
        if found is None:
            owners.append(len(groups))
            group = Group("", 0, "")
            groups.append(group)
        else:
            owners.append(owners[found[2]])
            group = groups[owners[found[2]]]
        group.add(row)
        group.text = group.wordings[0]
        texts.append(row["text"])
    return sorted(groups, key=lambda g: (-g.times, g.text))


def unanswered(store: Store, *, taught: Iterable[str] = (), limit: int = 100) -> list[Group]:
    """The questions the bot could not answer outright, grouped, most asked first, without those
    staff have taught since (``taught``: the wordings taught, typed or normalised)."""
    taught = set(taught)
    rows = [
        r for r in store.unanswered(limit=SCAN) if r["text"] not in taught and not taught.intersection(r["wordings"])
    ]
    return group_questions(rows)[:limit]


def answered_now(groups: list[Group], answer: Callable[[str], Reply]) -> tuple[list[Group], list[tuple[Group, Reply]]]:
    """``groups`` apart: those the knowledge in force still cannot answer outright, and those it
    now can (taught since, by a wording or an entry of another group, or the guide edited), each
    with its reply now. A group's most asked wording is asked again, on its own: answered by an
    entry no citizen said missed it, documents found, or a complaint recognised, it waits no
    longer (a question said to miss waits until another entry answers it)."""
    waiting, answered = [], []
    for group in groups:
        reply = answer(group.text)
        missed = reply.outcome == "answer" and reply.entry_id in group.missed
        if reply.outcome in ("fallback", "clarify") or missed:
            waiting.append(group)
        else:
            answered.append((group, reply))
    return waiting, answered
