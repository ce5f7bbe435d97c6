#!/usr/bin/env bash
# Benchmarks, run whole-process with the release build: medians of N runs, peak memory.
#
#   Benchmarks/run.sh [csv|areas|all] [--runs N]
#
# Data comes from Benchmarks/gen.py (a copy of the project's deterministic generator) and is
# kept in bench-out/ (git-ignored). Needs python3 and, for the side-by-side baseline, the
# sqlite3 shell (apt-get install sqlite3).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
runs=5
[ "${2:-}" = "--runs" ] && runs=$3
out=bench-out
mkdir -p "$out"

swift build -c release --product OutreachBench >/dev/null
swift build -c release --product outreach >/dev/null
bench=.build/release/OutreachBench
outreach=.build/release/outreach

gen() { # gen NAME ARGS… : generate once into bench-out/NAME
  local name=$1; shift
  [ -f "$out/$name/manifest.json" ] || python3 Benchmarks/gen.py "$@" --quiet --out "$out/$name"
}

# measure LABEL CMD… : runs CMD $runs times, prints the median wall time and the peak RSS.
measure() {
  local label=$1; shift
  local times=() peak=0
  for _ in $(seq "$runs"); do
    [ -n "${BEFORE:-}" ] && eval "$BEFORE"
    local t0 t1 rss
    t0=$(date +%s.%N)
    /usr/bin/time -o "$out/.rss" -f "%M" "$@" >/dev/null 2>"$out/.stderr" || { cat "$out/.stderr" >&2; exit 1; }
    rss=$(tail -1 "$out/.rss")
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
    [ "${rss:-0}" -gt "$peak" ] 2>/dev/null && peak=$rss
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  printf '%-58s median %7.3f s   peak %6.1f MB   (%d runs)\n' "$label" "$median" "$(echo "$peak / 1024" | bc -l)" "$runs"
  LAST=$median
}

if [ "$what" = csv ] || [ "$what" = all ]; then
  gen province-1m --scale province --sessions 1000000
  measure "CSV reader: parse 1M-row sessions.csv (no SQLite)" $bench csv "$out/province-1m/sessions.csv"
fi

if [ "$what" = areas ] || [ "$what" = all ]; then
  BEFORE="rm -f $out/areas.sqlite*" measure "areas import: vn_units_2025.csv (3,355 areas)" \
    $bench areas Resources/areas/vn_units_2025.csv "$out/areas.sqlite"
  gen national-tree --scale national --no-sessions
  BEFORE="rm -f $out/areas.sqlite*" measure "areas import: national synthetic tree (111,367 areas)" \
    $bench areas "$out/national-tree/areas.csv" "$out/areas.sqlite"
fi
