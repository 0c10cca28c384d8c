"""A year's report entries kept as a file in the knowledge folder: ``reports/<year>.yaml``.

For a year whose report was published before Gongkai kept the records (the seed's 2009), the
published figures and texts are part of what the bureau knows, reviewed like the guide. What staff
enter in the console or the CLI for the same key takes precedence.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ...knowledge import KnowledgeError, Problem, _compose
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
    # The nodes' own texts, not PyYAML's values: 2010-02-30 would be a ValueError without a line,
    # and 0.8 a float whose text is not what was written.
    composed = _compose(path, problems, construct=False)
    if composed is None:
        raise KnowledgeError(problems)
    _, node = composed
    top = {str(k.value): (k, v) for k, v in node.value} if isinstance(node, yaml.MappingNode) else {}
    entries_node = top.get("entries", (None, None))[1]
    if set(top) != {"year", "entries"} or not isinstance(entries_node, yaml.MappingNode):
        raise KnowledgeError([Problem(str(path), 1, None, "must be a mapping with 'year' and 'entries'")])
    year_key, year_node = top["year"]
    if not isinstance(year_node, yaml.ScalarNode) or year_node.value != str(year):
        problems.append(Problem(str(path), year_key.start_mark.line + 1, "year", f"must be {year}, the file's name"))
    entries: dict[str, str] = {}
    for key_node, value_node in entries_node.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        if not isinstance(value_node, yaml.ScalarNode) or value_node.value == "":
            problems.append(Problem(str(path), line, key, "must be a text, a number or a date"))
            continue
        try:
            entries[key] = checked(year, key, str(value_node.value))
        except ReportError as e:
            problems.append(Problem(str(path), line, key, str(e)))
    if problems:
        raise KnowledgeError(problems)
    return entries
