"""Corpus-wide entity numbering: the same entity gets the same number in every document.

Two :class:`~veil.pipeline.NumberSource` implementations:

* :class:`Vault` -- a SQLite file that hands out numbers in order of first appearance
  (``[PERSON_1]``, ``[PERSON_2]``, ...) and remembers them across runs. It never stores
  an entity in the clear: each row holds ``HMAC-SHA256(secret, label + "\\x1f" + key)``,
  where ``key`` is the entity's normalised canonical form. The secret is 32 random bytes
  kept in the vault file itself, unless a key file is given (``key=``), in which case only
  a check value of the key is stored and the vault is useless without the key file.
* :class:`KeyedNumbers` -- no state at all: the number is derived from
  ``HMAC-SHA256(key, label + "\\x1f" + entity key)``, so independent processes (Spark
  executors) agree without talking to each other. Numbers have ``digits`` digits;
  two distinct entities of one label collide with probability about ``n**2 / (2 * 9 *
  10**(digits-1))`` for ``n`` entities, which merges their pseudonyms but never reveals them.

Usage::

    with Vault("corpus.vault") as vault:
        for doc_id, text in docs:
            print(pipeline.redact(text, doc_id, numbers=vault).text)
    # numbers are written to the file when the block exits without error
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import secrets
import sqlite3
import stat
from pathlib import Path
from types import TracebackType

from .errors import ConfigError, WriteError
from .model import Label

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    label TEXT NOT NULL,
    digest TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (label, digest)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counters (label TEXT PRIMARY KEY, last INTEGER NOT NULL);
"""

_CHECK_INPUT = b"veil-vault-key-check-v1"


#: SQLite's side files of a database in rollback-journal and WAL mode.
SIDE_FILES = ("-journal", "-wal", "-shm")


