#!/bin/bash
# The deployment drill: docs/deploy.md, sections 1 to 9, followed on this machine as root, step by step,
# with the demo college loaded so the site can be driven under load (bench/load.py --target). Run it on a
# throwaway machine or container, never on a server that holds real data: it makes the protutor user,
# /opt/protutor, /etc/protutor, /var/lib/protutor, a PostgreSQL role and database, and an nginx site.
#
#   sudo deploy/drill.sh [SOURCE]     # SOURCE: a git repository to clone (default: this checkout)
#
# Where the drill has to differ from a real server, it says so as it goes:
# - the certificate is a local certificate authority's for protutor.internal (no certbot without a
#   public name); the CA is left at /etc/protutor/drill-ca.pem for clients to trust;
# - where PID 1 is not systemd (a container), the unit files are checked with `systemd-analyze verify` and
#   their ExecStart run as their User, with their EnvironmentFile and WorkingDirectory;
# - the demo accounts have no second factor, so the drill's environment requires none
#   (PROTUTOR_MFA_REQUIRED_ROLES=""): a real deployment keeps the default.
set -euo pipefail

SOURCE=${1:-$(cd "$(dirname "$0")/.." && pwd)}
NAME=protutor.internal
LOGS=/var/log/protutor
step() { printf '\n== %s\n' "$*"; }
as_protutor() { runuser -u protutor -- /usr/local/bin/protutor "$@"; }

step "1. Packages and the protutor user"
packages=(python3 python3-venv git nginx postgresql postgresql-client openssl
          libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2)
