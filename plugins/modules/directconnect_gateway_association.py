#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: directconnect_gateway_association
version_added: 0.1.0
short_description: Set the allowed prefixes of a Direct Connect gateway association
description:
  - Sets the allowed prefixes of the existing association between a Direct Connect gateway and a virtual private
    gateway or a transit gateway, with UpdateDirectConnectGatewayAssociation. For a virtual private gateway these are
    the prefixes AWS advertises to the on-premises routers over Direct Connect; AWS's default is the VPC's CIDR.
  - Reads the association with DescribeDirectConnectGatewayAssociations, adds the missing prefixes and removes the
    others in one call, so a second run changes nothing. Waits for an association that is still C(associating) or
    C(updating) before the change and, with I(wait), until it is C(associated) again.
  - The association must exist; create it first, for example with M(community.aws.directconnect_gateway) and its
    C(virtual_gateway_id).
  - Upstream M(community.aws.directconnect_gateway) creates the association without allowed prefixes (so AWS uses its
    default) and has no option to set or change them, and no upstream module calls
    UpdateDirectConnectGatewayAssociation, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  direct_connect_gateway_id:
    description:
      - The Direct Connect gateway.
    required: true
    type: str
  associated_gateway_id:
    description:
      - The virtual private gateway (C(vgw-)) or transit gateway (C(tgw-)) it is associated with.
    required: true
    type: str
    aliases: [virtual_gateway_id]
  allowed_prefixes:
    description:
      - The IPv4 or IPv6 CIDRs the association allows, in any order. It replaces the current list.
      - Each must be a network address (no host bits set) and no broader than O(min_prefix) (IPv6 no broader than /32),
        so neither V(0.0.0.0/0) nor V([0.0.0.0/1, 128.0.0.0/1]) can advertise everything.
    required: true
    type: list
    elements: str
  min_prefix:
    description:
      - The broadest IPv4 prefix O(allowed_prefixes) may contain (prefix length, 0 to 32).
    type: int
    default: 8
    version_added: 0.2.0
  wait:
    description:
      - Wait until the association is C(associated) again after the change.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the association to settle, before and after the change.
    type: int
    default: 900
notes:
  - Supports C(check_mode) and C(diff).
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
- name: Associate the Direct Connect gateway with the virtual private gateway
  community.aws.directconnect_gateway:
    name: hybridcloud-dxgw
    amazon_asn: "64512"
    virtual_gateway_id: vgw-0123456789abcdef0
  register: dx_gateway

- name: Advertise the two halves of the VPC instead of its whole CIDR
  hybridcloud.aws.directconnect_gateway_association:
    direct_connect_gateway_id: "{{ dx_gateway.direct_connect_gateway_id }}"
    associated_gateway_id: vgw-0123456789abcdef0
    allowed_prefixes:
      - 10.40.0.0/17
      - 10.40.128.0/17
"""

RETURN = r"""
association_id:
  description: Id of the association.
  returned: always
  type: str
  sample: 0d8fd6b1-8d8e-4b44-a7c4-1f2e3d4c5b6a
association_state:
  description: State of the association at the end (C(updating) when I(wait=false) left it changing).
  returned: always
  type: str
  sample: associated
allowed_prefixes:
  description: The allowed prefixes after the change (in check mode, as they would be), sorted.
  returned: always
  type: list
  elements: str
  sample: ["10.40.0.0/17", "10.40.128.0/17"]
added_prefixes:
  description: Prefixes that were (in check mode, would be) added.
  returned: always
  type: list
  elements: str
  sample: ["10.40.0.0/17", "10.40.128.0/17"]
removed_prefixes:
  description: Prefixes that were (in check mode, would be) removed.
  returned: always
  type: list
  elements: str
  sample: ["10.40.0.0/16"]
association:
  description: The association as AWS describes it, in snake_case.
  returned: always
  type: dict
  contains:
    direct_connect_gateway_id:
      description: The Direct Connect gateway.
      type: str
      sample: 5f3e0c8e-0000-4000-8000-123456789012
    associated_gateway:
      description: The associated gateway's id, type, owner account and region.
      type: dict
      sample: {"id": "vgw-0123456789abcdef0", "type": "virtualPrivateGateway", "owner_account": "111122223333", "region": "eu-central-1"}
    allowed_prefixes_to_direct_connect_gateway:
      description: The allowed prefixes, as AWS lists them.
      type: list
      elements: dict
      sample: [{"cidr": "10.40.0.0/17"}, {"cidr": "10.40.128.0/17"}]
