"""What staff teach the bot from the questions it could not answer, kept beside the files.

The knowledge folder stays the source of truth; what staff teach in the console or the CLI is a
list of records in the database (who, when, what), applied over the folder's knowledge each time
it is loaded (``apply``), until ``gongkai knowledge export`` writes them into the files. Nothing is
edited in place: an undo and an export are records too. Applying is idempotent (a phrasing the
files already have is not added twice), so an export interrupted half-way doubles nothing.

Four things can be taught:

- ``phrasings``: wordings that an existing guide entry answers;
- ``entry``: a new guide entry (validated as ``gongkai knowledge check`` validates the files);
- ``out_of_scope``: questions that are not the bureau's business; with a ``pointer`` (who to ask
  instead) they become a referral that answers their like, without one they are examples that
  weigh against answering;
- ``complaint``: messages that were complaints or tip-offs, examples for recognising their like.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from .. import texts
from ..evaluation import COMPLAINT, OUT_OF_SCOPE, Labelled
from ..knowledge import MAX_QUESTION_CHARS, GuideEntry, Knowledge, check_entry
from ..reading import gibberish, wordless
from ..storage import Store, inserted_id

if TYPE_CHECKING:
    from ..matching import Matcher, Scored

ACTIONS = texts.TEACH_ACTIONS
UNDO, EXPORT = "undo", "export"
MAX_WORDING = MAX_QUESTION_CHARS
MAX_POINTER = 500
REFER_PREFIX = "elsewhere-"
_SPACES = re.compile(r"\s+")
# Below this for every entry (明天会下雨吗), wordings are likely none of the guide's business: staff
# are told so, and pointed to marking them out of scope.
NEAR_AT = 0.05


class TeachingError(Exception):
    """What staff asked to teach cannot be taught; ``problems`` maps a field to its reason."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("；".join(f"{field}: {reason}" for field, reason in problems.items()))


@dataclass(frozen=True)
class Taught:
    """One thing taught, and what became of it."""

    id: int
    at: str
    staff: str
    action: str
    entry_id: str | None
    data: dict[str, Any]
    undone: bool = False
    exported: bool = False

    @property
    def wordings(self) -> list[str]:
        """The citizens' wordings taught: a new entry's are its question and alternatives."""
        if self.action == "entry":
            return [w for w in (self.data.get("question", ""), *self.data.get("alternatives", ())) if w]
        return list(self.data.get("wordings", []))

    @property
    def label(self) -> str:
        return ACTIONS.get(self.action, self.action)

    @property
    def pending(self) -> bool:
        """Applied over the files (not undone, not written into them yet)."""
        return not (self.undone or self.exported)


