#!/usr/bin/env bash
# Benchmarks, run whole-process with the release build: medians of N runs, peak memory.
#
#   Benchmarks/run.sh [csv|areas|sessions|national|coverage|all] [--runs N]
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

source "$(dirname "$0")/lib.sh"

# base NAME DATA : bench-out/NAME.sqlite, a workspace with the areas and teams of bench-out/DATA
# and no sessions (built once).
base() {
  local db="$out/$1.sqlite"
  if [ ! -f "$db" ]; then
    $outreach init --db "$db" >/dev/null
    $outreach areas import "$out/$2/areas.csv" --db "$db" >/dev/null
    $outreach teams import "$out/$2/teams.csv" --db "$db" >/dev/null
  fi
  echo "$db"
}

# side_by_side LABEL CSV BASE [NOTE] : the sqlite3 shell's .import of CSV into a plain table, then
# `outreach sessions import` of it into a copy of the workspace BASE, and their ratio (NOTE
# follows it; default: the province's budget).
side_by_side() {
  BEFORE="rm -f $out/plain.sqlite*" measure "sqlite3 shell .import, plain table ($1 rows)" \
    sqlite3 "$out/plain.sqlite" ".mode csv" ".import $2 sessions"
  local shell=$LAST
  BEFORE="cp $3 $out/work.sqlite; rm -f $out/work.sqlite-*" measure "outreach sessions import ($1 rows, empty workspace)" \
    $outreach sessions import "$2" --db "$out/work.sqlite"
  printf '%-62s %.2fx the sqlite3 shell %s\n' "  ratio" "$(echo "$LAST / $shell" | bc -l)" "${4:-(budget 1.5x)}"
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

if [ "$what" = sessions ] || [ "$what" = all ]; then
  gen province-1m --scale province --sessions 1000000
  gen province-250k --scale province --sessions 250000
  base=$(base province-base province-1m)
  for size in 1m 250k; do
    side_by_side "$size" "$out/province-$size/sessions.csv" "$base"
  done
  # A commune's month (5,000 rows, new ids) into a workspace that already holds 1M sessions.
  if [ ! -f "$out/province-1m.sqlite" ]; then
    cp "$base" "$out/province-1m.sqlite"
    $outreach sessions import "$out/province-1m/sessions.csv" --db "$out/province-1m.sqlite" >/dev/null
  fi
  python3 - "$out/province-1m/areas.csv" "$out/commune-month.csv" <<'PY'
import csv, random, sys, uuid
random.seed(7)
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
communes = [r["code"] for r in rows if r["kind"] in ("commune", "ward", "town")]
hamlets = [r["code"] for r in rows if r["parent_code"] == communes[len(communes) // 2]]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "date", "area", "eid_l2", "bank_account", "ewallet", "leaflets", "notes"])
    for i in range(5000):
        w.writerow([uuid.UUID(int=random.getrandbits(128), version=4), f"2026-10-{1 + i % 31:02d}",
                    random.choice(hamlets), random.randint(0, 9), random.randint(0, 4), random.randint(0, 4),
                    random.randint(0, 50), "tháng 10" if i % 3 else ""])
PY
  BEFORE="cp $out/province-1m.sqlite $out/work.sqlite; rm -f $out/work.sqlite-*" \
    measure "sessions import: a commune's month (5,000 rows) into 1M sessions" \
    $outreach sessions import "$out/commune-month.csv" --db "$out/work.sqlite"
  hamlet=$(sed -n 2p "$out/commune-month.csv" | cut -d, -f3)
  cp "$out/province-1m.sqlite" "$out/work.sqlite"; rm -f "$out/work.sqlite-"*
  # A short command: four times the runs, so the median is not one busy moment of the machine.
  runs_saved=$runs; runs=$((4 * runs))
  BEFORE="" measure "outreach log: one session into 1M sessions" \
    $outreach log --area "$hamlet" --eid-l2 3 --leaflets 20 --date 2026-11-20 --db "$out/work.sqlite"
  BEFORE="" measure "outreach --help (process start, for comparison)" $outreach --help
  runs=$runs_saved
fi

if [ "$what" = national ] || [ "$what" = all ]; then
  # The national 1M file into a workspace holding the whole synthetic country (111,367 areas,
  # 221,198 teams): the import's peak memory (goal: under 100 MB, flat in the file's size),
  # beside the sqlite3 shell's .import of the same file in the same run (the 1.5x budget is
  # the province's; here the ratio is for information).
  gen national-1m --scale national --sessions 1000000
  base=$(base national-base national-1m)
  side_by_side "national 1m" "$out/national-1m/sessions.csv" "$base" "(for information)"
  # A quarter of the file: the peak must not grow with the file's size.
  head -250001 "$out/national-1m/sessions.csv" > "$out/national-250k.csv"
  side_by_side "national 250k" "$out/national-250k.csv" "$base" "(for information)"
fi

if [ "$what" = coverage ] || [ "$what" = all ]; then
  # National scale: 111,367 areas, 100,000 hamlets; 1M and 10M sessions (gen.py takes ~1 min
  # and writes 1.4 GB for 10M). Workspaces are built once and kept in bench-out/.
  national_campaign "$out/campaigns"
  for size in 1m 10m; do
    gen "national-$size" --scale national --sessions "$([ $size = 1m ] && echo 1000000 || echo 10000000)"
    db="$out/national-$size.sqlite"
    if [ ! -f "$db" ]; then
      $outreach init --db "$db" >/dev/null
      $outreach areas import "$out/national-$size/areas.csv" --db "$db" >/dev/null
      $outreach teams import "$out/national-$size/teams.csv" --db "$db" >/dev/null
      /usr/bin/time -f "  (built $db: sessions import %e s, peak %M KB)" \
        $outreach sessions import "$out/national-$size/sessions.csv" --db "$db" >/dev/null
      $outreach coverage --campaign national --campaigns "$out/campaigns" --db "$db" >/dev/null  # registers the period
    fi
    commune=$(awk -F, '$3=="commune" {print $1; exit}' "$out/national-$size/areas.csv")
    BEFORE="" measure "coverage, whole tree (111k rows), as of today, $size sessions" \
      $outreach coverage --campaign national --campaigns "$out/campaigns" --db "$db"
    BEFORE="" measure "coverage, whole tree, as of 2025-06-15, $size sessions" \
      $outreach coverage --campaign national --campaigns "$out/campaigns" --as-of 2025-06-15 --db "$db"
    BEFORE="" measure "coverage, one commune's hamlets ($commune), $size sessions" \
      $outreach coverage --campaign national --campaigns "$out/campaigns" --under "$commune" --db "$db"
  done
  # The naive way: join the sessions to the tree at report time (one run; about a minute at 10M).
  cat > "$out/naive.sql" <<'SQL'
WITH RECURSIVE up(area_id, ancestor_id) AS (
  SELECT id, id FROM area
  UNION ALL SELECT up.area_id, a.parent_id FROM up JOIN area a ON a.id = up.ancestor_id WHERE a.parent_id IS NOT NULL)
SELECT a.code, a.name, t.value, a.adults FROM area a LEFT JOIN (
  SELECT up.ancestor_id AS id, sum(s.eid_l2) AS value FROM session s JOIN up ON up.area_id = s.area_id
  WHERE s.day BETWEEN 19358 AND 20818 AND s.id NOT IN (SELECT session_id FROM session_void)
  GROUP BY up.ancestor_id) t ON t.id = a.id;
SQL
  runs_saved=$runs; runs=1
  BEFORE="" measure "naive SQL: sessions joined to the tree at report time, 10m" \
    sh -c "sqlite3 $out/national-10m.sqlite < $out/naive.sql"
  runs=$runs_saved
fi
