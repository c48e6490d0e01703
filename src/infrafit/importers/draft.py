"""What an importer returns: a plan draft (never a cost) and what it could not map.

The draft is the plan as a mapping plus comments keyed by the path they belong to, so the YAML writer can put
"FILL ..." beside each value the source files cannot say, and the region's origin beside each region.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Draft", "Finding", "Skipped"]

Path = tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Skipped:
    """A source object that is not a priced resource of the draft: free, not mapped, or unresolved."""

    address: str
    type: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Finding:
    """Something the user must know about the imported files (a GPU needed, an end-of-life image...)."""

    code: str
    severity: str  # error | warning | info
    subject: str
    message: str


@dataclass(kw_only=True)
class Draft:
    """A plan draft: ``body`` is the plan as plain data; ``comments`` are keyed by the path of the value."""

    name: str
    source: str
    body: dict[str, Any] = field(default_factory=dict)
    comments: dict[Path, str] = field(default_factory=dict)
    free: list[Skipped] = field(default_factory=list)
    unmapped: list[Skipped] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def put(self, path: Path, value: Any, comment: str | None = None) -> None:
        """Set ``value`` at ``path`` (creating mappings on the way) and its comment."""
        node = self.body
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
        if comment:
            self.comments[path] = comment

    def fills(self) -> list[str]:
        """Dotted paths of the values the user must fill in."""
        return [".".join(p) for p, c in self.comments.items() if c.startswith("FILL")]

    def items(self) -> int:
        """Source objects the draft holds: plan resources, self-hosted components, cluster workloads."""
        n = len(self.body.get("resources") or {})
        n += len((self.body.get("selfhost") or {}).get("components") or {})
        n += sum(len(c.get("workloads") or {}) for c in (self.body.get("clusters") or {}).values())
        return n

    def summary(self) -> dict[str, Any]:
        """The JSON form: the plan, and every source object not priced, by address."""
        return {
            "source": self.source,
            "plan": self.body,
            "to_fill": self.fills(),
            "free": [{"address": s.address, "type": s.type} for s in self.free],
            "unmapped": [{"address": s.address, "type": s.type, "reason": s.reason} for s in self.unmapped],
            "findings": [
                {"code": f.code, "severity": f.severity, "subject": f.subject, "message": f.message}
                for f in self.findings
            ],
        }
