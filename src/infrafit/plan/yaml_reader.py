"""Read a plan's YAML fast and safely: bounded in size, nesting depth and alias expansion, no tags.

The data is built in one pass over libyaml's events (the C parser does not recurse, so deep nesting is refused
before anything can overflow a stack). Node positions are not collected on that pass: the source map is built
only when an error needs a location, by composing the (already vetted) text once more.
"""

from __future__ import annotations

import gc
import os
import re
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path as FsPath
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import Node, ScalarNode

from infrafit.errors import InputError, Path, Problem

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "SourceMap",
    "compose",
    "gc_paused",
    "read_data",
    "read_text",
]

MAX_BYTES = 64 * 2**20
"""Largest plan read, in bytes (a 100,000-resource plan is about 7 MB)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists (a plan needs fewer than 10 levels)."""
MAX_ALIAS_NODES = 1_000_000
"""Most nodes reached through aliases, counting each alias as the whole subtree it stands for."""

SourceMap = dict[Path, tuple[int, int]]

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # not on Windows, which has no FIFOs to block on
_MERGE = object()  # the `<<` merge key
_NO_KEY = object()  # a mapping waiting for its next key
_TAG_HINT = "YAML tags (!, !!str, !!python/...) are not read in a plan; write the value plainly, quoted for text"


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while building a large tree of new objects: each full collection would walk
    every object made so far (a third of the time at 100,000 resources), and nothing built here is garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _size_text(n: int) -> str:
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def _check_file(name: str, info: os.stat_result) -> None:
    """Refuse what is not a regular file of a plan's size."""
    if stat.S_ISDIR(info.st_mode):
        raise InputError([Problem(f"{name} is a directory, not a plan file")])
    if not stat.S_ISREG(info.st_mode):
        message = f"{name} is not a regular file (a pipe, device or socket); use `-` to read standard input"
        raise InputError([Problem(message)])
    if info.st_size > MAX_BYTES:
        raise InputError(
            [Problem(f"{name} is {_size_text(info.st_size)}; plans are limited to {_size_text(MAX_BYTES)}")]
        )


