#!/usr/bin/env bash
# Data quality at national scale (issue 16), release build, medians of N runs:
#
#   Benchmarks/quality.sh [--runs N]
#
# On the national workspace of Benchmarks/run.sh (111,367 areas, 1M sessions; built once into
# bench-out/national-1m.sqlite): `outreach outliers` of the whole country (budget under 5 s;
# the first run stores the follow-ups, the later ones find them stored) and `teams quality` of the
# whole country (budget under 2 s).
# 5 Dec 2026, `--runs 3`, release build, both cores shared with other builds (load 4-10, so
# conservative): outliers of the whole country 26.98 s, peak 1.47 GB, 555,685 follow-ups (the
# generated counts are small, so MADs of 0 fall back to the mean absolute deviation and 55% of
# sessions get a flag): over budget, the time is in storing, reading back and printing half a
# million follow-ups (JSON detail per row), not in the detection (about 3 s of CPU); teams quality
# of the whole country 6.59 s wall, about 3.3 s of CPU (over the 2 s budget: reading 221k teams,
# one subtree walk per team and the rendering of 442k lines); one commune's outliers 0.13 s.
# Before the scans (1M SessionEntry values) both took over 16 s.
# Later the same day, with outliers keeping the 500 strongest (--max, DHIS2's default): outliers of
# the whole country 6.10 s, 520 MB, 510 follow-ups (still over 5 s); teams quality 3.36 s (over 2 s).
# Quiet machine, same day, `--runs 5`: before the changes below, outliers 5.85 s and teams quality
# 3.21 s; after them (outliers found as numbers, only the 500 kept made into flags; team hamlets as
# runs of the preorder; reads side by side; CSV numbers without String(format:)): outliers of the
# whole country 2.45 s, 204 MB (budget 5 s); teams quality 1.81 s, 279 MB (budget 2 s); one
# commune's outliers 0.09 s.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
[ "${1:-}" = "--runs" ] && runs=$2
out=bench-out
mkdir -p "$out"
swift build -c release --product outreach >/dev/null
outreach=.build/release/outreach
source "$(dirname "$0")/lib.sh"
national_campaign "$out/campaigns"
national_workspace
db="$out/national-1m.sqlite"
cp "$db" "$out/quality.sqlite"; rm -f "$out/quality.sqlite-"*
$outreach --db "$out/quality.sqlite" followups list >/dev/null  # the copy is migrated before anything is timed
BEFORE="" measure "outliers, whole country (1M sessions)" \
  $outreach outliers --campaign national --campaigns "$out/campaigns" --db "$out/quality.sqlite" --format csv
echo "  follow-ups stored: $(sqlite3 "$out/quality.sqlite" 'SELECT count(*) FROM followup')"
BEFORE="" measure "teams quality, whole country (221k teams)" \
  $outreach teams quality --campaign national --campaigns "$out/campaigns" --db "$out/quality.sqlite" --format csv
commune=$(awk -F, '$3=="commune" {print $1; exit}' "$out/national-1m/areas.csv")
BEFORE="" measure "outliers, one commune ($commune)" \
  $outreach outliers --campaign national --campaigns "$out/campaigns" --under "$commune" --db "$out/quality.sqlite"
