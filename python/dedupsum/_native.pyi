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
