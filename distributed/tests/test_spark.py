"""The Spark job decides as the command does: on `corpus/` and on a generated corpus of a
few thousand articles with planted copies (exact, near, short lines with a typo, chains,
copies inside one article and across shards), its decisions table is, row for row, the
one `dedupsum decide` writes from the same shards."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "distributed"))

import dedupsum  # noqa: E402
import dedupsum_spark as job  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

SKIP = ["boilerplate", "restated"]


@pytest.fixture(scope="module")
def spark() -> SparkSession:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("dedupsum-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def rows(table: list[dict]) -> list[dict]:
    return sorted(table, key=lambda r: (r["doc"], r["paragraph"]))


def spark_rows(spark: SparkSession, shards: list[str], **options) -> list[dict]:
    return rows([r.asDict() for r in job.decide(spark, shards, **options).collect()])


def command_rows(shards: list[str], out: Path, **options) -> list[dict]:
    return rows(dedupsum.decide(shards, out, **options).decisions.to_pylist())


def generated_corpus(directory: Path, articles: int, files: int, seed: int = 5) -> list[Path]:
    """`articles` articles of random words in `files` JSON Lines files, with planted copies."""
    rng = random.Random(seed)
    words = [f"kata{i}" for i in range(3000)]
    sites = ["satu.example", "dua.example", "tiga.example"]
    headlines = ["Harga beras naik lagi", "Banjir rendam kota lama", "Pemilu digelar bulan depan"]
    paragraphs: list[str] = []
    records = []
    for i in range(articles):
        text = []
        for _ in range(rng.randint(2, 5)):
            roll = rng.random()
            if paragraphs and roll < 0.08:
                text.append(rng.choice(paragraphs))  # an exact copy, or a copy of a copy
            elif paragraphs and roll < 0.16:
                words_of = rng.choice(paragraphs).split()
                if len(words_of) > 12:
                    words_of[-1] = rng.choice(words)  # a near copy: its last word changed
                text.append(" ".join(words_of))
            elif roll < 0.22:
                line = rng.choice(headlines)
                if rng.random() < 0.5:
                    line += rng.choice("aeiou")  # a typo
                text.append(line)
            else:
                text.append(" ".join(rng.choice(words) for _ in range(rng.randint(12, 40))) + ".")
            paragraphs.append(text[-1])
        if rng.random() < 0.03 and text:
            text.append(text[0])  # a copy inside the article
        records.append({"id": f"a{i}", "source": rng.choice(sites), "text": "\n\n".join(text)})
    paths = []
    for f in range(files):
        path = directory / f"part{f}.jsonl"
        chunk = records[len(records) * f // files : len(records) * (f + 1) // files]
        path.write_text("".join(json.dumps(r) + "\n" for r in chunk), encoding="utf-8")
        paths.append(path)
    return paths


def test_on_the_corpus_the_decisions_are_those_of_the_command(spark: SparkSession, tmp_path: Path) -> None:
    files = sorted(str(p) for p in (ROOT / "corpus").iterdir())
    shards = job.fingerprint(spark, files, str(tmp_path / "shards"), partitions=2)
    assert len(shards) == 2
    expected = command_rows(shards, tmp_path / "decisions")
    assert spark_rows(spark, shards) == expected


def test_on_a_generated_corpus_the_decisions_are_those_of_the_command(spark: SparkSession, tmp_path: Path) -> None:
    inputs = generated_corpus(tmp_path, articles=3000, files=6)
    shards = job.fingerprint(spark, [str(p) for p in inputs], str(tmp_path / "shards"), partitions=3)
    expected = command_rows(shards, tmp_path / "decisions")
    got = spark_rows(spark, shards)
    reasons = {r["reason"] for r in expected}
    assert {"exact", "near"} <= reasons, reasons
    drops = [r for r in expected if r["decision"] == "drop"]
    assert len(drops) > 500
    # Short lines with a typo, and pointers across shards, are among them.
    texts = [
        json.loads(line)["text"].split("\n\n")
        for path in inputs
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    typos = [
        r
        for r in drops
        if len(texts[r["doc"]][r["paragraph"]].split()) < 5
        and texts[r["doc"]][r["paragraph"]] != texts[r["duplicate_of_doc"]][r["duplicate_of_paragraph"]]
    ]
    # (An exact copy of a line with a typo points, through it, at the line without.)
    assert sum(r["reason"] == "near" for r in typos) >= 5
    assert any(r["duplicate_of_doc"] < 1000 <= r["doc"] for r in drops)
    assert got == expected
    # And with other thresholds.
    expected = command_rows(shards, tmp_path / "decisions-0.6", threshold=0.6, short_threshold=0.8)
    assert spark_rows(spark, shards, threshold=0.6, short_threshold=0.8) == expected


def test_shards_fingerprinted_for_searches_it_does_not_make_are_refused(spark: SparkSession, tmp_path: Path) -> None:
    dedupsum.fingerprint(ROOT / "corpus", tmp_path / "shard")
    with pytest.raises(ValueError, match="boilerplate or restated"):
        job.decide(spark, [str(tmp_path / "shard")])
