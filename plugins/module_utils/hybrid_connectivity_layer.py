# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One read of the hybrid connectivity layer (the role hybridcloud.aws.hybrid_connectivity), everything by name and side by
side, each resource found as its write module finds it:

- the virtual private gateway as amazon.aws.ec2_vpc_vgw finds it (type ipsec.1, its Name tag, pending or available; the
  lowest id first);
- Direct Connect: the connections or LAGs of a name (community.aws.directconnect_connection and
  directconnect_link_aggregation_group list them all and match the name, leaving deleted ones out), or an existing
  connection or LAG by id; the first Direct Connect gateway of its name (community.aws.directconnect_gateway); the
  private virtual interfaces of a name that are not deleting or deleted (community.aws.directconnect_virtual_interface);
  then, side by side, the gateway's associations with the virtual private gateway;
- the customer gateway as community.aws.ec2_customer_gateway finds it (available, by its IP address; the first);
  then the VPN connections on the virtual private gateway and the customer gateway that are not deleting or deleted
  (amazon.aws.ec2_vpc_vpn's filters vgw and cgw);
- the route tables by id with the gateways that propagate into them.

Each resource is returned as its service answers it: EC2's in CamelCase with Tags as a dict, Direct Connect's in
camelCase with tags as a dict (DescribeConnections, DescribeLags, DescribeVirtualInterfaces and
DescribeDirectConnectGateways answer the tags with the resource). Secrets are left out: the virtual interfaces' BGP key
and router configuration, the VPN connections' device configuration, and the tunnels' pre-shared keys unless asked for
(then the caller must not log the answer)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.hybridcloud.aws.plugins.module_utils import directconnect
from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import DirectConnectErrorHandler
from ansible_collections.hybridcloud.aws.plugins.module_utils.ec2 import HIDDEN
from ansible_collections.hybridcloud.aws.plugins.module_utils.side_by_side import SideBySide

retry = AWSRetry.jittered_backoff()

# Threads for the independent calls; 1 runs them one after the other (the unit tests do, for botocore's Stubber).
MAX_WORKERS = 8

# What the write modules leave out when they look for their resource.
GONE_CONNECTION_STATES = ("deleted",)
GONE_INTERFACE_STATES = ("deleting", "deleted")
GONE_VPN_STATES = ("deleting", "deleted")


class AnsibleHybridConnectivityLayerError(AnsibleAWSError):
    pass


class HybridConnectivityLayerErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleHybridConnectivityLayerError


def _dx_tags(resource):
    """A Direct Connect resource with its tags as a dict."""
    return dict(resource, tags=boto3_tag_list_to_ansible_dict(resource.get("tags") or [], "key", "value"))


def _without_secrets(value):
    """value without the fields that carry a virtual interface's BGP key (directconnect.SECRET_FIELDS), at any depth."""
    if isinstance(value, dict):
        return {key: _without_secrets(item) for key, item in value.items() if key not in directconnect.SECRET_FIELDS}
    if isinstance(value, list):
        return [_without_secrets(item) for item in value]
    return value


def _ec2_tags(resource):
    """An EC2 resource with its Tags as a dict."""
    return dict(resource, Tags=boto3_tag_list_to_ansible_dict(resource.get("Tags") or []))


# ---------------------------------------------------------------- EC2


@HybridConnectivityLayerErrorHandler.common_error_handler("describe the virtual private gateway {name}")
@retry
def describe_vpn_gateway(client, name):
    """The gateway amazon.aws.ec2_vpc_vgw (state present) would take: ipsec.1, Name tag, pending or available, lowest id."""
    filters = [
        {"Name": "type", "Values": ["ipsec.1"]},
        {"Name": "tag:Name", "Values": [name]},
        {"Name": "state", "Values": ["pending", "available"]},
    ]
    gateways = sorted(client.describe_vpn_gateways(Filters=filters).get("VpnGateways") or [], key=lambda gateway: gateway["VpnGatewayId"])
    return _ec2_tags(gateways[0]) if gateways else {}


@HybridConnectivityLayerErrorHandler.common_error_handler("describe the customer gateway of {ip_address}")
@retry
def describe_customer_gateway(client, ip_address):
    """The gateway community.aws.ec2_customer_gateway would take: available, with this IP address, the first listed."""
    filters = [{"Name": "state", "Values": ["available"]}, {"Name": "ip-address", "Values": [ip_address]}]
    gateways = client.describe_customer_gateways(Filters=filters).get("CustomerGateways") or []
    return _ec2_tags(gateways[0]) if gateways else {}


def _vpn_without_secrets(connection, pre_shared_keys):
    shown = {key: value for key, value in connection.items() if key != "CustomerGatewayConfiguration"}
    options = dict(shown.get("Options") or {})
    tunnels = []
    for tunnel in options.get("TunnelOptions") or []:
        shown_tunnel = dict(tunnel)
        if not pre_shared_keys and shown_tunnel.get("PreSharedKey") is not None:
            shown_tunnel["PreSharedKey"] = HIDDEN
        tunnels.append(shown_tunnel)
    if "TunnelOptions" in options:
        options["TunnelOptions"] = tunnels
    if "Options" in shown:
        shown["Options"] = options
    return _ec2_tags(shown)


@HybridConnectivityLayerErrorHandler.common_error_handler("describe the VPN connections of {vpn_gateway_id} and {customer_gateway_id}")
@retry
def describe_vpn_connections(client, vpn_gateway_id, customer_gateway_id, pre_shared_keys=False):
    """The VPN connections amazon.aws.ec2_vpc_vpn (filters vgw and cgw) can take: not deleting or deleted, without the
    device configuration, the tunnels' pre-shared keys as "(hidden)" unless pre_shared_keys."""
    filters = [{"Name": "vpn-gateway-id", "Values": [vpn_gateway_id]}, {"Name": "customer-gateway-id", "Values": [customer_gateway_id]}]
    connections = client.describe_vpn_connections(Filters=filters).get("VpnConnections") or []
    return [_vpn_without_secrets(connection, pre_shared_keys) for connection in connections if connection.get("State") not in GONE_VPN_STATES]


@HybridConnectivityLayerErrorHandler.common_error_handler("describe the route tables {route_table_ids}")
@retry
def describe_route_tables(client, route_table_ids):
    """Each route table found (by filter: an id that does not exist is left out, no error): id, VPC and the gateways
    that propagate into it."""
    paginator = client.get_paginator("describe_route_tables")
    answer = paginator.paginate(Filters=[{"Name": "route-table-id", "Values": list(route_table_ids)}]).build_full_result()
    return [
        {"RouteTableId": table["RouteTableId"], "VpcId": table.get("VpcId"), "PropagatingVgws": table.get("PropagatingVgws") or []}
        for table in answer.get("RouteTables") or []
    ]


# ---------------------------------------------------------------- Direct Connect


@DirectConnectErrorHandler.common_error_handler("describe Direct Connect connections")
@directconnect.retry
def describe_connections(client, name):
    """The connections of this name that are not deleted (community.aws.directconnect_connection lists them all)."""
    connections = client.describe_connections().get("connections") or []
    return [_dx_tags(c) for c in connections if c.get("connectionName") == name and c.get("connectionState") not in GONE_CONNECTION_STATES]


@DirectConnectErrorHandler.common_error_handler("describe Direct Connect link aggregation groups")
@directconnect.retry
def describe_lags(client, name):
    """The LAGs of this name that are not deleted (community.aws.directconnect_link_aggregation_group lists them all),
    their member connections' tags as dicts too."""
    lags = client.describe_lags().get("lags") or []
    found = [lag for lag in lags if lag.get("lagName") == name and lag.get("lagState") not in GONE_CONNECTION_STATES]
    return [dict(_dx_tags(lag), connections=[_dx_tags(member) for member in lag.get("connections") or []]) for lag in found]


@DirectConnectErrorHandler.list_error_handler("describe Direct Connect connection or LAG {link_id}", default_value={})
@directconnect.retry
def describe_link(client, link_id):
    """An existing connection (dxcon-) or LAG (dxlag-) by id, with its tags; empty when it does not exist."""
    if link_id.startswith("dxlag-"):
        found = client.describe_lags(lagId=link_id).get("lags") or []
        found = [dict(_dx_tags(lag), connections=[_dx_tags(member) for member in lag.get("connections") or []]) for lag in found]
    else:
        found = [_dx_tags(connection) for connection in client.describe_connections(connectionId=link_id).get("connections") or []]
    return found[0] if found else {}


@DirectConnectErrorHandler.common_error_handler("describe Direct Connect gateways")
@directconnect.retry
def describe_dx_gateway(client, name):
    """The first Direct Connect gateway of this name, whatever its state (community.aws.directconnect_gateway takes it
    and creates another when it is deleted). Follows nextToken."""
    params = {}
    while True:
        answer = client.describe_direct_connect_gateways(**params)
        for gateway in answer.get("directConnectGateways") or []:
            if gateway.get("directConnectGatewayName") == name:
                return _dx_tags(gateway)
        if not answer.get("nextToken"):
            return {}
        params["nextToken"] = answer["nextToken"]


@DirectConnectErrorHandler.list_error_handler("describe the associations of Direct Connect gateway {gateway_id}", default_value=[])
@directconnect.retry
def describe_gateway_associations(client, gateway_id, associated_gateway_id):
    """Every association of the Direct Connect gateway with this gateway, in any state (community.aws.directconnect_gateway
    counts any; hybridcloud.aws.directconnect_gateway_association only a live one). Follows nextToken."""
    params = {"directConnectGatewayId": gateway_id, "associatedGatewayId": associated_gateway_id}
    associations = []
    while True:
        answer = client.describe_direct_connect_gateway_associations(**params)
        associations.extend(answer.get("directConnectGatewayAssociations") or [])
        if not answer.get("nextToken"):
            return associations
        params["nextToken"] = answer["nextToken"]


def describe_virtual_interfaces(client, name):
    """The virtual interfaces of this name that are not deleting or deleted, without the BGP key and router
    configuration, tags as a dict (community.aws.directconnect_virtual_interface matches the name among all)."""
    interfaces = directconnect.describe_virtual_interfaces(client)
    found = [i for i in interfaces if i.get("virtualInterfaceName") == name and i.get("virtualInterfaceState") not in GONE_INTERFACE_STATES]
    return [_dx_tags(_without_secrets(interface)) for interface in found]


# ---------------------------------------------------------------- the layer


def read_layer(clients, names):
    """{vpn_gateway, connections, lags, link, dx_gateway, dx_gateway_associations, virtual_interfaces,
    customer_gateway, vpn_connections, route_tables}; a resource that does not exist (or is not asked for) is {} or [].

    clients: {ec2, directconnect}. names: vpn_gateway (name, required); dx_gateway, virtual_interface, connection, lag
    (names) and link_id (an existing connection or LAG): each empty or None reads nothing; customer_gateway_ip (empty:
    no VPN); route_table_ids (list); pre_shared_keys (bool: keep the tunnels' keys in the answer).

    Raises AnsibleAWSError (AnsibleHybridConnectivityLayerError or AnsibleDirectConnectError) with AWS's error."""
    ec2, dx = clients["ec2"], clients["directconnect"]

    def nothing(value):
        return lambda: value

    with SideBySide(MAX_WORKERS) as reads:
        vgw = reads.start(describe_vpn_gateway, ec2, names["vpn_gateway"])
        cgw = reads.start(describe_customer_gateway, ec2, names["customer_gateway_ip"]) if names.get("customer_gateway_ip") else nothing({})
        tables = reads.start(describe_route_tables, ec2, names["route_table_ids"]) if names.get("route_table_ids") else nothing([])
        dx_gateway = reads.start(describe_dx_gateway, dx, names["dx_gateway"]) if names.get("dx_gateway") else nothing({})
        interfaces = reads.start(describe_virtual_interfaces, dx, names["virtual_interface"]) if names.get("virtual_interface") else nothing([])
        connections = reads.start(describe_connections, dx, names["connection"]) if names.get("connection") else nothing([])
        lags = reads.start(describe_lags, dx, names["lag"]) if names.get("lag") else nothing([])
        link = reads.start(describe_link, dx, names["link_id"]) if names.get("link_id") else nothing({})

        # What needs the ids found above, side by side again.
        vgw_id = vgw().get("VpnGatewayId")
        gateway_id = dx_gateway().get("directConnectGatewayId")
        associations = reads.start(describe_gateway_associations, dx, gateway_id, vgw_id) if vgw_id and gateway_id else nothing([])
        cgw_id = cgw().get("CustomerGatewayId")
        vpns = reads.start(describe_vpn_connections, ec2, vgw_id, cgw_id, bool(names.get("pre_shared_keys"))) if vgw_id and cgw_id else nothing([])

        return {
            "vpn_gateway": vgw(),
            "connections": connections(),
            "lags": lags(),
            "link": link(),
            "dx_gateway": dx_gateway(),
            "dx_gateway_associations": associations(),
            "virtual_interfaces": interfaces(),
            "customer_gateway": cgw(),
            "vpn_connections": vpns(),
            "route_tables": tables(),
        }
