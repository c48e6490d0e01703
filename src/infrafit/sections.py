"""The plan's sections beyond ``resources:`` (``jobs:``, and later traffic, availability, clusters, self-host).

A section is three parts in three layers: its plan model (``plan/``), its evaluation (``engine/sections/``) and its
view (``report/sections/``). The registry names each part by ``"module:attribute"`` so that every layer imports only
its own part: loading a plan never imports the engine, and ``check --format json`` never imports a chart library.
Adding a section is one :func:`register_section` call (built-in ones are listed at the bottom of this module).
Registration order is evaluation order and report order.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

__all__ = ["SECTIONS", "SectionSpec", "register_section", "registry_version", "resolve", "unregister_section"]


@dataclass(frozen=True, kw_only=True)
class SectionSpec:
    """Where a section's parts live. A part is a ``"module:attribute"`` path, or the object itself."""

    key: str
    """The plan key, the JSON key and the key of ``Result.sections``."""
    model: Any
    """The type of the section's value in the plan, e.g. ``dict[str, Job]`` (validated by pydantic)."""
    engine: Any
    """A class implementing :class:`infrafit.engine.sections.base.Section`."""
    view: Any
    """A class implementing :class:`infrafit.report.sections.base.View`."""
    description: str
    """One line for the plan's JSON Schema and ``--help``."""


SECTIONS: dict[str, SectionSpec] = {}
_version = 0


def register_section(spec: SectionSpec) -> None:
    """Add (or replace) a section. Models built from the registry (the plan model) are rebuilt on next use."""
    global _version
    SECTIONS[spec.key] = spec
    _version += 1


def unregister_section(key: str) -> None:
    global _version
    SECTIONS.pop(key, None)
    _version += 1


def registry_version() -> int:
    """Changes whenever the registry does, so caches keyed on it stay right."""
    return _version


def resolve(part: Any) -> Any:
    """Import a ``"module:attribute"`` part on first use; objects are returned as they are."""
    if not isinstance(part, str):
        return part
    module, _, attribute = part.partition(":")
    return getattr(importlib.import_module(module), attribute)


register_section(
    SectionSpec(
        key="jobs",
        model="infrafit.plan.jobs:Jobs",
        engine="infrafit.engine.sections.jobs:JobsSection",
        view="infrafit.report.sections.jobs:JobsView",
        description="batch jobs run on the plan's resources",
    )
)

register_section(
    SectionSpec(
        key="clusters",
        model="infrafit.plan.clusters:Clusters",
        engine="infrafit.engine.sections.clusters:ClustersSection",
        view="infrafit.report.sections.clusters:ClustersView",
        description="Kubernetes clusters: node groups, workloads and whether they fit",
    )
)

register_section(
    SectionSpec(
        key="traffic",
        model="infrafit.plan.traffic:Traffic",
        engine="infrafit.engine.sections.traffic:TrafficSection",
        view="infrafit.report.sections.traffic:TrafficView",
        description="clients polling through cache layers",
    )
)

register_section(
    SectionSpec(
        key="availability",
        model="infrafit.plan.availability:Availabilities",
        engine="infrafit.engine.sections.availability:AvailabilitySection",
        view="infrafit.report.sections.availability:AvailabilityView",
        description="a primary with a standby started when its heartbeat stops (failover)",
    )
)

register_section(
    SectionSpec(
        key="selfhost",
        model="infrafit.plan.selfhost:SelfHost",
        engine="infrafit.engine.sections.selfhost:SelfHostSection",
        view="infrafit.report.sections.selfhost:SelfHostView",
        description="one machine of one's own in place of the plan's cloud services: its cost, fit and Compose file",
    )
)
