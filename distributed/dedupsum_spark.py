"""The cross-document step of ``dedupsum dedup`` on Spark, for corpora past one machine.

``dedupsum dedup`` reads a corpus, fingerprints it, decides every paragraph and writes. The
decisions need the whole corpus at once, but only its fingerprints (see README, "Past one
machine"). This job takes the two steps apart on a cluster:

1. :func:`fingerprint` — per partition of the input files, with the Python package
   (``dedupsum.fingerprint``): one shard of fingerprints per partition, in input order.
2. :func:`decide` — across the corpus, as Spark DataFrame operations on the shards, with
   the command's own code for what looks at one document or one text at a time (the
   native ``story_sketch``, ``anchor_tokens``, ``count_stories``, ``copied``,
   ``restated``, ``short_groups`` and ``short_similarity`` of ``dedupsum._native``):

   - boilerplate: each document's story sketch (copies of a page are one page), the pages
     each text is on (a group by key), the nearest anchors around each paragraph (window
     over its document), the stories each frequent text is in (its occurrences grouped by
     key, joined by document, sketch or anchor), and the templates of each site (counts by
     site and opener);
   - exact-copy groups; candidate near pairs from the prefix tokens of the set-similarity
     join (rarest shingles first), verified exactly; candidate pairs of paragraphs too
     short for shingles from the command's own groups, verified by its own similarity;
   - restated passages: per document, the paragraphs that only repeat sentences said
     before, then rounds of the restated search, each with the document frequencies of
     the terms still present in the corpus (a group by term), until a round finds nothing;
   - the best earlier match of each paragraph, and the first copy kept, every later one
     pointing at it, by pointer jumping over the links (no GraphFrames).

   It writes the decisions and documents tables of ``dedupsum decide``
   (``decisions.parquet``, ``documents.parquet``), row for row (the tests check it on
   ``corpus/`` and generated corpora).
3. :func:`apply` — per slice of the inputs again, with the Python package (``dedupsum
   apply``): each slice is cleaned with the decisions of its documents, those of earlier
   slices its drops point at coming first as placeholders; its outputs are the rows one
   ``dedupsum dedup`` over the corpus writes for those documents (with ``summarize``, the
   summaries of ``dedupsum run`` too, their terms weighed by the whole corpus).

What differs from the command: word shingles and the Jaccard measure only (no
``--measure containment``); and no ``pairs`` table (no ``--all-pairs``). The command's
limit on groups of more than 1,024 near copies sharing a prefix token (compared with their
leaders only, ``dedup::join::MAX_GROUP``) is reproduced: the prefixes are ranked as the
command ranks them (its rank sketch's cells, native ``rank_cells``), and such a group is
joined as a star by the command's code (native ``star``).

Run it with ``spark-submit distributed/dedupsum_spark.py --shards DIR --out DIR INPUT...``
(see README, "At scale"), or call the functions from a PySpark session.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

import dedupsum
from dedupsum import _native

#: The shard format this job reads (``dedupsum.format_version`` in every table).
FORMAT_VERSION = "2"

#: ``--threshold`` and ``--short-threshold`` of the command.
DEFAULT_THRESHOLD = 0.8
DEFAULT_SHORT_THRESHOLD = 0.9

#: A word shared by more short paragraphs than this in one group proposes no pair
#: (``dedup::short::MAX_GROUP``).
SHORT_MAX_GROUP = 64

#: A prefix token shared by more sets than this that are mostly copies of its first is
#: joined as a star around its leaders (``dedup::join::MAX_GROUP``).
MAX_GROUP = 1024

#: ``--restated-threshold`` and ``--boilerplate-min-docs`` of the command.
DEFAULT_RESTATED_THRESHOLD = 0.35
DEFAULT_BOILERPLATE_MIN_DOCS = 3

#: Kinds in the order the command prefers them (``dedup::Kind``; ``contained`` pairs come
#: only with the containment measure, which this job does not offer).
EXACT, NEAR, RESTATED = 0, 1, 3
KIND_NAMES = {EXACT: "exact", NEAR: "near", RESTATED: "restated"}

#: The bits of a fingerprint's ``flags`` (``ParaPrint::flag_bits``).
TITLE, LABEL, SHORT, LINE, ANCHOR_SIZE = 1, 2, 4, 8, 16

#: A longer paragraph is boilerplate by frequency on this many times as many stories as
#: a short line (``boilerplate::LONG_LINE_FACTOR``).
LONG_LINE_FACTOR = 4
#: Share of a site's stories a template must open a line in, and share of the paragraphs
#: opening with its words that must be lines (``boilerplate::TEMPLATE_MIN_*``).
TEMPLATE_MIN_SHARE = 0.02
TEMPLATE_MIN_LINES = 0.8

#: An id of the form `id#N`, as renaming makes them (N without a leading zero).
ID_NUMBERED = r"(?s)^(.*)#([1-9][0-9]*)$"

#: The restated search stops after this many rounds (``restated::MAX_ROUNDS``).
RESTATED_MAX_ROUNDS = 8


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
    (``lang="id"``, ``skip=["restated"]``)."""
    files = [os.fspath(i) for i in inputs]
    if not files:
        raise ValueError("no inputs")
    n = max(1, min(partitions or spark.sparkContext.defaultParallelism, len(files)))
    slices = list(enumerate(_slices(files, n)))
    shards = [os.path.join(shards_dir, f"part-{k:05d}") for k in range(n)]
    skip = sorted(set(options.pop("skip", [])))

    def run(part: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, int]]:
        import dedupsum as package

        for k, part_files in part:
            skipped = package.fingerprint(part_files, shards[k], skip=skip, **options)
            yield k, skipped

    done = spark.sparkContext.parallelize(slices, n).mapPartitions(run).collect()
    if sorted(k for k, _ in done) != list(range(n)):
        raise RuntimeError(f"fingerprinted {len(done)} of {n} slices")
    return shards


