# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""CIDR arithmetic shared by the modules and the roles' input checks (the input_problems filters).

Every function returns a list of problems, each a sentence that names the input and the offending value, so that a
caller can collect the problems of all its inputs and report them at once. Nothing here calls AWS.

Source ranges (security group sources, NFS client lists, prefixes allowed over Direct Connect) must not be broader
than a minimum prefix: /8 by default (DEFAULT_MIN_SOURCE_PREFIX), the broadest legitimate private range (10.0.0.0/8).
The check is arithmetic, not a pattern: 0.0.0.0/0, 0.0.0.0/1 and 128.0.0.0/1 are all broader than /8. IPv6 ranges
must not be broader than /32 (DEFAULT_MIN_SOURCE_PREFIX_V6)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

DEFAULT_MIN_SOURCE_PREFIX = 8
DEFAULT_MIN_SOURCE_PREFIX_V6 = 32

# Ranges a VPC may not use (AWS refuses them or they cannot be routed) and the one it should not use.
VPC_RESERVED = (
    ("0.0.0.0/8", "the 'this network' range"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local, reserved by AWS (instance metadata, Direct Connect and VPN peer addresses)"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
    # Docker's default bridge: ECS container instances in bridge mode (and some AWS services) use it; a VPC or
    # subnet in it makes those hosts unreachable from the containers. AWS advises against it for VPCs.
    ("172.17.0.0/16", "Docker's default bridge network on the ECS container instances (AWS advises against it)"),
)


def _text(value):
    return value if isinstance(value, str) else repr(value)


def parse_network(name, value, version=4, strict=True):
    """(network, problems): value parsed as a CIDR of the given IP version (4, 6 or None for either).

    A bare address (no /n) counts as a host route (/32 or /128) only when strict is False. A CIDR with host bits set is
    always a problem: the caller meant another network than the one AWS would use."""
    what = {4: "an IPv4 CIDR (a.b.c.d/n)", 6: "an IPv6 CIDR"}.get(version, "an IP address or CIDR")
    if not isinstance(value, str) or ("/" not in value and strict):
        return None, ["{0}: {1} is not {2}".format(name, _text(value), what)]
    try:
        network = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None, ["{0}: {1!r} is not {2}".format(name, value, what)]
    if version is not None and network.version != version:
        return None, ["{0}: {1!r} is not {2}".format(name, value, what)]
    if "/" in value and str(network) != value.strip():
        return None, ["{0}: {1!r} has host bits set; the network is {2}".format(name, value, network)]
    return network, []


def source_problems(name, values, min_prefix=DEFAULT_MIN_SOURCE_PREFIX, version=4, *, strict=True, min_prefix_v6=DEFAULT_MIN_SOURCE_PREFIX_V6):
    """Problems of a list of source ranges: not a CIDR, host bits set, broader than min_prefix, listed twice."""
    if values is None:
        return []
    if not isinstance(values, (list, tuple)):
        return ["{0}: must be a list of CIDRs, got {1}".format(name, _text(values))]
    problems = []
    seen = set()
    for value in values:
        network, found = parse_network(name, value, version=version, strict=strict)
        problems.extend(found)
        if network is None:
            continue
        limit = min_prefix if network.version == 4 else min_prefix_v6
        if network.prefixlen < int(limit):
            problems.append(
                "{0}: {1!r} is broader than /{2}, the broadest source allowed (covers {3} addresses)".format(name, value, limit, network.num_addresses)
            )
        if network in seen:
            problems.append("{0}: {1!r} is listed twice".format(name, value))
        seen.add(network)
    return problems


def networks(values):
    """(network, value) of the valid CIDRs among values (invalid ones are left to source_problems / parse_network)."""
    parsed = []
    for value in values or []:
        try:
            parsed.append((ipaddress.ip_network(str(value).strip(), strict=False), value))
        except ValueError:
            continue
    return parsed


def vpc_cidr_problems(name, value):
    """Problems of a VPC's IPv4 CIDR: not a CIDR, host bits, a size AWS refuses (/16 to /28), a reserved range."""
    network, problems = parse_network(name, value)
    if network is None:
        return problems
    if not 16 <= network.prefixlen <= 28:
        problems.append("{0}: {1!r} must be /16 to /28 (AWS's VPC sizes)".format(name, value))
    for reserved, why in VPC_RESERVED:
        if network.overlaps(ipaddress.ip_network(reserved)):
            problems.append("{0}: {1!r} overlaps {2}, {3}".format(name, value, reserved, why))
    return problems


def inside_problems(name, values, container_name, container):
    """Problems of ranges that must lie inside container (a CIDR string), e.g. subnets inside the VPC."""
    try:
        outer = ipaddress.ip_network(container, strict=False)
    except ValueError:
        return []
    problems = []
    for network, value in networks(values):
        if network.version != outer.version or not network.subnet_of(outer):
            problems.append("{0}: {1!r} is not inside {2} {3}".format(name, value, container_name, container))
    return problems


def overlap_problems(name, values, other_name=None, others=None):
    """Ranges of values that overlap each other (other_name None) or overlap a range of others."""
    problems = []
    mine = networks(values)
    if other_name is None:
        for index, (network, value) in enumerate(mine):
            for other, other_value in mine[index + 1 :]:
                if network.version == other.version and network.overlaps(other):
                    problems.append("{0}: {1!r} overlaps {2!r}".format(name, value, other_value))
        return problems
    theirs = networks(others)
    for network, value in mine:
        for other, other_value in theirs:
            if network.version == other.version and network.overlaps(other):
                problems.append("{0}: {1!r} overlaps {2} {3!r}".format(name, value, other_name, other_value))
    return problems
