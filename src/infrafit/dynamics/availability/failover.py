"""Months of a primary with a heartbeat-started standby, simulated in bulk with NumPy.

The model (an alternating renewal process with detection delay):

- the primary is up for U, then down for D, again and again (exponential by default, or resampled from a log);
- while up it writes a heartbeat every H (timestamped when sent, visible ``write_delay`` J later); a monitor reads
  it every C and declares the primary dead when the heartbeat is older than the timeout T. With unsynchronised
  phases an outage is detected after δ = max(T − A, 0) + V, A ~ U(0, H), V ~ U(0, C); an outage shorter than δ
  never fails over;
- on detection the standby starts (billed from then; it answers ``standby_start`` later); when the primary comes
  back it writes a heartbeat at once, visible J later and seen by the next check (U(0, C) later): the standby stops;
- when T < H + J every heartbeat's age passes T for H + J − T before the next one is visible: a check landing in
  that window (probability min(1, (H + J − T)/C) per heartbeat) starts the standby although the primary is up, and
  the first check after the write stops it again (a false failover);
- each start is billed at least ``min_billed`` (Compute Engine: per second with a 1-minute minimum).

Months start in the stationary state (each is run from ``warmup`` before its start), so the mean over months equals
the renewal-reward closed form; months are independent given the seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

__all__ = ["Durations", "Failover", "MonthStats", "detection_mean", "false_failover_probability", "simulate_months"]

Array = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class Durations:
    """How long a period lasts (seconds): exponential with ``mean``, or resampled from observed ``values``."""

    kind: Literal["exponential", "empirical"]
    mean: float
    values: tuple[float, ...] = ()

    @classmethod
    def exponential(cls, mean: float) -> Durations:
        return cls(kind="exponential", mean=mean)

    @classmethod
    def empirical(cls, values: tuple[float, ...]) -> Durations:
        return cls(kind="empirical", mean=float(np.mean(values)), values=values)

    def sample(self, rng: np.random.Generator, shape: tuple[int, int]) -> Array:
        if self.kind == "exponential":
            return rng.exponential(self.mean, shape)
        return rng.choice(np.asarray(self.values, dtype=float), size=shape)

    @property
    def cv(self) -> float:
        """Coefficient of variation, to size the batch of cycles drawn at once."""
        if self.kind == "exponential" or len(self.values) < 2:
            return 1.0
        return float(np.std(self.values) / max(self.mean, 1e-9))


@dataclass(frozen=True, kw_only=True)
class Failover:
    """One primary/standby pair and its heartbeat scheme (all times in seconds)."""

    up: Durations
    down: Durations
    every: float
    timeout: float
    checked_every: float
    write_delay: float = 10.0
    standby_start: float = 60.0
    min_billed: float = 60.0
    month: float = 730 * 3600.0


@dataclass(frozen=True, kw_only=True)
class MonthStats:
    """Per simulated month (arrays of length ``months``), and the detection delays of every outage (pooled)."""

    standby_hours: Array
    """Billed standby hours: true and false failovers, each start at least ``min_billed``."""
    false_hours: Array
    unserved_minutes: Array
    failovers: Array
    false_failovers: Array
    outages: Array
    up_hours: Array
    detection_minutes: Array = field(repr=False)
    """δ of every outage that started in a simulated month (whether or not it outlasted δ)."""

    @property
    def months(self) -> int:
        return int(self.standby_hours.size)


def detection_mean(every: float, timeout: float, checked_every: float) -> float:
    """E[δ] = T − H/2 + C/2 (for T ≥ H): the closed form the simulator is tested against."""
    return timeout - every / 2 + checked_every / 2


def false_failover_probability(every: float, timeout: float, checked_every: float, write_delay: float) -> float:
    """Chance that one heartbeat cycle starts the standby although the primary is up: min(1, max(0, H + J − T)/C)."""
    window = max(0.0, every + write_delay - timeout)
    return min(1.0, window / checked_every)


def simulate_months(model: Failover, months: int, seed: int = 0) -> MonthStats:
    """Simulate ``months`` independent months; the work is O(months × outages per month), all in array operations."""
    rng = np.random.default_rng(seed)
    cycle = model.up.mean + model.down.mean
    warmup = max(3 * cycle, model.timeout + model.checked_every + model.every)
    horizon = warmup + model.month
    up, down = _cycles(model, rng, months, horizon, cycle)
    k = up.shape[1]
    starts = np.cumsum(up + down, axis=1) - (up + down) - warmup  # cycle starts, relative to the month's start
    s = starts + up  # outage starts
    e = s + down  # outage ends
    m = model.month
    # Detection delay of each outage, and whether it outlasts it.
    a = rng.uniform(0.0, model.every, (months, k))
    v = rng.uniform(0.0, model.checked_every, (months, k))
    delta = np.maximum(model.timeout - a, 0.0) + v
    fails = down > delta
    run_start = s + delta
    run_end = e + model.write_delay + rng.uniform(0.0, model.checked_every, (months, k))
    next_start = np.full_like(run_start, np.inf)
    next_start[:, :-1] = np.where(fails[:, 1:], run_start[:, 1:], np.inf)
    run_end = np.minimum(run_end, next_start)  # a new outage before failback: the standby just keeps running
    ran = _overlap(run_start, run_end, 0.0, m)
    started_in = fails & (run_start >= 0) & (run_start < m)
    billed = np.where(fails, np.where(started_in, np.maximum(ran, model.min_billed), ran), 0.0)
    unserved = _overlap(s, s + np.minimum(down, delta + model.standby_start), 0.0, m)
    in_month = (s >= 0) & (s < m)
    up_in = _overlap(starts, s, 0.0, m)
    false_n, false_s = _false_failovers(model, rng, up_in)
    return MonthStats(
        standby_hours=(billed.sum(axis=1) + false_s.sum(axis=1)) / 3600,
        false_hours=false_s.sum(axis=1) / 3600,
        unserved_minutes=unserved.sum(axis=1) / 60,
        failovers=started_in.sum(axis=1).astype(float),
        false_failovers=false_n.sum(axis=1).astype(float),
        outages=in_month.sum(axis=1).astype(float),
        up_hours=up_in.sum(axis=1) / 3600,
        detection_minutes=delta[in_month] / 60,
    )


def _cycles(
    model: Failover, rng: np.random.Generator, months: int, horizon: float, cycle: float
) -> tuple[Array, Array]:
    """Up and down periods, enough columns that every month's cycles pass the horizon (drawn again if not)."""
    expected = horizon / cycle
    spread = max(model.up.cv, model.down.cv, 1.0)
    k = math.ceil(expected + 6 * spread * math.sqrt(expected) + 4)
    up = model.up.sample(rng, (months, k))
    down = model.down.sample(rng, (months, k))
    while True:
        short = (up + down).sum(axis=1) < horizon
        if not short.any():
            return up, down
        extra = max(4, k // 4)
        up = np.hstack([up, model.up.sample(rng, (months, extra))])
        down = np.hstack([down, model.down.sample(rng, (months, extra))])
        k += extra


def _overlap(lo: Array, hi: Array, a: float, b: float) -> Array:
    """Length of [lo, hi] ∩ [a, b], elementwise."""
    out: Array = np.clip(np.minimum(hi, b) - np.maximum(lo, a), 0.0, None)
    return out


def _false_failovers(model: Failover, rng: np.random.Generator, up_in: Array) -> tuple[Array, Array]:
    """Count and billed seconds of false failovers in each up period (within the month).

    Heartbeats in an up period of length L: floor(L/H + U(0,1)) (mean L/H exactly, for a random phase). Each
    starts the standby with probability p. The standby runs from the check in the stale window (length
    w = H + J − T) to the first check after the write lands: C when w ≤ C; else C·k with probability q − k + 1 and
    C·(k − 1) otherwise (q = w/C, k = ⌈q⌉).
    """
    window = min(max(0.0, model.every + model.write_delay - model.timeout), model.every)
    p = false_failover_probability(model.every, model.timeout, model.checked_every, model.write_delay)
    if p == 0.0:
        zeros = np.zeros_like(up_in)
        return zeros, zeros
    beats = np.floor(up_in / model.every + rng.uniform(0.0, 1.0, up_in.shape)).astype(np.int64)
    n = rng.binomial(beats, p)
    c = model.checked_every
    if window <= c:
        return n.astype(float), (n * max(c, model.min_billed)).astype(float)
    q = window / c
    kk = math.ceil(q)
    longer = rng.binomial(n, q - kk + 1)
    seconds = longer * max(kk * c, model.min_billed) + (n - longer) * max((kk - 1) * c, model.min_billed)
    return n.astype(float), seconds.astype(float)
