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
    extra=()
    # The pipeline starts a rayon pool per run; its worker threads exit after the pool
    # is dropped, and LeakSanitizer sometimes catches their thread-locals in between
    # (a 64-byte "leak" that does not reproduce). Leak checks are off for that target.
    if [ "$target" = pipeline ]; then extra=(-detect_leaks=0); fi
    cargo +nightly fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=1024 -timeout=10 "${extra[@]}" \
        2>&1 | grep -E "Done [0-9]+ runs|panicked|SUMMARY|artifact_prefix|Test unit written|out-of-memory|timeout" \
        | sed "s/^/$target: /"
done
