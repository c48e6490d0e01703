"""The model registry: a catalog service's ``model:`` names a function registered here with :func:`register`."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from infrafit.services.context import Context

Model = Callable[[Context], dict[str, Decimal]]
MODELS: dict[str, Model] = {}


def register(name: str) -> Callable[[Model], Model]:
    """Decorator: make ``fn`` the model of every catalog service whose ``model:`` is ``name``."""

    def deco(fn: Model) -> Model:
        MODELS[name] = fn
        return fn

    return deco
