"""Who has the database open: an advisory lock on ``<db>.lock`` beside it.

Every process that opens the store (``gongkai run``, and any ``gongkai`` command that reads or
writes the log) holds the lock shared for as long as the store is open; ``gongkai restore`` takes
it exclusive, so it cannot replace a database that anything is using, and nothing can open the
database while it is being replaced. The lock is ``flock(2)``'s: the kernel drops it when the
process ends, however it ends, so a killed Gongkai leaves no stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from . import StorageError


class DatabaseInUse(StorageError):
    """The database is open in another process (or being restored), so this cannot be done now."""


def lock_path(db: Path) -> Path:
    """The lock file of the database ``db``."""
    return db.with_name(db.name + ".lock")


def holders(path: Path) -> list[int]:
    """The ids of the processes holding a ``flock`` on ``path``, as far as Linux's /proc/locks tells
    (empty elsewhere, or when the file is gone)."""
    try:
        stat = path.stat()
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return []
    pids = set()
    for line in lines:
        fields = line.split()
        # "1: FLOCK  ADVISORY  READ  1234 08:01:5678 0 EOF" (a blocked waiter has "->" after the number)
        if "->" in fields:
            continue
        if len(fields) >= 6 and fields[1] == "FLOCK":
            pid, device_inode = fields[4], fields[5]
            if device_inode.rsplit(":", 1)[-1] == str(stat.st_ino) and pid.isdigit() and int(pid) != os.getpid():
                pids.add(int(pid))
    return sorted(pids)


class DatabaseLock:
    """The advisory lock of one database file.

    :param db: the database file; the lock is ``<db>.lock`` in the same folder
    """

    def __init__(self, db: Path | str) -> None:
        self.db = Path(db)
        self.path = lock_path(self.db)
        self._fd: int | None = None

    def shared(self) -> DatabaseLock:
        """Hold the lock shared, as every process with the store open does: fails only while a
        restore is replacing the database."""
        self._take(fcntl.LOCK_SH, "a restore is replacing it; open it again when the restore is done")
        return self

    def exclusive(self) -> DatabaseLock:
        """Hold the lock alone, as a restore does: fails while any process has the store open."""
        self._take(fcntl.LOCK_EX, "stop Gongkai first (systemctl stop gongkai) and any gongkai command using it")
        return self

    def _take(self, kind: int, advice: str) -> None:
        if self._fd is not None:
            raise RuntimeError("the lock is already held by this object")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o640)
        except OSError as e:
            reason = e.strerror or str(e)
            raise StorageError(f"cannot open database {self.db}: its lock file {self.path}: {reason}") from None
        try:
            fcntl.flock(fd, kind | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            pids = holders(self.path)
            by = f" by process {', '.join(map(str, pids))}" if pids else ""
            raise DatabaseInUse(f"the database {self.db} is in use{by}: {advice}") from None
        except OSError as e:
            os.close(fd)
            raise StorageError(f"cannot lock {self.path}: {e.strerror or e}") from None
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
