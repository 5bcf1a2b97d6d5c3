#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ec2_vpc_flow_log
version_added: 0.2.0
short_description: Manage one flow log of a VPC, subnet or network interface
description:
  - Creates, re-creates and deletes one flow log of a resource (by default a VPC), delivering to a CloudWatch Logs
    log group or an S3 bucket.
  - The flow log is identified by I(resource_id) and its C(Name) tag when I(name) is given, otherwise by
    I(resource_id) and its destination (I(log_group_name) or I(log_destination)).
  - AWS cannot modify a flow log's settings in place; only its tags can change. When a setting differs (traffic type,
    destination, delivery role, aggregation interval, log format), the module deletes the flow log and creates it
    again with the wanted settings, and returns C(recreated=true). Records of the interval between the two calls
    are not captured.
  - Neither C(amazon.aws) nor C(community.aws) has a flow log module, hence this one.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  resource_id:
    description:
      - Id of the resource whose traffic is logged (C(vpc-...), C(subnet-...) or C(eni-...)).
    required: true
    type: str
  resource_type:
    description:
      - Type of I(resource_id).
    choices: [VPC, Subnet, NetworkInterface]
    default: VPC
    type: str
  name:
    description:
      - Value of the flow log's C(Name) tag, which identifies it among the resource's flow logs.
      - Without it, the flow log is the one of the resource that delivers to I(log_group_name) or I(log_destination).
    type: str
  state:
    description:
      - Whether the flow log should exist.
    choices: [present, absent]
    default: present
    type: str
  traffic_type:
    description:
      - Which traffic to log.
    choices: [ALL, ACCEPT, REJECT]
    default: ALL
    type: str
  log_destination_type:
    description:
      - Where the flow log delivers its records.
    choices: [cloud-watch-logs, s3]
    default: cloud-watch-logs
    type: str
  log_group_name:
    description:
      - Name of the CloudWatch Logs log group (I(log_destination_type=cloud-watch-logs) only).
      - With I(log_destination_type=cloud-watch-logs), give this or I(log_destination).
    type: str
  log_destination:
    description:
      - ARN of the destination, for C(s3) the bucket (C(arn:aws:s3:::bucket) or C(arn:aws:s3:::bucket/prefix/)),
        for C(cloud-watch-logs) the log group.
      - Required with I(log_destination_type=s3).
    type: str
  deliver_logs_permission_arn:
    description:
      - ARN of the IAM role that the flow log service (C(vpc-flow-logs.amazonaws.com)) assumes to write to the log
        group. Required with I(log_destination_type=cloud-watch-logs) and I(state=present); not allowed with C(s3).
    type: str
  max_aggregation_interval:
    description:
      - Seconds during which a flow is captured into one record.
    choices: [60, 600]
    default: 600
    type: int
  log_format:
    description:
      - Fields of a record, as AWS's C(${field}) format string. When not set, AWS's default format is used and an
        existing flow log's format is not compared.
    type: str
  tags:
    description:
      - Tags of the flow log. With I(name), the C(Name) tag is always I(name).
      - Not set leaves the tags of an existing flow log alone.
    type: dict
    aliases: [resource_tags]
  purge_tags:
    description:
      - Remove tags that are not in I(tags).
    default: true
    type: bool
notes:
  - Supports C(check_mode) and C(diff).
  - When more than one of the resource's flow logs matches (same C(Name) tag, or same destination), the module fails
    and names them instead of choosing one; with I(state=absent) it deletes all of them.
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
- name: Log every flow of the VPC to a CloudWatch Logs group
  hybridcloud.aws.ec2_vpc_flow_log:
    resource_id: vpc-0123456789abcdef0
    name: hybridcloud
    log_group_name: /hybridcloud/vpc-flow-logs
    deliver_logs_permission_arn: arn:aws:iam::123456789012:role/hybridcloud-vpc-flow-logs
    tags:
      Project: hybridcloud

