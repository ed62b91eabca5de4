#!/usr/bin/env python3
"""Precision of dedupsum's containment pairs against exact containment.

Usage: containment_precision.py CORPUS.jsonl DUPLICATES.csv THRESHOLD

Reads the `near` and `contained` rows of a `dedupsum dedup --measure containment
--all-pairs` run and recomputes, for each pair, the containment of the smaller word-5-gram
shingle set in the larger with the dedup harness's own normalisation and shingles
(../shared/bench/dedup/common.py), so the figure is independent of dedupsum's hashing.
Prints one JSON object: pairs, pairs at or above the threshold, precision.
"""
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "shared", "bench", "dedup"))
from common import iter_paragraphs, normalize, shingles  # noqa: E402


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    corpus, dups, t = sys.argv[1], sys.argv[2], float(sys.argv[3])
    wanted = set()
    rows = []
    csv.field_size_limit(1 << 30)
    with open(dups, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["kind"] not in ("near", "contained"):
                continue
            a = f'{row["doc_a"]}:{int(row["para_a"]) - 1}'
            b = f'{row["doc_b"]}:{int(row["para_b"]) - 1}'
            rows.append((a, b, row["kind"]))
            wanted.update((a, b))
    sets = {pid: shingles(normalize(text)) for pid, text in iter_paragraphs(corpus) if pid in wanted}
    ok = 0
    by_kind = {}
    for a, b, kind in rows:
        x, y = sets[a], sets[b]
        c = len(x & y) / min(len(x), len(y))
        good = c >= t
        ok += good
        k = by_kind.setdefault(kind, [0, 0])
        k[0] += 1
        k[1] += good
    print(json.dumps({
        "pairs": len(rows),
        "containment_at_least_t": ok,
        "precision_containment": round(ok / len(rows), 4) if rows else None,
        "by_kind": {k: f"{v[1]}/{v[0]}" for k, v in sorted(by_kind.items())},
    }))


if __name__ == "__main__":
    main()
