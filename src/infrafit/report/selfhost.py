"""The report of ``infrafit selfhost``: both sides' monthly cost, the break-even, the counterparts and the fit, and the
self-hosting findings, as a terminal table, Markdown or JSON (the contract's keys first)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infrafit.engine.result import Finding, Result
    from infrafit.engine.sections.selfhost_report import SelfHostReport

__all__ = ["SELFHOST_CODES", "headline", "render_selfhost", "selfhost_json", "selfhost_report"]

SELFHOST_CODES = frozenset(
    {
        "selfhost_does_not_fit",
        "selfhost_loses",
        "selfhost_no_counterpart",
        "selfhost_no_payback",
        "selfhost_assumed",
        "secrets_plaintext",
        "secrets_unstated",
    }
)


def selfhost_report(result: Result) -> SelfHostReport:
    """The plan's self-hosting answer; a ValueError (exit 2) when the plan has no ``selfhost:`` section."""
    reports = result.sections.get("selfhost")
    if not reports:
        raise ValueError(
            f"{result.file or result.plan}: no selfhost: section; add one (machine, electricity, ...) — "
            "see examples/seed001-leaving-the-cloud.yaml"
        )
    report: SelfHostReport = reports[0]
    return report


def _findings(result: Result) -> list[Finding]:
    return [f for f in result.findings if f.code in SELFHOST_CODES]


def headline(result: Result, r: SelfHostReport) -> str:
    from infrafit.report.sections.selfhost import break_even_text

    fits = "the machine holds it" if r.machine_fits else "the machine does NOT hold it"
    return (
        f"{result.plan}: self-hosted ${r.monthly_tco:,.2f}/month vs cloud ${r.cloud_monthly_cost:,.2f}/month; "
        f"break-even {break_even_text(r.break_even_months)}; {fits}"
    )


def selfhost_json(result: Result, compose_path: str | None = None) -> dict[str, Any]:
    from infrafit.report.json_report import JSON_VERSION, finding_json
    from infrafit.report.provenance import overlay_json
    from infrafit.report.sections.selfhost import SelfHostView

    r = selfhost_report(result)
    return {
        "version": JSON_VERSION,
        "plan": result.plan,
        **SelfHostView().to_json(r),
        "compose": compose_path,
        "findings": [finding_json(f) for f in _findings(result)],
        "catalog_overlay": overlay_json(result.catalog_overlay),
    }


def render_selfhost(
    result: Result,
    fmt: str,
    *,
    width: int | None = None,
    color: bool = False,
    min_severity: str = "warning",
    compose_path: str | None = None,
) -> str:
    """``table``, ``markdown`` or ``json``."""
    if fmt == "json":
        return json.dumps(selfhost_json(result, compose_path), indent=2, ensure_ascii=False) + "\n"
    from infrafit.report.findings import findings_grid, hidden_line, split
    from infrafit.report.sections.selfhost import cost_grid, services_grid

    r = selfhost_report(result)
    shown, hidden = split(_findings(result), min_severity)
    grids = [cost_grid(r), services_grid(r)]
    if shown:
        grids.append(findings_grid(shown))
    wrote = f"wrote {compose_path}: {len(r.compose['services'])} services, valid against the Compose specification"
    tail = [*([hidden_line(hidden)] if hidden else []), *([wrote] if compose_path else [])]
    if result.catalog_overlay is not None:  # without an overlay the report reads as it always did
        from infrafit.report.provenance import catalog_phrase

        tail.append(catalog_phrase(result))
    if fmt == "markdown":
        from infrafit.report.markdown import notes, to_markdown

        lines = [f"## {headline(result, r)}", ""]
        for grid in grids:
            lines += [f"### {grid.title}", "", *to_markdown(grid), "", *notes(grid), ""]
        lines += [f"- {t}" for t in tail]
        return "\n".join(lines).rstrip("\n") + "\n"
    if fmt != "table":
        raise ValueError(f"no {fmt!r} format for selfhost; formats: json, markdown, table")
    from infrafit.report.terminal import draw, text, to_text

    body = [text(headline(result, r), "bold"), *draw([*grids], width), *[text(t, "dim") for t in tail]]
    return to_text(body, width, color)
