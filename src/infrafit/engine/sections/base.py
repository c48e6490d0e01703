"""The protocol every plan section implements, and the records it hands back to the evaluator.

A section reads its block of the plan and returns an :class:`Outcome`: reports for the user, findings, cost lines it
*adds* (a job's invocations, a cluster's nodes) and usage it *sets* on existing resources (a standby VM's running
hours: adding a line would bill the VM twice). The evaluator prices every line with the same functions and ledger,
so derived usage shares pools and tiers with the plan's own resources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from infrafit.engine.result import Finding
from infrafit.plan.model import Plan, Resource

if TYPE_CHECKING:
    from infrafit.catalog.lookup import Catalog
    from infrafit.plan.model import UsageValue

__all__ = ["Line", "Outcome", "Section", "SectionEnv"]


@dataclass(frozen=True, kw_only=True)
class Line:
    """A resource to price: one of the plan's own, or usage a section derived from its behaviour."""

    name: str
    """Shown in reports, e.g. ``w [job batch]`` for a derived line."""
    resource: Resource
    origin: str = "plan"
    """``plan`` or ``KEY:NAME`` of the section entry that derived it (``job:batch``, ``traffic:dashboard``)."""
    check_limits: bool = True
    """Whether the platform's limits are checked on this line (a job already held its items against them)."""
    of: str | None = None
    """The plan resource a derived line adds usage to: notes on its service name that resource once."""
    methods: frozenset[str] = frozenset()
    """API methods this line calls (``captions.list``): catalog notes scoped by ``methods`` fire only for them."""


@dataclass(kw_only=True)
class Outcome:
    """What a section hands back: reports, findings, lines it adds, and usage it sets on the plan's resources."""

    reports: list[Any] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    extra: list[Line] = field(default_factory=list)
    sets: dict[str, dict[str, UsageValue]] = field(default_factory=dict)
    """resource name -> usage key -> value that replaces the plan's (not added to it)."""


@dataclass(frozen=True, kw_only=True)
class SectionEnv:
    """What a section may read: the plan, the catalog, and the simulation settings of this evaluation."""

    plan: Plan
    catalog: Catalog
    replications: int = 20
    seed: int = 0
    on_progress: Callable[[str], None] | None = None
    """Called with an entry's name when it is done (drives progress bars)."""
    on_replication: Callable[[], None] | None = None
    """Called after each simulated run of an entry (progress bars that move during a long simulation)."""


class Section(Protocol):
    """One named block of the plan. ``key`` is the plan key, the JSON key and the ``Result.sections`` key."""

    key: ClassVar[str]

    def run(self, value: Any, env: SectionEnv) -> Outcome:
        """Evaluate the section's validated plan value. Raise ModelError (with a plan path) for unusable input."""
        ...
