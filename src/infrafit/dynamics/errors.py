"""Errors a batch simulation raises instead of looping forever or answering nonsense."""

from __future__ import annotations


class InfeasibleJob(ValueError):
    """The job can never finish as specified (e.g. one attempt costs more than a whole rate window allows)."""


class HorizonExceeded(InfeasibleJob):
    """The job would run past the simulated horizon (366 days by default), so no makespan is reported.

    A subclass of :class:`InfeasibleJob` because, for planning, "takes more than a year" is just as unusable.
    """
