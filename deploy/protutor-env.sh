#!/bin/sh
# Run a protutor command with the production environment, as the protutor user:
#   sudo -u protutor protutor migrate
# Install as /usr/local/bin/protutor (docs/deploy.md). The same file feeds the systemd units.
set -a
. /etc/protutor/protutor.env
set +a
exec /opt/protutor/venv/bin/protutor "$@"
