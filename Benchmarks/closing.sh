#!/usr/bin/env bash
# What closing the month costs (issue 15), release build, medians of N runs:
#
#   Benchmarks/closing.sh [--runs N] [--baseline OLD_OUTREACH]
#
#  - `sessions import` of the province's 1M-row file into an empty workspace, with no period
#    closed (the one count a write asks before looking any further) and with 40 communes closed
#    for three months outside the file's dates, so that every row is checked against the locks
#    and none is refused. Budget: the lock checks add under 5%.
#  - `outreach log` into the 1M-session workspace: one session and its audit row. Budget: the
#    audit trail adds under 10%. The yardstick is the same command of the Outreach before the
#    audit trail (--baseline: a release build of commit a1abeae, in a workspace it made).
#  - `outreach audit` of one commune, and `approve` of a commune, for information.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
baseline=""
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    *) echo "closing.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
out=bench-out
mkdir -p "$out"
swift build -c release --product outreach >/dev/null
outreach=.build/release/outreach
source "$(dirname "$0")/lib.sh"
[ -f "$out/province-1m/manifest.json" ] || python3 Benchmarks/gen.py --scale province --sessions 1000000 --quiet --out "$out/province-1m"

# A workspace with the province's areas and teams, no sessions.
base="$out/closing-base.sqlite"
if [ ! -f "$base" ]; then
  $outreach init --db "$base" >/dev/null
  $outreach areas import "$out/province-1m/areas.csv" --db "$base" >/dev/null
  $outreach teams import "$out/province-1m/teams.csv" --db "$base" >/dev/null
fi
# The same with 40 communes closed for January–March 2020 (the file's sessions are later).
closed="$out/closing-closed.sqlite"
if [ ! -f "$closed" ]; then
  cp "$base" "$closed"
  mkdir -p "$out/closing-campaigns"
  for code in $(awk -F, '$3=="commune" {print $1}' "$out/province-1m/areas.csv" | head -40); do
    for month in 2020-01 2020-02 2020-03; do
      $outreach approve --area "$code" --period "$month" --campaigns "$out/closing-campaigns" --db "$closed" --by bench >/dev/null
    done
  done
fi
echo "closed units: $(sqlite3 "$closed" "SELECT count(*) FROM approval WHERE state = 'closed'")"

BEFORE="cp $base $out/work.sqlite; rm -f $out/work.sqlite-*" \
  measure "sessions import 1M, no period closed" $outreach sessions import "$out/province-1m/sessions.csv" --db "$out/work.sqlite"
open=$LAST
BEFORE="cp $closed $out/work.sqlite; rm -f $out/work.sqlite-*" \
  measure "sessions import 1M, 120 closed unit-months (every row checked)" \
  $outreach sessions import "$out/province-1m/sessions.csv" --db "$out/work.sqlite"
printf '%-62s %+.1f%% (budget +5%%)\n' "  lock checks add" "$(echo "($LAST / $open - 1) * 100" | bc -l)"

# The 1M-session workspace (the last import above, with its locks), for log and audit.
cp "$out/work.sqlite" "$out/closing-1m.sqlite"; rm -f "$out/closing-1m.sqlite-"*
hamlet=$(awk -F, '$3=="hamlet" {print $1; exit}' "$out/province-1m/areas.csv")
commune=$(awk -F, -v h="$hamlet" '$1==h {print $4}' "$out/province-1m/areas.csv")
runs_saved=$runs; runs=$((4 * runs))
BEFORE="" measure "outreach log: one session and its audit row, into 1M sessions" \
  $outreach log --area "$hamlet" --eid-l2 3 --leaflets 20 --date 2026-11-20 --db "$out/closing-1m.sqlite" --by bench
new=$LAST
if [ -n "$baseline" ]; then
  old="$out/closing-old.sqlite"
  if [ ! -f "$old" ]; then
    $baseline init --db "$old" >/dev/null
    $baseline areas import "$out/province-1m/areas.csv" --db "$old" >/dev/null
    $baseline teams import "$out/province-1m/teams.csv" --db "$old" >/dev/null
    $baseline sessions import "$out/province-1m/sessions.csv" --db "$old" >/dev/null
  fi
  BEFORE="" measure "baseline: outreach log before the audit trail (a1abeae)" \
    $baseline log --area "$hamlet" --eid-l2 3 --leaflets 20 --date 2026-11-20 --db "$old"
  printf '%-62s %+.1f%% (budget +10%%)\n' "  the audit trail and lock check add" "$(echo "($new / $LAST - 1) * 100" | bc -l)"
fi
runs=$runs_saved
BEFORE="" measure "outreach audit --under $commune" $outreach audit --under "$commune" --db "$out/closing-1m.sqlite"
BEFORE="" measure "outreach approvals (whole province)" $outreach approvals --db "$out/closing-1m.sqlite" --format csv
