"""Measure answering quality on a labelled question set, and tune the thresholds on it.

The set is a CSV with the columns ``question,expected,kind``: ``expected`` is a guide entry id,
``none`` for a question the bot must not answer, ``complaint``, or ``any`` for a question that
is not a complaint and whose entry is not labelled (only a false complaint counts against it).
"""

from __future__ import annotations

import csv
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .calibration import (
    COMPLAINT_FEATURES,
    COMPLAINT_LEXICAL,
    FEATURES,
    LEXICAL_FEATURES,
    SCOPE_FEATURES,
    SCOPE_LEXICAL,
    Calibration,
    Decision,
    Model,
    fit,
)
from .config import Settings
from .knowledge import Knowledge, decode
from .matching import Matcher
from .services.answering import ACCEPTED, Answerer, Part

OUT_OF_SCOPE = "none"
COMPLAINT = "complaint"
ANY = "any"
CATALOGUE = "catalogue:"
# The most the calibrated thresholds may answer wrongly, and answer of out-of-scope questions,
# on cross-validated probabilities. Out of scope: the target (2%). Wrong: the bar the quality
# tests pin (2%); at the target of 1% this model answers 12 points fewer questions outright.
MAX_WRONG = 0.02
MAX_OUT_OF_SCOPE = 0.02
# The complaint targets: at least this share of complaints found, at most this share of other
# messages taken for complaints, on cross-validated probabilities.
MIN_COMPLAINTS_FOUND = 0.90
MAX_TAKEN_FOR_COMPLAINTS = 0.03


@dataclass(frozen=True)
class Labelled:
    question: str
    expected: str
    kind: str
    line: int = field(default=0, compare=False)  # in its CSV, to say which row a problem is on


class LabelledError(ValueError):
    """A labelled set that cannot be read; the message names the file and why."""


def read_labelled(path: Path) -> list[Labelled]:
    """Read a labelled question set: a CSV with the columns ``question``, ``expected`` and,
    optionally, ``kind``; :class:`LabelledError` if it is none (another CSV, bytes of no text, no rows)."""
    try:
        text = decode(path.read_bytes())
    except UnicodeDecodeError:
        raise LabelledError(f"{path} is neither UTF-8 nor GB18030 text") from None
    rows = csv.DictReader(text.splitlines())
    columns = [c for c in rows.fieldnames or () if c]
    if not {"question", "expected"} <= set(columns):
        has = ", ".join(columns) or "none"
        raise LabelledError(f"{path} needs the columns question, expected (and kind, optional); it has {has}")
    labelled = [
        Labelled(r["question"] or "", (r["expected"] or "").strip(), (r.get("kind") or "").strip(), rows.line_num)
        for r in rows
        if (r["question"] or "").strip()
    ]
    if not labelled:
        raise LabelledError(f"{path} has no questions")
    return labelled


def label_problems(labelled: list[Labelled], knowledge: Knowledge) -> list[str]:
    """What is wrong with the labels of a set, a row each: no label, or an entry the guide lacks
    (such a row would be counted as the bot's miss)."""
    ids = {e.id for e in knowledge.guide}
    problems = []
    for row in labelled:
        if not row.expected:
            problems.append(f"line {row.line}: {row.question!r} has no expected label")
            continue
        parts = [p for p in row.expected.split("|") if not p.startswith(CATALOGUE)]
        named = {i for part in parts for i in expected_ids(part)} - {OUT_OF_SCOPE, COMPLAINT, ANY}
        if unknown := sorted(named - ids):
            problems.append(f"line {row.line}: {row.question!r} expects {', '.join(unknown)}, which no guide entry is")
    return problems


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
    complaints_offered: int = 0  # found, or offered the form under a reply the bot was unsure of
    false_complaints: int = 0
    others_offered: int = 0  # other messages offered the form under an unsure reply
    tipoffs: int = 0  # complaints labelled tip-offs (kind ``tipoff``) found or offered the form
    tipoffs_marked: int = 0  # ... offered as tip-offs (举报, with 12350)
    multi: int = 0
    multi_right: int = 0
    multi_parts: int = 0
    multi_parts_right: int = 0
    catalogue: int = 0
    catalogue_found: int = 0
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
            "complaint_found_or_offered": round(self.rate(self.complaints_offered, self.complaints), 4),
            "others_offered_the_form": self.others_offered,
            "tipoffs_marked": round(self.rate(self.tipoffs_marked, self.tipoffs), 4),
            "multi": self.multi,
            "multi_all_parts_right": round(self.rate(self.multi_right, self.multi), 4),
            "multi_parts_right": round(self.rate(self.multi_parts_right, self.multi_parts), 4),
            "catalogue": self.catalogue,
            "catalogue_found": round(self.rate(self.catalogue_found, self.catalogue), 4),
        }


