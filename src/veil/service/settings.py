"""How the service runs: limits, keys and the base policy, validated once at start."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import config
from ..config import Policy
from ..errors import ConfigError
from ..keys import Key

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_TIMEOUT",
    "MIN_TOKEN_CHARS",
    "ServiceSettings",
]

DEFAULT_MAX_BODY_BYTES = 1_048_576
DEFAULT_TIMEOUT = 30.0
DEFAULT_CONCURRENCY = 2
MIN_TOKEN_CHARS = 16


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """How the service runs. Invalid combinations raise :class:`~veil.errors.ConfigError`.

    ``token`` is the bearer token clients must send; without one the settings are refused
    unless ``insecure_no_auth`` is true. ``policy`` is the base policy that requests may
    narrow (labels), re-operate (operator) and extend (allow/deny lists). ``secrets`` are
    passed to operators (``{"encrypt": {"key": ...}}``); ``restore_key`` enables
    ``/v1/restore``. ``timeout`` is in seconds, from the moment a request is accepted to its
    answer (waiting for a worker included); ``concurrency`` is the number of worker
    processes; ``max_body_bytes`` bounds every request body, uploads included.
    """

    token: str | None = field(default=None, repr=False)
    insecure_no_auth: bool = False
    policy: Policy = field(default_factory=lambda: config.preset("pii"))
    secrets: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    restore_key: Key | None = field(default=None, repr=False)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    timeout: float = DEFAULT_TIMEOUT
    concurrency: int = DEFAULT_CONCURRENCY
    cors_origins: tuple[str, ...] = ()
    max_list_items: int = 1000

    def __post_init__(self) -> None:
        if self.token is not None:
            if len(self.token.strip()) < MIN_TOKEN_CHARS or self.token != self.token.strip():
                raise ConfigError(
                    f"the API token must be at least {MIN_TOKEN_CHARS} characters without surrounding "
                    "whitespace (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
                )
        elif not self.insecure_no_auth:
            raise ConfigError(
                "refusing to start without an API token: pass --token-file FILE or set VEIL_TOKEN "
                "(or --insecure-no-auth for a local experiment)"
            )
        if self.max_body_bytes < 1024:
            raise ConfigError("max body size must be at least 1024 bytes")
        if not self.timeout > 0:
            raise ConfigError("timeout must be a positive number of seconds")
        if self.concurrency < 1:
            raise ConfigError("concurrency must be at least 1")
        for origin in self.cors_origins:
            if origin == "*" or not origin.startswith(("http://", "https://")):
                raise ConfigError("CORS origins must be explicit http(s) origins (no '*')")

    def __repr__(self) -> str:
        return (
            f"ServiceSettings(token={'[secure]' if self.token else None}, "
            f"insecure_no_auth={self.insecure_no_auth}, policy={self.policy!r}, "
            f"secrets={sorted(self.secrets)}, restore_key={'[secure]' if self.restore_key else None}, "
            f"max_body_bytes={self.max_body_bytes}, timeout={self.timeout:g}, "
            f"concurrency={self.concurrency}, cors_origins={list(self.cors_origins)})"
        )
