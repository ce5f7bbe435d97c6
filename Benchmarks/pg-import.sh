#!/usr/bin/env bash
# `sessions import` into PostgreSQL beside psql's \copy of the same file into a plain table:
# medians of N runs, peak RSS of each process (release build).
#
#   Benchmarks/pg-import.sh [--runs N] [--uri postgresql://…/postgres]
#
# Without --uri it starts a throw-away cluster (.ci/postgres.sh: Unix socket, fsync off, the
# same for both sides). Data: bench-out/province-1m (Benchmarks/gen.py, 1M sessions), its areas
# and teams taken from the SQLite workspace bench-out/province-base.sqlite that run.sh builds
# (copied with the sqlite3 shell and psql, so that the PostgreSQL side needs no other command).
# Each run imports into a fresh copy (CREATE DATABASE … TEMPLATE) of a workspace holding the
# areas and teams and no sessions.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3 uri=""
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --uri) uri=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--uri URI]" >&2; exit 2 ;;
  esac
done
out=bench-out
csv=$out/province-1m/sessions.csv
base=$out/province-base.sqlite
mkdir -p "$out"

[ -n "${NO_BUILD:-}" ] || swift build -c release --product outreach >/dev/null
outreach=${OUTREACH_BIN:-$PWD/.build/release/outreach}
[ -f "$out/province-1m/manifest.json" ] || python3 Benchmarks/gen.py --scale province --sessions 1000000 --quiet --out "$out/province-1m"
if [ ! -f "$base" ]; then
  $outreach init --db "$base" >/dev/null
  $outreach areas import "$out/province-1m/areas.csv" --db "$base" >/dev/null
  $outreach teams import "$out/province-1m/teams.csv" --db "$base" >/dev/null
fi

if [ -z "$uri" ]; then
  source .ci/postgres.sh
  trap pg_cluster_stop EXIT
  pg_cluster_start >/dev/null
  uri="postgresql://postgres@/postgres?host=$PG_CLUSTER_DIR"
fi
db() { # db NAME : the URI of database NAME on the server
  local rest=${uri#*://}; local auth_host=${rest%%/*}; local query=""
  [[ $rest == *\?* ]] && query="?${rest#*\?}"
  echo "postgresql://$auth_host/$1$query"
}
sql() { psql -X -q -v ON_ERROR_STOP=1 "$uri" "$@"; }

# The template workspace: areas and teams with SQLite's ids, no sessions.
sql -c "DROP DATABASE IF EXISTS bench_import_base" -c "CREATE DATABASE bench_import_base" >/dev/null
$outreach init --db "$(db bench_import_base)" >/dev/null
areas="id, code, name, level, local_kind, parent_id, population, adults, working_age, households, search_key"
teams="id, code, name, kind, area_id, leader, leader_phone, formed, status, inactive_since"
sqlite3 -csv "$base" "SELECT $areas FROM area ORDER BY id" > "$out/.areas.csv"
sqlite3 -csv "$base" "SELECT $teams FROM team ORDER BY id" > "$out/.teams.csv"
psql -X -q -v ON_ERROR_STOP=1 "$(db bench_import_base)" \
  -c "\\copy area ($areas) from '$out/.areas.csv' csv" \
  -c "\\copy team ($teams) from '$out/.teams.csv' csv" \
  -c "SELECT setval(pg_get_serial_sequence('area', 'id'), (SELECT max(id) FROM area))" \
  -c "SELECT setval(pg_get_serial_sequence('team', 'id'), (SELECT max(id) FROM team))" \
  -c "VACUUM ANALYZE" >/dev/null

source "$(dirname "$0")/lib.sh"

plain="id uuid, date text, area text, team text, logged_by text, eid_l2 int, bank_account int, ewallet int,
  leaflets int, dvc_guided int, households_visited int, people_reached int, notes text"
BEFORE="sql -c 'DROP TABLE IF EXISTS plain' -c 'CREATE TABLE plain ($plain)' >/dev/null" \
  measure "psql \\copy into a plain table (1M rows)" psql -X -q "$uri" -c "\\copy plain from '$csv' csv header"
copy=$LAST
BEFORE="sql -c 'DROP DATABASE IF EXISTS bench_import' -c 'CREATE DATABASE bench_import TEMPLATE bench_import_base' >/dev/null" \
  measure "outreach sessions import into PostgreSQL (1M rows, no sessions)" \
  $outreach sessions import "$csv" --db "$(db bench_import)"
printf '%-62s %.2fx psql \\copy (budget 1.5x)\n' "  ratio" "$(echo "$LAST / $copy" | bc -l)"
sql -c "DROP TABLE IF EXISTS plain" -c "DROP DATABASE IF EXISTS bench_import" -c "DROP DATABASE bench_import_base" >/dev/null
rm -f "$out/.areas.csv" "$out/.teams.csv"
