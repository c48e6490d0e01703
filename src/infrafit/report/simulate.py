"""``simulate`` in the terminal: each simulated section's detail (for jobs: the table, each job's timeline, the
usage they imply and its cost). Markdown and HTML show ``check``'s report instead; JSON is in json_report."""

from __future__ import annotations

from typing import Any

from infrafit.engine.result import Result
from infrafit.report import renderer
from infrafit.report.sections.base import section_reports, views
from infrafit.report.terminal import draw, to_text


@renderer("simulate", "table")
def render_simulate(results: list[Result], width: int | None = None, color: bool = False, **_: Any) -> str:
    parts: list[Any] = []
    for result in results:
        reports = section_reports(result)
        for view in views():
            if view.simulated:
                parts += draw(view.detail(result, reports.get(view.key, [])), width)
    return to_text(parts, width, color)
