"""Writing what staff taught into the knowledge files (``gongkai knowledge export``).

The files are edited, not rewritten: a phrasing or an example is inserted after the last item of
its list, a new entry after the last entry of its section's file, each in the file's own layout,
so that the change reads in review as what was taught and every comment stays where it was.
ruamel.yaml finds where each list ends (its line numbers) and spells the new items as YAML.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import texts
from .knowledge import GUIDE_DIR, LEXICON_FILE, KnowledgeError, load
from .services.teaching import Taught, referral

REFER_FILE = "90-elsewhere.yaml"


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # one line per phrasing, as the files have them
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def export(folder: Path, taught: Iterable[Taught]) -> list[Path]:
    """Write ``taught`` into the files of the knowledge ``folder``; return the files changed.

    What a file already has (a phrasing, an entry's id, an example) is not written again. The
    files are checked as written, in a copy of the folder, before any of them is: files that would
    not load (a taught text the check refuses) raise :class:`KnowledgeError` and nothing changes.
    """
    written = _edited(folder, taught)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / folder.name
        shutil.copytree(folder, copy)
        for path, text in written.items():
            (copy / path.relative_to(folder)).write_text(text, encoding="utf-8")
        try:
            load(copy)
        except KnowledgeError as e:  # said of the folder's own files
            problems = [replace(p, file=p.file.replace(str(copy), str(folder))) for p in e.problems]
            raise KnowledgeError(problems) from None
    for path, text in written.items():
        path.write_text(text, encoding="utf-8")
    return list(written)


def _edited(folder: Path, taught: Iterable[Taught]) -> dict[Path, str]:
    """The files of ``folder`` that ``taught`` changes, each with its new text."""
    phrasings: dict[str, list[str]] = defaultdict(list)
    entries: dict[str, list[dict[str, Any]]] = defaultdict(list)
    lexicon: dict[str, list[str]] = defaultdict(list)
    for t in taught:
        if t.action == "phrasings" and t.entry_id:
            phrasings[t.entry_id] += t.wordings
        elif t.action == "entry":
            d = t.data
            entry = {k: d[k] for k in ("id", "question", "alternatives", "keywords", "answer", "source")}
            entries[d["section"]].append(entry)
        elif t.action == "out_of_scope" and t.data.get("pointer") and t.entry_id:
            r = referral(t.entry_id, t.wordings, t.data["pointer"])
            entries[texts.REFER_SECTION].append(
                {"id": r.id, "question": r.question, "alternatives": list(r.alternatives), "keywords": []}
                | {"answer": r.answer, "source": r.source, "refer": True}
            )
        elif t.action == "out_of_scope":
            lexicon["out_of_scope_examples"] += t.wordings
        elif t.action == "complaint":
            lexicon["complaint_examples"] += t.wordings

    changed: dict[Path, str] = {}
    guide = folder / GUIDE_DIR
    for path in sorted(guide.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = _yaml().load(text)
        if not isinstance(data, CommentedMap) or not isinstance(data.get("entries"), CommentedSeq):
            continue
        new = text
        for entry in reversed(list(data["entries"])):  # from the end: earlier lines stay put
            wanted = phrasings.pop(str(entry.get("id")), [])
            have = {entry.get("question"), *(entry.get("alternatives") or [])}
            add = list(dict.fromkeys(w for w in wanted if w not in have))
            if add and isinstance(entry.get("alternatives"), CommentedSeq):
                new = _append(new, entry["alternatives"], add)
        ids = {str(e.get("id")) for e in data["entries"]}
        fresh = [e for e in entries.pop(str(data.get("section", "")).strip(), []) if e["id"] not in ids]
        if fresh:
            new = _append(new, data["entries"], fresh)
        if new != text:
            changed[path] = new
    for section, fresh in entries.items():  # a section with no file yet: the referrals
        path = guide / (REFER_FILE if section == texts.REFER_SECTION else f"90-{len(changed)}.yaml")
        head = f"# {section}：工作人员在工作台中教给机器人的条目（gongkai knowledge export 写入）。\n"
        changed[path] = head + _dump({"section": section, "entries": fresh})

    if lexicon:
        path = folder / LEXICON_FILE
        text = path.read_text(encoding="utf-8")
        data = _yaml().load(text)
        new = text
        # From the list lowest in the file up, so that the lines found stay right.
        for key in sorted(lexicon, key=lambda k: -data[k].lc.line if isinstance(data.get(k), CommentedSeq) else 0):
            have = set(data.get(key) or [])
            add = list(dict.fromkeys(w for w in lexicon[key] if w not in have))
            if not add:
                continue
            if isinstance(data.get(key), CommentedSeq) and len(data[key]):
                new = _append(new, data[key], add)
            else:
                new = new.rstrip("\n") + "\n" + _dump({key: add})
        if new != text:
            changed[path] = new
    return changed


def _append(text: str, seq: CommentedSeq, items: list[Any]) -> str:
    """``text`` with ``items`` added at the end of the block list ``seq`` (loaded from ``text``),
    indented as its items are."""
    lines = text.splitlines(keepends=True)
    line, column = seq.lc.item(len(seq) - 1)
    dash = column - 2
    end = line + 1
    for n in range(line + 1, len(lines)):  # the rest of a multi-line last item (blank lines inside)
        if lines[n].strip():
            if _indent(lines[n]) <= dash:
                break
            end = n + 1
    if end and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    # A list dumped on its own has its dashes at column 2: moved to the list's column.
    block = "".join(" " * dash + row[2:] if row.strip() else row for row in _dump(items).splitlines(keepends=True))
    if isinstance(items[0], dict):
        block = "\n" + block  # entries are a blank line apart
    return "".join(lines[:end]) + block + "".join(lines[end:])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _dump(data: Any) -> str:
    out = io.StringIO()
    yaml = _yaml()
    if isinstance(data, list):
        data = [_literal(item) for item in data]
    elif isinstance(data, dict) and "entries" in data:
        data = {**data, "entries": [_literal(e) for e in data["entries"]]}
    yaml.dump(data, out)
    return out.getvalue()


def _literal(value: Any) -> Any:
    """An answer with line breaks as a ``|-`` block, as the files write them."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        return {k: _literal(v) if k in ("answer", "answer_en") else v for k, v in value.items()}
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value
