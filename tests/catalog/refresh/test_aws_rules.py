"""Every AWS mapping rule, proved against the official-format offer files in tests/fixtures/pricelists/aws.

Each expected figure is worked out by hand from the fixture's pricePerUnit.USD (and beginRange/endRange), times
the catalog price's `per` (how many meter units the catalog prices together).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from infrafit.catalog.refresh.resolve import Quote, resolve
from infrafit.catalog.refresh.rules import load_rules

from .conftest import Setup, resolve_expected, scan_fixtures

D = Decimal
DTO_US = ((D(10240), D("0.09")), (D(51200), D("0.085")), (D(153600), D("0.07")), (None, D("0.05")))
DTO_SEOUL = ((D(10240), D("0.126")), (D(51200), D("0.122")), (D(153600), D("0.117")), (None, D("0.108")))
EXPECTED: dict[str, tuple[tuple[Decimal | None, Decimal], ...] | str] = {
    # EC2, Linux on demand, USD per hour (per 1): the fixture's pricePerUnit.USD as is.
    "ec2.t3.nano.us-east-1": "retired or renamed",  # no t3.nano product in the us-east-1 file
    "ec2.t3.nano.ap-northeast-2": ((None, D("0.0065")),),
    "ec2.t3.micro.us-east-1": ((None, D("0.0104")),),
    "ec2.t3.micro.us-west-2": ((None, D("0.0104")),),
    "ec2.t3.micro.eu-west-1": ((None, D("0.0114")),),
    "ec2.t3.micro.ap-northeast-2": ((None, D("0.013")),),
    "ec2.t3.small.us-east-1": ((None, D("0.021")),),  # not the Windows t3.small at 0.030
    "ec2.t3.small.ap-northeast-2": ((None, D("0.026")),),
    "ec2.t3.medium.us-east-1": ((None, D("0.0416")),),
    "ec2.t3.medium.ap-northeast-2": ((None, D("0.052")),),
    "ec2.t3.large.us-east-1": ((None, D("0.0832")),),
    "ec2.t3.large.ap-northeast-2": ((None, D("0.104")),),
    "ec2.t3.xlarge.us-east-1": ((None, D("0.1664")),),
    "ec2.t3.xlarge.ap-northeast-2": ((None, D("0.208")),),
    "ec2.t3.2xlarge.us-east-1": ((None, D("0.3328")),),
    "ec2.t3.2xlarge.ap-northeast-2": "is malformed",  # pricePerUnit.USD "n/a"
    "ec2.t4g.micro.us-east-1": ((None, D("0.0084")),),
    "ec2.t4g.small.us-east-1": ((None, D("0.0168")),),
    "ec2.m5.large.us-east-1": ((None, D("0.096")),),
    "ec2.c5.large.us-east-1": ((None, D("0.085")),),
    # EBS, USD per GB-month.
    "ebs.gp3.us-east-1": ((None, D("0.08")),),
    "ebs.gp3.eu-west-1": ((None, D("0.088")),),
    "ebs.gp3.ap-northeast-2": ((None, D("0.0912")),),
    "ebs.gp2.us-east-1": ((None, D("0.1")),),
    "ebs.st1.us-east-1": ((None, D("0.045")),),
    # S3 Standard: 0-51,200 GB $0.023, 51,200-512,000 $0.022, beyond $0.021 per GB-month.
    "s3.storage.standard": ((D(51200), D("0.023")), (D(512000), D("0.022")), (None, D("0.021"))),
    # S3 requests per 1,000: 0.000005 x 1000 = 0.005; 0.00000044 x 1000 = 0.00044.
    "s3.class_a": ((None, D("0.005")),),
    "s3.class_b": ((None, D("0.00044")),),
    # Lambda requests per 1,000,000: 0.0000002 x 10^6 = 0.2; GB-seconds tiered at 6 and 15 billion.
    "lambda.requests": ((None, D("0.2")),),
    "lambda.gb_seconds": ((D(6 * 10**9), D("0.0000166667")), (D(15 * 10**9), D("0.000015")), (None, D("0.0000133334"))),
    # SQS per 1,000,000 requests, the $0 first million dropped (a free pool): 0.0000004 x 10^6 = 0.40 ...
    "sqs.standard": ((D(10**11), D("0.4")), (D(2 * 10**11), D("0.3")), (None, D("0.24"))),
    "sqs.fifo": ((D(10**11), D("0.5")), (D(2 * 10**11), D("0.4")), (None, D("0.35"))),
    # Data transfer out to the internet, USD per GB, tiers at 10 TB, 50 TB and 150 TB (1 TB = 1,024 GB).
    "dto.internet.us-east-1": DTO_US,
    "dto.internet.ap-northeast-2": DTO_SEOUL,
    # RDS for PostgreSQL, Single-AZ, USD per instance-hour as listed (not the MySQL db.t3.micro at 0.017, nor the
    # Multi-AZ db.t4g.micro at 0.032).
    "rds.db.t3.micro.us-east-1": ((None, D("0.018")),),
    "rds.db.t4g.micro.us-east-1": ((None, D("0.016")),),
    # gp3 storage, PostgreSQL Single-AZ, USD per GB-month (Multi-AZ is 0.23).
    "rds.storage.gp3.us-east-1": ((None, D("0.115")),),
    # API Gateway per 1,000,000 requests: HTTP 0.000001 x 10^6 = 1.00 up to 300M, 0.0000009 x 10^6 = 0.90 over;
    # REST 3.50 to 333M, 2.80 to 1B, 2.38 to 20B, 1.51 over (0.0000035, 0.0000028, 0.00000238, 0.00000151 x 10^6).
    "api_gateway.http.us-east-1": ((D(300_000_000), D("1")), (None, D("0.9"))),
    "api_gateway.rest.us-east-1": (
        (D(333_000_000), D("3.5")),
        (D(1_000_000_000), D("2.8")),
        (D(20_000_000_000), D("2.38")),
        (None, D("1.51")),
    ),
    # CloudWatch Logs: ingestion 0.50 per GB (not Logs Insights' 0.005 per GB scanned), storage 0.03 per GB-month.
    "cloudwatch_logs.ingestion.us-east-1": ((None, D("0.5")),),
    "cloudwatch_logs.storage.us-east-1": ((None, D("0.03")),),
    # Public IPv4 in use, USD per address-hour, one AmazonVPC file per region.
    **{
        f"public_ipv4.in_use.{r}": ((None, D("0.005")),)
        for r in ("us-east-1", "us-east-2", "us-west-2", "eu-west-1", "ap-northeast-2")
    },
}


@pytest.fixture(scope="module")
def setup() -> Setup:
    return scan_fixtures("aws")


def test_every_rule_has_an_expectation() -> None:
    assert {r.id for r in load_rules("aws")} == set(EXPECTED)


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_rule(rule_id: str, setup: Setup) -> None:
    _, got = resolve_expected(rule_id, setup, EXPECTED[rule_id])
    if got is not None:
        assert got.source.startswith("https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/")
        assert got.entries[0].listing.version in got.source  # version-pinned


def test_sources_and_dates_come_from_the_offer_file(setup: Setup) -> None:
    rules, scan, _ = setup
    rule = next(r for r in rules if r.id == "ec2.t3.small.us-east-1")
    got = resolve(rule, scan, D(1))
    assert isinstance(got, Quote)
    assert got.source == (
        "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20261101000000/us-east-1/index.json"
    )
    assert str(got.as_of) == "2026-11-01"  # publicationDate 2026-11-01T00:00:00Z
    assert "SKU EC2USEAST0002" in got.note()


def test_malformed_entries_are_listed_with_where(setup: Setup) -> None:
    _, scan, _ = setup
    wheres = sorted(s.where for s in scan.skipped)
    assert any(w.endswith("AmazonEC2-ap-northeast-2.json: terms.OnDemand.EC2APNORT0007") for w in wheres)
    assert any(w.endswith("AmazonEC2-us-east-1.json: products.BROKENPRODUCT1") for w in wheres)
    assert len(wheres) == 2


def test_decoys_are_not_taken(setup: Setup) -> None:
    """Each new rule's filter picks one product among look-alikes in the same offer file."""
    rules, scan, _ = setup
    picked = {}
    for rule_id in (
        "rds.db.t3.micro.us-east-1",
        "rds.storage.gp3.us-east-1",
        "api_gateway.http.us-east-1",
        "cloudwatch_logs.ingestion.us-east-1",
        "public_ipv4.in_use.eu-west-1",
    ):
        rule = next(r for r in rules if r.id == rule_id)
        got = resolve(rule, scan, D(1))
        assert isinstance(got, Quote), getattr(got, "reason", "")
        picked[rule_id] = [e.ref for e in got.entries]
    assert picked == {
        "rds.db.t3.micro.us-east-1": ["TGN7QDJF2AGFU9XA"],  # not RDSMYT3MICRO001, the MySQL one
        "rds.storage.gp3.us-east-1": ["RDSPGGP3SAZ0001"],  # not Multi-AZ, not Oracle
        "api_gateway.http.us-east-1": ["APIGWHTTP000001"],  # not REST, not WebSocket
        "cloudwatch_logs.ingestion.us-east-1": ["CWLOGSINGEST001"],  # not vended logs, not Insights
        "public_ipv4.in_use.eu-west-1": ["VPCIPV4INUSE003"],  # not the idle address
    }


def test_every_rule_says_where_its_filter_was_confirmed() -> None:
    assert all(r.source for r in load_rules("aws"))
