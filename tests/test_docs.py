"""The docs cover the whole command line: every command and subcommand has help text, a section in docs/cli.md
(pasted from its real `--help` by cog; `scripts/test` runs `cog --check`), and a mention in the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from infrafit.cli import app

ROOT = Path(__file__).resolve().parent.parent


def walk(group: Any, path: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    """Every command under ``group`` (a click group, as Typer builds it), subcommands included."""
    found: list[tuple[str, Any]] = []
    for name, command in group.commands.items():
        found.append((" ".join(("infrafit", *path, name)), command))
        if hasattr(command, "commands"):
            found += walk(command, (*path, name))
    return found


COMMANDS = walk(typer.main.get_command(app))


def test_the_walk_finds_the_commands() -> None:
    assert {name for name, _ in COMMANDS} >= {
        f"infrafit {c}"
        for c in ("check", "compare", "diff", "simulate", "schema", "catalog", "catalog list", "catalog show")
    }


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_has_help_and_is_documented(name: str, command: Any) -> None:
    assert (command.help or "").strip(), f"{name} has no help text"
    reference = (ROOT / "docs" / "cli.md").read_text()
    assert f"\n## {name}\n" in reference, f"docs/cli.md has no section for {name}"
    assert f"Usage: {name} " in reference, f"docs/cli.md does not show `{name} --help`"
    assert name in (ROOT / "README.md").read_text(), f"the README never mentions {name}"
