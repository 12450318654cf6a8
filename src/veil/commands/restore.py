"""``veil restore`` (undo the ``encrypt`` operator) and ``veil keygen`` (create a key file)."""

from __future__ import annotations

import click

from ..errors import ConfigError
from ..options import VeilCommand


def _key_path(key: str | None) -> str:
    # click fills ``key`` from $VEIL_KEY_FILE (the only place the environment is consulted).
    if not key:
        raise ConfigError("no key given: pass --key KEYFILE or set VEIL_KEY_FILE")
    return key


@click.command(
    "restore",
    cls=VeilCommand,
    epilog="""\b
Examples:
  veil redact letter.txt --operator encrypt --key-file veil.key -o letter.enc.txt
  veil restore letter.enc.txt --key-file veil.key -o letter.txt
  VEIL_KEY_FILE=veil.key veil restore < letter.enc.txt > letter.txt
""",
)
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--key",
    "--key-file",
    "-k",
    "key",
    envvar="VEIL_KEY_FILE",
    metavar="KEYFILE",
    help="Key file made by 'veil keygen' (default: $VEIL_KEY_FILE).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write here, atomically (default: stdout). Never the input file.",
)
def restore_cmd(file: str | None, key: str | None, output: str | None) -> None:
    """Replace every encrypt token ⟦LABEL:...⟧ in FILE (or stdin) with the original text.

    All or nothing: if any token fails to authenticate (wrong key or altered text), or
    any text that starts like a token (⟦LABEL:) is not a whole token, nothing is written
    and the exit code is non-zero. Tokens are bound to their entity, not to their
    position: swapped or moved tokens restore without error, in their new places.
    """
    from ..keys import load_key
    from ..operators import count_tokens, restore
    from ..write import check_not_input, read_text, write_text

    secret = load_key(_key_path(key))
    if output and output != "-" and file:
        check_not_input(output, [file])
    text = read_text(file)
    restored = restore(text, secret)
    write_text(output, restored)
    click.echo(f"veil: restored {count_tokens(text)} token(s)", err=True)


@click.command(
    "keygen",
    cls=VeilCommand,
    epilog="""\b
Examples:
  veil keygen -o veil.key
  veil redact notes.txt --operator hash --key-file veil.key
""",
)
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False),
    help="Key file to create (mode 0600). An existing file is never overwritten.",
)
def keygen_cmd(output: str) -> None:
    """Create a random key file for the 'encrypt', 'hash' and 'surrogate' operators.

    Keep it secret and keep a backup: without it encrypted text cannot be restored, and
    with it anyone can restore it.
    """
    from ..keys import generate_key, write_key_file

    write_key_file(output, generate_key())
    click.echo(f"veil: wrote a new key to {output}", err=True)
