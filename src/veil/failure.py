"""What happens to a document that fails: one policy for every command, the service and Spark.

A document *fails* when it cannot be read as text, or when any pipeline stage raises
(a detector crash or timeout, an operator that would not mask, ...). Its original text is
never written, whichever policy is chosen:

=========  =================================================================================
``fail``   Stop at the first failed document. Nothing of it is written; outputs finished
           before it stay (``batch`` keeps its committed shards and resumes). Exit code: the
           failure's own (3 input, 4 processing, ...). The default everywhere.
``skip``   Leave the failed document out of the output (no file for ``redact``, no row for
           ``batch`` and ``spark``) and go on with the others.
``mask``   Write :data:`PLACEHOLDER` instead of the document (the whole file for
           ``redact``, the text cell for ``batch`` and ``spark``) and go on. The placeholder
           is the same fixed text everywhere: it reveals nothing, not even the length.
=========  =================================================================================

With ``skip`` and ``mask`` the run completes, every failed document is listed (by id or
position, never by content) on stderr and in the report, and the exit code is still
non-zero (:data:`HANDLED_EXIT_CODE` when the command cannot tell the failure's own code),
so a script never mistakes a partial run for a full one. ``veil spark`` counts its failed
rows rather than listing them (executors cannot send the driver a list); see ``docs/cli.md``.
"""

from __future__ import annotations

from typing import Literal, get_args

from .errors import ConfigError, RecordsSkippedError

OnError = Literal["fail", "skip", "mask"]
#: The accepted values, in the order the CLI lists them.
ON_ERROR: tuple[OnError, ...] = get_args(OnError)
#: What a failed document (or text cell) is replaced by under ``mask``.
PLACEHOLDER = "[VEIL: document withheld: processing failed]"
#: Exit code of a run that completed with skipped or masked documents, when the command
#: cannot tell each failure's own code (``batch``, ``spark``): 7, RecordsSkippedError's.
HANDLED_EXIT_CODE = RecordsSkippedError.exit_code


def check_on_error(value: str) -> OnError:
    """``value`` as an :data:`OnError`, or a :class:`ConfigError` naming the closest value."""
    for choice in ON_ERROR:
        if value == choice:
            return choice
    from .suggest import unknown

    raise ConfigError(unknown("on-error policy", value, ON_ERROR))


def replacement(on_error: OnError) -> str | None:
    """The text written for a failed document: :data:`PLACEHOLDER` (mask) or ``None`` (skip).

    ``fail`` has no replacement: the caller must raise instead.
    """
    if on_error == "mask":
        return PLACEHOLDER
    if on_error == "skip":
        return None
    raise ConfigError("on_error 'fail' has no replacement; the failure must be raised")


__all__ = ["HANDLED_EXIT_CODE", "ON_ERROR", "PLACEHOLDER", "OnError", "check_on_error", "replacement"]
