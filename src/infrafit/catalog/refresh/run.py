"""One refresh, end to end: read (or download) the price lists, apply the rules, write the overlay, report."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from infrafit.catalog.overlay import MissingFact
from infrafit.catalog.refresh.effects import Effect, plan_effects
from infrafit.catalog.refresh.overlay import Written, build, merge, price_per, read_yaml, write
from infrafit.catalog.refresh.records import Listing, Scan, Skipped
from infrafit.catalog.refresh.resolve import Miss, Quote, resolve
from infrafit.catalog.refresh.rules import PROVIDERS, Rule, load_rules
from infrafit.errors import InputError, Problem, did_you_mean


@dataclass(slots=True, kw_only=True)
class RefreshResult:
    """Everything a change report shows; ``written`` is compared with the catalog as it was before (the packaged
    files plus the overlay already in ``out``, if any)."""

    provider: str
    out: Path
    refreshed: date
    listings: list[Listing]
    written: list[Written]
    missing: list[MissingFact]
    unmatched: list[str]
    not_covered: list[str]
    skipped: list[Skipped]
    warnings: list[str] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    had_overlay: bool = False

    def count(self, status: str) -> int:
        return sum(1 for w in self.written if w.status == status)


def default_out() -> Path:
    """The user's overlay folder, the one every command reads by default (:func:`infrafit.catalog.overlay.config_dir`:
    ``$XDG_CONFIG_HOME/infrafit/catalog``, else ``~/.config/infrafit/catalog``)."""
    from infrafit.catalog.overlay import config_dir

    return config_dir()


def packaged_raw(provider: str) -> dict[str, Any]:
    """A provider file as shipped (or from INFRAFIT_CATALOG_DIR), never through an overlay; shared, not to be
    mutated."""
    from infrafit.catalog.loader import load_provider_raw

    return load_provider_raw(provider)


def scan_inputs(provider: str, inputs: list[Path], rules: list[Rule], urls: dict[str, str]) -> Scan:
    from infrafit.catalog.refresh.sources import collect

    heads = collect(inputs, provider)
    scan = Scan()
    if provider == "aws":
        from infrafit.catalog.refresh.aws import indexed_versions, scan_offer

        for head in heads:
            if head.kind == "aws_offer":
                scan.extend(scan_offer(head, rules, url=urls.get(str(head.path))))
        current = indexed_versions([h for h in heads if h.kind == "aws_region_index"])
        for listing in scan.listings:
            for region in sorted(listing.regions):
                version = current.get((listing.code, region))
                if version and version != listing.version:
                    scan.warnings.append(
                        f"{', '.join(listing.files)}: {listing.code} {region} is version {listing.version}, but "
                        f"the region index lists {version}; download the current file"
                    )
    else:
        from infrafit.catalog.refresh.gcp import scan_skus

        scan.extend(scan_skus(heads, rules, urls))
    return scan


def _fetch(provider: str, rules: list[Rule], folder: Path) -> dict[str, str]:
    from infrafit.catalog.refresh import fetch

    if provider == "aws":
        offers: dict[str, set[str]] = {}
        for rule in rules:
            offers.setdefault(rule.offer, set()).add(rule.region)
        return fetch.fetch_aws(offers, folder)
    return fetch.fetch_gcp({rule.offer for rule in rules}, folder)


def refresh(
    provider: str,
    inputs: list[Path],
    *,
    out: Path | None = None,
    fetch: bool = False,
    examples: Path | None = None,
    rules_file: Path | None = None,
    today: date | None = None,
) -> RefreshResult:
    """Refresh ``provider``'s facts from ``inputs`` (files or folders) or, with ``fetch``, from the providers'
    endpoints; write the overlay into ``out`` and return what changed. Nothing touches the network without
    ``fetch``."""
    if provider not in PROVIDERS:
        raise InputError(
            [
                Problem(
                    f"no price lists are read for {provider!r}{did_you_mean(provider, PROVIDERS)}; "
                    "the other providers publish no machine-readable price list infrafit reads"
                )
            ]
        )
    if not inputs and not fetch:
        raise InputError(
            [Problem("give the downloaded price lists with --from FILE_OR_DIR, or --fetch to download them")]
        )
    out = out or default_out()
    previous = _previous(out, provider) or {}
    packaged = packaged_raw(provider)
    rules = load_rules(provider, rules_file, packaged)
    with tempfile.TemporaryDirectory(prefix="infrafit-pricelists-") as tmp:
        urls: dict[str, str] = {}
        if fetch:
            urls = _fetch(provider, rules, Path(tmp))
            inputs = [*inputs, Path(tmp)]
        scan = scan_inputs(provider, inputs, rules, urls)
    baseline = merge(packaged, previous)
    quotes: list[Quote] = []
    misses: list[Miss] = []
    for rule in rules:
        got = resolve(rule, scan, rule.per or price_per(packaged, rule.paths[0]))
        if isinstance(got, Quote):
            quotes.append(got)
        else:
            misses.append(got)
    unread = frozenset(m.rule.fact for m in misses if m.covered)
    document, written, type_missing = build(packaged, baseline, quotes, unread)
    document = merge(previous, document) if previous else document
    _validate(provider, merge(packaged, document))
    missing = [MissingFact(fact=m.rule.fact, reason=m.reason) for m in misses if m.covered] + type_missing
    unmatched = [m.rule.id for m in misses if m.covered]
    not_covered = [m.rule.id for m in misses if not m.covered]
    used = [listing for listing in scan.listings if any(listing.code == r.offer for r in rules)]
    refreshed = today or datetime.now(UTC).date()
    entry = {
        "refreshed": refreshed,
        "published": max((x.published for x in used), default=None),
        "version": max((x.version for x in used), default=""),
        "sources": sorted({x.url for x in used}),
        "missing": [{"fact": m.fact, "reason": m.reason} for m in missing],
        "unmatched": unmatched,
    }
    files = write(out, provider, document, entry)
    result = RefreshResult(
        provider=provider,
        out=out,
        refreshed=refreshed,
        listings=used,
        written=written,
        missing=missing,
        unmatched=unmatched,
        not_covered=not_covered,
        skipped=scan.skipped,
        warnings=scan.warnings,
        files=files,
        had_overlay=bool(previous),
    )
    if examples is not None and written:
        result.effects = _effects(provider, examples, out, packaged, baseline, document)
    return result


def _previous(out: Path, provider: str) -> dict[str, Any] | None:
    """The provider's file of the overlay already in ``out``, if any; refuses to write over a catalog: the overlay
    goes beside the packaged files, never onto them."""
    from infrafit.catalog.loader import data_dir

    if out.exists() and data_dir().exists() and out.resolve() == data_dir().resolve():
        raise InputError(
            [
                Problem(
                    f"--out names the catalog folder itself; the overlay goes beside it (by default {default_out()})",
                    file=str(out),
                )
            ]
        )
    previous = read_yaml(out / f"{provider}.yaml")
    if previous is not None and "name" in previous and "as_of" in previous:
        raise InputError(
            [
                Problem(
                    "a whole provider file, not an overlay; give --out an overlay folder",
                    file=str(out / f"{provider}.yaml"),
                )
            ]
        )
    return previous


def _validate(provider: str, merged: dict[str, Any]) -> None:
    from pydantic import ValidationError

    from infrafit.catalog.model import ProviderCatalog

    try:
        ProviderCatalog.model_validate(merged)
    except ValidationError as exc:
        raise InputError(
            [
                Problem(
                    f"the refreshed {provider} catalog does not validate (a rule writes a figure of "
                    f"the wrong shape): {'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                )
                for e in exc.errors()
            ]
        ) from None


def _effects(
    provider: str,
    examples: Path,
    out: Path,
    packaged: dict[str, Any],
    baseline: dict[str, Any],
    document: dict[str, Any],
) -> list[Effect]:
    from infrafit.catalog.loader import provider_names

    before: dict[str, dict[str, Any]] = {}
    for name in provider_names():
        raw = packaged if name == provider else packaged_raw(name)
        earlier = read_yaml(out / f"{name}.yaml") if name != provider else None
        before[name] = merge(raw, earlier) if earlier else raw
    before[provider] = baseline
    after = {**before, provider: merge(packaged, document)}
    return plan_effects(examples, provider, before, after)
