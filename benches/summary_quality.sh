#!/usr/bin/env bash
# Summary quality side by side: dedupsum's methods, sumy's baselines and the oracle, scored
# by the harness's score.py (Google's rouge-score) and by `dedupsum eval`, whose figures
# must agree within 0.1 point. Also times dedupsum against sumy's LexRank.
# Needs ../shared (data and the harness; run ../shared/bench/summary/setup.sh once).
# Usage, from the project root: benches/summary_quality.sh [OUTDIR]
set -euo pipefail
H=${SUMMARY_HARNESS:-../shared/bench/summary} # a copy set up elsewhere, if ../shared is read-only
D=../shared/data
OUT=${1:-target/summary-quality}
mkdir -p "$OUT"
cargo build --release -q
BIN=target/release/dedupsum
PY=$H/venv/bin/python

row() { # name refs csv lang
  local j
  j=$($PY $H/score.py "$2" "$3" --lang "$4" --json)
  local ours
  ours=$($BIN eval --json --lang "$4" --refs "$2" "$3")
  python3 - "$1" "$j" "$ours" <<'PY'
import json, sys
name, a, b = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
diff = max(abs(a["rouge1"] - b["rouge1"]), abs(a["rouge2"] - b["rouge2"]), abs(a["rougeL"] - b["rouge_l"]))
print(f"| {name} | {a['rouge1']:.2f} | {a['rouge2']:.2f} | {a['rougeL']:.2f} | {a['mean_summary_words']:.1f} | {diff:.3f} |")
if diff > 0.1:
    sys.exit(f"dedupsum eval disagrees with score.py by {diff:.3f} for {name}")
PY
}

for set in "indosum indosum-dev/indosum_dev.jsonl indonesian" "bbc bbc-news-summary/bbc.jsonl english"; do
  read -r name file lang <<<"$set"
  echo "## $name (3 sentences; R-1 / R-2 / R-L F1 x 100, mean words, |score.py - dedupsum eval|)"
  echo "| method | R-1 | R-2 | R-L | words | eval diff |"
  echo "|---|---|---|---|---|---|"
  for m in pacsum lead textrank lexrank; do
    /usr/bin/time -f "%U %S %e" -o "$OUT/$name-$m.time" $BIN summarize -q --method $m "$D/$file" --out "$OUT/$name-$m.csv"
    row "dedupsum $m" "$D/$file" "$OUT/$name-$m.csv" "$lang"
  done
  for m in lead3 textrank reduction lexrank oracle; do
    $PY $H/run_sumy.py "$D/$file" $m -n 3 -o "$OUT/$name-sumy-$m.csv" --lang "$lang" > "$OUT/$name-sumy-$m.json" 2>/dev/null
    row "sumy $m" "$D/$file" "$OUT/$name-sumy-$m.csv" "$lang"
  done
  python3 - "$OUT/$name-pacsum.time" "$OUT/$name-sumy-lexrank.json" <<'PY'
import json, sys
u, s, e = map(float, open(sys.argv[1]).read().split())
sumy = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
print(f"\nspeed: dedupsum (whole run: read, analyse, summarise, write) {u+s:.2f} CPU s / {e:.2f} wall s; "
      f"sumy LexRank summarising {sumy['cpu_seconds_summarize']:.2f} CPU s / {sumy['seconds_summarize']:.2f} wall s; "
      f"ratio {sumy['cpu_seconds_summarize']/(u+s):.1f}x CPU\n")
PY
done
