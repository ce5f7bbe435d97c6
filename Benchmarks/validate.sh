#!/usr/bin/env bash
# Validation rules (issue 16): `outreach validate` over the whole national 1M-session workspace,
# and what the entry-time session rules cost `sessions import` of the province's 1M-row file.
#
#   Benchmarks/validate.sh [--runs N]
#
# The data is Benchmarks/gen.py's national-1m and province-1m sets in bench-out/ (made if
# missing); bench-out/national-1m.sqlite is built once as completeness.sh builds it.
# Budgets: validate under 5 s (goal 1 s); session rules add under 10% to the import.
# First run (release, 2 busy cores, 1 run): validate 16.6 s table / 10.4 s CSV (over budget:
# it reads WorkspaceStore.sessions, 1M SessionEntry values); import 3.16 s without rules, 3.07 s with.
# Since the session rules run in one scan (WorkspaceStore.scanSessions), 5 Dec 2026, `--runs 3`,
# release build, both cores shared with two other engineers' builds and tests (load 5-10, so
# conservative): validate 1.224 s table / 1.217 s CSV, peak 95 MB (0.83 s in a quieter moment);
# import 11.48 s without rules, 12.02 s with (+4.7%; 3.1 s quiet, the ratio is what counts).
# The workspace is a copy of national-1m.sqlite, migrated once before anything is timed.
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

[ -f "$out/province-1m/manifest.json" ] ||
  python3 Benchmarks/gen.py --scale province --sessions 1000000 --quiet --out "$out/province-1m"

# Rules over every area and the generated period: warnings only (validate exits 0).
rules=$(cat <<'YAML'
rules:
  - id: eid-not-above-reached
    rule: eid_l2 <= people_reached
    message: Số tài khoản kích hoạt nhiều hơn số người được tiếp cận
  - id: eid-bank-not-above-twice-reached
    rule: eid_l2 + bank_account <= 2 * people_reached
    missing: zero
    message: Kích hoạt và mở tài khoản vượt hai lần số người được tiếp cận
  - id: eid-not-above-adults
    rule: eid_l2 <= adults
    scope: cumulative
    message: Số tài khoản kích hoạt cộng dồn vượt số người từ 15 tuổi trở lên
  - id: visits-not-above-households
    rule: households_visited <= households
    scope: cumulative
    message: Số hộ đã đến thăm cộng dồn vượt số hộ của địa bàn
YAML
)
national_campaign "$out/rules-campaigns"
printf '\n%s\n' "$rules" >> "$out/rules-campaigns/national.yaml"
mkdir -p "$out/no-campaigns"

national_workspace
# A copy: opening a workspace migrates it, and bench-out/ is shared with other builds.
db="$out/validate.sqlite"
cp "$out/national-1m.sqlite" "$db"; rm -f "$db-"*
$outreach validate --campaign national --campaigns "$out/rules-campaigns" --db "$db" >/dev/null  # migrates once

echo "validate, national tree, 1M sessions (SQLite)"
measure "validate (table, whole country, 2 session + 2 cumulative rules)" \
  $outreach validate --campaign national --campaigns "$out/rules-campaigns" --db "$db"
measure "validate --format csv" \
  $outreach validate --campaign national --campaigns "$out/rules-campaigns" --db "$db" --format csv
echo "  budget 5 s, goal 1 s"

base="$out/validate-base.sqlite"
if [ ! -f "$base" ]; then
  $outreach init --db "$base" >/dev/null
  $outreach areas import "$out/province-1m/areas.csv" --db "$base" >/dev/null
  $outreach teams import "$out/province-1m/teams.csv" --db "$base" >/dev/null
fi
BEFORE="cp $base $out/work.sqlite; rm -f $out/work.sqlite-*" \
  measure "sessions import 1M, no campaign rules" \
  $outreach sessions import "$out/province-1m/sessions.csv" --db "$out/work.sqlite" --campaigns "$out/no-campaigns"
plain=$LAST
BEFORE="cp $base $out/work.sqlite; rm -f $out/work.sqlite-*" \
  measure "sessions import 1M, 2 session rules on every row" \
  $outreach sessions import "$out/province-1m/sessions.csv" --db "$out/work.sqlite" --campaigns "$out/rules-campaigns"
printf '%-62s %+.1f%% (budget +10%%)\n' "  entry-time rule checks add" "$(echo "($LAST / $plain - 1) * 100" | bc -l)"
