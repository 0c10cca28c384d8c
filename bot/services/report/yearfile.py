"""A year's report entries kept as a file in the knowledge folder: ``reports/<year>.yaml``.

For a year whose report was published before Gongkai kept the records (the seed's 2009), the
published figures and texts are part of what the bureau knows, reviewed like the guide. What staff
enter in the console or the CLI for the same key takes precedence.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ...knowledge import KnowledgeError, Problem, _compose, _mapping_lines
from .entries import checked
from .tables import ReportError

REPORTS_DIR = "reports"


def year_file(knowledge: Path, year: int) -> Path:
    return knowledge / REPORTS_DIR / f"{year}.yaml"


def load_year(knowledge: Path, year: int) -> dict[str, str]:
    """The entries of ``reports/<year>.yaml`` ({} if there is no such file); every problem is
    raised at once as a :class:`KnowledgeError` with its file, line and key."""
    path = year_file(knowledge, year)
    if not path.exists():
        return {}
    problems: list[Problem] = []
    composed = _compose(path, problems)
    if composed is None:
        raise KnowledgeError(problems)
    data, node = composed
    lines = _mapping_lines(node)
    if not isinstance(data, dict) or set(data) - {"year", "entries"} or not isinstance(data.get("entries"), dict):
        raise KnowledgeError([Problem(str(path), 1, None, "must be a mapping with 'year' and 'entries'")])
    if data.get("year") != year:
        problems.append(Problem(str(path), lines.get("year", 1), "year", f"must be {year}, the file's name"))
    entry_lines: dict[str, int] = {}
    for k, v in node.value:
        if k.value == "entries" and isinstance(v, yaml.MappingNode):
            entry_lines = _mapping_lines(v)
    entries: dict[str, str] = {}
    for key, value in data["entries"].items():
        line = entry_lines.get(str(key), lines.get("entries"))
        if value is None or isinstance(value, list | dict):
            problems.append(Problem(str(path), line, str(key), "must be a text, a number or a date"))
            continue
        try:
            entries[str(key)] = checked(year, str(key), str(value))
        except ReportError as e:
            problems.append(Problem(str(path), line, str(key), str(e)))
    if problems:
        raise KnowledgeError(problems)
    return entries
