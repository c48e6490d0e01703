"""Errors a user can act on. The CLI prints them plainly (exit 2); ``--debug`` adds the traceback."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher, get_close_matches

Path = tuple[str | int, ...]


@dataclass
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    path: Path = ()
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}:{self.column or 1}" if where else f"line {self.line}:{self.column or 1}"
        dotted = ".".join(str(p) for p in self.path)
        return "".join(f"{part}: " for part in (where, dotted) if part) + self.message


@dataclass
class InputError(Exception):
    """Input that could not be read or used: a plan, a catalog override, a flag."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> str:
    """' (did you mean X?)' or ' (valid: a, b, c)' when nothing is close."""
    options: Sequence[str] = sorted(set(choices))
    close = get_close_matches(word, options, n=n, cutoff=0.6)
    if close:
        # Keep only the matches about as good as the best one: one clear answer reads better than three.
        best = SequenceMatcher(None, word, close[0]).ratio()
        close = [c for c in close if SequenceMatcher(None, word, c).ratio() >= best - 0.04]
        return f" (did you mean {' or '.join(close)}?)"
    if len(options) <= 12:
        return f" (valid: {', '.join(options)})" if options else ""
    return f" ({len(options)} valid values; `infrafit catalog list` shows them)"
