"""Named, versioned extension points resolved lazily through entry points.

Built-in detectors and operators are declared in Veil's own ``pyproject.toml`` exactly
like a third party would declare theirs::

    [project.entry-points."veil.detectors"]
    "my_detector.v1" = "my_package.module:MyDetector"

Nothing registers at import time. A name is looked up when a pipeline is built; a
duplicate name is an error, and an unknown name raises a :class:`ConfigError` that
names the closest registered name and lists the available ones without versions
(``unknown operator 'surrogat' (did you mean 'surrogate'?); available: encrypt, ...``). Names may be given without version (``"email"``), which
selects the highest registered version.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Literal

from .errors import ConfigError

Group = Literal["veil.detectors", "veil.operators", "veil.formats"]
GROUPS: tuple[Group, ...] = ("veil.detectors", "veil.operators", "veil.formats")
_KIND: dict[Group, str] = {
    "veil.detectors": "detector",
    "veil.operators": "operator",
    "veil.formats": "document format",
}

_VERSIONED = re.compile(r"^(?P<base>[a-z0-9_]+)\.v(?P<version>\d+)$")

# Extra registrations made at run time (tests, notebooks). Keyed like entry points.
_runtime: dict[str, dict[str, Callable[..., object]]] = {g: {} for g in GROUPS}


@cache
def _entry_points(group: Group) -> dict[str, EntryPoint]:
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=group):
        if ep.name in found and found[ep.name].value != ep.value:
            raise ConfigError(f"duplicate registration of {ep.name!r} in {group}")
        found[ep.name] = ep
    return found


def names(group: Group) -> list[str]:
    """All registered names of ``group``, sorted."""
    return sorted(set(_entry_points(group)) | set(_runtime[group]))


def register(group: Group, name: str, factory: Callable[..., object]) -> None:
    """Register ``factory`` under ``name`` for this process (mainly for tests and notebooks)."""
    if not _VERSIONED.match(name):
        raise ConfigError(f"registered names must look like 'name.v1', got {name!r}")
    if name in _entry_points(group) or name in _runtime[group]:
        raise ConfigError(f"duplicate registration of {name!r} in {group}")
    _runtime[group][name] = factory


def unregister(group: Group, name: str) -> None:
    _runtime[group].pop(name, None)


def canonical_name(group: Group, name: str) -> str:
    """Resolve ``name`` or an unversioned base name to a registered versioned name."""
    available = names(group)
    if name in available:
        return name
    versions = []
    for candidate in available:
        m = _VERSIONED.match(candidate)
        if m and m.group("base") == name:
            versions.append((int(m.group("version")), candidate))
    if versions:
        return max(versions)[1]
    from .suggest import unknown

    # Users type base names ("surrogate"), so the message offers base names; the versioned
    # names are for plugin authors and are listed by ``names``.
    raise ConfigError(unknown(_KIND[group], name, friendly_names(group)))


def friendly_names(group: Group) -> list[str]:
    """The names a user types: each registered name without its version, sorted."""
    return sorted({(m.group("base") if (m := _VERSIONED.match(n)) else n) for n in names(group)})


def get(group: Group, name: str) -> Callable[..., object]:
    """Return the factory registered under ``name`` (see :func:`canonical_name`)."""
    full = canonical_name(group, name)
    if full in _runtime[group]:
        return _runtime[group][full]
    try:
        loaded = _entry_points(group)[full].load()
    except Exception as exc:  # a broken plugin is a configuration problem, reported clearly
        raise ConfigError(f"could not load {full!r} from {group}: {type(exc).__name__}") from exc
    if not callable(loaded):
        raise ConfigError(f"{full!r} in {group} is not callable")
    return loaded  # type: ignore[no-any-return]
