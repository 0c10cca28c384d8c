"""Measure answering quality on a labelled question set, and tune the thresholds on it.

The set is a CSV with the columns ``question,expected,kind``: ``expected`` is a guide entry id,
``none`` for a question the bot must not answer, ``complaint``, or ``any`` for a question that
is not a complaint and whose entry is not labelled (only a false complaint counts against it).
"""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .knowledge import decode
from .services.answering import Answerer

OUT_OF_SCOPE = "none"
COMPLAINT = "complaint"
ANY = "any"
ACCEPTING = ("answer", "catalogue")


@dataclass(frozen=True)
class Labelled:
    question: str
    expected: str
    kind: str


def read_labelled(path: Path) -> list[Labelled]:
    """Read a labelled question set."""
    rows = csv.DictReader(decode(path.read_bytes()).splitlines())
    return [Labelled(r["question"], r["expected"].strip(), (r.get("kind") or "").strip()) for r in rows]


@dataclass
class Report:
    """Quality figures over a labelled set; rates are fractions of the group named."""

    in_scope: int = 0
    out_of_scope: int = 0
    complaints: int = 0
    top1: int = 0
    top3: int = 0
    answered_right: int = 0
    answered_wrong: int = 0
    clarified_with_right: int = 0
    oos_accepted: int = 0
    oos_clarified: int = 0
    complaints_found: int = 0
    false_complaints: int = 0
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)
    by_kind: Counter[str] = field(default_factory=Counter)
    kind_top1: Counter[str] = field(default_factory=Counter)

    def rate(self, part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    def figures(self) -> dict[str, float | int]:
        return {
            "questions": self.in_scope + self.out_of_scope + self.complaints,
            "in_scope": self.in_scope,
            "out_of_scope": self.out_of_scope,
            "complaints": self.complaints,
            "top1": round(self.rate(self.top1, self.in_scope), 4),
            "top3": round(self.rate(self.top3, self.in_scope), 4),
            "answered_right": round(self.rate(self.answered_right, self.in_scope), 4),
            "answered_wrong": round(self.rate(self.answered_wrong, self.in_scope), 4),
            "clarified_with_right": round(self.rate(self.clarified_with_right, self.in_scope), 4),
            "oos_false_accept": round(self.rate(self.oos_accepted, self.out_of_scope), 4),
            "oos_clarified": round(self.rate(self.oos_clarified, self.out_of_scope), 4),
            "complaint_recall": round(self.rate(self.complaints_found, self.complaints), 4),
            "false_complaints": self.false_complaints,
        }


def evaluate(answerer: Answerer, labelled: list[Labelled]) -> Report:
    """Answer every labelled question and count how the answers compare with the labels."""
    report = Report()
    for row in labelled:
        reply = answerer.answer(row.question)
        ranked = [c.entry.id for c in answerer.matcher.rank(answerer.matcher.query(row.question), limit=3)]
        if row.expected == COMPLAINT:
            report.complaints += 1
            report.complaints_found += reply.outcome == "complaint"
            if reply.outcome != "complaint":
                report.misses.append((row.question, row.expected, reply.outcome, reply.entry_id or ""))
            continue
        report.false_complaints += reply.outcome == "complaint"
        if row.expected == ANY:
            if reply.outcome == "complaint":
                report.misses.append((row.question, row.expected, reply.outcome, reply.entry_id or ""))
            continue
        if row.expected == OUT_OF_SCOPE:
            report.out_of_scope += 1
            report.oos_accepted += reply.outcome in ACCEPTING
            report.oos_clarified += reply.outcome == "clarify"
            if reply.outcome in ACCEPTING:
                report.misses.append((row.question, row.expected, reply.outcome, reply.entry_id or ""))
            continue
        report.in_scope += 1
        report.by_kind[row.kind] += 1
        hit1 = ranked[:1] == [row.expected]
        report.top1 += hit1
        report.kind_top1[row.kind] += hit1
        report.top3 += row.expected in ranked
        if reply.outcome == "answer":
            right = reply.entry_id == row.expected
            report.answered_right += right
            report.answered_wrong += not right
        elif reply.outcome == "clarify":
            report.clarified_with_right += any(c.id == row.expected for c in reply.choices)
        if not (reply.outcome == "answer" and reply.entry_id == row.expected):
            report.misses.append((row.question, row.expected, reply.outcome, reply.entry_id or ""))
    return report


def tune(answerer: Answerer, labelled: list[Labelled]) -> list[tuple[float, dict[str, float]]]:
    """Try threshold combinations; return them best first with their objective.

    The objective rewards right answers and right choices, and punishes a confident wrong answer
    and an answered out-of-scope question three times as much as it rewards a right one, and choices
    offered for an out-of-scope question as much: a wrong answer misleads a citizen, a clarify or a
    fallback only costs them a click or a phone call.
    """
    base = answerer.settings
    results: list[tuple[float, dict[str, float]]] = []
    grid = itertools.product(
        [0.35, 0.4, 0.45, 0.5, 0.55, 0.6],  # answer_min_score
        [0.0, 0.03, 0.06, 0.1, 0.15],  # answer_min_margin
        [0.25, 0.3, 0.35, 0.4, 0.45, 0.5],  # clarify_min_score
        [0.55],  # catalogue_answer_min_score
    )
    for answer_min, margin, clarify_min, catalogue_min in grid:
        if clarify_min > answer_min:
            continue
        values = {
            "answer_min_score": answer_min,
            "answer_min_margin": margin,
            "clarify_min_score": clarify_min,
            "catalogue_answer_min_score": catalogue_min,
        }
        answerer.settings = base.model_copy(update=values)
        answerer.catalogue.settings = answerer.settings
        answerer.forget()
        r = evaluate(answerer, labelled)
        objective = (
            r.answered_right
            + 0.5 * r.clarified_with_right
            - 3 * r.answered_wrong
            - 3 * r.oos_accepted
            - r.oos_clarified
        )
        results.append((objective, values))
    answerer.settings = base
    answerer.catalogue.settings = base
    answerer.forget()
    results.sort(key=lambda x: x[0], reverse=True)
    return results


def default_settings() -> Settings:
    """Settings with nothing read from the environment, for reproducible figures."""
    return Settings.model_construct(
        **{name: f.get_default(call_default_factory=True) for name, f in Settings.model_fields.items()}
    )
