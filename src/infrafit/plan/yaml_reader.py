"""Read a plan's YAML fast and safely: bounded in size, nesting depth and alias expansion, no tags.

The data is built in one pass over libyaml's events (the C parser does not recurse, so deep nesting is refused
before anything can overflow a stack). Node positions are not collected on that pass: the source map is built
only when an error needs a location, by composing the (already vetted) text once more.
"""

from __future__ import annotations

import gc
import os
import stat
import sys
from collections.abc import Callable, Iterator
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
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from infrafit.errors import InputError, Path, Problem

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

__all__ = [
    "MAX_ALIAS_NODES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "LazySourceMap",
    "SourceMap",
    "gc_paused",
    "read_data",
    "read_text",
    "source_map",
]

MAX_BYTES = 64 * 2**20
"""Largest plan read, in bytes (a 100,000-resource plan is about 7 MB)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists (a plan needs fewer than 10 levels)."""
MAX_ALIAS_NODES = 1_000_000
"""Most nodes reached through aliases, counting each alias as the whole subtree it stands for."""

SourceMap = dict[Path, tuple[int, int]]

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


def read_text(source: str | FsPath) -> str:
    """The text of a plan file, or of standard input for ``-``. Only regular files are read (a FIFO or a device
    would block or never end), and at most :data:`MAX_BYTES`."""
    name = str(source)
    limit = f"plans are limited to {_size_text(MAX_BYTES)}"
    if name == "-":
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise InputError([Problem(f"no such file: {name}")]) from None
        except IsADirectoryError:
            raise InputError([Problem(f"{name} is a directory, not a plan file")]) from None
        except OSError as exc:
            raise InputError([Problem(f"cannot read {name}: {exc.strerror or exc}")]) from None
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise InputError([Problem(f"{name} is a directory, not a plan file")])
            if not stat.S_ISREG(info.st_mode):
                raise InputError(
                    [
                        Problem(
                            f"{name} is not a regular file (a pipe, device or socket); use `-` to read standard input"
                        )
                    ]
                )
            if info.st_size > MAX_BYTES:
                raise InputError([Problem(f"{name} is {_size_text(info.st_size)}; {limit}")])
            os.set_blocking(fd, True)
            with os.fdopen(fd, "rb", closefd=False) as fh:
                raw = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise InputError([Problem(f"cannot read {name}: {exc.strerror or exc}")]) from None
        finally:
            os.close(fd)
    if len(raw) > MAX_BYTES:
        raise InputError([Problem(f"{name} is larger than {_size_text(MAX_BYTES)}; {limit}")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(f"cannot read {name}: not UTF-8 text (byte {exc.start:,} is invalid)")]) from None


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
        self.loader = _Loader(text)
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
        return tuple(f.path_part for f in self.stack[1:] if f.path_part is not None)

    def plain(self, event: ScalarEvent) -> Any:
        value = event.value
        if value == "<<":
            return _MERGE
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
            [Problem(f"the plan is larger than {_size_text(MAX_BYTES)}; plans are limited to that", file=file)]
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


def source_map(text: str) -> SourceMap:
    """(line, column) of every path in text already read by :func:`read_data`: a mapping entry at its key, a list
    item at the item. Each node is visited once, so an alias is located where it is written, not expanded."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    marks: SourceMap = {}
    if root is None:
        return marks
    marks[()] = (root.start_mark.line + 1, root.start_mark.column + 1)
    seen: set[int] = set()
    todo: list[tuple[Node, Path]] = [(root, ())]
    while todo:
        node, path = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                here = (*path, str(key_node.value))
                marks.setdefault(here, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                todo.append((value_node, here))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                here = (*path, index)
                marks.setdefault(here, (item.start_mark.line + 1, item.start_mark.column + 1))
                todo.append((item, here))
    return marks


class LazySourceMap(SourceMap):
    """A source map built on first use: plans that load without an error never pay for node positions."""

    def __init__(self, build: Callable[[], SourceMap]) -> None:
        super().__init__()
        self._build: Callable[[], SourceMap] | None = build

    def _fill(self) -> None:
        if self._build is not None:
            build, self._build = self._build, None
            super().update(build())

    def get(self, key: Path, default: Any = None) -> Any:  # type: ignore[override]
        self._fill()
        return super().get(key, default)

    def __getitem__(self, key: Path) -> tuple[int, int]:
        self._fill()
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._fill()
        return super().__contains__(key)

    def __iter__(self) -> Iterator[Path]:
        self._fill()
        return super().__iter__()

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def keys(self) -> Any:
        self._fill()
        return super().keys()

    def values(self) -> Any:
        self._fill()
        return super().values()

    def items(self) -> Any:
        self._fill()
        return super().items()

    def __repr__(self) -> str:
        return "LazySourceMap(<not built>)" if self._build is not None else f"LazySourceMap({super().__repr__()})"
