from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from veil.errors import ConfigError
from veil.model import Label
from veil.vault import KeyedNumbers, Vault

NAME = "zebulon quartermaine"


def test_vault_numbers_in_order_per_label(tmp_path: Path) -> None:
    with Vault(tmp_path / "v.db") as v:
        got = [
            v.number(Label.PERSON, "ada"),
            v.number(Label.PERSON, NAME),
            v.number(Label.ORG, "acme"),
            v.number(Label.PERSON, "ada"),
        ]
    assert got == [1, 2, 1, 1]


def test_vault_same_number_across_runs_and_never_stores_key(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    with Vault(path) as v:
        first = v.number(Label.PERSON, NAME)
        v.number(Label.PERSON, "ada")
    with Vault(path) as v:
        assert v.number(Label.PERSON, "grace") == 3
        assert v.number(Label.PERSON, NAME) == first
        assert v.size == 3
    raw = path.read_bytes()
    assert NAME.encode() not in raw and b"zebulon" not in raw and b"grace" not in raw


def test_vault_rollback_and_error_exit_forget_pending(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    with pytest.raises(RuntimeError), Vault(path) as v:
        v.number(Label.PERSON, NAME)
        raise RuntimeError("boom")
    v2 = Vault(path)
    v2.number(Label.PERSON, "ada")
    v2.rollback()
    assert v2.number(Label.PERSON, "grace") == 1
    v2.close()


def test_vault_empty_is_truthy(tmp_path: Path) -> None:
    with Vault(tmp_path / "v.db") as v:
        assert v


def test_vault_key_file_required_and_checked(tmp_path: Path) -> None:
    key = b"0123456789abcdef0123456789abcdef"
    path = tmp_path / "v.db"
    with Vault(path, key=key) as v:
        n = v.number(Label.PERSON, NAME)
    assert key not in path.read_bytes()
    with pytest.raises(ConfigError, match="key file"):
        Vault(path)
    with pytest.raises(ConfigError, match="does not match"):
        Vault(path, key=b"another key of 32 bytes........!")
    with Vault(path, key=key) as v:
        assert v.number(Label.PERSON, NAME) == n


def test_vault_repr_hides_secret(tmp_path: Path) -> None:
    with Vault(tmp_path / "v.db") as v:
        assert "secret=[hidden]" in repr(v)
        assert v._secret.hex() not in repr(v)


@pytest.mark.parametrize("digits", [4, 6, 8, 12], ids=["4", "6", "8", "12"])
def test_keyed_numbers_deterministic_and_fixed_width(digits: int) -> None:
    a = KeyedNumbers(b"k" * 32, digits=digits)
    b = KeyedNumbers(b"k" * 32, digits=digits)
    nums = [a.number(Label.PERSON, f"name {i}") for i in range(200)]
    assert nums == [b.number(Label.PERSON, f"name {i}") for i in range(200)]
    assert all(len(str(n)) == digits for n in nums)
    assert a.number(Label.PERSON, "x") != a.number(Label.ORG, "x") or digits == 4
    assert KeyedNumbers(b"j" * 32, digits=digits).number(Label.PERSON, "name 0") != nums[0] or digits == 4


@pytest.mark.parametrize(
    ("key", "digits"), [(b"short", 8), (b"k" * 32, 3), (b"k" * 32, 19)], ids=["short-key", "few", "many"]
)
def test_keyed_numbers_rejects_bad_config(key: bytes, digits: int) -> None:
    with pytest.raises(ConfigError):
        KeyedNumbers(key, digits=digits)


def test_vault_serves_one_run_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    first = Vault(path)
    first.number(Label.PERSON, "ada byron")
    with pytest.raises(ConfigError, match="in use by another run"):
        Vault(path)
    first.commit()
    first.close()
    with Vault(path) as again:  # released on close
        assert again.number(Label.PERSON, "ada byron") == 1


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_022")
def test_vault_file_and_sqlite_side_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "v.db"
    with Vault(path) as v:
        v.number(Label.PERSON, NAME)
    assert _mode(path) == 0o600
    # The side files SQLite makes while writing (rollback journal, then WAL and shared memory).
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO counters VALUES ('X', 1)")
        assert _mode(path.with_name("v.db-journal")) == 0o600
        db.execute("ROLLBACK")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("INSERT INTO counters VALUES ('X', 1)")
        assert _mode(path.with_name("v.db-wal")) == 0o600
        assert _mode(path.with_name("v.db-shm")) == 0o600
    finally:
        db.close()


@pytest.mark.parametrize("which", ["v.db", "v.db-journal", "v.db-wal"])
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o602], ids=["0644", "0640", "0602"])
def test_vault_refuses_file_others_can_open(tmp_path: Path, which: str, mode: int) -> None:
    path = tmp_path / "v.db"
    with Vault(path) as v:
        v.number(Label.PERSON, NAME)
    target = tmp_path / which
    target.touch()
    target.chmod(mode)
    with pytest.raises(ConfigError, match="open to other users") as info:
        Vault(path)
    assert "chmod 600" in str(info.value) and f"{mode:04o}" in str(info.value)
    target.chmod(0o600)
    with Vault(path) as v:  # made private, it opens (and was not locked by the refused attempt)
        assert v.number(Label.PERSON, NAME) == 1
