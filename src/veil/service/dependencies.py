"""What the routes depend on: the token check, and the policy a request's options ask for.

:func:`policy_for` is the one place where request fields become a policy. It validates
every field before anything runs, and its errors name the field and list the valid
values without repeating what was sent.
"""

from __future__ import annotations

import hmac
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import registry
from ..config import Policy
from ..errors import ConfigError
from ..model import Label
from ..options import Options, options_from_mapping
from ..suggest import closest
from .models import PolicyOptions
from .settings import ServiceSettings
from .workers import WorkerPool

__all__ = ["PolicyChoice", "Service", "get_service", "operator_names", "policy_for", "require_token"]

_VALIDATED_SIZE = 256


@dataclass(frozen=True, slots=True)
class PolicyChoice:
    """A validated policy and the key its pipeline is cached under."""

    key: Hashable
    policy: Policy


class Service:
    """The state of one app: settings, worker pool and the policies already validated."""

    def __init__(self, settings: ServiceSettings, pool: WorkerPool) -> None:
        self.settings = settings
        self.pool = pool
        self.expected_token = settings.token.encode("utf-8") if settings.token is not None else None
        self._validated: OrderedDict[Hashable, Policy] = OrderedDict()
        self._lock = threading.Lock()

    def policy_for(self, opts: PolicyOptions) -> PolicyChoice:
        """The policy for ``opts``, validated once per distinct set of options."""
        key = options_key(self.settings, opts)
        with self._lock:
            policy = self._validated.get(key)
            if policy is not None:
                self._validated.move_to_end(key)
                return PolicyChoice(key, policy)
        policy = policy_for(self.settings, opts)
        with self._lock:
            self._validated[key] = policy
            if len(self._validated) > _VALIDATED_SIZE:
                self._validated.popitem(last=False)
        return PolicyChoice(key, policy)


def get_service(request: Request) -> Service:
    service: Service = request.app.state.veil
    return service


_bearer = HTTPBearer(auto_error=False, description="The token given to `veil serve`.")


async def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """401 unless the request carries the server's bearer token (compared in constant time)."""
    expected = get_service(request).expected_token
    if expected is None:
        return
    given = credentials.credentials.encode("utf-8") if credentials is not None else b""
    if not hmac.compare_digest(given, expected):
        raise StarletteHTTPException(401, "a valid bearer token is required")


def operator_names() -> list[str]:
    """The operators a request may name (unversioned)."""
    return sorted({n.rsplit(".v", 1)[0] for n in registry.names("veil.operators")})


def _labels(opts: PolicyOptions) -> list[str] | None:
    # As on the command line, an item may hold several comma-separated labels.
    if opts.labels is None:
        return None
    return sorted({part.strip().upper() for x in opts.labels for part in x.split(",") if part.strip()})


def options_key(settings: ServiceSettings, opts: PolicyOptions) -> Options:
    """The request's options as the one options value of :mod:`veil.options` (hashable)."""
    return options_from_mapping(
        {
            "preset": opts.preset,
            "labels": _labels(opts),
            "operator": opts.operator,
            "allow": tuple(dict.fromkeys(opts.allow)),
            "deny": tuple(dict.fromkeys(opts.deny)),
        }
    )


def _hint(value: str, choices: Iterable[str]) -> str:
    # The closest valid value, never the value itself: a request's content is not echoed.
    guess = closest(value, choices)
    return f" (did you mean {guess!r}?)" if guess is not None else ""


def _check_fields(settings: ServiceSettings, opts: PolicyOptions) -> None:
    limit = settings.max_list_items
    if len(opts.allow) > limit or len(opts.deny) > limit:
        raise ConfigError(f"allow, deny: at most {limit} items each")
    valid_labels = sorted(label.value for label in Label)
    for i, value in enumerate(opts.labels or ()):
        parts = [p for p in value.split(",") if p.strip()]
        if not parts:
            raise ConfigError(f"labels[{i}]: name a label; valid labels: {', '.join(valid_labels)}")
        for part in parts:
            try:
                Label.parse(part)
            except ValueError:
                raise ConfigError(
                    f"labels[{i}]: unknown label{_hint(part, valid_labels)}; valid labels: {', '.join(valid_labels)}"
                ) from None
    if opts.operator is not None:
        try:
            registry.canonical_name("veil.operators", opts.operator)
        except ConfigError:
            valid = operator_names()
            raise ConfigError(
                f"operator: unknown operator{_hint(opts.operator, valid)}; valid operators: {', '.join(valid)}"
            ) from None


def policy_for(settings: ServiceSettings, opts: PolicyOptions) -> Policy:
    """Build the policy the request's options ask for, on top of the server's policy.

    The request model maps onto :class:`veil.options.Options`, which builds the policy as it
    does for every command. Raises :class:`~veil.errors.ConfigError` naming the field, the
    closest valid value and all valid values, without repeating the value sent.
    """
    _check_fields(settings, opts)
    request = options_key(settings, opts)
    try:
        policy = request.build_policy(base=settings.policy)
    except ConfigError as exc:
        # Every name in it was checked above, so it quotes only Veil's own names.
        raise ConfigError(f"operator: {exc}") from None
    _check_operators(settings, policy, opts.operator)
    return policy


def _check_operators(settings: ServiceSettings, policy: Policy, requested: str | None) -> None:
    # Operators are built here, in the server, so a missing key is a 400 before any work.
    from ..pipeline import Pipeline

    try:
        Pipeline(policy, detectors=[], secrets=settings.secrets)
    except ConfigError as exc:
        if requested is None:
            raise  # the server's own policy: its message names no request field
        keyed = {"hash", "encrypt"} - set(settings.secrets)
        if requested.strip().lower().split(".v")[0] in keyed:
            message = (
                "operator: this operator needs a secret key, and the server has none (veil serve --key-file)"
            )
        else:
            message = "operator: this operator cannot be used with the server's policy"
        raise ConfigError(message) from exc
