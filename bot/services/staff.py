"""Staff accounts for the web console: scrypt-hashed passwords, a lock-out, log-in sessions.

Accounts are managed with ``gongkai staff add|passwd|remove|list``. A session cookie carries a
random token; the database keeps only its hash, so a copy of the database opens no session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from ..config import Settings
from ..limits import LRU
from ..storage import Store

log = logging.getLogger(__name__)

# scrypt: 16 MiB of memory per hash (n * r * 128 bytes), about 50 ms here.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 10
SESSION_HOURS = 12
# ``staff_lockout_attempts`` failures from one address lock that address out of the account; this
# many times as many, from any addresses, lock the account itself (a guesser with many addresses).
# One address cannot lock a member of staff out of their own account from theirs.
ACCOUNT_LOCK_SHARE = 4
ADDRESSES = 10_000  # (account, address) pairs remembered
_DUMMY = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${'00' * 16}${'00' * 32}"


# Each role and what it may do beyond working complaints, applications and the queue.
ROLES = {"admin": "管理员", "editor": "编辑", "clerk": "办事员"}
MAY = {"admin": frozenset({"teach", "accounts"}), "editor": frozenset({"teach"}), "clerk": frozenset()}


class StaffError(Exception):
    """A staff account operation that cannot be done; the message says why (in English, for the
    CLI); ``reason`` names it for the console, which says it in Chinese (``texts.STAFF_ERRORS``)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        computed = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(computed.hex(), digest)


