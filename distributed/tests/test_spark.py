"""The Spark job decides as the command does: on `corpus/` and on a generated corpus of a
few thousand articles with planted copies (exact, near, short lines with a typo, chains,
copies inside one article and across shards), furniture (labels, lines on many stories,
templates of a site, syndicated stories whose lines repeat with them) and restatements
(paragraphs said again in other words, sentences repeated, recaps), its decisions table
is, row for row, the one `dedupsum decide` writes from the same shards."""

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
    return rows([r.asDict() for r in job.decide(spark, shards, **options).decisions.collect()])


def by_doc(table: list[dict]) -> list[dict]:
    return sorted(table, key=lambda r: r["doc"])


def joined_outputs(parts: list[str]) -> dict[str, bytes]:
    """The outputs of the cleaned slices as one run writes them: each table's rows in slice
    order under one header, the reports' counts added."""
    joined: dict[str, bytes] = {}
    counts: dict[str, float] = {}
    for k, part in enumerate(parts):
        for path in sorted(Path(part).iterdir()):
            data = path.read_bytes()
            if path.name == "report.json":
                for key, n in report_counts(data).items():
                    counts[key] = counts.get(key, 0) + n
                continue
            if path.suffix == ".csv" and k > 0:
                data = data.split(b"\n", 1)[1]
            joined[path.name] = joined.get(path.name, b"") + data
    joined["report.json"] = json.dumps(counts, sort_keys=True).encode()
    return joined


def report_counts(data: bytes) -> dict[str, float]:
    """The counts of a ``report.json``: its numbers, and those of ``dropped_by_reason``; not
    what varies from run to run, nor the pairs (which the job's decisions do not count)."""
    report = json.loads(data)
    varying = ("threads", "peak_memory_bytes", "peak_bytes_per_paragraph", "pairs")
    counts = {k: v for k, v in report.items() if isinstance(v, (int, float)) and k not in varying}
    counts.update({f"dropped_by_reason.{k}": v for k, v in report["dropped_by_reason"].items()})
    return counts


def whole_outputs(directory: Path) -> dict[str, bytes]:
    """The outputs of one run, its report as :func:`report_counts`."""
    out = {p.name: p.read_bytes() for p in sorted(directory.iterdir())}
    out["report.json"] = json.dumps(report_counts(out["report.json"]), sort_keys=True).encode()
    return out


def command_rows(shards: list[str], out: Path, **options) -> list[dict]:
    return rows(dedupsum.decide(shards, out, **options).decisions.to_pylist())


