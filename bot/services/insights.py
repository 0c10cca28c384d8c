"""What citizens ask that the bot cannot answer yet, grouped so that staff see each question once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

SIMILAR = 72  # rapidfuzz ratio (0-100) from which two normalised questions count as the same


@dataclass
class Group:
    """Questions asked in different words: the most asked wording, and how often all were asked."""

    text: str
    times: int
    last_at: str
    wordings: list[str] = field(default_factory=list)


def group_questions(rows: list[dict[str, Any]], *, similar: int = SIMILAR) -> list[Group]:
    """Group rows of (text, times, last_at), most asked first, by the similarity of their texts.

    Each row joins the group of the first (most asked) wording it resembles, any wording of the
    group; the groups come out most asked first.
    """
    groups: list[Group] = []
    wordings: list[str] = []  # every wording seen, and the group it joined
    owners: list[int] = []
    for row in sorted(rows, key=lambda r: (-r["times"], r["text"])):
        found = process.extractOne(row["text"], wordings, scorer=fuzz.ratio, score_cutoff=similar)
        if found is None:
            owners.append(len(groups))
            groups.append(Group(row["text"], row["times"], row["last_at"], [row["text"]]))
        else:
            group = groups[owners[found[2]]]
            owners.append(owners[found[2]])
            group.times += row["times"]
            group.last_at = max(group.last_at, row["last_at"])
            group.wordings.append(row["text"])
        wordings.append(row["text"])
    return sorted(groups, key=lambda g: (-g.times, g.text))
