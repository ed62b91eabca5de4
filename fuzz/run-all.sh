#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds each (default 240), seeded from seeds/.
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-240}
for target in read_jsonl read_csv read_any analyze pipeline; do
    mkdir -p "corpus/$target"
    cargo +nightly fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=1024 -timeout=10 \
        2>&1 | tail -n 4 | sed "s/^/$target: /"
done
