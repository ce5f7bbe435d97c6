#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: sourced by .ci/test (and usable by hand).
#
#   source .ci/postgres.sh; pg_cluster_start; …; pg_cluster_stop
#
# pg_cluster_start makes a cluster in a temporary folder (initdb refuses root, so as root it
# runs as the `postgres` user), starts it listening only on a Unix socket in that folder (no
# TCP port to clash with), creates the database `outreach_test`, and exports
# OUTREACH_TEST_PG=postgresql://postgres@/outreach_test?host=FOLDER for the tests.
# pg_cluster_stop stops it and removes the folder.

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
  else
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
  fi
}

pg_as_owner() { # runs a command as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_cluster_start() {
  local bin
  bin=$(pg_bindir)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres.sh: PostgreSQL's initdb was not found; install Debian's postgresql package." >&2
    return 1
  fi
  PG_CLUSTER_DIR=$(mktemp -d /tmp/outreach-pg.XXXXXX)
  chmod 755 "$PG_CLUSTER_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_CLUSTER_DIR"
  pg_as_owner "$bin/initdb" -D "$PG_CLUSTER_DIR/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$PG_CLUSTER_DIR/initdb.log" 2>&1 ||
    { cat "$PG_CLUSTER_DIR/initdb.log" >&2; return 1; }
  # One role signs in with a password (SCRAM), so the tests can try a wrong one.
  pg_as_owner sed -i '1i local all outreach_pw scram-sha-256' "$PG_CLUSTER_DIR/data/pg_hba.conf"
  pg_as_owner "$bin/pg_ctl" -D "$PG_CLUSTER_DIR/data" -l "$PG_CLUSTER_DIR/server.log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories='$PG_CLUSTER_DIR' -c fsync=off -c max_connections=200" \
    start >/dev/null || { cat "$PG_CLUSTER_DIR/server.log" >&2; return 1; }
  "$bin/createdb" -h "$PG_CLUSTER_DIR" -U postgres outreach_test
  "$bin/psql" -q -h "$PG_CLUSTER_DIR" -U postgres -d outreach_test \
    -c "CREATE ROLE outreach_pw LOGIN SUPERUSER PASSWORD 'right-password'" >/dev/null
  export PG_CLUSTER_DIR PG_CLUSTER_BIN="$bin"
  export OUTREACH_TEST_PG="postgresql://postgres@/outreach_test?host=$PG_CLUSTER_DIR"
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $PG_CLUSTER_DIR"
}

pg_cluster_stop() {
  [ -n "${PG_CLUSTER_DIR:-}" ] || return 0
  pg_as_owner "$PG_CLUSTER_BIN/pg_ctl" -D "$PG_CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_CLUSTER_DIR"
  unset PG_CLUSTER_DIR OUTREACH_TEST_PG
}
