"""`catalog audit` as a user reads it: a short heading, one line saying what is flagged and why, and each fact
as a table row or, when the table cannot fit, a card (flag and fact, then kind, date, age, grade, source)."""

from __future__ import annotations

from datetime import date

from infrafit.catalog.model import Evidence
from infrafit.decisions.audit import Audit, FactAge
from infrafit.report.audit import render_audit

TODAY = date(2026, 11, 22)
URL = "https://example.com/docs/a-rather-long-page-name-that-cannot-be-broken-at-a-space/pricing"


def fact(label: str, as_of: date, evidence: Evidence, *, max_age: int = 180) -> FactAge:
    age = (TODAY - as_of).days
    weak = evidence not in (Evidence.OFFICIAL, Evidence.PRICE_LIST)
    return FactAge(
        provider="toy", path=label, label=label, kind="price", as_of=as_of, age_days=age, evidence=evidence,
        source=URL, overlay=False, old=age > max_age, weak=weak,
    )


def audit(plans: list[str]) -> Audit:
    facts = [
        fact("toy.vm types large", date(2024, 11, 22), Evidence.THIRD_PARTY),  # 730 days, weak: both flags
        fact("toy.vm types small", date(2026, 5, 25), Evidence.OFFICIAL),  # 181 days: old
        fact("toy.vm limits disk", date(2026, 11, 21), Evidence.UNVERIFIED),  # 1 day, weak
        fact("toy.vm notes new_note", date(2026, 11, 1), Evidence.PRICE_LIST),  # 21 days: not flagged
    ]
    return Audit(today=TODAY, max_age=180, facts=facts, plans=plans, providers=["toy"])


def test_heading_names_few_plans_and_counts_many() -> None:
    one = render_audit(audit(["a.yaml"]), "text", width=120).splitlines()[0]
    assert one == "catalog audit: 4 facts used by a.yaml, judged on 2026-11-22"
    two = render_audit(audit(["a.yaml", "b.yaml"]), "text", width=120).splitlines()[0]
    assert two == "catalog audit: 4 facts used by a.yaml and b.yaml, judged on 2026-11-22"
    many = render_audit(audit([f"p{i}.yaml" for i in range(15)]), "text", width=120).splitlines()[0]
    assert many == "catalog audit: 4 facts used by 15 plans, judged on 2026-11-22"
    whole = render_audit(audit([]), "markdown").splitlines()[0]
    assert whole == "### catalog audit: 4 facts of toy, judged on 2026-11-22"


def test_the_flagged_line_counts_each_reason_and_both() -> None:
    out = render_audit(audit([]), "text", width=120)
    # Flagged: large (old and weak), small (old), disk (weak) = 3 of 4; old 2, weak 2, 1 both.
    assert (
        "flagged 3 of 4: 2 older than 180 days (old), 2 known below official or price_list evidence (weak), 1 both"
        in out
    )


def test_each_fact_reads_whole_at_80_and_120_columns() -> None:
    for width in (80, 120):
        lines = render_audit(audit([]), "text", width=width).splitlines()
        assert all(len(line) <= width for line in lines)
        # Flags and fact labels are never broken; ages say day or days.
        assert "old, weak  toy.vm types large" in lines
        assert "old  toy.vm types small" in lines
        assert "weak  toy.vm limits disk" in lines
        assert "toy.vm notes new_note" in lines
        text = "\n".join(lines)
        assert "730 days" in text and "181 days" in text and "· 1 day ·" in text and "21 days" in text
        assert "grade third_party" in text


def test_markdown_keeps_its_table() -> None:
    out = render_audit(audit([]), "markdown")
    assert "| flag | fact | kind | as of | days | grade | source |" in out
    assert "| ⚠️ old, weak | toy.vm types large | price | 2024-11-22 | 730 | third_party |" in out
    assert "| toy.vm notes new_note | price | 2026-11-01 | 21 | price_list |" in out
