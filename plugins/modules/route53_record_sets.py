#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: route53_record_sets
version_added: 0.2.0
short_description: Make a Route 53 hosted zone hold the given record sets, in one change batch
description:
  - Reads the zone's record sets once (ListResourceRecordSets), compares them with I(record_sets) and sends what
    differs in one atomic ChangeResourceRecordSets batch, deletes first, then upserts; nothing when nothing differs.
  - A record set is identified by its name, type and set identifier; it differs when any other member differs
    (names compared without case and trailing dot, values without order).
  - With I(purge=true), record sets at the names of I(record_sets) (other than NS and SOA) whose type and set
    identifier are not among I(record_sets) are deleted; record sets at other names are never touched. This is what
    changing the routing of a name needs (a simple record replaced by failover records, or a CNAME by an alias A
    record), which M(amazon.aws.route53) can only do one record set per call.
  - M(amazon.aws.route53) also reads C(region), which C(module_defaults) of the AWS action groups usually set, as
    the latency record's region and then refuses failover and weighted records; this module has no such option.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  hosted_zone_id:
    description: Id of the hosted zone (with or without C(/hostedzone/)).
    required: true
    type: str
  record_sets:
    description:
      - The record sets, each as ChangeResourceRecordSets' C(ResourceRecordSet) (C(Name), C(Type), C(TTL),
        C(ResourceRecords), C(AliasTarget), C(SetIdentifier), C(Failover), C(Weight), C(Region), C(HealthCheckId)).
    required: true
    type: list
    elements: dict
  purge:
    description: Delete the other record sets at the names of I(record_sets) (never NS or SOA).
    default: true
    type: bool
  comment:
    description: Comment of the change batch.
    default: hybridcloud.aws.route53_record_sets
    type: str
notes:
  - Supports C(check_mode) and C(diff).
  - Does not wait for the change to reach every Route 53 name server (C(INSYNC)); it returns the change's status.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Failover records of an internal name
  hybridcloud.aws.route53_record_sets:
    hosted_zone_id: Z0123456789ABCDEFGHIJ
    record_sets:
      - Name: orders.internal.example.com.
        Type: CNAME
        TTL: 60
        SetIdentifier: orders-us-east-1
        Failover: PRIMARY
        HealthCheckId: 0e1c8a5f-4b1d-4a8e-9d53-2b39e4a5c6f1
        ResourceRecords:
          - Value: internal-hybridcloud-1.us-east-1.elb.amazonaws.com
      - Name: orders.internal.example.com.
        Type: CNAME
        TTL: 60
        SetIdentifier: orders-us-west-2
        Failover: SECONDARY
        ResourceRecords:
          - Value: internal-hybridcloud-2.us-west-2.elb.amazonaws.com
"""

RETURN = r"""
changes:
  description: The changes sent (in check mode, that would be sent), as ChangeResourceRecordSets' Changes.
  returned: always
  type: list
  elements: dict
  sample: [{"Action": "UPSERT", "ResourceRecordSet": {"Name": "orders.internal.example.com.", "Type": "CNAME"}}]
change_info:
  description: ChangeResourceRecordSets' ChangeInfo (Id, Status, SubmittedAt); empty when nothing was sent.
  returned: always
  type: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils import route53_health
from ansible_collections.hybridcloud.aws.plugins.module_utils.internal_dns import record_set_changes
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53_health import AnsibleRoute53HealthError


def _diff_view(record_sets):
    return {"{0} {1} {2}".format(r["Name"], r["Type"], r.get("SetIdentifier", "")).strip(): r for r in record_sets}


def main():
    argument_spec = dict(
        hosted_zone_id=dict(type="str", required=True),
        record_sets=dict(type="list", elements="dict", required=True),
        purge=dict(type="bool", default=True),
        comment=dict(type="str", default="hybridcloud.aws.route53_record_sets"),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    zone_id = module.params["hosted_zone_id"].split("/")[-1]
    wanted = module.params["record_sets"]
    for index, record_set in enumerate(wanted):
        missing = [key for key in ("Name", "Type") if not record_set.get(key)]
        if missing:
            module.fail_json(msg=f"record_sets[{index}] lacks {', '.join(missing)}")
    client = module.client("route53", retry_decorator=route53_health.retry)

    change_info = {}
    try:
        current = route53_health.list_record_sets(client, zone_id)
        changes = record_set_changes(current, wanted, module.params["purge"])
        if changes and not module.check_mode:
            change_info = route53_health.change_record_sets(client, zone_id, changes, module.params["comment"])
    except AnsibleRoute53HealthError as e:
        module.fail_json_aws_error(e)

    names = {change["ResourceRecordSet"]["Name"].rstrip(".").lower() for change in changes}
    before = [r for r in current if r["Name"].rstrip(".").lower() in names]
    deleted = {id(change["ResourceRecordSet"]) for change in changes if change["Action"] == "DELETE"}
    upserted = [change["ResourceRecordSet"] for change in changes if change["Action"] == "UPSERT"]
    after = _diff_view([r for r in before if id(r) not in deleted])
    after.update(_diff_view(upserted))
    module.exit_json(
        changed=bool(changes), changes=changes, change_info={k: str(v) for k, v in change_info.items()}, diff={"before": _diff_view(before), "after": after}
    )


if __name__ == "__main__":
    main()
