"""Shared helpers: the official-format fixtures under tests/fixtures/pricelists and a scan of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infrafit.catalog.refresh.overlay import price_per
from infrafit.catalog.refresh.records import Scan
from infrafit.catalog.refresh.resolve import Miss, Quote, Tiers, resolve
from infrafit.catalog.refresh.rules import Rule, load_rules
from infrafit.catalog.refresh.run import packaged_raw, scan_inputs

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pricelists"

Setup = tuple[list[Rule], Scan, dict[str, Any]]
"""A provider's rules, the scan of its fixtures with them, and its packaged catalog as plain data."""


@pytest.fixture(autouse=True)
def _no_user_overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's own config folder never leaks into a test (the default overlay folder lives there)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("INFRAFIT_GCP_API_KEY", raising=False)


def scan_fixtures(provider: str) -> Setup:
    """The provider's rules and their scan of ``FIXTURES/<provider>``."""
    packaged = packaged_raw(provider)
    rules = load_rules(provider, catalog=packaged)
    return rules, scan_inputs(provider, [FIXTURES / provider], rules, {}), packaged


def resolve_expected(rule_id: str, setup: Setup, want: Tiers | str) -> tuple[Rule, Quote | None]:
    """Resolve ``rule_id`` over the scan and check it against ``want``: tiers for a quote, text of a miss's reason.
    Returns the rule and the quote (None for a miss) for the provider's own checks of source and date."""
    rules, scan, packaged = setup
    rule = next(r for r in rules if r.id == rule_id)
    got = resolve(rule, scan, rule.per or price_per(packaged, rule.paths[0]))
    if isinstance(want, str):
        assert isinstance(got, Miss) and got.covered and want in got.reason
        return rule, None
    assert isinstance(got, Quote), getattr(got, "reason", "")
    assert got.tiers == want
    return rule, got
