#!/usr/bin/env bash
# Lint, type check and run the test suite (Apertium and the tiny Argos package included).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check src tests bench
.venv/bin/ruff format --check src tests bench
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
