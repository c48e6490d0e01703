"""The text reports as a person reads them: every example fits 80 and 120 columns with no name, finding code or
bottleneck cut; errors come first; plan text is printed as text in the terminal and escaped in Markdown; a hard
cap's refused usage is shown as refused."""

from __future__ import annotations

import copy
import re
from functools import cache
from pathlib import Path

import pytest
from rich.cells import cell_len

from infrafit.catalog.lookup import Catalog
from infrafit.decisions.changes import diff
from infrafit.decisions.comparison import compare
from infrafit.engine.evaluate import evaluate
from infrafit.engine.result import Result
from infrafit.plan.loader import load_plan
from infrafit.report import render
from tests.catalog.test_in_memory import SOURCE, toy_provider

EXAMPLES = sorted(Path("examples").glob("*.yaml"))
WIDTHS = (80, 100, 120)


@cache
def result(path: str, simulated: bool = False) -> Result:
    plan = load_plan(Path(path))
    return evaluate(plan, replications=5) if simulated else evaluate(plan)


def identifiers(results: list[Result]) -> set[str]:
    """What must appear whole: resource names, finding codes, job bottlenecks."""
    out: set[str] = set()
    for r in results:
        out |= {res.name for res in r.resources}
        out |= {f.code for f in r.findings if f.severity != "info"}
        out |= {job.bottleneck for job in r.jobs if job.bottleneck}
    return out


def assert_fits(text: str, width: int, names: set[str]) -> None:
    lines = text.splitlines()
    too_long = [line for line in lines if cell_len(line) > width]
    assert not too_long, f"{len(too_long)} lines over {width} columns, e.g. {too_long[0]!r}"
    assert "…" not in text  # nothing is cut with an ellipsis
    # A table drawn wider than the screen is cropped at the right edge: its rows lose their right border.
    cropped = [line for line in lines if line[:1] in "┏┃┡│└" and line.rstrip()[-1:] not in "┓┃┩│┘"]
    assert not cropped, f"{len(cropped)} table lines cropped at {width} columns, e.g. {cropped[0]!r}"
    # A name is never cut inside a word; a long derived name may wrap at its spaces ("webhook checks" /
    # "[availability bot]") so the columns beside it keep their width.
    missing = sorted(
        n
        for n in names
        if not any(n in line for line in lines) and not all(any(w in line for line in lines) for w in n.split())
    )
    assert not missing, f"not whole on any line: {missing}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("plan", EXAMPLES, ids=lambda p: p.stem)
def test_check_and_simulate_fit_the_width_and_cut_no_name(plan: Path, width: int) -> None:
    checked = result(str(plan))
    assert_fits(render("check", "table", [checked], width=width), width, identifiers([checked]))
    simulated = result(str(plan), simulated=True)
    jobs = {j.name for j in simulated.jobs} | {j.bottleneck for j in simulated.jobs if j.bottleneck}
    assert_fits(render("simulate", "table", [simulated], width=width), width, jobs)


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_and_diff_fit_the_width_and_cut_no_name(width: int) -> None:
    plans = [result(str(p)) for p in sorted(Path("examples").glob("seed004-*.yaml"))]
    cmp = compare(plans)
    codes = {f.code for p in plans for f in p.errors}
    pools = {u.pool for p in plans for u in p.free_tier}
    assert_fits(render("compare", "table", cmp, width=width), width, {p.plan for p in plans} | codes | pools)
    before, after = result("examples/seed003-before.yaml"), result("examples/seed003-after.yaml")
    d = diff(before, after)
    assert_fits(render("diff", "table", d, width=width), width, {r.name for r in d.changed})


def test_errors_come_first_on_the_first_screen() -> None:
    # seed004-cloudflare has 1 error, 6 warnings and 16 notes; a screen is 24 lines at 80 columns
    r = result("examples/seed004-cloudflare.yaml")
    assert len([f for f in r.findings if f.severity == "info"]) >= 10
    screen = render("check", "table", [r], width=80).splitlines()[:24]
    assert any("limit_exceeded" in line for line in screen)
    assert any("each item needs 700 MB" in line for line in screen)


def test_notes_are_a_line_of_codes_unless_asked_for() -> None:
    r = result("examples/seed002-dashboard-cache.yaml")
    infos = sorted({f.code for f in r.findings if f.severity == "info"})
    text = render("check", "table", [r], width=120)
    assert f"{len(infos)} more findings (info): {', '.join(infos)}; --verbose shows them" in " ".join(
        text.split()
    ).replace(" ,", ",")
    assert "Only one free database per account" not in text
    verbose = render("check", "table", [r], width=120, min_severity="info")
    assert "Only one free database per account" in verbose and "more findings" not in verbose
    only_errors = render("check", "table", [r], width=120, min_severity="error")
    assert "hobby_pause" in only_errors.split("more findings")[1]  # a warning, now counted rather than shown
    md = render("check", "markdown", [r])
    assert f"<details><summary>{len(infos)} more findings (info)</summary>" in md


def test_narrow_layout_is_key_value_and_drops_silent_columns() -> None:
    text = render("check", "table", [result("examples/seed004-gcp.yaml")], width=80)
    assert "┃ resource" not in text  # no wide cost table below 100 columns
    assert "analyzer [job analyze]  $11.65" in text  # a resource per block, its cost beside it
    wide = render("check", "table", [result("examples/seed004-gcp.yaml")], width=120)
    assert "┃ resource" in wide


