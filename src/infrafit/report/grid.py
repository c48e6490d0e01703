"""A format-neutral table: each report table is written once as data and drawn by small functions for the terminal
(:func:`infrafit.report.terminal.to_rich`), Markdown (:func:`infrafit.report.markdown.to_markdown`) and HTML
(:func:`infrafit.report.html.page.to_html`).

Formats word a few things differently (the terminal says ``/mo`` where the others say ``/month``, only HTML has a
source column, only Markdown has icons). Those differences are data here, not a fourth copy of the table:
``Column.formats``, ``Row.formats`` and ``Cell.alt`` say where something shows and how it reads there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

TERMINAL, MARKDOWN, HTML = "terminal", "markdown", "html"
ALL: frozenset[str] = frozenset({TERMINAL, MARKDOWN, HTML})
ONLY_TERMINAL: frozenset[str] = frozenset({TERMINAL})
ONLY_HTML: frozenset[str] = frozenset({HTML})
ONLY_MARKDOWN: frozenset[str] = frozenset({MARKDOWN})
T_AND_H: frozenset[str] = frozenset({TERMINAL, HTML})
NOWHERE: frozenset[str] = frozenset()

#: How a cell reads: good news, a warning, bad news, secondary, or a neutral remark.
Tone = Literal["", "ok", "warn", "bad", "dim", "info"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    title: str
    numeric: bool = False
    """Right-aligned (Markdown ``---:``, HTML ``num``)."""
    left_in: frozenset[str] = frozenset()
    """Formats that align this numeric column left all the same."""
    formats: frozenset[str] = ALL
    """Formats that show the column."""
    fold: bool = False
    """Long text (a message): folds onto more lines in a table, a paragraph of its own in a narrow card."""
    label: str | None = None
    """Narrow terminal: the label before the value in a card (``None``: the title; ``""``: none)."""
    key: bool = False
    """An identifier (a resource name, a finding's code, a bottleneck): the terminal never breaks or cuts it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell:
    text: str = ""
    tone: Tone = ""
    """Colour in the terminal and HTML (Markdown stays plain)."""
    strong: bool = False
    """Bold in the terminal; in HTML ``<b>`` unless a tone already marks it."""
    href: str | None = None
    """HTML: drawn as a link to this address ("" draws a muted dash)."""
    code: bool = False
    """An identifier: ``code`` in Markdown, ``<code>`` in HTML."""
    badge: bool = False
    """HTML: a badge coloured by the tone."""
    icon: str | None = None
    """Markdown: an icon before the text."""
    fix: str = ""
    """What to do about it, after the text: a line ``fix: …`` in the terminal, `` — fix: …`` in Markdown."""
    tag: str = ""
    """HTML: a muted badge after the text (a pool's hard cap)."""
    note: str = ""
    """HTML: a muted aside in brackets after the text (a fact's date)."""
    bold_in: frozenset[str] = frozenset()
    """Formats beyond the terminal that set the text in bold (Markdown's total row)."""
    alt: Mapping[str, str] | None = None
    """The text in a format that words it differently."""

    def text_in(self, fmt: str) -> str:
        return self.alt.get(fmt, self.text) if self.alt else self.text


BLANK = Cell()


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    cells: Sequence[Cell]
    formats: frozenset[str] = ALL
    """Formats that show the row (the terminal's per-resource subtotal rows)."""
    kind: str = ""
    """HTML row class: ``total``, ``sub`` or ``best``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Grid:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Row]
    folded: bool = False
    """Markdown: inside a ``<details>`` block titled ``title``."""
    titles: Mapping[str, str] | None = None
    """The title in a format that words it differently."""
    empty: str = ""
    """What Markdown and HTML say when there is no row."""
    notes: Sequence[str] = ()
    """Lines under the table (a job's bottleneck explained)."""
    lines: bool = False
    """Terminal: a rule between rows (for long, folded messages)."""
    edge: bool = True
    """Terminal: draw the outer frame."""
    compact: bool = False
    """Terminal: small enough to stay a table in a narrow terminal (when it fits)."""
    heading: int = 1
    """Narrow terminal: how many leading cells make each row's heading line (the rest go under it)."""

    def title_in(self, fmt: str) -> str:
        return self.titles.get(fmt, self.title) if self.titles else self.title

    def visible(self, fmt: str) -> tuple[list[Column], list[Row]]:
        """The columns and rows ``fmt`` shows; each row's cells cut to those columns."""
        keep = [i for i, c in enumerate(self.columns) if fmt in c.formats]
        columns = [self.columns[i] for i in keep]
        rows = [Row(cells=[r.cells[i] for i in keep], kind=r.kind) for r in self.rows if fmt in r.formats]
        return columns, rows


def cells(*texts: str) -> list[Cell]:
    """Plain cells, for rows that need nothing else."""
    return [Cell(text=t) for t in texts]