def read_text(source: str | FsPath) -> str:
    """The text of a plan file, or of standard input for ``-``. Only regular files are read (a FIFO or a device
    would block or never end, and is not even opened), and at most :data:`MAX_BYTES`."""
    name = str(source)
    if name == "-":
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        try:
            _check_file(name, os.stat(name))
            # Non-blocking, so a file swapped for a FIFO since the check opens at once; fstat then refuses it.
            fd = os.open(name, os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise InputError([Problem(f"no such file: {name}")]) from None
        except OSError as exc:
            raise InputError([Problem(f"cannot read {name}: {exc.strerror or exc}")]) from None
        try:
            _check_file(name, os.fstat(fd))
            if _NONBLOCK:
                os.set_blocking(fd, True)
            with os.fdopen(fd, "rb", closefd=False) as fh:
                raw = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise InputError([Problem(f"cannot read {name}: {exc.strerror or exc}")]) from None
        finally:
            os.close(fd)
    if len(raw) > MAX_BYTES:
        raise InputError([Problem(f"{name} is over {_size_text(MAX_BYTES)}; plans are limited to that size")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(f"cannot read {name}: not UTF-8 text (byte {exc.start:,} is invalid)")]) from None


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")
"""Plain text no YAML 1.1 implicit type can claim, but for the words below: a letter first rules out numbers,
dates, ``.inf`` and ``~``."""
_YAML11_WORDS = frozenset(
    ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL"]
)
"""Booleans and nulls as PyYAML's resolver reads them, and ``y``/``n`` (YAML 1.1 booleans elsewhere): these go
through the resolver."""


class _Frame:
    """An open mapping or list while its events arrive."""

    __slots__ = ("anchor", "data", "is_map", "key", "key_mark", "merges", "path_part", "size")

    def __init__(self, data: Any, is_map: bool, anchor: str | None, path_part: str | int | None) -> None:
        self.data = data
        self.is_map = is_map
        self.anchor = anchor
        self.path_part = path_part
        self.key: Any = _NO_KEY
        self.key_mark: Any = None
        self.merges: list[Any] = []
        self.size = 1


class _Reader:
    """Events -> plain data, as SafeLoader would build it (same scalars, shared aliases, ``<<`` merges)."""

    def __init__(self, text: str, file: str | None) -> None:
        self.loader: Any = _Loader(text)  # typed loosely: PyYAML's stubs leave the C loader's methods untyped
        self.file = file
        self.scalars: dict[str, Any] = {}  # plain scalar text -> its value (immutable), since plans repeat them
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, nodes it stands for)
        self.open_anchors: set[str] = set()
        self.alias_nodes = 0
        self.stack: list[_Frame] = []
        self.problems: list[Problem] = []

    def fail(self, message: str, mark: Any) -> InputError:
        return InputError([Problem(message, self.path(), self.file, mark.line + 1, mark.column + 1)])

    def path(self) -> Path:
        """Where the event being read sits: the open collections' keys and indexes, then its own."""
        parts = [f.path_part for f in self.stack[1:] if f.path_part is not None]
        if self.stack:
            top = self.stack[-1]
            if not top.is_map:
                parts.append(len(top.data))
            elif top.key is not _NO_KEY and top.key is not _MERGE:
                parts.append(_part(top.key))
        if len(parts) > 6:  # a path through deep nesting would fill the screen
            parts = [*parts[:4], "…"]
        return tuple(parts)

    def plain(self, event: Any) -> Any:
        value = event.value
        if value == "<<":
            return _MERGE
        if _WORD.fullmatch(value) and value not in _YAML11_WORDS:  # a name such as web-1: text, whatever resolves
            self.scalars[value] = value
            return value
        resolver = self.loader
        tag = resolver.resolve(ScalarNode, value, (True, False))
        node = ScalarNode(tag, value, event.start_mark, event.end_mark)
        try:
            constructors = resolver.yaml_constructors
            result = constructors.get(tag, constructors[None])(resolver, node)
        except (ValueError, OverflowError) as exc:
            raise self.fail(f"cannot read {value[:40]!r}: {exc}", event.start_mark) from None
        self.scalars[value] = result
        return result

    def read(self) -> Any:
        get = self.loader.get_event
        scalars = self.scalars
        stack = self.stack
        documents = 0
        root: Any = None
        while True:
            event = get()
            kind = event.__class__
            if kind is ScalarEvent:
                if event.tag is not None and event.tag != "!":
                    raise self.fail(_TAG_HINT, event.start_mark)
                if event.implicit[0]:
                    value = scalars.get(event.value, _NO_KEY)
                    if value is _NO_KEY:
                        value = self.plain(event)
                else:
                    value = event.value
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1)
                size = 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.tag is not None and event.tag != "!":
                    raise self.fail(_TAG_HINT, event.start_mark)
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(
                        f"nested more than {MAX_DEPTH} levels deep; a plan needs far fewer", event.start_mark
                    )
                part: str | int | None = None
                if stack:
                    top = stack[-1]
                    part = (None if top.key is _NO_KEY else _part(top.key)) if top.is_map else len(top.data)
                if event.anchor is not None:
                    self.open_anchors.add(event.anchor)
                stack.append(
                    _Frame({} if kind is MappingStartEvent else [], kind is MappingStartEvent, event.anchor, part)
                )
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                value = self.merged(frame) if frame.merges else frame.data
                size = frame.size
                if frame.anchor is not None:
                    self.open_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = (value, size)
            elif kind is AliasEvent:
                name = event.anchor
                if name in self.open_anchors:
                    raise self.fail(
                        f"alias *{name} refers to a node that contains it (a recursive alias)", event.start_mark
                    )
                if name not in self.anchors:
                    raise self.fail(f"alias *{name} has no anchor &{name} before it", event.start_mark)
                value, size = self.anchors[name]
                self.alias_nodes += size
                if self.alias_nodes > MAX_ALIAS_NODES:
                    raise self.fail(
                        f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes (an alias bomb?); write the values out",
                        event.start_mark,
                    )
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.fail("a plan file holds one YAML document; found a second one (`---`)", event.start_mark)
                continue
            elif kind is StreamEndEvent:
                return root
            else:  # stream start, document end
                continue
            if not stack:
                root = value
                continue
            top = stack[-1]
            top.size += size
            if not top.is_map:
                top.data.append(value)
            elif top.key is _NO_KEY:
                if isinstance(value, dict | list):
                    raise self.fail("a mapping key must be a plain value, not a mapping or a list", event.start_mark)
                top.key = value
                top.key_mark = event.start_mark
            else:
                key = top.key
                top.key = _NO_KEY
                if key is _MERGE:
                    top.merges.append((value, top.key_mark))
                    continue
                if key in top.data:
                    mark = top.key_mark
                    self.problems.append(
                        Problem(
                            f"duplicate key {key!r}",
                            (*self.path(), _part(key)),
                            self.file,
                            mark.line + 1,
                            mark.column + 1,
                        )
                    )
                top.data[key] = value

    def merged(self, frame: _Frame) -> dict[Any, Any]:
        """A mapping with ``<<`` merges: merged keys first (the first mapping of a list wins), explicit keys last."""
        out: dict[Any, Any] = {}
        for value, mark in frame.merges:
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(s, dict) for s in sources):
                raise self.fail("`<<` merges a mapping or a list of mappings", mark)
            for source in reversed(sources):
                out.update(source)
        out.update(frame.data)
        return out


def _part(key: Any) -> str | int:
    return key if isinstance(key, int) and not isinstance(key, bool) else str(key)


def read_data(text: str, file: str | None = None) -> Any:
    """YAML text -> plain data. Syntax errors and refused constructs become an InputError with line and column."""
    if len(text) > MAX_BYTES:
        raise InputError(
            [Problem(f"the plan is over {_size_text(MAX_BYTES)}; plans are limited to that size", file=file)]
        )
    reader = _Reader(text, file)
    try:
        with gc_paused():
            data = reader.read()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = " ".join(filter(None, [exc.context, exc.problem]))
        problem = Problem(f"YAML syntax: {reason}", file=file)
        if mark is not None:
            problem.line, problem.column = mark.line + 1, mark.column + 1
        raise InputError([problem]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every parser error is marked in practice
        raise InputError([Problem(f"YAML syntax: {exc}", file=file)]) from None
    finally:
        reader.loader.dispose()
    if reader.problems:
        raise InputError(reader.problems)
    return data


def compose(text: str) -> Node | None:
    """The node graph of text already read by :func:`read_data` (so known to be shallow and free of tags), with
    every node's position; aliases are shared nodes, never copies."""
    loader: Any = _Loader(text)
    try:
        root: Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    return root