def _make_private(path: Path) -> None:
    """Create ``path`` as an empty file of mode 0600 if it does not exist, and refuse it (and
    its SQLite side files) if other users may read or write it.

    The vault holds its HMAC secret unless it was made with a key file. SQLite creates the
    journal, WAL and shared-memory files with the database file's own mode, so a private
    database keeps them private too.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise ConfigError(f"cannot create vault {path}: {exc.strerror}") from None
    else:
        os.close(fd)
    if os.name != "posix":  # pragma: no cover - no POSIX modes to check (Windows uses ACLs)
        return
    for file in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise ConfigError(f"cannot open vault {path}: {exc.strerror}") from None
        if mode & 0o077:
            raise ConfigError(
                f"refusing to open vault {path}: {file.name} is open to other users (mode {mode:04o}); "
                f"it holds the vault's secret: make it private (chmod 600) or create a new vault"
            )


def _digest(secret: bytes, label: Label, key: str) -> str:
    msg = f"{label.value}\x1f{key}".encode()
    return hmac.new(secret, msg, hashlib.sha256).hexdigest()


class Vault:
    """Corpus-wide numbering kept in a SQLite file (see the module docstring).

    Numbers assigned by :meth:`number` are pending until :meth:`commit`; :meth:`rollback`
    forgets them, so a failed or interrupted batch leaves the file as it was. A batch run
    writes the pending rows itself, in the same SQLite transaction as its manifest
    (:meth:`pending_rows`, :meth:`mark_committed`), which is what makes resumed runs
    byte-identical. One vault file serves one run at a time: it is locked (``flock``) while
    open, and a second :class:`Vault` on the same file fails with a clear error instead of
    handing out numbers the first one also hands out.
    """

    def __init__(self, path: str | Path, *, key: bytes | None = None) -> None:
        self.path = Path(path)
        _make_private(self.path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open vault {self.path}: {type(exc).__name__}") from exc
        self._lock = self._acquire_lock()
        try:
            self._secret = self._load_secret(key)
        except BaseException:
            self.close()
            raise
        self._pending: dict[tuple[str, str], int] = {}
        self._counters: dict[str, int] = {}

    def _acquire_lock(self) -> int | None:
        """An exclusive ``flock`` on ``VAULT.lock`` beside the vault, held until :meth:`close`.

        A separate file, because on BSD-derived systems (macOS) and on NFS ``flock`` and
        SQLite's own ``fcntl`` locks on the vault file would interfere. Where ``flock`` does
        not exist (Windows) there is no lock."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return None
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            self._db.close()
            raise ConfigError(f"cannot create the vault lock {lock_path}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            self._db.close()
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise ConfigError(
                    f"vault {self.path} is in use by another run; one vault serves one run at a time"
                ) from None
            raise ConfigError(f"cannot lock vault {self.path}: {exc.strerror}") from None
        return fd

    def _load_secret(self, key: bytes | None) -> bytes:
        rows = dict(self._db.execute("SELECT name, value FROM meta").fetchall())
        check = None if key is None else hmac.new(key, _CHECK_INPUT, hashlib.sha256).digest()
        if not rows:
            if key is None:
                secret = secrets.token_bytes(32)
                self._db.execute("INSERT INTO meta VALUES ('secret', ?)", (secret,))
                return secret
            self._db.execute("INSERT INTO meta VALUES ('key_check', ?)", (check,))
            return key
        if "secret" in rows:
            if key is not None:
                raise ConfigError(f"vault {self.path} keeps its own secret; do not pass a key file")
            return bytes(rows["secret"])
        if key is None:
            raise ConfigError(f"vault {self.path} was created with a key file; pass the same key file")
        if check is None or not hmac.compare_digest(bytes(rows["key_check"]), check):
            raise ConfigError(f"the key file does not match vault {self.path}")
        return key

    # -- NumberSource ---------------------------------------------------------------------

    def number(self, label: Label, key: str) -> int:
        """The number of entity ``key`` among entities of ``label``, assigning the next free one."""
        digest = _digest(self._secret, label, key)
        found = self._pending.get((label.value, digest))
        if found is not None:
            return found
        row = self._db.execute(
            "SELECT number FROM entities WHERE label = ? AND digest = ?", (label.value, digest)
        ).fetchone()
        if row is not None:
            return int(row[0])
        last = self._counters.get(label.value)
        if last is None:
            got = self._db.execute("SELECT last FROM counters WHERE label = ?", (label.value,)).fetchone()
            last = int(got[0]) if got else 0
        last += 1
        self._counters[label.value] = last
        self._pending[(label.value, digest)] = last
        return last

    # -- transactions ---------------------------------------------------------------------

    def pending_rows(self) -> tuple[list[tuple[str, str, int]], list[tuple[str, int]]]:
        """The uncommitted ``(label, digest, number)`` rows and ``(label, last)`` counters."""
        rows = [(lab, dig, num) for (lab, dig), num in self._pending.items()]
        return rows, sorted(self._counters.items())

    def mark_committed(self) -> None:
        """Forget pending rows after the caller wrote them (see :meth:`pending_rows`)."""
        self._pending.clear()
        self._counters.clear()

    def rollback(self) -> None:
        """Forget numbers assigned since the last commit."""
        self._pending.clear()
        self._counters.clear()

    def commit(self) -> None:
        """Write pending numbers to the vault file in one transaction."""
        rows, counters = self.pending_rows()
        if not rows:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            write_pending(self._db, "main", rows, counters)
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._db.execute("ROLLBACK")
            raise WriteError(f"cannot write vault {self.path}: {type(exc).__name__}") from exc
        self.mark_committed()

    def close(self) -> None:
        self._db.close()
        if self._lock is not None:
            os.close(self._lock)  # releases the flock
            self._lock = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc_type is None:
                self.commit()
            else:
                self.rollback()
        finally:
            self.close()

    @property
    def size(self) -> int:
        """How many entities the vault numbers (committed and pending).

        Deliberately not ``__len__``: an empty vault must still be truthy, because callers
        write ``numbers or default``.
        """
        row = self._db.execute("SELECT COUNT(*) FROM entities").fetchone()
        return int(row[0]) + len(self._pending)

    def __repr__(self) -> str:
        return f"Vault({os.fspath(self.path)!r}, pending={len(self._pending)}, secret=[hidden])"


def write_pending(
    db: sqlite3.Connection, schema: str, rows: list[tuple[str, str, int]], counters: list[tuple[str, int]]
) -> None:
    """Insert vault rows through ``db`` into the database attached as ``schema``.

    Runs inside the caller's transaction, so a batch commits a shard and its numbers
    together or not at all.
    """
    db.executemany(f"INSERT INTO {schema}.entities (label, digest, number) VALUES (?, ?, ?)", rows)  # noqa: S608
    db.executemany(
        f"INSERT INTO {schema}.counters (label, last) VALUES (?, ?) "  # noqa: S608
        "ON CONFLICT(label) DO UPDATE SET last = excluded.last",
        counters,
    )


class KeyedNumbers:
    """Stateless numbering: ``HMAC(key, label + entity key)`` mapped to a ``digits``-digit number.

    The same key gives the same numbers in every process, run and machine, so it keeps a
    corpus consistent on a cluster with no shared state. Keep the key secret: with it, a
    guessed name can be checked against a pseudonym.
    """

    def __init__(self, key: bytes, *, digits: int = 8) -> None:
        if not isinstance(key, bytes) or len(key) < 16:
            raise ConfigError("the numbering key must be at least 16 bytes")
        if not 4 <= digits <= 18:
            raise ConfigError("digits must be between 4 and 18")
        self._key = key
        self.digits = digits
        self._low = 10 ** (digits - 1)
        self._span = 9 * self._low

    def number(self, label: Label, key: str) -> int:
        mac = hmac.new(self._key, f"{label.value}\x1f{key}".encode(), hashlib.sha256).digest()
        return int(self._low + int.from_bytes(mac[:8], "big") % self._span)

    def __repr__(self) -> str:
        return f"KeyedNumbers(digits={self.digits}, key=[hidden])"


def vault_key_bytes(path: str | Path) -> bytes:
    """The vault key derived from a ``veil keygen`` key file (its own HKDF sub-key)."""
    from .keys import load_key

    return load_key(path).derive("veil vault v1")


def numbers_key_bytes(path: str | Path) -> bytes:
    """The :class:`KeyedNumbers` key derived from a ``veil keygen`` key file."""
    from .keys import load_key

    return load_key(path).derive("veil keyed numbers v1")


__all__ = ["KeyedNumbers", "Vault", "numbers_key_bytes", "vault_key_bytes", "write_pending"]
