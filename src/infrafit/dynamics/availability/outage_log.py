"""A log of a primary's outages (CSV rows ``start,end``, ISO 8601 times) as up and down periods to resample."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

__all__ = ["OutageLog", "OutageLogError", "read_outage_log"]


class OutageLogError(ValueError):
    """A row the log cannot use; ``line`` is 1-based in the file."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, kw_only=True)
class OutageLog:
    """Outage lengths and the up periods between them, in seconds."""

    down: tuple[float, ...]
    up: tuple[float, ...]
    span: float
    """Seconds from the first outage's start to the last one's end."""

    @property
    def uptime(self) -> float:
        return 1 - sum(self.down) / self.span if self.span > 0 else 0.0


def _time(text: str, line: int, column: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise OutageLogError(
            f"{column} {text.strip()!r} is not an ISO 8601 time (e.g. 2026-03-01T14:05:00+09:00)", line
        ) from None
    return value.replace(tzinfo=None) if value.tzinfo is None else value


def read_outage_log(text: str) -> OutageLog:
    """Parse ``start,end`` rows (a header row is allowed, blank lines and ``#`` comments skipped), in time order."""
    rows: list[tuple[int, datetime, datetime]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if len(row) != 2:
            raise OutageLogError(f"expected 2 columns (start,end), found {len(row)}", number)
        if not rows and row[0].strip().lower() == "start":
            continue
        start, end = _time(row[0], number, "start"), _time(row[1], number, "end")
        try:
            if end <= start:
                raise OutageLogError("an outage must end after it starts", number)
            if rows and start < rows[-1][2]:
                raise OutageLogError("outages must be in time order and not overlap the previous row", number)
        except TypeError:
            raise OutageLogError("mix of times with and without a UTC offset", number) from None
        rows.append((number, start, end))
    if len(rows) < 2:
        raise OutageLogError("the log needs at least two outages (the time between them is the uptime)", 1)
    down = tuple((e - s).total_seconds() for _, s, e in rows)
    up = tuple((rows[i + 1][1] - rows[i][2]).total_seconds() for i in range(len(rows) - 1))
    return OutageLog(down=down, up=up, span=(rows[-1][2] - rows[0][1]).total_seconds())