# -- plan text is text ----------------------------------------------------------------------------------------
HOSTILE = """
name: "\\e[2J\\e[H\\e[32mall good\\e[0m [bold]x[/bold]"
resources:
  "<img src=x onerror=alert(1)></details><h1>✅ fits</h1>":
    service: aws.s3
    usage: {storage: 1GB}
  "a|b":
    service: aws.s3
    usage: {storage: 1GB}
  "rate:gemini:per_day":
    service: aws.s3
    usage: {storage: 1GB}
"""


def test_the_terminal_prints_names_as_written_without_escapes_markup_or_emoji() -> None:
    r = evaluate(load_plan("hostile.yaml", text=HOSTILE))
    text = render("check", "table", [r], width=120, color=True)
    assert "\x1b[2J" not in text and "\x1b[32mall" not in text  # the name's own sequences are gone
    assert "[2J" not in text and "all good" in text
    assert "[bold]x[/bold]" in re.sub(r"\x1b\[[0-9;]*m", "", text)  # markup printed, not interpreted
    assert "rate:gemini:per_day" in text and "♊" not in text


def test_markdown_escapes_html_pipes_and_emoji_codes() -> None:
    r = evaluate(load_plan("hostile.yaml", text=HOSTILE))
    md = render("check", "markdown", [r])
    assert "<img" not in md and "<h1>" not in md and "</details><h1>" not in md
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;/details&gt;&lt;h1&gt;✅ fits&lt;/h1&gt;" in md
    row = next(line for line in md.splitlines() if line.startswith("| a"))
    # resource, service, region, type/plan, monthly: five cells (six bars), the name's pipe escaped
    assert len(re.findall(r"(?<!\\)\|", row)) == 6 and "a\\|b" in row
    assert "`rate:gemini:per_day`" in md  # a code span: GitHub substitutes no emoji there
    assert md.count("<details>") == md.count("</details>")


def test_markdown_code_span_survives_backticks_and_pipes() -> None:
    from infrafit.report.markdown import cell, code

    assert code("a`b|c") == "`` a`b\\|c ``"
    assert cell("see `infrafit catalog show X` | *now*") == "see `infrafit catalog show X` \\| \\*now\\*"


# -- hard caps ------------------------------------------------------------------------------------------------
def capped_provider() -> dict[str, object]:
    """The toy queue on a free plan: 2 million operations a month, refused beyond (a hard cap), nothing billed."""
    data = copy.deepcopy(toy_provider())
    queue = data["services"]["queue"]
    queue["meters"]["operations"]["price"] = {"usd": "0", **SOURCE}
    queue["free"][0]["hard"] = True
    return data


def test_usage_beyond_a_hard_cap_shows_as_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFRAFIT_CATALOG_DIR", str(tmp_path))
    catalog = Catalog.from_data({"toy": capped_provider()})
    plan = "name: capped\nresources:\n  jobs:\n    service: toy.queue\n    usage: {operations: 7M/month}\n"
    r = evaluate(load_plan("capped.yaml", text=plan), catalog)
    (line,) = r.resources[0].components
    assert line.billable_quantity == 0  # the cap refuses, it does not bill
    wide = render("check", "table", [r], width=120)
    # 7,000,000 asked - 2,000,000 free = 5,000,000 refused
    assert re.search(r"│ +5,000,000 │", wide), wide
    assert "refused beyond the cap" in wide and "billed beyond" not in wide
    assert "does not fit: 1 limit exceeded" in wide.splitlines()[0]
    assert "budget" not in wide.splitlines()[0]
    narrow = render("check", "table", [r], width=80)
    assert "refused 5,000,000" in narrow
    md = render("check", "markdown", [r])
    assert "| 5,000,000 |" in md and "refused beyond the cap" in md


def test_durations_use_one_unit_per_magnitude() -> None:
    from infrafit.report.fmt import hours, number, seconds

    # 11.3 days is 271.2 h: always worded in days beyond two days, hours under, minutes under 90 min
    assert hours(271.2) == "11.3 days" and hours(32.6) == "32.6 h" and seconds(75 * 60) == "75.0 min"
    assert number(24_243_000.0) == "24,243,000" and number(0.00001234) == "0.000012"
    assert "e+" not in number(2.4243e7)


@pytest.mark.parametrize("width", (60, 80))
def test_compare_keeps_every_plan_name_whole_when_narrow(width: int) -> None:
    # Four plans: the side-by-side table no longer fits 60 columns with whole names, so each plan becomes a block.
    paths = ["seed004-aws", "ranges-seed004-aws", "seed004-gcp", "seed004-cloudflare"]
    plans = [result(f"examples/{p}.yaml") for p in paths]
    text = render("compare", "table", compare(plans), width=width)
    assert_fits(text, width, set())
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Plans"))
    end = next(i for i, line in enumerate(lines) if line.startswith(("monthly:", "Free tier", "Errors")))
    side_by_side = lines[start:end]  # the names must be whole in the plans' own table or blocks, not only elsewhere
    for name in paths:
        assert any(name in line for line in side_by_side), f"{name} is not whole in the side-by-side part"
