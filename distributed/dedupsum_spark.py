"""The cross-document step of ``dedupsum dedup`` on Spark, for corpora past one machine.

``dedupsum dedup`` reads a corpus, fingerprints it, decides every paragraph and writes. The
decisions need the whole corpus at once, but only its fingerprints (see README, "Past one
machine"). This job takes the two steps apart on a cluster:

1. :func:`fingerprint` — per partition of the input files, with the Python package
   (``dedupsum.fingerprint``): one shard of fingerprints per partition, in input order.
2. :func:`decide` — across the corpus, as Spark DataFrame operations on the shards:
   exact-copy groups; candidate near pairs from the prefix tokens of the set-similarity
   join (rarest shingles first), verified exactly; candidate pairs of paragraphs too short
   for shingles from the command's own groups (site, length band, word), verified by the
   command's own similarity; the best earlier match of each paragraph; and the first copy
   kept, every later one pointing at it, by pointer jumping over the links (no GraphFrames).
   It writes the decisions table of ``dedupsum decide`` (``decisions.parquet``).

What it decides today: exact copies, near copies (Jaccard of word shingles) and near
copies of short paragraphs — the decisions of ``dedupsum dedup --skip
boilerplate,restated``, which the tests check row for row. Boilerplate and restated
passages are not searched yet; shards fingerprinted for them are refused rather than
decided differently. One limit of the command is not reproduced: a group of more than
1,024 sets sharing a prefix token that are mostly copies of one another, which the
command compares with a few leaders only (``dedup::join::MAX_GROUP``); here every pair of
it is verified, so such a corpus may get more near pairs than the command finds.

Run it with ``spark-submit distributed/dedupsum_spark.py --shards DIR --out DIR INPUT...``
(see README, "At scale"), or call the functions from a PySpark session.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

import pyarrow.parquet as pq
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

import dedupsum
from dedupsum import _native

#: The shard format this job reads (``dedupsum.format_version`` in every table).
FORMAT_VERSION = "1"

#: ``--threshold`` and ``--short-threshold`` of the command.
DEFAULT_THRESHOLD = 0.8
DEFAULT_SHORT_THRESHOLD = 0.9

#: A word shared by more short paragraphs than this in one group proposes no pair
#: (``dedup::short::MAX_GROUP``).
SHORT_MAX_GROUP = 64

#: Kinds in the order the command prefers them (``dedup::Kind``).
EXACT, NEAR = 0, 1
KIND_NAMES = {EXACT: "exact", NEAR: "near"}

#: The options of the fingerprints this job decides.
SKIPPED = ["boilerplate", "restated"]


def fingerprint(
    spark: SparkSession,
    inputs: Sequence[str],
    shards_dir: str,
    partitions: Optional[int] = None,
    **options: Any,
) -> list[str]:
    """Fingerprints `inputs` (files, in corpus order) in `partitions` contiguous slices,
    each on an executor with ``dedupsum.fingerprint``, into ``shards_dir/part-NNNNN``;
    returns the shard directories in corpus order. `options` are the command's flags
    (``lang="id"``); boilerplate and restated are skipped."""
    files = [os.fspath(i) for i in inputs]
    if not files:
        raise ValueError("no inputs")
    n = max(1, min(partitions or spark.sparkContext.defaultParallelism, len(files)))
    bounds = [len(files) * k // n for k in range(n + 1)]
    slices = [(k, files[bounds[k] : bounds[k + 1]]) for k in range(n)]
    shards = [os.path.join(shards_dir, f"part-{k:05d}") for k in range(n)]
    skip = sorted(set(options.pop("skip", [])) | set(SKIPPED))

    def run(part: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, int]]:
        import dedupsum as package

        for k, part_files in part:
            skipped = package.fingerprint(part_files, shards[k], skip=skip, **options)
            yield k, skipped

    done = spark.sparkContext.parallelize(slices, n).mapPartitions(run).collect()
    if sorted(k for k, _ in done) != list(range(n)):
        raise RuntimeError(f"fingerprinted {len(done)} of {n} slices")
    return shards


def decide(
    spark: SparkSession,
    shards: Sequence[str],
    out: Optional[str] = None,
    threshold: float = DEFAULT_THRESHOLD,
    short_threshold: float = DEFAULT_SHORT_THRESHOLD,
) -> DataFrame:
    """The decisions of the corpus the `shards` make up, in that order: the rows of
    ``dedupsum decide``'s ``decisions.parquet`` (one per dropped paragraph and per kept
    paragraph a dropped one repeats), written to `out` as Parquet when given."""
    shards = [os.path.abspath(os.fspath(s)) for s in shards]
    if not shards:
        raise ValueError("no shards")
    _check_settings(shards)
    docs = _documents(spark, shards)
    paragraphs = _paragraphs(spark, shards, docs)
    eligible = paragraphs.where((F.col("flags") % 2) == 0)  # not a title
    exact, representatives = _exact(eligible)
    near = _near(representatives, threshold)
    short = _short(representatives, docs, short_threshold)
    pairs = exact.unionByName(near).unionByName(short)
    decisions = _decide(pairs, paragraphs)
    if out is not None:
        decisions.write.mode("errorifexists").parquet(out)
    return decisions


def _check_settings(shards: Sequence[str]) -> None:
    """Refuses shards of another format version, of other settings than each other, or
    fingerprinted for searches this job does not make."""
    first: Optional[dict[str, Any]] = None
    for shard in shards:
        path = os.path.join(shard, "fingerprints.parquet")
        meta = pq.read_metadata(path).metadata or {}
        version = meta.get(b"dedupsum.format_version", b"").decode()
        if version != FORMAT_VERSION:
            raise ValueError(f"{path}: format version {version or 'unknown'}, and this job reads {FORMAT_VERSION}")
        settings = json.loads(meta.get(b"dedupsum.settings", b"{}"))
        if first is None:
            first = settings
        elif settings != first:
            raise ValueError(f"{path}: fingerprinted with other settings than {shards[0]}")
    assert first is not None
    if first.get("boilerplate") or first.get("restated"):
        raise ValueError(
            f"{shards[0]}: fingerprinted for boilerplate or restated passages, which this job "
            "does not search yet: fingerprint with skip=['boilerplate', 'restated']"
        )
    if first.get("shingle") != "word":
        raise ValueError(f"{shards[0]}: this job decides word shingles only")


def _shard_of(spark: SparkSession, frame: DataFrame, shards: Sequence[str], name: str) -> DataFrame:
    """`frame`, read from the `name` tables of `shards`, with the `shard` each row is of."""
    files = spark.createDataFrame(
        [(Path(os.path.join(s, name)).resolve().as_uri(), k) for k, s in enumerate(shards)],
        "file string, shard int",
    )
    with_file = frame.withColumn("file", F.input_file_name())
    tagged = with_file.join(F.broadcast(files), "file", "left")
    return tagged.drop("file")


def _documents(spark: SparkSession, shards: Sequence[str]) -> DataFrame:
    """One row per document: its shard, position, global number `gdoc`, id, site, and the
    global number of its first paragraph."""
    paths = [os.path.join(s, "documents.parquet") for s in shards]
    docs = _shard_of(spark, spark.read.parquet(*paths), shards, "documents.parquet")
    # Per shard: its documents and paragraphs (few rows), then running totals.
    totals = docs.groupBy("shard").agg(F.count("*").alias("n_docs"), F.sum("paragraphs").alias("n_paras")).collect()
    counted = {r["shard"]: (r["n_docs"], r["n_paras"]) for r in totals}
    if None in counted:
        raise RuntimeError("rows of a file not among the shards read")
    offsets = []
    doc_offset = para_offset = 0
    for k in range(len(shards)):
        n_docs, n_paras = counted.get(k, (0, 0))
        offsets.append((k, doc_offset, para_offset))
        doc_offset += n_docs
        para_offset += n_paras or 0
    offsets_df = spark.createDataFrame(offsets, "shard int, doc_offset long, para_offset long")
    before = Window.partitionBy("shard").orderBy("doc").rowsBetween(Window.unboundedPreceding, -1)
    return (
        docs.join(F.broadcast(offsets_df), "shard")
        .withColumn("gdoc", F.col("doc_offset") + F.col("doc"))
        .withColumn("first_para", F.col("para_offset") + F.coalesce(F.sum("paragraphs").over(before), F.lit(0)))
        .select("shard", "doc", "gdoc", "id", "site", "first_para")
    )


def _paragraphs(spark: SparkSession, shards: Sequence[str], docs: DataFrame) -> DataFrame:
    """One row per paragraph with its global number `g` (input order), its document's
    global number and id, and its fingerprint."""
    paths = [os.path.join(s, "fingerprints.parquet") for s in shards]
    prints = _shard_of(spark, spark.read.parquet(*paths), shards, "fingerprints.parquet")
    return prints.join(docs, ["shard", "doc"]).select(
        (F.col("first_para") + F.col("paragraph")).alias("g"),
        "gdoc",
        "id",
        "paragraph",
        "site",
        "key",
        "flags",
        "shingles",
        "short_text",
    )


def _exact(eligible: DataFrame) -> tuple[DataFrame, DataFrame]:
    """Exact copies: each later member of a group of one key paired with the first (the
    best of its exact matches: all score 1, the earliest wins); and the first members."""
    by_key = Window.partitionBy("key").orderBy("g")
    ranked = eligible.withColumn("rank", F.row_number().over(by_key)).withColumn("first", F.first("g").over(by_key))
    pairs = ranked.where(F.col("rank") > 1).select(
        F.col("first").alias("earlier"), F.col("g").alias("later"), F.lit(EXACT).alias("kind"), F.lit(1.0).alias("score")
    )
    return pairs, ranked.where(F.col("rank") == 1).drop("rank", "first")


def _near(representatives: DataFrame, threshold: float) -> DataFrame:
    """Near pairs among the first copies: shingle sets whose Jaccard reaches `threshold`
    (candidates from :func:`_near_candidates`, each verified on its whole sets, with the
    command's arithmetic)."""
    sets, candidates = _near_candidates(representatives, threshold)
    # Sort-merge joins: the sets are as large as the corpus, never broadcast.
    x, y = sets.alias("x").hint("merge"), sets.alias("y").hint("merge")
    verified = (
        candidates.join(x, F.col("earlier") == F.col("x.g"))
        .join(y, F.col("later") == F.col("y.g"))
        .select(
            "earlier",
            "later",
            F.size(F.array_intersect("x.shingles", "y.shingles")).alias("shared"),
            F.size("x.shingles").alias("len_a"),
            F.size("y.shingles").alias("len_b"),
        )
        .withColumn("score", F.col("shared") / (F.col("len_a") + F.col("len_b") - F.col("shared")))
        .where((F.col("shared") >= 1) & (F.col("score") >= F.lit(threshold)))
    )
    return verified.select("earlier", "later", F.lit(NEAR).alias("kind"), "score")


def _near_candidates(representatives: DataFrame, threshold: float) -> tuple[DataFrame, DataFrame]:
    """The shingle sets of the first copies, and the candidate pairs `(earlier, later)`
    among them: pairs sharing one of the rarest tokens of each set (the prefix filter,
    exact for any global order of the tokens: a pair reaching the threshold shares one)."""
    sets = representatives.where(F.size("shingles") > 0).select("g", "shingles")
    tokens = sets.select("g", F.explode("shingles").alias("token"))
    frequency = tokens.groupBy("token").agg(F.count("*").alias("n"))
    ordered = (
        tokens.join(frequency, "token")
        .groupBy("g")
        .agg(F.sort_array(F.collect_list(F.struct("n", "token"))).alias("ranked"))
    )
    length = F.size("ranked")
    # `dedup::join::min_overlap`: the least overlap a set needs with any other.
    least = F.greatest(F.ceil(F.lit(threshold) * length - F.lit(1e-9)), F.lit(1))
    prefixes = ordered.select("g", F.explode(F.slice("ranked", 1, length - least + 1)).alias("entry")).select(
        "g", F.col("entry.token").alias("token")
    )
    a, b = prefixes.alias("a").hint("merge"), prefixes.alias("b")
    candidates = (
        a.join(b, (F.col("a.token") == F.col("b.token")) & (F.col("a.g") < F.col("b.g")))
        .select(F.col("a.g").alias("earlier"), F.col("b.g").alias("later"))
        .distinct()
    )
    return sets, candidates


def _short(representatives: DataFrame, docs: DataFrame, threshold: float) -> DataFrame:
    """Near pairs among the first copies too short for shingles: compared within the
    command's groups (site, length band, word; a group of more than 64 of them proposes
    none), with the command's similarity."""
    group_type = T.ArrayType(T.StructType([T.StructField("key", T.LongType()), T.StructField("home", T.BooleanType())]))

    @F.udf(group_type)
    def groups(site: Optional[str], text: str) -> list[tuple[int, bool]]:
        return _native.short_groups(site, text, threshold)

    @F.udf(T.DoubleType())
    def similarity(a: str, b: str) -> Optional[float]:
        return _native.short_similarity(a, b, threshold)

    lines = representatives.where(F.col("short_text").isNotNull()).select("g", "site", "short_text")
    entries = lines.select("g", F.explode(groups("site", "short_text")).alias("group")).select(
        "g", F.col("group.key").alias("key"), F.col("group.home").alias("home")
    )
    sizes = entries.groupBy("key").agg(
        F.sum(F.col("home").cast("int")).alias("homes"), F.sum((~F.col("home")).cast("int")).alias("visitors")
    )
    usable = sizes.where(
        (F.col("homes") >= 1)
        & (F.col("homes") + F.col("visitors") > 1)
        & (F.col("homes") <= SHORT_MAX_GROUP)
        & (F.col("visitors") <= SHORT_MAX_GROUP)
    ).select("key")
    members = entries.join(usable, "key")
    home, other = members.where("home").alias("h"), members.alias("o")
    candidates = (
        home.join(other, (F.col("h.key") == F.col("o.key")) & (F.col("h.g") != F.col("o.g")))
        # Two members at home pair once; a visitor pairs with those at home.
        .where(~F.col("o.home") | (F.col("h.g") < F.col("o.g")))
        .select(F.least("h.g", "o.g").alias("earlier"), F.greatest("h.g", "o.g").alias("later"))
        .distinct()
    )
    texts_a, texts_b = lines.alias("ta").hint("merge"), lines.alias("tb").hint("merge")
    scored = (
        candidates.join(texts_a, F.col("earlier") == F.col("ta.g"))
        .join(texts_b, F.col("later") == F.col("tb.g"))
        .select("earlier", "later", similarity("ta.short_text", "tb.short_text").alias("score"))
        .where(F.col("score").isNotNull())
    )
    return scored.select("earlier", "later", F.lit(NEAR).alias("kind"), "score")


def _decide(pairs: DataFrame, paragraphs: DataFrame) -> DataFrame:
    """The decisions: a paragraph with an earlier match is dropped for its best one (the
    strongest kind, then the highest score, then the earliest paragraph) and points at the
    kept paragraph behind it; the rows of ``decisions.parquet``."""
    best = Window.partitionBy("later").orderBy(F.col("kind"), F.col("score").desc(), F.col("earlier"))
    links = (
        pairs.withColumn("rank", F.row_number().over(best))
        .where(F.col("rank") == 1)
        .select(F.col("later").alias("g"), F.col("earlier").alias("parent"), "kind", "score")
    )
    roots = _roots(links.select("g", "parent"))
    dropped = links.join(roots, "g")
    info = paragraphs.select("g", "gdoc", "id", "paragraph")
    of = info.select(
        F.col("g").alias("root"),
        F.col("gdoc").alias("duplicate_of_doc"),
        F.col("id").alias("duplicate_of_doc_id"),
        F.col("paragraph").alias("duplicate_of_paragraph"),
    )
    kinds = F.create_map(*[x for k, name in KIND_NAMES.items() for x in (F.lit(k), F.lit(name))])
    drops = (
        dropped.join(info, "g")
        .join(of, "root")
        .select(
            F.col("gdoc").alias("doc"),
            F.col("id").alias("doc_id"),
            "paragraph",
            F.lit("drop").alias("decision"),
            kinds[F.col("kind")].alias("reason"),
            "duplicate_of_doc",
            "duplicate_of_doc_id",
            "duplicate_of_paragraph",
            "score",
            F.lit(None).cast("string").alias("evidence"),
            F.col("root").alias("cluster_id"),
        )
    )
    kept = (
        roots.select(F.col("root").alias("g"))
        .distinct()
        .join(info, "g")
        .select(
            F.col("gdoc").alias("doc"),
            F.col("id").alias("doc_id"),
            "paragraph",
            F.lit("keep").alias("decision"),
            F.lit(None).cast("string").alias("reason"),
            F.lit(None).cast("long").alias("duplicate_of_doc"),
            F.lit(None).cast("string").alias("duplicate_of_doc_id"),
            F.lit(None).cast("long").alias("duplicate_of_paragraph"),
            F.lit(None).cast("double").alias("score"),
            F.lit(None).cast("string").alias("evidence"),
            F.col("g").alias("cluster_id"),
        )
    )
    return drops.unionByName(kept).orderBy("doc", "paragraph")


def _roots(links: DataFrame) -> DataFrame:
    """For every linked paragraph `g`, the `root` its links lead to (a paragraph linked to
    nothing: the kept first copy). Pointer jumping: each round replaces a pointer by its
    target's, so chains of any length end in as many rounds as the log of their length."""
    # Each round's pointers are checkpointed: the plan stays one round deep, not one per
    # round (a plan of many rounds fills the driver's memory).
    pointers = links.select("g", F.col("parent").alias("root")).localCheckpoint()
    while True:
        step = pointers.alias("p").join(pointers.alias("q"), F.col("p.root") == F.col("q.g"), "left")
        moved = step.select(F.col("p.g").alias("g"), F.coalesce(F.col("q.root"), F.col("p.root")).alias("root"))
        moved = moved.localCheckpoint()
        changed = moved.join(pointers, ["g", "root"], "left_anti").count()
        pointers = moved
        if changed == 0:
            return pointers


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="input files, in corpus order")
    parser.add_argument("--shards", required=True, help="directory for the fingerprint shards")
    parser.add_argument("--out", required=True, help="where to write the decisions (Parquet)")
    parser.add_argument("--partitions", type=int, help="slices of the inputs fingerprinted apart")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--short-threshold", type=float, default=DEFAULT_SHORT_THRESHOLD)
    parser.add_argument("--lang", default="auto")
    args = parser.parse_args(argv)
    spark = SparkSession.builder.appName("dedupsum").getOrCreate()
    shards = fingerprint(spark, args.inputs, args.shards, args.partitions, lang=args.lang)
    decide(spark, shards, args.out, args.threshold, args.short_threshold)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
