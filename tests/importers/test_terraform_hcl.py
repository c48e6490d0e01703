"""`import terraform` on configuration directories: the example, a Google one, registry modules, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from infrafit.errors import InputError
from infrafit.importers import run_import
from infrafit.importers.terraform.mapper import zone_region
from infrafit.importers.yamlout import render_yaml
from infrafit.plan.loader import load_plan
from tests.importers.conftest import EXAMPLE


def _res(draft, name):  # type: ignore[no-untyped-def]
    return draft.body["resources"][name]


def test_example_directory() -> None:
    draft = run_import("terraform", EXAMPLE)
    web = _res(draft, "web")
    # terraform.tfvars (web_count = 2, web_type = t3.small) beats the variables' defaults (1, t3.micro)
    assert (web["service"], web["type"], web["count"]) == ("aws.ec2", "t3.small", 2)
    assert web["region"] == "us-east-1" and "var.region" in draft.comments[("resources", "web", "region")]
    # the root volume is its own EBS resource: 8 GiB assumed per instance × 2 instances = 16 GiB of gp2
    root = _res(draft, "web_root")
    assert (root["service"], root["type"], root["usage"]["storage"]) == ("aws.ebs", "gp2", "16GiB")
    # the local module is followed with its inputs: memory_size = 512 from the caller, not the default 128
    assert _res(draft, "worker_worker")["memory"] == "512MiB"
    assert _res(draft, "worker_jobs")["plan"] == "standard"
    assert _res(draft, "db")["usage"]["storage"] == "20GiB"
    assert _res(draft, "http")["plan"] == "http"
    assert [s.address for s in draft.unmapped] == ["aws_nat_gateway.nat"]  # listed, never dropped
    assert {s.type for s in draft.free} == {
        "aws_vpc", "aws_subnet", "aws_security_group", "aws_iam_role", "aws_lambda_event_source_mapping"
    }


def test_var_flag_beats_tfvars() -> None:
    draft = run_import("terraform", EXAMPLE, variables={"web_count": "5", "region": "eu-west-1"})
    assert _res(draft, "web")["count"] == 5  # a number variable: "5" is read as 5
    assert _res(draft, "web")["region"] == "eu-west-1"


def test_imported_plan_loads_and_has_fill_comments() -> None:
    draft = run_import("terraform", EXAMPLE)
    text = render_yaml(draft)
    assert "hours: 730h  # FILL running hours per month" in text
    assert "#   aws_nat_gateway.nat (aws_nat_gateway)" in text
    plan = load_plan("imported.yaml", text=text)
    assert set(plan.resources) == set(draft.body["resources"])


def test_google_directory_regions_and_fields(fixtures: Path) -> None:
    draft = run_import("terraform", fixtures / "gcp", variables={"project_id": "p1"})
    vm = _res(draft, "vm")
    # the zone wins over the provider's region (us-central1)
    assert vm["region"] == "europe-west1" and draft.comments[("resources", "vm", "region")] == "from zone europe-west1-b"
    assert vm["disk"] == "20GiB"
    api = _res(draft, "api")
    assert (api["cpu"], api["memory"], api["plan"], api["usage"]["concurrency"]) == (2, "1Gi", "request", 80)
    job = _res(draft, "nightly")
    assert (job["cpu"], job["plan"]) == (1, "instance")  # 1000m is one vCPU
    assert _res(draft, "tick")["usage"]["jobs"] == 4  # count = 4 jobs, each billed
    assert _res(draft, "data")["type"] == "nearline" and _res(draft, "data")["region"] == "us-central1"
    assert _res(draft, "pg")["usage"]["storage"] == "15GiB"
    assert _res(draft, "scaled")["count"] == 3  # for_each over a set of three
    assert "FILL count depends on var.replicas" in draft.comments[("resources", "unknown_count", "count")]
    assert _res(draft, "odd")["region"] == "us-central1"  # "blah" is no zone: the provider's region
    assert any(f.code == "import_zone_unreadable" for f in draft.findings)
    assert _res(draft, "edge")["service"] == "cloudflare.workers"
    assert {s.type for s in draft.free} == {"google_project_service", "google_pubsub_subscription", "random_id"}


def test_registry_modules(fixtures: Path) -> None:
    draft = run_import("terraform", fixtures / "registry")
    # vpc is mapped by .terraform/modules/modules.json: followed; eks is not initialised: listed
    assert _res(draft, "vpc_nat")["service"] == "aws.public_ipv4"
    assert _res(draft, "vpc_nat")["region"] == "eu-west-1"
    assert [(s.address, s.type) for s in draft.unmapped] == [("module.eks", "module")]


def test_syntax_error_is_located(fixtures: Path) -> None:
    with pytest.raises(InputError) as err:
        run_import("terraform", fixtures / "bad")
    problem = err.value.problems[0]
    assert problem.file is not None and problem.file.endswith("main.tf")
    assert problem.line == 3 and "HCL syntax error" in problem.message


def test_zone_region() -> None:
    assert zone_region("us-east-1a") == "us-east-1"
    assert zone_region("us-central1-f") == "us-central1"
    assert zone_region("us-gov-west-1b") == "us-gov-west-1"
    assert zone_region("blah") is None
