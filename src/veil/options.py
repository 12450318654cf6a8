"""What to protect, and how: one value built from command-line flags or request fields.

Every command (``redact``, ``detect``, ``batch``, ``audit``, ``eval``, ``spark``, and
``serve`` for its defaults) takes its policy flags through :func:`options`, one click
decorator in the manner of click's ``make_pass_decorator``: it adds the flags and hands the
command one frozen :class:`Options`. The service maps its request model onto the same value
with :func:`options_from_mapping`. :meth:`Options.build_policy` is the only place where
flags become a :class:`~veil.config.Policy`, so a flag means the same thing everywhere.

Usage::

    @click.command("redact", cls=VeilCommand)
    @options("policy", "transform", "run")
    def redact_cmd(opts: Options, ...) -> None:
        policy = opts.build_policy()
        pipeline = Pipeline(policy, secrets=opts.secrets(policy), timeout=opts.timeout)

    # the service: request fields (None = not given) on top of the server's policy
    opts = options_from_mapping({"labels": ["PERSON"], "operator": "tag"})
    policy = opts.build_policy(base=settings.policy)

Repeatable flags accumulate (``--labels PERSON --labels EMAIL`` is ``--labels
PERSON,EMAIL``; ``--allow``, ``--deny`` and their ``-file`` forms add up). Any other flag
given twice is an error (:class:`VeilCommand`), because click would silently keep the last.
The flag table is in ``docs/cli.md``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args

import click

from .errors import ConfigError
from .failure import ON_ERROR, OnError, check_on_error

if TYPE_CHECKING:
    from .config import Policy

#: The option groups a command can take (see :func:`options`).
Group = Literal["policy", "transform", "run"]
F = TypeVar("F", bound=Callable[..., Any])

#: The environment variable ``--key-file`` falls back to (read by click, in the CLI only).
KEY_FILE_ENV = "VEIL_KEY_FILE"


@dataclass(frozen=True, slots=True)
class Options:
    """What to protect and how, as the user said it; validated by :meth:`build_policy`.

    ``policy`` is a policy TOML file or a preset name, ``preset`` a preset name (giving both
    is an error; neither means the base policy, ``pii`` by default). ``labels`` narrows the
    policy (each item may hold several comma-separated labels). ``allow``/``deny`` add
    strings, ``allow_files``/``deny_files`` add one string per line. ``on_error`` is the
    failure policy of :mod:`veil.failure`. The ``repr`` shows no list entry and no token.
    """

    policy: str | None = None
    preset: str | None = None
    labels: tuple[str, ...] = ()
    operator: str | None = None
    token: str | None = None
    model: str | None = None
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    allow_files: tuple[str, ...] = ()
    deny_files: tuple[str, ...] = ()
    key_file: str | None = None
    on_error: OnError = "fail"
    timeout: float | None = None

    def __post_init__(self) -> None:
        check_on_error(self.on_error)
        if self.timeout is not None and not self.timeout > 0:
            raise ConfigError("the timeout must be a positive number of seconds")

    @property
    def label_names(self) -> tuple[str, ...]:
        """``labels`` split at commas, stripped, in order, without repeats."""
        return tuple(dict.fromkeys(x.strip() for v in self.labels for x in v.split(",") if x.strip()))

    def build_policy(self, base: Policy | None = None) -> Policy:
        """The policy these options describe, on top of ``base`` (default: the ``pii`` preset).

        Order: base (or ``policy``/``preset``) -> labels -> operator (+ token) -> model ->
        allow/deny lists; then every protected label is checked against its operator's
        declared labels. Any problem is a :class:`ConfigError` naming what the user typed
        and the closest valid value.
        """
        from .config import check_operator_labels, policy_from_options

        if self.policy or self.preset or base is None:
            policy = policy_from_options(self.policy, self.preset)
        else:
            policy = base
        if self.labels:
            policy = policy.narrowed(self.label_names)
        if self.operator:
            policy = policy.with_operator(self.operator)
        if self.token is not None:
            if not self.token.strip():
                raise ConfigError("the redact token must not be empty")
            policy = policy.with_options("redact", token=self.token)
        if self.model:
            policy = policy.with_model(self.model)
        allow = [*self.allow, *(x for f in self.allow_files for x in _read_list_file(f))]
        deny = [*self.deny, *(x for f in self.deny_files for x in _read_list_file(f))]
        if allow or deny:
            policy = policy.with_lists(allow=allow, deny=deny)
        check_operator_labels(policy)
        return policy

    def secrets(self, policy: Policy) -> dict[str, dict[str, Any]]:
        """Keys for the operators of ``policy`` that take one, from ``key_file``.

        ``hash`` and ``encrypt`` without a key file are a :class:`ConfigError`; ``surrogate``
        gets the key when there is one (else its public salt).
        """
        used = {policy.operator_for(label) for label in policy.protected_labels}
        needs_key = used & {"hash", "encrypt"}
        if not self.key_file:
            if needs_key:
                raise ConfigError(
                    f"operator(s) {', '.join(sorted(needs_key))} need a key: pass --key-file "
                    f"or set {KEY_FILE_ENV} (create one with 'veil keygen -o veil.key')"
                )
            return {}
        from .keys import load_key

        key = load_key(self.key_file)
        return {name: {"key": key} for name in used & {"hash", "encrypt", "surrogate"}}

    def __repr__(self) -> str:
        shown = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("allow", "deny", "token") and getattr(self, f.name) not in (None, ())
        }
        shown.update({k: len(getattr(self, k)) for k in ("allow", "deny") if getattr(self, k)})
        if self.token is not None:
            shown["token"] = "[hidden]"  # noqa: S105 - a placeholder, not a secret
        return "Options(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"


_FIELDS = {f.name for f in fields(Options)}
_TUPLES = {"labels", "allow", "deny", "allow_files", "deny_files"}


def options_from_mapping(values: Mapping[str, object]) -> Options:
    """:class:`Options` from a mapping of field names (a service request, a config table).

    ``None`` values mean "not given". List fields take a list (or tuple) of strings.
    Unknown names and wrong types are :class:`ConfigError`s that name the field, not a
    command-line flag, so the service can return them as they are.
    """
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        if name not in _FIELDS:
            from .suggest import unknown

            raise ConfigError(unknown("option", name, sorted(_FIELDS)))
        if value is None:
            continue
        if name in _TUPLES:
            if isinstance(value, str) or not isinstance(value, list | tuple):
                raise ConfigError(f"{name!r} must be a list of strings")
            if not all(isinstance(x, str) for x in value):
                raise ConfigError(f"{name!r} must be a list of strings")
            kwargs[name] = tuple(value)
        elif name == "timeout":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError("'timeout' must be a number of seconds")
            kwargs[name] = float(value)
        else:
            if not isinstance(value, str):
                raise ConfigError(f"{name!r} must be a string")
            kwargs[name] = value
    return Options(**kwargs)


def _read_list_file(path: str) -> list[str]:
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise ConfigError(f"list file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read list file {path}: {type(exc).__name__}") from None
    return [x.strip() for x in lines if x.strip() and not x.lstrip().startswith("#")]


# -- the click side ----------------------------------------------------------------------------


class VeilCommand(click.Command):
    """A command that refuses a non-repeatable option given twice.

    click keeps the last value of a repeated option, so ``--text-field body --text-field
    name`` would quietly leave ``body`` unprotected. The parser reports every occurrence
    in order; an option that is neither ``multiple`` nor a counter may occur once.
    """

    def make_parser(self, ctx: click.Context) -> Any:
        parser = super().make_parser(ctx)
        parse = parser.parse_args

        def parse_args(args: list[str]) -> Any:
            opts, largs, order = parse(args)
            seen: set[str] = set()
            for param in order:
                if not isinstance(param, click.Option) or param.multiple or param.count:
                    continue
                if param.name in seen and not ctx.resilient_parsing:
                    raise click.UsageError(
                        f"{_flag(param)} was given more than once; it takes one value "
                        "(only repeatable options such as --labels, --allow or --text-field add up)",
                        ctx,
                    )
                seen.add(param.name or "")
            return opts, largs, order

        parser.parse_args = parse_args  # type: ignore[method-assign]
        return parser


def _flag(param: click.Option) -> str:
    longs = [o for o in param.opts if o.startswith("--")]
    return (longs or param.opts)[0]


def _operator_metavar() -> str:
    from .config import OPERATOR_NAMES

    return "[" + "|".join(OPERATOR_NAMES) + "]"


def _policy_group() -> list[Callable[[F], F]]:
    from .config import PRESETS

    return [
        click.option(
            "-p", "--policy", "policy", metavar="FILE|PRESET", help="Policy TOML file (or a preset name)."
        ),
        click.option(
            "--preset",
            "preset",
            type=click.Choice(PRESETS),
            help="Bundled policy: pii (default) or strict (adds quasi-identifiers).",
        ),
        click.option(
            "--labels",
            "labels",
            multiple=True,
            metavar="LABEL[,LABEL]",
            help="Protect only these labels; repeatable and comma-separated (PERSON,EMAIL).",
        ),
        click.option("--model", "model", help="Installed spaCy pipeline to use for NER."),
        click.option("--allow", "allow", multiple=True, help="Never mask this string (repeatable)."),
        click.option("--deny", "deny", multiple=True, help="Always mask this string (repeatable)."),
        click.option(
            "--allow-file",
            "allow_files",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="File with one allowed string per line (repeatable).",
        ),
        click.option(
            "--deny-file",
            "deny_files",
            multiple=True,
            type=click.Path(dir_okay=False),
            help="File with one denied string per line (repeatable).",
        ),
    ]


def _transform_group() -> list[Callable[[F], F]]:
    return [
        click.option(
            "--operator",
            "operator",
            metavar=_operator_metavar(),
            help="Transform every protected label with this operator (default: the policy's, pseudonym).",
        ),
        click.option("--token", "token", help="Token for the redact operator, e.g. XXX."),
        click.option(
            "--key-file",
            "key_file",
            type=click.Path(dir_okay=False),
            envvar=KEY_FILE_ENV,
            help=f"Key file (veil keygen) for hash / encrypt / surrogate (else ${KEY_FILE_ENV}).",
        ),
    ]


def _run_group() -> list[Callable[[F], F]]:
    return [
        click.option(
            "--on-error",
            "on_error",
            type=click.Choice(ON_ERROR),
            default="fail",
            show_default=True,
            help="A document that fails: stop (fail), leave it out (skip) or write a fixed "
            "placeholder (mask). Any failed document makes the exit code non-zero (docs/cli.md).",
        ),
        click.option(
            "--timeout",
            "timeout",
            type=click.FloatRange(min=0, min_open=True),
            help="Seconds allowed to analyse each document (redact and detect default: 60 s plus 60 s "
            "per million characters). A document over time fails: nothing of it is written (exit 4).",
        ),
    ]


_GROUPS: dict[str, Callable[[], list[Callable[[F], F]]]] = {
    "policy": _policy_group,
    "transform": _transform_group,
    "run": _run_group,
}
_GROUP_NAMES: tuple[Group, ...] = get_args(Group)
_GROUP_FIELDS: dict[str, frozenset[str]] = {
    "policy": frozenset(
        {"policy", "preset", "labels", "model", "allow", "deny", "allow_files", "deny_files"}
    ),
    "transform": frozenset({"operator", "token", "key_file"}),
    "run": frozenset({"on_error", "timeout"}),
}


def options(*groups: Group) -> Callable[[F], F]:
    """Add the flags of ``groups`` to a command and pass it one :class:`Options` as ``opts``.

    ``policy``: --policy/-p, --preset, --labels, --model, --allow, --deny, --allow-file,
    --deny-file. ``transform``: --operator, --token, --key-file. ``run``: --on-error,
    --timeout. Flags of groups a command does not take keep their :class:`Options` default.
    """
    for g in groups:
        if g not in _GROUP_NAMES:
            raise ValueError(f"unknown option group {g!r}")

    mine = frozenset().union(*(_GROUP_FIELDS[g] for g in groups))

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = {k: kwargs.pop(k) for k in list(kwargs) if k in mine}
            cleaned: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v) for k, v in given.items()}
            return fn(*args, opts=Options(**cleaned), **kwargs)

        decorated: Any = wrapper
        for g in reversed(groups):
            for dec in reversed(_GROUPS[g]()):
                decorated = dec(decorated)
        return decorated  # type: ignore[no-any-return]

    return decorate


__all__ = ["KEY_FILE_ENV", "Options", "VeilCommand", "options", "options_from_mapping"]
