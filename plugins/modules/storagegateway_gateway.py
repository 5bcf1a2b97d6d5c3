#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: storagegateway_gateway
version_added: 0.1.0
short_description: Activate, update and delete an AWS Storage Gateway S3 File Gateway
description:
  - Activates an S3 File Gateway (gateway type C(FILE_S3)) from an activation key, updates its name, time zone,
    CloudWatch log group and tags, and deletes it.
  - The activation key is either given as I(activation_key) or fetched from the gateway appliance at
    I(gateway_address) the way the AWS console does it, by an HTTP request to the appliance that answers with a
    redirect carrying the key. The redirect is never followed. The controller must reach the appliance on port 80.
  - A gateway is identified by I(gateway_name), or by I(gateway_arn) when given (which allows renaming it).
    When a gateway with that name already exists, nothing is activated and no key is fetched, so the task can run
    again after the appliance stopped offering keys.
  - A file gateway serves data from its cache, which needs at least one local disk of the appliance allocated as
    cache. I(cache_disk_ids) or I(allocate_cache=auto) allocate it (ListLocalDisks, AddCache) once the gateway is
    activated and running; AWS has no call to give a cache disk back, so disks are only ever added.
  - Upstream M(community.aws.storagegateway_info) only reads gateways; no upstream module activates or changes one,
    hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  gateway_name:
    description:
      - Name of the gateway (2 to 255 characters, no C(/) or C(\)).
      - Identifies the gateway unless I(gateway_arn) is given; then it is the name the gateway should have.
      - Required to activate a gateway.
    type: str
    aliases: [name]
  gateway_arn:
    description:
      - ARN of an existing gateway, to manage it whatever its current name.
    type: str
  state:
    description:
      - Whether the gateway should exist. C(absent) deletes the gateway from AWS, not the appliance.
    choices: [present, absent]
    default: present
    type: str
  activation_key:
    description:
      - Activation key of the appliance, used only when the gateway does not exist yet.
      - Mutually exclusive with I(gateway_address).
    type: str
  gateway_address:
    description:
      - IP address or host name of the appliance, optionally with C(:port), to fetch the activation key from
        (C(http://ADDRESS/?activationRegion=REGION)). Used only when the gateway does not exist yet.
      - Mutually exclusive with I(activation_key).
    type: str
  activation_timeout:
    description:
      - Seconds to wait for the appliance to answer the activation key request.
    type: int
    default: 30
  gateway_timezone:
    description:
      - Time zone of the gateway, as C(GMT), C(GMT-5:00) or C(GMT+5:30) (hours 1 to 14, minutes 00, 30 or 45).
      - Used as C(GMT) when a gateway is activated without it; left as it is on an existing gateway when not given.
    type: str
  gateway_region:
    description:
      - Region the gateway is activated in and managed from. Defaults to the module's I(region).
      - The module talks to Storage Gateway in this region, as AWS accepts only the region of the endpoint as the
        gateway region.
    type: str
  cloudwatch_log_group_arn:
    description:
      - ARN of the CloudWatch log group the gateway sends its health logs to; an empty string removes it.
      - Left as it is when not given.
    type: str
  cache_disk_ids:
    description:
      - Local disks of the appliance to allocate as cache, by C(DiskId), C(DiskPath) or C(DiskNode) as ListLocalDisks
        reports them. Disks already in the cache are left alone; a disk that is allocated to something else fails.
      - Mutually exclusive with I(allocate_cache).
    type: list
    elements: str
  allocate_cache:
    description:
      - C(auto) allocates every local disk that ListLocalDisks reports as C(AVAILABLE), when the gateway has no cache
        yet. A gateway that has a cache is left as it is.
      - Mutually exclusive with I(cache_disk_ids).
    choices: [auto]
    type: str
  wait:
    description:
      - Wait until the gateway is connected and its state is C(RUNNING).
      - A gateway activated by this task is always waited for when a cache is to be allocated.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait when I(wait=true).
    type: int
    default: 300
notes:
  - Supports C(check_mode) (no key is fetched, nothing is activated) and C(diff).
  - Gateway names are not unique in AWS; when several gateways share I(gateway_name) the module fails and asks for I(gateway_arn).
  - The module manages S3 File Gateways only; it refuses to change or delete a gateway of another type.
  - ActivateGateway has no client token and its activation key works once, so the module never lets botocore or
    AWSRetry repeat it; only a throttled (refused) activation is retried. After a failure that may have activated the
    gateway (a 5xx, a lost answer), the module looks the gateway up by I(gateway_name) and carries on with it.
attributes:
  check_mode:
    support: full
    details:
      - Fetches no activation key and activates nothing; a gateway still to be activated has no ARN.
  diff_mode:
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Activate the on-prem file gateway, fetching the key from the appliance
  hybridcloud.aws.storagegateway_gateway:
    gateway_name: dc1-file-gateway
    gateway_address: 10.20.0.15
    gateway_timezone: GMT+1:00
    cloudwatch_log_group_arn: arn:aws:logs:eu-west-1:123456789012:log-group:/storagegateway/dc1
    tags:
      site: dc1
    wait: true
  register: file_gateway

- name: Activate a gateway and give it every free disk of the appliance as cache
  hybridcloud.aws.storagegateway_gateway:
    gateway_name: dc3-file-gateway
    gateway_address: 10.30.0.15
    allocate_cache: auto

- name: Allocate one chosen disk as cache
  hybridcloud.aws.storagegateway_gateway:
    gateway_name: dc3-file-gateway
    cache_disk_ids:
      - pci-0000:03:00.0-scsi-0:0:0:0

- name: Activate with a key obtained elsewhere
  hybridcloud.aws.storagegateway_gateway:
    gateway_name: dc2-file-gateway
    activation_key: "{{ dc2_activation_key }}"

- name: Rename a gateway
  hybridcloud.aws.storagegateway_gateway:
    gateway_arn: "{{ file_gateway.gateway_arn }}"
    gateway_name: dc1-file-gateway-primary

- name: Delete the gateway from AWS
  hybridcloud.aws.storagegateway_gateway:
    gateway_name: dc2-file-gateway
    state: absent
"""

RETURN = r"""
gateway_arn:
  description: ARN of the gateway; null in check mode before it is activated.
  returned: when state=present
  type: str
  sample: arn:aws:storagegateway:eu-west-1:123456789012:gateway/sgw-12A3456B
gateway_id:
  description: Identifier of the gateway.
  returned: when state=present
  type: str
  sample: sgw-12A3456B
gateway_name:
  description: Name of the gateway.
  returned: when state=present
  type: str
  sample: dc1-file-gateway
gateway_type:
  description: Type of the gateway.
  returned: when state=present
  type: str
  sample: FILE_S3
gateway_state:
  description: State of the gateway, C(RUNNING) or C(SHUTDOWN); null in check mode before it is activated.
  returned: when state=present
  type: str
  sample: RUNNING
gateway_timezone:
  description: Time zone of the gateway.
  returned: when state=present
  type: str
  sample: GMT+1:00
gateway_network_interfaces:
  description: Network interfaces of the gateway, with the addresses NFS clients mount from.
  returned: when state=present
  type: list
  elements: dict
  contains:
    ipv4_address:
      description: IPv4 address of the interface.
      type: str
      sample: 10.20.0.15
    ipv6_address:
      description: IPv6 address of the interface.
      type: str
    mac_address:
      description: MAC address of the interface.
      type: str
cloudwatch_log_group_arn:
  description: ARN of the CloudWatch log group of the gateway, or null.
  returned: when state=present
  type: str
tags:
  description: Tags of the gateway.
  returned: when state=present
  type: dict
  sample: {"site": "dc1"}
cache_disk_ids:
  description:
    - The disks allocated as cache, as DescribeCache reports them (in check mode, as they would be; unknown disks of a
      gateway that is not activated yet are left out).
  returned: when state=present and cache_disk_ids or allocate_cache is given
  type: list
  elements: str
  sample: ["pci-0000:03:00.0-scsi-0:0:0:0"]
waited:
  description:
    - What the module's waits saw, one entry per wait in the order they ran
      (polling every 5 seconds).
    - Each poll is also written, as it happens, to the log of the host that runs the module (syslog or the journal),
      one line per poll that names what it waits for, the poll's number, the seconds since the wait began and the
      state it saw.
  returned: when the module waited, also when it failed
  type: list
  elements: dict
  contains:
    what:
      description: What the module waited for.
      type: str
      sample: gateway arn:aws:storagegateway:eu-west-1:123456789012:gateway/sgw-12A3456B to be RUNNING
    seconds:
      description: Seconds from the start of the wait to its last poll.
      type: float
      sample: 15.0
    polls:
      description: How many times the module read the resource.
      type: int
      sample: 4
    states:
      description: What the polls saw, in order; consecutive polls that saw the same state are one entry.
      type: list
      elements: dict
      contains:
        state:
          description: State of the gateway, C(not connected) while it does not answer.
          type: str
        seconds:
          description: Seconds from the start of the wait to the first poll of this entry.
          type: float
        polls:
          description: How many consecutive polls saw this state.
          type: int
      sample: [{state: not connected, seconds: 0.0, polls: 3}, {state: RUNNING, seconds: 15.0, polls: 1}]
"""

import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.create_once import single_attempt_client
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import AnsibleStorageGatewayError
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import activate_gateway
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import add_cache
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import cache_disks_to_add
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import delete_gateway
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import describe_cache_disk_ids
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import describe_gateway
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import ensure_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import fetch_activation_key
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import find_gateways_by_name
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import list_local_disks
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import tags_of
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import update_gateway_information
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import wait_for_gateway_running
from ansible_collections.hybridcloud.aws.plugins.module_utils.waiting import Waits

GATEWAY_TYPE = "FILE_S3"
TIMEZONE = re.compile(r"^GMT(?:[+-](?:[1-9]|1[0-4]):(?:00|30|45))?$")
# Option name -> UpdateGatewayInformation / DescribeGatewayInformation field.
UPDATABLE = {"gateway_name": "GatewayName", "gateway_timezone": "GatewayTimezone", "cloudwatch_log_group_arn": "CloudWatchLogGroupARN"}


def validate(module):
    params = module.params
    name = params["gateway_name"]
    if not name and not params["gateway_arn"]:
        module.fail_json(msg="give gateway_name or gateway_arn")
    if name is not None and (not 2 <= len(name) <= 255 or "/" in name or "\\" in name or not name.strip()):
        module.fail_json(msg="gateway_name must be 2 to 255 characters long, not blank, without '/' or '\\'")
    timezone = params["gateway_timezone"]
    if timezone is not None and not TIMEZONE.match(timezone):
        module.fail_json(msg=f"gateway_timezone must look like GMT, GMT-5:00 or GMT+5:30 (hours 1-14, minutes 00/30/45), got {timezone!r}")
    if params["wait_timeout"] < 0 or params["activation_timeout"] <= 0:
        module.fail_json(msg="wait_timeout must not be negative and activation_timeout must be positive")
    if any(not disk_id or not disk_id.strip() for disk_id in params["cache_disk_ids"] or []):
        module.fail_json(msg="cache_disk_ids must not contain empty disk ids")


def wants_cache(params):
    return params["cache_disk_ids"] is not None or params["allocate_cache"] == "auto"


def find_gateway(module, client):
    """The DescribeGatewayInformation answer of the managed gateway, or None."""
    params = module.params
    if params["gateway_arn"]:
        return describe_gateway(client, params["gateway_arn"])
    found = find_gateways_by_name(client, params["gateway_name"])
    if len(found) > 1:
        arns = ", ".join(gateway["GatewayARN"] for gateway in found)
        module.fail_json(msg=f"{len(found)} gateways are called {params['gateway_name']} ({arns}); give gateway_arn to pick one")
    return describe_gateway(client, found[0]["GatewayARN"]) if found else None


def summary(gateway):
    """The part of a gateway the module manages, for the diff."""
    if not gateway:
        return {}
    view = {option: gateway.get(field) for option, field in UPDATABLE.items()}
    view["tags"] = tags_of(gateway)
    return view


RESULT_FIELDS = {
    "gateway_arn": "GatewayARN",
    "gateway_id": "GatewayId",
    "gateway_name": "GatewayName",
    "gateway_type": "GatewayType",
    "gateway_state": "GatewayState",
    "gateway_timezone": "GatewayTimezone",
    "cloudwatch_log_group_arn": "CloudWatchLogGroupARN",
}


def result_of(gateway):
    result = {key: gateway.get(field) or None for key, field in RESULT_FIELDS.items()}
    result["gateway_network_interfaces"] = [camel_dict_to_snake_dict(interface) for interface in gateway.get("GatewayNetworkInterfaces") or []]
    result["tags"] = tags_of(gateway)
    return result


def activate(module, client, waits):
    """Activate a new gateway (or, in check mode, describe the one that would be); returns its description."""
    params = module.params
    if not params["gateway_name"]:
        module.fail_json(msg=f"gateway {params['gateway_arn']} does not exist; give gateway_name without gateway_arn to activate a new one")
    if not params["activation_key"] and not params["gateway_address"]:
        module.fail_json(msg=f"gateway {params['gateway_name']} does not exist; give activation_key or gateway_address to activate it")
    timezone = params["gateway_timezone"] or "GMT"
    if module.check_mode:
        return {"GatewayName": params["gateway_name"], "GatewayType": GATEWAY_TYPE, "GatewayTimezone": timezone}
    region = params["gateway_region"] or module.region
    key = params["activation_key"] or fetch_activation_key(params["gateway_address"], region, params["activation_timeout"])
    arn = activate_gateway(
        client,
        activation_key=key,
        gateway_name=params["gateway_name"],
        gateway_timezone=timezone,
        gateway_region=region,
        gateway_type=GATEWAY_TYPE,
        tags=params["tags"],
        create_client=single_attempt_client(module, "storagegateway", **({"region": params["gateway_region"]} if params["gateway_region"] else {})),
    )
    # ListLocalDisks and AddCache need a connected gateway, which a freshly activated one may not be yet.
    if params["wait"] or wants_cache(params):
        wait_for_gateway_running(client, arn, params["wait_timeout"], progress=waits)
    return describe_gateway(client, arn)


def ensure_cache(module, client, gateway):
    """Allocate the wanted cache disks; returns the cache disk ids (before, after)."""
    params = module.params
    arn = gateway.get("GatewayARN")
    if arn is None:  # check mode, the gateway is not activated yet: its disks are unknown
        return [], list(params["cache_disk_ids"] or [])
    before = describe_cache_disk_ids(client, arn)
    to_add = cache_disks_to_add(list_local_disks(client, arn), before, params["cache_disk_ids"])
    if not to_add:
        return before, before
    if module.check_mode:
        return before, before + to_add
    add_cache(client, arn, to_add)
    # Read back: the gateway may relabel the disks it allocated.
    return before, describe_cache_disk_ids(client, arn)


def converge(module, client, gateway):
    """Bring an existing gateway's name, time zone, log group and tags to the wanted values; returns whether it changed."""
    params = module.params
    # An absent log group reads as None and is removed with "": both mean "none".
    changes = {field: params[option] for option, field in UPDATABLE.items() if params[option] is not None and params[option] != (gateway.get(field) or "")}
    arn = gateway.get("GatewayARN")
    if changes and not module.check_mode:
        update_gateway_information(client, arn, changes)
    gateway.update(changes)
    tags_changed, tags = ensure_tags(client, arn, tags_of(gateway), params["tags"], purge_tags=params["purge_tags"], check_mode=module.check_mode)
    if tags_changed:
        gateway["Tags"] = [{"Key": key, "Value": value} for key, value in tags.items()]
    return bool(changes) or tags_changed


def main():
    argument_spec = dict(
        gateway_name=dict(type="str", aliases=["name"]),
        gateway_arn=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        activation_key=dict(type="str", no_log=True),
        gateway_address=dict(type="str"),
        activation_timeout=dict(type="int", default=30),
        gateway_timezone=dict(type="str"),
        gateway_region=dict(type="str"),
        cloudwatch_log_group_arn=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        cache_disk_ids=dict(type="list", elements="str"),
        allocate_cache=dict(type="str", choices=["auto"]),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=300),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_one_of=[["gateway_name", "gateway_arn"]],
        mutually_exclusive=[["activation_key", "gateway_address"], ["cache_disk_ids", "allocate_cache"]],
    )
    validate(module)
    params = module.params
    # ActivateGateway accepts only the region of the endpoint it is sent to as GatewayRegion.
    client = module.client("storagegateway", region=params["gateway_region"]) if params["gateway_region"] else module.client("storagegateway")
    waits = Waits(module.log)

    try:
        gateway = find_gateway(module, client)
        if gateway and gateway.get("GatewayType") != GATEWAY_TYPE:
            module.fail_json(msg=f"gateway {gateway['GatewayARN']} is a {gateway.get('GatewayType')} gateway; this module manages {GATEWAY_TYPE} gateways only")
        before = summary(gateway)

        if params["state"] == "absent":
            if gateway and not module.check_mode:
                delete_gateway(client, gateway["GatewayARN"])
            module.exit_json(changed=bool(gateway), diff={"before": before, "after": {}})

        activated = gateway is None
        if activated:
            gateway = activate(module, client, waits)
        gateway_changed = converge(module, client, gateway) or activated
        wait_for_running = params["wait"] and not activated and not module.check_mode
        if wait_for_running:
            wait_for_gateway_running(client, gateway["GatewayARN"], params["wait_timeout"], progress=waits)
        cache, cache_changed = {}, False
        if wants_cache(params):
            cache_before, cache["cache_disk_ids"] = ensure_cache(module, client, gateway)
            cache_changed = cache_before != cache["cache_disk_ids"]
            before = dict(before, cache_disk_ids=cache_before) if before else before
        changed = gateway_changed or cache_changed
        if (wait_for_running or gateway_changed) and not module.check_mode:
            gateway = describe_gateway(client, gateway["GatewayARN"])
    except AnsibleStorageGatewayError as e:
        waits.fail(module, e)

    module.exit_json(changed=changed, diff={"before": before, "after": dict(summary(gateway), **cache)}, **result_of(gateway), **cache, **waits.returned())


if __name__ == "__main__":
    main()
