"""The Compose file: valid against the vendored Compose specification schema, pinned, limited, one network."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from importlib import resources

import pytest

from infrafit.selfhost.compose import ComposeInvalid, compose_file, validate
from infrafit.selfhost.facts import counterparts
from infrafit.selfhost.footprint import Demand, estimate

D = Decimal
_, TABLE = counterparts()


def test_the_vendored_schema_is_the_one_recorded() -> None:
    folder = resources.files("infrafit.selfhost")
    digest = hashlib.sha256((folder / "compose-spec.json").read_bytes()).hexdigest()
    assert digest in (folder / "COMPOSE_SPEC.md").read_text(encoding="utf-8")


def test_every_counterpart_makes_a_valid_file() -> None:
    boxes = []
    for key, cp in TABLE.items():
        boxes += estimate(Demand(resource=f"r-{key}", service="x", count=2), cp, shared=False).containers
    doc = compose_file(boxes)  # validates
    assert set(doc["networks"]) == {"selfhost"}
    for name, svc in doc["services"].items():
        assert svc["restart"] == "unless-stopped"
        assert svc["networks"] == ["selfhost"]
        image = svc.get("image")
        assert image is None or (":" in image and not image.endswith(":latest")), name  # pinned
        reserved = svc["deploy"]["resources"]["reservations"]
        assert reserved["memory"].endswith("M")


def test_byte_values_are_binary_and_rounded_up() -> None:
    # 1,000 MB = 953.7 MiB → 960M (16 MiB steps); limit 1.5 × 953.7 = 1,430.5 MiB → 1,440M; 0.1 core → 0.10,
    # limit max(4 × 0.1, 0.5) = 0.50
    box = estimate(Demand(resource="app", service="x", memory=D(10**9)), TABLE["container"], shared=False).containers
    svc = compose_file(box)["services"]["app"]
    assert svc["deploy"]["resources"]["reservations"] == {"cpus": "0.10", "memory": "960M"}
    assert svc["deploy"]["resources"]["limits"] == {"cpus": "0.50", "memory": "1440M"}
    assert svc["build"] == {"context": "./app"}


def test_an_invalid_document_names_the_key() -> None:
    with pytest.raises(ComposeInvalid, match=r"services\.web\.restart"):
        validate({"services": {"web": {"image": "nginx:1.27", "restart": 5}}})
    with pytest.raises(ComposeInvalid, match=r"\(top\): .nonsense. does not match"):
        validate({"services": {}, "nonsense": 1})