- name: Log rejected flows of the VPC to an S3 bucket, one record per minute
  hybridcloud.aws.ec2_vpc_flow_log:
    resource_id: vpc-0123456789abcdef0
    log_destination_type: s3
    log_destination: arn:aws:s3:::acme-flow-logs/hybridcloud/
    traffic_type: REJECT
    max_aggregation_interval: 60

- name: Remove the flow log named hybridcloud
  hybridcloud.aws.ec2_vpc_flow_log:
    resource_id: vpc-0123456789abcdef0
    name: hybridcloud
    state: absent
"""

RETURN = r"""
flow_log:
  description:
    - The flow log after the change; empty when it does not exist. In check mode, a flow log that would be created
      has no I(flow_log_id) nor status yet.
  returned: always
  type: dict
  contains:
    flow_log_id:
      description: Id of the flow log.
      type: str
      sample: fl-0123456789abcdef0
    resource_id:
      description: Id of the logged resource.
      type: str
      sample: vpc-0123456789abcdef0
    traffic_type:
      description: Which traffic is logged.
      type: str
      sample: ALL
    log_destination_type:
      description: C(cloud-watch-logs) or C(s3).
      type: str
      sample: cloud-watch-logs
    log_group_name:
      description: Log group of a C(cloud-watch-logs) flow log.
      type: str
      sample: /hybridcloud/vpc-flow-logs
    log_destination:
      description: ARN of the destination.
      type: str
      sample: arn:aws:logs:eu-west-1:123456789012:log-group:/hybridcloud/vpc-flow-logs
    deliver_logs_permission_arn:
      description: Role the flow log service assumes to deliver to CloudWatch Logs.
      type: str
      sample: arn:aws:iam::123456789012:role/hybridcloud-vpc-flow-logs
    max_aggregation_interval:
      description: Seconds aggregated into one record.
      type: int
      sample: 600
    log_format:
      description: Fields of a record.
      type: str
      sample: "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end}"
    flow_log_status:
      description: C(ACTIVE) once AWS logs the traffic.
      type: str
      sample: ACTIVE
    deliver_logs_status:
      description: C(SUCCESS), or C(FAILED) when AWS cannot deliver (for example the role may not write to the log group).
      type: str
      sample: SUCCESS
    deliver_logs_error_message:
      description: Why delivery fails, when it does.
      type: str
      sample: null
    tags:
      description: Tags of the flow log.
      type: dict
      sample: {"Name": "hybridcloud", "Project": "hybridcloud"}
recreated:
  description: Whether a flow log with other settings was deleted and created again (AWS cannot modify one in place).
  returned: always
  type: bool
  sample: false
