"""Findings as every text format shows them: those that matter in full (errors, then warnings), the rest as a
count with their codes (the terminal) or folded (Markdown), so an error is never buried under catalog notes."""

from __future__ import annotations

from collections.abc import Sequence

from infrafit.engine.result import Finding, Severity, severity_rank
from infrafit.report.grid import ONLY_HTML, ONLY_MARKDOWN, T_AND_H, Cell, Column, Grid, Row
from infrafit.report.wording import codes, plural, severity_cell

#: What the reports show in full unless asked otherwise (``--min-severity``, ``--verbose``).
DEFAULT_MIN_SEVERITY = Severity.WARNING.value
SEVERITIES = tuple(s.value for s in Severity)


def split(findings: Sequence[Finding], min_severity: str = DEFAULT_MIN_SEVERITY) -> tuple[list[Finding], list[Finding]]:
    """The findings at ``min_severity`` or above (in full), and the rest (summarised), each most severe first."""
    ranked = sorted(findings, key=lambda f: severity_rank(f.severity))
    bar = severity_rank(min_severity)
    return [f for f in ranked if severity_rank(f.severity) <= bar], [
        f for f in ranked if severity_rank(f.severity) > bar
    ]


def hidden_title(hidden: Sequence[Finding]) -> str:
    """``16 more findings (info)``."""
    kinds = sorted({f.severity for f in hidden}, key=severity_rank)
    return f"{plural(len(hidden), 'more finding')} ({' and '.join(str(k) for k in kinds)})"


def hidden_line(hidden: Sequence[Finding]) -> str:
    """One line for the findings not shown: ``16 more findings (info): code, code×2; --verbose shows them``."""
    return f"{hidden_title(hidden)}: {codes(list(hidden))}; --verbose shows them"


def findings_grid(
    findings: Sequence[Finding], *, title: str = "Findings", folded: bool = False, icon: str | None = None
) -> Grid:
    """Severity, code, what it is about, message and fix, source; ``icon`` replaces Markdown's severity icons."""
    rows = []
    for f in findings:
        severity = severity_cell(f.severity)
        rows.append(
            Row(
                cells=[
                    severity,
                    severity if icon is None else Cell(text=f.severity, icon=icon),
                    Cell(text=f.code, code=True),
                    Cell(text=f.resource or "-"),
                    Cell(text=f.message, fix=f.fix or ""),
                    Cell(href=f.source or ""),
                ]
            )
        )
    return Grid(
        title=title,
        folded=folded,
        lines=True,
        empty="No findings.",
        heading=2,
        columns=[
            Column(title="severity", formats=T_AND_H),
            Column(title="", formats=ONLY_MARKDOWN),
            Column(title="code", key=True),
            Column(title="resource", formats=ONLY_HTML),
            Column(title="message", fold=True),
            Column(title="source", formats=ONLY_HTML),
        ],
        rows=rows,
    )