@dataclass(frozen=True)
class Session:
    username: str
    csrf: str
    role: str = "clerk"

    def may(self, what: str) -> bool:
        """Whether this member of staff may ``what`` ("teach", "accounts")."""
        return what in MAY.get(self.role, frozenset())

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffAccounts:
    """The staff accounts and their sessions.

    :param now: the current time, aware (a test passes a fixed clock)
    """

    def __init__(self, store: Store, settings: Settings, *, now: Callable[[], dt.datetime] | None = None) -> None:
        self.store = store
        self.settings = settings
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        # Failures of an (account, address) pair: (failures in a row, locked until: monotonic s).
        self._tries: LRU[tuple[str, str], tuple[int, float]] = LRU(ADDRESSES)
        self._tries_lock = threading.Lock()  # log-ins are checked on worker threads

    # --- accounts (the CLI) -------------------------------------------------------------------------

    def add(self, username: str, password: str, role: str = "clerk") -> None:
        username = _valid_name(username)
        self._check_password(password)
        self._check_role(role)
        hashed = hash_password(password)

        def write(db: Database) -> None:
            # 王力 and wangli, WangLi and wangli: names that differ only in case would confuse the audit trail
            if db.execute("select 1 from staff where lower(username) = lower(?)", [username]).fetchone():
                raise StaffError(f"staff account {username!r} exists already", "exists")
            db.table("staff").insert(
                {"username": username, "password": hashed, "created_at": self._stamp(), "failures": 0, "role": role}
            )

        self.store.write(write)
        log.info("staff account %s added as %s", username, role)

    def set_role(self, username: str, role: str, *, by: str | None = None) -> None:
        """Give an account another role (its open sessions take it from their next request); an
        admin (``by``) cannot take their own admin role away: the bureau would lose its console."""
        self._check_role(role)
        username = self._stored(username)
        if username == by and role != "admin":
            raise StaffError("you cannot take away your own admin role", "own_role")

        def write(db: Database) -> None:
            if db.execute("update staff set role = ? where username = ?", [role, username]).rowcount == 0:
                raise StaffError(f"no staff account {username!r}", "unknown")

        self.store.write(write)
        log.info("staff account %s is now %s", username, role)

    def has(self, username: str) -> bool:
        """Whether an account of that name exists (typed in any case or width)."""
        found = self.store.reader.execute("select 1 from staff where lower(username) = lower(?)", [_folded(username)])
        return found.fetchone() is not None

    def accounts(self) -> list[dict[str, str | None]]:
        """Each account: its name, role and, if locked, until when."""
        now = self._stamp()
        rows = self.store.reader.execute("select username, role, locked_until from staff order by username")
        return [
            {"username": name, "role": role, "locked_until": until if until and until > now else None}
            for name, role, until in rows.fetchall()
        ]

    def passwd(self, username: str, password: str) -> None:
        """Set a new password; this also unlocks the account and ends its sessions."""
        self._check_password(password)
        hashed = hash_password(password)
        username = self._stored(username)

        def write(db: Database) -> None:
            cursor = db.execute(
                "update staff set password = ?, failures = 0, locked_until = null where username = ?",
                [hashed, username],
            )
            if cursor.rowcount == 0:
                raise StaffError(f"no staff account {username!r}", "unknown")
            db.execute("delete from staff_sessions where username = ?", [username])

        self.store.write(write)
        log.info("staff account %s: password changed", username)

    def remove(self, username: str, *, by: str | None = None) -> None:
        """Remove an account and its sessions; not the account of the one removing it (``by``)."""
        username = self._stored(username)
        if username == by:
            raise StaffError("you cannot remove your own account", "own_account")

        def write(db: Database) -> None:
            db.execute("delete from staff_sessions where username = ?", [username])
            if db.execute("delete from staff where username = ?", [username]).rowcount == 0:
                raise StaffError(f"no staff account {username!r}", "unknown")

        self.store.write(write)
        log.info("staff account %s removed", username)

    # --- logging in and out (the web console) ----------------------------------------------------------

    def log_in(self, username: str, password: str, address: str = "") -> str | None:
        """A new session token if the password is right and the account not locked; else None.

        Every failure looks the same to the caller (no telling which names exist). After
        ``staff_lockout_attempts`` failures in a row from one ``address`` (the client's), that
        address is locked out of the account for ``staff_lockout_minutes``, even for the right
        password; after ``ACCOUNT_LOCK_SHARE`` times as many from any, the account is.

        Each attempt is counted as a failure, in one transaction, before the password is checked
        (scrypt, in the caller's thread): however many attempts come at once, at most
        ``staff_lockout_attempts`` of them are checked before the lock. A right password then
        clears the counts.
        """
        username = self._stored(username)
        pair = (username.lower(), address)
        if not self._claim_address(pair):
            verify_password(password, _DUMMY)  # as slow as any other refusal
            log.warning("staff log-in refused: %s is locked for this address", username)
            return None
        claimed = self.store.write(self._claim(username))
        if claimed is None:
            verify_password(password, _DUMMY)  # hashed even for an unknown name: same timing
            log.warning("staff log-in refused: unknown account")
            return None
        if not claimed:
            verify_password(password, _DUMMY)  # and for a locked one: a quick refusal says it exists
            log.warning("staff log-in refused: %s is locked", username)
            return None
        stored = self.store.reader.execute("select password from staff where username = ?", [username]).fetchone()
        if stored is None or not verify_password(password, stored[0]):
            log.warning("staff log-in refused: wrong password for %s", username)
            return None
        with self._tries_lock:
            self._tries.pop(pair, None)
        token = secrets.token_urlsafe(32)
        now = self._stamp()
        expires = (self._now() + dt.timedelta(hours=SESSION_HOURS)).isoformat(timespec="seconds")

        def write(db: Database) -> None:
            db.execute("update staff set failures = 0, locked_until = null where username = ?", [username])
            db.execute("delete from staff_sessions where expires_at < ?", [now])
            db.table("staff_sessions").insert(
                {
                    "token_hash": _token_hash(token),
                    "username": username,
                    "csrf": secrets.token_urlsafe(32),
                    "created_at": now,
                    "expires_at": expires,
                }
            )

        self.store.write(write)
        log.info("staff %s logged in", username)
        return token

    def verify(self, username: str, password: str) -> bool:
        """Whether ``password`` is the account's (to change it, a member of staff gives the current
        one): as many wrong tries as a log-in allows, then none for a while."""
        if not self._claim_address((username.lower(), "password")):
            verify_password(password, _DUMMY)
            return False
        stored = self.store.reader.execute("select password from staff where username = ?", [username]).fetchone()
        return stored is not None and verify_password(password, stored[0])

    def session(self, token: str | None) -> Session | None:
        """The live session of a cookie's token, if any."""
        if not token:
            return None
        row = self.store.reader.execute(
            "select s.username, s.csrf, s.expires_at, staff.role from staff_sessions s"
            " join staff using (username) where token_hash = ?",
            [_token_hash(token)],
        ).fetchone()
        if row is None or row[2] < self._stamp():
            return None
        return Session(row[0], row[1], row[3])

    def log_out(self, token: str) -> None:
        self.store.write(lambda db: db.execute("delete from staff_sessions where token_hash = ?", [_token_hash(token)]))

    # --- internals --------------------------------------------------------------------------------------

    def _claim_address(self, pair: tuple[str, str]) -> bool:
        """Count an attempt on an account from an address as a failure before its password is
        checked: whether it may be checked (False: the address is locked out of the account)."""
        attempts = self.settings.staff_lockout_attempts
        with self._tries_lock:
            failures, until = self._tries.get(pair) or (0, 0.0)
            now = time.monotonic()
            if until > now:
                return False
            failures += 1
            if failures >= attempts:  # this attempt is the last one checked
                failures, until = 0, now + 60 * self.settings.staff_lockout_minutes
            self._tries[pair] = (failures, until)
            return True

    def _claim(self, username: str) -> Callable[[Database], bool | None]:
        """The write that counts an attempt as a failure before its password is checked: whether
        it may be checked (False: the account is locked; None: there is no such account)."""

        def write(db: Database) -> bool | None:
            row = db.execute("select failures, locked_until from staff where username = ?", [username]).fetchone()
            if row is None:
                return None
            failures, locked_until = row
            now = self._stamp()
            if locked_until and locked_until > now:
                return False
            failures = (failures or 0) + 1
            locked = None
            if failures >= self.settings.staff_lockout_attempts * ACCOUNT_LOCK_SHARE:
                # This attempt is the last one checked: the ones after it find the lock.
                until = self._now() + dt.timedelta(minutes=self.settings.staff_lockout_minutes)
                locked = until.isoformat(timespec="seconds")
                failures = 0
                log.warning("staff account %s locked after repeated failed log-ins", username)
            db.execute(
                "update staff set failures = ?, locked_until = coalesce(?, locked_until) where username = ?",
                [failures, locked, username],
            )
            return True

        return write

    def _stamp(self) -> str:
        return self._now().astimezone(dt.UTC).isoformat(timespec="seconds")

    def _stored(self, username: str) -> str:
        """The account's name as stored, for a name typed in any case or width (ＷａｎｇＬｉ:
        WangLi); as typed, folded, when there is no such account."""
        typed = _folded(username)
        row = self.store.reader.execute("select username from staff where lower(username) = lower(?)", [typed])
        found = row.fetchone()
        return found[0] if found else typed

    @staticmethod
    def _check_role(role: str) -> None:
        if role not in ROLES:
            raise StaffError(f"a role is one of {', '.join(ROLES)}", "role")

    @staticmethod
    def _check_password(password: str) -> None:
        if len(password) < MIN_PASSWORD or len(set(password)) == 1:  # ten spaces, 1111111111
            raise StaffError(f"a password needs at least {MIN_PASSWORD} characters, not all the same", "password")


def _folded(username: str) -> str:
    """A typed name as accounts are named: full-width letters and digits as ASCII (NFKC), no
    spaces around."""
    return unicodedata.normalize("NFKC", username).strip()


def _valid_name(username: str) -> str:
    """``username`` folded, if it is one: 1-40 letters (汉字 too), digits, '.', '_' or '-'."""
    username = _folded(username)
    if not username or len(username) > 40 or not all(c.isalnum() or c in "._-" for c in username):
        raise StaffError("a username is 1-40 letters (汉字 too), digits, '.', '_' or '-'", "username")
    return username
