"""The reliability audit's reproducers (research/reliability-audit.md, F1, F2, F6–F13, F18 and its message table).

Each case is the audit's minimal plan or command. The contract: exit 0, 1 or 2 with a clear message; never a
traceback, an "internal error", a hang or a lost file.
"""

from __future__ import annotations

import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from infrafit.cli import app
from infrafit.errors import InputError
from infrafit.plan.loader import load_plan
from infrafit.units import Rate

EXAMPLE = Path("examples/seed000-hybrid-fixed.yaml").resolve()
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def cli(*args: str, timeout: float = 60, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The real command in a child process: for stdout devices, limits and anything that could hang."""
    streams = {"stderr": subprocess.PIPE} if "stdout" in kwargs else {"capture_output": True}
    return subprocess.run(
        [sys.executable, "-m", "infrafit.cli", *args],
        text=True,
        timeout=timeout,
        check=False,
        **streams,  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def clean(err: str) -> None:
    """A message about the input: no traceback, no bug report."""
    assert "Traceback" not in err and "internal error" not in err and "a bug" not in err, err


def refused(tmp_path: Path, text: str, *needles: str) -> str:
    """The plan is refused with exit 2 and a located message containing every needle."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    code, _, err = invoke("check", str(plan))
    clean(err)
    assert code == 2, err
    assert f"{plan}:" in err, err
    for needle in needles:
        assert needle in err, err
    return err


# F1: output errors are guarded: a clear message and exit 2.


def test_output_into_a_directory_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    code, _, err = invoke("check", str(EXAMPLE), "-o", str(tmp_path / "out"))
    assert code == 2 and "is a directory" in err
    clean(err)
    code, _, err = invoke("schema", "-o", str(tmp_path / "out"))
    assert code == 2 and "is a directory" in err


def test_output_under_a_file_is_exit_2(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(EXAMPLE, plan)
    code, _, err = invoke("check", str(plan), "-o", str(plan / "x.json"))
    assert code == 2 and "not a directory" in err
    clean(err)


def test_full_disk_on_stdout_is_exit_2() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        done = cli("check", str(EXAMPLE), stdout=full)
    assert done.returncode == 2
    assert "cannot write the report to standard output: no space left on device" in done.stderr
    clean(done.stderr)


def test_file_too_large_is_exit_2_and_keeps_the_old_report(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("old report")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = cli("check", str(EXAMPLE), "--format", "html", "-o", str(out), preexec_fn=limit)
    assert done.returncode == 2 and "file too large" in done.stderr
    clean(done.stderr)
    assert out.read_text() == "old report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temporary file left behind


def test_unwritable_folder_is_exit_2() -> None:
    # A folder nobody can read through (pytest's tmp root is 0700) would fail on reading the plan, not on
    # writing the report; so work in a fresh world-readable folder whose `ro` subfolder is read-only.
    base = Path(tempfile.mkdtemp(prefix="infrafit-ro-"))
    try:
        base.chmod(0o755)
        folder = base / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        wrap: list[str] = []
        if os.geteuid() == 0:
            if not shutil.which("setpriv"):
                pytest.skip("root without setpriv: permissions do not apply")
            wrap = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        plan = base / "plan.yaml"
        shutil.copy(EXAMPLE, plan)
        plan.chmod(0o644)
        src = str(Path("src").resolve())
        done = subprocess.run(
            [*wrap, sys.executable, "-m", "infrafit.cli", "check", str(plan), "-o", str(folder / "out.json")],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "PYTHONPATH": src},
            cwd=base,
        )
        assert done.returncode == 2, done.stderr
        assert "cannot write the report" in done.stderr and "permission denied" in done.stderr.lower()
        clean(done.stderr)
    finally:
        shutil.rmtree(base, ignore_errors=True)


# F2: -o never destroys an input, a device, a FIFO or a symlink.


def test_output_onto_the_input_plan_is_refused_and_the_plan_survives(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    shutil.copy(EXAMPLE, plan)
    before = plan.read_text()
    for out in (str(plan), str(tmp_path / "." / "plan.yaml")):
        code, _, err = invoke("check", str(plan), "-o", out)
        assert code == 2 and "-o names an input of this command" in err
    after = tmp_path / "after.yaml"
    shutil.copy(EXAMPLE, after)
    assert invoke("diff", str(plan), str(after), "--format", "markdown", "-o", str(after))[0] == 2
    assert invoke("compare", str(plan), str(after), "-o", str(after))[0] == 2
    link = tmp_path / "link.yaml"
    link.symlink_to(plan)
    assert invoke("check", str(plan), "-o", str(link))[0] == 2  # the same file by another name
    assert plan.read_text() == before and after.read_text() == before


def test_output_to_dev_null_streams_and_keeps_the_device() -> None:
    code, _, err = invoke("check", str(EXAMPLE), "-o", os.devnull)
    assert code == 0, err
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_output_to_dev_stdout_reaches_a_pipe() -> None:
    """/dev/stdout links to /proc/self/fd/1, a pipe here: the report goes down the pipe, no file is made."""
    if not Path("/dev/stdout").exists():
        pytest.skip("no /dev/stdout")
    done = cli("check", str(EXAMPLE), "-o", "/dev/stdout")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("seed000-hybrid-fixed")


def test_a_symlink_is_followed_never_replaced(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("stale")
    link = tmp_path / "latest"
    link.symlink_to(target)
    assert invoke("check", str(EXAMPLE), "-o", str(link))[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "seed000-hybrid-fixed" in target.read_text()


def test_a_fifo_gets_the_report_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    done = cli("check", str(EXAMPLE), "-o", str(fifo))
    reader.join(30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got and "seed000-hybrid-fixed" in got[0]


def test_a_regular_file_is_still_replaced_atomically_with_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    out.write_text("old")
    out.chmod(0o640)
    assert invoke("check", str(EXAMPLE), "--format", "json", "-o", str(out))[0] == 0
    assert out.read_text().startswith("{") and stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


# F6, F7, F8, F10: hostile numbers are refused where the plan is loaded, with the limit.

LAMBDA = "  fn: {service: aws.lambda, memory: 512MB}\n"
RUN = "  fn: {service: gcp.cloud_run}\n"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("name: t\nbudget: .nan\nresources: {}\n", "budget: .nan is not a number"),
        ("name: t\nresources:\n  a: {service: gcp.cloud_run, usage: {requests: .nan}}\n", ".nan is not a number"),
        ("name: t\nresources:\n  a: {service: gcp.cloud_run, usage: {concurrency: .inf}}\n", ".inf is not a number"),
        ("name: t\nresources:\n  a: {service: aws.ec2, type: t3.micro, usage: {hours: .nan}}\n", "not a number"),
        ("name: t\nresources:\n  a: {service: aws.ec2, type: t3.micro, cpu: .nan}\n", "not a number"),
        ("name: t\nquotas: {aws.ec2.standard_vcpu: .nan}\nresources: {}\n", "not a number"),
        (
            f"name: t\nresources:\n{LAMBDA}jobs:\n  j: {{items: 1, runs_on: fn, duration: 1s, calls: {{fn: .nan}}}}\n",
            "not a number",
        ),
        (
            f"name: t\nresources:\n{LAMBDA}jobs:\n  j: {{items: 1, runs_on: fn, duration: 1s, calls: {{llm: .inf}}}}\n",
            "jobs.j.calls: llm: .inf is not a number",
        ),
        ("name: t\nmonth_hours: 1e308\nresources: {}\n", "at most 744"),
        (
            "name: t\nresources:\n  b: {service: aws.s3, count: 1000000000000000000000000000000}\n",
            "less than or equal to 1000000",
        ),
        (
            "name: t\nresources:\n  a: {service: gcp.cloud_run, usage: {requests: 1000000000000000000000000000000/month}}\n",
            "too large",
        ),
        (
            "name: t\nresources:\n  a: {service: gcp.cloud_run, usage: {duration: 99999999999999999999day}}\n",
            "too large",
        ),
        ("name: t\nresources:\n  b: {service: aws.s3, usage: {storage: 1000000000000000000000GB}}\n", "too large"),
        ("name: t\nresources:\n  a: {service: aws.lambda, memory: 1000000000000000000000000000000GiB}\n", "too large"),
        ("name: t\nresources:\n  m: {service: selfhost.machine, usage: {lifetime_months: 5.0e-324}}\n", "too small"),
        (
            f"name: t\nresources:\n{LAMBDA}jobs:\n  j: {{items: 1000000000000000000000000000000, runs_on: fn, duration: 1s}}\n",
            "items",
        ),
        (
            f"name: t\nresources:\n{LAMBDA}jobs:\n  j: {{items: 10, runs_on: fn, duration: 1s, calls: {{fn: 5.0e-324}}}}\n",
            "too small",
        ),
        ("name: t\nresources:\n  a: {service: gcp.cloud_run, usage: {concurrency: 1" + "0" * 400 + "}}\n", "too large"),
        (
            f"name: t\nresources:\n{RUN}jobs:\n  j: {{items: 10, runs_on: fn, duration: 1s, concurrency: 1{'0' * 400}}}\n",
            "concurrency",
        ),
        (
            f"name: t\nresources:\n{LAMBDA}jobs:\n  j: {{items: 10, runs_on: fn, duration: 1s, retries: {{max: 1{'0' * 400}}}}}\n",
            "retries.max",
        ),
        (
            f"name: t\nresources:\n{LAMBDA}jobs:\n  j: {{items: 10, runs_on: fn, duration: 1s, calls: {{fn: {{requests: 1{'0' * 400}}}}}}}\n",
            "too large",
        ),
        (
            f"name: t\nresources:\n{RUN}jobs:\n  j: {{items: 10, runs_on: fn, duration: 1s, concurrency: 10, start: '9999-12-31T23:59:59Z'}}\n",
            "start is a date from 1970 to 2199",
        ),
        (
            f"name: t\nresources:\n{RUN}jobs:\n  j: {{items: 10, runs_on: fn, duration: 1s, concurrency: 10, start: '0001-01-01T00:00:00Z'}}\n",
            "start is a date from 1970 to 2199",
        ),
    ],
)
def test_hostile_numbers_are_refused_with_a_location(tmp_path: Path, text: str, needle: str) -> None:
    refused(tmp_path, text, needle)


@pytest.mark.parametrize(
    "text",
    [
        # F10: each of these hung or ate gigabytes; now refused at load (or bounded) in well under the timeout.
        "name: t\nresources:\n  api: {service: gcp.cloud_run, usage: {requests: 100/day, duration: 1s, concurrency: 1000000000}}\n",
        f"name: t\nresources:\n{LAMBDA}jobs:\n  j1: {{items: 10, runs_on: fn, duration: 1s, retries: {{failure_rate: 99.9999%, max: 1000000}}}}\n",
        f"name: t\nresources:\n{LAMBDA}jobs:\n  j1: {{items: 1000000000, runs_on: fn, duration: 1s}}\n",
        f"name: t\nresources:\n{LAMBDA}jobs:\n  j1: {{items: 10000000, runs_on: fn, duration: 1s}}\n",
        f"name: t\nresources:\n{LAMBDA}jobs:\n  j1: {{items: 1000000, runs_on: fn, duration: 1s, retries: {{failure_rate: 99%, max: 100}}}}\n",
    ],
)
def test_runaway_work_is_refused_quickly(tmp_path: Path, text: str) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    done = cli("check", str(plan), timeout=30)
    assert done.returncode == 2, done.stderr
    clean(done.stderr)


def test_a_huge_but_allowed_batch_cuts_replications_not_items(monkeypatch: pytest.MonkeyPatch) -> None:
    """Replications are cut to the per-call budget (scaled down here: 40,000 attempts stand for 4,000,000).

    4,000 items × 20 replications is 80,000 attempts, twice the budget, so 40,000 // 4,000 = 10 run."""
    from infrafit.dynamics import BatchJob, Duration, limits, simulate

    assert limits.MAX_ATTEMPTS_PER_CALL == 4_000_000  # the figure docs/limits.md states
    monkeypatch.setattr(limits, "MAX_ATTEMPTS_PER_CALL", 40_000)
    result = simulate(BatchJob("big", 4_000, Duration.fixed(1.0), 100), replications=20)
    assert len(result.makespan_samples) == 10
    # ⌈4,000 / 100⌉ × 1 s = 40 s, the closed form of a fixed-duration batch
    assert result.makespan_s_p50 == pytest.approx(40.0)


# F9: rate_limits are validated where the plan is loaded, even when no job calls the API.


@pytest.mark.parametrize(
    ("limits", "needle"),
    [
        ("{per_minute: abc}", "resources.capi.rate_limits.per_minute: 'abc' is not a plain number"),
        ("{per_minute: 60/min}", "per_minute is a plain number of calls"),
        ("{per_minute: .nan}", "per_minute: .nan is not a number"),
        ("{per_week: 5}", "unknown key 'per_week'"),
        ("{per_minute: -5}", "rate_limits.per_minute: -5 is negative"),
    ],
)
def test_rate_limits_are_checked_at_load(tmp_path: Path, limits: str, needle: str) -> None:
    text = f"name: t\nresources:\n  capi: {{service: custom.api, rate_limits: {limits}}}\n"
    err = refused(tmp_path, text, needle)
    assert ":3:" in err  # the resource's line, not a raw validation dump


def test_rate_limits_still_drive_a_job(tmp_path: Path) -> None:
    """60 calls a minute, 1 call an item, 120 items of 1 s on ample workers: the second minute is needed."""
    text = (
        f"name: t\nresources:\n{LAMBDA}  capi: {{service: custom.api, rate_limits: {{per_minute: 60}}}}\n"
        "jobs:\n  j: {items: 120, runs_on: fn, duration: 1s, concurrency: 100, calls: {capi: 1}}\n"
    )
    plan = load_plan("plan.yaml", text=text)
    assert plan.resources["capi"].rate_limits == {"per_minute": Decimal(60)}
    code, _, err = invoke("check", *[str(write(tmp_path, text))])
    assert code in (0, 1), err
    clean(err)


def write(folder: Path, text: str) -> Path:
    plan = folder / "plan.yaml"
    plan.write_text(text)
    return plan


# F11, F12: decimal commas and unknown words are refused, never misread.


@pytest.mark.parametrize(
    ("field", "value", "needle"),
    [
        ("budget", "'25,00 USD'", "write decimals with a dot (25.00 USD?)"),
        ("budget", "'0,25 USD'", "(0.25 USD?)"),
    ],
)
def test_a_decimal_comma_is_refused(tmp_path: Path, field: str, value: str, needle: str) -> None:
    refused(tmp_path, f"name: t\n{field}: {value}\nresources: {{}}\n", needle)


@pytest.mark.parametrize(
    ("usage", "needle"),
    [
        ("{storage: '0,5GB'}", "(0.5GB?)"),
        ("{storage: '1,0,0GB'}", "a comma only separates thousands"),
    ],
)
def test_a_decimal_comma_in_usage_is_refused(tmp_path: Path, usage: str, needle: str) -> None:
    refused(tmp_path, f"name: t\nresources:\n  b: {{service: aws.s3, usage: {usage}}}\n", needle)


def test_failure_rate_and_uptime_with_commas(tmp_path: Path) -> None:
    job = "jobs:\n  j: {items: 10, runs_on: fn, duration: 1s, retries: {failure_rate: '2,5%', max: 1}}\n"
    refused(tmp_path, f"name: t\nresources:\n{LAMBDA}{job}", "(2.5%?)")
    vm = "  vm: {service: aws.ec2, region: us-east-1, type: t3.micro, usage: {uptime: '12,5%'}}\n"
    refused(tmp_path, f"name: t\nresources:\n{vm}", "(12.5%?)")


def test_thousands_separators_still_read() -> None:
    text = "name: t\nresources:\n  api: {service: gcp.cloud_run, usage: {requests: '1,000,000/month', storage: '1,500.5GB'}}\n"
    usage = load_plan("plan.yaml", text=text).resources["api"].usage
    assert usage["requests"] == Rate(Decimal(1_000_000), "month")
    assert usage["storage"] == Decimal("1500.5") * 10**9


def test_a_budget_with_a_comma_no_longer_passes_a_plan_over_budget(tmp_path: Path) -> None:
    """The audit's case: a $60 plan "fit" a budget written '25,00 USD' (read as $2,500). Now: exit 2."""
    text = "name: t\nbudget: '25,00 USD'\nresources:\n  vm: {service: aws.ec2, region: us-east-1, type: t3.large}\n"
    refused(tmp_path, text, "budget")


@pytest.mark.parametrize(
    ("written", "per_month"),
    [
        ("5 million/month", 5_000_000),
        ("5 thousand/day", 5_000),
        ("5M requests/month", 5_000_000),
        ("20 calls/month", 20),
    ],
)
def test_count_words_are_read_as_written(written: str, per_month: int) -> None:
    text = f"name: t\nresources:\n  api: {{service: gcp.cloud_run, usage: {{requests: {written}}}}}\n"
    rate = load_plan("plan.yaml", text=text).resources["api"].usage["requests"]
    assert isinstance(rate, Rate) and rate.amount == per_month


@pytest.mark.parametrize(
    ("written", "needle"),
    [
        ("5m/month", "'m' is not a multiplier"),
        ("5 m/month", "'m' is not a multiplier"),
        ("5kk/month", "'kk' is not a multiplier"),
        ("5MB/month", "MB is a size, but this field counts things"),
        ("5GB/month", "GB is a size"),
        ("5 lollipops/month", "unknown word 'lollipops'"),
    ],
)
def test_unknown_count_words_are_refused(tmp_path: Path, written: str, needle: str) -> None:
    refused(
        tmp_path, f"name: t\nresources:\n  api: {{service: gcp.cloud_run, usage: {{requests: {written}}}}}\n", needle
    )


# F13: other silent acceptances.


@pytest.mark.parametrize("concurrency", ["0", "0.5"])
def test_cloud_run_concurrency_is_a_whole_number_from_1(tmp_path: Path, concurrency: str) -> None:
    text = f"name: t\nresources:\n  api: {{service: gcp.cloud_run, usage: {{requests: 1M/month, concurrency: {concurrency}}}}}\n"
    refused(tmp_path, text, "concurrency is a whole number")


def test_hours_and_uptime_together_are_refused(tmp_path: Path) -> None:
    text = "name: t\nresources:\n  vm: {service: aws.ec2, region: us-east-1, type: t3.micro, usage: {hours: 100, uptime: 50%}}\n"
    refused(tmp_path, text, "give hours or uptime, not both")


def test_count_true_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, "name: t\nresources:\n  b: {service: aws.s3, count: true}\n", "count is a whole number, not true")


# F18 and the audit's table of unclear messages (the parts read by the plan and the units).


@pytest.mark.parametrize(
    ("duration", "needle"),
    [
        ("{lognormal: {median: 2min, p95: 2min}}", "lognormal p95 must be above the median"),
        ("{lognormal: {median: 0s, p95: 2min}}", "lognormal median must be above 0s"),
        ("{exponential: {mean: 0s}}", "exponential mean must be above 0s"),
    ],
)
def test_distributions_the_simulator_refuses_are_refused_at_load(tmp_path: Path, duration: str, needle: str) -> None:
    refused(
        tmp_path, f"name: t\nresources:\n{LAMBDA}jobs:\n  j: {{items: 5, runs_on: fn, duration: {duration}}}\n", needle
    )


def test_month_hours_takes_hours_with_a_unit() -> None:
    plan = load_plan("plan.yaml", text="name: t\nmonth_hours: 730h\nresources: {}\n")
    assert plan.month_hours == Decimal(730)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("name: t\nresources:\n  b: {service: aws.s3, count: 1e3}\n", "1e3 is text to YAML; write the digits"),
        (
            "name: t\nresources:\n  b: {service: aws.s3, usage: {storage: '5 MiB/s'}}\n",
            "is a rate, but this field is an amount stored",
        ),
        ("name: t\nresources:\n  a: {service: gcp.cloud_run, usage: {duration: 5m}}\n", "write min for minutes or ms"),
        ("name: t\nresources:\n  yes: {service: aws.s3}\n", "YAML reads yes, no, on, off, true and false as booleans"),
        ("name: t\nresources:\n  ~: {service: aws.s3}\n", "a resource name is empty or ~"),
        ("name: t\nresources:\n  service: aws.s3\n", "is service: indented under the resource's name?"),
        ("name: ''\nresources: {}\n", "the plan's name is empty"),
    ],
)
def test_clearer_messages(tmp_path: Path, text: str, needle: str) -> None:
    refused(tmp_path, text, needle)


def test_calls_inf_is_one_error() -> None:
    text = f"name: t\nresources:\n{LAMBDA}jobs:\n  j: {{items: 1, runs_on: fn, duration: 1s, calls: {{llm: .inf}}}}\n"
    with pytest.raises(InputError) as info:
        load_plan("plan.yaml", text=text)
    assert len(info.value.problems) == 1


def test_a_problem_without_a_file_has_no_placeholder() -> None:
    code, _, err = invoke("check", "nope.yaml")
    assert code == 2 and "<plan>" not in err and "nope.yaml" in err


def test_a_bug_says_it_is_a_bug_and_where(monkeypatch: pytest.MonkeyPatch) -> None:
    from decimal import InvalidOperation

    import infrafit.engine.evaluate as evaluate

    def broken(*args: object, **kwargs: object) -> object:
        raise InvalidOperation([InvalidOperation])

    monkeypatch.setattr(evaluate, "evaluate", broken)
    code, _, err = invoke("check", str(EXAMPLE))
    assert code == 2
    assert "infrafit failed on this input (a bug, not your mistake): decimal.InvalidOperation" in err
    assert "test_reliability.broken" in err and "--debug shows the traceback" in err