def generated_corpus(directory: Path, articles: int, files: int, seed: int = 5) -> list[Path]:
    """`articles` articles of random words in `files` JSON Lines files, with planted copies,
    furniture and restatements."""
    rng = random.Random(seed)
    words = [f"kata{i}" for i in range(3000)]
    sites = ["satu.example", "dua.example", "tiga.example"]
    headlines = ["Harga beras naik lagi", "Banjir rendam kota lama", "Pemilu digelar bulan depan"]
    # Short lines, each in a few stories (too few to be furniture).
    lines = [" ".join(rng.choice(words) for _ in range(4)).capitalize() for _ in range(600)]
    # Furniture: a line each site prints under many stories, and a template of one site.
    follow = {site: f"Ikuti berita {site} di media sosial" for site in sites}

    def sentence(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

    # Two long footers: one on 10 stories (a longer paragraph needs four times the
    # stories of a short line to be furniture: 12 here, so it is a copy), one on 14.
    footers = {
        footer: [0, stories]
        for footer, stories in [
            ("Artikel ini disusun oleh tim redaksi dari berbagai sumber terpercaya dan telah diperiksa "
             "ulang oleh editor kami sebelum diterbitkan untuk pembaca setia.", 10),
            ("Redaksi menerima tulisan pembaca tentang peristiwa di sekitar mereka yang dikirim "
             "melalui surel resmi kami lengkap dengan nama dan nomor telepon penulis.", 14),
        ]
    }
    paragraphs: list[str] = []
    records = []
    for i in range(articles):
        site = rng.choice(sites)
        if records and rng.random() < 0.03:
            # A syndicated story: an earlier article again, on another site, one
            # paragraph edited; its lines repeat with their neighbours.
            copied = rng.choice(records)
            text = list(copied["text"].split("\n\n"))
            text[rng.randrange(len(text))] = sentence(20)
            # Half of them under the id of the page they copy (a page scraped twice).
            id = copied["id"] if rng.random() < 0.5 else f"a{i}"
            records.append({"id": id, "source": site, "text": "\n\n".join(text)})
            continue
        text = [rng.choice(headlines) + f" {i}"]  # the title
        dateline = f"{site.split('.')[0].capitalize()}.example, Jakarta - " if site == "tiga.example" else ""
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
                line = rng.choice(lines)
                if rng.random() < 0.5:
                    line += rng.choice("aeiou")  # a typo
                text.append(line)
            elif roll < 0.32:
                text.append(sentence(rng.randint(6, 14)) + " " + sentence(rng.randint(6, 14)))
            else:
                text.append(sentence(rng.randint(12, 40)))
            paragraphs.append(text[-1])
        if dateline and len(text) > 1:
            text[1] = dateline + text[1]  # the site's dateline opens its articles
        body = text[1:]
        roll = rng.random()
        if roll < 0.1 and body:
            # The first paragraph said again in other words: its words shuffled, a few
            # left out.
            said = body[0].rstrip(".").split()
            rng.shuffle(said)
            text.append(" ".join(said[: max(6, len(said) * 4 // 5)]).capitalize() + ".")
        elif roll < 0.18 and len(body) >= 3:
            # A recap: words from every paragraph of the article.
            recap = [w for p in body for w in rng.sample(p.rstrip(".").split(), min(4, len(p.split())))]
            text.append(" ".join(recap).capitalize() + ".")
        elif roll < 0.24:
            # Sentences said before, pieced together.
            sentences = [s.strip() + "." for p in body for s in p.split(".") if len(s.split()) >= 4]
            if len(sentences) >= 2:
                text.append(" ".join(rng.sample(sentences, 2)))
        elif roll < 0.28 and len(body) >= 3:
            # A passage said again in other words, each paragraph closing "selama N
            # tahun", the last again with another number after that word: another fact
            # (a verdict, then the demand in its words), which the passage does not take.
            for k in range(3):
                said = text[1 + k].rstrip(".").split()
                text[1 + k] = f"{text[1 + k].rstrip('.')} selama {k + 2} tahun."
                rng.shuffle(said)
                again = " ".join(said[: max(6, len(said) * 4 // 5)]).capitalize()
                text.append(f"{again} selama {k + 2 + 5 * (k == 2)} tahun.")
        if rng.random() < 0.03 and len(text) > 1:
            text.append(text[1])  # a copy inside the article
        for k, (footer, placed) in enumerate(footers.items()):
            if placed[0] < placed[1] and i % (97 - 8 * k) == 0:
                text.append(footer)
                placed[0] += 1
        if rng.random() < 0.3:
            text.append(follow[site])
        if rng.random() < 0.1:
            text.append(f"Baca juga: {rng.choice(headlines)} {rng.randint(1, 99)}")
        if site == "dua.example" and rng.random() < 0.2:
            text.append(f"Simak juga Video {rng.choice(words)} {rng.choice(words)} {rng.choice(words)}")
        records.append({"id": f"a{i}", "source": site, "text": "\n\n".join(text)})
    # An id that renaming the second page of a repeated id would make, already taken.
    ids = [r["id"] for r in records]
    repeated = next((x for k, x in enumerate(ids) if x in ids[:k]), None)
    if repeated is not None:
        records.append({"id": f"{repeated}#2", "source": sites[0], "text": sentence(30)})
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


def test_the_slices_cleaned_apart_write_what_run_writes_over_the_whole(spark: SparkSession, tmp_path: Path) -> None:
    inputs = [str(p) for p in generated_corpus(tmp_path, articles=1500, files=5, seed=11)]
    shards = job.fingerprint(spark, inputs, str(tmp_path / "shards"), partitions=3)
    decided = job.decide(spark, shards, str(tmp_path / "spark"))
    command = dedupsum.decide(shards, tmp_path / "decisions")
    assert by_doc([r.asDict() for r in decided.documents.collect()]) == by_doc(command.documents.to_pylist())
    # Datelines learned per site, and repeated ids renamed across slices, are among them.
    assert any(r["dateline_len"] for r in command.documents.to_pylist())
    parts = job.apply(spark, inputs, shards, decided, str(tmp_path / "spark"), cut_datelines=True, summarize=True)
    assert len(parts) == 3
    whole = tmp_path / "whole"
    assert dedupsum._native.run_command(["run", *inputs, "--cut-datelines", "--quiet", "--out", str(whole)]) == 0
    expected = whole_outputs(whole)
    got = joined_outputs(parts)
    assert sorted(got) == sorted(expected)
    # Pointers into earlier slices, renamed ids and summaries are in what is compared.
    assert "summaries.csv" in got
    paragraphs = expected["paragraphs.csv"].decode()
    assert "#2," in paragraphs
    for name in expected:
        assert got[name] == expected[name], name
    assert json.loads(expected["report.json"])["dropped_by_reason.restated"] > 0
    # Later slices point into earlier ones.
    slices = Path(parts[0]).parent.parent / "slices"
    earlier = [int(pq.read_metadata(slices / f"part-0000{k}" / "documents.parquet").metadata[b"dedupsum.earlier_documents"]) for k in range(3)]
    assert earlier[0] == 0 and earlier[1] > 0 and earlier[2] > 0, earlier
    # Each slice's summaries weigh terms by the corpus's document frequencies.
    documents = [pq.read_metadata(slices / f"part-0000{k}" / "frequencies.parquet").metadata[b"dedupsum.documents"] for k in range(3)]
    assert documents == [b"1501"] * 3, documents
    # The pairs: not made, so not counted, and not listed.
    assert all(json.loads((Path(p) / "report.json").read_text())["pairs"] is None for p in parts)
    with pytest.raises(ValueError, match="no pairs table"):
        job.apply(spark, inputs, shards, decided, str(tmp_path / "again"), all_pairs=True)
    with pytest.raises(dedupsum.DedupsumError, match="made without their pairs"):
        dedupsum.apply(inputs[-2:], Path(parts[-1]).parent.parent / "slices" / "part-00002", all_pairs=True)


def test_on_a_generated_corpus_the_decisions_are_those_of_the_command(spark: SparkSession, tmp_path: Path) -> None:
    inputs = generated_corpus(tmp_path, articles=3000, files=6)
    shards = job.fingerprint(spark, [str(p) for p in inputs], str(tmp_path / "shards"), partitions=3)
    expected = command_rows(shards, tmp_path / "decisions")
    got = spark_rows(spark, shards)
    reasons = {r["reason"] for r in expected}
    assert {"exact", "near", "boilerplate", "restated"} <= reasons, reasons
    evidence = {r["evidence"] for r in expected if r["reason"] == "restated"}
    assert {"pair", "recap", "sentences"} <= evidence, evidence
    drops = [r for r in expected if r["decision"] == "drop"]
    assert len(drops) > 2000
    # Short lines with a typo, and pointers across shards, are among them.
    texts = [
        json.loads(line)["text"].split("\n\n")
        for path in inputs
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    typos = [
        r
        for r in drops
        if r["reason"] == "near"
        and len(texts[r["doc"]][r["paragraph"]].split()) < 5
        and texts[r["doc"]][r["paragraph"]] != texts[r["duplicate_of_doc"]][r["duplicate_of_paragraph"]]
    ]
    # (An exact copy of a line with a typo points, through it, at the line without.)
    assert len(typos) >= 5
    assert any(r["duplicate_of_doc"] is not None and r["duplicate_of_doc"] < 1000 <= r["doc"] for r in drops)
    # Pages of a repeated id, renamed as the command renames them (`#2` taken: `#3`, …).
    assert any("#3" in r["doc_id"] for r in expected), "no renamed id among the decisions"
    # The furniture: the line each site prints, the labels and the template of a site.
    furniture = {" ".join(texts[r["doc"]][r["paragraph"]].split()[:2]) for r in drops if r["reason"] == "boilerplate"}
    assert {"Ikuti berita", "Baca juga:", "Simak juga"} <= furniture, furniture
    assert got == expected
    # And with other thresholds.
    options = {"threshold": 0.6, "short_threshold": 0.8, "restated_threshold": 0.5, "boilerplate_min_docs": 5}
    expected = command_rows(shards, tmp_path / "decisions-other", **options)
    assert expected != rows(dedupsum.decide(shards, tmp_path / "decisions-again").decisions.to_pylist())
    assert spark_rows(spark, shards, **options) == expected


def test_shards_without_boilerplate_and_restated_are_decided_as_the_command_does(
    spark: SparkSession, tmp_path: Path
) -> None:
    inputs = generated_corpus(tmp_path, articles=1000, files=2, seed=7)
    skip = ["boilerplate", "restated"]
    shards = job.fingerprint(spark, [str(p) for p in inputs], str(tmp_path / "shards"), partitions=2, skip=skip)
    expected = command_rows(shards, tmp_path / "decisions")
    assert {r["reason"] for r in expected} == {"exact", "near", None}
    assert spark_rows(spark, shards) == expected


def test_shards_of_another_version_or_of_other_settings_are_refused(spark: SparkSession, tmp_path: Path) -> None:
    dedupsum.fingerprint(ROOT / "corpus", tmp_path / "words")
    dedupsum.fingerprint(ROOT / "corpus", tmp_path / "chars", shingle="char")
    with pytest.raises(ValueError, match="other settings"):
        job.decide(spark, [str(tmp_path / "words"), str(tmp_path / "chars")])
    with pytest.raises(ValueError, match="word shingles only"):
        job.decide(spark, [str(tmp_path / "chars")])
    # Thresholds out of range, as the command refuses them.
    with pytest.raises(ValueError, match="restated threshold must be in"):
        job.decide(spark, [str(tmp_path / "words")], restated_threshold=0.0)
    with pytest.raises(ValueError, match="at least 2 documents"):
        job.decide(spark, [str(tmp_path / "words")], boilerplate_min_docs=1)


def test_repeated_ids_are_renamed_as_the_command_renames_them(spark: SparkSession, tmp_path: Path) -> None:
    # Names taken already are skipped (`a#2`, `d\n#2`); `a#02` is not `a#2`.
    ids = ["a", "a", "a#2", "b", "a", "b", "a#3", "a#2", "c#x", "c#x", "a#02", "d\n#2", "d\n", "d\n"]
    records = [{"id": x, "text": f"Teks nomor {k} yang berbeda dari yang lain."} for k, x in enumerate(ids)]
    inputs = tmp_path / "in.jsonl"
    inputs.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    shards = job.fingerprint(spark, [str(inputs)], str(tmp_path / "shards"), partitions=1)
    command = dedupsum.decide(shards, tmp_path / "decisions").documents.to_pylist()
    renamed = [r["doc_id"] for r in sorted(command, key=lambda r: r["doc"])]
    assert renamed[:8] == ["a", "a#4", "a#2", "b", "a#5", "b#2", "a#3", "a#2#2"], renamed
    assert renamed[-1] == "d\n#3", renamed
    got = [r["id"] for r in job._documents(spark, shards).orderBy("gdoc").collect()]
    assert got == renamed


def test_a_group_of_near_copies_too_large_for_all_its_pairs_is_joined_as_the_command_joins_it(
    spark: SparkSession, tmp_path: Path
) -> None:
    """More than 1,024 near copies of one paragraph share their prefixes: the command pairs
    them with the group's leaders only (and says so in the documents' limits); so does the
    job."""
    rng = random.Random(3)
    words = [f"kata{i}" for i in range(500)]
    base = [rng.choice(words) for _ in range(120)]
    records = []
    for i in range(1300):
        copy = list(base)
        copy[rng.randrange(len(copy))] = rng.choice(words)
        own = " ".join(rng.choice(words) for _ in range(30)).capitalize() + "."
        records.append({"id": f"a{i}", "text": " ".join(copy).capitalize() + ".\n\n" + own})
    paths = []
    for f in range(2):
        path = tmp_path / f"part{f}.jsonl"
        chunk = records[len(records) * f // 2 : len(records) * (f + 1) // 2]
        path.write_text("".join(json.dumps(r) + "\n" for r in chunk), encoding="utf-8")
        paths.append(str(path))
    shards = job.fingerprint(spark, paths, str(tmp_path / "shards"), partitions=2)
    command = dedupsum.decide(shards, tmp_path / "decisions")
    limited = [r for r in command.documents.to_pylist() if r["near_limited"]]
    assert len(limited) > 1000, len(limited)
    decided = job.decide(spark, shards)
    assert rows([r.asDict() for r in decided.decisions.collect()]) == rows(command.decisions.to_pylist())
    assert by_doc([r.asDict() for r in decided.documents.collect()]) == by_doc(command.documents.to_pylist())
