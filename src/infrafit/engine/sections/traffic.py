"""The `traffic:` section: clients through cache layers, simulated exactly, and the usage it implies on every service
it touches: client requests on the CDN (Vercel Edge Requests and Fast Data Transfer), origin requests on the origin
resource, and each origin request's downstream usage (``per_origin_request``), all as extra lines that draw on the
plan's pools and tiers. Findings say where a layer cannot help.

The simulator (:mod:`infrafit.dynamics.traffic`, NumPy) is imported only when a plan has traffic.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from infrafit.engine.result import Finding, Severity
from infrafit.engine.sections.base import Line, Outcome, SectionEnv
from infrafit.engine.sections.traffic_report import LayerUse, TrafficReport
from infrafit.engine.sections.traffic_rules import Effective, effective
from infrafit.errors import did_you_mean
from infrafit.plan.model import Resource
from infrafit.plan.traffic import Browser, Cache, Cdn, TrafficEntry
from infrafit.services import ModelError
from infrafit.units import Rate

if TYPE_CHECKING:
    from infrafit.dynamics.traffic import TrafficRun

__all__ = ["TrafficReport", "TrafficSection"]

INEFFECTIVE = 0.01
"""A layer answering fewer than 1% of the requests reaching it is not helping."""


class TrafficSection:
    """Turns a plan's traffic entries into reports, findings and the extra lines their usage implies."""

    key: ClassVar[str] = "traffic"

    def run(self, value: dict[str, TrafficEntry], env: SectionEnv) -> Outcome:
        out = Outcome()
        for name, entry in value.items():
            out.reports.append(_entry(name, entry, env, out))
            if env.on_progress:
                env.on_progress(name)
        return out


def _resource(env: SectionEnv, entry: str, ref: str, path: tuple[str | int, ...]) -> Resource:
    res = env.plan.resources.get(ref)
    if res is None:
        raise ModelError(f"traffic {entry} names no resource {ref!r}{did_you_mean(ref, env.plan.resources)}", path)
    return res


def _entry(name: str, entry: TrafficEntry, env: SectionEnv, out: Outcome) -> TrafficReport:
    from infrafit.dynamics.traffic import CacheLayer, CdnLayer, Clients, run

    base = ("traffic", name)
    origin = _resource(env, name, entry.origin, (*base, "origin"))
    for target in entry.per_origin_request:
        _resource(env, name, target, (*base, "per_origin_request", target))
    cdn_spec = entry.layer("cdn")
    rule: Effective | None = effective(cdn_spec) if cdn_spec is not None else None
    browser = entry.layer("browser")
    keeps = rule.browser_keeps if rule is not None else True
    hours = env.plan.month_hours
    clients = Clients(
        count=entry.clients,
        every=None if entry.every is None else float(entry.every),
        rate=None if entry.rate is None else float(entry.rate.per_month(hours) / (hours * 3600)),
        latency=float(entry.latency),
        active=1.0 if entry.hidden == "poll" else float(entry.active),
        dedupe=float(browser.dedupe) if browser is not None else 0.0,
        browser_max_age=float(browser.max_age) if browser is not None and keeps else 0.0,
    )
    layers: list[Any] = []
    for item in entry.layers:
        if isinstance(item, Cdn):
            assert rule is not None
            ttl = rule.ttl if rule.caches else 0.0
            layers.append(CdnLayer(ttl=ttl, swr=rule.swr, locations=item.cdn.regions))
        elif isinstance(item, Cache):
            spec = item.cache
            every = _duration(spec.write_every)
            layers.append(CacheLayer(mode=spec.mode, ttl=float(spec.ttl or 0), write_every=every))
    seed = env.seed if entry.seed is None else entry.seed
    month_s = float(env.plan.month_hours) * 3600
    produced = _duration(entry.produced_every)
    sim = run(clients, layers, month_s=month_s, seed=seed, produced_every=produced)
    report = _report(name, entry, origin, sim, seed, rule)
    _findings(name, entry, report, sim, rule, out)
    if rule is not None and rule.swr > 0 and rule.caches and sim.stale_share >= 0.25:
        plain = [
            CdnLayer(ttl=layer.ttl, swr=0.0, locations=layer.locations) if isinstance(layer, CdnLayer) else layer
            for layer in layers
        ]
        without = run(clients, plain, month_s=month_s, seed=seed, produced_every=produced)
        _swr_finding(name, entry, sim, without, out)
    _derive(name, entry, origin, report, env, out)
    return report


def _duration(spec: Any) -> Any:
    from infrafit.dynamics import Duration

    if spec is None:
        return None
    return Duration(spec.kind, float(spec.a), None if spec.b is None else float(spec.b))


def _arrivals(entry: TrafficEntry) -> str:
    if entry.rate is not None:
        return f"{entry.rate} open arrivals"
    active = "" if entry.active >= 1 or entry.hidden == "poll" else f", {float(entry.active) * 24:g} h a day"
    return f"{entry.clients:,} client{'s' if entry.clients != 1 else ''} every {entry.every.normalize():f} s{active}"  # type: ignore[union-attr]


