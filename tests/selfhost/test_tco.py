"""The cost of owning a machine, against hand-worked figures (the arithmetic is in each comment)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infrafit.selfhost import tco
from infrafit.selfhost.facts import Tariff, Tier, tariffs

D = Decimal


def test_straight_line_and_cost_of_money() -> None:
    # 2,400 over 36 months: 66.67 a month. At 5%/year, r = 0.05/12 = 0.0041667; ln(1 + r) = 0.0041580, × 36 =
    # 0.149688, so (1 + r)^-36 = e^-0.149688 = 0.860976; annuity = 2,400 × 0.0041667 / (1 − 0.860976)
    # = 10.0000 / 0.139024 = 71.930 (research note C1: $71.93); cost of money 5.263.
    straight, money = tco.amortised(D(2400), D(36), D("0.05"))
    assert straight == pytest.approx(D("66.6667"), abs=D("0.0001"))
    assert straight + money == pytest.approx(D("71.930"), abs=D("0.001"))
    assert tco.amortised(D(2400), D(36)) == (D(2400) / 36, D(0))


def test_linear_power_model() -> None:
    # idle 21.6 W, max 263 W at 10%: 21.6 + 241.4 × 0.1 = 45.74 W; × 730 h = 33,390 Wh = 33.39 kWh.
    watts = tco.average_watts(D("21.6"), D(263), D("0.1"))
    assert watts == D("45.74")
    assert tco.energy_kwh(watts, D(730)) == pytest.approx(D("33.39"), abs=D("0.01"))


def test_hours_on_anyway_are_not_charged() -> None:
    # on 8 h a day regardless: 730 × 16 / 24 = 486.67 h charged
    assert tco.charged_hours(D(730), D(8)) == pytest.approx(D("486.667"), abs=D("0.001"))


KEPCO = tariffs()["kepco-residential-low"]


def test_kepco_marginal_tier_two() -> None:
    # 300 → 387.6 kWh stays in tier 2 (201–400): 87.6 kWh × (214.6 energy + 9 climate + 5 fuel) × (1 + 0.10 VAT
    # + 0.027 fund) = 87.6 × 228.6 × 1.127 = 22,568.58 KRW (research note C4: 22,568)
    assert tco.tariff_cost(KEPCO, D(300), D("87.6")) == pytest.approx(D("22568.58"), abs=D("0.01"))


def test_kepco_crossing_400_adds_the_basic_charge_step() -> None:
    # bill(350) = (1,600 + 200×120 + 150×214.6 + 350×14) × 1.127 = 62,690 × 1.127 = 70,651.63
    # bill(437.6) = (7,300 + 200×120 + 200×214.6 + 37.6×307.3 + 437.6×14) × 1.127 = 91,900.88 × 1.127 = 103,572.29
    # difference 32,920.66 KRW, of which the basic-charge step is (7,300 − 1,600) × 1.127 = 6,423.9
    assert tco.tariff_cost(KEPCO, D(350), D("87.6")) == pytest.approx(D("32920.66"), abs=D("0.01"))


def test_kepco_summer_moves_the_tier_boundaries() -> None:
    # July, tiers at 300/450: bill(300) = (910 + 300×120 + 300×14) × 1.127 = 41,110 × 1.127 = 46,330.97;
    # bill(387.6) = (1,600 + 36,000 + 87.6×214.6 + 387.6×14) × 1.127 = 61,825.36 × 1.127 = 69,677.18; diff 23,346.21
    assert tco.tariff_cost(KEPCO, D(300), D("87.6"), month=7) == pytest.approx(D("23346.21"), abs=D("0.01"))


def test_break_even() -> None:
    # 2,400 paid back by 100 − 40 = 60 a month: 40 months; a machine whose running costs match the cloud never pays
    assert tco.break_even_months(D(2400), D(100), D(40)) == D(40)
    assert tco.break_even_months(D(2400), D(40), D(40)) is None


FLAT = Tariff(
    key="flat",
    name="flat",
    currency="USD",
    per_kwh=D(0),
    vat=D(0),
    fund=D(0),
    tiers=(Tier(up_to=None, basic=D(0), energy=D("0.2")),),
    source="https://example.com",
    as_of="2026-01-01",
    evidence="official",
)


def test_a_flat_tariff_is_price_times_kwh() -> None:
    # 120 W × 730 h = 87.6 kWh × 0.20 = 17.52 USD, whatever the household uses
    assert tco.tariff_cost(FLAT, D(500), D("87.6")) == D("17.52")


kwh = st.decimals(min_value=0, max_value=3000, places=1, allow_nan=False, allow_infinity=False)


@given(household=kwh, machine=kwh, more=kwh)
def test_progressive_cost_never_falls_as_the_machine_uses_more(household: D, machine: D, more: D) -> None:
    """The bill is non-decreasing, so the machine's share is never negative and grows with its use."""
    low = tco.tariff_cost(KEPCO, household, machine)
    assert low >= 0
    assert tco.tariff_cost(KEPCO, household, machine + more) >= low