def _part_label(part: Part) -> str:
    """How a part of a message was answered, as a label: its entry, the documents it was told of
    (catalogue:A;B), a complaint, or none."""
    if part.entry_id:
        return part.entry_id
    if part.documents:
        return CATALOGUE + ";".join(part.documents)
    return COMPLAINT if part.outcome == COMPLAINT else OUT_OF_SCOPE


def _part_right(got: str, label: str) -> bool:
    """Whether a part answered ``got`` is right for its ``label`` (a/b: either is right; a
    catalogue label: one of its documents told)."""
    if got.startswith(CATALOGUE):
        told = set(got.removeprefix(CATALOGUE).split(";"))
        wanted = (w.removeprefix(CATALOGUE).split(";") for w in expected_ids(label) if w.startswith(CATALOGUE))
        return any(told & set(w) for w in wanted)
    return got in expected_ids(label)


def expected_ids(expected: str) -> set[str]:
    """The entries a label accepts: ``a/b`` accepts either."""
    return set(expected.split("/"))


def evaluate(answerer: Answerer, labelled: list[Labelled]) -> Report:
    """Answer every labelled question and count how the answers compare with the labels.

    Besides entry ids, ``none``, ``complaint`` and ``any``, a label may be ``a/b`` (either entry is
    right), ``a|b|c`` (a message with several questions: each part answered by its entry, ``none``
    for a part that must not be answered) or ``catalogue:INDEX;INDEX`` (the reply must list one of
    those catalogue items).
    """
    report = Report()
    for row in labelled:
        reply = answerer.answer(row.question)
        if row.expected == COMPLAINT:
            report.complaints += 1
            report.complaints_found += reply.outcome == "complaint"
            report.complaints_offered += reply.outcome == "complaint" or reply.may_complain
            if row.kind == "tipoff" and (reply.outcome == "complaint" or reply.may_complain):
                report.tipoffs += 1
                report.tipoffs_marked += reply.tipoff
            if reply.outcome != "complaint":
                report.misses.append((row.question, row.expected, reply.outcome, reply.entry_id or ""))
            continue
        report.false_complaints += reply.outcome == "complaint"
        report.others_offered += reply.may_complain
        if row.expected == ANY:
            if reply.outcome == "complaint":
                report.misses.append((row.question, row.expected, reply.outcome, reply.entry_id or ""))
            continue
        if row.expected == OUT_OF_SCOPE:
            # A referral staff taught (公租房: ask the housing bureau) is a refusal, with a pointer.
            referred = (entry := answerer.matcher.knowledge.entry(reply.entry_id or "")) is not None and entry.refer
            accepted = reply.outcome in ACCEPTED and not (reply.outcome == "answer" and referred)
            report.out_of_scope += 1
            report.oos_accepted += accepted
            report.oos_clarified += reply.outcome == "clarify"
            if accepted:
                report.misses.append((row.question, row.expected, reply.outcome, reply.entry_id or ""))
            continue
        if "|" in row.expected:
            # Two questions of one entry (几点下班 周六有人没) are one part, labelled once or twice.
            labels = _once(row.expected.split("|"))
            # Answered as one question, the message's answer is its first part's; not answered at
            # all, none of its parts is.
            if reply.parts:
                got = _once([_part_label(p) for p in reply.parts])
            elif reply.outcome == "answer":
                got = [reply.entry_id or OUT_OF_SCOPE]
            elif reply.outcome == COMPLAINT:
                got = [COMPLAINT]
            else:
                got = [OUT_OF_SCOPE] * len(labels)
            right = len(got) == len(labels) and all(_part_right(g, w) for g, w in zip(got, labels))
            report.multi += 1
            report.multi_right += right
            report.multi_parts += len(labels)
            report.multi_parts_right += sum(_part_right(g, w) for g, w in zip(got, labels))
            if not right:  # (a part labelled a/b is right as either)
                report.misses.append((row.question, row.expected, reply.outcome, "|".join(map(str, got))))
            continue
        if row.expected.startswith(CATALOGUE):
            wanted = set(row.expected.removeprefix(CATALOGUE).split(";"))
            report.catalogue += 1
            found = any(h["index_no"] in wanted for h in reply.hits)
            report.catalogue_found += found
            if not found:
                report.misses.append((row.question, row.expected, reply.outcome, reply.entry_id or ""))
            continue
        expected = expected_ids(row.expected)
        ranked = [c.entry.id for c in answerer.matcher.rank(answerer.matcher.query(row.question), limit=3)]
        report.in_scope += 1
        report.by_kind[row.kind] += 1
        hit1 = bool(ranked) and ranked[0] in expected
        report.top1 += hit1
        report.kind_top1[row.kind] += hit1
        report.top3 += bool(expected & set(ranked))
        if reply.outcome == "answer":
            right = reply.entry_id in expected
            report.answered_right += right
            report.answered_wrong += not right
        elif reply.outcome == "clarify":
            report.clarified_with_right += any(c.id in expected for c in reply.choices)
        if not (reply.outcome == "answer" and reply.entry_id in expected):
            report.misses.append((row.question, row.expected, reply.outcome, reply.entry_id or ""))
    return report


