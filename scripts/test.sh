#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh machine, then run lint, types and tests.
# Needs only Python 3.11 and access to the package registries (PyPI, Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"

# System packages for the Spark and browser tests (Java, Chromium), from Debian.
bash scripts/install-java.sh
bash scripts/install-browser.sh

mkdir -p artifacts
echo "== ruff"
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
