"""HCL files to plain data with python-hcl2 8.x: quotes stripped and blocks as plain lists (the v7 shape).

python-hcl2's own parser keeps line positions on every node, which costs about a third of the time; errors carry
their line and column without them, so this module builds the same grammar without positions. Large directories
are parsed on several processes. A syntax error becomes file:line:column, exit 2.
"""

from __future__ import annotations

import functools
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from infrafit.errors import InputError, Problem

__all__ = ["parse_files", "parse_text"]

PARALLEL_BYTES = 256 * 1024
"""Below this much HCL, starting worker processes costs more than it saves."""


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    import hcl2.parser
    from hcl2.postlexer import PostLexer
    from lark import Lark

    try:
        return Lark.open(
            "hcl2.lark", parser="lalr", rel_to=hcl2.parser.__file__, propagate_positions=False,
            postlex=PostLexer(), cache=True,
        )
    except Exception:  # pragma: no cover - a python-hcl2 that moved its grammar: use its own parser
        return hcl2.parser.parser()


def parse_text(text: str) -> dict[str, Any]:
    """One HCL document as plain values (raises lark's errors with line and column)."""
    from hcl2 import SerializationOptions
    from hcl2.api import serialize, transform

    options = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
    tree = _parser().parse(text if text.endswith("\n") else text + "\n")
    result: dict[str, Any] = serialize(transform(tree, discard_comments=True), serialization_options=options)
    return result


def _problem(path: Path, exc: Exception) -> Problem:
    line = getattr(exc, "line", None)
    column = getattr(exc, "column", None)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "Unexpected" in first:
        token = getattr(exc, "token", None)
        char = getattr(exc, "char", None)
        seen = repr(str(token).strip() or "end of line") if token is not None else repr(char) if char else "text"
        first = f"HCL syntax error: unexpected {seen}"
    return Problem(first, file=str(path), line=line if isinstance(line, int) and line > 0 else None,
                   column=column if isinstance(column, int) and column > 0 else None)


def _one(path: Path) -> tuple[Path, dict[str, Any] | Problem]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return path, Problem("not UTF-8 text; save the file as UTF-8", file=str(path))
    if path.name.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return path, Problem(f"not valid JSON: {exc.msg}", file=str(path), line=exc.lineno, column=exc.colno)
        return path, data if isinstance(data, dict) else Problem("a .tf.json file holds one object", file=str(path))
    try:
        return path, parse_text(text)
    except RecursionError:
        return path, Problem("nested too deeply to read", file=str(path))
    except Exception as exc:  # lark's errors (UnexpectedToken, UnexpectedCharacters...) and hcl2's own
        return path, _problem(path, exc)


def parse_files(paths: list[Path]) -> list[tuple[Path, dict[str, Any]]]:
    """Each file as plain data, in the order given; every syntax error reported together."""
    size = sum(p.stat().st_size for p in paths)
    workers = min(len(paths), os.cpu_count() or 1)
    if size >= PARALLEL_BYTES and workers > 1:
        import multiprocessing

        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_one, paths, chunksize=max(1, len(paths) // (workers * 4))))
    else:
        results = [_one(p) for p in paths]
    problems = [r for _, r in results if isinstance(r, Problem)]
    if problems:
        raise InputError(problems)
    return [(p, r) for p, r in results if isinstance(r, dict)]
