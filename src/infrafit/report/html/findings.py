"""Findings as HTML: errors and warnings in full, info folded under a one-line count with its codes; each message
without the ``[source, as of date]`` the engine appends for text formats, since the source column links it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from infrafit.engine.result import Finding, Severity, severity_rank
from infrafit.report.html.page import esc, link, table

_CITED = re.compile(r"\s*\[(?P<url>[^\s\],]+)(?:, as of (?P<date>\d{4}-\d{2}-\d{2}))?\]")
_BADGE = {"error": "bad", "warning": "warn", "info": "info"}


def split_citation(finding: Finding) -> tuple[str, str]:
    """(message without the citation of its own source, that citation's date or "")."""
    dates: list[str] = []

    def drop(m: re.Match[str]) -> str:
        if finding.source and m.group("url") == finding.source:
            dates.append(m.group("date") or "")
            return ""
        return m.group(0)

    return _CITED.sub(drop, finding.message).strip(), (dates[0] if dates else "")


def _row(f: Finding) -> list[str]:
    message, as_of = split_citation(f)
    fix = f"<br><b>fix:</b> {esc(f.fix)}" if f.fix else ""
    source = link(f.source) + (f'<div class="muted">as of {esc(as_of)}</div>' if as_of else "")
    return [
        f'<span class="badge {_BADGE.get(str(f.severity), "muted")}">{esc(f.severity)}</span>',
        f"<code>{esc(f.code)}</code>",
        esc(f.resource or "-"),
        f'<div class="msg">{esc(message)}{fix}</div>',
        source,
    ]


def findings_table(findings: Sequence[Finding]) -> str:
    return table(["severity", "code", "resource", "message", "source"], [_row(f) for f in findings])


def findings_html(findings: Sequence[Finding], empty: str = "No findings.") -> str:
    """Errors then warnings as a table; info notes folded in a <details> that names their codes."""
    ordered = sorted(findings, key=lambda f: severity_rank(str(f.severity)))
    loud = [f for f in ordered if f.severity != Severity.INFO]
    info = [f for f in ordered if f.severity == Severity.INFO]
    if not findings:
        return f'<p class="muted">{esc(empty)}</p>'
    out = findings_table(loud) if loud else '<p class="ok">No errors or warnings.</p>'
    if info:
        codes = ", ".join(dict.fromkeys(f.code for f in info))
        out += (
            f'<details class="info"><summary>{len(info)} info note{"s" if len(info) != 1 else ""}: '
            f"{esc(codes)}</summary>{findings_table(info)}</details>"
        )
    return out
