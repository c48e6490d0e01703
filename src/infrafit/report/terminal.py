"""Drawing for the terminal (Rich): a :class:`~infrafit.report.grid.Grid` as a table, or as key/value cards when
the terminal is narrow; tones as styles; and the whole report as text.

Nothing a plan names is ever cut: identifier columns (``Column.key``) keep their full width, other columns fold
onto more lines, and no cell ends in an ellipsis. Text from a plan is printed as text: no Rich markup, no emoji
codes (``rate:gemini:per_day`` stays as written), no control characters (a name cannot clear the screen).
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from typing import Any

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from infrafit.engine.result import Severity
from infrafit.report.clean import clean as clean  # re-exported: renderers import it from here
from infrafit.report.grid import TERMINAL, Cell, Column, Grid, Row
from infrafit.report.wording import SEVERITY_TONE

TONE_STYLE = {"": "", "ok": "green", "warn": "yellow", "bad": "red", "dim": "dim", "info": "cyan"}

#: Width of a report that goes to a pipe or a file (not a terminal) when neither ``--width`` nor ``COLUMNS`` says.
#: Stable, so CI logs and saved reports do not depend on the runner; wide enough for the table layout with
#: catalog line names and prices on one line, and what CI log viewers and editors show without scrolling.
DEFAULT_WIDTH = 120
#: Below this many columns tables become key/value cards: a resource, a pool, a job, a finding per block.
NARROW_BELOW = 100
#: The narrowest report that still reads (``--width`` refuses less).
MIN_WIDTH = 40

def resolve_width(width: int | None) -> int:
    """The report's width: ``width`` when given, else ``COLUMNS`` when set, else :data:`DEFAULT_WIDTH`."""
    if width:
        return width
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= MIN_WIDTH:
        return int(columns)
    return DEFAULT_WIDTH


def is_narrow(width: int | None) -> bool:
    return resolve_width(width) < NARROW_BELOW


def style(tone: str, strong: bool = False) -> str:
    return " ".join(s for s in ("bold" if strong else "", TONE_STYLE[tone]) if s)


def severity_style(severity: str) -> str:
    """``bold red`` errors, ``yellow`` warnings, ``cyan`` infos."""
    return style(SEVERITY_TONE.get(severity, ""), severity == Severity.ERROR)


def text(value: str, look: str = "") -> Text:
    """Plan text as a Rich :class:`Text`: cleaned, never read as markup, long words folded rather than cut."""
    return Text(clean(value), style=look, overflow="fold")


def rich_cell(cell: Cell) -> Text:
    """A cell as Rich draws it, with its fix on a line of its own."""
    value = cell.text_in(TERMINAL)
    if cell.fix:
        value += f"\nfix: {cell.fix}"
    return text(value, style(cell.tone, cell.strong))


def line(cell: Cell) -> Text:
    """A cell as a line of its own."""
    return text(cell.text_in(TERMINAL), style(cell.tone, cell.strong))


def _key_width(rows: Sequence[Row], i: int, width: int) -> int:
    """An identifier column's minimum: its longest unbreakable word, so a name may wrap at a space (the words of
    ``analyzer [job analyze]``) but is never cut inside one."""
    longest = max((len(word) for r in rows for word in clean(r.cells[i].text_in(TERMINAL)).split()), default=0)
    return min(longest, max(width - 20, 10))


def to_rich(grid: Grid, width: int | None = None) -> Table:
    """The grid as a table. Identifier columns are as wide as their longest entry; every other column folds."""
    columns, rows = grid.visible(TERMINAL)
    table = Table(title=text(grid.title_in(TERMINAL)), title_justify="left", show_lines=grid.lines, show_edge=grid.edge)
    for i, col in enumerate(columns):
        right = col.numeric and TERMINAL not in col.left_in
        minimum = _key_width(rows, i, resolve_width(width)) if col.key else None
        table.add_column(text(col.title), justify="right" if right else "left", overflow="fold", min_width=minimum)
    for row in rows:
        table.add_row(*[rich_cell(c) for c in row.cells])
    return table


_NOTHING = frozenset({"", "-", "0", "$0.00", "0%"})


def _silent(columns: Sequence[Column], rows: Sequence[Row]) -> set[int]:
    """Columns that say nothing in any row (all zero or blank): a narrow layout drops them."""
    return {i for i in range(len(columns)) if all(r.cells[i].text_in(TERMINAL).strip() in _NOTHING for r in rows)}


