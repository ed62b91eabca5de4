"""The Python package runs the command's pipeline: the same outputs, byte for byte, from
paths and from records in memory, with errors as exceptions that say where."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import dedupsum

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
TABLES = ["summaries", "paragraphs", "documents", "duplicates", "errors", "clean"]


def binary() -> str:
    """The `dedupsum` command to compare with: $DEDUPSUM_BIN, else this repository's build."""
    given = os.environ.get("DEDUPSUM_BIN")
    if given:
        return given
    for profile in ["release", "debug"]:
        path = ROOT / "target" / profile / "dedupsum"
        if path.exists():
            return str(path)
    found = shutil.which("dedupsum")
    assert found, "build the command first (cargo build) or set DEDUPSUM_BIN"
    return found


def command(*args: str) -> None:
    subprocess.run([binary(), *args, "--quiet"], check=True)


def without_timing(report: dict) -> dict:
    return {k: v for k, v in report.items() if k not in ("seconds", "peak_memory_bytes", "peak_bytes_per_paragraph", "threads")}


def article(rng: random.Random, words: list[str], paragraphs: int) -> str:
    return "\n\n".join(
        " ".join(rng.choice(words) for _ in range(rng.randint(12, 40))) + "."
        for _ in range(paragraphs)
    )


def corpus_with_copies(n: int, seed: int = 7) -> list[dict]:
    """`n` articles of random words with extra fields; every fifth repeats a paragraph of
    the one before it."""
    rng = random.Random(seed)
    words = [f"kata{i}" for i in range(2000)]
    records = []
    for i in range(n):
        text = article(rng, words, 4)
        if i % 5 == 4:
            text += "\n\n" + records[-1]["text"].split("\n\n")[1]
        records.append({"id": f"doc{i}", "url": f"https://example.com/{i}", "text": text, "n": i})
    return records


def test_run_on_the_corpus_writes_the_bytes_of_the_command(tmp_path: Path) -> None:
    command("run", str(CORPUS), "--out", str(tmp_path / "cli"), "--format", "parquet")
    result = dedupsum.run(CORPUS, out=tmp_path / "py")
    for name in TABLES:
        cli = (tmp_path / "cli" / f"{name}.parquet").read_bytes()
        assert (tmp_path / "py" / f"{name}.parquet").read_bytes() == cli, name
        assert getattr(result, name).equals(pq.read_table(tmp_path / "cli" / f"{name}.parquet")), name
    cli_report = json.loads((tmp_path / "cli" / "report.json").read_text())
    assert without_timing(result.report) == without_timing(cli_report)
    assert result.report["documents"] == 2 and result.report["dropped"] > 0
    assert result.skipped == 0


def test_the_summaries_are_those_of_the_csv_the_command_writes(tmp_path: Path) -> None:
    command("run", str(CORPUS), "--out", str(tmp_path / "cli"))
    cli = pd.read_csv(tmp_path / "cli" / "summaries.csv", dtype=str, keep_default_na=False)
    result = dedupsum.run(str(CORPUS))
    assert result.summaries.column("summary").to_pylist() == cli["summary"].tolist()
    assert result.summaries.column("doc_id").to_pylist() == cli["doc_id"].tolist()
    assert all(s for s in cli["summary"])


def test_summarize_gives_the_table_of_the_command(tmp_path: Path) -> None:
    command("summarize", str(CORPUS), "--out", str(tmp_path / "s.parquet"), "--format", "parquet", "--sentences", "2")
    table = dedupsum.summarize(CORPUS, sentences=2)
    assert table.equals(pq.read_table(tmp_path / "s.parquet"))
    assert table.column("n_sentences").to_pylist() == [2, 2]


