"""``simulate`` in the terminal: each simulated section's detail (for jobs: the table, each job's timeline, the
usage they imply and its cost). Markdown and HTML show ``check``'s report instead; JSON is in json_report."""

from __future__ import annotations

from typing import Any

from infrafit.engine.result import Result
from infrafit.report import renderer
from infrafit.report.sections.base import section_reports, views
from infrafit.report.terminal import draw, text, to_text


@renderer("simulate", "table")
def render_simulate(results: list[Result], width: int | None = None, color: bool = False, **_: Any) -> str:
    parts: list[Any] = []
    for result in results:
        reports = section_reports(result)
        simulated = [view for view in views() if view.simulated]
        present = [view for view in simulated if reports.get(view.key)]
        # Only the sections the plan has: a plan with a failover pair does not need to hear that it has no jobs.
        for view in present:
            parts += draw(view.detail(result, reports[view.key]), width)
        if not present:
            keys = ", ".join(f"`{view.key}:`" for view in simulated)
            parts.append(text(f"{result.plan}: nothing to simulate; add one of {keys} (see the README)"))
    return to_text(parts, width, color)
