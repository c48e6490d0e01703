import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrafit.cli import app

runner = CliRunner()
EXAMPLES = sorted(Path("examples").glob("*.yaml"))
GOLDEN = Path("tests/golden")


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_fits_exits_0() -> None:
    code, out, _ = invoke("check", "examples/seed000-hybrid-fixed.yaml")
    assert code == 0
    assert "seed000-hybrid-fixed" in out and "$0.00/month" in out and "fits" in out


def test_check_that_does_not_fit_exits_1_with_the_reason() -> None:
    code, _, err = invoke("check", "examples/seed003-after.yaml")
    assert code == 1
    assert "seed003-after: 1 error finding(s)" in err


def test_no_fail_on_error_and_max_cost_gate() -> None:
    assert invoke("check", "examples/seed003-after.yaml", "--no-fail-on-error")[0] == 0
    # seed001: $2,400 / 36 = $66.67 + electricity $6.19 + Gemini API $67.50 → $140.36 (tests/decisions/test_gates.py)
    code, _, err = invoke("check", "examples/seed001-leaving-the-cloud.yaml", "--max-cost", "50USD")
    assert code == 1 and "above --max-cost $50.00" in err
    assert invoke("check", "examples/seed001-leaving-the-cloud.yaml", "--max-cost", "150 USD")[0] == 0


def test_json_core_contract() -> None:
    code, out, _ = invoke("check", "examples/seed003-after.yaml", "--format", "json")
    assert code == 1
    data = json.loads(out)
    for key in (
        "plan",
        "currency",
        "month_hours",
        "total_monthly_cost",
        "fits",
        "resources",
        "free_tier",
        "quotas",
        "findings",
        "catalog",
    ):
        assert key in data
    assert data["currency"] == "USD" and data["month_hours"] == 730 and data["fits"] is False
    assert isinstance(data["total_monthly_cost"], float | int)
    res = data["resources"][0]
    assert {"name", "service", "region", "monthly_cost", "components"} <= set(res)
    comp = res["components"][0]
    assert {"name", "quantity", "unit", "free_quantity", "billable_quantity", "unit_price", "cost"} <= set(comp)
    assert data["quotas"][0] == {
        **data["quotas"][0],
        "key": "aws.ec2.standard_vcpu",
        "region": "us-east-1",
        "limit": 16,
        "used": 26,
    }
    assert {"severity", "code", "resource", "message"} <= set(data["findings"][0])
    assert data["catalog"]["as_of"]


def test_several_plans_in_one_check() -> None:
    code, out, _ = invoke("check", "examples/seed000-hybrid-free-tier.yaml", "examples/seed004-aws.yaml", "-f", "json")
    assert code == 1  # seed004-aws misses the 6 h deadline its document states: one plan that does not fit fails all
    assert [d["plan"] for d in json.loads(out)] == ["seed000-hybrid-free-tier", "seed004-aws"]


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.md"
    code, _, err = invoke("check", "examples/seed001-leaving-the-cloud.yaml", "-f", "markdown", "-o", str(target))
    assert code == 0 and "wrote" in err
    assert target.read_text().startswith("### seed001-leaving-the-cloud")
    assert [p.name for p in target.parent.iterdir()] == ["report.md"]  # no temp file left behind


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("name: x\nresources:\n  a: {service: gcp.cloud_runn}\n", "did you mean gcp.cloud_run?"),
        ("name: x\nresources:\n  a: {service: aws.s3, usage: {storage: 5}}\n", "needs a unit"),
        ("name: x\nresources: [\n", "YAML syntax"),
    ],
)
def test_bad_input_exits_2_without_traceback(tmp_path: Path, text: str, needle: str) -> None:
    plan = tmp_path / "bad.yaml"
    plan.write_text(text)
    code, out, err = invoke("check", str(plan))
    assert code == 2
    assert needle in err and f"{plan}:" in err
    assert "Traceback" not in err + out


def test_missing_file_exits_2() -> None:
    code, _, err = invoke("check", "nope.yaml")
    assert code == 2 and "no such file: nope.yaml" in err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    plan = tmp_path / "bad.yaml"
    plan.write_text("name: x\nresources:\n  a: {service: nope.nope}\n")
    result = runner.invoke(app, ["--debug", "check", str(plan)])
    assert result.exit_code != 0 and result.exception is not None


