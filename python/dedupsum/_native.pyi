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
