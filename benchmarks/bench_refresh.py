"""Benchmark `infrafit catalog refresh aws` on a generated EC2-like offer file: wall time, MB/s, peak RSS, growth.

The file has the official layout (formatVersion, offerCode, version, publicationDate, then ``products`` keyed by
SKU with ~30 attributes each, then ``terms`` with OnDemand and Reserved offer terms), padded with instance types
the rules do not name, so almost every product is read and dropped, as in the real AmazonEC2 region files (a
region's file is 200-400 MB; the all-region file several GB). The refresh runs as a user runs it, in a child
process (`infrafit catalog refresh aws --from FILE --out TMP`); its peak RSS comes from ``os.wait4``.
Target: 1 GB in under 60 s and under 200 MB of memory.

Run: ``.venv/bin/python benchmarks/bench_refresh.py`` (100 MB, 300 MB, 1 GB) or ``--size-mb 50``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 60.0
TARGET_MB = 200.0
RULED = {  # the types and volumes the packaged rules read in us-east-1, at the catalog's prices
    "t3.micro": "0.0104",
    "t3.small": "0.0208",
    "t3.medium": "0.0416",
    "t3.large": "0.0832",
    "t3.xlarge": "0.1664",
    "t3.2xlarge": "0.3328",
    "t4g.micro": "0.0084",
    "t4g.small": "0.0168",
    "m5.large": "0.096",
    "c5.large": "0.085",
}
PRODUCT = (
    '"{sku}":{{"sku":"{sku}","productFamily":"Compute Instance","attributes":{{"servicecode":"AmazonEC2",'
    '"location":"US East (N. Virginia)","locationType":"AWS Region","instanceType":"{itype}","currentGeneration":"Yes",'
    '"instanceFamily":"General purpose","vcpu":"{vcpu}","physicalProcessor":"Intel Xeon Platinum 8175",'
    '"clockSpeed":"3.1 GHz","memory":"{mem} GiB","storage":"EBS only","networkPerformance":"Up to 5 Gigabit",'
    '"processorArchitecture":"64-bit","tenancy":"{tenancy}","operatingSystem":"{os}","licenseModel":"No License required",'
    '"usagetype":"BoxUsage:{itype}","operation":"RunInstances","availabilityzone":"NA","capacitystatus":"{cap}",'
    '"classicnetworkingsupport":"false","dedicatedEbsThroughput":"Up to 2085 Mbps","ecu":"Variable",'
    '"enhancedNetworkingSupported":"Yes","intelAvxAvailable":"Yes","intelAvx2Available":"Yes",'
    '"intelTurboAvailable":"Yes","marketoption":"OnDemand","normalizationSizeFactor":"1","preInstalledSw":"{sw}",'
    '"processorFeatures":"AVX; AVX2; Intel AVX512; Intel Turbo","regionCode":"us-east-1",'
    '"servicename":"Amazon Elastic Compute Cloud","vpcnetworkingsupport":"true"}}}}'
)
ON_DEMAND = (
    '"{sku}":{{"{sku}.JRTCKXETXF":{{"offerTermCode":"JRTCKXETXF","sku":"{sku}","effectiveDate":"2026-11-01T00:00:00Z",'
    '"priceDimensions":{{"{sku}.JRTCKXETXF.6YS6EN2CT7":{{"rateCode":"{sku}.JRTCKXETXF.6YS6EN2CT7",'
    '"description":"${usd} per On Demand {os} {itype} Instance Hour","beginRange":"0","endRange":"Inf","unit":"Hrs",'
    '"pricePerUnit":{{"USD":"{usd}"}},"appliesTo":[]}}}},"termAttributes":{{}}}}}}'
)
RESERVED_TERM = (
    '"{sku}.{code}":{{"offerTermCode":"{code}","sku":"{sku}","effectiveDate":"2026-11-01T00:00:00Z",'
    '"priceDimensions":{{"{sku}.{code}.2TG2D8R56U":{{"rateCode":"{sku}.{code}.2TG2D8R56U","description":"Upfront Fee",'
    '"unit":"Quantity","pricePerUnit":{{"USD":"123"}},"appliesTo":[]}},"{sku}.{code}.6YS6EN2CT7":{{'
    '"rateCode":"{sku}.{code}.6YS6EN2CT7","description":"Linux/UNIX (Amazon VPC), {itype} reserved instance applied",'
    '"beginRange":"0","endRange":"Inf","unit":"Hrs","pricePerUnit":{{"USD":"0.0140000000"}},"appliesTo":[]}}}},'
    '"termAttributes":{{"LeaseContractLength":"1yr","OfferingClass":"standard","PurchaseOption":"Partial Upfront"}}}}'
)
RESERVED_CODES = ("38NPMPTW36", "4NA7Y494T4", "6QCMYABX3D", "7NE97W5U4E", "BPH4J8HBKS", "HU7G6KETJZ")


def _filler(i: int) -> dict[str, str]:
    """A product the rules do not want: another size, OS, tenancy or capacity status."""
    return {
        "itype": f"x{i % 97}.{('large', 'xlarge', '2xlarge', '4xlarge')[i % 4]}",
        "vcpu": str(2 << (i % 4)),
        "mem": str(8 << (i % 4)),
        "tenancy": ("Shared", "Dedicated", "Host")[i % 3],
        "os": ("Linux", "Windows", "RHEL", "SUSE")[i % 4],
        "cap": ("Used", "UnusedCapacityReservation", "AllocatedCapacityReservation")[i % 3],
        "sw": ("NA", "SQL Web", "SQL Std")[i % 3],
        "usd": f"{0.01 + (i % 1000) / 1000:.10f}",
    }


def _fields(i: int) -> dict[str, str]:
    if i < len(RULED):
        itype, usd = list(RULED.items())[i]
        return {
            "itype": itype,
            "vcpu": "2",
            "mem": "1",
            "tenancy": "Shared",
            "os": "Linux",
            "cap": "Used",
            "sw": "NA",
            "usd": usd,
        }
    return _filler(i)


def write_offer(path: Path, size_mb: float) -> int:
    """Write an EC2-like offer file of about ``size_mb`` MB, a product at a time (the writer stays small, so
    the child's peak RSS is the refresh's own); returns the number of products."""
    per_product = 5850  # bytes of product + on-demand + reserved terms, measured on the templates
    count = max(len(RULED) + 1, int(size_mb * 1_000_000 / per_product))
    head = {
        "formatVersion": "v1.0",
        "disclaimer": "Generated for a benchmark.",
        "offerCode": "AmazonEC2",
        "version": "20261101000000",
        "publicationDate": "2026-11-01T00:00:00Z",
    }
    with path.open("w", encoding="utf-8", buffering=1 << 20) as fh:
        fh.write(json.dumps(head)[:-1] + ',"products":{')
        for i in range(count):
            fh.write(("," if i else "") + PRODUCT.format(sku=f"SKU{i:012d}", **_fields(i)))
        fh.write('},"terms":{"OnDemand":{')
        for i in range(count):
            fh.write(("," if i else "") + ON_DEMAND.format(sku=f"SKU{i:012d}", **_fields(i)))
        fh.write('},"Reserved":{')
        for i in range(count):
            sku, itype = f"SKU{i:012d}", _fields(i)["itype"]
            terms = ",".join(RESERVED_TERM.format(sku=sku, code=c, itype=itype) for c in RESERVED_CODES)
            fh.write(("," if i else "") + f'"{sku}":{{{terms}}}')
        fh.write("}}}\n")
    return count


def run(path: Path, out: Path) -> tuple[float, float, str]:
    """Run the refresh as a user does; (seconds, peak RSS in MB, the report's summary line)."""
    exe = Path(sys.executable).with_name("infrafit")
    command = [str(exe), "catalog", "refresh", "aws", "--from", str(path), "--out", str(out), "-f", "json"]
    t0 = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=out.parent)
    stdout = child.stdout.read() if child.stdout else b""
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - t0
    if status != 0:
        raise SystemExit(f"refresh failed: {child.stderr.read().decode() if child.stderr else status}")
    counts = json.loads(stdout)["counts"]
    return took, usage.ru_maxrss / 1024, f"{counts['unchanged']} unchanged, {counts['changed']} changed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, action="append", help="offer file size (repeatable)")
    args = parser.parse_args()
    sizes = args.size_mb or [100, 300, 1000]
    print(f"{'MB':>7} {'products':>9} {'seconds':>8} {'MB/s':>7} {'peak RSS MB':>12}  facts")
    with tempfile.TemporaryDirectory(prefix="bench-refresh-") as tmp:
        for size in sizes:
            path = Path(tmp) / f"AmazonEC2-us-east-1-{size:g}.json"
            products = write_offer(path, size)
            real = path.stat().st_size / 1e6
            took, rss, facts = run(path, Path(tmp) / "out")
            print(f"{real:7.0f} {products:9d} {took:8.2f} {real / took:7.1f} {rss:12.1f}  {facts}")
            path.unlink()
    print(f"target: 1 GB in under {TARGET_S:.0f} s, under {TARGET_MB:.0f} MB")


if __name__ == "__main__":
    main()
