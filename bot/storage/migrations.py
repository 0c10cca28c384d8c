"""The database schema, changed only through these migrations, applied in order at start-up."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("gongkai")


@migrations()
def m001_enquiries(db: Database) -> None:
    # One row per question a citizen asked, on any channel. `user_ref` is a keyed hash of the
    # channel's user id, never the id itself; `text` is the normalised question.
    db.table("enquiries").create(
        {
            "id": int,
            "at": str,
            "channel": str,
            "user_ref": str,
            "text": str,
            "outcome": str,
            "entry_id": str,
            "score": float,
            "latency_ms": float,
        },
        pk="id",
        not_null={"at", "channel", "outcome"},
    )
    db.table("enquiries").create_index(["at"])
    db.table("enquiries").create_index(["outcome", "at"])


@migrations()
def m002_meta(db: Database) -> None:
    # Small values the application keeps for itself, such as a generated pseudonym key.
    db.table("meta").create({"key": str, "value": str}, pk="key")


@migrations()
def m003_complaints(db: Database) -> None:
    # The supervision log. A complaint is never deleted or renumbered; what happens to it is the
    # append-only trail of events. `chat_id` is where the citizen is answered (a channel's address,
    # needed to deliver staff replies); `name` and `phone` are given by the citizen, optionally.
    db.table("complaints").create(
        {
            "id": int,
            "number": str,
            "day": str,
            "seq": int,
            "kind": str,
            "topic": str,
            "text": str,
            "name": str,
            "phone": str,
            "channel": str,
            "chat_id": str,
            "user_ref": str,
            "dedupe_key": str,
            "status": str,
            "created_at": str,
            "updated_at": str,
            "due_on": str,
            "rating": str,
        },
        pk="id",
        not_null={"number", "day", "seq", "kind", "topic", "text", "channel", "status", "created_at", "due_on"},
    )
    db.table("complaints").create_index(["number"], unique=True)
    db.table("complaints").create_index(["day", "seq"], unique=True)
    db.table("complaints").create_index(["dedupe_key"], unique=True)
    db.table("complaints").create_index(["status", "due_on"])
    db.table("complaint_events").create(
        {"id": int, "complaint_id": int, "at": str, "kind": str, "actor": str, "text": str},
        pk="id",
        not_null={"complaint_id", "at", "kind", "actor"},
        foreign_keys=[("complaint_id", "complaints", "id")],
    )
    db.table("complaint_events").create_index(["complaint_id", "id"])
    # Messages owed to someone (the staff group, a citizen), written in the same transaction as
    # the event they tell of and delivered by the channel until sent: a failed send is retried.
    db.table("outbox").create(
        {
            "id": int,
            "complaint_id": int,
            "event_id": int,
            "channel": str,
            "recipient": str,
            "kind": str,
            "status": str,
            "attempts": int,
            "next_at": str,
            "last_error": str,
        },
        pk="id",
        not_null={"complaint_id", "channel", "recipient", "kind", "status", "attempts", "next_at"},
        foreign_keys=[("complaint_id", "complaints", "id"), ("event_id", "complaint_events", "id")],
        defaults={"attempts": 0},
    )
    db.table("outbox").create_index(["status", "channel", "next_at"])


@migrations()
def m004_staff(db: Database) -> None:
    # Staff accounts for the web console, managed with `gongkai staff`. `password` is an scrypt
    # hash with its parameters and salt; `failures` and `locked_until` make the lock-out.
    db.table("staff").create(
        {"username": str, "password": str, "created_at": str, "failures": int, "locked_until": str},
        pk="username",
        not_null={"password", "created_at", "failures"},
        defaults={"failures": 0},
    )
    # Log-in sessions: the cookie's token is stored only as its hash.
    db.table("staff_sessions").create(
        {"token_hash": str, "username": str, "csrf": str, "created_at": str, "expires_at": str},
        pk="token_hash",
        not_null={"username", "csrf", "created_at", "expires_at"},
        foreign_keys=[("username", "staff", "username")],
    )


@migrations()
def m005_outbox_for_every_notice(db: Database) -> None:
    # One outbox for every notice, not only a complaint's: `complaint_id` becomes optional and a
    # notice may carry its own `text`. The rows already owed are kept as they are.
    db.table("outbox").transform(not_null={"complaint_id": False})
    db.table("outbox").add_column("text", str)
    # A chat that moved (a Telegram group upgraded to a supergroup gets a new id): notices to the
    # old id go to the new one, in this process and after a restart.
    db.table("chat_moves").create({"channel": str, "old_id": str, "new_id": str, "at": str}, pk=("channel", "old_id"))


@migrations()
def m006_chat_sessions(db: Database) -> None:
    # The web chat's sessions, kept across restarts: the draft of a complaint being written and the
    # last turns of the conversation. `id` is a keyed hash of the session's id (the token the
    # browser holds is never stored); `seen_at` ages the session out (GONGKAI_WEB_SESSION_DAYS).
    db.table("chat_sessions").create(
        {"id": str, "created_at": str, "seen_at": str, "draft": str},
        pk="id",
        not_null={"created_at", "seen_at"},
    )
    db.table("chat_sessions").create_index(["seen_at"])
    # One row per turn (who said what, as JSON), numbered within its session; only the last ones
    # are kept.
    db.table("chat_turns").create(
        {"session_id": str, "seq": int, "turn": str},
        pk=("session_id", "seq"),
        not_null={"turn"},
        foreign_keys=[("session_id", "chat_sessions", "id")],
    )


@migrations()
def m007_applications(db: Database) -> None:
    # The register of applications for information (依申请公开). A row holds the application as
    # filed and is never updated: its state (corrected, extended, paused, decided) is folded from
    # the append-only events, each with who recorded it (`actor`), when (`at`) and the day it takes
    # effect in law (`on_date`); `data` holds an event's particulars as JSON (the decision, the
    # days of an extension and who approved it, the party consulted). `id_number` is shown only
    # masked. `channel` and `chat_id` say where the applicant is answered ("staff" when registered
    # from paper, post, fax or e-mail).
    db.table("applications").create(
        {
            "id": int,
            "number": str,
            "day": str,
            "seq": int,
            "applicant": str,
            "name": str,
            "id_type": str,
            "id_number": str,
            "phone": str,
            "email": str,
            "address": str,
            "contact_person": str,
            "description": str,
            "form": str,
            "delivery": str,
            "via": str,
            "received_on": str,
            "channel": str,
            "chat_id": str,
            "user_ref": str,
            "dedupe_key": str,
            "created_at": str,
        },
        pk="id",
        not_null={
            "number",
            "day",
            "seq",
            "applicant",
            "name",
            "id_type",
            "id_number",
            "description",
            "form",
            "delivery",
            "via",
            "received_on",
            "channel",
            "created_at",
        },
    )
    db.table("applications").create_index(["number"], unique=True)
    db.table("applications").create_index(["day", "seq"], unique=True)
    db.table("applications").create_index(["dedupe_key"], unique=True)
    db.table("applications").create_index(["received_on"])
    db.table("application_events").create(
        {
            "id": int,
            "application_id": int,
            "at": str,
            "kind": str,
            "actor": str,
            "on_date": str,
            "text": str,
            "data": str,
        },
        pk="id",
        not_null={"application_id", "at", "kind", "actor", "on_date"},
        foreign_keys=[("application_id", "applications", "id")],
    )
    db.table("application_events").create_index(["application_id", "id"])
    db.table("application_events").create_index(["kind", "on_date"])
    # Answer letters (告知书) as issued: the printable HTML and the plain text sent to the applicant.
    db.table("application_letters").create(
        {"id": int, "application_id": int, "event_id": int, "at": str, "kind": str, "html": str, "text": str},
        pk="id",
        not_null={"application_id", "event_id", "at", "kind", "html", "text"},
        foreign_keys=[("application_id", "applications", "id"), ("event_id", "application_events", "id")],
    )
    db.table("application_letters").create_index(["application_id", "id"])
    # A notice owed to an applicant names its application, so that staff see one that failed.
    db.table("outbox").add_column("application_id", int)


@migrations()
def m008_report(db: Database) -> None:
    # The yearly report's inputs that no other record holds. `report_entries`: what staff enter for
    # a year (Table 1's figures, the sections' texts, ...), by key; never updated in place: the
    # newest row of a (year, key) is its value, the older ones its history, with who and when.
    db.table("report_entries").create(
        {"id": int, "year": int, "key": str, "value": str, "actor": str, "at": str},
        pk="id",
        not_null={"year", "key", "value", "actor", "at"},
    )
    db.table("report_entries").create_index(["year", "key", "id"])
    # Table 3's register: cases of administrative review and litigation about disclosure work.
    # A case's result is an event (a correction is a newer event), like everything staff do.
    db.table("report_cases").create(
        {"id": int, "number": str, "kind": str, "filed_on": str, "subject": str, "actor": str, "at": str},
        pk="id",
        not_null={"number", "kind", "filed_on", "actor", "at"},
    )
    db.table("report_cases").create_index(["number"], unique=True)
    db.table("report_case_events").create(
        {"id": int, "case_id": int, "at": str, "actor": str, "result": str, "decided_on": str, "note": str},
        pk="id",
        not_null={"case_id", "at", "actor", "result", "decided_on"},
        foreign_keys=[("case_id", "report_cases", "id")],
    )
    db.table("report_case_events").create_index(["case_id", "id"])


@migrations()
def m009_teachings(db: Database) -> None:
    # What staff taught the bot, append-only: a phrasing for an entry, a new entry, a question that
    # is not the bureau's business (with who to ask instead), a complaint the bot missed. An undo
    # and an export are rows too (`about`: the row undone; the last row written to the files).
    db.table("teachings").create(
        {"id": int, "at": str, "staff": str, "action": str, "entry_id": str, "data": str, "about": int},
        pk="id",
        not_null={"at", "staff", "action", "data"},
    )


@migrations()
def m010_staff_roles(db: Database) -> None:
    # What each member of staff may do: admin (everything, accounts too), editor (teach the bot,
    # and work), clerk (work complaints and applications). Accounts from before roles keep what
    # they could do: everything.
    db.table("staff").add_column("role", str, not_null_default="admin")


@migrations()
def m011_retention(db: Database) -> None:
    # A citizen who asks for their chat history to be deleted has their enquiries found by their
    # pseudonym: an index, not a scan of the whole log.
    db.table("enquiries").create_index(["user_ref"], if_not_exists=True)
    # When a notice was owed (its age is what /healthz and /metrics watch: `next_at` moves with
    # every retry) and the request id of the message that caused it (bot.logs), so that its
    # delivery is logged under the same id. Notices owed before: the time of their event, or
    # when they were next due.
    db.table("outbox").add_column("created_at", str)
    db.table("outbox").add_column("request_id", str)
    db.execute(
        """update outbox set created_at = coalesce(
            (select at from complaint_events where complaint_events.id = outbox.event_id), next_at)"""
    )
    db.table("outbox").create_index(["status", "created_at"])


@migrations()
def m012_enquiry_typed(db: Database) -> None:
    # What the citizen typed, beside the normalised `text` (which drops 样, splits digits, maps
    # synonyms): staff reading the unanswered questions read the citizen's own words. Blanked with
    # `text` (retention, and a citizen's request to forget). Enquiries from before: none kept.
    db.table("enquiries").add_column("typed", str, not_null_default="")


@migrations()
def m013_chat_application(db: Database) -> None:
    # The web chat's application for information at its confirm step (the fields checked, the
    # identity number among them, which the confirm page does not send back to the browser), kept
    # across a restart as the complaint draft is; once filed only its number is kept (a second
    # click is shown it).
    db.table("chat_sessions").add_column("application", str)


@migrations()
def m014_enquiry_missed(db: Database) -> None:
    # The guide entries a citizen said missed the question (不是这个, the web chat's and Telegram's
    # 没答到我问的？): the staff's queue keeps the question until another entry answers it.
    db.table("enquiries").add_column("missed", str, not_null_default="")
