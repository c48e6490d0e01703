"""Terraform expressions the files alone can resolve, and those they cannot."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from infrafit.importers.terraform.expr import Scope, Unknown, resolve

SCOPE = Scope(
    {"n": 2, "region": "us-east-1", "sizes": {"small": 8}, "missing": Unknown("var.missing")},
    {"env": "prod-${var.region}", "x": "${var.n * 3}", "y": "${local.x + 1}", "loop": "${local.loop}"},
)


def test_variables_locals_and_arithmetic() -> None:
    assert resolve("${var.n}", SCOPE) == 2  # a whole-string expression keeps its type
    assert resolve("${local.env}", SCOPE) == "prod-us-east-1"
    assert resolve("web-${var.n}-x", SCOPE) == "web-2-x"
    assert resolve("${local.y}", SCOPE) == 7  # 2 × 3 + 1
    assert resolve('${var.n > 1 ? "big" : "small"}', SCOPE) == "big"
    assert resolve('${length(toset(["a", "b", "a"]))}', SCOPE) == 2  # a set drops the repeat
    assert resolve('${lookup(var.sizes, "small", 0)}', SCOPE) == 8
    assert resolve("${var.sizes.small * 2}", SCOPE) == 16
    assert resolve("${try(aws_instance.x.id, 5)}", SCOPE) == 5


def test_what_only_apply_knows_stays_unknown() -> None:
    assert resolve("${aws_vpc.main.id}", SCOPE) == Unknown("aws_vpc.main.id")
    assert resolve("${count.index}", SCOPE) == Unknown("count.index")
    assert resolve("${var.missing}", SCOPE) == Unknown("var.missing")
    assert resolve("${local.loop}", SCOPE) == Unknown("local.loop")  # a cycle, not a crash
    assert isinstance(resolve("a-${aws_vpc.main.id}", SCOPE), Unknown)
    assert resolve("$${literal}", SCOPE) == "${literal}"


def test_deep_values() -> None:
    assert resolve({"tags": ["${var.n}", {"Env": "${local.env}"}]}, SCOPE) == {"tags": [2, {"Env": "prod-us-east-1"}]}


@given(st.text().filter(lambda t: "${" not in t and "%{" not in t and "$${" not in t))
def test_plain_text_is_unchanged(text: str) -> None:
    assert resolve(text, SCOPE) == text
