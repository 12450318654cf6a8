"""Path guards: what a batch run may write, and the work directory it alone may delete."""

from __future__ import annotations

import glob
import re
import shutil
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from ..errors import WriteError
from ..write import check_not_input, same_file

WORK_MARKER = ".veil-work"
"""The file that marks a directory as a Veil work directory, which Veil may delete."""

_TEMPORARY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def default_report_path(output: Path) -> Path:
    return output.with_name(output.name + ".report.json")


def default_work_dir(output: Path) -> Path:
    return output.with_name(output.name + ".veil-work")


def _within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (after resolving symlinks)."""
    return path.resolve().is_relative_to(folder.resolve())


def check_paths(src: Path, out: Path, rep: Path, work: Path, vault: Path | None) -> None:
    """Refuse paths that would overwrite the input, or put anything of value where Veil deletes."""
    if (out.exists() and same_file(out, src)) or out.resolve() == src.resolve():
        raise WriteError(f"refusing to overwrite input {src}")
    check_not_input(rep, [src])
    check_not_input(work / "manifest.sqlite", [src])
    if vault is not None:
        check_not_input(vault, [src])
    if rep.resolve() == out.resolve() or (out.exists() and rep.exists() and same_file(rep, out)):
        raise WriteError("the report path must differ from the output path")
    if vault is not None and vault.resolve() in (out.resolve(), rep.resolve()):
        raise WriteError("the vault path must differ from the output and report paths")
    if _within(src, work) or _within(out, work):
        raise WriteError(
            f"the work directory {work} must not be, or contain, the input or the output "
            "(Veil deletes it after the run)"
        )
    if src.is_dir():
        if _within(work, src):
            raise WriteError(f"the work directory {work} must not be inside the input directory")
        if _within(out, src):
            raise WriteError("the output directory must not be inside the input directory")
        if _within(src, out):
            raise WriteError("the input directory must not be inside the output directory")
        for name, path in (("report", rep), ("vault", vault)):
            if path is not None and _within(path, src):
                raise WriteError(f"the {name} must not be inside the input directory")
    for name, path in (("report", rep), ("vault", vault)):
        if path is not None and _within(path, work):
            raise WriteError(f"the {name} must not be inside the work directory {work} (Veil deletes it)")


def prepare_work_dir(work: Path, restart: bool) -> None:
    """Create or adopt ``work`` and mark it as Veil's; never touch a foreign, non-empty directory.

    An existing directory is used only if it is empty or carries :data:`WORK_MARKER` (so it
    came from an earlier Veil run); ``restart`` deletes only a marked directory.
    """
    marker = work / WORK_MARKER
    try:
        if work.exists() or work.is_symlink():
            if not work.is_dir() or work.is_symlink():
                raise WriteError(f"the work directory {work} exists and is not a plain directory")
            if not marker.is_file() and any(work.iterdir()):
                raise WriteError(
                    f"refusing to use the work directory {work}: it is not empty and Veil did not "
                    f"create it (no {WORK_MARKER} marker); pass an empty or new --work-dir"
                )
            if restart and marker.is_file():
                _delete_marked(work)
        work.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError as exc:
        raise WriteError(f"cannot prepare the work directory {work}: {exc.strerror}") from None


def _delete_marked(work: Path) -> None:
    """Delete a marked work directory so that a kill at any point leaves a usable one: the
    manifest first (what is left is then a fresh start, never a claim of finished shards
    whose parts are gone), then the parts, and the marker last (a directory left without
    it would be refused as foreign)."""
    names = sorted(
        (p for p in work.iterdir() if p.name != WORK_MARKER),
        key=lambda p: (not p.name.startswith("manifest"), p.name),
    )
    for path in names:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    (work / WORK_MARKER).unlink(missing_ok=True)
    work.rmdir()


def remove_work_dir(work: Path) -> None:
    """Delete ``work`` after a successful run, but only if it carries Veil's marker."""
    if (work / WORK_MARKER).is_file() and not work.is_symlink():
        # The output is complete; a work directory left over after an error is only clutter.
        with suppress(OSError):
            _delete_marked(work)


def remove_stale_temporaries(targets: Iterable[Path], inside: Iterable[Path] = ()) -> None:
    """Temporary files that a killed run left beside ``targets`` (and the files ``inside``
    them, for a directory output). They hold redacted text only, but they are clutter; Veil
    made them, so it removes the ones whose names it would have made."""
    candidates: list[Path] = list(inside)
    for target in targets:
        if target.parent.is_dir():
            candidates += target.parent.glob(f".{glob.escape(target.name)}.*.tmp")
    for path in candidates:
        if _TEMPORARY.fullmatch(path.name) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
