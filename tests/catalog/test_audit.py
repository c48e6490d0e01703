"""`catalog audit`: every fact with its age and grade, worst first; a CI gate on the facts a plan uses."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from infrafit.catalog.lookup import Catalog
from infrafit.cli import app
from infrafit.decisions.audit import audit_catalog, audit_gate

TODAY = date(2026, 11, 22)


def cite(as_of: str, evidence: str = "official") -> dict[str, str]:
    return {"source": f"https://example.com/{as_of}/{evidence}", "as_of": as_of, "evidence": evidence}


def toy() -> dict[str, Any]:
    """Five facts of known dates and grades (ages on 2026-11-22 in the comments)."""
    return {
        "provider": "toy",
        "name": "Toy Cloud",
        "as_of": "2026-11-01",
        "services": {
            "vm": {
                "name": "Toy VM",
                "category": "compute",
                "model": "instance",
                "fields": ["type"],
                "default_type": "small",
                "regions": ["r1"],
                "default_region": "r1",
                "meters": {"instance": {"label": "Instance hours", "unit": "hour", "category": "compute"}},
                "types": {
                    # 2026-11-22 − 2026-05-26 = 180 days: at the threshold, not over it
                    "small": {"vcpu": 1, "memory": "1GiB", "hourly": {"r1": "0.01"}, **cite("2026-05-26")},
                    # 2026-11-22 − 2026-05-25 = 181 days: over 180
                    "large": {"vcpu": 2, "memory": "2GiB", "hourly": {"r1": "0.02"}, **cite("2026-05-25")},
                },
                "limits": {
                    # 21 days, but third-party: flagged for its grade
                    "disk": {"max": "10GiB", **cite("2026-11-01", "third_party")},
                },
                "notes": [
                    # 2026-11-22 − 2024-11-22 = 730 days, and unverified
                    {"code": "old_note", "message": "an old note", **cite("2024-11-22", "unverified")},
                    # 0 days, price list: the best there is
                    {"code": "new_note", "message": "a new note", **cite("2026-11-22", "price_list")},
                ],
            }
        },
    }


def audit(**kwargs: Any) -> Any:
    return audit_catalog(catalog=Catalog.from_data({"toy": toy()}), today=TODAY, **kwargs)


def test_ages_grades_and_order_worst_first() -> None:
    result = audit()
    rows = [(f.label, f.age_days, f.evidence.value, f.old, f.weak) for f in result.facts]
    assert rows == [
        ("toy.vm notes old_note", 730, "unverified", True, True),
        ("toy.vm types large", 181, "official", True, False),
        ("toy.vm limits disk", 21, "third_party", False, True),
        ("toy.vm types small", 180, "official", False, False),  # not flagged: oldest of the rest
        ("toy.vm notes new_note", 0, "price_list", False, False),
    ]
    assert [f.path for f in result.facts][1] == "services.vm.types.large"


def test_the_threshold_moves_what_is_old() -> None:
    # max_age 20: every fact older than 20 days is old (730, 181, 180 and 21 days); the 0-day one is not
    assert [f.age_days for f in audit(max_age=20).old] == [730, 181, 180, 21]
    assert [f.age_days for f in audit(max_age=730).old] == []


def test_summary_counts_by_grade_and_age_band() -> None:
    result = audit()
    assert result.by_grade() == {"official": 2, "price_list": 1, "third_party": 1, "unverified": 1}
    # ages 0 and 21 under 90; 180 and 181 in 180-364; 730 in 365+
    assert result.by_band() == {"under 90 days": 2, "90-179 days": 0, "180-364 days": 2, "365 days or more": 1}


def test_the_gate_fails_only_on_plans_facts_older_than_max_age(tmp_path: Path) -> None:
    assert audit_gate(audit()) == []  # no plan: a listing, never a gate
    plan = tmp_path / "toy.yaml"
    plan.write_text("name: toy\nresources:\n  box: {service: toy.vm, type: large, region: r1}\n")
    result = audit(plans=[plan])
    # the plan prices the large type and checks the service's limit and notes; the small type is not used
    assert [f.label for f in result.facts] == [
        "toy.vm notes old_note",
        "toy.vm types large",
        "toy.vm limits disk",
        "toy.vm notes new_note",
    ]
    assert audit_gate(result) == [
        "toy.vm notes old_note: note as of 2024-11-22 is 730 days old (over 180); "
        "source https://example.com/2024-11-22/unverified",
        "toy.vm types large: type as of 2026-05-25 is 181 days old (over 180); "
        "source https://example.com/2026-05-25/official",
    ]
    assert len(audit_gate(audit(plans=[plan], max_age=181))) == 1  # the 730-day note only
    assert audit_gate(audit(plans=[plan], max_age=730)) == []


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_gate_exit_codes_at_the_oldest_used_fact() -> None:
    plan = "examples/seed003-after.yaml"
    oldest = min(f.as_of for f in audit_catalog([Path(plan)], today=TODAY).facts)
    age = (TODAY - oldest).days
    today = TODAY.isoformat()
    code, _, err = invoke("catalog", "audit", plan, "--today", today, "--max-age", str(age))
    assert code == 0, err
    code, _, err = invoke("catalog", "audit", plan, "--today", today, "--max-age", str(age - 1))
    assert code == 1
    assert "fail: " in err and f"{age} days old (over {age - 1})" in err
    code, _, _ = invoke("catalog", "audit", plan, "--today", today)  # no --max-age: a listing
    assert code == 0
    code, _, _ = invoke("catalog", "audit", "--today", today, "--max-age", "0")  # no plan: no gate
    assert code == 0


def test_cli_json_and_markdown() -> None:
    code, out, _ = invoke("catalog", "audit", "--provider", "neon", "--today", "2026-11-22", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["today"] == "2026-11-22" and data["max_age_days"] == 180 and data["providers"] == ["neon"]
    assert {f["provider"] for f in data["facts"]} == {"neon"}
    assert data["summary"]["facts"] == len(data["facts"]) == sum(data["summary"]["by_grade"].values())
    for fact in data["facts"]:
        age = (TODAY - date.fromisoformat(fact["as_of"])).days
        assert fact["age_days"] == age
        assert fact["flagged"] == (age > 180 or fact["evidence"] in ("third_party", "unverified"))
    code, out, _ = invoke("catalog", "audit", "--provider", "neon", "--today", "2026-11-22", "-f", "markdown")
    assert out.startswith("### catalog audit:") and "| flag | fact | kind | as of | days | grade | source |" in out


def test_cli_bad_input_is_exit_2() -> None:
    code, _, err = invoke("catalog", "audit", "--provider", "awz")
    assert code == 2 and "unknown provider 'awz' (did you mean aws?)" in err
    code, _, err = invoke("catalog", "audit", "--today", "yesterday")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = invoke("catalog", "audit", "no-such-plan.yaml")
    assert code == 2 and "no such file: no-such-plan.yaml" in err


def test_overlay_facts_are_marked_and_dated_by_the_price_list(tmp_path: Path) -> None:
    from tests.catalog.test_overlay import T3_SMALL_PLAN, write_overlay

    directory = write_overlay(tmp_path / "overlay")
    plan = tmp_path / "plan.yaml"
    plan.write_text(T3_SMALL_PLAN)
    code, out, _ = invoke(
        "catalog", "audit", str(plan), "--catalog", str(directory), "--today", "2026-11-22", "-f", "json"
    )
    assert code == 0
    data = json.loads(out)
    (small,) = [f for f in data["facts"] if f["path"] == "services.ec2.types.t3.small"]
    # the overlay's fact: 2026-11-22 − 2026-11-01 = 21 days, price-list evidence
    assert (small["overlay"], small["as_of"], small["age_days"], small["evidence"]) == (
        True,
        "2026-11-01",
        21,
        "price_list",
    )
    assert data["catalog_overlay"]["providers"]["aws"]["published"] == "2026-11-01"


@settings(max_examples=25, deadline=None)
@given(
    today=st.dates(min_value=date(2026, 11, 21), max_value=date(2030, 1, 1)),
    max_age=st.integers(min_value=0, max_value=2000),
)
def test_every_fact_is_listed_once_flagged_first_oldest_first(today: date, max_age: int) -> None:
    result = audit_catalog(today=today, max_age=max_age)
    keys = [(f.provider, f.path) for f in result.facts]
    assert len(keys) == len(set(keys))
    flags = [f.flagged for f in result.facts]
    assert flags == sorted(flags, reverse=True)  # every flagged fact before every other
    for group in (True, False):
        ages = [f.age_days for f in result.facts if f.flagged is group]
        assert ages == sorted(ages, reverse=True)
    assert all(f.old == (f.age_days > max_age) for f in result.facts)
    assert sum(result.by_band().values()) == sum(result.by_grade().values()) == len(result.facts)
    assert all(f.age_days == (today - f.as_of).days for f in result.facts)
