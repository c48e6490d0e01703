"""Bind a plan resource to its catalog entry: service, region, type, plan. Errors point at the bad field."""

from __future__ import annotations

from infrafit.catalog.lookup import Catalog, UnknownName
from infrafit.errors import did_you_mean
from infrafit.plan.model import Plan, Resource
from infrafit.services import Context, ModelError

__all__ = ["bind"]

_SIZING_FIELDS = ("region", "type", "plan", "count", "cpu", "memory", "disk", "rate_limits", "daily_reset")


def bind(name: str, res: Resource, plan: Plan, catalog: Catalog) -> Context:
    """Resolve a resource against the catalog; raise ModelError/UnknownName pointing at the bad field."""
    base: tuple[str | int, ...] = ("resources", name)
    try:
        provider, service = catalog.service(res.service)
    except UnknownName as exc:
        raise ModelError(str(exc), (*base, "service")) from None
    written = res.model_fields_set
    for field in _SIZING_FIELDS:
        if field in written and field not in service.fields and field != "region":
            if field == "count" and res.count == 1:
                continue
            raise ModelError(
                f"{res.service} takes no `{field}` (it takes: {', '.join(service.fields) or 'none'})", (*base, field)
            )
    for key in res.usage:
        if key not in service.usage:
            hint = did_you_mean(key, service.usage)
            raise ModelError(f"{res.service} takes no usage key {key!r}{hint}", (*base, "usage", key))
    region = None
    if service.regions:
        region = res.region or service.default_region or provider.default_region
        if region not in service.regions:
            raise ModelError(
                f"{res.service} is not offered in region {region!r}{did_you_mean(str(region), service.regions)}",
                (*base, "region"),
            )
    type_name = res.type or service.default_type
    instance_type = None
    if service.types:
        if type_name not in service.types:
            raise ModelError(
                f"unknown type {type_name!r} for {res.service}{did_you_mean(str(type_name), service.types)}",
                (*base, "type"),
            )
        instance_type = service.types[type_name]
    elif service.variants:
        if type_name not in service.variants:
            raise ModelError(
                f"unknown type {type_name!r} for {res.service}{did_you_mean(str(type_name), service.variants)}",
                (*base, "type"),
            )
    elif res.type is not None:
        raise ModelError(f"{res.service} has no types; remove `type: {res.type}`", (*base, "type"))
    try:
        view = catalog.view(res.service, res.plan)
    except UnknownName as exc:
        raise ModelError(str(exc), (*base, "plan")) from None
    return Context(name, res, view, region, type_name, instance_type, plan.month_hours)
