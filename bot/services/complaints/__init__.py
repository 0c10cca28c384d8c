"""The supervision log: complaints and tip-offs from any channel, and what staff do with them.

Every channel files and looks up complaints here, and every staff tool (the Telegram staff group,
the web console, the CLI) acts on them here, so the rules live in one place:

- A complaint, its ``created`` event and the notice owed to the staff group are written in one
  transaction, committed before the citizen is shown the number (``Store.write`` resolves after
  the commit). A process killed at any moment leaves a whole complaint or none.
- What happens to a complaint is an append-only trail of events, each with its actor and time.
- A notice owed to someone (staff, or the citizen when staff reply or close) goes into the
  outbox (``services.outbox``) in the transaction of its event; the channel's sender delivers it
  and retries until it is sent, so a failed send never loses the complaint or the reply.

The package by concern: ``types`` (what is recorded, and its labels), ``contact`` (names and
phone numbers), ``service`` (filing and staff actions), ``listing`` (search and counts),
``export`` (the ledger, XLSX and CSV).
"""

from .contact import MAX_NAME, clean_phone, mask_phone, split_contact
from .listing import Filter
from .service import Complaints
from .types import (
    EVENTS,
    KIND_TOPICS,
    KINDS,
    MAX_TEXT,
    RATINGS,
    STAFF,
    STATUSES,
    TOPICS,
    Complaint,
    ComplaintError,
    Draft,
    Event,
    Lookup,
    citizen_notice,
    told_of,
    told_topic,
    topics_for,
)

__all__ = [
    "EVENTS",
    "KINDS",
    "KIND_TOPICS",
    "MAX_NAME",
    "MAX_TEXT",
    "RATINGS",
    "STAFF",
    "STATUSES",
    "TOPICS",
    "Complaint",
    "ComplaintError",
    "Complaints",
    "Draft",
    "Event",
    "Filter",
    "Lookup",
    "citizen_notice",
    "clean_phone",
    "mask_phone",
    "split_contact",
    "told_of",
    "told_topic",
    "topics_for",
]
