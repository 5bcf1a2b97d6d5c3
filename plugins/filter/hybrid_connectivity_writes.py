# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
from collections.abc import Mapping

from ansible.module_utils.parsing.convert_bool import boolean

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: hybrid_connectivity_writes
short_description: Which write modules the role C(hybridcloud.aws.hybrid_connectivity) must run, from one read of its layer
version_added: 0.2.0
description:
  - Compares what M(hybridcloud.aws.hybrid_connectivity_layer_info) read with what the role wants and says, for each
    write task of the role, what differs; an empty list means the write module would change nothing and need not run.
    Each part is compared as its write module compares it. It also hands on the ids of what exists.
  - C(vpn_gateway) - M(amazon.aws.ec2_vpc_vgw) - V(missing), V(tags) (C(Name) and the others, purged), V(vpc_attachment)
    (not attached to the wanted VPC, or attached without one wanted).
  - C(connection) - M(community.aws.directconnect_connection), when the role orders one - V(missing) (none of its name
    that is not deleted, or several, when the module orders another), V(lag) (the module would take it out of its LAG).
  - C(lag) - M(community.aws.directconnect_link_aggregation_group), when the role orders one - V(missing) (none, or
    several), V(min_links).
  - C(dx_gateway) - M(community.aws.directconnect_gateway) - V(missing) (none of its name, or the first of its name is
    deleted), V(association) (no association with the virtual private gateway, in any state).
  - C(dx_gateway_association) - M(hybridcloud.aws.directconnect_gateway_association), when allowed prefixes are wanted -
    V(missing) (no live association yet, the gateway task makes it), V(allowed_prefixes) (the CIDRs, normalised as the
    module does, differ).
  - C(virtual_interface) - M(community.aws.directconnect_virtual_interface) - V(missing) (no interface of its name, or
    several and none or several of them on the link), V(ambiguous) (several on the link, the module fails),
    V(connection) (on another link, the module moves it).
  - C(dx_gateway_tags), C(virtual_interface_tags), C(link_tags) - M(hybridcloud.aws.resource_tags) - V(tags) (a resource
    that does not exist yet has none). C(lag_connection_tags) - the ids of the LAG's connections whose tags differ.
  - C(customer_gateway) - M(community.aws.ec2_customer_gateway) - V(missing) (no available one with the IP address).
    Its C(Name) tag is compared in C(customer_gateway_tags), which M(amazon.aws.ec2_tag) writes with the others.
  - C(customer_gateway_tags) - M(amazon.aws.ec2_tag) - V(tags) (purged).
  - C(vpn_connection) - M(amazon.aws.ec2_vpc_vpn) - V(missing), V(ambiguous) (several, the module fails), V(static_only)
    (AWS cannot change it, the module fails and says so), V(routes) (purged), V(tags) (purged).
  - C(vpn_tunnel_options) - M(hybridcloud.aws.ec2_vpn_tunnel_options) - V(missing) (no VPN connection yet), else the
    outside IP addresses of the tunnels whose options differ (as the module's own comparison finds them), or
    C(tunnel N) for an entry that names no tunnel (the module fails and says why).
  - C(route_propagation) - M(amazon.aws.ec2_vpc_route_table) - the ids of the route tables the virtual private gateway
    does not propagate into (all of them before it exists).
positional: wanted
options:
  _input:
    description: What M(hybridcloud.aws.hybrid_connectivity_layer_info) returned.
    type: dict
    required: true
  wanted:
    description: What the role wants.
    type: dict
    required: true
    suboptions:
      vpn_gateway:
        description: C(vpc_id) and C(tags) (with C(Name)).
        type: dict
      direct_connect:
        description:
          - C(enabled), C(create) (V(none), V(connection) or V(lag)), C(link_id) (the existing link with V(none)),
            C(min_links), C(allowed_prefixes), C(gateway_tags), C(virtual_interface_tags), C(link_tags),
            C(link_purge_tags), C(member_tags) (the tags of an ordered LAG's connections) and C(gateway_only) (a
            second region that only associates its virtual private gateway with the gateway; no connection, LAG or
            virtual interface is compared there).
        type: dict
      vpn:
        description:
          - C(enabled), C(customer_gateway_tags), C(static_only), C(routes), C(tags) and C(tunnels) (the entries
            M(hybridcloud.aws.ec2_vpn_tunnel_options) takes).
        type: dict
      route_propagation:
        description: C(enabled) and C(route_table_ids).
        type: dict
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide which writes the hybrid connectivity layer needs
  ansible.builtin.set_fact:
    hybrid_connectivity_writes: "{{ hybrid_connectivity_layer | hybridcloud.aws.hybrid_connectivity_writes(hybrid_connectivity_wanted) }}"
"""

RETURN = r"""
_value:
  description: For each write task, what differs (an empty list when nothing does), and the ids of what exists.
  type: dict
  contains:
    vpn_gateway:
      description: What differs on the virtual private gateway.
      type: list
      elements: str
    connection:
      description: What differs on an ordered connection.
      type: list
      elements: str
    lag:
      description: What differs on an ordered LAG.
      type: list
      elements: str
    dx_gateway:
      description: What differs on the Direct Connect gateway.
      type: list
      elements: str
    dx_gateway_association:
      description: What differs on its association's allowed prefixes.
      type: list
      elements: str
    virtual_interface:
      description: What differs on the private virtual interface.
      type: list
      elements: str
    dx_gateway_tags:
      description: What differs on the Direct Connect gateway's tags.
      type: list
      elements: str
    virtual_interface_tags:
      description: What differs on the virtual interface's tags.
      type: list
      elements: str
    link_tags:
      description: What differs on the tags of the connection or LAG the interface rides on.
      type: list
      elements: str
    lag_connection_tags:
      description: The connections of an ordered LAG whose tags differ.
      type: list
      elements: str
    customer_gateway:
      description: What differs on the customer gateway.
      type: list
      elements: str
    customer_gateway_tags:
      description: What differs on the customer gateway's tags.
      type: list
      elements: str
    vpn_connection:
      description: What differs on the VPN connection.
      type: list
      elements: str
    vpn_tunnel_options:
      description: The tunnels whose options differ.
      type: list
      elements: str
    route_propagation:
      description: The route tables that do not propagate the virtual private gateway's routes.
      type: list
      elements: str
    vpn_gateway_id:
      description: The virtual private gateway as read; empty when there is none.
      type: str
    dx_connection_id:
      description: The connection or LAG the interface rides on (the given one, or the ordered one as read).
      type: str
    dx_gateway_id:
      description: The Direct Connect gateway as read; empty when there is none (or it is deleted).
      type: str
    virtual_interface_id:
      description: The virtual interface the module would take; empty when there is none.
      type: str
    customer_gateway_id:
      description: The customer gateway as read.
      type: str
    vpn_connection_id:
      description: The VPN connection as read; empty when there is none (or several).
      type: str
  sample:
    vpn_gateway: []
    connection: []
    lag: []
    dx_gateway: []
    dx_gateway_association: [allowed_prefixes]
    virtual_interface: []
    dx_gateway_tags: []
    virtual_interface_tags: [tags]
    link_tags: []
    lag_connection_tags: []
    customer_gateway: []
    customer_gateway_tags: []
    vpn_connection: [routes]
    vpn_tunnel_options: []
    route_propagation: []
    vpn_gateway_id: vgw-0123456789abcdef0
    dx_connection_id: dxcon-fgab1234
    dx_gateway_id: 5f3e0c8e-0000-4000-8000-123456789012
    virtual_interface_id: dxvif-fgab1234
    customer_gateway_id: cgw-0123456789abcdef0
    vpn_connection_id: vpn-0123456789abcdef0
"""

# hybridcloud.aws.ec2_vpn_tunnel_options' integer options (its argument spec converts them before comparing).
TUNNEL_INTEGERS = (
    "dpd_timeout_seconds",
    "phase1_lifetime_seconds",
    "phase2_lifetime_seconds",
    "rekey_margin_time_seconds",
    "rekey_fuzz_percentage",
    "replay_window_size",
)


def _plain(value):
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _tags_differ(current, wanted, purge=True):
    """What amazon.aws's ensure_ec2_tags and hybridcloud.aws.resource_tags compare (compare_aws_tags)."""
    from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import planned_tags

    to_set, to_unset, _after = planned_tags(current or {}, wanted or {}, purge)
    return ["tags"] if to_set or to_unset else []


def vpn_gateway_differences(gateway, wanted):
    """amazon.aws.ec2_vpc_vgw: tags (Name and the others, purge_tags true), then the VPC attachment."""
    if not gateway:
        return ["missing"]
    attachments = gateway.get("VpcAttachments") or []
    attached = attachments[0].get("VpcId") if attachments and attachments[0].get("State") == "attached" else None
    vpc_id = wanted.get("vpc_id") or None
    return _tags_differ(gateway.get("Tags"), wanted.get("tags")) + (["vpc_attachment"] if attached != vpc_id else [])


def _one(found):
    """The resource a name-matching write module takes: the only one; None when there is none or several (the
    connection and LAG modules then order another)."""
    return found[0] if len(found) == 1 else None


def connection_differences(connection):
    """community.aws.directconnect_connection without a LAG: it takes the connection out of a LAG it is in."""
    if connection is None:
        return ["missing"]
    return ["lag"] if connection.get("lagId") else []


def lag_differences(lag, min_links):
    """community.aws.directconnect_link_aggregation_group: its lag_changed (the name matches by construction)."""
    if lag is None:
        return ["missing"]
    return ["min_links"] if min_links and int(min_links) != lag.get("minimumLinks") else []


def dx_gateway_differences(gateway, associations):
    """community.aws.directconnect_gateway: the first gateway of its name unless deleted, then any association with
    the virtual private gateway."""
    if not gateway or gateway.get("directConnectGatewayState") == "deleted":
        return ["missing"]
    return [] if associations else ["association"]


def _normalised_prefixes(prefixes):
    """hybridcloud.aws.directconnect_gateway_association's normalisation; None for a list it would refuse."""
    try:
        return sorted({str(ipaddress.ip_network(str(prefix).strip())) for prefix in prefixes})
    except ValueError:
        return None


def association_differences(associations, prefixes):
    """hybridcloud.aws.directconnect_gateway_association: the live association's allowed prefixes."""
    from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import ASSOCIATION_GONE, allowed_prefixes

    if not prefixes:
        return []
    live = [association for association in associations if association.get("associationState") not in ASSOCIATION_GONE]
    if not live:
        return ["missing"]
    wanted = _normalised_prefixes(prefixes)
    return ["allowed_prefixes"] if wanted is None or wanted != allowed_prefixes(live[0]) else []


def matched_interface(interfaces, link_id):
    """community.aws.directconnect_virtual_interface's match among the interfaces of its name: (interface or None,
    ambiguous)."""
    if len(interfaces) <= 1:
        return (interfaces[0] if interfaces else None), False
    on_link = [interface for interface in interfaces if interface.get("connectionId") == link_id] if link_id else interfaces
    if len(on_link) == 1:
        return on_link[0], False
    return None, len(on_link) > 1


def interface_differences(interface, ambiguous, link_id):
    if ambiguous:
        return ["ambiguous"]
    if interface is None:
        return ["missing"]
    return ["connection"] if interface.get("connectionId") != link_id else []


def vpn_connection_differences(connection, count, wanted):
    """amazon.aws.ec2_vpc_vpn: the one VPN connection on both gateways; static_only cannot change (the module fails),
    then routes and tags, both purged."""
    if count > 1:
        return ["ambiguous"]
    if connection is None:
        return ["missing"]
    current_routes = [route.get("DestinationCidrBlock") for route in connection.get("Routes") or []]
    routes = [str(route) for route in wanted.get("routes") or []]
    checks = (
        ("static_only", bool((connection.get("Options") or {}).get("StaticRoutesOnly")) != boolean(wanted.get("static_only", False), strict=False)),
        ("routes", any(route not in routes for route in current_routes) or any(route not in current_routes for route in routes)),
    )
    return [name for name, differs in checks if differs] + _tags_differ(connection.get("Tags"), wanted.get("tags"))


def _tunnel_entry(entry):
    entry = {key: value for key, value in entry.items() if value is not None}
    entry.update({key: int(entry[key]) for key in TUNNEL_INTEGERS if key in entry})
    return entry


def tunnel_differences(connection, tunnels):
    """hybridcloud.aws.ec2_vpn_tunnel_options: each entry matched to a tunnel (by outside address, else by position) and
    compared with the module's own planned_tunnel_changes."""
    from ansible_collections.hybridcloud.aws.plugins.module_utils.ec2 import planned_tunnel_changes

    if not tunnels:
        return []
    if connection is None:
        return ["missing"]
    current = (connection.get("Options") or {}).get("TunnelOptions") or []
    by_address = {tunnel.get("OutsideIpAddress"): tunnel for tunnel in current}
    differs, taken = [], []
    for index, entry in enumerate(tunnels):
        address = entry.get("outside_ip_address")
        tunnel = by_address.get(address) if address else (current[index] if index < len(current) else None)
        if tunnel is None or any(tunnel is seen for seen in taken):
            differs.append(f"tunnel {index + 1}")
            continue
        taken.append(tunnel)
        if planned_tunnel_changes(tunnel, _tunnel_entry(entry)):
            differs.append(tunnel.get("OutsideIpAddress"))
    return differs


def route_propagation_differences(tables, vgw_id, table_ids):
    """amazon.aws.ec2_vpc_route_table (propagating_vgw_ids): the tables that do not propagate the gateway yet."""
    propagating = {table["RouteTableId"]: [gateway.get("GatewayId") for gateway in table.get("PropagatingVgws") or []] for table in tables}
    return [table_id for table_id in table_ids if not vgw_id or vgw_id not in propagating.get(table_id, [])]


def _direct_connect(layer, wanted, vgw_id):
    nothing = {key: [] for key in ("connection", "lag", "dx_gateway", "dx_gateway_association", "virtual_interface")}
    nothing.update({key: [] for key in ("dx_gateway_tags", "virtual_interface_tags", "link_tags", "lag_connection_tags")})
    nothing.update(dx_connection_id="", dx_gateway_id="", virtual_interface_id="")
    if not boolean(wanted.get("enabled", True), strict=False):
        return nothing
    create = wanted.get("create") or "none"
    # Only the gateway and this region's association: the link and the interface are another region's.
    gateway_only = boolean(wanted.get("gateway_only", False), strict=False)
    result = dict(nothing)
    if gateway_only:
        link, link_id = None, ""
    elif create == "connection":
        link = _one(layer.get("connections") or [])
        result["connection"] = connection_differences(link)
        link_id = (link or {}).get("connectionId", "")
    elif create == "lag":
        link = _one(layer.get("lags") or [])
        result["lag"] = lag_differences(link, wanted.get("min_links"))
        link_id = (link or {}).get("lagId", "")
        member_tags = wanted.get("member_tags") or {}
        result["lag_connection_tags"] = [
            member["connectionId"] for member in (link or {}).get("connections") or [] if _tags_differ(member.get("tags"), member_tags)
        ]
    else:
        link = layer.get("link") or None
        link_id = wanted.get("link_id") or ""
    gateway = layer.get("dx_gateway") or {}
    # Associations with a virtual private gateway that does not exist yet cannot exist either.
    associations = (layer.get("dx_gateway_associations") or []) if vgw_id else []
    result["dx_gateway"] = dx_gateway_differences(gateway, associations)
    gateway_exists = "missing" not in result["dx_gateway"]
    associations = associations if gateway_exists else []
    result["dx_gateway_association"] = association_differences(associations, wanted.get("allowed_prefixes") or [])
    result["dx_gateway_tags"] = _tags_differ(gateway.get("tags") if gateway_exists else {}, wanted.get("gateway_tags"))
    interface = None
    if not gateway_only:
        interface, ambiguous = matched_interface(layer.get("virtual_interfaces") or [], link_id)
        result["virtual_interface"] = interface_differences(interface, ambiguous, link_id)
        result["virtual_interface_tags"] = _tags_differ((interface or {}).get("tags"), wanted.get("virtual_interface_tags"))
        link_purge = boolean(wanted.get("link_purge_tags", True), strict=False)
        result["link_tags"] = _tags_differ((link or {}).get("tags"), wanted.get("link_tags"), link_purge)
    result.update(
        dx_connection_id=link_id,
        dx_gateway_id=gateway.get("directConnectGatewayId", "") if gateway_exists else "",
        virtual_interface_id=(interface or {}).get("virtualInterfaceId", ""),
    )
    return result


def _vpn(layer, wanted):
    nothing = {key: [] for key in ("customer_gateway", "customer_gateway_tags", "vpn_connection", "vpn_tunnel_options")}
    nothing.update(customer_gateway_id="", vpn_connection_id="")
    if not boolean(wanted.get("enabled", True), strict=False):
        return nothing
    gateway = layer.get("customer_gateway") or {}
    connections = layer.get("vpn_connections") or []
    connection = _one(connections)
    return {
        "customer_gateway": [] if gateway else ["missing"],
        "customer_gateway_tags": _tags_differ(gateway.get("Tags"), wanted.get("customer_gateway_tags")),
        "vpn_connection": vpn_connection_differences(connection, len(connections), wanted),
        "vpn_tunnel_options": tunnel_differences(connection, wanted.get("tunnels") or []),
        "customer_gateway_id": gateway.get("CustomerGatewayId", ""),
        "vpn_connection_id": (connection or {}).get("VpnConnectionId", ""),
    }


def hybrid_connectivity_writes(layer, wanted):
    layer, wanted = _plain(layer), _plain(wanted)
    gateway = layer.get("vpn_gateway") or {}
    vgw_id = gateway.get("VpnGatewayId", "")
    propagation = wanted.get("route_propagation") or {}
    result = {
        "vpn_gateway": vpn_gateway_differences(gateway, wanted.get("vpn_gateway") or {}),
        "route_propagation": (
            route_propagation_differences(layer.get("route_tables") or [], vgw_id, propagation.get("route_table_ids") or [])
            if boolean(propagation.get("enabled", True), strict=False)
            else []
        ),
        "vpn_gateway_id": vgw_id,
    }
    result.update(_direct_connect(layer, wanted.get("direct_connect") or {}, vgw_id))
    result.update(_vpn(layer, wanted.get("vpn") or {}))
    return result


class FilterModule:
    def filters(self):
        return {"hybrid_connectivity_writes": hybrid_connectivity_writes}
