"""Evaluate the Terraform expressions python-hcl2 leaves as ``${...}`` text, as far as the files can say.

Nothing is evaluated by the parser (``count = var.n`` arrives as ``"${var.n}"``), so this module resolves
``var.*``, ``local.*``, literals, arithmetic, comparisons, conditionals and the common pure functions. Anything
that depends on the cloud (a resource's attribute, ``data.*``) or on ``count.index`` stays :class:`Unknown`, which
carries the text so the draft can say what the value depends on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from infrafit.importers.terraform.functions import FUNCTIONS
from infrafit.importers.terraform.functions import NotKnown as _NotKnown

__all__ = ["Scope", "Unknown", "evaluate", "resolve"]


@dataclass(frozen=True)
class Unknown:
    """A value only known after apply (or from inputs not given): ``text`` is the expression."""

    text: str

    def __str__(self) -> str:
        return f"${{{self.text}}}"




class Scope:
    """Names an expression may use: variables, locals (resolved on first use) and, in a module, its inputs."""

    def __init__(self, variables: Mapping[str, Any], local_exprs: Mapping[str, Any]) -> None:
        self.variables = dict(variables)
        self._local_exprs = dict(local_exprs)
        self._locals: dict[str, Any] = {}
        self._busy: set[str] = set()

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        if name not in self._local_exprs or name in self._busy:
            raise _NotKnown(name)
        self._busy.add(name)
        try:
            value = resolve(self._local_exprs[name], self)
        finally:
            self._busy.discard(name)
        self._locals[name] = value
        return value


_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<str>\"(?:[^\"\\]|\\.)*\")|(?P<name>[A-Za-z_][A-Za-z0-9_-]*)"
    r"|(?P<op>==|!=|<=|>=|&&|\|\||=>|\.\.\.|[-+*/%<>!?:.,()\[\]{}=]))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise _NotKnown(text)
        kind = m.lastgroup or "op"
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _num(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value


def _strip_num(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class _Parser:
    def __init__(self, text: str, scope: Scope) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.scope = scope

    def peek(self) -> str | None:
        return self.toks[self.i][1] if self.i < len(self.toks) else None

    def take(self, want: str | None = None) -> tuple[str, str]:
        if self.i >= len(self.toks):
            raise _NotKnown("end")
        tok = self.toks[self.i]
        if want is not None and tok[1] != want:
            raise _NotKnown(f"expected {want}")
        self.i += 1
        return tok

    def parse(self) -> Any:
        value = self.ternary()
        if self.i != len(self.toks):
            raise _NotKnown("trailing")
        return value

    def ternary(self) -> Any:
        cond = self.binary(0)
        if self.peek() == "?":
            self.take()
            a = self.ternary()
            self.take(":")
            b = self.ternary()
            return a if cond else b
        return cond

    _LEVELS = (("||",), ("&&",), ("==", "!=", "<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))

    def binary(self, level: int) -> Any:
        if level == len(self._LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek() in self._LEVELS[level] and self.toks[self.i][0] == "op":
            op = self.take()[1]
            right = self.binary(level + 1)
            left = _apply(op, left, right)
        return left

    def unary(self) -> Any:
        if self.peek() == "-":
            self.take()
            return -self.unary()
        if self.peek() == "!":
            self.take()
            return not self.unary()
        return self.postfix(self.primary())

    def postfix(self, value: Any) -> Any:
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                kind, name = self.take()
                if name == "*":
                    raise _NotKnown("splat")
                value = _index(value, _num(name) if kind == "num" else name)
            else:
                key = self.ternary()
                self.take("]")
                value = _index(value, key)
        return value

    def primary(self) -> Any:
        kind, text = self.take()
        if kind == "num":
            return _num(text)
        if kind == "str":
            return resolve(_unescape(text[1:-1]), self.scope)
        if text == "(":
            value = self.ternary()
            self.take(")")
            return value
        if text == "[":
            return self.items("]")
        if text == "{":
            return self.mapping()
        if kind != "name":
            raise _NotKnown(text)
        if text in ("true", "false"):
            return text == "true"
        if text == "null":
            return None
        if self.peek() == "(":
            return self.call(text)
        if text == "var":
            self.take(".")
            name = self.take()[1]
            if name not in self.scope.variables:
                raise _NotKnown(f"var.{name}")
            value = self.scope.variables[name]
            if isinstance(value, Unknown):
                raise _NotKnown(value.text)
            return value
        if text == "local":
            self.take(".")
            value = self.scope.local(self.take()[1])
            if isinstance(value, Unknown):
                raise _NotKnown(value.text)
            return value
        raise _NotKnown(text)  # resources, data sources, count.index, each.key: known after apply

    def items(self, close: str) -> list[Any]:
        out: list[Any] = []
        while self.peek() != close:
            out.append(self.ternary())
            if self.peek() == ",":
                self.take()
        self.take(close)
        return out

    def mapping(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        while self.peek() != "}":
            kind, key = self.take()
            key = key[1:-1] if kind == "str" else key
            if self.peek() not in ("=", ":"):
                raise _NotKnown("map")
            self.take()
            out[key] = self.ternary()
            if self.peek() == ",":
                self.take()
        self.take("}")
        return out

    def call(self, name: str) -> Any:
        self.take("(")
        if name == "try":
            return self.try_call()
        args = self.items(")")
        fn = FUNCTIONS.get(name)
        if fn is None:
            raise _NotKnown(f"{name}()")
        try:
            return fn(*args)
        except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError):
            raise _NotKnown(f"{name}()") from None

    def try_call(self) -> Any:
        depth, start = 0, self.i
        pieces: list[tuple[int, int]] = []
        while self.i < len(self.toks):
            tok = self.toks[self.i][1]
            if tok in ("(", "[", "{"):
                depth += 1
            elif tok in (")", "]", "}"):
                if depth == 0:
                    break
                depth -= 1
            elif tok == "," and depth == 0:
                pieces.append((start, self.i))
                start = self.i + 1
            self.i += 1
        pieces.append((start, self.i))
        self.take(")")
        for a, b in pieces:
            sub = _Parser.__new__(_Parser)
            sub.toks, sub.i, sub.scope = self.toks[a:b], 0, self.scope
            try:
                return sub.parse()
            except _NotKnown:
                continue
        raise _NotKnown("try()")


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _index(value: Any, key: Any) -> Any:
    try:
        if isinstance(value, dict):
            return value[str(key)] if str(key) in value else value[key]
        if isinstance(value, list):
            return value[int(key)]
    except (KeyError, IndexError, ValueError, TypeError):
        pass
    raise _NotKnown("index")


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "%": lambda a, b: a % b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "&&": lambda a, b: bool(a) and bool(b),
    "||": lambda a, b: bool(a) or bool(b),
}


def _apply(op: str, a: Any, b: Any) -> Any:
    try:
        return _strip_num(_OPS[op](a, b))
    except (TypeError, ZeroDivisionError):
        raise _NotKnown(op) from None


def evaluate(expr: str, scope: Scope) -> Any:
    """The value of one expression (the text inside ``${...}``), or :class:`Unknown`."""
    try:
        return _Parser(expr, scope).parse()
    except (_NotKnown, RecursionError):
        return Unknown(expr.strip())


def _template_parts(text: str) -> list[tuple[bool, str]]:
    """Split a template into (is_expression, text) parts; ``$${`` is a literal ``${``."""
    parts: list[tuple[bool, str]] = []
    pos, buf = 0, []
    while pos < len(text):
        if text.startswith("$${", pos):
            buf.append("${")
            pos += 3
        elif text.startswith("${", pos):
            depth, j, quote = 1, pos + 2, False
            while j < len(text) and depth:
                ch = text[j]
                if ch == '"' and text[j - 1] != "\\":
                    quote = not quote
                elif not quote and ch == "{":
                    depth += 1
                elif not quote and ch == "}":
                    depth -= 1
                j += 1
            if depth:
                buf.append(text[pos:])
                break
            if buf:
                parts.append((False, "".join(buf)))
                buf = []
            parts.append((True, text[pos + 2 : j - 1]))
            pos = j
        elif text.startswith("%{", pos):
            raise _NotKnown("template directive")
        else:
            buf.append(text[pos])
            pos += 1
    if buf:
        parts.append((False, "".join(buf)))
    return parts


def resolve(value: Any, scope: Scope) -> Any:
    """``value`` with every ``${...}`` resolved, deeply (lists and maps); unresolvable parts become Unknown."""
    if isinstance(value, dict):
        return {k: resolve(v, scope) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, scope) for v in value]
    if not isinstance(value, str) or ("${" not in value and "%{" not in value):
        return value
    try:
        parts = _template_parts(value)
    except _NotKnown:
        return Unknown(value)
    if len(parts) == 1 and parts[0][0]:
        return evaluate(parts[0][1], scope)
    out: list[str] = []
    for is_expr, text in parts:
        if not is_expr:
            out.append(text)
            continue
        got = evaluate(text, scope)
        if isinstance(got, Unknown | dict | list):
            return Unknown(value)
        out.append(("true" if got else "false") if isinstance(got, bool) else str(got))
    return "".join(out)