def cards(grid: Grid) -> list[Any]:
    """The grid as key/value blocks for a narrow terminal: the leading ``grid.heading`` cells as a bold line, the
    short cells as ``title value`` pairs on the lines under it, long (folding) cells as paragraphs of their own."""
    columns, rows = grid.visible(TERMINAL)
    if not rows:
        return []
    silent = _silent(columns, rows)
    out: list[Any] = [text(grid.title_in(TERMINAL), "bold underline")]
    for row in rows:
        head = Text(overflow="fold")
        for cell in row.cells[: grid.heading]:
            value = clean(cell.text_in(TERMINAL)).replace("\n", " · ")
            if value:
                head.append(("  " if head else "") + value, style(cell.tone, cell.strong or not head))
        pairs = Text(overflow="fold")
        paragraphs: list[Text] = []
        for i, (col, cell) in enumerate(zip(columns, row.cells, strict=True)):
            value = cell.text_in(TERMINAL).strip()
            if i < grid.heading or i in silent or value in ("", "-"):
                continue
            if col.fold:
                paragraphs.append(rich_cell(cell))
                continue
            if pairs:
                pairs.append(" · ", "dim")
            label = col.title if col.label is None else col.label
            if label:
                pairs.append(clean(label) + " ", "dim")
            pairs.append(clean(value).replace("\n", ", "), style(cell.tone, cell.strong))
        out.append(head)
        out += [Padding(p, (0, 0, 0, 2), expand=False) for p in ([pairs] if pairs else []) + paragraphs]
    return out


def fits(table: Table, width: int | None) -> bool:
    """Whether ``table`` can be drawn in ``width`` columns without cutting a column off; when it can, each column is
    given a width so that it is.

    Rich clamps a table's own measurement to the width it is given, so each column is measured unclamped: its
    widest unbreakable word (or its ``min_width``) and its longest line, plus padding and the border between columns.
    Rich's own collapse shrinks the widest columns first and can leave the table wider than the screen (then cropped)
    even when the minimums fit; when it would, the room above the minimums is shared out here instead, in proportion
    to what each column could use."""
    from rich.measure import Measurement

    limit = resolve_width(width)
    measuring = console(io.StringIO(), 10 * limit)
    options = measuring.options
    overhead = 1 if table.show_edge else -1  # the outer borders, or none (inner separators are counted per column)
    lows: list[int] = []
    highs: list[int] = []
    for index, column in enumerate(table.columns):
        overhead += table._get_padding_width(index) + 1
        sizes = [Measurement.get(measuring, options, cell) for cell in [column.header, *column.cells]]
        low = max(max((m.minimum for m in sizes), default=0), column.min_width or 0)
        lows.append(low)
        highs.append(max(low, max((m.maximum for m in sizes), default=0)))
    room = limit - overhead
    if sum(lows) > room:
        return False
    if sum(highs) > room and not _rich_fits(table, limit):  # fix each column's width so that nothing is cut
        spare, wants = room - sum(lows), [high - low for low, high in zip(lows, highs, strict=True)]
        shares = [spare * want // sum(wants) for want in wants]
        for column, low, share in zip(table.columns, lows, shares, strict=True):
            column.width = low + share
    return True


def _rich_fits(table: Table, limit: int) -> bool:
    """Whether Rich's own layout of ``table`` keeps inside ``limit`` columns (it usually does; then it is kept)."""
    drawing = console(io.StringIO(), limit)
    inner = limit - table._extra_width
    return sum(table._calculate_column_widths(drawing, drawing.options.update_width(inner))) <= inner


def draw_grid(grid: Grid, width: int | None = None) -> list[Any]:
    """A grid as a table, or as cards when the terminal is narrow or the table cannot fit; its notes under it;
    nothing for a grid with no row."""
    _, rows = grid.visible(TERMINAL)
    if not rows:
        return []
    table = None if is_narrow(width) and not grid.compact else to_rich(grid, width)
    body = [table] if table is not None and fits(table, width) else cards(grid)
    return [*body, *[_note(n) for n in grid.notes]]


def _note(note: str) -> Any:
    """A note under a table; one indented by two spaces is a bullet of the note before."""
    if note.startswith("  "):
        return Padding(text("• " + note[2:], "dim"), (0, 0, 0, 2), expand=False)
    return text(note, "dim")


def draw(items: list[Grid | Cell], width: int | None = None) -> list[Any]:
    """Grids, each with its notes (dimmed) under it, and lines."""
    out: list[Any] = []
    for item in items:
        out += draw_grid(item, width) if isinstance(item, Grid) else [line(item)]
    return out


def console(file: Any, width: int | None = None, color: bool = False, **options: Any) -> Console:
    """A Console that prints plan text as text: no markup, no emoji codes, no highlighting."""
    return Console(
        file=file,
        width=resolve_width(width),
        force_terminal=color,
        color_system="auto" if color else None,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        **options,
    )


def to_text(renderables: list[Any], width: int | None = None, color: bool = False) -> str:
    buf = io.StringIO()
    console(buf, width, color).print(Group(*renderables))
    return "".join(part.rstrip(" ") + "\n" for part in buf.getvalue().splitlines())
