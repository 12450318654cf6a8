"""Secret keys for the ``hash``, ``encrypt`` and ``surrogate`` operators.

A key file is a small UTF-8 text file: a header line, then the key as URL-safe
base64 (padding optional)::

    # veil key v1 -- keep secret: it re-identifies every text it protected
    v6Xb2c5mJ8kq1n6gk0m0lJz2eK0XvGf1jJZ7mD2pQ0A

Create one with ``veil keygen -o veil.key`` (mode 0600, never overwrites). Keys are
held in :class:`Key`, whose ``repr`` never shows the material. Environment variables
(``VEIL_KEY_FILE``) are read by the command modules only; this module takes paths.

Every operator derives its own sub-key from the user key with HKDF-SHA256 and a
distinct ``info`` string, so one key file can serve ``hash`` and ``encrypt`` without
one operator's output revealing anything about the other's key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, WriteError

KEY_HEADER = "# veil key v1"
#: Bytes of randomness in a generated key (AES-256-SIV and HMAC-SHA256 keys are derived from it).
KEY_BYTES = 32
#: The shortest secret Veil accepts, from a file or given directly.
MIN_KEY_BYTES = 16


@dataclass(frozen=True, slots=True)
class Key:
    """Secret key material. ``repr`` and ``str`` show only its length."""

    material: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.material, bytes):
            raise ConfigError("key material must be bytes")
        if len(self.material) < MIN_KEY_BYTES:
            raise ConfigError(
                f"key is too short: {len(self.material)} bytes, at least {MIN_KEY_BYTES} required"
            )

    def __repr__(self) -> str:
        return f"Key([secret], {len(self.material)} bytes)"

    __str__ = __repr__

    def derive(self, info: str, length: int = 32) -> bytes:
        """A sub-key for one purpose (HKDF-SHA256 with ``info``; no salt, the input is random)."""
        return _hkdf(self.material, info.encode("ascii"), length)


def _hkdf(ikm: bytes, info: bytes, length: int) -> bytes:
    # RFC 5869 with SHA-256, written out to keep this module free of heavy imports.
    prk = hmac.new(b"\x00" * 32, ikm, hashlib.sha256).digest()
    out = b""
    block = b""
    counter = 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def generate_key() -> Key:
    """A fresh random key of :data:`KEY_BYTES` bytes from the OS CSPRNG."""
    return Key(secrets.token_bytes(KEY_BYTES))


def coerce_key(value: object, where: str) -> Key:
    """Accept a :class:`Key`, ``bytes`` or a ``str`` secret (UTF-8 encoded) as a key.

    Raises :class:`ConfigError` naming ``where`` (never the value) when it is of the
    wrong type or shorter than :data:`MIN_KEY_BYTES`.
    """
    if isinstance(value, Key):
        return value
    if isinstance(value, bytearray | memoryview):
        value = bytes(value)
    if isinstance(value, str):
        value = value.encode("utf-8")
    if not isinstance(value, bytes):
        raise ConfigError(f"{where}: a key must be bytes, str or veil.keys.Key, got {type(value).__name__}")
    if len(value) < MIN_KEY_BYTES:
        raise ConfigError(
            f"{where}: key is too short ({len(value)} bytes, at least {MIN_KEY_BYTES} required)"
        )
    return Key(value)


def format_key(key: Key) -> str:
    """The text of a key file holding ``key``."""
    encoded = base64.urlsafe_b64encode(key.material).decode("ascii").rstrip("=")
    return f"{KEY_HEADER} -- keep secret: it re-identifies every text it protected\n{encoded}\n"


def parse_key(text: str, source: str) -> Key:
    """Parse the contents of a key file; ``source`` names it in errors (never the key)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or not lines[0].startswith(KEY_HEADER):
        raise ConfigError(f"{source} is not a Veil key file (first line must start with {KEY_HEADER!r})")
    body = [line for line in lines[1:] if not line.startswith("#")]
    if len(body) != 1:
        raise ConfigError(f"{source}: expected exactly one key line after the header, found {len(body)}")
    encoded = body[0]
    try:
        material = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        # urlsafe_b64decode silently drops characters outside the alphabet; re-encode to be strict.
        if base64.urlsafe_b64encode(material).decode("ascii").rstrip("=") != encoded.rstrip("="):
            raise ValueError("non-canonical base64")
    except (binascii.Error, ValueError):
        raise ConfigError(f"{source}: the key line is not URL-safe base64") from None
    if len(material) < MIN_KEY_BYTES:
        raise ConfigError(
            f"{source}: key is too short ({len(material)} bytes, at least {MIN_KEY_BYTES} required)"
        )
    return Key(material)


def load_key(path: str | Path) -> Key:
    """Read a key file. Missing, unreadable, malformed or too-short files are :class:`ConfigError`."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"key file not found: {p}") from None
    except IsADirectoryError:
        raise ConfigError(f"key file is a directory: {p}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read key file {p}: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{p} is not a Veil key file (not UTF-8 text)") from None
    return parse_key(text, str(p))


def write_key_file(path: str | Path, key: Key) -> None:
    """Create ``path`` holding ``key`` with mode 0600. An existing file is never overwritten.

    The key is written to a private temporary sibling, fsynced, then hard-linked to
    ``path`` (``link`` fails if the target exists), so the file appears complete or
    not at all.
    """
    target = Path(path)
    if target.exists() or target.is_symlink():
        raise WriteError(f"refusing to overwrite existing file {target}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise WriteError(f"cannot create key file in {target.parent}: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(format_key(key))
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, target)
    except FileExistsError:
        raise WriteError(f"refusing to overwrite existing file {target}") from None
    except OSError as exc:
        raise WriteError(f"cannot write key file {target}: {exc.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


__all__ = [
    "KEY_BYTES",
    "KEY_HEADER",
    "MIN_KEY_BYTES",
    "Key",
    "coerce_key",
    "format_key",
    "generate_key",
    "load_key",
    "parse_key",
    "write_key_file",
]
