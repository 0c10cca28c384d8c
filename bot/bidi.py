"""The bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): invisible, they
reorder what follows them wherever a text is shown. A citizen's U+202E turns 13812345678 round on a
staff page, in a cell of the 台账 or in a terminal; no Chinese or English text needs them, so what
citizens typed is shown to staff without them. A page drops the other control characters too (ESC,
BEL: HTML may not hold them), as a terminal does (``terminal.shown``)."""

from __future__ import annotations

import re

from markupsafe import Markup

BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"  # as a character class's ranges
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# Every C0 and C1 control character but the line break and the tab, and the bidi controls.
UNSHOWN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def without_bidi(text: str) -> str:
    """``text`` without the bidi controls."""
    return _BIDI.sub("", text)


def shown(value: object) -> object:
    """A template's value as a page shows it (jinja2's ``finalize``): a text without the control
    characters (``UNSHOWN``), an already escaped one (``Markup``) still escaped."""
    if isinstance(value, Markup):
        return Markup(UNSHOWN.sub("", str(value)))
    return UNSHOWN.sub("", value) if isinstance(value, str) else value
