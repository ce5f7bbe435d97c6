#!/usr/bin/env bash
# Completeness and the chase list over the whole national tree (111,367 areas, ~100k hamlets,
# 1M sessions) on SQLite: medians of N whole-process runs of the release build, peak RSS.
#
#   Benchmarks/completeness.sh [--runs N] [--period 2025-11]
#
# The data is Benchmarks/gen.py's national-1m set in bench-out/ (made if missing, as
# Benchmarks/run.sh makes it; its sessions run 2023-01-01…2025-12-31, its teams are in
# teams.csv). The workspace bench-out/national-1m.sqlite is built once with `outreach` (areas,
# teams, sessions import), as pg-coverage.sh builds it. Target: completeness under 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
period=2025-11
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --period) period=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--period YYYY-MM|YYYY-Qn]" >&2; exit 2 ;;
  esac
done
out=bench-out
mkdir -p "$out"

swift build -c release --product outreach >/dev/null
outreach=$PWD/.build/release/outreach

source "$(dirname "$0")/lib.sh"

national_campaign "$out/campaigns"

national_workspace
db="$out/national-1m.sqlite"
common=(--campaign national --campaigns "$out/campaigns" --db "$db")

echo "completeness and chase, national tree, 1M sessions, period $period (SQLite)"
measure "completeness --period $period (table, whole country)" $outreach completeness "${common[@]}" --period "$period"
measure "completeness --period $period --format csv" $outreach completeness "${common[@]}" --period "$period" --format csv
measure "completeness --period ${period%%-*}-Q4 (a quarter)" $outreach completeness "${common[@]}" --period "${period%%-*}-Q4"
measure "chase --days 14 (text, whole country)" $outreach chase "${common[@]}" --days 14
