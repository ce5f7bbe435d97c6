#!/usr/bin/env bash
# The 2025 reform at national scale (issue 17) on SQLite: applying a national conversion table
# (Benchmarks/reform_mapping.py: the synthetic country's 10,599 commune-level units merged three
# to one within each province, the district level ended, 100,000 hamlets moved) and national
# coverage under the old tree against the current one. Medians of N whole-process runs of the
# release build, peak RSS.
#
#   Benchmarks/reform.sh [--runs N]
#
# The data is gen.py's national-1m set (sessions 2023-01-01…2025-12-31, so on both sides of
# 1 July 2025) and bench-out/national-1m.sqlite (lib.sh's national_workspace).
# Budgets: the reform under 10 s; coverage under the old tree within 2x the current tree.
# Runs (release, 2 cores shared with two other builds, 3 runs, medians): the reform 3.47 s (10,599
# communes into 3,552, 100,000 hamlets moved, 145 MB), again 2.31 s (nothing to change); coverage
# of the whole country 0.31 s before any reform, 0.68 s on the reformed workspace under the current
# tree, 0.67 s under the old tree (1.00x). The reformed workspace reads every unit's versions and
# dated changes (C API) and places the ended communes' sessions: that is the 0.37 s over the plain tree.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N]" >&2; exit 2 ;;
  esac
done
out=bench-out
mkdir -p "$out"

swift build -c release --product outreach >/dev/null
outreach=$PWD/.build/release/outreach
source "$(dirname "$0")/lib.sh"

national_campaign "$out/campaigns"
national_workspace
python3 Benchmarks/reform_mapping.py "$out/national-1m/areas.csv" "$out/reform"
copy() { rm -f "$2" "$2-wal" "$2-shm"; cp "$1" "$2"; }
# The national workspace at this version's schema, before any reform.
copy "$out/national-1m.sqlite" "$out/reform-base.sqlite"
$outreach check --db "$out/reform-base.sqlite" >/dev/null || true
reform=(areas reform "$out/reform/mapping.csv" --tree "$out/reform/tree.csv" --effective 2025-07-01 --basis "bench")

echo "national reform, 111,367 areas, 1M sessions (SQLite)"
BEFORE="copy $out/reform-base.sqlite $out/reform-run.sqlite"
measure "areas reform (10,599 communes into 3,552; 100,000 hamlets move)" $outreach "${reform[@]}" --db "$out/reform-run.sqlite"
unset BEFORE
copy "$out/reform-base.sqlite" "$out/reformed.sqlite"
$outreach "${reform[@]}" --db "$out/reformed.sqlite"
measure "areas reform again (nothing to change)" $outreach "${reform[@]}" --db "$out/reformed.sqlite"

common=(coverage --campaign national --campaigns "$out/campaigns" --as-of 2025-12-31)
measure "coverage, whole country, no reform recorded (yardstick)" $outreach "${common[@]}" --db "$out/reform-base.sqlite"
base=$LAST
measure "coverage, reformed workspace, current tree" $outreach "${common[@]}" --db "$out/reformed.sqlite"
current=$LAST
measure "coverage, reformed workspace, --tree 2025-06-30 (old tree)" $outreach "${common[@]}" --tree 2025-06-30 --db "$out/reformed.sqlite"
old=$LAST
printf 'old tree / current tree: %.2fx; current tree / no reform: %.2fx\n' "$(echo "$old / $current" | bc -l)" "$(echo "$current / $base" | bc -l)"
