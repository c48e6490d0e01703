"""Reading a user's YAML file (a Compose file, an infracost usage file) with the same bounds as a plan: regular
files only, a size limit, bounded nesting and aliases (a small file must not hang or exhaust memory)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from infrafit.plan.yaml_reader import read_data, read_text

__all__ = ["read_yaml"]


def read_yaml(path: Path) -> Any:
    """The file's data; unreadable, oversized or hostile files raise InputError with the file and, where YAML has
    one, the line and column."""
    text = read_text(path).removeprefix("\ufeff")
    return read_data(text, str(path))