"""

import uuid

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import SETTINGS
from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import AnsibleFlowLogError
from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import create_flow_log
from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import create_request
from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import delete_flow_log
from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import describe_flow_log
from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import describe_flow_logs
from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import flow_log_view
from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import identified
from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import setting_differences
from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import tag_flow_log
from ansible_collections.hybridcloud.aws.plugins.module_utils.flow_logs import untag_flow_log
from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import planned_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import sync_tags


def validate(module):
    params = module.params
    cloudwatch = params["log_destination_type"] == "cloud-watch-logs"
    if not cloudwatch and params["log_group_name"]:
        module.fail_json(msg="log_group_name is for log_destination_type=cloud-watch-logs; give the bucket ARN as log_destination")
    if not cloudwatch and params["deliver_logs_permission_arn"]:
        module.fail_json(msg="deliver_logs_permission_arn is for log_destination_type=cloud-watch-logs; S3 delivery uses the bucket policy")
    if params["state"] == "present":
        if cloudwatch and not (params["log_group_name"] or params["log_destination"]):
            module.fail_json(msg="log_destination_type=cloud-watch-logs needs log_group_name or log_destination")
        if cloudwatch and not params["deliver_logs_permission_arn"]:
            module.fail_json(msg="log_destination_type=cloud-watch-logs needs deliver_logs_permission_arn (the delivery role)")
        if not cloudwatch and not params["log_destination"]:
            module.fail_json(msg="log_destination_type=s3 needs log_destination (the bucket ARN)")
    elif not (params["name"] or params["log_group_name"] or params["log_destination"]):
        module.fail_json(msg="state=absent needs name, log_group_name or log_destination to identify the flow log")


def wanted_tags(params):
    """The tags to bring the flow log to (None: leave them alone); Name is always the name when one is given."""
    if params["tags"] is None:
        return {"Name": params["name"]} if params["name"] else None
    tags = dict(params["tags"])
    if params["name"]:
        tags["Name"] = params["name"]
    return tags


def compared(view):
    """What the diff shows of a flow log: its settings and tags."""
    if not view:
        return {}
    return {key: view.get(key) for key in [*SETTINGS, "tags"]}


def ensure_absent(module, client, matches):
    for view in matches if not module.check_mode else []:
        delete_flow_log(client, view["flow_log_id"])
    return bool(matches), None


def ensure_present(module, client, current, wanted):
    """(changed, recreated, the flow log view after the change)."""
    params = module.params
    tags = wanted_tags(params)
    # Without tags, only the Name tag is ensured: the other tags are left alone (kept on a re-created flow log).
    purge = params["purge_tags"] if params["tags"] is not None else False
    if current and not setting_differences(current, wanted):
        changed, after_tags = sync_tags(
            current["tags"],
            tags,
            purge,
            tag=lambda to_set: tag_flow_log(client, current["flow_log_id"], to_set),
            untag=lambda keys: untag_flow_log(client, current["flow_log_id"], keys),
            check_mode=module.check_mode,
        )
        if changed and not module.check_mode:
            return True, False, flow_log_view(describe_flow_log(client, current["flow_log_id"]))
        return changed, False, dict(current, tags=after_tags)

    # New, or settings AWS cannot change in place: (delete and) create. Tags go with the creation; a re-created flow
    # log keeps the old one's tags unless tags are given.
    create_tags = planned_tags(current["tags"] if current else {}, tags, purge)[2]
    if module.check_mode:
        planned = {option: wanted.get(option) if wanted.get(option) is not None else (current or {}).get(option) for option in SETTINGS}
        if current and params["log_format"] is None:
            planned["log_format"] = None
        return True, bool(current), dict(planned, flow_log_id=None, flow_log_status=None, tags=create_tags)
    if current:
        delete_flow_log(client, current["flow_log_id"])
    flow_log_id = create_flow_log(client, create_request(wanted, params["resource_type"], create_tags, str(uuid.uuid4())))
    return True, bool(current), flow_log_view(describe_flow_log(client, flow_log_id))


def main():
    argument_spec = dict(
        resource_id=dict(type="str", required=True),
        resource_type=dict(type="str", default="VPC", choices=["VPC", "Subnet", "NetworkInterface"]),
        name=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        traffic_type=dict(type="str", default="ALL", choices=["ALL", "ACCEPT", "REJECT"]),
        log_destination_type=dict(type="str", default="cloud-watch-logs", choices=["cloud-watch-logs", "s3"]),
        log_group_name=dict(type="str"),
        log_destination=dict(type="str"),
        deliver_logs_permission_arn=dict(type="str"),
        max_aggregation_interval=dict(type="int", default=600, choices=[60, 600]),
        log_format=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)

    params = module.params
    wanted = {option: params[option] for option in SETTINGS}
    client = module.client("ec2")

    try:
        matches = identified(describe_flow_logs(client, params["resource_id"]), wanted, params["name"])
        if params["state"] == "absent":
            before = matches[0] if matches else None
            changed, after = ensure_absent(module, client, matches)
            recreated = False
        else:
            if len(matches) > 1:
                module.fail_json(
                    msg="{0} flow logs of {1} match ({2}); delete the extra ones or give each a distinct name".format(
                        len(matches), params["resource_id"], ", ".join(view["flow_log_id"] for view in matches)
                    )
                )
            before = matches[0] if matches else None
            changed, recreated, after = ensure_present(module, client, before, wanted)
    except AnsibleFlowLogError as e:
        module.fail_json_aws_error(e)

    module.exit_json(
        changed=changed,
        recreated=recreated,
        flow_log=after or {},
        diff={"before": compared(before), "after": compared(after)},
    )


if __name__ == "__main__":
    main()
