"""Clean scraped article corpora and summarise them in batch, from Python.

The functions run the pipeline of the ``dedupsum`` command in this process (the GIL is
released while it works): the same decisions, summaries and bytes. Keyword options are
the command's flags in snake case (``threshold=0.8`` is ``--threshold 0.8``, ``skip=["near"]``
is ``--skip near``, ``all_pairs=True`` is ``--all-pairs``); see ``dedupsum run --help``.

Inputs are paths (files or directories, as the command reads them) or records in memory:
an iterable of dicts, a pandas DataFrame or a pyarrow Table, one article per record, with
the fields named by ``id_field``, ``text_field`` and ``title_field`` (``id``, ``text`` and
no title by default). Every other field comes back unchanged in the cleaned records.

Records in memory are read from a temporary Parquet file; in the tables returned and in
errors their ``source`` is ``<records>`` and their ``line`` the 1-based row.

The tables come back as pyarrow Tables. With ``out``, the outputs are also kept there
(Parquet tables and ``clean.parquet``, ``report.json``), as ``dedupsum run --out`` writes
them; without it they are written to a temporary directory and read back.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ._native import DedupsumError, run_command

__all__ = [
    "Decided",
    "DedupsumError",
    "Result",
    "apply",
    "decide",
    "dedup",
    "fingerprint",
    "run",
    "summarize",
]

PathLike = Union[str, "os.PathLike[str]"]
Inputs = Union[PathLike, Sequence[PathLike], Iterable[Mapping[str, Any]], pa.Table, Any]


@dataclass
class Result:
    """The outputs of a cleaning run, one pyarrow Table each (see README, "Outputs")."""

    summaries: Optional[pa.Table]
    """One row per article: its summary (``None`` for :func:`dedup`, and for :func:`apply`
    without ``summarize=True``)."""
    paragraphs: Optional[pa.Table]
    """One row per input paragraph: kept or dropped, why, and the paragraph it repeats
    (``None`` with ``pairs_only=True``)."""
    documents: Optional[pa.Table]
    """One row per input record: paragraphs and bytes in and out, and the outcome
    (``None`` with ``pairs_only=True``)."""
    duplicates: pa.Table
    """The dropped paragraphs with the kept paragraph each repeats (every pair with
    ``all_pairs=True``)."""
    errors: pa.Table
    """Input records that could not be read and were skipped."""
    clean: Optional[pa.Table]
    """The cleaned records: every input field, the text replaced by its cleaned form
    (``None`` with ``pairs_only=True``)."""
    report: dict[str, Any]
    """``report.json``: counts, settings and timings."""
    skipped: int
    """How many input records were skipped (the rows of ``errors``)."""


def run(inputs: Inputs, *, out: Optional[PathLike] = None, **options: Any) -> Result:
    """Cleans the articles and summarises what is left: ``dedupsum run``."""
    return _clean("run", inputs, out, options)


def dedup(inputs: Inputs, *, out: Optional[PathLike] = None, **options: Any) -> Result:
    """Cleans the articles without summarising them: ``dedupsum dedup``."""
    return _clean("dedup", inputs, out, options)


def summarize(inputs: Inputs, *, out: Optional[PathLike] = None, **options: Any) -> pa.Table:
    """Summarises the articles as they are, without cleaning: ``dedupsum summarize``.
    With ``out`` (a file), the summaries are also written there as Parquet."""
    with tempfile.TemporaryDirectory(prefix="dedupsum-") as tmp:
        paths, records = _input_paths(inputs, Path(tmp))
        file = Path(out) if out is not None else Path(tmp) / "summaries.parquet"
        _run("summarize", paths, records, file, options)
        return pq.read_table(file)


@dataclass
class Decided:
    """What :func:`decide` wrote (see README, "Past one machine"), one pyarrow Table each."""

    decisions: pa.Table
    """One row per dropped paragraph and per kept paragraph a dropped one repeats, each
    with its ``cluster_id``."""
    pairs: pa.Table
    """Every verified pair."""
    documents: pa.Table
    """One row per document: its final id, paragraphs, bytes kept, dateline, limits."""


def fingerprint(inputs: Inputs, out: PathLike, **options: Any) -> int:
    """Fingerprints a part of a corpus into the shard directory ``out``:
    ``dedupsum fingerprint``. Returns how many input records were skipped."""
    with tempfile.TemporaryDirectory(prefix="dedupsum-") as tmp:
        paths, records = _input_paths(inputs, Path(tmp))
        return _run("fingerprint", paths, records, Path(out), options, tables=False)


def decide(shards: Union[PathLike, Sequence[PathLike]], out: PathLike, **options: Any) -> Decided:
    """Decides every paragraph from fingerprint shards (in corpus order) into ``out``:
    ``dedupsum decide``; the thresholds are options (``threshold=0.8``)."""
    paths = [_text(shards)] if isinstance(shards, (str, os.PathLike)) else [_text(s) for s in shards]
    _run("decide", paths, None, Path(out), options, tables=False)
    return Decided(
        decisions=pq.read_table(Path(out) / "decisions.parquet"),
        pairs=pq.read_table(Path(out) / "pairs.parquet"),
        documents=pq.read_table(Path(out) / "documents.parquet"),
    )


def apply(inputs: Inputs, decisions: PathLike, *, out: Optional[PathLike] = None, **options: Any) -> Result:
    """Cleans the inputs with the decisions :func:`decide` made from their fingerprints:
    ``dedupsum apply``, the result of :func:`dedup` over the same inputs (of :func:`run`
    with ``summarize=True``). The decisions may be those of one slice of a corpus, as the
    distributed job makes them (see README, "At scale")."""
    return _clean("apply", inputs, out, {**options, "decisions": decisions})


def _clean(command: str, inputs: Inputs, out: Optional[PathLike], options: dict[str, Any]) -> Result:
    with tempfile.TemporaryDirectory(prefix="dedupsum-") as tmp:
        paths, records = _input_paths(inputs, Path(tmp))
        directory = Path(out) if out is not None else Path(tmp) / "out"
        skipped = _run(command, paths, records, directory, options)

        def table(name: str) -> pa.Table:
            read = pq.read_table(directory / f"{name}.parquet")
            # Only the audit tables name inputs; the cleaned records' fields are the user's.
            return _name_records(read, records) if name in ("documents", "errors") else read

        # With `pairs_only`, the inputs are read once: no paragraphs, documents or records.
        second_pass = not options.get("pairs_only")

        def written(name: str) -> Optional[pa.Table]:
            return table(name) if second_pass else None

        return Result(
            summaries=table("summaries") if command == "run" or options.get("summarize") else None,
            paragraphs=written("paragraphs"),
            documents=written("documents"),
            duplicates=table("duplicates"),
            errors=table("errors"),
            clean=written("clean"),
            report=json.loads((directory / "report.json").read_text(encoding="utf-8")),
            skipped=skipped,
        )


def _name_records(table: pa.Table, records: Optional[str]) -> pa.Table:
    """`table` with `records`, the temporary file of records in memory, named `<records>`."""
    if records is None:
        return table
    at = table.column_names.index("source")
    source = table.column("source")
    renamed = pc.if_else(pc.equal(source, records), "<records>", source)
    return table.set_column(at, "source", renamed)


def _run(
    command: str,
    paths: list[str],
    records: Optional[str],
    out: Path,
    options: dict[str, Any],
    tables: bool = True,
) -> int:
    """Runs `command`; `tables` when it writes the output tables (as Parquet)."""
    options = dict(options)
    if "format" in options:
        raise ValueError("the Python functions write Parquet; `format` cannot be set")
    quiet = options.pop("quiet", True)
    args = [command, *paths, "--out", os.fspath(out)]
    if tables:
        args.extend(["--format", "parquet"])
    if quiet:
        args.append("--quiet")
    args.extend(_flags(options))
    try:
        return run_command(args)
    except DedupsumError as error:
        if records is not None and error.path == records:
            error.path = "<records>"
        raise


def _flags(options: Mapping[str, Any]) -> list[str]:
    """Keyword options as the command's flags: ``True`` a bare flag, ``False`` and ``None``
    none, a list or tuple the flag once per item, anything else the flag and its value."""
    flags: list[str] = []
    for name, value in options.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            flags.append(flag)
        elif value is False or value is None:
            continue
        elif isinstance(value, (list, tuple)):
            for item in value:
                flags.extend([flag, _text(item)])
        else:
            flags.extend([flag, _text(value)])
    return flags


def _text(value: Any) -> str:
    return os.fspath(value) if isinstance(value, os.PathLike) else str(value)


def _input_paths(inputs: Inputs, tmp: Path) -> tuple[list[str], Optional[str]]:
    """The paths to read: those given, or one Parquet file in `tmp` holding the records
    (also returned apart)."""
    if isinstance(inputs, (str, os.PathLike)):
        return [_text(inputs)], None
    if isinstance(inputs, Sequence) and inputs and all(
        isinstance(i, (str, os.PathLike)) for i in inputs
    ):
        return [_text(i) for i in inputs], None
    table = _records_table(inputs)
    if table.num_rows == 0:
        raise ValueError("no records given")
    path = os.fspath(tmp / "records.parquet")
    pq.write_table(table, path)
    return [path], path


def _records_table(records: Any) -> pa.Table:
    if isinstance(records, pa.Table):
        return records
    if isinstance(records, pa.RecordBatch):
        return pa.Table.from_batches([records])
    # A pandas DataFrame, without importing pandas when it is not used.
    if type(records).__module__.startswith("pandas") and hasattr(records, "to_dict"):
        return pa.Table.from_pandas(records, preserve_index=False)
    if isinstance(records, (str, bytes, Mapping)):
        raise TypeError("inputs must be paths, records (dicts), a DataFrame or a Table")
    rows = list(records)
    if not all(isinstance(r, Mapping) for r in rows):
        raise TypeError("inputs must be paths, records (dicts), a DataFrame or a Table")
    return pa.Table.from_pylist(rows)
