"""Where the two sides of a diff come from: a plan file, or a file as it is at a git revision (``main:plan.yaml``),
so CI can compare a pull request's plan with the base branch's without checking it out."""

from __future__ import annotations

import subprocess
from pathlib import Path

from infrafit.errors import InputError, Problem
from infrafit.plan.loader import load_plan
from infrafit.plan.model import Plan

GIT_TIMEOUT_S = 30


def split_revision(spec: str) -> tuple[str, str] | None:
    """``REV:PATH`` -> (REV, PATH); ``None`` when ``spec`` is not of that form."""
    rev, sep, path = spec.partition(":")
    if not sep or not path or rev.startswith("-"):
        return None
    return rev, path


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise InputError([Problem("git is not installed, so a REV:PATH plan cannot be read")]) from None
    except subprocess.TimeoutExpired:
        raise InputError([Problem(f"git {' '.join(args)} took more than {GIT_TIMEOUT_S} s")]) from None


def read_revision(spec: str, cwd: str | Path | None = None) -> str:
    """The text of ``REV:PATH`` in the git repository that contains ``cwd`` (default: the current directory).

    PATH is taken as git takes it, from the repository's top folder (``./PATH`` means from ``cwd``); when it
    is not found there, it is tried relative to ``cwd``, as a plain path would be.
    """
    parts = split_revision(spec)
    if parts is None:
        raise InputError([Problem(f"{spec}: not a file, and not a git REV:PATH such as main:infra/plan.yaml")])
    rev, path = parts
    folder = Path(cwd) if cwd is not None else Path.cwd()
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise InputError([Problem(f"{spec}: no such file, and {folder} is not inside a git repository")])
    candidates = [f"{rev}:{path}"]
    if not path.startswith("./"):
        candidates.append(f"{rev}:./{path}")
    errors = []
    for obj in candidates:
        shown = _git(["show", obj], folder)
        if shown.returncode == 0:
            try:
                return shown.stdout.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError([Problem(f"{spec}: not UTF-8 text")]) from None
        errors.append(shown.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"])
    verify = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], folder)
    if verify.returncode != 0:
        raise InputError([Problem(f"{spec}: unknown git revision {rev!r}")])
    raise InputError([Problem(f"{spec}: {path} is not in revision {rev} ({errors[0][0]})")])


def load_revision(spec: str | Path, cwd: str | Path | None = None) -> Plan:
    """A plan from a file path, or from ``REV:PATH`` in git. A path that exists wins over a revision."""
    text = str(spec)
    folder = Path(cwd) if cwd is not None else Path.cwd()
    path = Path(text)
    if not path.is_absolute():
        path = folder / path
    if path.exists() or split_revision(text) is None:
        return load_plan(path if cwd is not None else text)
    return load_plan(text, text=read_revision(text, folder))
