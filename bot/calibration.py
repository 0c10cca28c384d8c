"""Calibrated confidence: the probability that a guide entry is the right answer to a question,
from features that separate right from wrong, fitted on labelled questions.

One logistic regression over every candidate entry of every labelled question (the right entry
is a positive, every other candidate and every candidate of an out-of-scope question a negative).
Its features are the lexical and semantic scores, how far each leads the next entry, whether the
two signals agree, how much of the question the knowledge has never seen (公租房, 医保), the
question's length and whether it is in English. The decision thresholds are chosen on
cross-validated probabilities, so they are what the model does on questions it was not fitted on.

``gongkai knowledge calibrate CSV...`` fits and writes ``calibration.json`` beside this module;
without the semantic signal a second model, fitted on the lexical features alone, is used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PATH = Path(__file__).with_name("calibration.json")

SEMANTIC_FEATURES = (
    "semantic",
    "semantic_lead",
    "semantic_and_lead",
    "agree",
    "semantic_top",
    "english_semantic",
    "out_of_scope",
    "semantic_rank",
    "both",
    "answer",
    "answer_lead",
    "kind",
    "kind_lead",
    "kind_top",
)
FEATURES = (
    "lexical",
    "lexical_lead",
    "lexical_top",
    "lexical_and_lead",
    "lexical_rank",
    "same_year",
    "focus",
    "unknown",
    "unknown_run",
    "length",
    "english",
    *SEMANTIC_FEATURES,
)
LEXICAL_FEATURES = tuple(f for f in FEATURES if f not in SEMANTIC_FEATURES)
# Whether the question is the guide's business at all, read from the question as a whole: the
# best scores and their gaps, the words the knowledge never uses, closeness to other offices'.
SCOPE_SEMANTIC = ("best_semantic", "semantic_gap", "out_of_scope", "best_kind", "kind_elsewhere")
# Of the unknown words, the scope model reads only their share: their longest run (which the
# entry model reads) takes everyday words the guide never uses (过年, 腿脚不便) for another office's
# topic; without it, 90.4% rather than 88.8% of the cross-validated questions are answered right.
SCOPE_FEATURES = (
    "best_lexical",
    "lexical_gap",
    "unknown",
    "length",
    "english",
    "focus",
    *SCOPE_SEMANTIC,
)
SCOPE_LEXICAL = tuple(f for f in SCOPE_FEATURES if f not in SCOPE_SEMANTIC)
# Whether a message complains or reports rather than asks: the lexicon's signs (complaint words,
# a topic of complaining, a hazard, a grievance, asking, asking for information), closeness in
# meaning to the complaint examples, and how well the guide answers it.
COMPLAINT_SEMANTIC = ("complaint_similarity", "complaint_lead", "kind_complaint")
COMPLAINT_FEATURES = (
    "complaint_words",
    "complaint_topic",
    "tipoff",
    "grievance",
    "hazard",
    "asks",
    "tells",
    "requests",
    "story",
    "best_guide",
    "exact",
    "length",
    "english",
    *COMPLAINT_SEMANTIC,
)
COMPLAINT_LEXICAL = tuple(f for f in COMPLAINT_FEATURES if f not in COMPLAINT_SEMANTIC)


@dataclass(frozen=True)
class Model:
    """A fitted logistic regression over named, standardised features, and its thresholds."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    answer_at: float  # answer outright at or above this probability
    clarify_at: float  # offer as a choice at or above this one

    def probability(self, values: dict[str, float]) -> float:
        z = self.bias
        for name, mean, scale, weight in zip(self.features, self.mean, self.scale, self.weights):
            z += weight * (values.get(name, 0.0) - mean) / scale
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def as_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "mean": [round(v, 6) for v in self.mean],
            "scale": [round(v, 6) for v in self.scale],
            "weights": [round(v, 6) for v in self.weights],
            "bias": round(self.bias, 6),
            "answer_at": self.answer_at,
            "clarify_at": self.clarify_at,
        }


# A referral (see Decision.probability) is answered from this much: taught the referrals of the even
# half of tests/data/teaching.csv's groups (the bench teaches the odd half), 9 of their 15
# paraphrases are answered (8 from 0.6) and none of 120 other questions gets a referral not its own.
# Answered wrongly, a referral points to another office; not answered, the citizen hears only 12345.
REFER_AT = 0.45


@dataclass(frozen=True)
class Decision:
    """The probability that a candidate is the right answer: that the question is in scope,
    times that this entry is the one (the thresholds are on the entry model and apply to that)."""

    entry: Model
    scope: Model
    complaint: Model  # its answer_at is the probability at which a message is a complaint

    def probability(self, values: dict[str, float], *, refer: bool = False) -> float:
        """A referral staff taught (公租房: the housing bureau) answers what is not the bureau's
        business: the probability that the question is not, times the referral's share among the
        referrals by meaning (taught from a few wordings, a referral is never the likeliest of all
        the classes: the lexicon's many examples of other offices' business outweigh it). On the
        lexical signal alone, the entry model decides it as any other entry."""
        if refer and "referral_share" in values:
            return min(1.0, values["referral_share"]) * (1.0 - self.scope.probability(values))
        return self.entry.probability(values) * (1.0 if refer else self.scope.probability(values))

    @property
    def answer_at(self) -> float:
        return self.entry.answer_at

    @property
    def clarify_at(self) -> float:
        return self.entry.clarify_at

    @property
    def refer_at(self) -> float:
        return REFER_AT


@dataclass(frozen=True)
class Calibration:
    """The decision with the semantic signal, and the one for when it is off."""

    semantic: Decision
    lexical: Decision

    @classmethod
    def load(cls, path: Path = PATH) -> Calibration:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(*(Decision(*(_model(data[name][part]) for part in PARTS)) for name in NAMES))

    def save(self, path: Path = PATH) -> None:
        data = {
            name: {part: getattr(d, part).as_json() for part in PARTS}
            for name, d in zip(NAMES, (self.semantic, self.lexical))
        }
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def model(self, semantic: bool) -> Decision:
        return self.semantic if semantic else self.lexical


NAMES = ("semantic", "lexical")
PARTS = ("entry", "scope", "complaint")


def _model(data: dict[str, object]) -> Model:
    return Model(
        tuple(data["features"]),  # type: ignore[arg-type]
        tuple(data["mean"]),  # type: ignore[arg-type]
        tuple(data["scale"]),  # type: ignore[arg-type]
        tuple(data["weights"]),  # type: ignore[arg-type]
        float(data["bias"]),  # type: ignore[arg-type]
        float(data["answer_at"]),  # type: ignore[arg-type]
        float(data["clarify_at"]),  # type: ignore[arg-type]
    )


def fit(features: Sequence[str], x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> Model:
    """Fit a logistic regression by Newton's method (with a ridge penalty); thresholds unset."""
    mean = x.mean(axis=0)
    scale = np.where(x.std(axis=0) > 1e-9, x.std(axis=0), 1.0)
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[-1, -1] = 0.0  # the bias is not shrunk
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        gradient = z.T @ (p - y) + penalty @ w
        hessian = (z * (p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Model(
        tuple(features),
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        tuple(float(v) for v in w[:-1]),
        float(w[-1]),
        0.5,
        0.2,
    )
