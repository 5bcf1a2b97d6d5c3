#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: route53resolver_endpoint
version_added: 0.1.0
short_description: Manage Route 53 Resolver inbound and outbound endpoints
description:
  - Creates, updates and deletes a Route 53 Resolver endpoint, identified by its I(name).
  - An B(inbound) endpoint gives networks outside the VPC (on premises, over Direct Connect or VPN) IP addresses
    in the VPC to which their DNS servers forward queries, so they resolve private hosted zones and the private
    DNS names of interface VPC endpoints. An B(outbound) endpoint lets Resolver rules forward queries from the VPC
    to DNS servers elsewhere.
  - The endpoint is created with a C(CreatorRequestId) derived from I(name), so a retried creation never makes a
    second endpoint, and an endpoint that was renamed outside Ansible is found again and given back its name.
  - Updates in place what AWS allows to change, the name and I(protocols) (through C(UpdateResolverEndpoint)) and
    the set of IP addresses (one C(AssociateResolverEndpointIpAddress) or C(DisassociateResolverEndpointIpAddress)
    call per address, additions first so that the endpoint never drops below two addresses). The direction and
    the security groups of an existing endpoint cannot be changed; the module fails and names the endpoint instead.
  - Neither amazon.aws nor community.aws has a module for Route 53 Resolver endpoints, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  name:
    description:
      - Name of the endpoint (at most 64 letters, digits, spaces, C(-), C(_) and C('), not only digits).
      - Endpoint names are not unique in AWS; the module fails when more than one endpoint carries this name.
    required: true
    type: str
  state:
    description:
      - Whether the endpoint should exist.
      - With C(absent) only an endpoint carrying exactly this name is deleted.
    choices: [present, absent]
    default: present
    type: str
  direction:
    description:
      - C(inbound) for queries from outside the VPC into it, C(outbound) for queries from the VPC to other networks.
      - Required with I(state=present). Cannot change on an existing endpoint.
    choices: [inbound, outbound]
    type: str
  subnet_ids:
    description:
      - Subnets of one VPC in which the endpoint gets one IP address each, chosen by AWS.
      - At least two subnets, in at least two availability zones.
      - An address already serving one of these subnets is kept; addresses in other subnets, and second addresses
        in the same subnet, are removed.
      - Mutually exclusive with I(ip_addresses); one of them is required with I(state=present).
    type: list
    elements: str
  ip_addresses:
    description:
      - The exact IPv4 addresses of the endpoint, each in its subnet. At least two, in at least two availability zones.
      - Mutually exclusive with I(subnet_ids).
    type: list
    elements: dict
    suboptions:
      subnet_id:
        description: Subnet of the address.
        required: true
        type: str
      ip:
        description: IPv4 address in that subnet (not one of the five addresses AWS reserves in each subnet).
        required: true
        type: str
  security_group_ids:
    description:
      - Security groups of the endpoint's network interfaces (1 to 10). An inbound endpoint needs TCP and UDP 53
        open from the networks whose DNS servers forward to it.
      - Required with I(state=present). Cannot change on an existing endpoint.
    type: list
    elements: str
  protocols:
    description:
      - DNS protocols the endpoint serves. An inbound endpoint accepts C(Do53), C(DoH), C(DoH-FIPS), C(Do53) with
        C(DoH) or C(Do53) with C(DoH-FIPS); an outbound endpoint C(Do53), C(DoH) or both.
      - AWS does not switch an inbound endpoint from only C(Do53) straight to DNS over HTTPS alone; add C(DoH) next
        to C(Do53) first, move the clients, then remove C(Do53).
    type: list
    elements: str
    choices: [Do53, DoH, DoH-FIPS]
    default: [Do53]
  wait:
    description:
      - Wait until the endpoint is C(OPERATIONAL) after a change (or while it is still being created or updated),
        or gone after deletion.
      - Between two address changes the module always waits, because AWS changes one address at a time.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait. AWS usually needs a few minutes to create an endpoint.
    type: int
    default: 600
notes:
  - Supports C(check_mode) and C(diff).
  - Besides the Route 53 Resolver permissions, creating an endpoint or changing its addresses needs
    C(ec2:DescribeSubnets), which the module uses to check the availability zones of the subnets.
attributes:
  check_mode:
    support: full
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
- name: Inbound endpoint for the on-premises DNS servers, one address per private subnet
  hybridcloud.aws.route53resolver_endpoint:
    name: hybridcloud-inbound
    direction: inbound
    subnet_ids:
      - subnet-0a1b2c3d4e5f60001
      - subnet-0a1b2c3d4e5f60002
    security_group_ids:
      - sg-0123456789abcdef0
    tags:
      Project: hybridcloud
  register: resolver

- name: Forward the AWS zones from on premises to these addresses
  ansible.builtin.debug:
    msg: "{{ resolver.resolver_endpoint.ip_addresses | map(attribute='ip') | list }}"

- name: Fixed addresses that the on-premises forwarders are configured with
  hybridcloud.aws.route53resolver_endpoint:
    name: hybridcloud-inbound
    direction: inbound
    ip_addresses:
      - {subnet_id: subnet-0a1b2c3d4e5f60001, ip: 10.40.0.53}
      - {subnet_id: subnet-0a1b2c3d4e5f60002, ip: 10.40.16.53}
    security_group_ids: [sg-0123456789abcdef0]
    protocols: [Do53, DoH]

- name: Remove the endpoint
  hybridcloud.aws.route53resolver_endpoint:
    name: hybridcloud-inbound
    state: absent
"""

RETURN = r"""
resolver_endpoint:
  description:
    - The endpoint after the change; empty when it does not exist (I(state=absent)).
    - In check mode, the planned endpoint (addresses that AWS would choose are null).
  returned: always
  type: dict
  contains:
    id:
      description: Endpoint id.
      type: str
      sample: rslvr-in-0123456789abcdef0
    arn:
      description: Endpoint ARN.
      type: str
      sample: arn:aws:route53resolver:us-east-1:123456789012:resolver-endpoint/rslvr-in-0123456789abcdef0
    name:
      description: Endpoint name.
      type: str
      sample: hybridcloud-inbound
    creator_request_id:
      description: The stable creation token derived from the name.
      type: str
      sample: hybridcloud-aws-hybridcloud-inbound
    direction:
      description: C(INBOUND) or C(OUTBOUND).
      type: str
      sample: INBOUND
    host_vpc_id:
      description: VPC of the endpoint's subnets.
      type: str
      sample: vpc-0123456789abcdef0
    status:
      description: C(CREATING), C(OPERATIONAL), C(UPDATING), C(AUTO_RECOVERING), C(ACTION_NEEDED) or C(DELETING).
      type: str
      sample: OPERATIONAL
    security_group_ids:
      description: Security groups of the endpoint.
      type: list
      elements: str
      sample: [sg-0123456789abcdef0]
    protocols:
      description: DNS protocols served.
      type: list
      elements: str
      sample: [Do53]
    ip_address_count:
      description: Number of IP addresses.
      type: int
      sample: 2
    ip_addresses:
      description: The endpoint's IP addresses, ordered by subnet and address.
      type: list
      elements: dict
      contains:
        ip_id:
          description: Id of the address (its network interface in Resolver).
          type: str
          sample: rni-0123456789abcdef0
        subnet_id:
          description: Subnet of the address.
          type: str
          sample: subnet-0a1b2c3d4e5f60001
        ip:
          description: The IPv4 address.
          type: str
          sample: 10.40.0.53
        status:
          description: State of the address, C(ATTACHED) when it serves queries.
          type: str
          sample: ATTACHED
    tags:
      description: Tags of the endpoint.
      type: dict
      sample: {"Project": "hybridcloud"}
waited:
  description:
    - What the module's waits saw, one entry per wait in the order they ran
      (polling every 10 seconds).
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
      sample: Resolver endpoint rslvr-in-0123456789abcdef0 to be OPERATIONAL
    seconds:
      description: Seconds from the start of the wait to its last poll.
      type: float
      sample: 120.0
    polls:
      description: How many times the module read the resource.
      type: int
      sample: 13
    states:
      description: What the polls saw, in order; consecutive polls that saw the same state are one entry.
      type: list
      elements: dict
      contains:
        state:
          description: Status of the endpoint, C(deleted) once it is gone.
          type: str
        seconds:
          description: Seconds from the start of the wait to the first poll of this entry.
          type: float
        polls:
          description: How many consecutive polls saw this state.
          type: int
      sample: [{state: CREATING, seconds: 0.0, polls: 12}, {state: OPERATIONAL, seconds: 120.0, polls: 1}]
"""

import ipaddress
import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import SETTLED
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import associate_ip_address
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import create_endpoint
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import creator_request_id
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import delete_endpoint
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import disassociate_ip_address
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import get_endpoint
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import list_endpoints
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import list_ip_addresses
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import list_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import plan_ip_changes
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import subnet_zones
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import sync_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import update_endpoint
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import wait_for_deletion
from ansible_collections.hybridcloud.aws.plugins.module_utils.route53resolver import wait_for_endpoint
from ansible_collections.hybridcloud.aws.plugins.module_utils.waiting import Waits

NAME_PATTERN = re.compile(r"[a-zA-Z0-9\-_' ]+")
PROTOCOL_SETS = {
    "INBOUND": [{"Do53"}, {"DoH"}, {"DoH-FIPS"}, {"Do53", "DoH"}, {"Do53", "DoH-FIPS"}],
    "OUTBOUND": [{"Do53"}, {"DoH"}, {"Do53", "DoH"}],
}
MAX_SECURITY_GROUPS = 10
DEFAULT_PROTOCOLS = ["Do53"]


# ---------------------------------------------------------------- input


def validate(module):
    params = module.params
    name = params["name"]
    if len(name) > 64 or not NAME_PATTERN.fullmatch(name) or name.isdigit():
        module.fail_json(msg=f"name must be 1 to 64 letters, digits, spaces, '-', '_' or \"'\" and not only digits, got {name!r}")
    if params["state"] == "absent":
        return
    if params["subnet_ids"] is not None:
        repeated = sorted({subnet_id for subnet_id in params["subnet_ids"] if params["subnet_ids"].count(subnet_id) > 1})
        if repeated:
            module.fail_json(msg=f"subnet_ids gives each subnet one address; list each subnet once (repeated: {', '.join(repeated)})")
        if len(params["subnet_ids"]) < 2:
            module.fail_json(msg="subnet_ids needs at least two subnets in different availability zones (AWS requires two addresses)")
    if params["ip_addresses"] is not None:
        validate_ip_addresses(module, params["ip_addresses"])
    groups = params["security_group_ids"]
    if not 1 <= len(groups) <= MAX_SECURITY_GROUPS:
        module.fail_json(msg=f"security_group_ids needs 1 to {MAX_SECURITY_GROUPS} security groups, got {len(groups)}")
    protocols = set(params["protocols"])
    direction = params["direction"].upper()
    if len(protocols) != len(params["protocols"]) or protocols not in PROTOCOL_SETS[direction]:
        allowed = "; ".join(" + ".join(sorted(combination)) for combination in PROTOCOL_SETS[direction])
        module.fail_json(msg=f"protocols {params['protocols']} are not valid for an {direction.lower()} endpoint; use one of: {allowed}")


def validate_ip_addresses(module, ip_addresses):
    if len(ip_addresses) < 2:
        module.fail_json(msg="ip_addresses needs at least two addresses in different availability zones (AWS requires two)")
    seen = set()
    for entry in ip_addresses:
        try:
            address = ipaddress.IPv4Address(entry["ip"])
        except ValueError:
            module.fail_json(msg=f"ip_addresses: {entry['ip']!r} is not an IPv4 address")
        if address in seen:
            module.fail_json(msg=f"ip_addresses lists {address} more than once")
        seen.add(address)


def wanted_ip_shape(params):
    """(wanted_subnets, wanted_pairs): exactly one is not None."""
    if params["ip_addresses"] is not None:
        return None, [(entry["subnet_id"], str(ipaddress.IPv4Address(entry["ip"]))) for entry in params["ip_addresses"]]
    return list(params["subnet_ids"]), None


def check_zones(module, subnet_ids):
    """Fail unless every subnet exists and together they span two availability zones."""
    zones = subnet_zones(module.client("ec2"), sorted(set(subnet_ids)))
    missing = sorted(set(subnet_ids) - set(zones))
    if missing:
        module.fail_json(msg=f"These subnets do not exist: {', '.join(missing)}")
    if len(set(zones.values())) < 2:
        module.fail_json(
            msg=f"The endpoint's addresses must span at least two availability zones, so that losing one zone does not stop DNS; "
            f"the subnets {', '.join(sorted(zones))} are all in {', '.join(sorted(set(zones.values())))}"
        )


# ---------------------------------------------------------------- current state


def find_endpoint(module, client):
    """The endpoint named name; for state=present also the one created for this name and renamed since. None if neither."""
    name = module.params["name"]
    found = [endpoint for endpoint in list_endpoints(client, "Name", name) if endpoint["Status"] != "DELETING"]
    if len(found) > 1:
        ids = ", ".join(sorted(endpoint["Id"] for endpoint in found))
        module.fail_json(msg=f"{len(found)} Resolver endpoints are named {name} ({ids}); this module identifies endpoints by name, rename or delete the others")
    if found or module.params["state"] == "absent":
        return found[0] if found else None
    ours = [endpoint for endpoint in list_endpoints(client, "CreatorRequestId", creator_request_id(name)) if endpoint["Status"] != "DELETING"]
    return ours[0] if ours else None


def protocols_of(endpoint):
    return endpoint.get("Protocols") or DEFAULT_PROTOCOLS


def to_result(endpoint, ip_addresses, tags):
    if not endpoint:
        return {}
    result = camel_dict_to_snake_dict(endpoint)
    result["protocols"] = list(protocols_of(endpoint))
    ordered = sorted(ip_addresses, key=lambda address: (address.get("SubnetId") or "", address.get("Ip") or ""))
    result["ip_addresses"] = [camel_dict_to_snake_dict(address) for address in ordered]
    result["tags"] = tags
    return result


def diff_view(result):
    if not result:
        return {}
    keys = ("name", "direction", "security_group_ids", "protocols", "tags")
    view = {key: result.get(key) for key in keys}
    view["security_group_ids"] = sorted(view["security_group_ids"] or [])
    view["protocols"] = sorted(view["protocols"] or [])
    view["ip_addresses"] = [f"{address['subnet_id']} {address.get('ip') or '(assigned by AWS)'}" for address in result["ip_addresses"]]
    return view


# ---------------------------------------------------------------- changes


def ip_requests(wanted_subnets, wanted_pairs):
    if wanted_pairs is not None:
        return [{"SubnetId": subnet_id, "Ip": ip} for subnet_id, ip in wanted_pairs]
    return [{"SubnetId": subnet_id} for subnet_id in wanted_subnets]


def create(module, client, waits):
    params = module.params
    wanted_subnets, wanted_pairs = wanted_ip_shape(params)
    requests = ip_requests(wanted_subnets, wanted_pairs)
    check_zones(module, [request["SubnetId"] for request in requests])
    direction = params["direction"].upper()
    if module.check_mode:
        planned = {
            "Name": params["name"],
            "CreatorRequestId": creator_request_id(params["name"]),
            "Direction": direction,
            "SecurityGroupIds": params["security_group_ids"],
            "Protocols": params["protocols"],
            "IpAddressCount": len(requests),
        }
        return planned, [dict(request, Ip=request.get("Ip")) for request in requests], params["tags"] or {}
    spec = {"Direction": direction, "SecurityGroupIds": params["security_group_ids"], "IpAddresses": requests, "Protocols": params["protocols"]}
    endpoint = create_endpoint(client, params["name"], spec, params["tags"])
    return read_back(module, client, endpoint["Id"], waits)


def read_back(module, client, endpoint_id, waits):
    """The endpoint, its addresses and tags after a change (once it is OPERATIONAL when waiting)."""
    params = module.params
    endpoint = wait_for_endpoint(client, endpoint_id, params["wait_timeout"], progress=waits) if params["wait"] else get_endpoint(client, endpoint_id)
    return endpoint, list_ip_addresses(client, endpoint_id), list_tags(client, endpoint["Arn"])


def check_unchangeable(module, current):
    params = module.params
    if current["Direction"] != params["direction"].upper():
        module.fail_json(
            msg=f"Resolver endpoint {current['Id']} ({current['Name']}) is {current['Direction']}; AWS cannot change the direction "
            "of an endpoint. Delete it (state=absent) and create it again, or choose another name."
        )
    if sorted(current["SecurityGroupIds"]) != sorted(params["security_group_ids"]):
        module.fail_json(
            msg=f"Resolver endpoint {current['Id']} ({current['Name']}) uses security groups {', '.join(sorted(current['SecurityGroupIds']))}; "
            "AWS cannot change the security groups of an endpoint. Change the rules of those groups instead, or delete the endpoint "
            "and create it again."
        )


def endpoint_updates(module, current):
    """The UpdateResolverEndpoint parameters that differ (Name, Protocols)."""
    params = module.params
    updates = {}
    if current["Name"] != params["name"]:
        updates["Name"] = params["name"]
    now, wanted = set(protocols_of(current)), set(params["protocols"])
    if now != wanted:
        if current["Direction"] == "INBOUND" and now == {"Do53"} and "Do53" not in wanted:
            module.fail_json(
                msg=f"Resolver endpoint {current['Id']} serves only Do53; AWS does not switch an inbound endpoint straight to "
                f"{' + '.join(sorted(wanted))}. Add it next to Do53 first, move the clients, then remove Do53."
            )
        updates["Protocols"] = params["protocols"]
    return updates


def apply_in_turn(module, client, endpoint_id, steps, waits):
    """Run the mutating steps one after the other; AWS accepts the next only once the endpoint is OPERATIONAL again."""
    for index, step in enumerate(steps):
        if index:
            wait_for_endpoint(client, endpoint_id, module.params["wait_timeout"], progress=waits)
        step()


def update(module, client, current, addresses, tags_now, *, waits):
    params = module.params
    check_unchangeable(module, current)
    endpoint_id = current["Id"]
    updates = endpoint_updates(module, current)
    wanted_subnets, wanted_pairs = wanted_ip_shape(params)
    to_add, to_remove = plan_ip_changes(addresses, wanted_subnets, wanted_pairs)
    if to_add or to_remove:
        check_zones(module, wanted_subnets if wanted_pairs is None else [subnet_id for subnet_id, _ip in wanted_pairs])
    tags_changed, tags = sync_tags(client, current["Arn"], tags_now, params["tags"], params["purge_tags"], check_mode=module.check_mode)
    changed = bool(updates or to_add or to_remove or tags_changed)

    if module.check_mode:
        removed = {address["IpId"] for address in to_remove}
        planned = [address for address in addresses if address["IpId"] not in removed] + [dict(request, Ip=request.get("Ip")) for request in to_add]
        return changed, (dict(current, IpAddressCount=len(planned), **updates), planned, tags)

    steps = []
    if updates:
        steps.append(lambda: update_endpoint(client, endpoint_id, updates))
    steps += [lambda request=request: associate_ip_address(client, endpoint_id, request) for request in to_add]
    steps += [lambda request=request: disassociate_ip_address(client, endpoint_id, request) for request in to_remove]
    apply_in_turn(module, client, endpoint_id, steps, waits)
    if steps:
        return True, read_back(module, client, endpoint_id, waits)
    if params["wait"] and current["Status"] != SETTLED:
        current = wait_for_endpoint(client, endpoint_id, params["wait_timeout"], progress=waits)
    return changed, (current, addresses, tags)


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        direction=dict(type="str", choices=["inbound", "outbound"]),
        subnet_ids=dict(type="list", elements="str"),
        ip_addresses=dict(
            type="list",
            elements="dict",
            options=dict(subnet_id=dict(type="str", required=True), ip=dict(type="str", required=True)),
        ),
        security_group_ids=dict(type="list", elements="str"),
        protocols=dict(type="list", elements="str", choices=["Do53", "DoH", "DoH-FIPS"], default=DEFAULT_PROTOCOLS),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        mutually_exclusive=[("subnet_ids", "ip_addresses")],
        required_if=[
            ("state", "present", ["direction", "security_group_ids"]),
            ("state", "present", ["subnet_ids", "ip_addresses"], True),
        ],
    )
    validate(module)
    params = module.params
    client = module.client("route53resolver")
    waits = Waits(module.log)

    before = after = {}
    try:
        current = find_endpoint(module, client)
        if current:
            addresses, tags = list_ip_addresses(client, current["Id"]), list_tags(client, current["Arn"])
            before = to_result(current, addresses, tags)
        if params["state"] == "absent":
            changed = current is not None
            if changed and not module.check_mode:
                delete_endpoint(client, current["Id"])
                if params["wait"]:
                    wait_for_deletion(client, current["Id"], params["wait_timeout"], progress=waits)
        elif current is None:
            changed, after = True, to_result(*create(module, client, waits))
        else:
            changed, state = update(module, client, current, addresses, tags, waits=waits)
            after = to_result(*state)
    except AnsibleAWSError as e:
        waits.fail(module, e)

    module.exit_json(changed=changed, resolver_endpoint=after, diff={"before": diff_view(before), "after": diff_view(after)}, **waits.returned())


if __name__ == "__main__":
    main()