def _once(labels: list[str]) -> list[str]:
    """``labels`` without an entry that repeats the one before it (a part not to be answered,
    ``none``, counts each time)."""
    return [x for n, x in enumerate(labels) if n == 0 or x != labels[n - 1] or x == OUT_OF_SCOPE]


def calibrate(
    matcher: Matcher, labelled: list[Labelled], folds: int = 5, *, complaints_only: bool = False
) -> tuple[Calibration, dict[str, float]]:
    """Fit the calibrated model on labelled questions and choose its thresholds.

    With ``complaints_only``, the guide's models and thresholds stay as they are and only the
    complaint models are fitted again: they read how well the guide answers a message, which
    new phrasings change (a complaint told in words near a new phrasing looks answered).

    Every candidate entry of every single question labelled with entries or ``none`` is a row
    (right entry 1, others 0). The thresholds are chosen on probabilities cross-validated by
    question (each fold predicted by a model fitted on the others), rewarding a right answer and
    punishing a wrong one or an answered out-of-scope question three times as much; offered
    choices that hold the right entry count half an answer, and choices offered for an
    out-of-scope question cost as much (a click, not a wrong answer); thresholds that answer more
    than ``MAX_WRONG`` wrongly or ``MAX_OUT_OF_SCOPE`` of out-of-scope questions are ruled out
    while any other is possible. Returns the calibration and the cross-validated figures.
    """
    scorers = _held_out(matcher, labelled, folds)
    if complaints_only:
        kept = {"semantic": matcher.calibration.semantic, "lexical": matcher.calibration.lexical}
        return _with_complaints(matcher, scorers, labelled, kept, folds, {})
    rows: list[tuple[int, list[dict[str, float]], list[bool], bool]] = []
    for number, (row, scorer) in enumerate(zip(labelled, scorers)):
        if row.expected in (COMPLAINT, ANY) or "|" in row.expected or row.expected.startswith(CATALOGUE):
            continue
        wanted = set() if row.expected == OUT_OF_SCOPE else expected_ids(row.expected)
        found = scorer.candidates(scorer.query(row.question))
        if found and not any(c.exact for c in found):  # an exact phrasing is answered without the model
            rows.append((number, [c.features for c in found], [c.id in wanted for c in found], bool(wanted)))
    decisions = {}
    figures: dict[str, float] = {}
    for name, features, scope_features in (
        ("semantic", FEATURES, SCOPE_FEATURES),
        ("lexical", LEXICAL_FEATURES, SCOPE_LEXICAL),
    ):
        predicted: list[np.ndarray] = [np.zeros(0)] * len(rows)
        for fold in range(folds):
            train = [r for i, r in enumerate(rows) if i % folds != fold]
            entry, scope = fit(features, *_matrix(train, features)), fit(scope_features, *_scope(train, scope_features))
            for i, (_, values, _, _) in enumerate(rows):
                if i % folds == fold:
                    predicted[i] = np.array([entry.probability(v) * scope.probability(v) for v in values])
        answer_at, clarify_at, scores = _thresholds(rows, predicted)
        entry = replace(fit(features, *_matrix(rows, features)), answer_at=answer_at, clarify_at=clarify_at)
        decisions[name] = Decision(entry, fit(scope_features, *_scope(rows, scope_features)), entry)
        figures.update({f"{name}_{k}": v for k, v in scores.items()})
    return _with_complaints(matcher, scorers, labelled, decisions, folds, figures)


