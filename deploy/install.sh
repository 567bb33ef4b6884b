#!/usr/bin/env bash
# Install protutor into a virtualenv from the lock, never resolving (docs/adr/0013-installing-from-the-lock.md).
# `make setup`, CI, deploy/drill.sh and docs/deploy.md all install through this script.
#
#   deploy/install.sh VENV             the runtime lock and protutor itself (a server)
#   deploy/install.sh VENV --dev       also the development and test tools, protutor editable (make setup)
#
# pip takes exactly the versions and hashes the lock names and nothing else (--no-deps), builds protutor with
# the locked setuptools (--no-build-isolation), and `pip check` then proves the lock was complete.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${1:?usage: deploy/install.sh VENV [--dev]}
dev=${2:-}
python=${PYTHON:-python3}

# pip warns about each index folder the machine's pip.conf names but lacks; that noise hides real messages.
quiet_pip() { "$venv/bin/pip" "$@" --disable-pip-version-check 2> >(grep -v "^WARNING: Location '" >&2); }

test -x "$venv/bin/python" || "$python" -m venv "$venv"
if [ "$dev" = "--dev" ]; then
    quiet_pip install --quiet --no-deps --require-hashes -r requirements.txt -r requirements-dev.txt
    # setuptools warns on every editable install that a folder named like the package may shadow it: it is this one.
    PYTHONWARNINGS="ignore:Editable installation" quiet_pip install --quiet --no-deps --no-build-isolation -e .
else
    quiet_pip install --quiet --no-deps --require-hashes -r requirements.txt
    quiet_pip install --quiet --no-deps --no-build-isolation .
fi
quiet_pip check
