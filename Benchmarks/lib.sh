#!/usr/bin/env bash
# What the benchmark scripts share (sourced by run.sh, pg-import.sh, pg-coverage.sh): they set
# `runs` and `out` first.

# measure LABEL CMD… : runs CMD $runs times (BEFORE, when set, is evaluated before each), prints
# the median wall time and the peak RSS; LAST is the median.
measure() {
  local label=$1; shift
  local times=() peak=0
  for _ in $(seq "$runs"); do
    [ -n "${BEFORE:-}" ] && eval "$BEFORE"
    local t0 t1 rss
    t0=$(date +%s.%N)
    /usr/bin/time -o "$out/.rss" -f "%M" "$@" >/dev/null 2>"$out/.stderr" || { cat "$out/.stderr" >&2; exit 1; }
    t1=$(date +%s.%N)
    rss=$(tail -1 "$out/.rss")
    times+=("$(echo "$t1 - $t0" | bc)")
    [ "${rss:-0}" -gt "$peak" ] 2>/dev/null && peak=$rss
  done
  LAST=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  printf '%-62s median %7.3f s   peak %6.1f MB   (%d runs)\n' "$label" "$LAST" "$(echo "$peak / 1024" | bc -l)" "$runs"
}

# national_campaign DIR : writes the whole-country campaign the coverage benchmarks report on.
national_campaign() {
  mkdir -p "$1"
  cat > "$1/national.yaml" <<'YAML'
version: 1
id: national
name: Kích hoạt định danh điện tử mức 2 toàn quốc
scope: all
period: {start: 2023-01-01, end: 2026-12-31}
indicators:
  - id: eid
    label: Tỷ lệ người từ 15 tuổi kích hoạt VNeID mức 2
    numerator: [eid_l2]
    denominator: adults
    target: 90%
YAML
}

# national_workspace : bench-out/national-1m.sqlite, the whole synthetic country (111,367 areas,
# 221,198 teams) with the national 1M sessions file imported (generated and built once).
national_workspace() {
  [ -f "$out/national-1m/manifest.json" ] ||
    python3 Benchmarks/gen.py --scale national --sessions 1000000 --quiet --out "$out/national-1m"
  local db="$out/national-1m.sqlite"
  if [ ! -f "$db" ]; then
    $outreach init --db "$db" >/dev/null
    $outreach areas import "$out/national-1m/areas.csv" --db "$db" >/dev/null
    $outreach teams import "$out/national-1m/teams.csv" --db "$db" >/dev/null
    $outreach sessions import "$out/national-1m/sessions.csv" --db "$db" >/dev/null
  fi
}
