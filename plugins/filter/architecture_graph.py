# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: architecture_graph
short_description: The graph of a deployed hybrid cloud, from what the info modules read back
version_added: 0.1.0
description:
  - Turns what the read-only modules answered about a deployed hybrid cloud into a graph, one node per resource
    (VPC, subnets per zone, NAT gateways, virtual private gateway, Direct Connect port, virtual interface and gateway,
    customer gateway and VPN connection, ECS cluster, capacity provider and its Auto Scaling group, container
    instances, services with their running and desired task counts, load balancer, database, bucket, file gateway
    and shares, on-prem managed instances, backup plans and vaults, the disaster recovery vault), the edges between
    them, and the nested groups they are drawn in (region, VPC, zones, data center, Direct Connect location, DR
    region).
  - The nodes and edges of the hybrid path that carries the traffic (C(hybrid.active_path) of O(_input)) are marked
    active, those of the other path standby; the DOT source draws them bold green (SVG class C(active_path)) and
    dashed grey (SVG class C(standby_path)).
  - Only what was read is drawn; a resource that was not found has no node.
  - Used by C(playbooks/report.yml), which renders the Markdown report from RV(_value.resources) and the diagram
    from RV(_value.dot) with Graphviz.
options:
  _input:
    description:
      - What was read, by key; every key is optional.
      - C(title), C(region); C(vpc) (one entry of M(amazon.aws.ec2_vpc_net_info)'s C(vpcs)), C(subnets),
        C(nat_gateways) (M(amazon.aws.ec2_vpc_nat_gateway_info)'s C(result)), C(vpn_gateways)
        (M(amazon.aws.ec2_vpc_vgw_info)'s C(virtual_gateways)).
      - C(hybrid), the answer of the P(hybridcloud.aws.hybrid_active_path#filter) filter.
      - C(cluster) (the ECS cluster's name), C(capacity_providers), C(auto_scaling_groups)
        (M(amazon.aws.autoscaling_group_info)'s C(results)), C(container_instances), C(services)
        (M(community.aws.ecs_service_info)'s C(services) with C(details)).
      - C(load_balancers), C(db_instances), C(buckets) (entries with a C(name)), C(gateways)
        (M(community.aws.storagegateway_info)'s C(gateways)), C(managed_instances), C(backup_plans)
        (M(amazon.aws.backup_plan_info)'s C(backup_plans)), C(dr_region) and C(dr_vaults)
        (M(amazon.aws.backup_vault_info)'s C(backup_vaults) in that region).
    type: dict
    required: true
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Build the graph
  ansible.builtin.set_fact:
    my_graph: >-
      {{ {'region': 'eu-central-1', 'vpc': my_vpc.vpcs[0], 'subnets': my_subnets.subnets,
          'hybrid': my_vifs.virtual_interfaces | hybridcloud.aws.hybrid_active_path(my_vpns.vpn_connections)}
         | hybridcloud.aws.architecture_graph }}

- name: Write the DOT source (render it with dot -Tsvg)
  ansible.builtin.copy:
    content: "{{ my_graph.dot }}"
    dest: architecture.dot
    mode: "0644"
"""

RETURN = r"""
_value:
  description: The graph.
  type: dict
  contains:
    active_path:
      description: V(direct_connect), V(vpn) or V(none).
      type: str
    nodes:
      description:
        - Every node, C(id) (the resource's id, or C(kind:name) for resources that have none, such as C(rds:NAME)),
          C(kind), C(section) (the report section), C(label), C(group), C(state), C(details) and C(active) (true or
          false on the hybrid paths, null elsewhere). The first node, C(datacenter), stands for the on-premises
          network.
      type: list
      elements: dict
    resources:
      description: The nodes that are resources (all but C(datacenter)), for the report's tables.
      type: list
      elements: dict
    edges:
      description: C(source), C(target), C(label), C(path) (V(direct_connect), V(vpn) or null) and C(active).
      type: list
      elements: dict
    groups:
      description: C(id), C(label) and C(parent) of each group that holds a node.
      type: list
      elements: dict
    sections:
      description: The report sections that have resources, in report order.
      type: list
      elements: str
    dot:
      description: The Graphviz DOT source of the diagram; node names are the nodes' ids.
      type: str
"""


def architecture_graph(facts):
    from ansible_collections.hybridcloud.aws.plugins.module_utils.architecture import architecture_graph as upstream

    return upstream(facts)


class FilterModule:
    def filters(self):
        return {"architecture_graph": architecture_graph}
