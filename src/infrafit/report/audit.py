"""`catalog audit` as text, Markdown or JSON: every fact with its age, grade and source, worst first, and counts
by grade and age band. Plain functions, like the catalog views: they take an :class:`Audit`, not a result."""

from __future__ import annotations

import json
from typing import Any

from infrafit.decisions.audit import STRONG, Audit, FactAge
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
    scope = f"used by {', '.join(audit.plans)}" if audit.plans else f"of {', '.join(audit.providers) or 'no provider'}"
    return (
        f"catalog audit: {len(audit.facts)} facts {scope}, judged on {audit.today}; flagged old when older than "
        f"{audit.max_age} days, flagged for its grade when known below {' or '.join(g.value for g in STRONG)} evidence"
    )


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
    grades = ", ".join(f"{k} {v}" for k, v in audit.by_grade().items())
    bands = ", ".join(f"{k} {v}" for k, v in audit.by_band().items())
    return [
        f"flagged: {flagged} ({len(audit.old)} older than {audit.max_age} days, "
        f"{sum(1 for f in audit.facts if f.weak)} below {'/'.join(g.value for g in STRONG)})",
        f"by grade: {grades}",
        f"by age: {bands}",
    ]


def _row(f: FactAge, audit: Audit) -> list[str]:
    fact = f.label + (" (overlay)" if f.overlay else "")
    flag = ", ".join(word for word, on in (("old", f.old), ("grade", f.weak)) if on)
    return [flag, fact, f.kind, str(f.as_of), str(f.age_days), f.evidence.value, f.source]


_COLUMNS = ("flag", "fact", "kind", "as of", "days", "grade", "source")


def _text(audit: Audit, width: int | None) -> str:
    from rich.table import Table
    from rich.text import Text

    from infrafit.report.table import to_text

    parts: list[Any] = [Text(_heading(audit), style="bold")]
    overlay = _overlay_line(audit)
    if overlay:
        parts.append(Text(overlay, style="dim"))
    parts += [Text(line) for line in _summary(audit)]
    table = Table(title_justify="left")
    for col in _COLUMNS:
        table.add_column(col, overflow="fold", justify="right" if col == "days" else "left")
    for f in audit.facts:
        table.add_row(*_row(f, audit))
    parts.append(table)
    return to_text(parts, width)


def _markdown(audit: Audit) -> str:
    from infrafit.report.markdown import cell

    lines = [f"### {cell(_heading(audit))}", ""]
    overlay = _overlay_line(audit)
    if overlay:
        lines += [cell(overlay), ""]
    lines += [f"- {cell(line)}" for line in _summary(audit)] + [""]
    lines += ["| flag | fact | kind | as of | days | grade | source |", "|---|---|---|---|---:|---|---|"]
    for f in audit.facts:
        flag, fact, kind, as_of, days, grade, source = _row(f, audit)
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