def test_schema_is_json_schema() -> None:
    code, out, _ = invoke("schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "infrafit plan"
    assert {"name", "resources", "budget", "quotas", "overrides"} <= set(schema["properties"])
    assert "requests" in schema["$defs"]["Resource"]["properties"]["usage"]["properties"]


def test_schema_plan_is_the_default() -> None:
    assert invoke("schema", "plan") == invoke("schema")


def test_schema_report_prints_the_reports_schema() -> None:
    code, out, _ = invoke("schema", "report")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "infrafit check report"
    assert {"version", "total_monthly_cost", "findings", "jobs"} <= set(schema["properties"])


def test_catalog_width() -> None:
    for command in (("catalog", "list"), ("catalog", "show", "gcp.cloud_run")):
        code, wide, _ = invoke(*command)
        assert code == 0 and max(len(line) for line in wide.splitlines()) <= 140  # the default width
        code, narrow, _ = invoke(*command, "--width", "80")
        assert code == 0 and max(len(line) for line in narrow.splitlines()) <= 80
        assert narrow != wide


def test_catalog_list_and_show() -> None:
    code, out, _ = invoke("catalog", "list", "--format", "json")
    keys = {row["service"] for row in json.loads(out)}
    product_keys = {
        "gcp.compute_engine",
        "gcp.persistent_disk",
        "gcp.cloud_run",
        "gcp.cloud_storage",
        "gcp.network_egress",
        "gcp.cloud_tasks",
        "gcp.pubsub",
        "gcp.cloud_scheduler",
        "gcp.firestore",
        "gcp.cloud_sql",
        "aws.ec2",
        "aws.ebs",
        "aws.lambda",
        "aws.s3",
        "aws.sqs",
        "aws.rds",
        "aws.api_gateway",
        "aws.data_transfer",
        "cloudflare.workers",
        "cloudflare.queues",
        "cloudflare.r2",
        "cloudflare.d1",
        "cloudflare.pages",
        "vercel.functions",
        "upstash.redis",
        "supabase.postgres",
        "neon.postgres",
        "google.gemini_api",
        "google.youtube_data_api",
        "selfhost.machine",
    }
    assert code == 0 and product_keys <= keys
    code, out, _ = invoke("catalog", "show", "gcp.cloud_run")
    assert code == 0 and "https://cloud.google.com/run/pricing" in out
    code, out, _ = invoke("catalog", "show", "aws.lambda", "--format", "json")
    assert json.loads(out)["meters"]["requests"]["price"]["source"].startswith("https://")
    code, _, err = invoke("catalog", "show", "aws.lamda")
    assert code == 2 and "did you mean aws.lambda?" in err


@pytest.mark.parametrize("plan", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["json", "markdown", "table"])
def test_golden_reports_of_the_examples(plan: Path, fmt: str) -> None:
    code, out, _ = invoke("check", str(plan), "--format", fmt, "--width", "140")
    assert code in (0, 1)
    golden = GOLDEN / f"{plan.stem}.{ {'json': 'json', 'markdown': 'md', 'table': 'txt'}[fmt] }"
    if os.environ.get("INFRAFIT_UPDATE_GOLDEN"):
        golden.write_text(out)
    assert out == golden.read_text(), f"{golden} differs; rerun with INFRAFIT_UPDATE_GOLDEN=1 after checking"


@pytest.mark.parametrize("width", ["0", "-5", "39"])
def test_a_width_too_narrow_to_read_is_refused(width: str) -> None:
    code, out, err = invoke("check", "examples/seed000-hybrid-free-tier.yaml", "--width", width)
    assert code == 2 and out == ""
    assert "--width" in err and "at least 40 columns" in err


def test_a_pipe_gets_a_stable_width_and_columns_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    _, out, _ = invoke("check", "examples/seed004-gcp.yaml")
    assert max(len(line) for line in out.splitlines()) == 120  # the default for a pipe or file
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = invoke("check", "examples/seed004-gcp.yaml")
    assert max(len(line) for line in out.splitlines()) <= 80 and "┃ resource" not in out
    _, out, _ = invoke("check", "examples/seed004-gcp.yaml", "--width", "100")
    assert max(len(line) for line in out.splitlines()) == 100


def test_verbose_and_min_severity_choose_what_is_shown_in_full() -> None:
    plan = "examples/seed002-dashboard-cache.yaml"
    _, out, _ = invoke("check", plan)
    assert "more findings (info)" in out and "one_free_database" in out  # counted, by code
    _, verbose, _ = invoke("check", plan, "--verbose")
    assert "more findings" not in verbose and "Only one free database per account" in verbose
    _, errors, _ = invoke("check", plan, "--min-severity", "error")
    assert "more findings (warning and info)" in " ".join(errors.split())


def test_simulate_reports_progress_per_replication() -> None:
    from infrafit.engine.evaluate import evaluate
    from infrafit.plan.loader import load_plan

    runs: list[int] = []
    evaluate(load_plan(Path("examples/seed004-aws.yaml")), replications=7, on_replication=lambda: runs.append(1))
    assert len(runs) == 7  # one job, seven simulated runs


def test_simulate_without_jobs_prints_no_empty_table() -> None:
    code, out, _ = invoke("simulate", "examples/seed001-leaving-the-cloud.yaml", "--replications", "2")
    assert code == 0 and "nothing to simulate" in out and "┏" not in out


def test_seed_must_not_be_negative() -> None:
    code, _, err = invoke("simulate", "examples/seed004-aws.yaml", "--seed", "-1")
    assert code == 2 and "--seed" in err


def test_check_samples_and_seed_flags_set_the_range() -> None:
    code, out, _ = invoke("check", "examples/ranges-seed004-aws.yaml", "--samples", "300", "--seed", "4", "-f", "json")
    d = json.loads(out)["cost_distribution"]
    assert code == 0 and (d["samples"], d["seed"]) == (300, 4)
    code, out, _ = invoke("check", "examples/ranges-seed004-aws.yaml", "--samples", "0", "-f", "json")
    assert json.loads(out)["cost_distribution"] is None
