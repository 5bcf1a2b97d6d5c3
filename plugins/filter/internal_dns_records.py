# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# The collection's code is imported inside the filter functions: see module_utils/amazon_aws_deferred.py.

DOCUMENTATION = r"""
name: internal_dns_records
short_description: The record sets of the internal names that a disaster recovery strategy asks for
version_added: 0.2.0
description:
  - From the strategy, the regions' targets and their health check ids, the record sets of every application name in
    the private hosted zone, in the shape of ChangeResourceRecordSets' C(ResourceRecordSet), for
    M(hybridcloud.aws.route53_record_sets) (which reads the zone once and writes only what differs).
  - "Routing: V(none) and V(backup_restore) (one region): a simple record to the primary region's target.
    V(pilot_light) and V(warm_standby): failover records, PRIMARY to the first region's target and SECONDARY to the
    second's, each with its region's health check. V(active_active): weighted records of equal weight (or latency
    records with O(routing=latency)), one per region, each with its region's health check."
  - "O(serving_region) (after a failover, the DR region) turns the routing towards it: the failover strategies make
    its record the PRIMARY and the other region's the SECONDARY; V(active_active) keeps only its record (the other
    region's is deleted until the serving region is the primary again)."
  - A target with an alias hosted zone id (an ALB's canonical hosted zone id) makes an alias A record (no TTL), else
    a CNAME record with the target as its value.
  - Regions beyond the number the strategy routes to are ignored (the role's input check refuses them).
positional: zone, names, regions, health_check_ids, ttl, routing, serving_region
options:
  _input:
    description: The disaster recovery strategy.
    type: str
    required: true
    choices: [none, backup_restore, pilot_light, warm_standby, active_active]
  zone:
    description: The zone's name.
    type: str
    required: true
  names:
    description: The application names (one label each); each gets C(<name>.<zone>.).
    type: list
    elements: str
    required: true
  regions:
    description: The regions, the primary first, each with C(region), C(target) and optionally C(target_hosted_zone_id).
    type: list
    elements: dict
    required: true
  health_check_ids:
    description: The health check id of each region (region name to id); a missing one leaves the record without.
    type: dict
  ttl:
    description: TTL of the CNAME records.
    type: int
    default: 60
  routing:
    description: Routing of V(active_active).
    type: str
    default: weighted
    choices: [weighted, latency]
  serving_region:
    description: The region the names answer while it is healthy; empty for the primary (the first region).
    type: str
    default: ""
author:
  - hybridcloud.aws contributors
"""

EXAMPLES = r"""
- name: Failover records of the internal names
  hybridcloud.aws.route53_record_sets:
    hosted_zone_id: "{{ zone_id }}"
    record_sets: >-
      {{ 'pilot_light' | hybridcloud.aws.internal_dns_records('internal.example.com', ['orders'], regions,
         {'us-east-1': primary_health_check_id, 'us-west-2': dr_health_check_id}) }}
"""

RETURN = r"""
_value:
  description: The record sets, per name the primary region's first.
  type: list
  elements: dict
  sample:
    - {"Name": "orders.internal.example.com.", "Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": "internal-a.us-east-1.elb.amazonaws.com"}],
       "SetIdentifier": "orders-us-east-1", "Failover": "PRIMARY", "HealthCheckId": "0e1c8a5f-4b1d-4a8e-9d53-2b39e4a5c6f1"}
"""


def wanted_record_sets(strategy, zone, names, regions, health_check_ids=None, ttl=60, routing="weighted", serving_region=""):  # noqa: PLR0917 (a filter takes its arguments by position)
    from ansible_collections.hybridcloud.aws.plugins.module_utils.internal_dns import wanted_record_sets as upstream

    return upstream(strategy, zone, names, regions, health_check_ids, ttl, routing, serving_region)


class FilterModule:
    def filters(self):
        return {"internal_dns_records": wanted_record_sets}
