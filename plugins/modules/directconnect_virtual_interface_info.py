#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: directconnect_virtual_interface_info
version_added: 0.1.0
short_description: Read Direct Connect virtual interfaces, their state and their BGP sessions
description:
  - Lists Direct Connect virtual interfaces (private, public and transit) with C(DescribeVirtualInterfaces), by
    interface id, by the connection or LAG they ride on, by name, or all of the region, and reads their tags with
    C(DescribeTags).
  - Returns for each interface its state, its VLAN, its customer and Amazon side ASNs, the virtual private gateway
    or Direct Connect gateway it attaches to, and its BGP peers with their C(bgp_status) (C(up) or C(down)), which
    is what tells whether Direct Connect carries traffic right now.
  - Only reads; never changes anything, also not in check mode.
  - Upstream has no read-only module for virtual interfaces; M(community.aws.directconnect_virtual_interface)
    creates and deletes them.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  virtual_interface_id:
    description:
      - Only the interface with this id (C(dxvif-...)). An id that does not exist gives an empty list.
    type: str
    aliases: [id]
  connection_id:
    description:
      - Only the interfaces on this connection (C(dxcon-...)) or link aggregation group (C(dxlag-...)).
    type: str
  name:
    description:
      - Only the interfaces with exactly this name.
    type: str
  include_auth_key:
    description:
      - Also return the BGP MD5 keys (RV(virtual_interfaces[].auth_key), RV(virtual_interfaces[].bgp_peers[].auth_key)).
      - Off by default, so that a task can show its result. Whoever turns it on should set C(no_log) on the task.
    type: bool
    default: false
notes:
  - AWS keeps deleted interfaces visible for a while, in state C(deleted).
  - The filters apply together.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
  - hybridcloud.aws.attributes.info_module
"""

EXAMPLES = r"""
- name: Read the private virtual interface
  hybridcloud.aws.directconnect_virtual_interface_info:
    virtual_interface_id: dxvif-fgh1234a
  register: vif

- name: Is Direct Connect carrying traffic?
  ansible.builtin.debug:
    msg: >-
      {{ vif.virtual_interfaces | selectattr('virtual_interface_state', 'eq', 'available')
         | map(attribute='bgp_peers') | flatten | selectattr('bgp_status', 'eq', 'up') | list | length > 0 }}

- name: Every interface on a LAG, with the BGP keys to configure the on-premises router
  hybridcloud.aws.directconnect_virtual_interface_info:
    connection_id: dxlag-ffrz71kw
    include_auth_key: true
  register: lag_interfaces
  no_log: true
