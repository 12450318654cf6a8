"""``veil serve``: the HTTP API and the review page."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import click

from ..errors import ConfigError
from ..options import Options, VeilCommand, options

TOKEN_ENV = "VEIL_TOKEN"  # noqa: S105 - the name of the variable, not a secret


def _read_token(token_file: Path | None) -> str | None:
    if token_file is not None:
        try:
            token = token_file.read_text("utf-8").strip()
        except FileNotFoundError:
            raise ConfigError(f"token file not found: {token_file}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read token file {token_file}: {type(exc).__name__}") from None
        if not token:
            raise ConfigError(f"token file {token_file} is empty")
        return token
    env = os.environ.get(TOKEN_ENV, "").strip()
    return env or None


def _load_key(key_file: Path) -> Any:
    try:
        from ..keys import load_key
    except ImportError as exc:
        raise ConfigError("--key-file needs veil.keys, which this version lacks") from exc
    return load_key(key_file)


@click.command(
    "serve",
    cls=VeilCommand,
    epilog="""\b
Examples:
  # a token for the clients, then the server on http://127.0.0.1:8000/
  python -c 'import secrets; print(secrets.token_urlsafe(32))' > token.txt
  veil serve --token-file token.txt
  VEIL_TOKEN=$(cat token.txt) veil serve --preset strict --port 9000
  curl -H "Authorization: Bearer $(cat token.txt)" -H 'Content-Type: application/json' \\
       -d '{"text": "Mail Ada Byron at ada@example.org", "operator": "tag"}' \\
       http://127.0.0.1:8000/v1/redact
  # a quick local try-out without a token (never on a shared machine)
  veil serve --insecure-no-auth
""",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to bind.")
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"File holding the bearer token clients must send (else ${TOKEN_ENV}).",
)
@click.option(
    "--insecure-no-auth",
    is_flag=True,
    help="Start without a token when none is given. Anyone who can reach the port can use the API.",
)
@options("policy")
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Key file (veil keygen) for the encrypt, hash and surrogate operators; enables /v1/restore.",
)
@click.option(
    "--max-body-bytes",
    default=1_048_576,
    show_default=True,
    type=click.IntRange(min=1024),
    help="Largest accepted request body (uploads included); larger gets 413.",
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds a request may wait and run before 503/504.",
)
@click.option(
    "--concurrency",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="Documents processed at once (one worker process each).",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="Allow browser calls from this origin (repeatable). CORS is off by default.",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve_cmd(
    opts: Options,
    host: str,
    port: int,
    token_file: Path | None,
    insecure_no_auth: bool,
    key_file: Path | None,
    max_body_bytes: int,
    timeout: float,
    concurrency: int,
    cors_origins: tuple[str, ...],
    log_level: str,
) -> None:
    """Start the HTTP API (under /v1) and the review page (at /).

    A bearer token is required, from --token-file or $VEIL_TOKEN; without one the server
    refuses to start unless --insecure-no-auth is given. Request text is never logged.
    The OpenAPI schema is served at /openapi.json and browsable at /docs. The policy flags
    (--preset, --labels, --allow, ...) set the server's policy, which requests may narrow.
    """
    from ..service import ServiceSettings, serve

    policy = opts.build_policy()  # the server's policy; requests narrow it (docs/serve.md)
    key = _load_key(key_file) if key_file is not None else None
    # One key serves every keyed operator (each derives its own sub-key from it).
    secrets = {op: {"key": key} for op in ("encrypt", "hash", "surrogate")} if key is not None else {}
    settings = ServiceSettings(
        token=_read_token(token_file),
        insecure_no_auth=insecure_no_auth,
        policy=policy,
        secrets=secrets,
        restore_key=key,
        max_body_bytes=max_body_bytes,
        timeout=timeout,
        concurrency=concurrency,
        cors_origins=tuple(cors_origins),
    )
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"veil: serving on http://{host}:{port}/ (API under /v1, schema at /openapi.json)", err=True)
    serve(settings, host=host, port=port, log_level=log_level)
