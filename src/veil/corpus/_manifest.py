"""The run's SQLite manifest: which shards are committed, with their part and counts.

A shard's part is written (atomically) *before* its manifest row is committed, and the
vault's new numbers are committed in that same transaction (the vault file is attached), so
what the manifest says is finished is finished, and a redone shard starts from the same
vault state.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, WriteError

if TYPE_CHECKING:
    from ..vault import Vault

_VERSION = "1"

#: Committed shards: index -> (part file name, the shard's counts).
Done = dict[int, tuple[str, dict[str, Any]]]


class Manifest:
    """The run's SQLite manifest; the vault file, if any, is attached for joint commits."""

    def __init__(self, path: Path, fingerprint: str, vault: Vault | None) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None)
            # Atomic commits across attached databases need a rollback journal, not WAL.
            self.db.execute("PRAGMA journal_mode=DELETE")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(
                "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "CREATE TABLE IF NOT EXISTS shards (idx INTEGER PRIMARY KEY, records INTEGER NOT NULL,"
                " part TEXT NOT NULL, stats TEXT NOT NULL);"
            )
            got = self.db.execute("SELECT value FROM meta WHERE name = 'fingerprint'").fetchone()
            if got is None:
                self.db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
            elif got[0] != fingerprint:
                raise ConfigError(
                    f"the work directory {path.parent} belongs to a run with other inputs or options; "
                    "rerun with the same arguments, or pass --restart to discard it"
                )
            self.vault = vault
            if vault is not None:
                self.db.execute("ATTACH DATABASE ? AS vault", (os.fspath(vault.path),))
        except sqlite3.Error as exc:
            raise WriteError(f"cannot open the manifest {path}: {type(exc).__name__}") from exc

    def done(self) -> Done:
        rows = self.db.execute("SELECT idx, part, stats FROM shards").fetchall()
        return {int(i): (str(p), json.loads(s)) for i, p, s in rows}

    def commit(self, idx: int, records: int, part: str, stats: Mapping[str, Any]) -> None:
        """Record shard ``idx`` as finished, with the vault's pending numbers, in one transaction."""
        from ..vault import write_pending

        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT OR REPLACE INTO shards VALUES (?, ?, ?, ?)", (idx, records, part, json.dumps(stats))
            )
            if self.vault is not None:
                rows, counters = self.vault.pending_rows()
                write_pending(self.db, "vault", rows, counters)
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise WriteError(f"cannot commit shard {idx} to the manifest: {type(exc).__name__}") from exc
        if self.vault is not None:
            self.vault.mark_committed()

    def close(self) -> None:
        self.db.close()


def documents(done: Done) -> int:
    """Documents in the committed shards ``done``."""
    return sum(int(stats.get("documents", 0)) for _, stats in done.values())


def plain(value: Any) -> Any:
    """``value`` as JSON-able data with a stable order (bytes as their SHA-256)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, frozenset | set):
        return sorted(str(v) for v in value)
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


def fingerprint(options: Mapping[str, Any]) -> str:
    """The SHA-256 of the run's identity (input, output, every output-shaping option)."""
    data = {"version": _VERSION, **options}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