"""

RETURN = r"""
virtual_interfaces:
  description: The virtual interfaces, in the order Direct Connect lists them.
  returned: always
  type: list
  elements: dict
  contains:
    virtual_interface_id:
      description: Id of the interface.
      type: str
      sample: dxvif-fgh1234a
    virtual_interface_arn:
      description: ARN of the interface.
      type: str
      sample: arn:aws:directconnect:eu-central-1:123456789012:dxvif/dxvif-fgh1234a
    virtual_interface_name:
      description: Name of the interface.
      type: str
      sample: hybridcloud-private-vif
    virtual_interface_type:
      description: C(private), C(public) or C(transit).
      type: str
      sample: private
    virtual_interface_state:
      description: State of the interface, for example C(pending), C(available), C(down) or C(deleted).
      type: str
      sample: available
    connection_id:
      description: Connection or LAG the interface rides on.
      type: str
      sample: dxcon-fgab1234
    location:
      description: Direct Connect location of the connection.
      type: str
      sample: EqDC2
    region:
      description: Region of the interface.
      type: str
      sample: eu-central-1
    owner_account:
      description: Account that owns the interface.
      type: str
      sample: "123456789012"
    vlan:
      description: 802.1Q VLAN of the interface.
      type: int
      sample: 120
    asn:
      description: BGP ASN of the customer router (for a 4-byte ASN see RV(virtual_interfaces[].asn_long)).
      type: int
      sample: 65010
    asn_long:
      description: BGP ASN of the customer router, also when it needs 4 bytes.
      type: int
      sample: 65010
    amazon_side_asn:
      description: BGP ASN on the Amazon side.
      type: int
      sample: 64512
    amazon_address:
      description: Amazon BGP peer address.
      type: str
      sample: 169.254.100.1/30
    customer_address:
      description: Customer BGP peer address.
      type: str
      sample: 169.254.100.2/30
    address_family:
      description: C(ipv4) or C(ipv6).
      type: str
      sample: ipv4
    mtu:
      description: MTU of the interface.
      type: int
      sample: 1500
    jumbo_frame_capable:
      description: Whether the interface supports jumbo frames.
      type: bool
      sample: true
    direct_connect_gateway_id:
      description: Direct Connect gateway the interface attaches to, when it does.
      type: str
      sample: 5f294f92-bafb-4011-916d-9b0bexample
    virtual_gateway_id:
      description: Virtual private gateway the interface attaches to directly, when it does.
      type: str
      sample: vgw-0123456789abcdef0
    route_filter_prefixes:
      description: Prefixes a public interface advertises.
      type: list
      elements: dict
      sample: []
    site_link_enabled:
      description: Whether SiteLink is enabled.
      type: bool
      sample: false
    auth_key:
      description: BGP MD5 key of the interface.
      type: str
      returned: when O(include_auth_key=true)
      sample: 0xzxgA9YoW9h58u8SEXAMPLE
    bgp_peers:
      description: The BGP peers of the interface.
      type: list
      elements: dict
      contains:
        bgp_peer_id:
          description: Id of the peer.
          type: str
          sample: dxpeer-fgh7hds8
        bgp_status:
          description: Whether the BGP session is established, C(up) or C(down) (C(unknown) while AWS cannot tell).
          type: str
          sample: up
        bgp_peer_state:
          description: Life cycle of the peer, for example C(available) or C(deleted).
          type: str
          sample: available
        asn:
          description: BGP ASN of the customer side of the peer.
          type: int
          sample: 65010
        address_family:
          description: C(ipv4) or C(ipv6).
          type: str
          sample: ipv4
        amazon_address:
          description: Amazon peer address.
          type: str
          sample: 169.254.100.1/30
        customer_address:
          description: Customer peer address.
          type: str
          sample: 169.254.100.2/30
        aws_device_v2:
          description: The Direct Connect endpoint the peer terminates on.
          type: str
          sample: EqDC2-123h49s71dabc
        auth_key:
          description: BGP MD5 key of the peer.
          type: str
          returned: when O(include_auth_key=true)
          sample: 0xzxgA9YoW9h58u8SEXAMPLE
    tags:
      description: Tags of the interface.
      type: dict
      sample: {"Name": "hybridcloud-private-vif"}
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import AnsibleDirectConnectError
from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import describe_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import describe_virtual_interfaces
from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import virtual_interface_arn
from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import virtual_interface_result


def main():
    argument_spec = dict(
        virtual_interface_id=dict(type="str", aliases=["id"]),
        connection_id=dict(type="str"),
        name=dict(type="str"),
        include_auth_key=dict(type="bool", default=False, no_log=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    client = module.client("directconnect")
    partition = client.meta.partition

    try:
        interfaces = describe_virtual_interfaces(client, params["connection_id"], params["virtual_interface_id"])
        if params["name"] is not None:
            interfaces = [interface for interface in interfaces if interface.get("virtualInterfaceName") == params["name"]]
        arns = [virtual_interface_arn(partition, interface) for interface in interfaces]
        tags = describe_tags(client, arns) if arns else {}
    except AnsibleDirectConnectError as e:
        module.fail_json_aws_error(e)

    results = [
        virtual_interface_result(interface, arn, tags.get(arn, {}), include_auth_key=params["include_auth_key"]) for interface, arn in zip(interfaces, arns)
    ]
    module.exit_json(changed=False, virtual_interfaces=results)


if __name__ == "__main__":
    main()
