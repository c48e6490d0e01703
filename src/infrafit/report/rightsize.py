"""`infrafit rightsize` reports (kind "rightsize"): the change against current requests and limits, per container,
and, when a plan was given, what it does to the cluster's nodes and monthly cost. Table, Markdown and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from infrafit.kube.rightsize import Recommendation, RightsizeResult
from infrafit.kube.settings import cpu_text, format_duration, memory_text
from infrafit.report import renderer
from infrafit.report.grid import ONLY_MARKDOWN, Cell, Column, Grid, Row, Tone
from infrafit.report.markdown import to_markdown
from infrafit.report.provenance import overlay_json, overlay_phrase
from infrafit.report.terminal import draw, to_text

__all__ = ["cpu_text", "memory_text", "to_json"]

JSON_VERSION = 1


def _change(before: float | None, after: float | None, text: Any) -> Cell:
    if after is None:
        return Cell(text=f"{text(before)} (kept)", tone="dim")
    if before is None:
        return Cell(text=f"unset → {text(after)}", tone="info")
    if text(before) == text(after):
        return Cell(text=f"{text(after)} (same)")
    tone: Tone = "ok" if after < before else "warn"
    return Cell(text=f"{text(before)} → {text(after)}", tone=tone)


def _grid(result: RightsizeResult) -> Grid:
    rows = []
    for r in result.recommendations:
        c = r.current
        rows.append(
            Row(
                cells=[
                    Cell(text=f"{r.namespace}/{r.workload}", code=True),
                    Cell(text=r.kind, tone="dim"),
                    Cell(text=r.container, code=True),
                    _change(c.cpu_request, r.cpu_request, cpu_text),
                    _change(c.memory_request, r.memory_request, memory_text),
                    _change(c.memory_limit, r.memory_limit, memory_text),
                    Cell(text=f"{r.samples:,} ({r.pods} pod{'s' if r.pods != 1 else ''})"),
                    Cell(text="; ".join(r.warnings), tone="warn" if r.warnings else ""),
                ]
            )
        )
    s = result.settings
    return Grid(
        title="Requests and limits from measured use",
        columns=[
            Column(title="Workload", key=True),
            Column(title="Kind"),
            Column(title="Container", key=True),
            Column(title="CPU request", numeric=True, left_in=ONLY_MARKDOWN),
            Column(title="Memory request", numeric=True, left_in=ONLY_MARKDOWN),
            Column(title="Memory limit", numeric=True, left_in=ONLY_MARKDOWN),
            Column(title="Samples", numeric=True),
            Column(title="Notes", fold=True),
        ],
        rows=rows,
        empty="No container history found.",
        notes=[
            f"CPU request = p{s.percentile:g} of each pod's CPU use, highest pod; memory request = limit = peak × "
            f"{1 + float(s.buffer):g}; floors {cpu_text(float(s.cpu_floor))} / {memory_text(float(s.memory_floor))}; "
            f"after an OOM kill at least max(limit + {memory_text(float(s.oom_margin))}, limit × {1 + float(s.oom_factor):g}).",
            _where(result),
            *result.notes,
        ],
        lines=True,
    )


def _where(result: RightsizeResult) -> str:
    w = result.window
    end = datetime.fromtimestamp(w.end, UTC).strftime("%Y-%m-%d %H:%M UTC")
    queries = f"; {result.queries} queries" if result.queries is not None else ""
    return f"History: {format_duration(w.end - w.start)} to {end} at a {format_duration(w.step)} step, from {result.source}{queries}."


def _effect_grid(effect: Any) -> Grid:
    def money(v: Decimal) -> str:
        return f"${v:,.2f}"

    b, a = effect.before, effect.after
    rows = [
        ("Nodes", str(b.nodes), str(a.nodes)),
        ("Nodes the pods are packed on", str(b.nodes_used), str(a.nodes_used)),
        ("Those nodes' cost / month", money(b.used_nodes_cost), money(a.used_nodes_cost)),
        ("vCPUs", f"{b.vcpu:g}", f"{a.vcpu:g}"),
        (
            "Requested CPU",
            f"{b.requested_cpu:.2f} of {b.allocatable_cpu:.2f}",
            f"{a.requested_cpu:.2f} of {a.allocatable_cpu:.2f}",
        ),
        (
            "Requested memory (GiB)",
            f"{b.requested_memory_gib:.1f} of {b.allocatable_memory_gib:.1f}",
            f"{a.requested_memory_gib:.1f} of {a.allocatable_memory_gib:.1f}",
        ),
        ("Unschedulable pods", str(b.unschedulable), str(a.unschedulable)),
        ("Cluster cost / month", money(b.monthly_cost), money(a.monthly_cost)),
        ("Plan total / month", money(effect.total_before), money(effect.total_after)),
    ]
    return Grid(
        title=f"Effect on cluster {effect.cluster!r} of the plan",
        columns=[Column(title=""), Column(title="Now", numeric=True), Column(title="Right-sized", numeric=True)],
        rows=[Row(cells=[Cell(text=k), Cell(text=x), Cell(text=y, tone="ok" if x != y else "")]) for k, x, y in rows],
        notes=[*effect.notes, *_provenance(effect)],
        compact=True,
    )


def _provenance(effect: Any) -> list[str]:
    """The overlay the plan was priced with; nothing without one, so such a report reads as it always has."""
    if effect.catalog_overlay is None or effect.catalog_as_of is None:
        return []
    return [overlay_phrase(effect.catalog_as_of, effect.catalog_overlay)]


@renderer("rightsize", "table")
def render_table(result: RightsizeResult, width: int | None = None, color: bool = False, **_: Any) -> str:
    items: list[Grid | Cell] = [_grid(result)]
    if result.plan_effect is not None:
        items.append(_effect_grid(result.plan_effect))
    return to_text(draw(items, width), width, color)


@renderer("rightsize", "markdown")
def render_markdown(result: RightsizeResult, **_: Any) -> str:
    lines = ["## Right-sizing", ""]
    for grid in [_grid(result)] + ([_effect_grid(result.plan_effect)] if result.plan_effect is not None else []):
        lines += [f"### {grid.title}", "", *to_markdown(grid), "", *(f"- {n}" for n in grid.notes if n), ""]
    return "\n".join(lines)


def _rec_json(r: Recommendation) -> dict[str, Any]:
    c = r.current
    return {
        "namespace": r.namespace,
        "kind": r.kind,
        "workload": r.workload,
        "container": r.container,
        "cpu_request": r.cpu_request,
        "memory_request": r.memory_request,
        "memory_limit": r.memory_limit,
        "current": {
            "cpu_request": c.cpu_request,
            "cpu_limit": c.cpu_limit,
            "memory_request": c.memory_request,
            "memory_limit": c.memory_limit,
        },
        "samples": r.samples,
        "pods": r.pods,
        "history_seconds": r.history_seconds,
        "oom_killed": r.oom_killed,
        "warnings": list(r.warnings),
    }


def to_json(result: RightsizeResult) -> dict[str, Any]:
    """The report as data: CPU in cores, memory in bytes, null where unknown or left as it is."""
    s = result.settings
    doc: dict[str, Any] = {
        "version": JSON_VERSION,
        "source": result.source,
        "window": {"start": result.window.start, "end": result.window.end, "step": result.window.step},
        "settings": json.loads(s.model_dump_json()),
        "queries": result.queries,
        "recommendations": [_rec_json(r) for r in result.recommendations],
        "notes": list(result.notes),
        "plan": result.plan_effect.to_json() if result.plan_effect is not None else None,
        "catalog_overlay": overlay_json(result.plan_effect.catalog_overlay) if result.plan_effect is not None else None,
    }
    return doc


@renderer("rightsize", "json")
def render_json(result: RightsizeResult, **_: Any) -> str:
    return json.dumps(to_json(result), indent=2) + "\n"
