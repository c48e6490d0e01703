"""Transcripts for README.md and docs/cli.md, made by running the real program; cog pastes them in.

Regenerate with `cog -r README.md docs/cli.md`; `scripts/test` runs `cog --check README.md docs/cli.md`, so a
transcript that no longer matches what infrafit prints fails the tests.

`infrafit` commands run in-process through the Typer app (terminal width fixed); other commands (`printf ...`)
through bash. Every console block runs in a scratch folder with a copy of `examples/`, the price-list fixtures as
`pricelists/`, and a git repository whose branch `main` holds `infra/plan.yaml` = seed003-before while the checkout
has seed003-after, so a `REV:PATH` diff runs as it would in a project's repository, and files a transcript writes
(`-o report.md`) land there.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cog  # type: ignore[import-not-found]
from typer.testing import CliRunner

from infrafit.cli import app

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 100  # columns of the terminal the help texts are wrapped for
PROGRAMS = ("infrafit", ".venv/bin/infrafit")
EXIT_ECHO = re.compile(r';\s*echo "exit \$\?"')
GIT_CONFIG = {"user.name": "infrafit", "user.email": "docs@infrafit.invalid", "commit.gpgsign": "false"}


@dataclass(frozen=True, kw_only=True)
class Step:
    """A command as the reader types it, and how much of its output to show (head lines, an ellipsis, tail)."""

    command: str
    head: int | None = None
    tail: int = 0


def run(command: str, *, head: int | None = None, tail: int = 0) -> Step:
    """A command whose output is cut to its first ``head`` and last ``tail`` lines (all of it without ``head``)."""
    return Step(command=command, head=head, tail=tail)


def console(*steps: str | Step) -> None:
    """Paste a ```console block: each command after a `$ ` prompt, then what it printed (stdout and stderr)."""
    lines: list[str] = []
    with _workspace():
        for step in steps:
            step = step if isinstance(step, Step) else Step(command=step)
            lines.append(f"$ {step.command}")
            lines += _cut(_execute(step.command), step.head, step.tail)
    _fence("console", lines)


def help_text(*command: str) -> None:
    """Paste a ```text block with `infrafit COMMAND --help`."""
    result = CliRunner().invoke(app, [*command, "--help"], prog_name="infrafit", terminal_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"infrafit {' '.join(command)} --help exited {result.exit_code}: {result.output}")
    _fence("text", result.output.splitlines())


def _fence(lang: str, lines: list[str]) -> None:
    cog.outl(f"```{lang}")
    for line in lines:
        cog.outl(line.rstrip())  # tables pad with spaces; editors strip them
    cog.outl("```")


def _cut(lines: list[str], head: int | None, tail: int) -> list[str]:
    if head is None or head + tail >= len(lines):
        return lines
    return lines[:head] + ["…"] + (lines[-tail:] if tail else [])


def _execute(command: str) -> list[str]:
    """Run one command line; ``; echo "exit $?"`` after it prints the exit code, as a shell would."""
    echo = EXIT_ECHO.search(command)
    line = command[: echo.start()] if echo else command
    words = shlex.split(line, comments=True)
    if words and words[0] in PROGRAMS:
        args = [match for word in words[1:] for match in (sorted(glob.glob(word)) if "*" in word else [word])]
        result = CliRunner().invoke(app, args, prog_name="infrafit", terminal_width=WIDTH)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise RuntimeError(f"{command}: {result.exception!r}") from result.exception
        code, output = result.exit_code, result.output
    else:
        proc = subprocess.run(["bash", "-c", line], capture_output=True, text=True, check=False)
        code, output = proc.returncode, proc.stdout + proc.stderr
    lines = output.splitlines()
    return [*lines, f"exit {code}"] if echo else lines


@contextmanager
def _workspace() -> Iterator[Path]:
    """A scratch folder (the working directory while a block runs): examples/ and a small git repository."""
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="infrafit-docs-") as tmp:
        here = Path(tmp)
        shutil.copytree(ROOT / "examples", here / "examples")
        shutil.copytree(ROOT / "tests" / "fixtures" / "pricelists", here / "pricelists")
        (here / "infra").mkdir()
        shutil.copy(ROOT / "examples" / "seed003-before.yaml", here / "infra" / "plan.yaml")
        git = ["git", *(arg for key, value in GIT_CONFIG.items() for arg in ("-c", f"{key}={value}"))]
        for args in (["init", "-q", "-b", "main"], ["add", "infra/plan.yaml"], ["commit", "-q", "-m", "plan"]):
            subprocess.run([*git, *args], cwd=here, check=True, capture_output=True)
        shutil.copy(ROOT / "examples" / "seed003-after.yaml", here / "infra" / "plan.yaml")
        os.chdir(here)
        # No user's catalog overlay in a transcript: an empty config directory, the overlay variable unset.
        saved = {key: os.environ.get(key) for key in ("XDG_CONFIG_HOME", "INFRAFIT_CATALOG_OVERLAY")}
        os.environ["XDG_CONFIG_HOME"] = str(here / ".config")
        os.environ.pop("INFRAFIT_CATALOG_OVERLAY", None)
        try:
            yield here
        finally:
            os.chdir(previous)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