def _report(
    name: str, entry: TrafficEntry, origin: Resource, sim: TrafficRun, seed: int, rule: Effective | None
) -> TrafficReport:
    import numpy as np

    layers: list[LayerUse] = []
    modes = [c.mode for c in entry.caches()]
    for count in sim.layers:
        label, detail = count.name, ""
        if label == "cdn":
            detail = entry.layer("cdn").provider
        if label == "cache":
            seen = len([u for u in layers if u.layer.startswith("cache")])
            label, detail = ("cache" if seen == 0 else f"cache_{seen + 1}"), modes[seen]
        layers.append(
            LayerUse(
                layer=label,
                detail=detail,
                requests_per_month=round(count.requests, 1),
                passed_per_month=round(count.passed, 1),
                hit_ratio=round(count.hit_ratio, 4),
            )
        )
    layers.append(
        LayerUse(
            layer="origin",
            requests_per_month=round(sim.origin_requests, 1),
            passed_per_month=0.0,
            hit_ratio=0.0,
        )
    )
    hist: list[tuple[float, float]] = []
    if len(sim.ages):
        top = max(float(np.max(sim.ages)), 1.0)
        counts, edges = np.histogram(sim.ages, bins=12, range=(0.0, top))
        hist = [
            (round(float(e), 2), round(float(c) / len(sim.ages), 4)) for e, c in zip(edges[1:], counts, strict=True)
        ]
    report = TrafficReport(
        name=name,
        origin=entry.origin,
        origin_service=origin.service,
        arrivals=_arrivals(entry),
        client_requests_per_month=round(sim.client_requests, 1),
        origin_requests_per_month=round(sim.origin_requests, 1),
        layers=layers,
        staleness_p50=round(sim.age(0.5), 2),
        staleness_p95=round(sim.age(0.95), 2),
        staleness_mean=round(float(np.mean(sim.ages)), 2) if len(sim.ages) else 0.0,
        staleness_histogram=hist,
        stale_share=round(sim.stale_share, 4),
        rules=list(rule.rules) if rule is not None else [],
        seed=seed,
    )
    if entry.every is not None and entry.latency:
        report.assumptions.append(
            f"each client's next poll is armed {entry.latency.normalize():f} s after the response (SWR waits for the "
            "revalidation to settle), so a client asks every "
            f"{float(entry.every + entry.latency):g} s [https://github.com/vercel/swr src/index/use-swr.ts]"
        )
    if entry.active < 1 and entry.hidden == "pause" and entry.every is not None:
        report.assumptions.append(
            "clients are active in one session a day; a hidden tab does not poll (SWR refreshWhenHidden=false), and "
            "each session starts with an empty shared cache"
        )
    return report


def _finding(out: Outcome, code: str, name: str, resource: str | None, message: str, fix: str, **kw: Any) -> None:
    out.findings.append(
        Finding(
            severity=kw.pop("severity", Severity.WARNING),
            code=code,
            resource=resource,
            message=f"traffic {name}: {message}",
            fix=fix,
            subject=f"traffic:{name}",
            **kw,
        )
    )


def _findings(
    name: str, entry: TrafficEntry, report: TrafficReport, sim: TrafficRun, rule: Effective | None, out: Outcome
) -> None:
    cdn = entry.layer("cdn")
    if cdn is not None and rule is not None and not rule.caches:
        why = (
            "Cloudflare does not cache JSON responses by default (it caches by file extension)"
            if cdn.provider == "cloudflare" and not cdn.cache_rule
            else "its max_age is 0"
        )
        _finding(
            out,
            "cdn_not_caching",
            name,
            entry.origin,
            f"the {cdn.provider} CDN caches nothing: {why}; all {report.client_requests_per_month:,.0f} requests a "
            "month reach the origin",
            "add a Cache Rule that makes the route eligible for cache (cache_rule: true)"
            if cdn.provider == "cloudflare"
            else "set a positive max_age",
            source=rule.rules[-1].rsplit("[", 1)[-1].rstrip("]") if rule.rules else None,
        )
    uses = {use.layer: use for use in report.layers}
    for item in entry.layers:
        if isinstance(item, Browser):
            use = uses.get("browser")
            if use is None or use.hit_ratio >= INEFFECTIVE:
                continue
            browser_why = (
                f"SWR's dedupe ({item.browser.dedupe.normalize():f} s) is shorter than the poll interval "
                f"({entry.every.normalize():f} s), so it removes no request"
                if entry.every is not None
                else "open arrivals are separate clients, so in-page de-duplication removes nothing"
            )
            if rule is not None and not rule.browser_keeps:
                browser_why += f", and {entry.layer('cdn').provider} sends the browser max-age=0, so it keeps no copy"
            _finding(
                out,
                "cache_layer_ineffective",
                name,
                None,
                f"the browser layer answers no request: {browser_why}",
                "drop the layer from the design's claims, or poll less often than the dedupe window",
            )
        elif isinstance(item, Cdn):
            use = next((u for u in report.layers if u.layer == "cdn"), None)
            if use is None or use.hit_ratio >= INEFFECTIVE or (rule is not None and not rule.caches):
                continue
            _finding(
                out,
                "cache_layer_ineffective",
                name,
                None,
                f"the CDN answers {use.hit_ratio:.1%} of requests: each location sees a request less often than "
                f"its max_age ({item.cdn.max_age.normalize():f} s), so almost every request fetches",
                "raise max_age above the interval between requests at a location, or serve fewer regions",
            )
    caches = [u for u in report.layers if u.layer.startswith("cache")]
    for spec, use in zip(entry.caches(), caches, strict=False):
        if spec.mode != "write_through" and use.requests_per_month > 0 and use.hit_ratio < INEFFECTIVE:
            _finding(
                out,
                "cache_layer_ineffective",
                name,
                None,
                f"the {spec.mode} cache answers {use.hit_ratio:.1%} of the requests reaching it: they come less "
                f"often than its ttl ({(spec.ttl or Decimal(0)).normalize():f} s)",
                "raise its ttl above the interval between requests reaching it, or drop the layer",
            )
    del sim