def _held_out(matcher: Matcher, labelled: list[Labelled], folds: int) -> list[Matcher]:
    """The matcher that scores each labelled question: ``matcher`` without the wordings of the
    question's fold that were taught (as a phrasing or a lexicon example).

    The labelled sets are where taught wordings come from: scored on a matcher that knows it word
    for word, a question is answered without the model and says nothing of how the model does on
    the next citizen's paraphrase, and what is left to fit on is the few questions no one taught, a
    harder sample than citizens ask. A question's fold is its text's, so a question in two sets is
    held out of both."""
    normalized = [matcher.normalizer.normalize(row.question) for row in labelled]
    fold_of = [zlib.crc32(text.encode()) % folds for text in normalized]
    matchers = []
    for fold in range(folds):
        taught = {t for t, f in zip(normalized, fold_of) if f == fold and matcher.taught(t)}
        matchers.append(matcher.without(taught) if taught else matcher)
    return [matchers[f] for f in fold_of]


def _with_complaints(
    matcher: Matcher,
    scorers: list[Matcher],
    labelled: list[Labelled],
    decisions: dict[str, Decision],
    folds: int,
    figures: dict[str, float],
) -> tuple[Calibration, dict[str, float]]:
    """``decisions`` with their complaint models fitted, and the cross-validated figures added to
    ``figures``. The complaint models read how well the guide answers a message: under these
    decisions, which the matcher (and ``scorers``, each labelled question's: see
    :func:`_held_out`) use from then on."""
    calibration = Calibration(decisions["semantic"], decisions["lexical"])
    for each in {id(m): m for m in (matcher, *scorers)}.values():
        each.use(calibration)
    for kind, kind_features in (("semantic", COMPLAINT_FEATURES), ("lexical", COMPLAINT_LEXICAL)):
        complaint, scores = _fit_complaints(scorers, labelled, kind_features, folds)
        decisions[kind] = replace(decisions[kind], complaint=complaint)
        figures.update({f"{kind}_{k}": v for k, v in scores.items()})
    return Calibration(decisions["semantic"], decisions["lexical"]), figures


def _fit_complaints(
    scorers: list[Matcher], labelled: list[Labelled], features: tuple[str, ...], folds: int
) -> tuple[Model, dict[str, float]]:
    """The complaint model: one row a message (complaint or not), scored by its matcher in
    ``scorers``, its threshold chosen on cross-validated probabilities (see
    :func:`_complaint_threshold`)."""
    x_rows, y_rows = [], []
    for row, matcher in zip(labelled, scorers):
        if "|" in row.expected:
            continue
        query = matcher.query(row.question)
        ranked = matcher.rank(query, limit=1)
        values = matcher.complaint_features(query, matcher.intent(query), ranked[0] if ranked else None)
        x_rows.append([values[f] for f in features])
        y_rows.append(float(row.expected == COMPLAINT))
    x, y = np.array(x_rows), np.array(y_rows)
    predicted = np.zeros(len(y))
    for fold in range(folds):
        held = np.arange(len(y)) % folds == fold
        model = fit(features, x[~held], y[~held])
        predicted[held] = [model.probability(dict(zip(features, v))) for v in x[held]]
    at, found, taken = _complaint_threshold(predicted, y)
    model = replace(fit(features, x, y), answer_at=at, clarify_at=at)
    return model, {"complaints_found": found, "taken_for_complaints": taken}


