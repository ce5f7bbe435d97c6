#!/usr/bin/env bash
# Coverage of the whole national tree (111,367 areas, 1M sessions) on PostgreSQL beside the same
# on SQLite, in one run: medians of N whole-process runs of the release build, peak RSS.
#
#   Benchmarks/pg-coverage.sh [--runs N]
#
# The data is Benchmarks/gen.py's national-1m set in bench-out/ (made if missing, as
# Benchmarks/run.sh makes it). The SQLite workspace bench-out/national-1m.sqlite is built once
# with `outreach` (areas, sessions import). PostgreSQL gets the same areas and sessions from it:
# a throw-away cluster (.ci/postgres.sh), or the database in OUTREACH_BENCH_PG (left as found if
# it already holds the sessions); the SQLite tables go over with `sqlite3 -csv` into `psql
# \copy`, and the statement trigger of "pg2-totals" fills the monthly totals in the same COPY.
# The first coverage on each engine registers the campaign's period (not timed).
# Needs python3, sqlite3 and PostgreSQL's server programs and psql.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
[ "${1:-}" = "--runs" ] && runs=$2
out=bench-out
mkdir -p "$out"

swift build -c release --product outreach >/dev/null
outreach=$PWD/.build/release/outreach

[ -f "$out/national-1m/manifest.json" ] ||
  python3 Benchmarks/gen.py --scale national --sessions 1000000 --quiet --out "$out/national-1m"

source "$(dirname "$0")/lib.sh"

national_campaign "$out/campaigns"

db="$out/national-1m.sqlite"
if [ ! -f "$db" ]; then
  $outreach init --db "$db" >/dev/null
  $outreach areas import "$out/national-1m/areas.csv" --db "$db" >/dev/null
  $outreach teams import "$out/national-1m/teams.csv" --db "$db" >/dev/null
  $outreach sessions import "$out/national-1m/sessions.csv" --db "$db" >/dev/null
fi
$outreach coverage --campaign national --campaigns "$out/campaigns" --db "$db" >/dev/null  # registers the period

if [ -n "${OUTREACH_BENCH_PG:-}" ]; then
  uri=$OUTREACH_BENCH_PG
else
  source .ci/postgres.sh
  trap pg_cluster_stop EXIT
  pg_cluster_start >/dev/null
  uri="postgresql://postgres@/outreach_test?host=$PG_CLUSTER_DIR"
fi
# psql's connection from the URI's parts (psql reads `host=` as a socket folder too).
psql_uri() { psql -X -q -v ON_ERROR_STOP=1 "$uri" "$@"; }
$outreach init --db "$uri" >/dev/null 2>&1 || true
if [ "$(psql_uri -At -c 'SELECT count(*) FROM session')" = 0 ]; then
  t0=$(date +%s.%N)
  areas="id, code, name, level, local_kind, parent_id, population, adults, working_age, households, search_key, valid_from, valid_to"
  sqlite3 -csv "$db" "SELECT $areas FROM area ORDER BY id" | psql_uri -c "\\copy area ($areas) from stdin csv"
  metrics="eid_l2, bank_account, ewallet, leaflets, dvc_guided, households_visited, people_reached, smartphone_setup"
  sqlite3 -csv "$db" "SELECT id, '\\x' || lower(hex(uuid)), day, area_id, $metrics FROM session ORDER BY id" |
    psql_uri -c "\\copy session (id, uuid, day, area_id, $metrics) from stdin csv"
  sqlite3 -csv "$db" "SELECT session_id, day, reason FROM session_void ORDER BY session_id" |
    psql_uri -c "\\copy session_void (session_id, day, reason) from stdin csv"
  psql_uri -c "SELECT setval(pg_get_serial_sequence('area', 'id'), (SELECT max(id) FROM area))" \
    -c "SELECT setval(pg_get_serial_sequence('session', 'id'), (SELECT max(id) FROM session))" -c "VACUUM ANALYZE" >/dev/null
  printf '  (loaded PostgreSQL from %s: %.1f s)\n' "$db" "$(echo "$(date +%s.%N) - $t0" | bc)"
fi
$outreach coverage --campaign national --campaigns "$out/campaigns" --db "$uri" >/dev/null  # registers the period
cmp <($outreach coverage --campaign national --campaigns "$out/campaigns" --db "$db" --format csv) \
    <($outreach coverage --campaign national --campaigns "$out/campaigns" --db "$uri" --format csv) &&
  echo "  (the CSV reports of both engines are identical)"

commune=$(awk -F, '$3=="commune" {print $1; exit}' "$out/national-1m/areas.csv")
for engine in SQLite PostgreSQL; do
  target=$db; [ $engine = PostgreSQL ] && target=$uri
  measure "$engine: coverage, whole tree (111k rows), as of today" \
    $outreach coverage --campaign national --campaigns "$out/campaigns" --db "$target"
  measure "$engine: coverage, whole tree, as of 2025-06-15" \
    $outreach coverage --campaign national --campaigns "$out/campaigns" --as-of 2025-06-15 --db "$target"
  measure "$engine: coverage, one commune's hamlets ($commune)" \
    $outreach coverage --campaign national --campaigns "$out/campaigns" --under "$commune" --db "$target"
done
