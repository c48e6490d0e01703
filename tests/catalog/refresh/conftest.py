"""Shared helpers: the official-format fixtures under tests/fixtures/pricelists and a scan of them."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pricelists"


@pytest.fixture(autouse=True)
def _no_user_overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user's own config folder never leaks into a test (the default overlay folder lives there)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("INFRAFIT_GCP_API_KEY", raising=False)