def _complaint_threshold(predicted: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """The complaint threshold on cross-validated probabilities ``predicted`` of messages labelled
    ``y`` (1: a complaint), and the shares of complaints found and of other messages taken at it.

    The targets are limits: of the thresholds that meet both (``MIN_COMPLAINTS_FOUND``,
    ``MAX_TAKEN_FOR_COMPLAINTS``), the highest; where none does, the best trade, a message wrongly
    taken for a complaint costing three found. The trade alone is flat over a wide range on the
    tuning sets (0.50-0.88 within a few messages), so it chose by noise, and high, where the
    never-tuned sets' harder complaints want it low.
    """
    complaints, others = max(1, int(y.sum())), max(1, int((y == 0).sum()))
    best = (-1e9, 0.5, 0.0, 0.0)
    for at in np.arange(0.05, 0.96, 0.01):
        found = int(((predicted >= at) & (y == 1)).sum())
        taken = int(((predicted >= at) & (y == 0)).sum())
        meets = found >= MIN_COMPLAINTS_FOUND * complaints and taken <= MAX_TAKEN_FOR_COMPLAINTS * others
        objective = float(at) if meets else found - 3 * taken - 1e6
        if objective > best[0]:
            best = (objective, round(float(at), 2), found / complaints, taken / others)
    return best[1], best[2], best[3]


def _scope(
    rows: list[tuple[int, list[dict[str, float]], list[bool], bool]], features: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """One row a question (its features that are the same for every candidate): in scope or not."""
    x = np.array([[values[0][f] for f in features] for _, values, _, _ in rows])
    y = np.array([float(in_scope) for _, _, _, in_scope in rows])
    return x, y


def _matrix(
    rows: list[tuple[int, list[dict[str, float]], list[bool], bool]], features: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[v[f] for f in features] for _, values, _, _ in rows for v in values])
    y = np.array([float(label) for _, _, labels, _ in rows for label in labels])
    return x, y


def _thresholds(
    rows: list[tuple[int, list[dict[str, float]], list[bool], bool]], predicted: list[np.ndarray]
) -> tuple[float, float, dict[str, float]]:
    in_scope = sum(1 for r in rows if r[3]) or 1
    out_of_scope = sum(1 for r in rows if not r[3]) or 1
    best: tuple[float, float, float, dict[str, float]] = (-1e9, 0.5, 0.2, {})
    grid = [round(t, 2) for t in np.arange(0.05, 0.96, 0.01)]
    for answer_at in grid:
        for clarify_at in grid:
            if clarify_at > answer_at:
                break
            right = wrong = accepted = clarified_right = clarified_oos = 0
            for (_, _, labels, has_right), p in zip(rows, predicted):
                order = np.argsort(-p)
                top = int(order[0])
                if p[top] >= answer_at:
                    if has_right:
                        right += labels[top]
                        wrong += not labels[top]
                    else:
                        accepted += 1
                elif p[top] >= clarify_at:
                    if has_right:
                        clarified_right += any(labels[i] for i in order[:3] if p[i] >= clarify_at)
                    else:
                        clarified_oos += 1
            objective = right + 0.5 * clarified_right - 3 * wrong - 3 * accepted - 0.5 * clarified_oos
            # The targets are limits, not prices: past them a threshold is not considered.
            if wrong > MAX_WRONG * in_scope or accepted > MAX_OUT_OF_SCOPE * out_of_scope:
                objective -= 1e6
            if objective > best[0]:
                scores = {
                    "answered_right": right / in_scope,
                    "answered_wrong": wrong / in_scope,
                    "oos_accepted": accepted / out_of_scope,
                    "clarified_with_right": clarified_right / in_scope,
                }
                best = (objective, answer_at, clarify_at, scores)
    return best[1], best[2], best[3]


def default_settings() -> Settings:
    """Settings with nothing read from the environment, for reproducible figures."""
    return Settings.model_construct(
        **{name: f.get_default(call_default_factory=True) for name, f in Settings.model_fields.items()}
    )
