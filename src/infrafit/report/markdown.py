"""Drawing for Markdown (pull-request comments and docs): a :class:`~infrafit.report.grid.Grid` as a table, folded
in a ``<details>`` block when it is a detail. Markdown stays plain: no colours, icons where a colour would be."""

from __future__ import annotations

from infrafit.report.grid import MARKDOWN, Cell, Grid


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def md_cell(c: Cell) -> str:
    text = cell(c.text_in(MARKDOWN))
    if c.code:
        text = f"`{text}`"
    if c.icon is not None:
        text = f"{c.icon} {text}"
    if c.fix:
        text += cell(f" — fix: {c.fix}")
    return text


def md_row(texts: list[str]) -> str:
    """A table row; an empty cell is one blank, as GitHub writes it."""
    return "|" + "|".join(f" {t} " if t else " " for t in texts) + "|"


def details_table(summary: str, columns: list[str], rows: list[list[str]]) -> list[str]:
    """A table folded in a <details> block. A column named with a trailing ':' is right-aligned."""
    header = md_row([c.rstrip(":") for c in columns])
    align = "|" + "|".join("---:" if c.endswith(":") else "---" for c in columns) + "|"
    body = [md_row(row) for row in rows]
    return [f"<details><summary>{summary}</summary>", "", header, align, *body, "", "</details>", ""]


def to_markdown(grid: Grid) -> list[str]:
    """The table's lines; folded grids come in their <details> block, and an empty grid is its ``empty`` text."""
    columns, rows = grid.visible(MARKDOWN)
    names = [c.title + (":" if c.numeric and MARKDOWN not in c.left_in else "") for c in columns]
    body = [[md_cell(c) for c in row.cells] for row in rows]
    if grid.folded:
        return details_table(grid.title_in(MARKDOWN), names, body)
    if not rows:
        return [grid.empty]
    return details_table("", names, body)[2:-3]


def notes(grid: Grid) -> list[str]:
    return [f"- {n}" for n in grid.notes]
