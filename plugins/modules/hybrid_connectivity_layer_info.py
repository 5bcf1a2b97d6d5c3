#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: hybrid_connectivity_layer_info
version_added: 0.2.0
short_description: Read a virtual private gateway, its Direct Connect and VPN paths and route propagation in one step
description:
  - Reads, by name and side by side, what the role C(hybridcloud.aws.hybrid_connectivity) owns, each resource found as
    its write module finds it.
  - The virtual private gateway O(vpn_gateway) (C(DescribeVpnGateways) of type C(ipsec.1) with this C(Name) tag,
    pending or available, the lowest id first, as M(amazon.aws.ec2_vpc_vgw) takes it).
  - Direct Connect - the connections named O(connection) (C(DescribeConnections)) or the LAGs named O(lag)
    (C(DescribeLags)) that are not deleted, or the connection or LAG O(link_id); the first Direct Connect gateway
    named O(dx_gateway) (C(DescribeDirectConnectGateways)) and its associations with the virtual private gateway
    (C(DescribeDirectConnectGatewayAssociations)); the private virtual interfaces named O(virtual_interface) that are
    not deleting or deleted (C(DescribeVirtualInterfaces)). Each with its tags, which these calls answer.
  - The customer gateway of O(customer_gateway_ip) (C(DescribeCustomerGateways), available, the first, as
    M(community.aws.ec2_customer_gateway) takes it) and the VPN connections on both gateways that are not deleting or
    deleted (C(DescribeVpnConnections), as M(amazon.aws.ec2_vpc_vpn) finds them with its filters C(vgw) and C(cgw)).
  - The route tables O(route_table_ids) with the gateways that propagate into them (C(DescribeRouteTables)).
  - Returns them for the filter C(hybridcloud.aws.hybrid_connectivity_writes), so that the role runs a write module
    only where something differs. EC2 resources are returned as EC2 answers them (CamelCase) with C(Tags) as a dict,
    Direct Connect resources as Direct Connect answers them (camelCase) with C(tags) as a dict.
  - Secrets are left out - the virtual interfaces' BGP key and router configuration, the VPN connections' device
    configuration and, unless O(pre_shared_keys), the tunnels' pre-shared keys.
  - A resource that does not exist is not an error; its entry is then empty.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  vpn_gateway:
    description: The C(Name) tag of the virtual private gateway.
    type: str
    required: true
  dx_gateway:
    description: The name of the Direct Connect gateway; empty reads no Direct Connect gateway.
    type: str
    default: ""
  virtual_interface:
    description: The name of the private virtual interface; empty reads none.
    type: str
    default: ""
  connection:
    description: The name of a Direct Connect connection ordered by name; empty reads none.
    type: str
    default: ""
  lag:
    description: The name of a Direct Connect LAG ordered by name; empty reads none.
    type: str
    default: ""
  link_id:
    description: An existing Direct Connect connection (C(dxcon-)) or LAG (C(dxlag-)) to read by id; empty reads none.
    type: str
    default: ""
  customer_gateway_ip:
    description:
      - The public IPv4 address of the customer gateway; empty reads neither the customer gateway nor the VPN
        connection.
    type: str
    default: ""
  route_table_ids:
    description: The route tables to read.
    type: list
    elements: str
    default: []
  pre_shared_keys:
    description:
      - Return the VPN tunnels' pre-shared keys (to compare them with the wanted ones). The answer then carries secrets -
        run the task with C(no_log).
      - Without it each key is returned as C((hidden)).
    type: bool
    default: false
notes:
  - Needs C(ec2:DescribeVpnGateways), C(ec2:DescribeCustomerGateways), C(ec2:DescribeVpnConnections),
    C(ec2:DescribeRouteTables), C(directconnect:DescribeConnections), C(directconnect:DescribeLags),
    C(directconnect:DescribeDirectConnectGateways), C(directconnect:DescribeDirectConnectGatewayAssociations) and
    C(directconnect:DescribeVirtualInterfaces), each only for what is asked.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the hybrid connectivity layer once
  hybridcloud.aws.hybrid_connectivity_layer_info:
    vpn_gateway: hybridcloud-vgw
    dx_gateway: hybridcloud-dxgw
    virtual_interface: hybridcloud-private-vif
    link_id: dxcon-fgab1234
    customer_gateway_ip: 198.51.100.10
    route_table_ids: [rtb-0123456789abcdef0]
  register: layer

- name: Compare the tunnels' pre-shared keys too (the answer carries them)
  hybridcloud.aws.hybrid_connectivity_layer_info:
    vpn_gateway: hybridcloud-vgw
    customer_gateway_ip: 198.51.100.10
    pre_shared_keys: true
  register: layer
  no_log: true
