"""`import terraform` on `terraform show -json` output and state, in the shapes real files come in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infrafit.errors import InputError
from infrafit.importers import run_import


def _check_plan(draft) -> None:  # type: ignore[no-untyped-def]
    res = draft.body["resources"]
    # two instances of module.app.aws_instance.web ([0] replaced, [1] created) are one resource, count 2;
    # the deleted aws_instance.old is not in planned_values, and the data source is skipped
    assert res["app_web"]["count"] == 2 and res["app_web"]["type"] == "t3.small"
    assert "app_old" not in res and "old" not in res
    # root volumes: 30 GiB gp3 each × 2 = 60 GiB
    assert res["app_web_root"]["usage"]["storage"] == "60GiB" and res["app_web_root"]["type"] == "gp3"
    # region from the provider's reference to var.region, whose value the plan records
    assert res["app_web"]["region"] == "us-east-2"
    # a resource only in a nested child module is found
    assert res["app_db_this"]["type"] == "db.t3.micro" and res["app_db_this"]["usage"]["storage"] == "50GiB"
    assert [s.type for s in draft.unmapped] == ["aws_elasticache_cluster"]
    assert any(f.code == "import_not_priced" and "multi_az" in f.message for f in draft.findings)


def test_plan_json(fixtures: Path) -> None:
    _check_plan(run_import("terraform", fixtures / "plan.json"))


def test_utf16_from_powershell(fixtures: Path, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_bytes((fixtures / "plan.json").read_text().encode("utf-16"))  # with a BOM, as `>` writes it
    _check_plan(run_import("terraform", path))
    path.write_bytes((fixtures / "plan.json").read_text().encode("utf-16-le"))  # without one
    _check_plan(run_import("terraform", path))


def test_ci_wrapper_noise(fixtures: Path, tmp_path: Path) -> None:
    body = (fixtures / "plan.json").read_text()
    noisy = f"[command]/home/runner/work/_temp/terraform-bin show -json tfplan\n{body}\n::debug::stderr:\n::debug::exitcode: 0\n"
    path = tmp_path / "plan.json"
    path.write_text(noisy)
    _check_plan(run_import("terraform", path))


def test_plan_wrapped_in_one_key(fixtures: Path, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"tfplan": json.loads((fixtures / "plan.json").read_text())}))
    _check_plan(run_import("terraform", path))


def test_show_json_of_state(fixtures: Path, tmp_path: Path) -> None:
    plan = json.loads((fixtures / "plan.json").read_text())
    state = {"format_version": "1.0", "terraform_version": "1.9.5", "values": plan["planned_values"]}
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state))
    draft = run_import("terraform", path)
    assert draft.source.endswith("(state JSON)")
    assert draft.body["resources"]["app_web"]["count"] == 2
    assert "region" not in draft.body["resources"]["app_web"]  # a state rendering has no provider config


def test_raw_state_file(fixtures: Path) -> None:
    draft = run_import("terraform", fixtures / "state.tfstate")
    res = draft.body["resources"]
    assert res["logs"]["region"] == "us-east1" and res["logs"]["type"] == "standard"
    assert res["jobs_tick"]["usage"]["jobs"] == 2  # two instances (for_each keys a, b) in module.jobs


def test_format_version_2_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"format_version": "2.0", "planned_values": {"root_module": {}}}))
    with pytest.raises(InputError, match=r"format_version 2\.0 is not supported"):
        run_import("terraform", path)


def test_not_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text("Error: no plan file\n")
    with pytest.raises(InputError, match="no Terraform plan or state JSON found"):
        run_import("terraform", path)
    path.write_text(json.dumps({"hello": 1, "world": 2}))
    with pytest.raises(InputError, match="not a Terraform plan or state"):
        run_import("terraform", path)