def test_records_in_memory_keep_every_field_and_lose_their_copies() -> None:
    records = corpus_with_copies(50)
    result = dedupsum.dedup(records)
    clean = result.clean
    assert clean.column_names == ["id", "url", "text", "n"]
    assert clean.schema.field("n").type == pa.int64()
    assert clean.column("url").to_pylist() == [r["url"] for r in records]
    # Every fifth article's last paragraph (its fifth) is a copy of its predecessor's second.
    assert result.duplicates.select(["doc_a", "para_a", "doc_b", "para_b", "kind"]).to_pylist() == [
        {"doc_a": f"doc{i - 1}", "para_a": 2, "doc_b": f"doc{i}", "para_b": 5, "kind": "exact"}
        for i in range(4, 50, 5)
    ]
    assert result.summaries is None
    assert result.documents.num_rows == 50
    assert set(result.documents.column("source").to_pylist()) == {"<records>"}
    assert result.documents.column("line").to_pylist() == list(range(1, 51))


def test_a_field_named_source_in_the_records_is_left_as_it_is() -> None:
    records = [dict(r, source=f"site{i % 2}") for i, r in enumerate(corpus_with_copies(10))]
    result = dedupsum.dedup(records)
    assert result.clean.column("source").to_pylist() == [r["source"] for r in records]
    assert set(result.documents.column("source").to_pylist()) == {"<records>"}


def test_a_dataframe_a_table_and_dicts_give_the_same_outputs() -> None:
    records = corpus_with_copies(30, seed=3)
    from_dicts = dedupsum.run(records)
    from_frame = dedupsum.run(pd.DataFrame(records))
    from_table = dedupsum.run(pa.Table.from_pylist(records))
    for name in TABLES:
        # The cleaned records keep the input's column types: pandas may hold its strings
        # as large strings.
        assert getattr(from_frame, name).to_pylist() == getattr(from_dicts, name).to_pylist(), name
        assert getattr(from_table, name).equals(getattr(from_dicts, name)), name
    assert from_dicts.duplicates.num_rows == 6


def test_options_are_the_flags_of_the_command(tmp_path: Path) -> None:
    records = corpus_with_copies(20, seed=5)
    pq.write_table(pa.Table.from_pylist(records), tmp_path / "in.parquet")
    command("dedup", str(tmp_path / "in.parquet"), "--out", str(tmp_path / "cli"), "--format", "parquet",
            "--all-pairs", "--skip", "near,restated", "--threshold", "0.5")
    result = dedupsum.dedup(tmp_path / "in.parquet", all_pairs=True, skip=["near", "restated"], threshold=0.5)
    assert result.duplicates.equals(pq.read_table(tmp_path / "cli" / "duplicates.parquet"))
    assert result.report["dropped"] == json.loads((tmp_path / "cli" / "report.json").read_text())["dropped"]


def test_pairs_only_reads_once_and_returns_the_pairs(tmp_path: Path) -> None:
    command("dedup", str(CORPUS), "--out", str(tmp_path / "cli"), "--format", "parquet", "--pairs-only")
    result = dedupsum.dedup(CORPUS, pairs_only=True)
    assert result.duplicates.equals(pq.read_table(tmp_path / "cli" / "duplicates.parquet"))
    assert result.duplicates.num_rows > 0
    assert (result.paragraphs, result.documents, result.clean) == (None, None, None)


def test_an_unknown_option_is_a_value_error_naming_its_flag() -> None:
    with pytest.raises(ValueError, match="--no-such-option"):
        dedupsum.run(CORPUS, no_such_option=1)
    with pytest.raises(ValueError, match="Parquet"):
        dedupsum.run(CORPUS, format="csv")


def test_a_bad_record_raises_an_error_with_its_file_line_and_id(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "One paragraph."}\n{"id": "b", "text": 5}\n')
    with pytest.raises(dedupsum.DedupsumError) as caught:
        dedupsum.dedup(bad, on_error="fail")
    assert caught.value.path == str(bad)
    assert caught.value.line == 2
    assert caught.value.record_id == "b"
    assert "not a string" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_a_bad_record_in_memory_is_named_by_its_row_and_id() -> None:
    records = [{"id": "a", "text": "One paragraph."}, {"id": "b", "text": None}]
    with pytest.raises(dedupsum.DedupsumError) as caught:
        dedupsum.dedup(records, on_error="fail")
    assert (caught.value.path, caught.value.line, caught.value.record_id) == ("<records>", 2, "b")
    skipped = dedupsum.dedup(records)
    assert skipped.errors.select(["source", "line", "record_id"]).to_pylist() == [
        {"source": "<records>", "line": 2, "record_id": "b"}
    ]


