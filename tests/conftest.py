import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def _empty_config_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("config-home")


@pytest.fixture(autouse=True)
def _run_from_the_repo_root(monkeypatch: pytest.MonkeyPatch, _empty_config_home: Path) -> Iterator[None]:
    """Examples and golden files are named relative to the repository root; no user's catalog overlay leaks in
    (the config directory is an empty one, the overlay variable unset, no `--catalog` choice left over)."""
    from infrafit.catalog import overlay

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("INFRAFIT_CATALOG_DIR", raising=False)
    monkeypatch.delenv(overlay.OVERLAY_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(_empty_config_home))
    os.environ.setdefault("COLUMNS", "140")
    overlay.select()
    yield
    overlay.select()
