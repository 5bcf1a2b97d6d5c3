# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: hybrid_active_path
short_description: Which path to on-premises carries the traffic now, Direct Connect, the VPN or none
version_added: 0.1.0
description:
  - Decides from what was read back which hybrid path carries the traffic, V(direct_connect) while the private
    virtual interface is C(available) with a BGP peer C(up) (AWS prefers Direct Connect routes over VPN routes for
    the same prefixes), else V(vpn) while the VPN connection is C(available) with a tunnel C(UP), else V(none).
  - Interfaces and VPN connections that are C(deleting), C(deleted) or C(rejected) are no path; of the others the
    first one counts.
  - The answer carries no secret (no BGP key, no pre-shared key), so a task may show it.
positional: vpn_connections
options:
  _input:
    description:
      - The C(virtual_interfaces) of M(hybridcloud.aws.directconnect_virtual_interface_info); empty when Direct
        Connect is not in use.
    type: list
    elements: dict
    required: true
  vpn_connections:
    description:
      - The C(vpn_connections) of M(amazon.aws.ec2_vpc_vpn_info); empty when there is no VPN.
    type: list
    elements: dict
    default: []
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Decide the active path
  ansible.builtin.set_fact:
    my_path: "{{ my_vifs.virtual_interfaces | hybridcloud.aws.hybrid_active_path(my_vpns.vpn_connections) }}"

- name: Show it
  ansible.builtin.debug:
    msg: "{{ my_path.active_path }}"
"""

RETURN = r"""
_value:
  description: The active path and what each path looks like now.
  type: dict
  contains:
    active_path:
      description: V(direct_connect), V(vpn) or V(none).
      type: str
    direct_connect:
      description:
        - C(virtual_interface_id), C(name), C(state) (V(absent) without an interface), C(bgp) (the peers'
          C(bgp_status)), C(connection_id), C(direct_connect_gateway_id), C(virtual_gateway_id), C(location), C(vlan).
      type: dict
    vpn:
      description:
        - C(vpn_connection_id), C(state) (V(absent) without a connection), C(tunnels) (the tunnels' C(UP)/C(DOWN)),
          C(customer_gateway_id), C(vpn_gateway_id), C(routes) (the static routes' CIDRs).
      type: dict
    summary:
      description: The active path in one line, with each path's interface or connection, state, BGP peers, tunnels and
        routes.
      type: str
  sample:
    active_path: vpn
    direct_connect: {virtual_interface_id: dxvif-fgq7rxfv, state: down, bgp: [down], connection_id: dxcon-fh6ayh1d}
    vpn: {vpn_connection_id: vpn-0a1b2c3d, state: available, tunnels: [UP, UP], routes: [192.168.10.0/24]}
"""


def hybrid_active_path(interfaces, vpn_connections=None):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.architecture import hybrid_active_path as upstream

    return upstream(interfaces, vpn_connections or [])


class FilterModule:
    def filters(self):
        return {"hybrid_active_path": hybrid_active_path}
