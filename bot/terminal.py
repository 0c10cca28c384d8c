"""A staff member's terminal: what citizens typed is printed to it, never acted on; the files a
command writes are named in it.

A terminal acts on control characters: ESC starts sequences that set its title, write the
clipboard (OSC 52), make links (OSC 8) or clear the screen, BEL rings, and the bidi overrides
(U+202E) reverse what follows. click strips only the colour sequences, and only when the output
is not a terminal, so every command prints through :func:`echo`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .bidi import UNSHOWN as _UNSHOWN


def shown(text: str) -> str:
    """``text`` without what a terminal would act on rather than show."""
    return _UNSHOWN.sub("", text)


def escaped(json_text: str) -> str:
    """A JSON text with those characters written as escapes (the same JSON, nothing lost): in
    a JSON text they can only be inside strings."""
    return _UNSHOWN.sub(lambda found: f"\\u{ord(found.group()):04x}", json_text)


def emit(contents: str) -> None:
    """A file's contents (a CSV) to standard output: as they are into a file or a pipe, as
    :func:`shown` on a terminal, where they are read rather than kept."""
    click.echo(shown(contents) if sys.stdout.isatty() else contents, nl=False)


def echo(message: Any = None, **kwargs: Any) -> None:
    """``click.echo`` of ``message`` as :func:`shown`."""
    click.echo(None if message is None else shown(str(message)), **kwargs)


_JOURNALS = ("-wal", "-shm", "-journal")


class OutputFile(click.Path):
    """A file a command writes (``-o``): a folder that does not exist is said so, with the
    command's usage, rather than found out halfway with a traceback."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, writable=True, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        target = Path(str(path))
        folder = target.parent
        if not folder.is_dir():
            self.fail(f"the folder {folder} does not exist", param, ctx)
        from .storage.backup import is_database

        # A database, or its journal, is never written over by an export (-o gongkai.db truncated
        # the service's database to a CSV).
        base = next((target.name[: -len(end)] for end in _JOURNALS if target.name.endswith(end)), None)
        if is_database(target) or (base and is_database(folder / base)):
            self.fail(f"{target} is a database (or its journal): an export never writes over one", param, ctx)
        return path
