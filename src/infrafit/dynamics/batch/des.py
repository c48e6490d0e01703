"""The reference model, written with SimPy so the rules read as a story.

* Items wait in one FIFO queue (a ``Store``): all of them at t=0, or arriving as a Poisson stream.
* A single dispatcher takes the head of the queue, waits for a free worker (a ``Resource`` of
  ``concurrency`` slots), then waits until every rate window has room, charges each limiter and starts it.
  Because only the head may start, a blocked head holds everyone behind it: FIFO, no overtaking.
* An attempt keeps its worker for its pre-drawn duration; at its end it fails with the pre-drawn coin.
  A failed attempt with retries left rejoins the back of the queue after ``backoff_s`` and pays the
  limiters again when it restarts; otherwise the item is given up.
* The wait of the queue head is booked to what it waited for: a worker (``concurrency``), a rate window
  (``rate:<limiter>:<period>``, the one that frees up last), or, while the queue is empty, to whatever
  refilled it (``arrivals`` or ``backoff``).

:mod:`infrafit.dynamics.batch.fast` implements exactly these rules without SimPy; tests hold the two together.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np

from infrafit.dynamics.batch.core import Draws, RunStats, Scenario
from infrafit.dynamics.errors import HorizonExceeded

Proc = Generator[Any, Any, None]


class _Model:
    """One replication's SimPy processes and the counters they share."""

    def __init__(self, sc: Scenario, draws: Draws) -> None:
        import simpy  # lazy: only the reference engine needs SimPy

        self.sc, self.draws = sc, draws
        self.env = simpy.Environment()
        self.workers = simpy.Resource(self.env, capacity=sc.concurrency)
        self.queue = simpy.Store(self.env)
        self.gate = sc.gate.state()
        self.done = self.env.event()
        n = sc.items
        nw = len(sc.gate.windows)
        self.r_arrivals, self.r_backoff = nw + 1, nw + 2
        self.blocked = [0.0] * (nw + 3)
        self.arrived = [0.0] * n
        self.tries = [0] * n
        self.waits = [0.0] * n
        self.completion_times: list[float] = []
        self.attempts = self.finished = self.failed = 0
        self.worker_seconds = 0.0

    def source(self) -> Proc:
        """Poisson arrivals: item i joins the queue after the i-th pre-drawn gap."""
        assert self.draws.gaps is not None
        for i, gap in enumerate(self.draws.gaps):
            yield self.env.timeout(gap)
            self.arrived[i] = self.env.now
            self.queue.put((i, self.r_arrivals))

    def dispatcher(self) -> Proc:
        env = self.env
        while True:
            t0 = env.now
            item, refilled_by = yield self.queue.get()
            self.blocked[refilled_by] += env.now - t0
            t1 = env.now
            req = self.workers.request()
            yield req
            self.blocked[0] += env.now - t1
            while (deny := self.gate.check(env.now)) is not None:
                window, boundary = deny
                t2 = env.now
                yield env.timeout(boundary - env.now)
                self.blocked[window + 1] += env.now - t2
            self.gate.take()
            if self.tries[item] == 0:
                self.waits[item] = env.now - self.arrived[item]
            self.tries[item] += 1
            k = self.attempts
            self.attempts += 1
            if k == len(self.draws.durations):
                self.draws.extend()
            env.process(self.attempt(item, k, req))

    def attempt(self, item: int, k: int, req: Any) -> Proc:
        env = self.env
        duration = self.draws.durations[k]
        self.worker_seconds += duration
        yield env.timeout(duration)
        self.workers.release(req)
        if self.draws.fails[k]:
            if self.tries[item] <= self.sc.max_retries:
                if self.sc.backoff_s > 0:
                    yield env.timeout(self.sc.backoff_s)
                self.queue.put((item, self.r_backoff))
                return
            self.failed += 1
        else:
            self.completion_times.append(env.now)
        self.finished += 1
        if self.finished == self.sc.items:
            self.done.succeed()

    def watchdog(self) -> Proc:
        """Stop a job that would outlive the horizon instead of simulating it for ever."""
        yield self.env.timeout(self.sc.horizon_s)
        if not self.done.triggered:
            raise HorizonExceeded(
                f"the job is still running after {self.sc.horizon_s / 86400:,.0f} simulated days "
                f"({self.finished:,} of {self.sc.items:,} items done); raise the horizon or loosen the limits"
            )


def run(sc: Scenario, draws: Draws) -> RunStats:
    """Simulate one replication with SimPy."""
    keys = sc.reason_keys()
    if sc.items == 0:
        return RunStats(0.0, 0, 0, 0, 0.0, np.zeros(0), np.zeros(0), dict.fromkeys(keys, 0.0))
    m = _Model(sc, draws)
    if draws.gaps is None:
        m.queue.items.extend((i, m.r_arrivals) for i in range(sc.items))  # everything queued at t=0
    else:
        m.env.process(m.source())
    m.env.process(m.dispatcher())
    m.env.process(m.watchdog())
    m.env.run(until=m.done)
    return RunStats(
        makespan=float(m.env.now),
        completed=len(m.completion_times),
        failed=m.failed,
        attempts=m.attempts,
        worker_seconds=m.worker_seconds,
        completion_times=np.asarray(m.completion_times, dtype=np.float64),
        waits=np.asarray(m.waits, dtype=np.float64),
        blocked=dict(zip(keys, m.blocked, strict=True)),
    )
