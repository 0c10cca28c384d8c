"""The account's custom menu (自定义菜单): the guide's sections, and the complaint services.

WeChat allows three top-level buttons of five entries each, names of at most 16 bytes at the top
and 60 below, keys of at most 128 bytes. A CLICK entry sends its key back as an event, which
``dialogue`` turns into a reply.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ... import texts
from ...knowledge import Knowledge

GUIDE = "GUIDE"  # every section, numbered
COMPLAINT = "COMPLAINT"
TIPOFF = "TIPOFF"
STATUS = "STATUS"
CONTACT = "CONTACT"
SECTION = "SECTION:"
TOP_BUTTONS = 3
SUB_BUTTONS = 5
NAME_BYTES = 60
KEY_BYTES = 128


def section_key(name: str) -> str:
    """The click key of a guide section: its name, or a hash of a name too long for a key."""
    key = SECTION + name
    if len(key.encode()) <= KEY_BYTES:
        return key
    return SECTION + "#" + hashlib.sha1(name.encode()).hexdigest()[:16]


def section_of(sections: list[str], key: str) -> str | None:
    """The section a click key names, or None (a menu pushed before the guide changed)."""
    return next((s for s in sections if section_key(s) == key), None)


def _clip(name: str, limit: int = NAME_BYTES) -> str:
    while len(name.encode()) > limit:
        name = name[:-1]
    return name


def _click(name: str, key: str) -> dict[str, str]:
    return {"type": "click", "name": _clip(name), "key": key}


def menu_definition(knowledge: Knowledge) -> dict[str, Any]:
    """The custom menu for ``knowledge``, as ``/cgi-bin/menu/create`` takes it.

    The guide's sections fill the first two buttons in file order; when they are more than fit,
    the last entry lists them all (全部栏目). The third button files a complaint or a tip-off,
    looks one up, and shows the office's contacts.
    """
    sections = [_click(name, section_key(name)) for name in knowledge.sections]
    slots = SUB_BUTTONS * (TOP_BUTTONS - 1)
    if len(sections) > slots:
        sections = sections[: slots - 1] + [_click(texts.WX_MENU_ALL_SECTIONS, GUIDE)]
    buttons: list[dict[str, Any]] = [
        {"name": name, "sub_button": sections[i : i + SUB_BUTTONS]}
        for name, i in zip(texts.WX_MENU_GUIDE, range(0, len(sections), SUB_BUTTONS), strict=False)
    ]
    buttons.append(
        {
            "name": texts.WX_MENU_SERVICE,
            "sub_button": [
                _click(texts.COMPLAINT_YES, COMPLAINT),
                _click(texts.TIPOFF_YES, TIPOFF),
                _click(texts.WX_MENU_STATUS, STATUS),
                _click(texts.WX_MENU_CONTACT, CONTACT),
            ],
        }
    )
    return {"button": buttons}
