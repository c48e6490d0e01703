"""Service models: how a resource of a service turns into monthly meter quantities.

A model is registered under the name a catalog service gives in ``model:``. Meters fed straight from a
usage key (``from_usage``) need no model code; models compute only what depends on the service's
billing rules (rounding, instance time, memory-seconds...).
"""

from __future__ import annotations

from infrafit.services import models  # registers the built-in models
from infrafit.services.context import Context, ModelError, convert_usage
from infrafit.services.registry import MODELS, Model, register
from infrafit.services.units import GIB, ZERO, byte_unit, ceil_to

__all__ = [
    "GIB",
    "MODELS",
    "ZERO",
    "Context",
    "Model",
    "ModelError",
    "byte_unit",
    "ceil_to",
    "convert_usage",
    "models",
    "register",
]
