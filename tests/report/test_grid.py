"""The format-neutral table and its three drawers: what shows where, and how each format marks a cell."""

from __future__ import annotations

from infrafit.report.grid import MARKDOWN, ONLY_HTML, ONLY_TERMINAL, TERMINAL, Cell, Column, Grid, Row
from infrafit.report.html.page import to_html
from infrafit.report.markdown import to_markdown
from infrafit.report.terminal import rich_cell, to_rich, to_text


def grid(**kw: object) -> Grid:
    rows = [
        Row(cells=[Cell(text="a|b", code=True, icon="⚠️"), Cell(text="1", tone="bad"), Cell(href="https://x.org/p")]),
        Row(cells=[Cell(text="sub"), Cell(text="2"), Cell()], formats=ONLY_TERMINAL),
        Row(
            cells=[Cell(text="total", strong=True, bold_in=frozenset({MARKDOWN})), Cell(text=""), Cell()], kind="total"
        ),
    ]
    columns = [Column(title=""), Column(title="n", numeric=True), Column(title="source", formats=ONLY_HTML)]
    return Grid(title="T", columns=columns, rows=rows, **kw)  # type: ignore[arg-type]


def test_markdown_escapes_marks_and_aligns() -> None:
    assert to_markdown(grid()) == [
        "| | n |",
        "|---|---:|",
        "| ⚠️ `a\\|b` | 1 |",
        "| **total** | |",
    ]


def test_markdown_folds_and_says_when_empty() -> None:
    folded = to_markdown(grid(folded=True, titles={MARKDOWN: "Folded"}))
    assert folded[:2] == ["<details><summary>Folded</summary>", ""]
    assert folded[-3:] == ["", "</details>", ""]
    empty = Grid(title="T", columns=[Column(title="x")], rows=[], empty="Nothing.")
    assert to_markdown(empty) == ["Nothing."]


def test_markdown_fix_follows_the_message() -> None:
    g = Grid(title="T", columns=[Column(title="m")], rows=[Row(cells=[Cell(text="over", fix="raise it")])])
    assert to_markdown(g)[-1] == "| over — fix: raise it |"


def test_html_classes_links_and_row_kinds() -> None:
    page = to_html(grid())
    assert '<th class="num">n</th>' in page and "<th>source</th>" in page
    assert '<td><code>a|b</code></td><td class="num"><span class="bad">1</span></td>' in page
    assert 'href="https://x.org/p"' in page
    assert '<tr class="total"><td><b>total</b></td>' in page
    assert "sub" not in page  # a terminal-only row


def test_html_badges_tags_notes_and_fixes() -> None:
    cells = [
        Cell(text="error", tone="bad", badge=True),
        Cell(text="info", tone="info"),
        Cell(text="pool", code=True, tag="hard cap"),
        Cell(href="", note="2026-01-02"),
        Cell(text="m<", fix="do"),
    ]
    page = to_html(Grid(title="T", columns=[Column(title=str(i)) for i in range(5)], rows=[Row(cells=cells)]))
    assert '<span class="badge bad">error</span>' in page
    assert '<span class="muted">info</span>' in page
    assert "<code>pool</code> <span class='badge muted'>hard cap</span>" in page
    assert '<span class="muted">-</span> <span class="muted">(2026-01-02)</span>' in page
    assert "m&lt;<br><b>fix:</b> do" in page
    assert to_html(Grid(title="T", columns=[], rows=[], empty="None.")) == '<p class="muted">None.</p>'


def test_terminal_styles_alignment_and_formats() -> None:
    assert str(rich_cell(Cell(text="x", tone="bad", strong=True)).style) == "bold red"
    assert rich_cell(Cell(text="x", fix="y")).plain == "x\nfix: y"
    assert rich_cell(Cell(text="shown", alt={TERMINAL: ""})).plain == ""
    table = to_rich(grid())
    assert [str(c.header) for c in table.columns] == ["", "n"]
    assert [c.justify for c in table.columns] == ["left", "right"]
    text = to_text([table], width=40)
    assert "sub" in text and "a|b" in text and "x.org" not in text


def test_numeric_left_in_a_format() -> None:
    g = Grid(title="T", columns=[Column(title="used", numeric=True, left_in=frozenset({TERMINAL}))], rows=[])
    assert to_rich(g).columns[0].justify == "left"
    assert to_markdown(Grid(title="T", columns=g.columns, rows=[], folded=True))[3] == "|---:|"
    assert '<th class="num">used</th>' in to_html(g)
