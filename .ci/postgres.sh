#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for crmkit's PostgreSQL adapter tests and prints its
# connection URL (the only thing written to stdout), for example:
#
#   export CRMKIT_PG_URL="$(.ci/postgres.sh)"
#
# Installs Debian's postgresql package when no server binaries are present (needs root), then
# runs initdb + pg_ctl as the postgres user (PostgreSQL refuses to run as root) on 127.0.0.1,
# with trust authentication on loopback only, a data directory under /tmp, and a free port
# (5432 when free). The server is left running; stop it with
#   su postgres -s /bin/sh -c "<bin dir>/pg_ctl -D <data dir> stop"   (both are printed on stderr).
# Environment: CRMKIT_PG_PORT (a fixed port), CRMKIT_PG_DB (database name, default crmkit).
set -euo pipefail

log() { printf '%s\n' "postgres.sh: $*" >&2; }

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

PGBIN="$(find_bin || true)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/postgres" ]; then
  log "no PostgreSQL server found: installing Debian's postgresql package"
  if [ "$(id -u)" -ne 0 ]; then log "need root to apt-get install postgresql"; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # The package's own cluster is not used (we start our own below), so skip creating it.
  mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/crmkit.conf
  apt-get install -y -qq postgresql >&2
  PGBIN="$(find_bin)"
fi
log "server binaries: $PGBIN"

# Run as the postgres user when we are root (initdb and postgres refuse root); as ourselves otherwise.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  as_pg() { su postgres -s /bin/sh -c "$*"; }
  PGUSER_OS=postgres
else
  as_pg() { sh -c "$*"; }
  PGUSER_OS="$(id -un)"
fi

DATA="$(mktemp -d /tmp/crmkit-pg.XXXXXX)"
chown "$PGUSER_OS" "$DATA"
chmod 700 "$DATA"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT="${CRMKIT_PG_PORT:-}"
if [ -z "$PORT" ]; then
  PORT=5432
  while ! port_free "$PORT"; do PORT=$((PORT + 1)); done
fi
DB="${CRMKIT_PG_DB:-crmkit}"

log "data dir $DATA, port $PORT"
as_pg "'$PGBIN/initdb' -D '$DATA' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >'$DATA.initdb.log' 2>&1" || {
  cat "$DATA.initdb.log" >&2; exit 1; }
# Loopback only; the socket lives in the data dir so no system directory is needed. Enough
# connections for the tests' several pools.
as_pg "'$PGBIN/pg_ctl' -D '$DATA' -l '$DATA/server.log' -w -t 60 \
  -o \"-c listen_addresses=127.0.0.1 -p $PORT -k '$DATA' -c max_connections=200 -c fsync=off\" start" >&2 || {
  cat "$DATA/server.log" >&2; exit 1; }
as_pg "'$PGBIN/psql' -h 127.0.0.1 -p $PORT -U postgres -d postgres -v ON_ERROR_STOP=1 -qc 'CREATE DATABASE \"$DB\"'" >&2

printf 'postgres://postgres@127.0.0.1:%s/%s\n' "$PORT" "$DB"
