"""Plan -> Result: bind each resource to its catalog service, compute meters, draw free pools, price,
then run the checks. The order of resources in the plan is the order they draw from shared pools."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from infrafit.catalog.lookup import Catalog, ServiceView, UnknownName
from infrafit.catalog.model import FreePool, Meter, Sourced
from infrafit.engine.checks import PLAN_CHECKS, check_limits, check_notes, check_pools, check_quotas
from infrafit.engine.pools import PoolLedger
from infrafit.engine.pricing import NoPrice, TierLedger, describe, flat_rate, money
from infrafit.engine.result import Component, Finding, OverrideUse, PoolUse, QuotaUse, ResourceResult, Result
from infrafit.errors import InputError, Problem, did_you_mean
from infrafit.plan.model import Plan, Resource
from infrafit.services import MODELS, Context, ModelError, convert_usage

ZERO = Decimal(0)
_SIZING_FIELDS = ("region", "type", "plan", "count", "cpu", "memory", "disk", "rate_limits", "daily_reset")


class _Facts:
    """The dates of the facts a result used, so reports can say how old they are."""

    def __init__(self) -> None:
        self.dates: set[date] = set()
        self.unconfirmed: dict[str, str] = {}  # label -> source

    def add(self, fact: Sourced | None, label: str | None = None) -> None:
        if fact is None:
            return
        self.dates.add(fact.as_of)
        if not fact.confirmed and label:
            self.unconfirmed.setdefault(label, fact.source)

    def finding(self) -> Finding | None:
        """One info finding naming the facts used that no official page confirmed."""
        if not self.unconfirmed:
            return None
        labels = sorted(self.unconfirmed)
        shown = "; ".join(labels[:8]) + (f"; and {len(labels) - 8} more" if len(labels) > 8 else "")
        return Finding(
            "info",
            "unconfirmed_facts",
            None,
            f"{len(labels)} catalog fact(s) used here could not be confirmed on an official page and are "
            f"marked so in the catalog: {shown}. `infrafit catalog show SERVICE` gives each source",
            "check these figures against your provider's console or bill, or override them in the plan",
            subject="catalog",
        )


def bind(name: str, res: Resource, plan: Plan, catalog: Catalog) -> Context:
    """Resolve a resource against the catalog; raise ModelError/UnknownName pointing at the bad field."""
    base: tuple[str | int, ...] = ("resources", name)
    try:
        provider, service = catalog.service(res.service)
    except UnknownName as exc:
        raise ModelError(str(exc), (*base, "service")) from None
    for field in _SIZING_FIELDS:
        if field in res.model_fields_set and field not in service.fields and field != "region":
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


def _pool_eligible(pool: FreePool, ctx: Context) -> tuple[bool, bool]:
    """(eligible, ineligible only because of the region)."""
    type_ok = pool.types is None or ctx.type_name in pool.types
    region_ok = pool.regions is None or ctx.region in pool.regions
    return type_ok and region_ok, type_ok and not region_ok


class Evaluator:
    """One evaluation's state: the shared pools, tier positions and accumulated findings."""

    def __init__(
        self,
        plan: Plan,
        catalog: Catalog | None = None,
        *,
        replications: int = 20,
        seed: int = 0,
        on_job: Callable[[str], None] | None = None,
    ) -> None:
        self.replications = replications
        self.seed = seed
        self.on_job = on_job
        self.plan = plan
        self.catalog = catalog or Catalog(plan.overrides)
        self.pools = PoolLedger(plan.month_hours, plan.free_tier)
        self.tiers = TierLedger()
        self.facts = _Facts()
        self.findings: list[Finding] = []
        self.fees_charged: set[tuple[str, str | None]] = set()
        self.notes: dict[tuple[str, str | None], tuple[ServiceView, list[str]]] = {}
        self.pool_meta: dict[str, tuple[str, str]] = {}  # pool -> (unit, label)
        self.region_hints: set[tuple[str, str]] = set()
        self.providers: set[str] = set()

    def run(self) -> Result:
        problems: list[Problem] = []
        resources: list[ResourceResult] = []
        contexts: list[Context] = []
        planned = list(self.plan.resources.items())
        jobs = None
        if self.plan.jobs:
            from infrafit.engine.jobs import JobPlanner

            jobs = JobPlanner(
                self.plan,
                self.catalog,
                lambda n, r: bind(n, r, self.plan, self.catalog),
                self.replications,
                self.seed,
                self.on_job,
            )
            try:
                jobs.run()
            except ModelError as exc:
                problems.append(self._problem(str(exc), exc.path))
            planned += jobs.derived
        for name, res in planned:
            try:
                ctx = bind(name, res, self.plan, self.catalog)
                resources.append(self._price(ctx))
                contexts.append(ctx)
            except ModelError as exc:
                path = exc.path if exc.path[:1] == ("resources",) else ("resources", name, *exc.path)
                problems.append(self._problem(str(exc), path))
            except NoPrice as exc:
                problems.append(self._problem(f"{res.service}: {exc}", ("resources", name, "region")))
        quotas = self._quotas(contexts, problems)
        if problems:
            raise InputError(problems)
        derived = {name for name, _ in jobs.derived} if jobs is not None else set()
        for ctx in contexts:
            if ctx.name not in derived:  # a job's own items were checked against the limits by the job
                self.findings += check_limits(ctx)
            for key, limit in ctx.view.limits.items():
                self.facts.add(limit, f"{ctx.view.key} {key} limit")
        for view, names in self.notes.values():
            self.findings += check_notes(view, names)
            for note in view.notes:
                self.facts.add(note)
        if jobs is not None:
            self.findings += jobs.findings
        pools = self._pool_uses()
        self.findings += check_pools(pools)
        self.findings += check_quotas(quotas)
        total = sum((r.monthly_cost for r in resources), ZERO)
        result = Result(
            plan=self.plan.name,
            file=self.plan.file,
            month_hours=self.plan.month_hours,
            total_monthly_cost=total,
            resources=resources,
            free_tier=pools,
            quotas=quotas,
            findings=[],
            budget=self.plan.budget,
            catalog_as_of=max((self.catalog.provider(p).as_of for p in self.providers), default=date.today()),
            oldest_fact=min(self.facts.dates) if self.facts.dates else None,
            overrides=[OverrideUse(p, o, n) for p, o, n in self.catalog.used_overrides],
            jobs=list(jobs.reports) if jobs is not None else [],
        )
        for check in PLAN_CHECKS:
            self.findings += check(result)
        unconfirmed = self.facts.finding()
        if unconfirmed is not None:
            self.findings.append(unconfirmed)
        result.findings = sort_findings(self.findings)
        return result

    def _problem(self, message: str, path: tuple[str | int, ...]) -> Problem:
        where = self.plan.locate(path)
        return Problem(message, path, self.plan.file, *(where or (None, None)))

    # -- pricing -------------------------------------------------------------------------------------------
    def _price(self, ctx: Context) -> ResourceResult:
        view = ctx.view
        self.providers.add(view.provider.provider)
        model = MODELS.get(view.model)
        if model is None:  # pragma: no cover - catalog tests check every model name
            raise ModelError(f"catalog names an unknown model {view.model!r}")
        quantities = model(ctx)
        for key, fed in view.meters.items():
            if fed.from_usage and key not in quantities:
                quantities[key] = convert_usage(ctx, fed.from_usage, fed.unit) * fed.factor * ctx.count
        components = []
        for key, quantity in quantities.items():
            meter = view.meters.get(key)
            if meter is None:
                raise ModelError(f"catalog entry {view.key} lacks meter {key!r}")  # pragma: no cover
            if quantity == 0:  # nothing used, nothing billed: a line of zeros only hides the lines that matter
                continue
            components.append(self._component(ctx, key, meter, quantity))
        fee_key = (view.key, view.plan_name)
        if view.fee is not None and fee_key not in self.fees_charged:
            self.fees_charged.add(fee_key)
            fee = money(flat_rate(view.fee, ctx.region, ctx.type_name) or ZERO)
            self.facts.add(view.fee, f"{view.key} {view.plan_name} plan fee")
            components.insert(
                0,
                Component(
                    f"{view.service.name} {view.plan_name} plan fee",
                    "fee",
                    view.service.category.value,
                    Decimal(1),
                    "month",
                    ZERO,
                    Decimal(1),
                    fee,
                    fee,
                    f"${fee:,.2f}/month per account",
                    [],
                    view.fee.source,
                    view.fee.as_of,
                ),
            )
        if view.notes:
            self.notes.setdefault(fee_key, (view, []))[1].append(ctx.name)
        cost = sum((c.cost for c in components), ZERO)
        vcpu = (ctx.instance_type.vcpu if ctx.instance_type else (ctx.cpu() or ZERO)) * ctx.count
        memory = (ctx.instance_type.memory_bytes if ctx.instance_type else (ctx.memory() or ZERO)) * ctx.count
        return ResourceResult(
            ctx.name,
            view.key,
            ctx.region,
            ctx.type_name if (view.service.types or view.service.variants) else None,
            view.plan_name,
            ctx.resource.count,
            view.service.category.value,
            cost,
            components,
            vcpu,
            memory,
        )

    def _component(self, ctx: Context, key: str, meter: Meter, quantity: Decimal) -> Component:
        remaining = quantity
        free = ZERO
        drawn: list[FreePool] = []
        hard = False
        for pool in ctx.view.free:
            if key not in pool.meters or not self.pools.applies(pool):
                continue
            eligible, region_only = _pool_eligible(pool, ctx)
            if not eligible:
                if region_only and quantity > 0:
                    self._region_hint(ctx, pool)
                continue
            self.pool_meta.setdefault(pool.pool, (pool.unit, pool.label or meter.label))
            got = self.pools.draw(pool, remaining, ctx.name)
            self.pools.record(pool, got, ZERO, ZERO)
            free += got
            remaining -= got
            drawn.append(pool)
            hard = hard or pool.hard
            self.facts.add(pool, f"{ctx.view.key} free allowance {pool.pool}")
        billable = ZERO if hard else remaining
        unit_price, cost, text, source, as_of = self._cost(ctx, key, meter, billable)
        if drawn and remaining > 0:
            self.pools.record(drawn[-1], ZERO, remaining, cost)
        label = meter.label + (f" ({ctx.type_name})" if key == "instance" and ctx.type_name else "")
        return Component(
            label,
            key,
            meter.category.value,
            quantity,
            meter.unit,
            free,
            billable,
            unit_price,
            cost,
            text,
            [p.pool for p in drawn],
            source,
            as_of,
        )

    def _cost(
        self, ctx: Context, key: str, meter: Meter, billable: Decimal
    ) -> tuple[Decimal, Decimal, str, str | None, date | None]:
        if key == "instance" and ctx.instance_type is not None:
            t = ctx.instance_type
            if ctx.region not in t.hourly:
                raise NoPrice(
                    f"type {ctx.type_name} has no price in {ctx.region}; priced in: {', '.join(sorted(t.hourly))}"
                )
            rate = t.hourly[ctx.region]
            self.facts.add(t, f"{ctx.view.key} {ctx.type_name} hourly price")
            return rate, money(billable * rate), f"${rate} per hour", t.source, t.as_of
        price = meter.price
        if price is None:
            return ZERO, ZERO, "not charged", None, None
        self.facts.add(price, f"{ctx.view.key} {meter.label} price")
        flat = flat_rate(price, ctx.region, ctx.type_name)
        if flat is None:
            cost, unit = self.tiers.cost(price, billable)
            return unit, money(cost), "tiered: " + describe(price, unit, meter.unit), price.source, price.as_of
        return flat, money(billable * flat), describe(price, flat, meter.unit), price.source, price.as_of

    def _region_hint(self, ctx: Context, pool: FreePool) -> None:
        marker = (ctx.name, pool.pool)
        if marker in self.region_hints:
            return
        self.region_hints.add(marker)
        self.findings.append(
            Finding(
                "warning",
                "not_free_tier_region",
                ctx.name,
                f"{ctx.name}: {ctx.region} is not eligible for the free allowance {pool.pool} "
                f"({_fmt_amount(pool)}); it applies only in {', '.join(pool.regions or [])} [{pool.source}, as of {pool.as_of}]",
                f"move {ctx.name} to {' or '.join(pool.regions or [])} to use the free allowance",
                pool.source,
                subject=pool.pool,
            )
        )

    # -- pools and quotas ----------------------------------------------------------------------------------
    def _pool_uses(self) -> list[PoolUse]:
        out = []
        for pool_id, st in self.pools.states.items():
            unit, label = self.pool_meta.get(pool_id, (st.pool.unit, st.pool.label or pool_id))
            out.append(
                PoolUse(
                    pool_id,
                    label,
                    st.allowance,
                    st.used,
                    unit,
                    st.pool.period.value,
                    st.free,
                    st.billed,
                    st.billed_cost,
                    st.pool.scope.value,
                    st.pool.kind,
                    st.pool.hard,
                    st.resources,
                    st.pool.source,
                    st.pool.as_of,
                )
            )
        return out

    def _quotas(self, contexts: list[Context], problems: list[Problem]) -> list[QuotaUse]:
        for key in self.plan.quotas:
            try:
                self.catalog.quota(key)
            except UnknownName as exc:
                problems.append(self._problem(str(exc), ("quotas", key)))
        used: dict[tuple[str, str | None], Decimal] = defaultdict(lambda: ZERO)
        who: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        for ctx in contexts:
            provider = ctx.view.provider
            for qkey, quota in provider.quotas.items():
                full = f"{provider.provider}.{qkey}"
                if ctx.view.key not in quota.services or ctx.instance_type is None:
                    continue
                family = _family(str(ctx.type_name))
                if quota.families is not None and family not in quota.families:
                    continue
                amount = ctx.instance_type.vcpu if quota.measure == "vcpu" else Decimal(1)
                region = ctx.region if quota.scope == "region" else None
                used[(full, region)] += amount * ctx.count
                who[(full, region)].append(ctx.name)
        out = []
        for (full, region), amount in used.items():
            if amount == 0:
                continue
            quota = self.catalog.quota(full)
            from_plan = full in self.plan.quotas
            limit = self.plan.quotas.get(full, quota.default)
            self.facts.add(quota)
            out.append(
                QuotaUse(
                    full, quota.name, region, limit, amount, quota.measure, who[(full, region)], quota.source, from_plan
                )
            )
        return out


def _family(type_name: str) -> str:
    """The letters an instance family starts with: t3.micro -> t, m5.large -> m, db.t3.micro -> t."""
    name = type_name.removeprefix("db.")
    letters = ""
    for ch in name:
        if not ch.isalpha():
            break
        letters += ch
    return letters


def _fmt_amount(pool: FreePool) -> str:
    amount = "the month's hours" if pool.amount == "month_hours" else f"{pool.amount} {pool.unit}"
    return f"{amount} a {pool.period.value}"


_SEVERITY = {"error": 0, "warning": 1, "info": 2}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; stable within each so output is reproducible."""
    return sorted(findings, key=lambda f: (_SEVERITY.get(f.severity, 3), f.code, f.resource or "", f.message))


def evaluate(
    plan: Plan,
    catalog: Catalog | None = None,
    *,
    replications: int = 20,
    seed: int = 0,
    on_job: Callable[[str], None] | None = None,
) -> Result:
    """Price a plan and check it; simulate its jobs (``replications`` runs each, reproducible by ``seed``).

    Raises InputError for resources the catalog cannot price as written."""
    return Evaluator(plan, catalog, replications=replications, seed=seed, on_job=on_job).run()
