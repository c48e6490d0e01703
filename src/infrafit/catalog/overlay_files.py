"""Reading an overlay's files: the manifest and each provider's partial document, with located errors.

Both are read with the plan reader's rules (bounded size and depth, no tags); a problem names the file, line and
column, and suggests the nearest key or provider for a misspelt one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from infrafit.catalog.overlay import (
    FORMAT,
    MANIFEST,
    MissingFact,
    Overlay,
    ProviderRefresh,
    walk,
)
from infrafit.errors import InputError, Problem, did_you_mean

__all__ = ["merge_errors", "read_manifest", "read_partial"]

_MANIFEST_KEYS = ("format", "providers")
_PROVIDER_KEYS = ("refreshed", "published", "version", "sources", "missing", "unmatched")
_NOT_MERGED = ("as_of", "provider", "name")  # the packaged file's identity and date stay the packaged ones


@cache
def read_manifest(path: str, mtime: int, size: int) -> Overlay:
    """An overlay directory's manifest, checked (cached while the file is unchanged)."""
    from infrafit.catalog.loader import provider_names

    directory = Path(path)
    file = str(directory / MANIFEST)
    data, marks = _read_yaml(file)
    known = provider_names()
    problems: list[Problem] = []

    def problem(message: str, at: tuple[str | int, ...]) -> None:
        problems.append(_located(message, at, file, marks))

    if not isinstance(data, dict):
        raise InputError([Problem(f"an overlay manifest is a mapping with {', '.join(_MANIFEST_KEYS)}", file=file)])
    for key in data:
        if key not in _MANIFEST_KEYS:
            problem(f"unknown key {key!r}{did_you_mean(str(key), _MANIFEST_KEYS)}", (str(key),))
    if data.get("format") != FORMAT:
        problem(f"format {data.get('format')!r} is not read by this infrafit; expected format: {FORMAT}", ("format",))
    raw = data.get("providers") or {}
    if not isinstance(raw, dict):
        problem("providers is a mapping of provider name to its refresh", ("providers",))
        raw = {}
    providers: dict[str, ProviderRefresh] = {}
    for name, entry in raw.items():
        at = ("providers", str(name))
        if name not in known:
            problem(f"unknown provider {name!r}{did_you_mean(str(name), known)}", at)
            continue
        try:
            providers[name] = _provider_entry(str(name), entry)
        except ValueError as exc:
            where = exc.args[1] if len(exc.args) > 1 else ()
            problem(str(exc.args[0]), (*at, *where))
    files = set()
    for child in sorted(directory.glob("*.yaml")):
        if child.name == MANIFEST:
            continue
        if child.stem not in known:
            problems.append(
                Problem(
                    f"an overlay file for an unknown provider {child.stem!r}{did_you_mean(child.stem, known)}",
                    file=str(child),
                )
            )
            continue
        files.add(child.stem)
    if problems:
        raise InputError(problems)
    return Overlay(path=directory, providers=providers, files=frozenset(files))


def _provider_entry(name: str, entry: Any) -> ProviderRefresh:
    if not isinstance(entry, dict):
        raise ValueError(f"a provider's entry is a mapping with {', '.join(_PROVIDER_KEYS)}")
    for key in entry:
        if key not in _PROVIDER_KEYS:
            raise ValueError(f"unknown key {key!r}{did_you_mean(str(key), _PROVIDER_KEYS)}", (str(key),))

    def day(key: str) -> date | None:
        value = entry.get(key)
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            raise ValueError(f"{key}: {value!r} is not a date (YYYY-MM-DD)", (key,)) from None

    def texts(key: str) -> tuple[str, ...]:
        value = entry.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{key} is a list of text", (key,))
        return tuple(value)

    missing = []
    for index, item in enumerate(entry.get("missing") or []):
        if not isinstance(item, dict) or not isinstance(item.get("fact"), str):
            raise ValueError("a missing entry is {fact: DOTTED.PATH, reason: TEXT}", ("missing", index))
        missing.append(MissingFact(fact=item["fact"], reason=str(item.get("reason") or "not in the price list")))
    version = entry.get("version")
    return ProviderRefresh(
        provider=name,
        refreshed=day("refreshed"),
        published=day("published"),
        version=None if version is None else str(version),
        sources=texts("sources"),
        missing=tuple(missing),
        unmatched=texts("unmatched"),
    )


@cache
def read_partial(file: str, provider: str, mtime: int, size: int) -> dict[str, Any]:
    """A provider's partial document, its top-level keys and service names checked (values are validated after
    the merge, where an error is located back in this file)."""
    from infrafit.catalog.loader import load_provider_raw
    from infrafit.catalog.model import ProviderCatalog

    data, marks = _read_yaml(file)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError([Problem("an overlay provider file is a mapping, like the packaged provider file", file=file)])
    fields = list(ProviderCatalog.model_fields)
    base = load_provider_raw(provider)
    problems = []
    for key, value in data.items():
        if key not in fields:
            message = f"unknown key {key!r}{did_you_mean(str(key), fields)}"
            problems.append(_located(message, (str(key),), file, marks))
        elif key == "provider" and value != provider:
            problems.append(_located(f"this is {provider}.yaml; provider says {value!r}", ("provider",), file, marks))
        elif key in ("services", "quotas") and isinstance(value, dict):
            names = list(base.get(key) or {})
            for name in value:
                if name not in names:
                    what = "service" if key == "services" else "quota"
                    message = f"unknown {what} {name!r} of {provider}{did_you_mean(str(name), names)}"
                    problems.append(_located(message, (key, str(name)), file, marks))
    if problems:
        raise InputError(problems)
    return {k: v for k, v in data.items() if k not in _NOT_MERGED}


def merge_errors(file: str, merged: dict[str, Any], base: dict[str, Any], errors: list[Any]) -> InputError:
    """Pydantic errors of a merged provider, located in the overlay file (with "did you mean" for a misspelt key)."""
    _, marks = _read_yaml(file)
    problems = []
    for error in errors:
        path = _data_path(merged, error["loc"])
        message = str(error["msg"])
        if error.get("type") == "extra_forbidden" and path:
            siblings = _at(base, path[:-1])
            choices = [*(siblings if isinstance(siblings, dict) else {}), "source", "as_of", "evidence", "note"]
            message = f"unknown key {path[-1]!r}{did_you_mean(str(path[-1]), [c for c in choices if c != path[-1]])}"
        dotted = ".".join(str(p) for p in path)
        problems.append(_located(f"{dotted}: {message}" if dotted else message, path, file, marks))
    return InputError(problems)


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """The part of a pydantic location that names keys of ``data`` (union tags like ``decimal`` dropped)."""
    return walk(data, loc)[0]


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` (None when it is not there)."""
    found, node = walk(data, path)
    return node if len(found) == len(path) else None


def _located(
    message: str, path: tuple[str | int, ...], file: str, marks: Mapping[tuple[str | int, ...], tuple[int, int]]
) -> Problem:
    from infrafit.plan.loader import _locate

    where = _locate(marks, path)
    return Problem(message, file=file, line=where[0], column=where[1]) if where else Problem(message, file=file)


def _read_yaml(file: str) -> tuple[Any, Mapping[tuple[str | int, ...], tuple[int, int]]]:
    """Bounded, tag-free YAML (the plan reader's rules) and the line and column of every key."""
    from infrafit.plan.loader import parse_yaml  # the plan's reader: bounded, and key positions only when asked
    from infrafit.plan.yaml_reader import read_text

    return parse_yaml(read_text(file), file)
