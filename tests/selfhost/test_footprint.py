"""What counterparts need, and whether the machine holds them."""

from __future__ import annotations

from decimal import Decimal

from infrafit.selfhost.facts import counterparts
from infrafit.selfhost.footprint import Demand, estimate, fit

D = Decimal
MIB, GIB = D(2**20), D(2**30)
SERVICES, TABLE = counterparts()


def test_every_mapped_service_names_a_counterpart_with_a_source() -> None:
    for service, key in SERVICES.items():
        assert key in TABLE, service
        assert TABLE[key].source.startswith("https://")
    images = [c.image or "" for cp in TABLE.values() for c in cp.components]
    assert not any(i.startswith("minio/minio") for i in images)  # archived: no longer published
    assert not any("promtail" in i for i in images)  # end of life 2026-03-02


def test_a_shared_broker_is_counted_once() -> None:
    # Pub/Sub and Cloud Tasks both map to RabbitMQ: 0.1 core and 256 MiB at rest, counted with the first only
    rabbit = TABLE[SERVICES["gcp.pubsub"]]
    first = estimate(Demand(resource="events", service="gcp.pubsub"), rabbit, shared=False)
    second = estimate(Demand(resource="tasks", service="gcp.cloud_tasks"), rabbit, shared=True)
    assert (first.cpu, first.memory) == (D("0.1"), 256 * MIB)
    assert (second.cpu, second.memory, second.containers) == (0, 0, [])


def test_a_container_takes_the_resources_size_per_replica() -> None:
    # 9 copies of 512 MiB, 270,000 requests × 2 s × 1 vCPU over 730 h = 0.2055 cores busy in all: 0.0228 each,
    # below the 0.1 floor, so 0.1 each; 0.9 cores and 4.5 GiB in total
    demand = Demand(
        resource="api", service="gcp.cloud_run", memory=512 * MIB, busy_cpu=D(270000 * 2) / (730 * 3600), count=9
    )
    fp = estimate(demand, TABLE["container"], shared=False)
    assert fp.cpu == D("0.9") and fp.memory == D("4.5") * GIB
    assert fp.containers[0].replicas == 9 and fp.containers[0].memory == 512 * MIB


def test_stored_data_lands_on_disk_and_logs_keep_a_month() -> None:
    # PostgreSQL: 1 GB at rest + 10 GB of data; memory 256 MiB + 5% of 10 GB
    pg = estimate(Demand(resource="db", service="gcp.cloud_sql", storage=D(10**10)), TABLE["postgres"], shared=False)
    assert pg.disk == D(11 * 10**9)
    assert pg.memory == 256 * MIB + D(5 * 10**8)
    # Loki keeps a month of logs: 20 GB/month + 1 GB (loki) + 1 GB (grafana) + 0.1 GB (alloy) = 22.1 GB
    logs = estimate(
        Demand(resource="log", service="gcp.cloud_logging", logs=D(2 * 10**10)), TABLE["logging"], shared=False
    )
    assert logs.disk == D("22.1") * 10**9


def test_fit_against_the_machine_less_headroom() -> None:
    fp = estimate(Demand(resource="db", service="gcp.cloud_sql"), TABLE["postgres"], shared=False)
    # 16 cores and 64 GiB less 20%: 12.8 cores, 51.2 GiB
    roomy = fit([fp], cpus=D(16), memory=64 * GIB, disk=None, headroom=D("0.2"))
    assert roomy.fits and roomy.cpu_room == D("12.8") and roomy.disk_room is None
    # 0.25 core needed against 0.5 × 0.2 = 0.1 core of room
    tight = fit([fp], cpus=D("0.125"), memory=64 * GIB, disk=D(10**12), headroom=D("0.2"))
    assert not tight.fits and tight.short() == ["cpu"]
