"""``fleet`` (the cheapest node fleet for a cluster) as JSON, Markdown and a terminal table."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from infrafit.report import renderer
from infrafit.report.fmt import money, signed_money
from infrafit.report.json_report import JSON_VERSION
from infrafit.report.provenance import overlay_json, overlay_phrase

if TYPE_CHECKING:
    from infrafit.engine.sections.cluster_fleet import FleetReport

_BINDING = {
    "cpu": "CPU requests (the fleet's allocatable CPU is the tightest)",
    "memory": "memory requests (the fleet's allocatable memory is the tightest)",
    "pods": "pod slots per node (max pods)",
    "quota": "the vCPU quota (every vCPU it allows is used)",
    "max_nodes": "--max-nodes",
}


def fleet_to_dict(r: FleetReport) -> dict[str, Any]:
    a = r.answer
    return {
        "version": JSON_VERSION,
        "plan": r.plan,
        "cluster": r.cluster,
        "feasible": a.feasible,
        "node_groups": [{"type": t, "count": n} for t, n in a.counts.items()],
        "monthly_cost": round(a.monthly_cost, 4) if a.feasible else None,
        "vcpu": a.vcpu if a.feasible else None,
        "optimal": a.optimal,
        "gap": a.gap,
        "binding": a.binding or None,
        "utilization": a.utilization,
        "quota": r.quota,
        "quota_source": r.quota_note,
        "reason": a.reason or None,
        "smallest_quota": a.smallest_quota,
        "current": {
            "node_groups": [{"type": t, "count": n} for t, n in r.current.items()],
            "monthly_cost": float(r.current_cost),
            "vcpu": float(r.current_vcpu),
        },
        "prices": r.prices,
        "seconds": round(a.seconds, 3),
        "notes": r.notes,
        "catalog_overlay": overlay_json(r.catalog_overlay),
    }


@renderer("fleet", "json")
def render_fleet_json(r: FleetReport, **_: Any) -> str:
    return json.dumps(fleet_to_dict(r), indent=2, ensure_ascii=False) + "\n"


def _provenance(r: FleetReport) -> list[str]:
    """The overlay the nodes were priced with; nothing without one, so such a report reads as it always has."""
    if r.catalog_overlay is None or r.catalog_as_of is None:
        return []
    return [overlay_phrase(r.catalog_as_of, r.catalog_overlay)]


def fleet_lines(r: FleetReport) -> list[str]:
    """The answer in sentences, shared by the terminal and Markdown."""
    a = r.answer
    now = ", ".join(f"{n} × {t}" for t, n in r.current.items())
    lines = [f"cluster {r.cluster} of {r.plan}: now {now} = {r.current_vcpu:,.0f} vCPU, {money(r.current_cost)}/month"]
    quota = "no vCPU quota" if r.quota is None else f"quota {r.quota} vCPU ({r.quota_note})"
    lines.append(
        f"candidates: {', '.join(f'{t} {money(Decimal(str(p)))}/month' for t, p in r.prices.items())}; {quota}"
    )
    if not a.feasible:
        lines.append(f"no fleet: {a.reason}")
        if a.smallest_quota is not None:
            lines.append(f"the smallest quota that would work: {a.smallest_quota} vCPU for the cluster's nodes")
        return lines + _provenance(r)
    fleet = " + ".join(f"{n} × {t}" for t, n in a.counts.items())
    proof = "proven optimal" if a.optimal else f"not proven optimal (gap to the solver's bound {a.gap or 0:.1%})"
    delta = Decimal(str(a.monthly_cost)) - r.current_cost
    lines.append(
        f"cheapest fleet: {fleet} = {a.vcpu} vCPU, {money(Decimal(str(a.monthly_cost)))}/month "
        f"({signed_money(delta)} against now); {proof}"
    )
    use = ", ".join(f"{k} {v:.0%}" for k, v in a.utilization.items())
    lines.append(f"binding constraint: {_BINDING.get(a.binding, a.binding)}; requested share of allocatable: {use}")
    lines += r.notes
    return lines + _provenance(r)


@renderer("fleet", "markdown")
def render_fleet_markdown(r: FleetReport, **_: Any) -> str:
    lines = [f"### infrafit fleet: {r.plan} / {r.cluster}", ""]
    lines += [f"- {line}" for line in fleet_lines(r)]
    if r.answer.feasible:
        lines += ["", "| type | nodes |", "|---|---:|"] + [f"| {t} | {n} |" for t, n in r.answer.counts.items()]
    return "\n".join(lines) + "\n"


@renderer("fleet", "table")
def render_fleet_table(r: FleetReport, width: int | None = None, **_: Any) -> str:
    import textwrap

    cols = width or 120
    out = []
    for line in fleet_lines(r):
        out += textwrap.wrap(line, cols, subsequent_indent="  ") or [""]
    return "\n".join(out) + "\n"
