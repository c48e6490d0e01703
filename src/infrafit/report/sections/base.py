"""The view of a plan section: its tables in ``check``, its detail in ``simulate``, its charts in HTML, its rows in
``compare`` and its JSON. Renderers iterate the sections a result has and draw each through its view, so a new
section needs a view here and no edit to any renderer.

Views are found through :data:`infrafit.sections.SECTIONS` (``SectionSpec.view``, a ``"module:attribute"`` path or
the object), imported on first use: ``check --format json`` imports no chart code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from infrafit.engine.result import Result
    from infrafit.report.grid import Cell, Grid, Row
    from infrafit.report.html.page import Page

R = TypeVar("R")
R_contra = TypeVar("R_contra", contravariant=True)


class View(Protocol[R_contra]):
    key: ClassVar[str]
    """The section's key (plan key, JSON key, ``Result.sections`` key)."""
    title: ClassVar[str]
    """Its heading in reports."""
    simulated: ClassVar[bool]
    """Whether ``infrafit simulate`` reports it (its JSON then always carries the key)."""

    def summary(self, reports: Sequence[R_contra]) -> list[Grid]:
        """Tables for ``check`` (terminal, Markdown, HTML)."""
        ...

    def detail(self, result: Result, reports: Sequence[R_contra]) -> list[Grid | Cell]:
        """Tables and lines for ``simulate``."""
        ...

    def charts(self, page: Page, reports: Sequence[R_contra]) -> list[str]:
        """HTML figures of one plan's reports (plotly through ``page``)."""
        ...

    def compare_charts(self, page: Page, labelled: Sequence[tuple[str, Sequence[R_contra]]]) -> list[str]:
        """HTML figures of several plans' reports, each labelled with its plan."""
        ...

    def compare_rows(self, per_plan: Sequence[Sequence[R_contra]]) -> list[Row]:
        """Rows of the side-by-side table: a label cell, then one cell per plan."""
        ...

    def to_json(self, report: R_contra) -> dict[str, Any]:
        """A report as the JSON contract has it."""
        ...

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of one ``to_json`` object (part of ``infrafit schema report``)."""
        ...


class BaseView(Generic[R]):
    """Defaults for the optional parts of :class:`View`: nothing to add."""

    key: ClassVar[str]
    title: ClassVar[str]
    simulated: ClassVar[bool] = False

    def summary(self, reports: Sequence[R]) -> list[Grid]:
        return []

    def detail(self, result: Result, reports: Sequence[R]) -> list[Grid | Cell]:
        return []

    def charts(self, page: Page, reports: Sequence[R]) -> list[str]:
        return []

    def compare_charts(self, page: Page, labelled: Sequence[tuple[str, Sequence[R]]]) -> list[str]:
        return []

    def compare_rows(self, per_plan: Sequence[Sequence[R]]) -> list[Row]:
        return []

    def to_json(self, report: R) -> dict[str, Any]:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        return {"type": "object"}


_cache: dict[str, tuple[Any, View[Any]]] = {}


def view(key: str) -> View[Any]:
    """The view of section ``key``, imported and made on first use (again if the registry changed)."""
    from infrafit.sections import SECTIONS, resolve

    part = SECTIONS[key].view
    cached = _cache.get(key)
    if cached is not None and cached[0] is part:
        return cached[1]
    found = resolve(part)
    made: View[Any] = found() if isinstance(found, type) else found
    _cache[key] = (part, made)
    return made


def views() -> list[View[Any]]:
    """Every registered section's view, in registry order."""
    from infrafit.sections import SECTIONS

    return [view(key) for key in SECTIONS]


def section_reports(result: Result) -> dict[str, list[Any]]:
    """Each section's reports in ``result``, in registry order."""
    from infrafit.sections import SECTIONS

    return {key: result.sections[key] for key in SECTIONS if key in result.sections}


def sections_of(result: Result) -> list[tuple[View[Any], list[Any]]]:
    """The sections ``result`` has reports of, with their views, in registry order."""
    return [(view(key), reports) for key, reports in section_reports(result).items() if reports]
