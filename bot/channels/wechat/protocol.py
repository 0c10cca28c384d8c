"""WeChat's callback XML: incoming messages parsed safely, passive replies written safely.

Parsing goes through defusedxml with DTDs forbidden: WeChat never sends one, and a DTD is how an
entity bomb or an external entity gets in. Writing puts every text in CDATA, split where the text
itself holds ``]]>``, and drops the characters XML 1.0 cannot carry at all (control characters):
user text echoed in a reply can never break the XML.
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml
import defusedxml.ElementTree

# Characters XML 1.0 allows; everything else (C0 controls but tab and newlines, lone surrogates,
# U+FFFE and U+FFFF) is dropped from what we write.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class ProtocolError(ValueError):
    """A body that is not a well-formed WeChat message (answered with 400)."""


@dataclass(frozen=True)
class Incoming:
    """One message or event WeChat delivers to the account.

    :param account: ToUserName, the account's own id (gh_...): the sender of our reply
    :param openid: FromUserName, the citizen's OpenID for this account
    :param msg_type: text, image, voice, video, shortvideo, location, link, event, ...
    :param content: a text's Content, or what WeChat heard in a voice message (Recognition, where
      the account has 语音识别 on; empty where it has not, or heard nothing)
    :param msg_id: MsgId (messages only; events have none)
    :param event: the event's name, lower case (subscribe, unsubscribe, click, view, ...)
    """

    account: str
    openid: str
    create_time: int
    msg_type: str
    content: str = ""
    msg_id: str = ""
    event: str = ""
    event_key: str = ""

    @property
    def key(self) -> str:
        """What a redelivery of this message shares with it.

        WeChat's advice: MsgId for a message, FromUserName with CreateTime for an event. The event's
        name joins them so that two different events of one second stay apart.
        """
        if self.msg_id:
            return f"m:{self.openid}:{self.msg_id}"
        return f"e:{self.openid}:{self.create_time}:{self.event}:{self.event_key}"

    @property
    def ref(self) -> str:
        """A short id for the logs: the MsgId, or the event's name."""
        return self.msg_id or f"event {self.event or '?'}"


def parse_xml(body: bytes | str) -> dict[str, str]:
    """The first-level fields of a WeChat XML body, by tag; ``ProtocolError`` if it is not one."""
    try:
        root = defusedxml.ElementTree.fromstring(body, forbid_dtd=True)
    except (ET.ParseError, defusedxml.DefusedXmlException, ValueError) as e:
        raise ProtocolError(type(e).__name__) from None
    if root.tag != "xml":
        raise ProtocolError("the root element is not <xml>")
    return {child.tag: (child.text or "") for child in root}


def incoming(fields: dict[str, str]) -> Incoming:
    """The message of a parsed body; ``ProtocolError`` if a required field is missing."""
    try:
        msg_type = _required(fields["MsgType"]).strip().lower()
        return Incoming(
            account=fields["ToUserName"],
            openid=_required(fields["FromUserName"]),
            create_time=int(fields.get("CreateTime") or 0),
            msg_type=msg_type,
            content=fields.get("Recognition" if msg_type == "voice" else "Content", ""),
            msg_id=fields.get("MsgId", "").strip(),
            event=fields.get("Event", "").strip().lower(),
            event_key=fields.get("EventKey", "").strip(),
        )
    except KeyError as e:
        raise ProtocolError(f"no {e.args[0]}") from None
    except ValueError:  # not the text: it is the sender's, and this goes to the log
        raise ProtocolError("an empty sender or type, or a CreateTime that is not a number") from None


def _required(value: str) -> str:
    if not value.strip():
        raise ValueError("empty")
    return value


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


# WeChat shows <a href="…">…</a> in a text message as a link. No text of Gongkai's holds one, so
# any is what a citizen or a member of staff typed (a complaint's summary, a reply): shown with a
# full-width ＜, as read, never made a link (href=javascript:, or a phishing page in the bureau's name).
_LINK = re.compile(r"<(?=\s*/?\s*a(?:\s|>|$))", re.IGNORECASE)


def unlinked(text: str) -> str:
    """``text`` as a WeChat text message may carry it: a link's tag typed in it is no link."""
    return _LINK.sub("＜", text)


def cdata(text: str) -> str:
    """``text`` as CDATA, whatever it holds: ``]]>`` ends one section and starts another."""
    return "<![CDATA[" + xml_safe(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(message: Incoming, content: str, *, now: float | None = None) -> str:
    """The passive reply to ``message`` saying ``content``."""
    created = int(time.time() if now is None else now)
    return (
        "<xml>"
        f"<ToUserName>{cdata(message.openid)}</ToUserName>"
        f"<FromUserName>{cdata(message.account)}</FromUserName>"
        f"<CreateTime>{created}</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{cdata(unlinked(content))}</Content>"
        "</xml>"
    )


def encrypted_reply(encrypt: str, msg_signature: str, timestamp: str, nonce: str) -> str:
    """The envelope of an encrypted passive reply (safe and compatible modes)."""
    return (
        "<xml>"
        f"<Encrypt>{cdata(encrypt)}</Encrypt>"
        f"<MsgSignature>{cdata(msg_signature)}</MsgSignature>"
        f"<TimeStamp>{int(timestamp)}</TimeStamp>"
        f"<Nonce>{cdata(nonce)}</Nonce>"
        "</xml>"
    )


def split_text(text: str, limit: int) -> list[str]:
    """``text`` in parts of at most ``limit`` UTF-8 bytes, cut at line ends where possible."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while len(line.encode()) > limit:  # a line too long on its own is cut where it must be
            cut = min(len(line), limit)  # a character is at least one byte
            while len(line[:cut].encode()) > limit:
                cut -= 1
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:cut])
            line = line[cut:]
        if len((current + line).encode()) > limit:
            parts.append(current)
            current = ""
        current += line
    if current or not parts:
        parts.append(current)
    return [p.rstrip("\n") for p in parts]
