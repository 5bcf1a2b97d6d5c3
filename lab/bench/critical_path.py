"""The critical path of a converge with the latency profile on: the longest chain of dependent slow resources (pure).

site.yml runs its plays one after another. A slow resource is started in one play and awaited in the same or a
later play (or never, when nothing needs it ready). A resource started in a play after the one that awaits another
depends on it: it cannot start before that wait is over. The chain is the longest path through these dependencies,
weighted by each resource's delay under the profile. With no such edges (only real API dependencies, none of which
join these resources), the path is the single slowest resource: what a fully parallel converge could reach.
"""

from __future__ import annotations

from dataclasses import dataclass

# site.yml's plays, in order (the layer tags; "database" is the play that only starts PostgreSQL).
STAGES = ("network", "database", "connectivity", "registry", "cluster", "data", "systems_manager", "onprem", "services", "backup", "verify")


@dataclass(frozen=True)
class SlowResource:
    key: str  # the latency profile's key (lab/awsemu/extensions/latency_profile.py)
    starts: str  # the play that creates it
    awaited: str | None  # the play that waits for it to be ready; None: nothing waits
    waited_by: str


# The slow resources site.yml creates and what waits for each. The Direct Connect connection is left out: it waits for
# a cross-connect at the location (outside any run) and nothing in a converge waits for it.
SLOW_RESOURCES = (
    SlowResource("nat_gateway", "network", "network", "roles/network: one until-loop over every new NAT gateway, at the end of the network play"),
    SlowResource("db_instance", "database", "data", "roles/rds_postgres: started without waiting, awaited by finish.yml in the data play"),
    SlowResource("vpn_connection", "connectivity", "connectivity", "amazon.aws.ec2_vpc_vpn: waiter vpn_connection_available on create"),
    SlowResource("load_balancer", "cluster", None, "nothing (roles/load_balancer: elb_application_lb wait: false)"),
    SlowResource("gateway", "data", "data", "hybridcloud.aws.storagegateway_gateway: waits for a connected gateway before the cache"),
)


def depends(later: SlowResource, earlier: SlowResource, stages: tuple[str, ...] = STAGES) -> bool:
    """Whether `later` can only start once `earlier` is ready (earlier is awaited in a play before later's)."""
    return earlier.awaited is not None and stages.index(earlier.awaited) < stages.index(later.starts)


def longest_chain(delays: dict[str, float], resources: tuple[SlowResource, ...] = SLOW_RESOURCES, layered: bool = True) -> tuple[float, list[SlowResource]]:
    """(seconds, chain) of the longest path through the dependency DAG, weighted by each resource's delay."""
    ordered = sorted(resources, key=lambda resource: STAGES.index(resource.starts))
    best: dict[str, tuple[float, list[SlowResource]]] = {}
    for resource in ordered:
        own = float(delays.get(resource.key, 0.0))
        before = [best[other.key] for other in ordered if other.key in best and layered and depends(resource, other)]
        seconds, chain = max(before, key=lambda item: item[0], default=(0.0, []))
        best[resource.key] = (seconds + own, [*chain, resource])
    return max(best.values(), key=lambda item: item[0], default=(0.0, []))


def describe_chain(chain: list[SlowResource], delays: dict[str, float]) -> str:
    return " -> ".join(f"{resource.key} ({resource.starts}, {delays.get(resource.key, 0.0):g} s)" for resource in chain) or "(none)"
