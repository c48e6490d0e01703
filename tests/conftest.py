import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _run_from_the_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Examples and golden files are named relative to the repository root."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("INFRAFIT_CATALOG_DIR", raising=False)
    os.environ.setdefault("COLUMNS", "140")