"""

RETURN = r"""
region:
  description: The region read (the Direct Connect resources' region; Direct Connect gateways are global).
  returned: always
  type: str
  sample: us-east-1
vpn_gateway:
  description: The virtual private gateway as C(DescribeVpnGateways) answers it, C(Tags) as a dict; empty when there is none.
  returned: always
  type: dict
  sample:
    VpnGatewayId: vgw-0123456789abcdef0
    State: available
    Type: ipsec.1
    AmazonSideAsn: 64513
    VpcAttachments: [{VpcId: vpc-0123456789abcdef0, State: attached}]
    Tags: {Name: hybridcloud-vgw, Project: hybridcloud}
connections:
  description: The connections named O(connection) that are not deleted, as C(DescribeConnections) answers them, C(tags) as a dict.
  returned: always
  type: list
  elements: dict
  sample: [{connectionId: dxcon-fgab1234, connectionName: hybridcloud-dx, connectionState: available, tags: {Name: hybridcloud-dx}}]
lags:
  description:
    - The LAGs named O(lag) that are not deleted, as C(DescribeLags) answers them, C(tags) as a dict (their C(connections)
      too).
  returned: always
  type: list
  elements: dict
  sample: [{lagId: dxlag-fgab1234, lagName: hybridcloud-dx, minimumLinks: 1, connections: [], tags: {Name: hybridcloud-dx}}]
link:
  description: The connection or LAG O(link_id), C(tags) as a dict; empty when there is none.
  returned: always
  type: dict
  sample: {connectionId: dxcon-fgab1234, connectionName: carrier-port, region: us-east-1, tags: {Carrier: EqDC2}}
dx_gateway:
  description:
    - The first Direct Connect gateway named O(dx_gateway), in any state, as C(DescribeDirectConnectGateways) answers it,
      C(tags) as a dict; empty when there is none.
  returned: always
  type: dict
  sample:
    directConnectGatewayId: 5f3e0c8e-0000-4000-8000-123456789012
    directConnectGatewayName: hybridcloud-dxgw
    amazonSideAsn: 64512
    directConnectGatewayState: available
    tags: {Name: hybridcloud-dxgw}
dx_gateway_associations:
  description: The associations of that gateway with the virtual private gateway, in any state.
  returned: always
  type: list
  elements: dict
  sample:
    - associationId: 0d8fd6b1-8d8e-4b44-a7c4-1f2e3d4c5b6a
      associationState: associated
      allowedPrefixesToDirectConnectGateway: [{cidr: 10.40.0.0/16}]
virtual_interfaces:
  description:
    - The private virtual interfaces named O(virtual_interface) that are not deleting or deleted, as
      C(DescribeVirtualInterfaces) answers them without C(authKey) and C(customerRouterConfig), C(tags) as a dict.
  returned: always
  type: list
  elements: dict
  sample: [{virtualInterfaceId: dxvif-fgab1234, virtualInterfaceName: hybridcloud-private-vif, connectionId: dxcon-fgab1234, tags: {}}]
customer_gateway:
  description: The customer gateway as C(DescribeCustomerGateways) answers it, C(Tags) as a dict; empty when there is none.
  returned: always
  type: dict
  sample: {CustomerGatewayId: cgw-0123456789abcdef0, IpAddress: 198.51.100.10, BgpAsn: "65010", State: available, Tags: {Name: hybridcloud-cgw}}
vpn_connections:
  description:
    - The VPN connections on both gateways that are not deleting or deleted, as C(DescribeVpnConnections) answers them
      without C(CustomerGatewayConfiguration), C(Tags) as a dict; the tunnels' C(PreSharedKey) is C((hidden)) unless
      O(pre_shared_keys).
  returned: always
  type: list
  elements: dict
  sample:
    - VpnConnectionId: vpn-0123456789abcdef0
      State: available
      Options: {StaticRoutesOnly: true, TunnelOptions: [{OutsideIpAddress: 203.0.113.17, PreSharedKey: (hidden)}]}
      Routes: [{DestinationCidrBlock: 192.168.10.0/24, State: available}]
      Tags: {Name: hybridcloud-vpn}
route_tables:
  description: Each route table of O(route_table_ids) that exists - C(RouteTableId), C(VpcId) and C(PropagatingVgws).
  returned: always
  type: list
  elements: dict
  sample: [{RouteTableId: rtb-0123456789abcdef0, VpcId: vpc-0123456789abcdef0, PropagatingVgws: [{GatewayId: vgw-0123456789abcdef0}]}]
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.hybrid_connectivity_layer import read_layer


def main():
    argument_spec = dict(
        vpn_gateway=dict(type="str", required=True),
        dx_gateway=dict(type="str", default=""),
        virtual_interface=dict(type="str", default=""),
        connection=dict(type="str", default=""),
        lag=dict(type="str", default=""),
        link_id=dict(type="str", default=""),
        customer_gateway_ip=dict(type="str", default=""),
        route_table_ids=dict(type="list", elements="str", default=[]),
        pre_shared_keys=dict(type="bool", default=False, no_log=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    needs_dx = any(params[name] for name in ("dx_gateway", "virtual_interface", "connection", "lag", "link_id"))
    clients = {"ec2": module.client("ec2"), "directconnect": module.client("directconnect") if needs_dx else None}
    try:
        layer = read_layer(clients, params)
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, region=module.region, **layer)


if __name__ == "__main__":
    main()