waited:
  description:
    - What the module's waits saw, one entry per wait in the order they ran
      (polling after 2 seconds, then less often, up to every 15).
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
      sample: Direct Connect gateway association 0d8fd6b1-8d8e-4b44-a7c4-1f2e3d4c5b6a to be associated
    seconds:
      description: Seconds from the start of the wait to its last poll.
      type: float
      sample: 6.0
    polls:
      description: How many times the module read the resource.
      type: int
      sample: 3
    states:
      description: What the polls saw, in order; consecutive polls that saw the same state are one entry.
      type: list
      elements: dict
      contains:
        state:
          description: State of the association.
          type: str
        seconds:
          description: Seconds from the start of the wait to the first poll of this entry.
          type: float
        polls:
          description: How many consecutive polls saw this state.
          type: int
      sample: [{state: updating, seconds: 0.0, polls: 2}, {state: associated, seconds: 6.0, polls: 1}]
"""

import ipaddress

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import ASSOCIATION_BUSY
from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import AnsibleDirectConnectError
from ansible_collections.hybridcloud.aws.plugins.module_utils.cidr import source_problems
from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import allowed_prefixes
from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import find_gateway_association
from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import update_gateway_association
from ansible_collections.hybridcloud.aws.plugins.module_utils.directconnect import wait_for_gateway_association
from ansible_collections.hybridcloud.aws.plugins.module_utils.waiting import Waits


def normalised_prefixes(module, prefixes):
    """The wanted CIDRs in AWS's canonical form, without duplicates, sorted; every problem of the list fails at once
    (not a CIDR, host bits set, broader than min_prefix)."""
    if not 0 <= module.params["min_prefix"] <= 32:
        module.fail_json(msg=f"min_prefix must be 0 to 32, got {module.params['min_prefix']}")
    problems = source_problems("allowed_prefixes", [prefix.strip() for prefix in prefixes], module.params["min_prefix"], version=None)
    problems = [problem for problem in problems if not problem.endswith("is listed twice")]
    if problems:
        module.fail_json(msg="; ".join(problems), problems=problems)
    wanted = {str(ipaddress.ip_network(prefix.strip())) for prefix in prefixes}
    if not wanted:
        module.fail_json(msg="allowed_prefixes must name at least one CIDR")
    return sorted(wanted)


def main():
    argument_spec = dict(
        direct_connect_gateway_id=dict(type="str", required=True),
        associated_gateway_id=dict(type="str", required=True, aliases=["virtual_gateway_id"]),
        allowed_prefixes=dict(type="list", elements="str", required=True),
        min_prefix=dict(type="int", default=8),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=900),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    gateway_id = module.params["direct_connect_gateway_id"]
    associated_id = module.params["associated_gateway_id"]
    wanted = normalised_prefixes(module, module.params["allowed_prefixes"])
    client = module.client("directconnect")
    waits = Waits(module.log)

    try:
        association = find_gateway_association(client, gateway_id, associated_id)
        if association is None:
            module.fail_json(
                msg=f"Direct Connect gateway {gateway_id} is not associated with {associated_id}; "
                "associate them first (for example with community.aws.directconnect_gateway)"
            )
        association_id = association["associationId"]
        before = allowed_prefixes(association)
        to_add = [cidr for cidr in wanted if cidr not in before]
        to_remove = [cidr for cidr in before if cidr not in wanted]
        if (to_add or to_remove) and not module.check_mode:
            if association.get("associationState") in ASSOCIATION_BUSY:
                association = wait_for_gateway_association(client, gateway_id, association_id, module.params["wait_timeout"], progress=waits)
            association = update_gateway_association(client, association_id, to_add, to_remove)
            if module.params["wait"]:
                association = wait_for_gateway_association(client, gateway_id, association_id, module.params["wait_timeout"], progress=waits)
    except AnsibleDirectConnectError as e:
        waits.fail(module, e)

    after = wanted if module.check_mode else allowed_prefixes(association)
    module.exit_json(
        changed=bool(to_add or to_remove),
        association_id=association_id,
        association_state=association.get("associationState"),
        allowed_prefixes=after,
        added_prefixes=to_add,
        removed_prefixes=to_remove,
        association=camel_dict_to_snake_dict(association),
        diff={"before": {"allowed_prefixes": before}, "after": {"allowed_prefixes": after}},
        **waits.returned(),
    )


if __name__ == "__main__":
    main()
