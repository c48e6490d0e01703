"""Drawing for the terminal (Rich): a :class:`~infrafit.report.grid.Grid` as a table, tones as styles, and the
whole report as text."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from infrafit.engine.result import Severity
from infrafit.report.grid import TERMINAL, Cell, Grid
from infrafit.report.wording import SEVERITY_TONE

TONE_STYLE = {"": "", "ok": "green", "warn": "yellow", "bad": "red", "dim": "dim", "info": "cyan"}


def style(tone: str, strong: bool = False) -> str:
    return " ".join(s for s in ("bold" if strong else "", TONE_STYLE[tone]) if s)


def severity_style(severity: str) -> str:
    """``bold red`` errors, ``yellow`` warnings, ``cyan`` infos."""
    return style(SEVERITY_TONE.get(severity, ""), severity == Severity.ERROR)


def rich_cell(cell: Cell) -> Text | str:
    """A cell as Rich draws it: plain text stays a string, styled text a :class:`Text`."""
    text = cell.text_in(TERMINAL)
    if cell.fix:
        text += f"\nfix: {cell.fix}"
    look = style(cell.tone, cell.strong)
    return Text(text, style=look) if look else text


def line(cell: Cell) -> Text:
    """A cell as a line of its own."""
    return Text(cell.text_in(TERMINAL), style=style(cell.tone, cell.strong))


def to_rich(grid: Grid) -> Table:
    columns, rows = grid.visible(TERMINAL)
    table = Table(title=grid.title_in(TERMINAL), title_justify="left", show_lines=grid.lines, show_edge=grid.edge)
    for col in columns:
        right = col.numeric and TERMINAL not in col.left_in
        table.add_column(col.title, justify="right" if right else "left", overflow="fold" if col.fold else "ellipsis")
    for row in rows:
        table.add_row(*[rich_cell(c) for c in row.cells])
    return table


def draw(items: list[Grid | Cell]) -> list[Any]:
    """Grids, each with its notes (dimmed) under it, and lines."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, Grid):
            out += [to_rich(item), *[Text(n, style="dim") for n in item.notes]]
        else:
            out.append(line(item))
    return out


def to_text(renderables: list[Any], width: int | None = None, color: bool = False) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width or 140,
        force_terminal=color,
        color_system="auto" if color else None,
        markup=False,
        highlight=False,
        soft_wrap=False,
    )
    console.print(Group(*renderables))
    return buf.getvalue()
