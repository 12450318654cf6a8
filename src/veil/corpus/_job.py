"""What a batch run is asked to do, as one frozen value."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ConfigError
from ._formats import FORMATS, text_fields_of

if TYPE_CHECKING:
    from ..config import Policy
    from ..model import Document, Span
    from ..protocols import Detector

OnError = Literal["fail", "skip", "mask"]
ON_ERROR: tuple[OnError, ...] = ("fail", "skip", "mask")


@dataclass(frozen=True, slots=True, init=False)
class BatchJob:
    """A corpus run: what to read, where to write, and how. Checked when built.

    Loose inputs are normalised, as httpx's ``Timeout`` accepts a number or a tuple: paths
    may be strings, ``text_fields`` a single name, ``detectors`` any sequence.

    ``policy``, ``detectors``, ``secrets`` and ``timeout`` build the
    :class:`~veil.pipeline.Pipeline` (once per worker). ``fmt=None`` goes by the source
    (a directory is ``txt``, files by extension). ``text_fields`` are the columns redacted in
    every record (JSONL, CSV, Parquet; a text file is one text); the columns of one record
    share one entity numbering. ``vault`` names a SQLite :class:`~veil.vault.Vault` for
    corpus-wide numbering (``vault_key`` if it was created with a key file). ``report`` and
    ``work_dir`` default to ``OUTPUT.report.json`` and ``OUTPUT.veil-work``. ``restart``
    discards a previous run's work directory instead of resuming it. ``progress=None`` shows
    a progress bar when stderr is a terminal.

    Usage::

        job = BatchJob("tickets.jsonl", "out.jsonl", text_fields=("body", "subject"), workers=2)
        summary = veil.corpus.run(job)

    ``repr`` hides the vault key and the secrets.
    """

    source: Path
    output: Path
    policy: Policy | str | None = None
    detectors: tuple[Detector | Callable[[Document], Iterable[Span]], ...] | None = None
    secrets: Mapping[str, Mapping[str, Any]] | None = field(default=None, repr=False)
    timeout: float | None = None
    fmt: str | None = None
    text_fields: tuple[str, ...] = ("text",)
    id_field: str | None = None
    workers: int = 1
    on_error: OnError = "fail"
    vault: Path | None = None
    vault_key: bytes | None = field(default=None, repr=False)
    report: Path | None = None
    shard_size: int = 64
    work_dir: Path | None = None
    restart: bool = False
    progress: bool | None = None

    def __init__(
        self,
        source: str | Path,
        output: str | Path,
        *,
        policy: Policy | str | None = None,
        detectors: Sequence[Detector | Callable[[Document], Iterable[Span]]] | None = None,
        secrets: Mapping[str, Mapping[str, Any]] | None = None,
        timeout: float | None = None,
        fmt: str | None = None,
        text_fields: str | Sequence[str] = ("text",),
        id_field: str | None = None,
        workers: int = 1,
        on_error: OnError = "fail",
        vault: str | Path | None = None,
        vault_key: bytes | None = None,
        report: str | Path | None = None,
        shard_size: int = 64,
        work_dir: str | Path | None = None,
        restart: bool = False,
        progress: bool | None = None,
    ) -> None:
        if fmt is not None and fmt not in FORMATS:
            raise ConfigError(f"unknown format {fmt!r}; available: {', '.join(FORMATS)}")
        if on_error not in ON_ERROR:
            raise ConfigError(f"--on-error must be one of {', '.join(ON_ERROR)}, got {on_error!r}")
        if workers < 1:
            raise ConfigError("--workers must be at least 1")
        if shard_size < 1:
            raise ConfigError("--shard-size must be at least 1")
        if vault_key is not None and vault is None:
            raise ConfigError("--vault-key needs --vault")
        fields = text_fields_of(text_fields)
        if id_field is not None and id_field in fields:
            raise ConfigError("--id-field must not be one of the text fields (ids are written unmasked)")
        values = {
            "source": Path(source),
            "output": Path(output),
            "policy": policy,
            "detectors": None if detectors is None else tuple(detectors),
            "secrets": secrets,
            "timeout": timeout,
            "fmt": fmt,
            "text_fields": fields,
            "id_field": id_field,
            "workers": workers,
            "on_error": on_error,
            "vault": None if vault is None else Path(vault),
            "vault_key": vault_key,
            "report": None if report is None else Path(report),
            "shard_size": shard_size,
            "work_dir": None if work_dir is None else Path(work_dir),
            "restart": restart,
            "progress": progress,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
