"""Infracost usage files become plan usage, by the documented key table."""

from __future__ import annotations

from pathlib import Path

from infrafit.importers import run_import
from tests.importers.conftest import EXAMPLE


def test_usage_file_fills_usage() -> None:
    draft = run_import("terraform", EXAMPLE, usage_file=EXAMPLE / "infracost-usage.yml")
    res = draft.body["resources"]
    assert res["web"]["usage"]["hours"] == "730h"  # aws_instance.web[*] matches every instance
    assert res["worker_worker"]["usage"] == {"requests": "2000000/month", "duration": "350ms"}
    # AWS bills GB of 2^30 bytes (the catalog's byte convention): 50 "GB" in the usage file is 50 GiB
    assert res["assets"]["usage"]["storage"] == "50GiB"
    assert res["assets"]["usage"]["class_a"] == "100000/month"
    assert res["http"]["usage"]["requests"] == "1500000/month"
    assert "from infracost-usage.yml" in draft.comments[("resources", "web", "usage", "hours")]
    # request_size_kb has no infrafit usage key: reported, not dropped
    unknown = [f for f in draft.findings if f.code == "usage_key_unknown"]
    assert [f.subject for f in unknown] == ["module.worker.aws_sqs_queue.jobs.request_size_kb"]


def test_misspelt_keys_and_addresses(tmp_path: Path) -> None:
    usage = tmp_path / "usage.yml"
    usage.write_text(
        "version: 0.1\nresource_usage:\n  aws_instance.webb:\n    monthly_hrs: 100\n"
        "  aws_instance.web:\n    montly_hrs: 100\n"
    )
    draft = run_import("terraform", EXAMPLE, usage_file=usage)
    messages = {f.code: f.message for f in draft.findings}
    assert "did you mean aws_instance.web?" in messages["usage_address_unknown"]
    assert "did you mean monthly_hrs?" in messages["usage_key_unknown"]


def test_cloud_run_job_hours_from_executions(tmp_path: Path, fixtures: Path) -> None:
    usage = tmp_path / "usage.yml"
    usage.write_text(
        "version: 0.1\nresource_usage:\n  google_cloud_run_v2_job.nightly:\n"
        "    monthly_job_executions: 30\n    average_task_execution_mins: 12\n"
    )
    draft = run_import("terraform", fixtures / "gcp", usage_file=usage, variables={"project_id": "p"})
    # 30 runs × 12 minutes ÷ 60 = 6 hours
    assert draft.body["resources"]["nightly"]["usage"]["hours"] == "6h"
