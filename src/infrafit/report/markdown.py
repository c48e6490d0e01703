"""Drawing for Markdown (pull-request comments and docs): a :class:`~infrafit.report.grid.Grid` as a table, folded
in a ``<details>`` block when it is a detail. Markdown stays plain: no colours, icons where a colour would be.

Names come from the plan, and a plan comes from a pull request: every piece of text is escaped for where it goes
(:func:`cell` for text, :func:`code` for identifiers, :func:`html_text` inside HTML such as ``<summary>``), so a
name cannot add a heading, close a ``<details>`` block, split a table row or become an emoji (``:gemini:``).
"""

from __future__ import annotations

import html
import re

from infrafit.report.grid import MARKDOWN, Cell, Grid

# A word with a colon-delimited part (``rate:gemini:per_day``): GitHub would turn ``:gemini:`` into an emoji
# anywhere but in code, so such words go in code spans.
_EMOJI_PRONE = re.compile(r"\S*:[A-Za-z0-9_+-]+:\S*")
# Text already in backticks (a command in a message) stays a code span.
_CODE_OR_EMOJI = re.compile(r"`([^`\n]+)`|" + _EMOJI_PRONE.pattern)
# Characters that start Markdown syntax inside a line; ``_`` only at a word's edge (inside words GFM ignores it).
_SPECIAL = re.compile(r"([\\`*\[\]|~])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    text = html.escape(text, quote=False)
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def code(text: str) -> str:
    """``text`` as a code span, fenced with more backticks than it contains, safe inside a table cell."""
    text = _CONTROL.sub("", text.replace("\n", " "))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    body = text.replace("|", "\\|")
    return f"{fence}{pad}{body}{pad}{fence}"


def cell(text: str) -> str:
    """Text safe inside a Markdown line or table cell: HTML and Markdown syntax escaped, one line, and words
    GitHub would turn into emoji put in code spans."""
    text = _CONTROL.sub("", text.replace("\n", " ").replace("\r", " "))
    out = []
    last = 0
    for m in _CODE_OR_EMOJI.finditer(text):
        out.append(_plain(text[last : m.start()]))
        out.append(code(m.group(1) or m.group(0)))
        last = m.end()
    out.append(_plain(text[last:]))
    return "".join(out)


def html_text(text: str) -> str:
    """Text inside an HTML element of the Markdown (``<summary>``): HTML-escaped, one line."""
    return html.escape(_CONTROL.sub("", text.replace("\n", " ")), quote=False)


def md_cell(c: Cell) -> str:
    raw = c.text_in(MARKDOWN)
    text = code(raw) if c.code and raw else cell(raw)
    if MARKDOWN in c.bold_in and text:
        text = f"**{text}**"
    if c.icon is not None:
        text = f"{c.icon} {text}"
    if c.fix:
        text += " — fix: " + cell(c.fix)
    return text


def md_row(texts: list[str]) -> str:
    """A table row; an empty cell is one blank, as GitHub writes it."""
    return "|" + "|".join(f" {t} " if t else " " for t in texts) + "|"


def details_table(summary: str, columns: list[str], rows: list[list[str]]) -> list[str]:
    """A table folded in a <details> block. A column named with a trailing ':' is right-aligned. The summary is
    plain text (escaped here); columns and rows are Markdown already escaped by the caller."""
    header = md_row([c.removesuffix(":") for c in columns])
    align = "|" + "|".join("---:" if c.endswith(":") else "---" for c in columns) + "|"
    body = [md_row(row) for row in rows]
    return [f"<details><summary>{html_text(summary)}</summary>", "", header, align, *body, "", "</details>", ""]


def to_markdown(grid: Grid) -> list[str]:
    """The table's lines; folded grids come in their <details> block, and an empty grid is its ``empty`` text."""
    columns, rows = grid.visible(MARKDOWN)
    names = [cell(c.title) + (":" if c.numeric and MARKDOWN not in c.left_in else "") for c in columns]
    body = [[md_cell(c) for c in row.cells] for row in rows]
    if grid.folded:
        return details_table(grid.title_in(MARKDOWN), names, body)
    if not rows:
        return [grid.empty]
    return details_table("", names, body)[2:-3]


def notes(grid: Grid) -> list[str]:
    """The notes as a list; a note indented by two spaces is an item of the one before."""
    return [f"  - {cell(n[2:])}" if n.startswith("  ") else f"- {cell(n)}" for n in grid.notes]
