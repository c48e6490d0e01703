from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrafit.cli import app
from infrafit.decisions import load_revision
from infrafit.errors import InputError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PLAN = "name: {name}\nresources:\n  vm: {{service: aws.ec2, region: us-east-1, type: {type}}}\n"


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose `main` has the plan with a t3.micro; the working tree has a t3.small."""
    (tmp_path / "infra").mkdir()
    plan = tmp_path / "infra" / "plan.yaml"
    plan.write_text(PLAN.format(name="old", type="t3.micro"))
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "plan")
    plan.write_text(PLAN.format(name="new", type="t3.small"))
    return tmp_path


def test_revision_and_working_tree(repo: Path) -> None:
    assert load_revision("main:infra/plan.yaml", cwd=repo).name == "old"
    assert load_revision("infra/plan.yaml", cwd=repo).name == "new"


def test_path_from_a_subfolder(repo: Path) -> None:
    sub = repo / "infra"
    # Git reads REV:PATH from the top of the repository; a path relative to the current folder also works.
    assert load_revision("main:infra/plan.yaml", cwd=sub).name == "old"
    assert load_revision("main:plan.yaml", cwd=sub).name == "old"
    assert load_revision("main:./plan.yaml", cwd=sub).name == "old"


def test_an_existing_path_wins(repo: Path) -> None:
    odd = repo / "main:infra"
    odd.mkdir()
    (odd / "plan.yaml").write_text(PLAN.format(name="file-wins", type="t3.nano"))
    assert load_revision("main:infra/plan.yaml", cwd=repo).name == "file-wins"


def test_errors_are_input_errors(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with pytest.raises(InputError, match="unknown git revision 'nope'"):
        load_revision("nope:infra/plan.yaml", cwd=repo)
    with pytest.raises(InputError, match="is not in revision main"):
        load_revision("main:infra/missing.yaml", cwd=repo)
    with pytest.raises(InputError, match="no such file"):
        load_revision("missing.yaml", cwd=repo)
    outside = tmp_path_factory.mktemp("not-a-repo")
    with pytest.raises(InputError, match="not inside a git repository"):
        load_revision("main:plan.yaml", cwd=outside)


def test_cli_diff_against_a_revision(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(app, ["diff", "main:infra/plan.yaml", "infra/plan.yaml", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"delta_monthly_cost": 7.592' in result.stdout  # t3.micro -> t3.small: 730 × (0.0208 - 0.0104)
    bad = CliRunner().invoke(app, ["diff", "nope:infra/plan.yaml", "infra/plan.yaml"])
    assert bad.exit_code == 2
    assert "unknown git revision" in bad.stderr