def test_skipped_records_are_counted_and_listed(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "One paragraph."}\nnot json\n')
    result = dedupsum.dedup(bad)
    assert result.skipped == 1
    assert result.errors.column("line").to_pylist() == [2]


def test_a_missing_input_raises_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(dedupsum.DedupsumError, match="no such file") as caught:
        dedupsum.run(missing)
    assert caught.value.path == str(missing)
    assert caught.value.line is None and caught.value.record_id is None


def test_other_python_threads_run_while_it_works(tmp_path: Path) -> None:
    pq.write_table(pa.Table.from_pylist(corpus_with_copies(3000, seed=11)), tmp_path / "in.parquet")
    ticks = 0
    stop = threading.Event()

    def tick() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    try:
        time.sleep(0.05)
        before = ticks
        started = time.monotonic()
        # The native call alone: the package's own reading and writing of Parquet around
        # it releases the GIL anyway.
        dedupsum._native.run_command(["run", str(tmp_path / "in.parquet"), "--out", str(tmp_path / "o"), "--quiet"])
        elapsed = time.monotonic() - started
        during = ticks - before
    finally:
        stop.set()
        thread.join()
    # Holding the GIL, the call would let the ticking thread run at most once or twice.
    assert elapsed > 0.05, elapsed
    assert during >= 10, (during, elapsed)


