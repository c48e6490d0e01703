"""`catalog audit` as text, Markdown or JSON: every fact with its age, grade and source, worst first, and counts
by grade and age band. Plain functions, like the catalog views: they take an :class:`Audit`, not a result."""

from __future__ import annotations

import json

from infrafit.decisions.audit import STRONG, Audit, FactAge
from infrafit.report.grid import Cell, Column, Grid, Row
from infrafit.report.provenance import overlay_json

__all__ = ["render_audit"]


def _why(f: FactAge, max_age: int) -> str:
    reasons = []
    if f.old:
        reasons.append(f"over {max_age} days")
    if f.weak:
        reasons.append(f"{f.evidence.value} evidence")
    return ", ".join(reasons)


def _heading(audit: Audit) -> str:
    """What was audited and when; the plans are named when there are few (JSON lists them all)."""
    if not audit.plans:
        scope = f"of {', '.join(audit.providers) or 'no provider'}"
    elif len(audit.plans) <= 2:
        scope = f"used by {' and '.join(audit.plans)}"
    else:
        scope = f"used by {len(audit.plans)} plans"
    return f"catalog audit: {len(audit.facts)} facts {scope}, judged on {audit.today}"


def _overlay_line(audit: Audit) -> str | None:
    if audit.overlay is None:
        return None
    lists = ", ".join(
        f"{name} price list {use.published or use.version or 'undated'}"
        for name, use in audit.overlay.providers.items()
    )
    return f"overlay {audit.overlay.path}" + (f" ({lists})" if lists else "")


def _summary(audit: Audit) -> list[str]:
    flagged = sum(1 for f in audit.facts if f.flagged)
    weak = sum(1 for f in audit.facts if f.weak)
    both = sum(1 for f in audit.facts if f.old and f.weak)
    grades = ", ".join(f"{k} {v}" for k, v in audit.by_grade().items())
    bands = ", ".join(f"{k} {v}" for k, v in audit.by_band().items())
    return [
        f"flagged {flagged} of {len(audit.facts)}: {len(audit.old)} older than {audit.max_age} days (old), {weak} "
        f"known below {' or '.join(g.value for g in STRONG)} evidence (weak)" + (f", {both} both" if both else ""),
        f"by grade: {grades}",
        f"by age: {bands}",
    ]


def _flag(f: FactAge) -> str:
    return ", ".join(word for word, on in (("old", f.old), ("weak", f.weak)) if on)


def _row(f: FactAge) -> list[str]:
    fact = f.label + (" (overlay)" if f.overlay else "")
    return [_flag(f), fact, f.kind, str(f.as_of), str(f.age_days), f.evidence.value, f.source]


def _grid(audit: Audit) -> Grid:
    """The facts as a grid: a table when it fits, a card per fact (flag and fact, then the rest) when narrow."""
    rows = []
    for f in audit.facts:
        flag, fact, kind, as_of, days, grade, source = _row(f)
        rows.append(
            Row(
                cells=[
                    Cell(text=flag, tone="warn" if flag else ""),
                    Cell(text=fact, strong=not flag),
                    Cell(text=kind),
                    Cell(text=as_of),
                    Cell(text=f"{days} day{'' if f.age_days == 1 else 's'}", tone="warn" if f.old else ""),
                    Cell(text=grade, tone="warn" if f.weak else ""),
                    Cell(text=source, tone="dim"),
                ]
            )
        )
    return Grid(
        title="Facts, worst first",
        columns=[
            Column(title="flag", key=True),
            Column(title="fact", key=True),
            Column(title="kind", label=""),
            Column(title="as of"),
            Column(title="age", numeric=True, label=""),
            Column(title="grade"),
            Column(title="source", fold=True),
        ],
        rows=rows,
        heading=2,
    )


def _text(audit: Audit, width: int | None) -> str:
    from infrafit.report.terminal import draw, to_text

    items: list[Grid | Cell] = [Cell(text=_heading(audit), strong=True)]
    overlay = _overlay_line(audit)
    if overlay:
        items.append(Cell(text=overlay, tone="dim"))
    items += [Cell(text=line) for line in _summary(audit)]
    items.append(_grid(audit))
    return to_text(draw(items, width), width)


def _markdown(audit: Audit) -> str:
    from infrafit.report.markdown import cell

    lines = [f"### {cell(_heading(audit))}", ""]
    overlay = _overlay_line(audit)
    if overlay:
        lines += [cell(overlay), ""]
    lines += [f"- {cell(line)}" for line in _summary(audit)] + [""]
    lines += ["| flag | fact | kind | as of | days | grade | source |", "|---|---|---|---|---:|---|---|"]
    for f in audit.facts:
        flag, fact, kind, as_of, days, grade, source = _row(f)
        lines.append(
            f"| {'⚠️ ' + flag if flag else ''} | {cell(fact)} | {cell(kind)} | {as_of} | {days} | {grade} | {cell(source)} |"
        )
    return "\n".join(lines) + "\n"


def _json(audit: Audit) -> str:
    data = {
        "today": audit.today.isoformat(),
        "max_age_days": audit.max_age,
        "plans": audit.plans,
        "providers": audit.providers,
        "catalog_overlay": overlay_json(audit.overlay),
        "summary": {
            "facts": len(audit.facts),
            "flagged": sum(1 for f in audit.facts if f.flagged),
            "older_than_max_age": len(audit.old),
            "by_grade": audit.by_grade(),
            "by_age": audit.by_band(),
        },
        "facts": [
            {
                "provider": f.provider,
                "path": f.path,
                "label": f.label,
                "kind": f.kind,
                "as_of": f.as_of.isoformat(),
                "age_days": f.age_days,
                "evidence": f.evidence.value,
                "source": f.source,
                "overlay": f.overlay,
                "flagged": f.flagged,
                "why": _why(f, audit.max_age) or None,
            }
            for f in audit.facts
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_audit(audit: Audit, fmt: str, width: int | None = None) -> str:
    """The audit in ``text`` (a table; ``width`` in characters), ``markdown`` or ``json``."""
    if fmt == "json":
        return _json(audit)
    if fmt == "markdown":
        return _markdown(audit)
    return _text(audit, width)