class Teaching:
    """The records of what staff taught, in ``store``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- reading -------------------------------------------------------------------------------------

    def records(self) -> list[Taught]:
        """Everything taught, oldest first, each with whether it was undone or exported since."""
        rows = list(self.store.reader.query("select * from teachings order by id"))
        undone = {r["about"] for r in rows if r["action"] == UNDO}
        exported = max((r["about"] for r in rows if r["action"] == EXPORT), default=0)
        return [
            Taught(
                r["id"],
                r["at"],
                r["staff"],
                r["action"],
                r["entry_id"],
                json.loads(r["data"]),
                undone=r["id"] in undone,
                exported=r["id"] <= exported,
            )
            for r in rows
            if r["action"] in ACTIONS
        ]

    def pending(self) -> list[Taught]:
        return [t for t in self.records() if t.pending]

    def wordings(self) -> set[str]:
        """Every wording taught (and not undone): no longer waiting in the unanswered queue."""
        return {w for t in self.records() if not t.undone for w in t.wordings}

    def version(self) -> int:
        """Changes whenever something is taught, undone or exported (a running Gongkai reloads)."""
        row = self.store.reader.execute("select max(id) from teachings").fetchone()
        return int(row[0] or 0)

    def apply(self, knowledge: Knowledge, taught: Iterable[Taught] | None = None) -> Knowledge:
        """``knowledge`` with what is taught (``pending()`` by default) applied over it, and as its
        ``base`` the knowledge without anything ever taught (exported since or not): what the
        answers to everything else are kept as (see ``Matcher``)."""
        if taught is not None:
            return apply(knowledge, taught)
        records = [t for t in self.records() if not t.undone]
        return apply(knowledge, [t for t in records if t.pending], base=untaught(knowledge, records))

    def labelled(self) -> list[Labelled]:
        """Every taught decision as a labelled question: the regression set that grows from use."""
        rows: list[Labelled] = []
        for t in self.records():
            if t.undone:
                continue
            expected = {
                "phrasings": t.entry_id or "",
                "entry": t.entry_id or "",
                "out_of_scope": t.entry_id or OUT_OF_SCOPE,
                "complaint": COMPLAINT,
            }[t.action]
            rows += [Labelled(w, expected, f"taught:{t.action}") for w in t.wordings]
        return rows

    # --- teaching ------------------------------------------------------------------------------------

    def teach_phrasings(self, knowledge: Knowledge, entry_id: str, wordings: Sequence[str], staff: str) -> Taught:
        """The guide entry ``entry_id`` answers ``wordings``."""
        knowledge = self.apply(knowledge)
        entry = knowledge.entry(entry_id)
        if entry is None or entry.refer:
            raise TeachingError({"entry_id": texts.TEACH_NO_ENTRY.format(entry=entry_id)})
        said = _wordings(wordings, knowledge, allow={entry.id})
        return self._add(staff, "phrasings", entry.id, {"wordings": said})

    def teach_entry(self, knowledge: Knowledge, fields: dict[str, Any], staff: str) -> Taught:
        """A new guide entry: ``id``, ``section`` (one of the guide's), ``question``,
        ``alternatives`` (the wordings citizens used), ``answer``, ``source``, optional ``keywords``."""
        knowledge = self.apply(knowledge)
        problems: dict[str, str] = {}
        section = str(fields.get("section", "")).strip()
        if section not in knowledge.sections or section == texts.REFER_SECTION:
            problems["section"] = texts.TEACH_SECTION
        raw: dict[str, Any] = {
            "id": str(fields.get("id", "")).strip(),
            "question": str(fields.get("question", "")).strip(),
            "alternatives": [w for w in (_clean(a) for a in fields.get("alternatives", [])) if w],
            "keywords": [w for w in (_clean(k) for k in fields.get("keywords", [])) if w],
            "answer": str(fields.get("answer", "")).strip(),
            "source": str(fields.get("source", "")).strip(),
        }
        entry, found = check_entry(raw, section)
        problems.update({str(p.field or "entry"): p.reason for p in found})
        if raw["id"] and knowledge.entry(raw["id"]) is not None:
            problems["id"] = texts.TEACH_ID_TAKEN.format(id=raw["id"])
        if "alternatives" not in problems:
            try:
                _wordings([raw["question"], *raw["alternatives"]], knowledge, allow=set())
            except TeachingError as e:
                problems["alternatives"] = e.problems["wordings"]
        if problems or entry is None:
            raise TeachingError(problems)
        data = {**raw, "section": section}
        return self._add(staff, "entry", entry.id, data)

    def teach_out_of_scope(
        self, knowledge: Knowledge, wordings: Sequence[str], staff: str, pointer: str = ""
    ) -> Taught:
        """``wordings`` are not the bureau's business; ``pointer`` says who to ask instead."""
        knowledge = self.apply(knowledge)
        said = _wordings(wordings, knowledge, allow=set())
        pointer = pointer.strip()
        if len(pointer) > MAX_POINTER:
            raise TeachingError({"pointer": texts.TEACH_POINTER_TOO_LONG.format(limit=MAX_POINTER)})
        if pointer:
            # The pointer is a referral entry's answer, written so into the files on export: checked
            # as an answer is (a brace only around one of the bureau's settings, {office_phone}).
            raw = {"id": "x", "question": said[0], "alternatives": said[1:], "answer": pointer, "refer": True}
            _, found = check_entry(raw | {"source": texts.REFER_SOURCE}, texts.REFER_SECTION)
            if problems := [p.reason for p in found if p.field == "answer"]:
                raise TeachingError({"pointer": problems[0]})
            # A referral is answered like an entry; its id is known only once the row is written.
            return self._add(staff, "out_of_scope", None, {"wordings": said, "pointer": pointer}, refer=True)
        return self._add(staff, "out_of_scope", None, {"wordings": said})

    def teach_complaint(self, knowledge: Knowledge, wordings: Sequence[str], staff: str) -> Taught:
        """``wordings`` were complaints or tip-offs the bot did not recognise."""
        knowledge = self.apply(knowledge)
        said = _wordings(wordings, knowledge, allow=set())
        return self._add(staff, "complaint", None, {"wordings": said})

    def undo(self, taught_id: int, staff: str) -> Taught:
        """Take back something taught (not yet written into the files)."""
        record = next((t for t in self.records() if t.id == taught_id), None)
        if record is None:
            raise TeachingError({"id": texts.TEACH_NO_RECORD.format(number=taught_id)})
        if record.undone:
            raise TeachingError({"id": texts.TEACH_UNDONE_ALREADY.format(number=taught_id)})
        if record.exported:
            raise TeachingError({"id": texts.TEACH_EXPORTED.format(number=taught_id)})
        self._add(staff, UNDO, record.entry_id, {}, about=taught_id)
        return replace(record, undone=True)

    def exported(self, up_to: int, staff: str) -> None:
        """Record that everything taught up to the row ``up_to`` is now in the files."""
        self._add(staff, EXPORT, None, {}, about=up_to)

    def _add(
        self,
        staff: str,
        action: str,
        entry_id: str | None,
        data: dict[str, Any],
        *,
        about: int | None = None,
        refer: bool = False,
    ) -> Taught:
        at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

        row = {"at": at, "staff": staff, "action": action, "entry_id": entry_id, "about": about}
        row["data"] = json.dumps(data, ensure_ascii=False)

        def insert(db: Database) -> int:
            new = inserted_id(db.table("teachings").insert(row).last_rowid)
            if refer:  # the referral's entry is named after its row
                db.execute("update teachings set entry_id = ? where id = ?", [f"{REFER_PREFIX}{new}", new])
            return new

        new = self.store.write(insert)
        return Taught(new, at, staff, action, f"{REFER_PREFIX}{new}" if refer else entry_id, data)


def apply(knowledge: Knowledge, taught: Iterable[Taught], *, base: Knowledge | None = None) -> Knowledge:
    """``knowledge`` with ``taught`` applied over it, in order; what the files already have (an
    entry's id, a phrasing, an example) is not added again. Its ``base`` is the knowledge without
    anything taught: ``base``, by default ``knowledge``'s own or ``knowledge``."""
    guide = list(knowledge.guide)
    index = {e.id: n for n, e in enumerate(guide)}
    out_of_scope = list(knowledge.lexicon.out_of_scope_examples)
    complaints = list(knowledge.lexicon.complaint_examples)
    for t in taught:
        if t.action == "phrasings" and t.entry_id in index:
            entry = guide[index[t.entry_id]]
            known = {entry.question, *entry.alternatives}
            new = tuple(w for w in t.wordings if w not in known)
            guide[index[t.entry_id]] = replace(entry, alternatives=entry.alternatives + new)
        elif t.action == "entry" and t.entry_id and t.entry_id not in index:
            d = t.data
            index[t.entry_id] = len(guide)
            guide.append(
                GuideEntry(
                    t.entry_id,
                    d["section"],
                    d["question"],
                    tuple(d["alternatives"]),
                    tuple(d.get("keywords", ())),
                    d["answer"],
                    d["source"],
                )
            )
        elif t.action == "out_of_scope" and t.data.get("pointer") and t.entry_id and t.entry_id not in index:
            index[t.entry_id] = len(guide)
            guide.append(referral(t.entry_id, t.wordings, t.data["pointer"]))
        elif t.action == "out_of_scope" and not t.data.get("pointer"):
            out_of_scope += [w for w in t.wordings if w not in out_of_scope]
        elif t.action == "complaint":
            complaints += [w for w in t.wordings if w not in complaints]
    lexicon = replace(
        knowledge.lexicon, out_of_scope_examples=tuple(out_of_scope), complaint_examples=tuple(complaints)
    )
    base = base or knowledge.base or knowledge
    if (tuple(guide), lexicon) == (base.guide, base.lexicon):
        base = None  # nothing taught
    return replace(knowledge, guide=tuple(guide), lexicon=lexicon, base=base)


def untaught(knowledge: Knowledge, taught: Iterable[Taught]) -> Knowledge:
    """``knowledge`` without what ``taught`` added, whether applied over the files or written into
    them since: its wordings, and the entries and referrals it wrote."""
    taught = list(taught)
    wordings = {w for t in taught for w in t.wordings}
    entries = {t.entry_id for t in taught if t.action in ("entry", "out_of_scope")}
    knowledge = knowledge.without(wordings.__contains__)
    return replace(knowledge, guide=tuple(e for e in knowledge.guide if e.id not in entries), base=None)


def referral(entry_id: str, wordings: Sequence[str], pointer: str) -> GuideEntry:
    """The guide entry that answers questions for another office with where to ask them."""
    return GuideEntry(
        entry_id,
        texts.REFER_SECTION,
        wordings[0],
        tuple(wordings[1:]),
        (),
        pointer,
        texts.REFER_SOURCE,
        refer=True,
    )


def _clean(text: Any) -> str:
    return _SPACES.sub(" ", str(text)).strip()


def _wordings(wordings: Sequence[str], knowledge: Knowledge, *, allow: set[str]) -> list[str]:
    """The wordings, cleaned and without repeats; refused if none, too long, or already a phrasing
    of an entry other than those in ``allow`` (one wording cannot answer two ways)."""
    said = list(dict.fromkeys(w for w in (_clean(w) for w in wordings) if w))
    if not said:
        raise TeachingError({"wordings": texts.TEACH_NO_WORDING})
    if any(len(w) > MAX_WORDING for w in said):
        raise TeachingError({"wordings": texts.TEACH_WORDING_TOO_LONG.format(limit=MAX_WORDING)})
    lexicon = knowledge.lexicon
    said_alone = {_plain(w) for w in (*lexicon.greetings, *lexicon.thanks, *lexicon.acknowledgements)}
    said_alone |= {_plain(w) for w in (*lexicon.not_it, *lexicon.cancels)}
    for w in said:
        if not any(c.isalnum() for c in w):  # ？？？ or quotes: nothing asked, and it would match junk
            raise TeachingError({"wordings": texts.TEACH_WORDING_NO_WORDS.format(wording=w)})
        # a, 测试, 谢谢: read before any matching (a stray letter, a greeting), never answered as taught
        if wordless(w) or gibberish(w) or _plain(w) in said_alone:
            raise TeachingError({"wordings": texts.TEACH_WORDING_NOT_ASKED.format(wording=w)})
    # A wording is its phrasing whatever its punctuation (申请政府信息公开要收费吗 is the question's, ？ aside)
    owners = {_plain(p): e for e in knowledge.guide for p in (e.question, *e.alternatives)}
    for w in said:
        owner = owners.get(_plain(w))
        if owner is not None and owner.id not in allow:
            raise TeachingError({"wordings": texts.TEACH_WORDING_TAKEN.format(wording=w, entry=owner.question)})
        if owner is not None:  # taught to this entry already: a second record would undo apart
            raise TeachingError({"wordings": texts.TEACH_WORDING_ALREADY.format(wording=w)})
    return said


def _plain(text: str) -> str:
    """A short message as the lexicon's lists are compared with it: lower case, no punctuation."""
    return "".join(c for c in text.lower() if c.isalnum())


def likely_entries(matcher: Matcher, text: str, limit: int) -> list[Scored]:
    """The guide's entries (referrals aside) most likely to answer ``text``, were it the bureau's
    business: staff teaching wordings the bot could not place have decided that it is, and compare
    the entries on the entry model alone (``Matcher.rank(in_scope=True)``), where the whole
    probability is near 0 for every entry (过年歇的那几天扣不扣除: working-days 0.71, not 0.23)."""
    ranked = matcher.rank(matcher.query(text), limit=limit, in_scope=True) if text else []
    return [c for c in ranked if not c.entry.refer]
