"""Quotas and limits as a chart reads them: what is limited (the quota and region, or the resource and the limit),
how much is used of how much, in the unit a person uses (700 MB / 128 MB, 12 min / 5 min, 26 / 16 vCPU)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from infrafit.decisions.comparison import LIMIT_CODES
from infrafit.engine.result import Finding, PoolUse, Result
from infrafit.report.fmt import money, qty
from infrafit.report.html.page import share
from infrafit.units import format_bytes

_BYTES = frozenset({"memory", "storage", "ephemeral_storage", "request_body", "response_body", "payload"})
_SECONDS = frozenset({"duration", "cpu_time", "timeout"})
_WINDOW = re.compile(r"^(?:(?P<what>units|tokens|requests)_)?per_(?P<per>second|minute|hour|day)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Ceiling:
    """One bar of a limits chart: ``label`` names the thing, ``used`` of ``ceiling`` in ``unit``'s words."""

    label: str
    used: Decimal
    ceiling: Decimal
    used_text: str
    ceiling_text: str

    @property
    def share(self) -> float:
        """Percent of the ceiling used; a zero ceiling used at all reads as far over."""
        return share(self.used, self.ceiling)

    @property
    def amounts(self) -> str:
        return f"{self.used_text} / {self.ceiling_text}"


def seconds(value: Decimal) -> str:
    """A duration in the unit a person reads: ms, s, min or h."""
    if value < 1:
        return f"{qty(round(value * 1000, 1))} ms"
    if value < 120:
        return f"{qty(round(value, 1))} s"
    if value < 7200:
        return f"{qty(round(value / 60, 1))} min"
    return f"{qty(round(value / 3600, 1))} h"


def _kind(f: Finding) -> tuple[str, str]:
    """(what is limited, kind of number: bytes, seconds, money, per window or plain) of a limit finding."""
    subject = f.subject or ""
    scope, _, key = subject.partition(":")
    if subject == "budget" or f.code == "budget_exceeded":
        return "monthly budget", "money"
    if scope == "limit":
        kind = "bytes" if key in _BYTES else "seconds" if key in _SECONDS else "plain"
        return key.replace("_", " "), kind
    if scope == "rate" and (m := _WINDOW.match(key)):
        what = m.group("what") or "requests"
        return f"{what} a {m.group('per')}", "plain"
    # A job's item that the platform cannot run: the message says which limit (memory, time or concurrency).
    text = f.message.lower()
    if re.search(r"needs [\d.,]+ [kmgt]i?b\b", text) or "memory" in text:
        return "memory per item", "bytes"
    if "runs up to" in text or "cpu for" in text or "stops it at" in text:
        return "time per item", "seconds"
    if "at once" in text or "concurrent" in text:
        return "items at once", "plain"
    return f.code.replace("_", " "), "plain"


def _text(value: Decimal, kind: str) -> str:
    if kind == "bytes":
        return format_bytes(value)
    if kind == "seconds":
        return seconds(value)
    if kind == "money":
        return money(value)
    return qty(value)


def finding_ceiling(f: Finding, pools: dict[str, PoolUse] | None = None) -> Ceiling | None:
    """The bar of a limit finding that has both numbers, named by its resource and what is limited (a hard-capped
    pool by its name and unit, from ``pools``)."""
    if f.code.startswith("quota") or f.code not in LIMIT_CODES or f.value is None or f.limit is None:
        return None
    pool = (pools or {}).get(f.subject or "")
    if pool is not None:
        per = "day" if pool.period == "day" else "month"
        return Ceiling(
            label=f"{f.resource + ': ' if f.resource else ''}{pool.pool} (hard cap)",
            used=f.value,
            ceiling=f.limit,
            used_text=qty(f.value),
            ceiling_text=f"{qty(f.limit)} {pool.unit} a {per}",
        )
    what, kind = _kind(f)
    scope, _, name = (f.subject or "").partition(":")
    who = ", ".join(x for x in (f.resource, f"job {name}" if scope == "job" else "") if x)
    label = f"{who}: {what}" if who else what
    return Ceiling(
        label=label, used=f.value, ceiling=f.limit, used_text=_text(f.value, kind), ceiling_text=_text(f.limit, kind)
    )


def ceilings(result: Result) -> list[Ceiling]:
    """Every quota with a known limit, then every limit finding that has both numbers."""
    out = [
        Ceiling(
            label=f"{q.key}{' ' + q.region if q.region else ''}",
            used=q.used,
            ceiling=q.limit,
            used_text=qty(q.used),
            ceiling_text=f"{qty(q.limit)} {q.unit}".strip(),
        )
        for q in result.quotas
        if q.limit is not None
    ]
    pools = {p.pool: p for p in result.free_tier}
    return out + [c for f in result.findings if (c := finding_ceiling(f, pools)) is not None]
