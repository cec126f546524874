#!/usr/bin/env bash
# Set up kp-translate on a fresh Debian/Ubuntu machine: system packages (Apertium pairs into English
# for es, ca, gl, eu directly and fr, pt, it through Spanish; GNU gettext for PO validation) and the
# Python package with its dev tools in ./.venv (apertium-apy: the peer server of bench/bench_serve.py;
# chromium: the review page's browser test, driven by Playwright through /usr/bin/chromium, so no
# `playwright install` download; util-linux: setpriv, which gives every Apertium stage the
# parent-death signal).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    apertium apertium-eng-spa apertium-fr-es apertium-eng-cat apertium-en-gl apertium-eu-en \
    apertium-es-pt apertium-spa-ita apertium-apy gettext python3-venv chromium util-linux >/dev/null

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then "$PYTHON" -m venv .venv; fi
.venv/bin/python -m pip install -q --upgrade pip
# argostranslate needs torch (through stanza); pin the CPU-sized release first so that the resolver
# does not pick a larger build.
.venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -e ".[dev]"
.venv/bin/kp-translate --version
echo "setup done: activate with 'source .venv/bin/activate'"