def test_the_readme_example_prints_the_summaries_of_the_command(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```python\n", 1)[1].split("```", 1)[0]
    printed = subprocess.run(
        [sys.executable, "-c", example], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    command("run", str(CORPUS), "--out", str(tmp_path / "cli"))
    cli = pd.read_csv(tmp_path / "cli" / "summaries.csv", dtype=str, keep_default_na=False)
    assert printed == "".join(f"{d} {s}\n" for d, s in zip(cli["doc_id"], cli["summary"]))


def test_fingerprint_decide_apply_give_the_outputs_of_dedup(tmp_path: Path) -> None:
    records = corpus_with_copies(40, seed=11)
    whole = dedupsum.dedup(records, all_pairs=True)
    assert dedupsum.fingerprint(records[:23], tmp_path / "s0") == 0
    assert dedupsum.fingerprint(pd.DataFrame(records[23:]), tmp_path / "s1") == 0
    decided = dedupsum.decide([tmp_path / "s0", tmp_path / "s1"], tmp_path / "decisions")
    applied = dedupsum.apply(records, tmp_path / "decisions", all_pairs=True)
    for name in ["paragraphs", "documents", "duplicates", "errors", "clean"]:
        assert getattr(applied, name).equals(getattr(whole, name)), name
    assert without_timing(applied.report) == without_timing(whole.report)
    # One row per dropped paragraph and per kept original, each copy with its cluster.
    drops = [r for r in decided.decisions.to_pylist() if r["decision"] == "drop"]
    assert len(drops) == whole.report["dropped"] == 8
    kept = {(r["doc_id"], r["paragraph"]): r["cluster_id"] for r in decided.decisions.to_pylist() if r["decision"] == "keep"}
    for drop in drops:
        assert kept[(drop["duplicate_of_doc_id"], drop["duplicate_of_paragraph"])] == drop["cluster_id"]
    assert decided.documents.column("doc_id").to_pylist() == [r["id"] for r in records]
    # With the summaries: those of `run`; without them, none.
    summarized = dedupsum.apply(records, tmp_path / "decisions", summarize=True, sentences=2)
    assert summarized.summaries is not None and applied.summaries is None
    assert summarized.summaries.equals(dedupsum.run(records, sentences=2).summaries)


def test_against_the_fingerprints_of_a_first_batch_the_second_keeps_what_is_new(tmp_path: Path) -> None:
    records = corpus_with_copies(40, seed=11)
    dedupsum.fingerprint(records[:19], tmp_path / "index" / "1")
    second = dedupsum.dedup(records[19:], against=[tmp_path / "index"], save_fingerprints=tmp_path / "index" / "2")
    pairs = second.duplicates.select(["doc_a", "doc_b"]).to_pylist()
    # doc19 repeats a paragraph of doc18, of the first batch.
    assert pairs[0] == {"doc_a": "doc18", "doc_b": "doc19"} and len(pairs) == 5
    assert second.documents.num_rows == 21 and second.report["documents"] == 21
    assert sorted(p.name for p in (tmp_path / "index").iterdir()) == ["1", "2"]


def test_the_native_steps_of_the_distributed_job_read_a_shard_s_columns(tmp_path: Path) -> None:
    """The per-document steps the Spark job runs: on a document read back from a shard they
    find what `decide` finds, and columns of different lengths are refused."""
    from dedupsum import _native

    lead = "Banjir merendam 300 rumah warga di Kecamatan Sukamaju pada Senin pagi."
    rescue = "Petugas BPBD mengevakuasi 120 warga ke Gedung Olahraga Sukamaju dengan perahu."
    records = [{"id": "a", "text": "\n\n".join(["Banjir", lead, rescue, f"{rescue} {lead}"])}]
    dedupsum.fingerprint(records, tmp_path / "shard")
    rows = pq.read_table(tmp_path / "shard" / "fingerprints.parquet").to_pylist()
    said = [r["said"] for r in rows]
    present = [True] * len(rows)
    # The last paragraph only repeats sentences of the two before it: the first of them.
    assert _native.copied(said, present) == [(1, 3)]
    # Without the lead, one of its sentences was said by nothing present: no source.
    assert _native.copied(said, [True, False, True, True]) == []
    sketch = _native.story_sketch([r["key"] for r in rows], [r["len"] for r in rows], [r["flags"] for r in rows])
    assert len(sketch) == 4
    tokens = _native.anchor_tokens(rows[1]["key"], rows[1]["shingles"])
    assert tokens[0] == rows[1]["key"] and all(t != 0 for t in tokens)
    # Two occurrences of a text in one document are one story; in two unrelated ones, two.
    none = [0, 0, 0, 0]
    assert _native.count_stories([(0, none, None, None), (0, none, None, None)]) == 1
    assert _native.count_stories([(0, none, None, None), (1, none, None, None)]) == 2
    assert _native.count_stories([(0, none, tokens, None), (1, none, tokens, None)]) == 1
    with pytest.raises(ValueError, match="4 tokens"):
        _native.count_stories([(0, [1], None, None)])
    with pytest.raises(ValueError, match="differ in length"):
        _native.copied(said, present[:2])
    with pytest.raises(ValueError, match="paragraph 3 repeats paragraph 3, which is not before it"):
        _native.copied([None, None, None, [[1], [3]]], present)
    with pytest.raises(ValueError, match="differ in length"):
        _native.restated([r["terms"] for r in rows], [r["slots"] for r in rows], [r["flags"] for r in rows], present, [True], [], 1, 0.35)



def test_the_native_datelines_and_limits_are_those_of_decide() -> None:
    """Datelines are learned from a site's openings together; the restated search of a
    document is limited past 3,000 paragraphs it looks at (titles and list items aside)."""
    from dedupsum import _native

    heads = [f"Situs.com, Jakarta - Berita nomor {k} hari ini." for k in range(3)]
    openings = [("situs.com", 1, h) for h in heads] + [None, ("lain.com", 0, heads[0])]
    found = _native.datelines(openings, 3)
    assert found[:3] == [(1, len("Situs.com, Jakarta - "))] * 3
    # No opening, or one article of another site: nothing learned.
    assert found[3:] == [None, None]
    assert _native.datelines(openings, 4)[:3] == [None] * 3
    title, item = 1, 1 << 7
    assert not _native.restated_limited([0] * 3000, [True] * 3000)
    assert _native.restated_limited([0] * 3001, [True] * 3001)
    assert not _native.restated_limited([title] + [0] * 3000, [True] * 3001)
    assert not _native.restated_limited([item] + [0] * 3000, [True] * 3001)
    assert not _native.restated_limited([0] * 3001, [False] + [True] * 3000)
    with pytest.raises(ValueError, match="differ in length"):
        _native.restated_limited([0, 0], [True])
