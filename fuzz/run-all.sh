#!/usr/bin/env bash
# Runs every fuzz target (or those in $TARGETS) for SECONDS seconds each (default 240),
# seeded from seeds/; prints the run counts and any crash with its artifact.
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-240}
targets=${TARGETS:-read_jsonl read_csv read_any analyze pipeline}
for target in $targets; do
    mkdir -p "corpus/$target"
    cargo +nightly fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=1024 -timeout=10 \
        2>&1 | grep -E "Done [0-9]+ runs|panicked|SUMMARY|artifact_prefix|Test unit written|out-of-memory|timeout" \
        | sed "s/^/$target: /"
done
