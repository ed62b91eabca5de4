"""The native module: the `dedupsum` command's pipeline, run in this process."""

from typing import Optional

class DedupsumError(Exception):
    """A run that failed; nothing was written."""

    path: Optional[str]
    """The file the error concerns, when it concerns one."""
    line: Optional[int]
    """The 1-based line (JSONL, CSV) or row (Parquet) of the record, when known."""
    record_id: Optional[str]
    """The id of the record, when it could be read."""

def run_command(args: list[str]) -> int:
    """Runs `dedupsum ARGS...` with the GIL released; returns the records skipped."""

def short_groups(site: Optional[str], text: str, threshold: float) -> list[tuple[int, bool]]:
    """The groups (key, at home) a short paragraph's normalised text is compared in."""

def short_similarity(a: str, b: str, threshold: float) -> Optional[float]:
    """The similarity of two short normalised texts when it reaches `threshold`."""

def story_sketch(keys: list[int], lens: list[int], flags: list[int]) -> list[int]:
    """The four story-sketch tokens of a document (its keys, lengths and flag bits)."""

def anchor_tokens(key: int, shingles: list[int]) -> list[int]:
    """The tokens of an anchor paragraph: its key and bands of min-hashes."""

def count_stories(
    occurrences: list[tuple[int, list[int], Optional[list[int]], Optional[list[int]]]],
) -> int:
    """The stories among a text's occurrences (document, sketch, anchor before, after)."""

def copied(said: list[Optional[list[list[int]]]], present: list[bool]) -> list[tuple[int, int]]:
    """(source, paragraph) of one document's paragraphs that repeat sentences said before."""

def restated(
    terms: list[list[int]],
    flags: list[int],
    present: list[bool],
    said: list[bool],
    doc_freq: list[tuple[int, int]],
    n_docs: int,
    threshold: float,
) -> list[tuple[int, int, float, str]]:
    """One round of the restated search on one document: (earlier, later, score, evidence)."""

def datelines(
    openings: list[Optional[tuple[Optional[str], int, str]]], min_docs: int
) -> list[Optional[tuple[int, int]]]:
    """The (paragraph, length) dateline of each article (site, paragraph, head), or None."""

def restated_limited(flags: list[int], present: list[bool]) -> bool:
    """Whether the restated search of one document is limited for its size."""

RANK_CAP: int

def rank_cells(shingles: list[int], total: int) -> list[int]:
    """The rank-sketch cells of a shingle set's tokens, in a corpus of `total` tokens."""

def star(sets: list[list[int]], threshold: float) -> Optional[list[tuple[int, int, float]]]:
    """A large group's pairs with its leaders (a, b, score), or None if not mostly copies."""
