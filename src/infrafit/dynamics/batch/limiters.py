"""Rate limits as fixed windows aligned to the clock.

Providers count calls in calendar windows (this second, this minute, this hour, this quota day), not in
sliding ones, and the quota day of an API such as the YouTube Data API resets at midnight Pacific time.
A :class:`Limiter` states the budgets; :meth:`Gate.compile` turns every budget into a :class:`Window` that
counts whole attempts (``floor(budget / cost)``), so both engines decide with integers, never with
floating-point remainders. Times are seconds since the job's start ("simulated time").
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from infrafit.dynamics.errors import HorizonExceeded, InfeasibleJob
from infrafit.dynamics.limits import MIN_COST

# Tolerance for "are we past the boundary?": a wake-up computed as ``t + (b - t)`` may land one ulp short
# of ``b``; one microsecond is far below any duration that matters and far above float error at a year.
EPS = 1e-6

PERIODS: dict[str, float] = {"per_second": 1.0, "per_minute": 60.0, "per_hour": 3600.0, "per_day": 86400.0}
_PERIOD_WORD = {"per_second": "second", "per_minute": "minute", "per_hour": "hour", "per_day": "day"}
_RESET = re.compile(r"^(?:(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?)?\s*(?P<tz>[A-Za-z][\w/+\-]*)?$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _num(x: float) -> str:
    """1,000,000 rather than 1e+06: budgets are read by people."""
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.6g}"


def parse_reset(spec: str | None) -> tuple[time, ZoneInfo]:
    """Read ``"HH:MM[:SS] Area/City"`` (or just the zone, meaning midnight; ``None`` meaning UTC midnight)."""
    if spec is None:
        return time(0, 0), ZoneInfo("UTC")
    m = _RESET.match(spec.strip())
    if not m or (m.group("h") is None and m.group("tz") is None):
        raise ValueError(f"daily_reset {spec!r}: write it as 'HH:MM Area/City', e.g. '00:00 America/Los_Angeles'")
    hh, mm, ss = int(m.group("h") or 0), int(m.group("m") or 0), int(m.group("s") or 0)
    if hh > 23 or mm > 59 or ss > 59:
        raise ValueError(f"daily_reset {spec!r}: {hh:02d}:{mm:02d}:{ss:02d} is not a time of day")
    name = m.group("tz") or "UTC"
    try:
        tz = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"daily_reset {spec!r}: unknown IANA time zone {name!r}") from exc
    return time(hh, mm, ss), tz


@dataclass(frozen=True)
class Limiter:
    """One rate-limited API: its budgets per window and what one attempt consumes from each.

    A limiter with no budget set never blocks, but its consumption is still reported (useful for billing).
    """

    name: str
    cost_per_item: float = 1.0
    per_second: float | None = None
    per_minute: float | None = None
    per_hour: float | None = None
    per_day: float | None = None
    daily_reset: str | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a Limiter needs a name (e.g. 'llm', 'youtube')")
        if not math.isfinite(self.cost_per_item):
            raise ValueError(f"limiter {self.name!r}: cost_per_item must be a finite number, got {self.cost_per_item}")
        if self.cost_per_item < 0:
            raise ValueError(f"limiter {self.name!r}: cost_per_item must be >= 0, got {self.cost_per_item}")
        if 0 < self.cost_per_item < MIN_COST:
            raise ValueError(f"limiter {self.name!r}: cost_per_item must be 0 or at least {MIN_COST:g}")
        for period, budget in self.budgets():
            if not math.isfinite(budget) or budget < 0:
                raise ValueError(f"limiter {self.name!r}: {period} must be a finite number >= 0, got {budget}")
        parse_reset(self.daily_reset)  # fail at construction, not mid-simulation

    def budgets(self) -> list[tuple[str, float]]:
        """The (period, budget) pairs that are set, shortest window first."""
        out = [(p, getattr(self, p)) for p in PERIODS]
        return [(p, float(b)) for p, b in out if b is not None]


@dataclass(frozen=True)
class Window:
    """One (limiter, period) budget compiled to whole attempts per clock-aligned window."""

    key: str  # "rate:<limiter>:<period>", the bottleneck name
    limiter: str
    period: str
    budget: float
    cost: float
    capacity: int  # attempts that fit in one window
    length: float  # nominal seconds (86,400 for a day, which DST may stretch or shrink)
    phase: float = 0.0  # fixed windows: seconds between the last boundary before the start and the start
    bounds: tuple[float, ...] = ()  # day windows: boundaries (> 0) in simulated seconds
    reset: str | None = None

    def end_after(self, t: float) -> float:
        """End of the window containing ``t`` (the next boundary strictly after it)."""
        if self.bounds:
            i = bisect_right(self.bounds, t + EPS)
            if i == len(self.bounds):
                raise HorizonExceeded(f"{self.key}: simulated time {t / 86400:.1f} days is past the horizon")
            return self.bounds[i]
        n = math.floor((t + self.phase + EPS) / self.length)
        return (n + 1) * self.length - self.phase

    def boundary(self, j: int) -> float:
        """The ``j``-th boundary after the start (``j >= 1``); beyond the horizon, extrapolated by whole days."""
        if self.bounds:
            if j <= len(self.bounds):
                return self.bounds[j - 1]
            return self.bounds[-1] + (j - len(self.bounds)) * self.length
        return self.end_after(0.0) + (j - 1) * self.length

    def describe(self) -> str:
        unit = _PERIOD_WORD[self.period]
        text = f"{self.limiter} {_num(self.budget)} per {unit} at {_num(self.cost)} per attempt"
        text += f" = {self.capacity:,} attempt{'s' if self.capacity != 1 else ''} per window"
        if self.period == "per_day":
            text += f", resetting {self.reset or '00:00 UTC'}"
        return text


def day_boundaries(start: datetime, reset: str | None, span_s: float) -> tuple[float, ...]:
    """Quota-day boundaries after ``start`` up to ``span_s`` (plus one), DST-aware, in simulated seconds."""
    at, tz = parse_reset(reset)
    start_utc = start.astimezone(UTC)
    day: date = start_utc.astimezone(tz).date() - timedelta(days=1)
    out: list[float] = []
    while True:
        # Subtract in UTC: two datetimes sharing one tzinfo object would otherwise be subtracted naively.
        local = datetime.combine(day, at, tzinfo=tz)
        s = (local.astimezone(UTC) - start_utc).total_seconds()
        if s > 0 and (not out or s > out[-1]):
            out.append(s)
        if s > span_s:
            return tuple(out)
        day += timedelta(days=1)


def _phase(start: datetime, length: float) -> float:
    """Seconds from the last clock boundary of a ``length``-second window to ``start``, exactly."""
    us = (start.astimezone(UTC) - _EPOCH) // timedelta(microseconds=1)
    return (us % int(length * 1_000_000)) / 1e6


@dataclass
class Gate:
    """All windows of all limiters; an attempt starts only when every one has room."""

    windows: tuple[Window, ...]
    limiters: tuple[Limiter, ...] = ()

    @classmethod
    def compile(cls, limiters: Sequence[Limiter], start: datetime, horizon_s: float) -> Gate:
        """Compile budgets to windows, refusing any budget that cannot fit a single attempt."""
        seen: set[str] = set()
        windows: list[Window] = []
        for lim in limiters:
            if lim.name in seen:
                raise ValueError(f"two limiters are named {lim.name!r}; names key the results, make them unique")
            seen.add(lim.name)
            if lim.cost_per_item == 0:
                continue  # consumes nothing, so it can never block
            for period, budget in lim.budgets():
                cap = math.floor(budget / lim.cost_per_item + 1e-9)
                key = f"rate:{lim.name}:{period}"
                if cap < 1:
                    raise InfeasibleJob(
                        f"limiter {lim.name!r} allows {_num(budget)} per {_PERIOD_WORD[period]} but one attempt "
                        f"costs {_num(lim.cost_per_item)}: no item can ever start ({key})"
                    )
                length = PERIODS[period]
                day = period == "per_day"
                w = Window(
                    key=key,
                    limiter=lim.name,
                    period=period,
                    budget=budget,
                    cost=lim.cost_per_item,
                    capacity=cap,
                    length=length,
                    phase=0.0 if day else _phase(start, length),
                    bounds=day_boundaries(start, lim.daily_reset, horizon_s + 2 * 86400.0) if day else (),
                    reset=lim.daily_reset,
                )
                windows.append(w)
        return cls(tuple(windows), tuple(limiters))

    def state(self) -> GateState:
        return GateState(self.windows)


@dataclass
class GateState:
    """Per-window counters for one replication (the readable version; the fast engine inlines it)."""

    windows: tuple[Window, ...]
    ends: list[float] = field(default_factory=list)
    used: list[int] = field(default_factory=list)
    _end_after: list[Callable[[float], float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ends = [-math.inf] * len(self.windows)
        self.used = [0] * len(self.windows)
        self._end_after = [w.end_after for w in self.windows]

    def check(self, t: float) -> tuple[int, float] | None:
        """``None`` if an attempt may start at ``t``; else (window index, boundary) of the full window that
        frees up last, so one wait clears every full window. Ties go to the first window listed."""
        deny, deny_end = -1, -math.inf
        te = t + EPS
        for i, w in enumerate(self.windows):
            if te >= self.ends[i]:
                self.ends[i] = self._end_after[i](t)
                self.used[i] = 0
            if self.used[i] >= w.capacity and self.ends[i] > deny_end:
                deny, deny_end = i, self.ends[i]
        return None if deny < 0 else (deny, deny_end)

    def take(self) -> None:
        """Charge one attempt to every window (call right after a ``check`` that returned ``None``)."""
        for i in range(len(self.used)):
            self.used[i] += 1
