"""Write a draft as plan YAML with its comments: "FILL ..." beside each value to complete, the source of each
region and default, and at the end every source object that is free or not mapped."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import yaml

from infrafit.importers.draft import Draft, Path

__all__ = ["render_yaml"]

_PLAIN = re.compile(r"^[A-Za-z0-9_./@+-][A-Za-z0-9_./@+ :-]*$")


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and ": " not in text and not text.endswith(":"):
        try:
            if yaml.safe_load(text) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _key(key: str) -> str:
    return _scalar(key)


def _emit(node: dict[str, Any], path: Path, indent: int, comments: dict[Path, str], out: list[str]) -> None:
    pad = "  " * indent
    for key, value in node.items():
        here = (*path, key)
        note = comments.get(here)
        tail = f"  # {note}" if note else ""
        if isinstance(value, dict) and value:
            out.append(f"{pad}{_key(key)}:{tail}")
            _emit(value, here, indent + 1, comments, out)
        elif isinstance(value, list) and value and any(isinstance(v, dict) for v in value):
            out.append(f"{pad}{_key(key)}:{tail}")
            for item in value:
                lines: list[str] = []
                _emit(item, here, indent + 2, comments, lines)
                if lines:
                    first = lines[0].lstrip()
                    out.append(f"{pad}  - {first}")
                    out.extend(lines[1:])
        elif isinstance(value, list):
            out.append(f"{pad}{_key(key)}: [{', '.join(_scalar(v) for v in value)}]{tail}")
        elif isinstance(value, dict):
            out.append(f"{pad}{_key(key)}: {{}}{tail}")
        else:
            out.append(f"{pad}{_key(key)}: {_scalar(value)}{tail}")


def _listing(title: str, rows: list[str]) -> list[str]:
    if not rows:
        return []
    return ["#", f"# {title}", *(f"#   {row}" for row in rows)]


def render_yaml(draft: Draft) -> str:
    """The plan YAML the user completes: every FILL comment marks a value the source files cannot say."""
    fills = draft.fills()
    head = [
        f"# Imported by `infrafit import` from {draft.source}.",
        "# A draft: values marked FILL are placeholders the source files cannot give (usage above all); replace",
        "# them with your own figures, then run `infrafit check` on this file.",
    ]
    head.append(f"# {len(fills)} value(s) to fill; {len(draft.free)} free; {len(draft.unmapped)} not mapped.")
    out: list[str] = [*head]
    _emit(draft.body, (), 0, draft.comments, out)
    out += _listing(
        "Not mapped (not priced; add them by hand if they cost money):",
        [f"{s.address} ({s.type}): {s.reason}" for s in draft.unmapped],
    )
    out += _listing("Free (no charge of their own; counted, not priced):", [f"{s.address} ({s.type})" for s in draft.free])
    out += _listing(
        "Findings:", [f"{f.severity}: {f.subject}: {f.message} [{f.code}]" for f in draft.findings]
    )
    return "\n".join(out) + "\n"
