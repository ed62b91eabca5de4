"""Measures the Spark job stage by stage: wall time, and bytes shuffled (written) and
paragraphs or pairs out, from Spark's own metrics (its monitoring REST API).

Usage: python3 distributed/measure.py [--master local[2]] [--slices N] WORK_DIR INPUT...

The inputs (JSON Lines files, in corpus order) are fingerprinted into WORK_DIR/shards;
each stage of the decisions is then run on its own, its input checkpointed, so that its time
and shuffle are its alone; then the whole decide call, and the slices cleaned with its
decisions into WORK_DIR/out. Prints one JSON object per stage and writes them to
WORK_DIR/stages.json. See README, "At scale".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dedupsum_spark as job  # noqa: E402
from pyspark.sql import DataFrame, SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402


def shuffled(spark: SparkSession, group: str) -> int:
    """Bytes of shuffle written by the jobs of `group`."""
    ui = spark.sparkContext.uiWebUrl
    app = spark.sparkContext.applicationId
    base = f"{ui}/api/v1/applications/{app}"
    jobs = json.load(urllib.request.urlopen(f"{base}/jobs"))
    stage_ids = {s for j in jobs if j.get("jobGroup") == group for s in j["stageIds"]}
    stages = json.load(urllib.request.urlopen(f"{base}/stages"))
    return sum(s.get("shuffleWriteBytes", 0) for s in stages if s["stageId"] in stage_ids)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("work")
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--slices", type=int, default=4)
    args = parser.parse_args()
    spark = (
        SparkSession.builder.master(args.master)
        .appName("dedupsum-measure")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    work = Path(args.work)
    results: list[dict[str, Any]] = []

    def record(name: str, seconds: float, rows: int) -> None:
        time.sleep(1)  # the listener catches up with the last stage's metrics
        result = {"stage": name, "seconds": round(seconds, 2), "shuffle_bytes": shuffled(spark, name), "rows": rows}
        print(json.dumps(result), flush=True)
        results.append(result)

    def stage(name: str, frame: Callable[[], DataFrame]) -> DataFrame:
        """Runs the stage that makes `frame` (its inputs made before) and keeps it,
        checkpointed: the next stages plan from its rows, not from its plan (plans of
        cached plans grow until their description fills the driver's memory)."""
        spark.sparkContext.setJobGroup(name, name)
        clock = time.perf_counter()
        made = frame().localCheckpoint()
        rows = made.count()
        record(name, time.perf_counter() - clock, rows)
        return made

    name = "fingerprint (per slice, dedupsum.fingerprint)"
    spark.sparkContext.setJobGroup(name, name)
    clock = time.perf_counter()
    shards = job.fingerprint(spark, args.inputs, os.fspath(work / "shards"), args.slices)
    record(name, time.perf_counter() - clock, len(shards))
    shards = [os.path.abspath(s) for s in shards]
    job._check_settings(shards)
    docs = stage("documents: global numbers", lambda: job._documents(spark, shards))
    paragraphs = stage("paragraphs: read and numbered", lambda: job._paragraphs(spark, shards, docs))
    min_docs = job.DEFAULT_BOILERPLATE_MIN_DOCS
    boilerplate = stage("boilerplate: sketches, stories, templates", lambda: job._boilerplate(paragraphs, docs, min_docs))
    marked = paragraphs.join(boilerplate, "g")
    eligible = marked.where(((F.col("flags") % 2) == 0) & ~F.col("boilerplate"))
    exact = stage("exact: groups by key", lambda: job._exact(eligible)[0])
    representatives = stage("exact: first copies", lambda: job._exact(eligible)[1])
    stage(
        "near: candidate pairs (prefix tokens)",
        lambda: job._near_candidates(representatives, job.DEFAULT_THRESHOLD)[1],
    )
    near = stage("near: candidates and verification", lambda: job._near(representatives, job.DEFAULT_THRESHOLD)[0])
    short = stage("short: groups and similarity", lambda: job._short(representatives, docs, job.DEFAULT_SHORT_THRESHOLD))
    # Checkpointed as `decide` does: the restated rounds plan on a shallow plan.
    pairs = exact.unionByName(near).unionByName(short).withColumn("evidence", F.lit(None).cast("string"))
    pairs = pairs.localCheckpoint()
    n_docs = docs.count()
    threshold = job.DEFAULT_RESTATED_THRESHOLD
    restated = stage(
        "restated: copied sentences, rounds", lambda: job._restated(spark, marked, pairs, n_docs, threshold)[0]
    )
    stage("decide: best match, pointer jumping", lambda: job._decide(pairs.unionByName(restated), marked))
    spark.catalog.clearCache()
    name = "whole decide call (nothing cached)"
    spark.sparkContext.setJobGroup(name, name)
    clock = time.perf_counter()
    decided = job.decide(spark, shards)
    rows = decided.decisions.count() + decided.documents.count()
    record(name, time.perf_counter() - clock, rows)
    name = "apply per slice (dedupsum apply --summarize)"
    spark.sparkContext.setJobGroup(name, name)
    clock = time.perf_counter()
    parts = job.apply(spark, args.inputs, shards, decided, os.fspath(work / "out"), summarize=True)
    record(name, time.perf_counter() - clock, len(parts))
    (work / "stages.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