def _swr_finding(name: str, entry: TrafficEntry, sim: TrafficRun, without: TrafficRun, out: Outcome) -> None:
    with_p50, with_p95 = sim.age(0.5), sim.age(0.95)
    plain_p50, plain_p95 = without.age(0.5), without.age(0.95)
    if with_p50 <= plain_p50 + 1:
        return
    _finding(
        out,
        "swr_adds_staleness",
        name,
        None,
        f"{sim.stale_share:.0%} of the CDN's answers are a stale copy served while it revalidates: clients see data "
        f"{with_p50:,.1f} s old at the median (p95 {with_p95:,.1f} s) against {plain_p50:,.1f} s (p95 "
        f"{plain_p95:,.1f} s) without stale-while-revalidate, for the same "
        f"{sim.origin_requests:,.0f} origin requests (one per cache cycle either way)",
        "drop stale-while-revalidate where freshness matters, or poll more often than max_age",
        severity=Severity.INFO,
    )


def _derive(
    name: str, entry: TrafficEntry, origin: Resource, report: TrafficReport, env: SectionEnv, out: Outcome
) -> None:
    """Extra lines: the CDN's billed usage, the origin's requests, and each origin request's downstream usage."""
    network = next((u.requests_per_month for u in report.layers if u.layer != "browser"), 0.0)
    cdn = entry.layer("cdn")
    on_vercel = origin.service.startswith("vercel.")
    if (cdn is not None and cdn.provider == "vercel") or (cdn is None and on_vercel):
        usage: dict[str, Any] = {"requests": Rate(_dec(network), "month")}
        if entry.response_size:
            usage["egress"] = Rate(_dec(network) * entry.response_size, "month")
        plan = origin.plan if on_vercel else None
        fields: dict[str, Any] = {"plan": plan} if plan else {}
        res = Resource.model_construct(
            _fields_set={*fields, "service", "usage"}, **{**fields, "service": "vercel.cdn", "usage": usage}
        )
        line = f"vercel cdn [traffic {name}]"
        out.extra.append(Line(name=line, resource=res, origin=f"traffic:{name}", check_limits=False))
        report.derived[line] = _plain(usage)
    elif cdn is not None:
        report.assumptions.append(
            f"the {cdn.provider} CDN's own requests and bandwidth are not priced by infrafit (no per-request "
            "catalog entry for it)"
        )
    origin_n = _dec(report.origin_requests_per_month)
    if origin_n > 0:
        scalars = {k: v for k, v in origin.usage.items() if not isinstance(v, Rate) and k != "requests"}
        _add(out, report, name, entry.origin, origin, {"requests": Rate(origin_n, "month"), **scalars})
    for target, per in entry.per_origin_request.items():
        res = env.plan.resources[target]
        usage = {k: Rate(v * origin_n, "month") for k, v in per.items()}
        if origin_n > 0 and usage:
            _add(out, report, name, target, res, usage)


def _add(out: Outcome, report: TrafficReport, name: str, target: str, res: Resource, usage: dict[str, Any]) -> None:
    fields = {f: getattr(res, f) for f in res.model_fields_set if f not in ("usage", "count")}
    derived = Resource.model_construct(
        _fields_set={*fields, "service", "usage"}, **{**fields, "service": res.service, "usage": usage}
    )
    line = f"{target} [traffic {name}]"
    out.extra.append(Line(name=line, resource=derived, origin=f"traffic:{name}", check_limits=False, of=target))
    report.derived[line] = _plain(usage)


def _plain(usage: dict[str, Any]) -> dict[str, float]:
    """Amounts for the report; a value the plan left unparsed (an unknown usage key, reported by the engine) is
    left out."""
    return {k: float(v.amount if isinstance(v, Rate) else v) for k, v in usage.items() if isinstance(v, Rate | Decimal)}


def _dec(value: float) -> Decimal:
    return Decimal(repr(round(value, 1))) if math.isfinite(value) else Decimal(0)
