"""Set variables in a ``.env`` file the way a person would: the lines in place, every other line and
comment kept, missing variables added at the end; values quoted so that python-dotenv (what
pydantic-settings reads the file with) reads back exactly what was written.

Every write is checked before it replaces the file: the new text, parsed, must give the new values
and leave every other variable as it was; the file is replaced atomically, keeping its mode.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values

# A variable's line: `NAME=...` or `export NAME=...` (pydantic-settings matches names without case).
LINE = re.compile(r"^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.]*)\s*=")
# A value that needs no quotes: no space, quote, backslash, # (a comment) or $ (a variable).
BARE = re.compile(r"[^\s'\"\\#$]+")


class EnvFileError(Exception):
    """The file cannot be written as asked (a value it cannot hold, a line it would misread)."""


def quote(value: str) -> str:
    """``value`` as a dotenv value: bare when it is safe so, else in double quotes with ``\\`` and
    ``"`` escaped (python-dotenv and systemd's EnvironmentFile= both read that back).

    :raises EnvFileError: for a line break or ``${``, which python-dotenv cannot read back as typed
      (it would expand ``${NAME}`` as a variable, and no escape stops it)
    """
    if "\n" in value or "\r" in value:
        raise EnvFileError("a value cannot hold a line break")
    if "${" in value:
        raise EnvFileError("a value cannot hold ${ (it would be read as a variable)")
    if BARE.fullmatch(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read(path: Path) -> dict[str, str | None]:
    """The variables of the file at ``path`` as pydantic-settings reads them (empty if none)."""
    if not path.exists():
        return {}
    return dict(dotenv_values(stream=io.StringIO(path.read_text(encoding="utf-8-sig"))))


def updated(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each variable of ``values`` set: every line that sets it now sets the new value
    (a name matches whatever its case); the ones no line sets are added at the end.

    :raises EnvFileError: when the result would not read back as meant
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines()
    wanted = {name.upper(): name for name in values}
    done: set[str] = set()
    for i, line in enumerate(lines):
        match = LINE.match(line)
        if match and match.group(2).upper() in wanted:
            name = wanted[match.group(2).upper()]
            lines[i] = f"{match.group(1)}{name}={quote(values[name])}"  # an `export ` stays
            done.add(name)
    missing = [name for name in values if name not in done]
    if missing:
        if lines and lines[-1].strip():
            lines.append("")
        lines.append("# Set by `gongkai setup`.")
        lines.extend(f"{name}={quote(values[name])}" for name in missing)
    result = newline.join(lines) + newline
    _check(text, result, values)
    return result


def _check(before: str, after: str, values: Mapping[str, str]) -> None:
    old = {k.upper(): v for k, v in dotenv_values(stream=io.StringIO(before)).items()}
    new = {k.upper(): v for k, v in dotenv_values(stream=io.StringIO(after)).items()}
    for name, wanted in values.items():
        if new.get(name.upper()) != wanted:
            raise EnvFileError(f"{name} would read back as {new.get(name.upper())!r}, not {wanted!r}")
    for name, value in old.items():
        if name not in {n.upper() for n in values} and new.get(name) != value:
            raise EnvFileError(f"{name} would change (a line of the file is not as it seems); edit it by hand")


def update(path: Path, values: Mapping[str, str]) -> None:
    """Set ``values`` in the file at ``path`` (created, readable by its owner only, if missing).

    :raises EnvFileError: see :func:`updated`
    :raises OSError: when the file cannot be read or written
    """
    path = path.resolve()  # a link to the file stays a link
    exists = path.exists()
    text = path.read_bytes().decode("utf-8-sig") if exists else ""  # its line endings kept
    result = updated(text, values)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(result)
        if exists:
            info = path.stat()
            os.chmod(temporary, info.st_mode & 0o7777)
            with contextlib.suppress(PermissionError):  # not root: the file stays ours, as it was
                os.chown(temporary, info.st_uid, info.st_gid)
        else:
            os.chmod(temporary, 0o600)  # it may come to hold tokens and secrets
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