def _slices(files: Sequence[str], n: int) -> list[list[str]]:
    """The input files cut into `n` contiguous slices, in order: those :func:`fingerprint`
    makes its shards of, and :func:`apply` cleans apart."""
    bounds = [len(files) * k // n for k in range(n + 1)]
    return [list(files[bounds[k] : bounds[k + 1]]) for k in range(n)]


@dataclass
class Decided:
    """What :func:`decide` makes of the shards: the tables of ``dedupsum decide`` (but
    ``pairs``), as DataFrames."""

    decisions: DataFrame
    """The rows of ``decisions.parquet``: one per dropped paragraph and per kept paragraph
    a dropped one repeats."""
    documents: DataFrame
    """The rows of ``documents.parquet``: one per document (its final id, the hash of its
    text, paragraphs, title, bytes kept, dateline, limits)."""


def decide(
    spark: SparkSession,
    shards: Sequence[str],
    out: Optional[str] = None,
    threshold: float = DEFAULT_THRESHOLD,
    short_threshold: float = DEFAULT_SHORT_THRESHOLD,
    restated_threshold: float = DEFAULT_RESTATED_THRESHOLD,
    boilerplate_min_docs: int = DEFAULT_BOILERPLATE_MIN_DOCS,
) -> Decided:
    """The decisions of the corpus the `shards` make up, in that order: the tables of
    ``dedupsum decide`` (but ``pairs``), written to `out` (``decisions.parquet`` and
    ``documents.parquet``, Parquet directories) when given. The searches are those the
    shards were fingerprinted for."""
    shards = [os.path.abspath(os.fspath(s)) for s in shards]
    if not shards:
        raise ValueError("no shards")
    for name, value in [
        ("the near-duplicate threshold", threshold),
        ("the short-paragraph threshold", short_threshold),
        ("the restated threshold", restated_threshold),
    ]:
        if not 0.0 < value <= 1.0:
            raise ValueError(f"{name} must be in (0, 1], got {value}")
    if boilerplate_min_docs < 2:
        raise ValueError("boilerplate needs at least 2 documents to repeat across")
    searches = _check_settings(shards)
    docs = _documents(spark, shards)
    paragraphs = _paragraphs(spark, shards, docs)
    if searches["boilerplate"]:
        boilerplate = _boilerplate(paragraphs, docs, boilerplate_min_docs).localCheckpoint()
        marked = _join(paragraphs, boilerplate, "g")
    else:
        marked = paragraphs.withColumn("boilerplate", F.lit(False))
    eligible = marked.where(((F.col("flags") % 2) == 0) & ~F.col("boilerplate"))
    exact, representatives = _exact(eligible)
    pairs = exact
    near_limited = spark.createDataFrame([], "gdoc long, near_limited boolean")
    if searches["near"]:
        near, limited_g = _near(representatives, threshold)
        short = _short(representatives, docs, short_threshold)
        pairs = pairs.unionByName(near).unionByName(short)
        near_limited = (
            _join(limited_g, paragraphs.select("g", "gdoc"), "g").select("gdoc").distinct().withColumn("near_limited", F.lit(True))
        )
    pairs = pairs.withColumn("evidence", F.lit(None).cast("string"))
    limited = spark.createDataFrame([], "gdoc long, restated_limited boolean")
    if searches["restated"]:
        n_docs = docs.count()
        pairs = pairs.localCheckpoint()
        restated, limited = _restated(spark, marked, pairs, n_docs, restated_threshold)
        pairs = pairs.unionByName(restated)
    decisions = _decide(pairs, marked).localCheckpoint()
    documents = _decided_documents(docs, paragraphs, decisions, limited, near_limited, boilerplate_min_docs)
    if out is not None:
        decisions.write.mode("errorifexists").parquet(os.path.join(out, "decisions.parquet"))
        documents.write.mode("errorifexists").parquet(os.path.join(out, "documents.parquet"))
    return Decided(decisions, documents)


def _check_settings(shards: Sequence[str]) -> dict[str, Any]:
    """The settings of the shards' fingerprints (the searches they serve: ``near``,
    ``boilerplate``, ``restated``); refuses shards of another format version, of other
    settings than each other, or of character shingles."""
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
    if first.get("shingle") != "word":
        raise ValueError(f"{shards[0]}: this job decides word shingles only")
    return first


def _join(left: DataFrame, right: DataFrame, on: Any, how: str = "inner") -> DataFrame:
    """A join of two tables that may be as large as the corpus: sort-merge, never a
    broadcast (Spark's size estimates of checkpointed, exploded or aggregated tables can be
    far too small, and broadcasting one fills the driver's memory)."""
    return left.hint("merge").join(right, on, how)


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
    """One row per document: its shard, position, global number `gdoc`, id (renamed as the
    command renames it), site, the global number of its first paragraph, and what the
    shard says of it besides (text hash, paragraphs, opening)."""
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
    numbered = (
        docs.join(F.broadcast(offsets_df), "shard")
        .withColumn("gdoc", F.col("doc_offset") + F.col("doc"))
        .withColumn("first_para", F.col("para_offset") + F.coalesce(F.sum("paragraphs").over(before), F.lit(0)))
        .select(
            "shard", "doc", "gdoc", "id", "site", "first_para", "text_hash", "paragraphs",
            "opening_paragraph", "opening_head",
        )
    )
    return _unique_ids(numbered)


def _unique_ids(docs: DataFrame) -> DataFrame:
    """`docs` with the ids the command gives (``corpus::unique_ids``): the first document
    with an id keeps it; each later one gets the next of `id#2`, `id#3`, … that no document
    has. Names made for two different ids never meet (what follows the last `#` is a
    number), so each id's names are found apart: from `#2` on, skipping the existing ids of
    the form `id#N`."""
    ids = docs.select("gdoc", "id")
    by_id = Window.partitionBy("id").orderBy("gdoc")
    later = ids.withColumn("rank", F.row_number().over(by_id)).where(F.col("rank") > 1)
    # Per repeated id: how many later copies, and the numbers its existing `id#N` take.
    needed = later.groupBy("id").agg(F.count("*").alias("renames"))
    parsed = ids.select(
        F.regexp_extract("id", ID_NUMBERED, 1).alias("base"),
        F.regexp_extract("id", ID_NUMBERED, 2).alias("n"),
    ).where(F.col("n") != "")
    taken = _join(
        parsed.select(F.col("base").alias("id"), F.col("n").cast("long").alias("n")).distinct(), needed, "id"
    ).select("id", "n")
    clashes = taken.groupBy("id").agg(F.count("*").alias("clashes"))
    # Enough numbers to skip every clash: 2 to 1 + renames + clashes, less those taken.
    numbers = (
        _join(needed, clashes, "id", "left")
        .select("id", (1 + F.col("renames") + F.coalesce("clashes", F.lit(0))).alias("last"))
        .select("id", F.explode(F.sequence(F.lit(2).cast("long"), F.col("last"))).alias("n"))
    )
    free = _join(numbers, taken, ["id", "n"], "left_anti").withColumn(
        "rank", 1 + F.row_number().over(Window.partitionBy("id").orderBy("n"))
    )
    names = _join(later, free, ["id", "rank"]).select(
        "gdoc", F.concat("id", F.lit("#"), F.col("n").cast("string")).alias("renamed")
    )
    return (
        _join(docs, names, "gdoc", "left")
        .withColumn("id", F.coalesce("renamed", "id"))
        .drop("renamed")
    )


def _paragraphs(spark: SparkSession, shards: Sequence[str], docs: DataFrame) -> DataFrame:
    """One row per paragraph with its global number `g` (input order), its document's
    global number and id, and its fingerprint."""
    paths = [os.path.join(s, "fingerprints.parquet") for s in shards]
    prints = _shard_of(spark, spark.read.parquet(*paths), shards, "fingerprints.parquet")
    return _join(prints, docs, ["shard", "doc"]).select(
        (F.col("first_para") + F.col("paragraph")).alias("g"),
        "gdoc",
        "id",
        "paragraph",
        "site",
        "key",
        "len",
        "flags",
        "opener",
        "shingles",
        "terms",
        "slots",
        "short_text",
        "said",
    )


def _has(flag: int) -> Any:
    """Whether a paragraph's ``flags`` have `flag`."""
    return F.col("flags").bitwiseAND(F.lit(flag)) != 0


def _boilerplate(paragraphs: DataFrame, docs: DataFrame, min_docs: int) -> DataFrame:
    """Per paragraph `g`: whether it is site furniture (``dedup::boilerplate::detect``). A
    label line; a text on pages of `min_docs` different stories (a longer paragraph:
    `LONG_LINE_FACTOR` times as many), copies of one story counting once; or a line opening
    with a template of its site. Copies of a page (its story sketch) are one page."""
    long_needed = min_docs * LONG_LINE_FACTOR
    narrow = paragraphs.select("g", "gdoc", "paragraph", "site", "key", "len", "flags", "opener")
    sketch_of = F.udf(_native.story_sketch, T.ArrayType(T.LongType()))
    body = narrow.where(_has(ANCHOR_SIZE) & ~_has(TITLE) & ~_has(LABEL))
    sketches = body.groupBy("gdoc").agg(
        F.sort_array(F.collect_list(F.struct("paragraph", "key", "len", "flags"))).alias("rows")
    )
    sketches = sketches.select(
        "gdoc", sketch_of("rows.key", "rows.len", "rows.flags").alias("sketch")
    )
    no_sketch = F.array(*[F.lit(0).cast("long")] * 4)
    # The page a document is: its sketch's first token (top bit set: never a document
    # number), or the document itself.
    pages = (
        _join(docs.select("gdoc", "site"), sketches, "gdoc", "left")
        .withColumn("sketch", F.coalesce("sketch", no_sketch))
        .withColumn(
            "page",
            F.when(F.col("sketch")[0] != 0, F.col("sketch")[0].bitwiseOR(F.lit(-(1 << 63)))).otherwise(F.col("gdoc")),
        )
        .localCheckpoint()
    )
    with_page = _join(narrow, pages.select("gdoc", "page", "sketch"), "gdoc")
    on_pages = with_page.groupBy("key").agg(F.countDistinct("page").alias("pages"))
    counted = _join(with_page, on_pages, "key")
    # The nearest anchors before and after each paragraph in its document.
    is_anchor = _has(ANCHOR_SIZE) & ~_has(TITLE) & ~_has(LABEL) & (F.col("pages") < long_needed)
    anchor_g = F.when(is_anchor, F.col("g"))
    in_doc = Window.partitionBy("gdoc").orderBy("paragraph")
    located = counted.withColumn(
        "before", F.last(anchor_g, ignorenulls=True).over(in_doc.rowsBetween(Window.unboundedPreceding, -1))
    ).withColumn("after", F.first(anchor_g, ignorenulls=True).over(in_doc.rowsBetween(1, Window.unboundedFollowing)))
    # Stories per text, for the texts on enough pages to be furniture.
    frequent = located.where(F.col("pages") >= min_docs).select("g", "gdoc", "key", "sketch", "before", "after")
    tokens_of = F.udf(_native.anchor_tokens, T.ArrayType(T.LongType()))
    needed_anchors = frequent.select(F.col("before").alias("g")).union(frequent.select(F.col("after").alias("g")))
    anchors = (
        _join(paragraphs.select("g", "key", "shingles"), needed_anchors.where(F.col("g").isNotNull()).distinct(), "g")
        .select("g", tokens_of("key", "shingles").alias("tokens"))
    )
    before = anchors.select(F.col("g").alias("before"), F.col("tokens").alias("before_tokens"))
    after = anchors.select(F.col("g").alias("after"), F.col("tokens").alias("after_tokens"))
    occurrences = _join(_join(frequent, before, "before", "left"), after, "after", "left")
    count_of = F.udf(_native.count_stories, T.IntegerType())
    stories = occurrences.groupBy("key").agg(
        count_of(
            F.collect_list(F.struct("gdoc", "sketch", "before_tokens", "after_tokens"))
        ).alias("stories")
    )
    # Templates: (site, opener) of lines on enough stories with enough different texts.
    templates = _templates(_join(narrow, pages.select("gdoc", "page"), "gdoc"), pages, min_docs)
    needed = F.when(_has(SHORT), F.lit(min_docs)).otherwise(F.lit(long_needed))
    return (
        _join(narrow, stories, "key", "left")
        .join(
            templates,
            F.col("site").eqNullSafe(templates["t_site"]) & (F.col("opener") == templates["t_opener"]),
            "left",
        )
        .select(
            "g",
            (
                ~_has(TITLE)
                & (
                    _has(LABEL)
                    | (F.coalesce("stories", F.lit(0)) >= needed)
                    | (_has(LINE) & F.col("t_opener").isNotNull())
                )
            ).alias("boilerplate"),
        )
    )


def _templates(paragraphs: DataFrame, pages: DataFrame, min_docs: int) -> DataFrame:
    """The templates of furniture learned from the corpus (``boilerplate::templates``):
    `(t_site, t_opener)` of the first two words that open a line on at least `min_docs`
    stories of a site, with at least `min_docs` different texts and as many as
    `TEMPLATE_MIN_SHARE` of the site's stories, and whose paragraphs are nearly all lines."""
    opens = paragraphs.where((F.col("opener") != 0) & ~_has(TITLE))
    site_stories = pages.select("site", "page").distinct().groupBy("site").agg(F.count("*").alias("site_stories"))
    lines = (
        opens.where(_has(LINE))
        .groupBy("site", "opener")
        .agg(
            F.countDistinct("page").alias("in_stories"),
            F.countDistinct("key").alias("texts"),
            F.count("*").alias("lines"),
        )
    )
    least_texts = F.greatest(F.lit(float(min_docs)), F.lit(TEMPLATE_MIN_SHARE) * F.col("site_stories").cast("double"))
    candidates = lines.join(site_stories, lines["site"].eqNullSafe(site_stories["site"])).where(
        (F.col("in_stories") >= min_docs) & (F.col("texts").cast("double") >= least_texts)
    ).select(lines["site"], "opener", "lines")
    every = opens.groupBy("site", "opener").agg(F.count("*").alias("all"))
    return (
        candidates.join(every, candidates["site"].eqNullSafe(every["site"]) & (candidates["opener"] == every["opener"]))
        .where(F.col("lines").cast("double") >= F.lit(TEMPLATE_MIN_LINES) * F.col("all").cast("double"))
        .select(candidates["site"].alias("t_site"), candidates["opener"].alias("t_opener"))
    )


def _restated(
    spark: SparkSession, marked: DataFrame, pairs: DataFrame, n_docs: int, threshold: float
) -> tuple[DataFrame, DataFrame]:
    """The restated pairs (``dedup::restated``), and the documents whose search is limited
    for their size (`gdoc`, `restated_limited`): per document, on an executor, the
    paragraphs that only repeat sentences said before (once), then rounds of the restated
    search with the corpus's document frequencies of the paragraphs still present, until a
    round finds nothing; a paragraph found in one round is not present in the next.

    The documents are grouped once, one row each with its paragraphs in order; a round
    moves only terms: each document's distinct present terms to count them, and the
    counts of the terms it says back to it."""
    pair_type = T.ArrayType(
        T.StructType(
            [
                T.StructField("earlier", T.LongType()),
                T.StructField("later", T.LongType()),
                T.StructField("score", T.DoubleType()),
                T.StructField("evidence", T.StringType()),
            ]
        )
    )
    decided = pairs.select(F.col("later").alias("g")).distinct().withColumn("decided", F.lit(True))
    paragraphs = _join(marked, decided, "g", "left").select(
        "g",
        "gdoc",
        "paragraph",
        "flags",
        "terms",
        "slots",
        "said",
        (~F.col("boilerplate")).alias("is_said"),
        (~F.col("boilerplate") & F.col("decided").isNull()).alias("present"),
    )
    row = F.struct("paragraph", "terms", "slots", "flags", "said", "is_said", "present")
    documents = (
        paragraphs.groupBy("gdoc")
        .agg(F.min("g").alias("first"), F.sort_array(F.collect_list(row)).alias("rows"))
        .localCheckpoint()
    )

    def terms_of(keep: Any) -> Any:
        """The distinct terms of a document's paragraphs that `keep` keeps."""
        return F.array_distinct(F.flatten(F.transform(F.filter("rows", keep), lambda r: r["terms"])))

    # What each document says (its paragraphs not furniture) does not change by round.
    said_terms = documents.select("gdoc", F.explode(terms_of(lambda r: r["is_said"])).alias("term")).localCheckpoint()

    def without(found: Any) -> Any:
        """The rows with the later paragraphs of `found` no longer present."""
        return F.transform(
            "rows",
            lambda r: r.withField("present", r["present"] & ~F.array_contains(found["later"], r["paragraph"])),
        )

    def copied(said, present):  # type: ignore[no-untyped-def]
        if all(s is None for s in said):
            return []
        return [(a, b, 1.0, "sentences") for a, b in _native.copied(said, present)]

    copied_udf = F.udf(copied, pair_type)
    scored = documents.select("gdoc", "first", "rows", copied_udf("rows.said", "rows.present").alias("found"))
    scored = scored.localCheckpoint()
    all_found = _in_corpus(scored).localCheckpoint()
    documents = scored.select("gdoc", "first", without(F.col("found")).alias("rows")).localCheckpoint()
    # Documents too long to score every pair of, as the command counts them.
    limited_udf = F.udf(_native.restated_limited, T.BooleanType())
    limited = documents.select("gdoc", limited_udf("rows.flags", "rows.present").alias("restated_limited")).where(
        "restated_limited"
    )

    def restated(terms, slots, flags, present, said, doc_freq):  # type: ignore[no-untyped-def]
        frequencies = [(t, n) for t, n in doc_freq or []]
        return _native.restated(terms, slots, flags, present, said, frequencies, n_docs, threshold)

    restated_udf = F.udf(restated, pair_type)
    for _ in range(RESTATED_MAX_ROUNDS):
        present_terms = documents.select("gdoc", F.explode(terms_of(lambda r: r["present"])).alias("term"))
        frequencies = present_terms.groupBy("term").agg(F.count("*").cast("int").alias("n"))
        per_doc = (
            _join(said_terms, frequencies, "term")
            .groupBy("gdoc")
            .agg(F.collect_list(F.struct("term", "n")).alias("doc_freq"))
        )
        scored = (
            _join(documents, per_doc, "gdoc", "left")
            .select(
                "gdoc",
                "first",
                "rows",
                restated_udf("rows.terms", "rows.slots", "rows.flags", "rows.present", "rows.is_said", "doc_freq").alias("found"),
            )
            .localCheckpoint()
        )
        found = _in_corpus(scored).localCheckpoint()
        if found.count() == 0:
            break
        all_found = all_found.unionByName(found).localCheckpoint()
        documents = scored.select("gdoc", "first", without(F.col("found")).alias("rows")).localCheckpoint()
    pairs = all_found.select("earlier", "later", F.lit(RESTATED).alias("kind"), "score", "evidence")
    return pairs, limited.localCheckpoint()


def _in_corpus(scored: DataFrame) -> DataFrame:
    """The pairs `found` of each document (`gdoc`, its first paragraph's number `first`),
    numbered in the corpus."""
    return scored.select("first", F.explode("found").alias("pair")).select(
        (F.col("first") + F.col("pair.earlier")).alias("earlier"),
        (F.col("first") + F.col("pair.later")).alias("later"),
        F.col("pair.score").alias("score"),
        F.col("pair.evidence").alias("evidence"),
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


def _near(representatives: DataFrame, threshold: float) -> tuple[DataFrame, DataFrame]:
    """Near pairs among the first copies: shingle sets whose Jaccard reaches `threshold`
    (candidates from :func:`_near_candidates`, each verified on its whole sets, with the
    command's arithmetic; the groups of near copies too large for all their pairs joined
    with their leaders, as the command joins them); and the paragraphs `g` of those groups
    compared with the leaders only (the command's limit)."""
    sets, candidates, starred, limited = _near_candidates(representatives, threshold)
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
        .select("earlier", "later", "score")
    )
    pairs = verified.unionByName(starred).dropDuplicates(["earlier", "later"])
    return pairs.select("earlier", "later", F.lit(NEAR).alias("kind"), "score"), limited


def _near_candidates(
    representatives: DataFrame, threshold: float
) -> tuple[DataFrame, DataFrame, DataFrame, DataFrame]:
    """The shingle sets of the first copies; the candidate pairs `(earlier, later)` among
    them; the verified pairs of the groups too large for all their pairs; and the sets of
    those groups compared with their leaders only. As the command's join
    (``dedup::join``): each set's prefix is its rarest tokens by the command's rank (the
    count of the token's cell in a sketch of the corpus, then the token); a pair is a
    candidate at the rarest prefix token the two share; a token shared by more than
    `MAX_GROUP` prefixes whose sets are mostly copies of the first is joined as a star
    around its leaders (native ``star``), and a pair whose rarest shared token is such a
    one is left to it."""
    sets = representatives.where(F.size("shingles") > 0).select("g", "shingles")
    total = sets.select(F.sum(F.size("shingles"))).first()[0] or 0
    cells_of = F.udf(lambda shingles: _native.rank_cells(shingles, total), T.ArrayType(T.LongType()))
    tokens = sets.select("g", F.explode(F.arrays_zip("shingles", cells_of("shingles").alias("cells"))).alias("t")).select(
        "g", F.col("t.shingles").alias("token"), F.col("t.cells").alias("cell")
    )
    counts = tokens.groupBy("cell").agg(F.least(F.count("*"), F.lit(_native.RANK_CAP)).alias("n"))
    # The rank key: the cell's count, then the token as an unsigned number.
    keyed = _join(tokens, counts, "cell").select(
        "g", "token", (F.col("n") * F.lit(1 << 32) + F.col("token").cast("long").bitwiseAND(F.lit(0xFFFFFFFF))).alias("key")
    )
    ordered = keyed.groupBy("g").agg(F.sort_array(F.collect_list(F.struct("key", "token"))).alias("ranked"))
    length = F.size("ranked")
    # `dedup::join::min_overlap`: the least overlap a set needs with any other.
    least = F.greatest(F.ceil(F.lit(threshold) * length - F.lit(1e-9)), F.lit(1))
    prefixes = (
        ordered.select("g", F.explode(F.slice("ranked", 1, length - least + 1)).alias("entry"))
        .select("g", F.col("entry.token").alias("token"), F.col("entry.key").alias("key"))
        .localCheckpoint()
    )
    # Groups too large for all their pairs: those of near copies are stars.
    sizes = prefixes.groupBy("token").agg(F.count("*").alias("size"))
    large = _join(prefixes, sizes.where(F.col("size") > MAX_GROUP), "token")
    star_type = T.ArrayType(
        T.StructType([T.StructField("a", T.IntegerType()), T.StructField("b", T.IntegerType()), T.StructField("score", T.DoubleType())])
    )
    star_of = F.udf(lambda sets: _native.star(sets, threshold), star_type)
    groups = (
        _join(large.select("token", "g"), sets, "g")
        .groupBy("token")
        .agg(F.sort_array(F.collect_list(F.struct("g", "shingles"))).alias("members"))
        .select("token", "members", star_of("members.shingles").alias("star"))
        .where(F.col("star").isNotNull())
        .localCheckpoint()
    )
    members = F.col("members")
    starred = groups.select(F.explode("star").alias("p"), members).select(
        members[F.col("p.a")]["g"].alias("earlier"), members[F.col("p.b")]["g"].alias("later"), F.col("p.score").alias("score")
    )
    limited = groups.select(F.explode(F.slice(members, 2, F.size(members))).alias("m")).select(F.col("m.g").alias("g")).distinct()
    starred_tokens = groups.select("token", F.lit(True).alias("starred"))
    marked = _join(prefixes, starred_tokens, "token", "left")
    # Each set's starred prefix tokens, by key (few sets have any).
    starred_keys = marked.where("starred").groupBy("g").agg(F.collect_list("key").alias("starred_keys"))
    open_prefixes = marked.where(F.col("starred").isNull()).select("g", "token", "key")
    a, b = open_prefixes.alias("a").hint("merge"), open_prefixes.alias("b")
    shared = (
        a.join(b, (F.col("a.token") == F.col("b.token")) & (F.col("a.g") < F.col("b.g")))
        .groupBy(F.col("a.g").alias("earlier"), F.col("b.g").alias("later"))
        .agg(F.min("a.key").alias("first"))
    )
    sa = starred_keys.select(F.col("g").alias("earlier"), F.col("starred_keys").alias("sa"))
    sb = starred_keys.select(F.col("g").alias("later"), F.col("starred_keys").alias("sb"))
    candidates = (
        _join(_join(shared, sa, "earlier", "left"), sb, "later", "left")
        .where(
            ~F.coalesce(
                F.exists(F.array_intersect("sa", "sb"), lambda k: k < F.col("first")),
                F.lit(False),
            )
        )
        .select("earlier", "later")
    )
    return sets, candidates, starred, limited


def _short(representatives: DataFrame, docs: DataFrame, threshold: float) -> DataFrame:
    """Near pairs among the first copies too short for shingles: compared within the
    command's groups (site, length band, word; a group of more than 64 of them proposes
    none), with the command's similarity."""
    group_type = T.ArrayType(T.StructType([T.StructField("key", T.LongType()), T.StructField("home", T.BooleanType())]))

    # (No type hints on the UDFs: Spark would read them as those of a pandas UDF.)
    @F.udf(group_type)
    def groups(site, text):  # type: ignore[no-untyped-def]
        return _native.short_groups(site, text, threshold)

    @F.udf(T.DoubleType())
    def similarity(a, b):  # type: ignore[no-untyped-def]
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
    members = _join(entries, usable, "key")
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


def _decide(pairs: DataFrame, marked: DataFrame) -> DataFrame:
    """The decisions: boilerplate is dropped with no pointer; any other paragraph with an
    earlier match is dropped for its best one (the strongest kind, then the highest score,
    then the earliest paragraph) and points at the kept paragraph behind it; the rows of
    ``decisions.parquet``."""
    best = Window.partitionBy("later").orderBy(F.col("kind"), F.col("score").desc(), F.col("earlier"))
    links = (
        pairs.withColumn("rank", F.row_number().over(best))
        .where(F.col("rank") == 1)
        .select(F.col("later").alias("g"), F.col("earlier").alias("parent"), "kind", "score", "evidence")
    )
    roots = _roots(links.select("g", "parent"))
    dropped = _join(links, roots, "g")
    info = marked.select("g", "gdoc", "id", "paragraph")
    of = info.select(
        F.col("g").alias("root"),
        F.col("gdoc").alias("duplicate_of_doc"),
        F.col("id").alias("duplicate_of_doc_id"),
        F.col("paragraph").alias("duplicate_of_paragraph"),
    )
    kinds = F.create_map(*[x for k, name in KIND_NAMES.items() for x in (F.lit(k), F.lit(name))])
    drops = (
        _join(_join(dropped, info, "g"), of, "root")
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
            "evidence",
            F.col("root").alias("cluster_id"),
        )
    )
    boilerplate = marked.where("boilerplate").select(
        F.col("gdoc").alias("doc"),
        F.col("id").alias("doc_id"),
        "paragraph",
        F.lit("drop").alias("decision"),
        F.lit("boilerplate").alias("reason"),
        F.lit(None).cast("long").alias("duplicate_of_doc"),
        F.lit(None).cast("string").alias("duplicate_of_doc_id"),
        F.lit(None).cast("long").alias("duplicate_of_paragraph"),
        F.lit(0.0).alias("score"),
        F.lit(None).cast("string").alias("evidence"),
        F.lit(None).cast("long").alias("cluster_id"),
    )
    kept = (
        roots.select(F.col("root").alias("g"))
        .distinct()
        .hint("merge")
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
    return drops.unionByName(boilerplate).unionByName(kept).orderBy("doc", "paragraph")


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


def _decided_documents(
    docs: DataFrame,
    paragraphs: DataFrame,
    decisions: DataFrame,
    limited: DataFrame,
    near_limited: DataFrame,
    min_docs: int,
) -> DataFrame:
    """The rows of ``documents.parquet``: per document its final id, text hash, paragraphs,
    whether the first is a title, the bytes of its kept paragraphs joined by blank lines,
    its dateline, and the limits that applied (`limited`: of the restated search,
    `near_limited`: of the near search)."""
    dropped = decisions.where(F.col("decision") == "drop").select(F.col("doc").alias("gdoc"), "paragraph")
    kept = _join(paragraphs.select("gdoc", "paragraph", "len"), dropped, ["gdoc", "paragraph"], "left_anti")
    kept_bytes = kept.groupBy("gdoc").agg(
        (F.sum("len") + 2 * (F.count("*") - 1)).alias("clean_bytes")
    )
    titles = paragraphs.where((F.col("paragraph") == 0) & _has(TITLE)).select("gdoc", F.lit(True).alias("title"))
    return (
        _join(_join(_join(_join(_join(docs, kept_bytes, "gdoc", "left"), titles, "gdoc", "left"), _datelines(docs, min_docs), "gdoc", "left"), limited, "gdoc", "left"), near_limited, "gdoc", "left")
        .select(
            F.col("gdoc").alias("doc"),
            F.col("id").alias("doc_id"),
            "text_hash",
            "paragraphs",
            F.coalesce("title", F.lit(False)).alias("title"),
            F.coalesce("clean_bytes", F.lit(0)).cast("long").alias("clean_bytes"),
            "dateline_paragraph",
            "dateline_len",
            F.coalesce("near_limited", F.lit(False)).alias("near_limited"),
            F.coalesce("restated_limited", F.lit(False)).alias("restated_limited"),
        )
    )


def _datelines(docs: DataFrame, min_docs: int) -> DataFrame:
    """The dateline of each document that has one (`gdoc`, `dateline_paragraph`,
    `dateline_len`), learned from the openings of its site's documents together (on one
    executor per site, with the command's own ``datelines``)."""
    dateline = T.StructType([T.StructField("paragraph", T.LongType()), T.StructField("len", T.LongType())])
    found_type = T.ArrayType(T.StructType([T.StructField("gdoc", T.LongType()), T.StructField("dateline", dateline)]))

    def of_site(site, rows):  # type: ignore[no-untyped-def]
        found = _native.datelines([(site, r["opening_paragraph"], r["opening_head"]) for r in rows], min_docs)
        return [(r["gdoc"], d) for r, d in zip(rows, found) if d is not None]

    openings = docs.where(F.col("opening_paragraph").isNotNull()).select(
        "gdoc", "site", "opening_paragraph", "opening_head"
    )
    per_site = openings.groupBy("site").agg(
        F.collect_list(F.struct("gdoc", "opening_paragraph", "opening_head")).alias("rows")
    )
    found = per_site.select(F.explode(F.udf(of_site, found_type)("site", "rows")).alias("f"))
    return found.select(
        F.col("f.gdoc").alias("gdoc"),
        F.col("f.dateline.paragraph").alias("dateline_paragraph"),
        F.col("f.dateline.len").alias("dateline_len"),
    )


#: The columns of the decision tables, as ``dedupsum apply`` reads them.
_DOCUMENT_COLUMNS = [
    "doc", "doc_id", "text_hash", "paragraphs", "title", "clean_bytes", "dateline_paragraph",
    "dateline_len", "near_limited", "restated_limited",
]
_DECISION_COLUMNS = [
    "doc", "doc_id", "paragraph", "decision", "reason", "duplicate_of_doc", "duplicate_of_doc_id",
    "duplicate_of_paragraph", "score", "evidence", "cluster_id",
]


def apply(
    spark: SparkSession,
    inputs: Sequence[str],
    shards: Sequence[str],
    decided: Decided,
    out: str,
    **options: Any,
) -> list[str]:
    """Cleans the corpus slice by slice, each on an executor with ``dedupsum apply``: the
    slices :func:`fingerprint` cut `inputs` into for `shards`, each with the decisions of
    its documents (those of earlier slices its drops point at first, as placeholders, see
    ``Decisions::slice``), into ``out/slices/part-NNNNN`` (the decisions) and
    ``out/cleaned/part-NNNNN`` (what ``dedupsum dedup`` writes for those documents; their
    rows, in slice order, are those of one run over the corpus). `options` are the flags
    of ``dedupsum apply`` (``cut_datelines=True``, ``format="parquet"``,
    ``summarize=True``: the summaries of ``dedupsum run``, their terms weighed by the
    document frequencies over the corpus that the shards counted; by the slice's alone
    when a shard did not count them, fingerprinted with ``--lang auto`` and ``--skip
    restated``).
    Returns the output directories in corpus order."""
    files = [os.fspath(i) for i in inputs]
    shards = [os.path.abspath(os.fspath(s)) for s in shards]
    if options.get("all_pairs"):
        raise ValueError("this job makes no pairs table: every pair (`all_pairs`) needs `dedupsum decide`")
    slices = _slices(files, len(shards))
    counts = [pq.read_metadata(os.path.join(s, "documents.parquet")).num_rows for s in shards]
    starts = [sum(counts[:k]) for k in range(len(shards) + 1)]
    settings = (pq.read_metadata(os.path.join(shards[0], "fingerprints.parquet")).metadata or {})[b"dedupsum.settings"]
    bounds = F.broadcast(
        spark.createDataFrame([(k, starts[k], starts[k + 1]) for k in range(len(shards))], "slice int, lo long, hi long")
    )

    def in_slice(frame: DataFrame, doc: str) -> DataFrame:
        return frame.join(bounds, (F.col(doc) >= F.col("lo")) & (F.col(doc) < F.col("hi"))).drop("lo", "hi")

    documents = decided.documents.select(*_DOCUMENT_COLUMNS)
    drops = in_slice(decided.decisions.where(F.col("decision") == "drop"), "doc").select("slice", *_DECISION_COLUMNS)
    # Per slice, the documents of earlier slices its drops point at.
    pointed = drops.where(F.col("duplicate_of_doc").isNotNull()).select(
        F.col("slice").alias("target"), F.col("duplicate_of_doc").alias("doc")
    ).distinct()
    earlier = in_slice(pointed, "doc").where(F.col("slice") < F.col("target"))
    placeholders = _join(earlier.select(F.col("target").alias("slice"), "doc"), documents, "doc")
    slice_docs = in_slice(documents, "doc").withColumn("earlier", F.lit(False)).unionByName(
        placeholders.withColumn("earlier", F.lit(True))
    )
    per_slice = (
        bounds.select("slice")
        .join(slice_docs.groupBy("slice").agg(F.collect_list(F.struct("earlier", *_DOCUMENT_COLUMNS)).alias("docs")), "slice", "left")
        .join(drops.groupBy("slice").agg(F.collect_list(F.struct(*_DECISION_COLUMNS)).alias("drops")), "slice", "left")
    )
    # For summaries: the document frequencies of their terms over the corpus, each slice
    # those of its own terms, when every shard counted them.
    counts = [os.path.join(s, "frequencies.parquet") for s in shards]
    documents_counted = None
    if options.get("summarize") and all(os.path.exists(c) for c in counts):
        documents_counted = sum(int((pq.read_metadata(c).metadata or {})[b"dedupsum.documents"]) for c in counts)
        terms = _shard_of(spark, spark.read.parquet(*counts), shards, "frequencies.parquet")
        corpus = terms.groupBy("term").agg(F.sum("documents").alias("documents"))
        of_slice = _join(terms.select(F.col("shard").alias("slice"), "term"), corpus, "term")
        per_slice = per_slice.join(
            of_slice.groupBy("slice").agg(F.collect_list(F.struct("term", "documents")).alias("frequencies")),
            "slice",
            "left",
        )
    flags = _apply_flags(options)

    def run(part: Iterator[Any]) -> Iterator[tuple[int, int]]:
        from dedupsum import _native as native

        for row in part:
            k = row["slice"]
            decisions_dir = os.path.join(out, "slices", f"part-{k:05d}")
            _write_slice_decisions(decisions_dir, row["docs"] or [], row["drops"] or [], settings)
            if documents_counted is not None:
                _write_slice_frequencies(decisions_dir, row["frequencies"] or [], documents_counted)
            args = ["apply", *slices[k], "--decisions", decisions_dir, "--out", os.path.join(out, "cleaned", f"part-{k:05d}")]
            yield k, native.run_command([*args, "--quiet", *flags])

    # The executors write the tables with this module's code.
    spark.sparkContext.addPyFile(os.path.abspath(__file__))
    done = per_slice.repartition(len(shards), "slice").rdd.mapPartitions(run).collect()
    if sorted(k for k, _ in done) != list(range(len(shards))):
        raise RuntimeError(f"cleaned {len(done)} of {len(shards)} slices")
    return [os.path.join(out, "cleaned", f"part-{k:05d}") for k in range(len(shards))]


def _apply_flags(options: dict[str, Any]) -> list[str]:
    """The flags of ``dedupsum apply`` for keyword `options` (``True`` a bare flag)."""
    flags = []
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            flags.append(flag)
        elif value not in (False, None):
            flags.extend([flag, str(value)])
    return flags


def _write_slice_frequencies(directory: str, rows: list[Any], documents: int) -> None:
    """Writes the document frequencies of a slice's terms over the corpus's `documents`
    into `directory`, as ``dedupsum apply`` reads them."""
    metadata = {
        b"dedupsum.format_version": FORMAT_VERSION.encode(),
        b"dedupsum.table": b"decided frequencies",
        b"dedupsum.documents": str(documents).encode(),
    }
    schema = pa.schema([("term", pa.int64()), ("documents", pa.int64())], metadata=metadata)
    table = pa.Table.from_pylist([{"term": r["term"], "documents": r["documents"]} for r in rows], schema=schema)
    pq.write_table(table, os.path.join(directory, "frequencies.parquet"))


def _write_slice_decisions(directory: str, docs: list[Any], drops: list[Any], settings: bytes) -> None:
    """Writes the decision tables of one slice into `directory`, as ``dedupsum apply``
    reads them: the `docs` of earlier slices first, then its own, numbered in that order;
    its `drops`, pointers renumbered alike; no pairs."""
    earlier = sorted((d for d in docs if d["earlier"]), key=lambda d: d["doc"])
    own = sorted((d for d in docs if not d["earlier"]), key=lambda d: d["doc"])
    number = {d["doc"]: k for k, d in enumerate(earlier + own)}
    document_rows = []
    for k, d in enumerate(earlier + own):
        row = {c: d[c] for c in _DOCUMENT_COLUMNS}
        row["doc"] = k
        if d["earlier"]:
            # A placeholder: only its id and paragraphs are looked at.
            row.update(dateline_paragraph=None, dateline_len=None, restated_limited=False)
        document_rows.append(row)
    decision_rows = []
    for r in sorted(drops, key=lambda r: (r["doc"], r["paragraph"])):
        row = {c: r[c] for c in _DECISION_COLUMNS}
        row["doc"] = number[r["doc"]]
        if r["duplicate_of_doc"] is not None:
            row["duplicate_of_doc"] = number[r["duplicate_of_doc"]]
        decision_rows.append(row)
    metadata = {
        b"dedupsum.format_version": FORMAT_VERSION.encode(),
        b"dedupsum.settings": settings,
        b"dedupsum.earlier_documents": str(len(earlier)).encode(),
        # No pairs table: `report.json` says `"pairs": null`, `--all-pairs` is refused.
        b"dedupsum.pairs_made": b"false",
    }
    text, long, flag, real = pa.string(), pa.int64(), pa.bool_(), pa.float64()
    schemas = {
        "documents.parquet": ("decided documents", document_rows, [text if c == "doc_id" else flag if c in ("title", "near_limited", "restated_limited") else long for c in _DOCUMENT_COLUMNS], _DOCUMENT_COLUMNS),
        "decisions.parquet": ("decided paragraphs", decision_rows, [real if c == "score" else text if c in ("doc_id", "decision", "reason", "duplicate_of_doc_id", "evidence") else long for c in _DECISION_COLUMNS], _DECISION_COLUMNS),
        "pairs.parquet": ("decided pairs", [], [long, long, long, long, text, real, text], ["earlier_doc", "earlier_paragraph", "later_doc", "later_paragraph", "kind", "score", "evidence"]),
    }
    os.makedirs(directory, exist_ok=True)
    for name, (table_name, table_rows, types, columns) in schemas.items():
        schema = pa.schema(list(zip(columns, types)), metadata={**metadata, b"dedupsum.table": table_name.encode()})
        pq.write_table(pa.Table.from_pylist(table_rows, schema=schema), os.path.join(directory, name))


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="input files, in corpus order")
    parser.add_argument("--shards", required=True, help="directory for the fingerprint shards")
    parser.add_argument(
        "--out",
        required=True,
        help="directory for the decisions (decisions.parquet, documents.parquet) and the cleaned slices (cleaned/part-NNNNN)",
    )
    parser.add_argument("--partitions", type=int, help="slices of the inputs fingerprinted and cleaned apart")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--short-threshold", type=float, default=DEFAULT_SHORT_THRESHOLD)
    parser.add_argument("--restated-threshold", type=float, default=DEFAULT_RESTATED_THRESHOLD)
    parser.add_argument("--boilerplate-min-docs", type=int, default=DEFAULT_BOILERPLATE_MIN_DOCS)
    parser.add_argument("--skip", default="", help="searches not to run: near,boilerplate,restated")
    parser.add_argument("--lang", default="auto")
    parser.add_argument("--cut-datelines", action="store_true", help="as `dedupsum apply --cut-datelines`")
    parser.add_argument("--keep-empty", action="store_true", help="as `dedupsum apply --keep-empty`")
    parser.add_argument("--summarize", action="store_true", help="also write each slice's summaries.csv")
    parser.add_argument("--format", default="csv", choices=["csv", "parquet"], help="of the cleaned slices' tables")
    args = parser.parse_args(argv)
    spark = SparkSession.builder.appName("dedupsum").getOrCreate()
    skip = [search for search in args.skip.split(",") if search]
    shards = fingerprint(spark, args.inputs, args.shards, args.partitions, lang=args.lang, skip=skip)
    decided = decide(
        spark,
        shards,
        args.out,
        args.threshold,
        args.short_threshold,
        args.restated_threshold,
        args.boilerplate_min_docs,
    )
    apply(
        spark,
        args.inputs,
        shards,
        decided,
        args.out,
        lang=args.lang,
        cut_datelines=args.cut_datelines,
        keep_empty=args.keep_empty,
        summarize=args.summarize,
        format=args.format,
    )
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
