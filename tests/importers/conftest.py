from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = Path(__file__).parents[2] / "examples" / "terraform"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
