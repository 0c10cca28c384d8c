"""The database schema, changed only through these migrations, applied in order at start-up."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("gongkai")


@migrations()
def m001_enquiries(db: Database) -> None:
    # One row per question a citizen asked, on any channel. `user_ref` is a keyed hash of the
    # channel's user id, never the id itself; `text` is the normalised question.
    db["enquiries"].create(
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
    db["enquiries"].create_index(["at"])
    db["enquiries"].create_index(["outcome", "at"])


@migrations()
def m002_meta(db: Database) -> None:
    # Small values the application keeps for itself, such as a generated pseudonym key.
    db["meta"].create({"key": str, "value": str}, pk="key")
