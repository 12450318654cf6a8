"""What the routes depend on: the token check, and the policy a request's options ask for.

:func:`policy_for` is the one place where request fields become a policy. It validates
every field before anything runs, and its errors name the field and list the valid
values without repeating what was sent.
"""

from __future__ import annotations

import hmac
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import config, registry
from ..config import Policy
from ..errors import ConfigError
from ..model import Label
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


def options_key(settings: ServiceSettings, opts: PolicyOptions) -> Hashable:
    labels = None if opts.labels is None else tuple(sorted({x.strip().upper() for x in opts.labels}))
    return (
        opts.preset,
        labels,
        opts.operator,
        tuple(dict.fromkeys(opts.allow)),
        tuple(dict.fromkeys(opts.deny)),
    )


def policy_for(settings: ServiceSettings, opts: PolicyOptions) -> Policy:
    """Build the policy the request's options ask for, on top of the server's policy.

    Raises :class:`~veil.errors.ConfigError` naming the field and its valid values.
    """
    limit = settings.max_list_items
    if len(opts.allow) > limit or len(opts.deny) > limit:
        raise ConfigError(f"allow, deny: at most {limit} items each")
    labels: set[Label] | None = None
    if opts.labels is not None:
        labels = set()
        for i, value in enumerate(opts.labels):
            try:
                labels.add(Label.parse(value))
            except ValueError:
                valid = ", ".join(sorted(label.value for label in Label))
                raise ConfigError(f"labels[{i}]: unknown label; valid labels: {valid}") from None
    if opts.operator is not None:
        try:
            registry.canonical_name("veil.operators", opts.operator)
        except ConfigError:
            valid = ", ".join(operator_names())
            raise ConfigError(f"operator: unknown operator; valid operators: {valid}") from None
    policy = config.preset(opts.preset) if opts.preset else settings.policy
    if labels is not None:
        if opts.deny:  # a string the user marked must be masked whatever the label filter
            labels.add(policy.deny_label)
        policy = policy.narrowed(labels)
    if opts.operator is not None:
        policy = policy.with_operator(opts.operator)
    policy = policy.with_lists(allow=tuple(dict.fromkeys(opts.allow)), deny=tuple(dict.fromkeys(opts.deny)))
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
        raise ConfigError(
            "operator: this operator cannot be used with the server's policy and keys "
            "(a keyed operator needs `veil serve --key-file`)"
        ) from exc
