"""Read a plan from YAML and validate it once, locating every problem at its line and column in the file."""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path as FsPath
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, SequenceNode

from infrafit.errors import InputError, Path, Problem, did_you_mean
from infrafit.plan.model import Plan, plan_model
from infrafit.plan.yaml_reader import SourceMap, compose, gc_paused, read_data, read_text
from infrafit.sections import SECTIONS


def parse_yaml(text: str, file: str | None = None) -> tuple[Any, Mapping[Path, tuple[int, int]]]:
    """YAML text -> (data, source map). Syntax errors and refused input (too large, too deep, alias bombs, tags,
    duplicate keys) become an InputError with line and column; the source map is built only if it is read."""
    data = read_data(text, file)
    return data, LazySourceMap(lambda: source_map(text))


def source_map(text: str) -> SourceMap:
    """(line, column) of every path in text already read by :func:`read_data`: a mapping entry at its key, a list
    item at the item. Each node is visited once, so an alias is located where it is written, not expanded."""
    root = compose(text)
    marks: SourceMap = {}
    if root is None:
        return marks
    marks[()] = (root.start_mark.line + 1, root.start_mark.column + 1)
    seen: set[int] = set()
    todo: list[tuple[Node, Path]] = [(root, ())]  # depth first in document order, so an anchor before its aliases
    while todo:
        node, path = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        children: list[tuple[Node, Path]] = []
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                here = (*path, str(key_node.value))
                marks.setdefault(here, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                children.append((value_node, here))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                here = (*path, index)
                marks.setdefault(here, (item.start_mark.line + 1, item.start_mark.column + 1))
                children.append((item, here))
        todo.extend(reversed(children))
    return marks


class LazySourceMap(Mapping[Path, tuple[int, int]]):
    """A source map built on first use: plans that load without an error never pay for node positions."""

    def __init__(self, build: Callable[[], SourceMap]) -> None:
        self._build = build

    @functools.cached_property
    def _marks(self) -> SourceMap:
        return self._build()

    def __getitem__(self, key: Path) -> tuple[int, int]:
        return self._marks[key]

    def __iter__(self) -> Iterator[Path]:
        return iter(self._marks)

    def __len__(self) -> int:
        return len(self._marks)

    def __repr__(self) -> str:
        built = self.__dict__.get("_marks")
        return "LazySourceMap(<not built>)" if built is None else f"LazySourceMap({built!r})"


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _members(tp: Any) -> list[Any]:
    """The types a value of ``tp`` may be: Annotated[X, ...] -> [X]; X | Y | None -> [X, Y]; else [tp]."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _members(get_args(tp)[0])
    if origin is Union or origin is types.UnionType:
        return [m for arg in get_args(tp) if arg is not type(None) for m in _members(arg)]
    return [tp]


def _step(tp: Any, part: str | int) -> Any | None:
    """The type found one step along an error location: a model's field, a mapping's value, a list's item, or
    the member of a union of models that pydantic names in the location."""
    members = _members(tp)
    for member in members:
        if _is_model(member):
            field = member.model_fields.get(str(part))
            if field is not None:
                return field.annotation
            if len(members) > 1 and member.__name__ == part:
                return member
            continue
        args = get_args(member)
        origin = get_origin(member)
        if isinstance(origin, type) and args:
            if issubclass(origin, dict):
                return args[-1]
            if issubclass(origin, list | tuple | set | frozenset):
                return args[0]
    return None


def model_at(root: type[BaseModel], loc: Path) -> type[BaseModel] | None:
    """The model an error at ``loc`` is about (Plan, Resource, Job, Retries, a section's model, ...).

    ``loc`` is pydantic's location of the offending key, so the walk follows every part but the last, through
    fields, mapping values and list items; None when the location leaves the models (a free-form mapping).
    """
    current: Any = root
    for part in loc[:-1]:
        current = _step(current, part)
        if current is None:
            return None
    return next((m for m in _members(current) if _is_model(m)), None)


def _problem_from_pydantic(err: Any, model: type[BaseModel]) -> tuple[Path, str]:
    loc: Path = tuple(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        owner = model_at(model, loc)
        choices = list(owner.model_fields) if owner is not None else []
        return loc, f"unknown key {key!r}{did_you_mean(key, choices)}"
    if kind == "usage_unit":
        return (*loc, err["ctx"]["key"]), str(err["ctx"]["message"])
    if kind == "missing":
        return loc, "required key is missing"
    message = str(err["msg"])
    if kind == "string_type" and isinstance(err.get("input"), bool | int | float):
        message += " (quote it: YAML reads yes/no/on/off as booleans and bare numbers as numbers)"
    message = message.removeprefix("Value error, ")
    return loc, message


def plan_from_data(
    data: Any, marks: Mapping[Path, tuple[int, int]] | None = None, file: str | None = None
) -> Plan:
    """Validate already-parsed data into a Plan (with every registered section), locating each problem in the source."""
    if marks is None:
        marks = {}
    if not isinstance(data, dict):
        raise InputError(
            [Problem("a plan must be a YAML mapping with `name` and `resources`", file=file, line=1, column=1)]
        )
    model = plan_model(frozenset(key for key in data if key in SECTIONS))
    try:
        with gc_paused():
            plan = model.model_validate(data)
    except ValidationError as exc:
        problems = []
        everything = plan_model()  # suggestions name every section, not only those the plan has
        for err in exc.errors():
            loc, message = _problem_from_pydantic(err, everything)
            line_col = _locate(marks, loc)
            problems.append(Problem(message, loc, file, *(line_col or (None, None))))
        raise InputError(problems) from None
    plan._source_map = marks
    plan._file = file
    return plan


def _locate(marks: Mapping[Path, tuple[int, int]], path: Path) -> tuple[int, int] | None:
    for cut in range(len(path), -1, -1):
        if path[:cut] in marks:
            return marks[path[:cut]]
    return None


def load_plan(source: str | FsPath, *, text: str | None = None) -> Plan:
    """Load a plan from a file path, ``-`` for standard input, or from ``text`` (named ``source`` in errors)."""
    name = str(source)
    if text is None:
        text = read_text(source)
    data, marks = parse_yaml(text, name)
    return plan_from_data(data, marks, name)
