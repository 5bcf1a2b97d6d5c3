"""The critical path of a converge with the latency profile on: the longest chain of dependent slow resources (pure).

site.yml runs its layers one after another and each layer reads what the layers before it handed on, so a slow
resource depends on every slow resource of an earlier layer; slow resources of the same layer are independent (a
role can start them all and wait once). The chain is therefore the slowest resource of each layer that has one, in
layer order. The same computation with no layer edges (only real API dependencies, none of which join these
resources) gives the single slowest resource: the floor a fully parallel converge could reach.
"""

from __future__ import annotations

from dataclasses import dataclass

LAYERS = ("network", "registry", "cluster", "data", "systems_manager", "onprem", "services", "backup", "verify")


@dataclass(frozen=True)
class SlowResource:
    key: str  # the latency profile's key (lab/awsemu/extensions/latency_profile.py)
    layer: str
    waited_by: str


# The slow resources site.yml creates, and what in the roles waits for each. The Direct Connect connection is left
# out: it waits for a cross-connect at the location (outside any run) and nothing in a converge waits for it.
SLOW_RESOURCES = (
    SlowResource("nat_gateway", "network", "roles/network: one until-loop over every new NAT gateway"),
    SlowResource("vpn_connection", "network", "amazon.aws.ec2_vpc_vpn: waiter vpn_connection_available on create"),
    SlowResource("load_balancer", "cluster", "nothing (roles/load_balancer: elb_application_lb wait: false)"),
    SlowResource("db_instance", "data", "amazon.aws.rds_instance wait: true"),
    SlowResource("gateway", "data", "hybridcloud.aws.storagegateway_gateway: waits for a connected gateway before the cache"),
)


def depends(later: SlowResource, earlier: SlowResource, layers: tuple[str, ...] = LAYERS) -> bool:
    return layers.index(earlier.layer) < layers.index(later.layer)


def longest_chain(delays: dict[str, float], resources: tuple[SlowResource, ...] = SLOW_RESOURCES, layered: bool = True) -> tuple[float, list[SlowResource]]:
    """(seconds, chain) of the longest path through the dependency DAG, weighted by each resource's delay."""
    ordered = sorted(resources, key=lambda resource: LAYERS.index(resource.layer))
    best: dict[str, tuple[float, list[SlowResource]]] = {}
    for resource in ordered:
        own = float(delays.get(resource.key, 0.0))
        before = [best[other.key] for other in ordered if other.key in best and layered and depends(resource, other)]
        seconds, chain = max(before, key=lambda item: item[0], default=(0.0, []))
        best[resource.key] = (seconds + own, [*chain, resource])
    return max(best.values(), key=lambda item: item[0], default=(0.0, []))


def describe_chain(chain: list[SlowResource], delays: dict[str, float]) -> str:
    return " -> ".join(f"{resource.key} ({resource.layer}, {delays.get(resource.key, 0.0):g} s)" for resource in chain) or "(none)"