missing=()
for package in "${packages[@]}"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
if ((${#missing[@]})); then apt-get update && apt-get install -y "${missing[@]}"; fi
id protutor >/dev/null 2>&1 ||
    adduser --system --group --home /var/lib/protutor --shell /usr/sbin/nologin protutor
install -d -o protutor -g protutor -m 0750 /var/lib/protutor/media /var/lib/protutor/static \
    /var/lib/protutor/backups
install -d -o protutor -g protutor -m 0750 "$LOGS"

step "2. Code and virtualenv, from the lock file"
rm -rf /opt/protutor/src
git clone --quiet "$SOURCE" /opt/protutor/src
git -C /opt/protutor/src log --oneline -1
# Debian's own python3 (3.11), as on a server; not a python installed under a user's home.
rm -rf /opt/protutor/venv
cd /opt/protutor/src
PYTHON=/usr/bin/python3 deploy/install.sh /opt/protutor/venv
/opt/protutor/venv/bin/protutor --version >/dev/null
install -m 0755 deploy/protutor-env.sh /usr/local/bin/protutor

step "3. PostgreSQL: database and role"
if ! runuser -u postgres -- pg_isready --quiet; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
fi
DB_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
runuser -u postgres -- psql --quiet -v ON_ERROR_STOP=1 <<SQL
DROP DATABASE IF EXISTS protutor;
DROP ROLE IF EXISTS protutor;
CREATE ROLE protutor LOGIN PASSWORD '$DB_PASSWORD';
SQL
runuser -u postgres -- createdb --owner protutor --encoding UTF8 protutor

step "4. The environment file"
install -d -m 0750 -g protutor /etc/protutor
install -m 0640 -g protutor /dev/null /etc/protutor/protutor.env
SECRET=$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')
KEY=$(/opt/protutor/venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')
cat >/etc/protutor/protutor.env <<ENV
DEBUG=false
SECRET_KEY="$SECRET"
PROTUTOR_ENCRYPTION_KEYS="$KEY"
ALLOWED_HOSTS=$NAME
CSRF_TRUSTED_ORIGINS=https://$NAME
PROTUTOR_BASE_URL=https://$NAME
DATABASE_URL=postgres://protutor:$DB_PASSWORD@127.0.0.1:5432/protutor
PROTUTOR_VAR_DIR=/var/lib/protutor
MEDIA_ROOT=/var/lib/protutor/media
STATIC_ROOT=/var/lib/protutor/static
PROTUTOR_BACKUP_DIR=/var/lib/protutor/backups
BEHIND_TLS_PROXY=true
SECURE_SSL_REDIRECT=true
SECURE_HSTS_SECONDS=31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS=true
# The drill has no mail server: mail is written to the worker's log instead (protutor check warns).
EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
DEFAULT_FROM_EMAIL="protutor <protutor@$NAME>"
PROTUTOR_BIND=127.0.0.1:8000
PROTUTOR_WEB_WORKERS=2
PROTUTOR_WEB_TIMEOUT=60
PROTUTOR_TASK_BACKEND=django_tasks_db.DatabaseBackend
# The demo accounts have no second factor; a real deployment keeps the default.
PROTUTOR_MFA_REQUIRED_ROLES=""
TIME_ZONE=Europe/London
LOG_LEVEL=INFO
ENV

step "5. Database tables, static files, first check"
cd /var/lib/protutor
as_protutor check || true   # the drill's console email backend is a warning here; anything else is shown too
as_protutor migrate --no-input | tail -1
as_protutor collectstatic --no-input | tail -1
# Not part of a real deployment: the demo college, so the drill has people to sign in as.
as_protutor demo | tail -3

step "6. systemd: web and worker"
cp /opt/protutor/src/deploy/systemd/*.service /opt/protutor/src/deploy/systemd/*.timer /etc/systemd/system/
if [ "$(ps -p 1 -o comm=)" = systemd ]; then
    systemctl daemon-reload
    systemctl enable --now protutor-web protutor-worker
    systemctl enable --now protutor-daily.timer protutor-weekly.timer protutor-backup.timer
    systemctl --no-pager status protutor-web protutor-worker | head -20
else
    echo "PID 1 is $(ps -p 1 -o comm=), not systemd: checking the units, then running them by hand."
    for unit in /etc/systemd/system/protutor-*.service /etc/systemd/system/protutor-*.timer; do
        systemd-analyze verify "$unit" 2>&1 | grep -v -e 'Failed to prepare filename' || true
    done
    for service in web worker; do
        unit=/etc/systemd/system/protutor-$service.service
        pkill -f "protutor $( [ $service = web ] && echo serve || echo worker )" 2>/dev/null || true
        exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
        user=$(sed -n 's/^User=//p' "$unit")
        workdir=$(sed -n 's/^WorkingDirectory=//p' "$unit")
        envfile=$(sed -n 's/^EnvironmentFile=//p' "$unit")
        (cd "$workdir" && setsid runuser -u "$user" -- /bin/sh -c \
            "set -a; . $envfile; set +a; umask 0027; exec $exec_start" \
            >>"$LOGS/$service.log" 2>&1 </dev/null &)
        echo "started protutor-$service: $exec_start (log $LOGS/$service.log)"
    done
fi

step "7. nginx and TLS"
CA=/etc/protutor/drill-ca.pem
TLS=/etc/ssl/protutor
install -d -m 0755 "$TLS"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=protutor drill CA" \
    -keyout "$TLS/ca.key" -out "$CA" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=$NAME" -keyout "$TLS/privkey.pem" -out "$TLS/site.csr" 2>/dev/null
openssl x509 -req -in "$TLS/site.csr" -CA "$CA" -CAkey "$TLS/ca.key" -CAcreateserial -days 30 \
    -extfile <(printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$NAME") \
    -out "$TLS/fullchain.pem" 2>/dev/null
chmod 0600 "$TLS/privkey.pem" "$TLS/ca.key"
sed -e "s/protutor.example.org/$NAME/g" \
    -e "s#/etc/letsencrypt/live/$NAME/#$TLS/#g" \
    /opt/protutor/src/deploy/nginx/protutor.conf >/etc/nginx/sites-available/protutor
ln -sf /etc/nginx/sites-available/protutor /etc/nginx/sites-enabled/protutor
rm -f /etc/nginx/sites-enabled/default
nginx -t
if pgrep -x nginx >/dev/null; then nginx -s reload; else nginx; fi

step "8. Health check, through nginx and TLS"
for _ in $(seq 60); do
    curl --silent --fail --cacert "$CA" --resolve "$NAME:443:127.0.0.1" "https://$NAME/health/" >/dev/null && break
    sleep 1
done
curl --silent --show-error --fail --cacert "$CA" --resolve "$NAME:443:127.0.0.1" "https://$NAME/health/"
echo
curl --silent --head --cacert "$CA" --resolve "$NAME:443:127.0.0.1" "https://$NAME/accounts/login/" |
    grep -i -E '^(HTTP|strict-transport|content-security|x-frame|referrer-policy|cross-origin)' || true
curl --silent --head "http://127.0.0.1/" -H "Host: $NAME" | grep -i -E '^(HTTP|location)'

step "9. Backups"
as_protutor backup --keep 14 | tail -1

printf '\nDeployed: https://%s on 127.0.0.1 (trust %s). Load it with:\n' "$NAME" "$CA"
echo "  /opt/protutor/venv/bin/python /opt/protutor/src/bench/load.py --target https://$NAME --cafile $CA"
