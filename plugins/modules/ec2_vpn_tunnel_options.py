#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ec2_vpn_tunnel_options
version_added: 0.1.0
short_description: Set the tunnel options of an existing Site-to-Site VPN connection
description:
  - Sets the options of the two tunnels of an existing AWS Site-to-Site VPN connection with ModifyVpnTunnelOptions
    the inside CIDR, the pre-shared key, the IKE versions, dead peer detection, the startup action, the phase 1 and
    phase 2 lifetimes, algorithms and Diffie-Hellman groups, and the rekey settings.
  - Reads the connection with DescribeVpnConnections and changes only the options that differ from what is asked;
    options that are not given keep their current values (the ones AWS generated, or set earlier). A second run
    changes nothing.
  - AWS changes one tunnel at a time and puts the connection into the C(modifying) state while it does. The module
    waits for the connection to be C(available) before each change and, with I(wait), after the last one. A tunnel
    is briefly down while AWS applies its change; the other tunnel keeps carrying traffic.
  - Upstream M(amazon.aws.ec2_vpc_vpn) has a C(tunnel_options) option, but it fails whenever it is used, because
    sub-options that are not set are sent to AWS as null (amazon.aws issue 2683), and it can set tunnel options only
    when it creates the connection. No upstream module calls ModifyVpnTunnelOptions, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  vpn_connection_id:
    description:
      - The VPN connection, for example as created by M(amazon.aws.ec2_vpc_vpn).
    required: true
    type: str
  tunnels:
    description:
      - The options of up to two tunnels. An entry applies to the tunnel with its I(outside_ip_address) or, without
        one, to the tunnel at its position in the list DescribeVpnConnections answers (the console's Tunnel 1 and
        Tunnel 2).
      - Options that are not set (or are null) keep their current values.
    required: true
    type: list
    elements: dict
    suboptions:
      outside_ip_address:
        description:
          - The AWS-side outside IP address that identifies the tunnel.
        type: str
      tunnel_inside_cidr:
        description:
          - The tunnel's inside IPv4 CIDR, a /30 in 169.254.0.0/16, unique per virtual private gateway. AWS reserves
            169.254.0.0/30 to 169.254.5.0/30 and 169.254.169.252/30 (among others).
        type: str
      pre_shared_key:
        description:
          - The pre-shared key of the tunnel's IKE security association, 8 to 64 letters, digits, periods and
            underscores, not starting with zero. Keep it in a vault.
        type: str
      ike_versions:
        description:
          - The IKE versions allowed on the tunnel.
        type: list
        elements: str
        choices: [ikev1, ikev2]
      startup_action:
        description:
          - Who starts the IKE negotiation, the customer gateway (C(add)) or AWS (C(start)).
        type: str
        choices: [add, start]
      dpd_timeout_seconds:
        description:
          - Seconds without dead peer detection answers after which the DPD timeout action runs, 30 or more.
        type: int
      dpd_timeout_action:
        description:
          - What AWS does when dead peer detection times out.
        type: str
        choices: [clear, none, restart]
      phase1_lifetime_seconds:
        description:
          - Lifetime of the phase 1 IKE security association, 900 to 28800 seconds.
        type: int
      phase2_lifetime_seconds:
        description:
          - Lifetime of the phase 2 IKE security association, 900 to 3600 seconds, less than the phase 1 lifetime.
        type: int
      rekey_margin_time_seconds:
        description:
          - Seconds before the phase 2 lifetime expires in which AWS rekeys.
        type: int
      rekey_fuzz_percentage:
        description:
          - Percentage (0 to 100) by which the rekey margin is randomly increased.
        type: int
      replay_window_size:
        description:
          - Packets in the IKE replay window, 64 to 2048.
        type: int
      phase1_encryption_algorithms:
        description:
          - Phase 1 encryption algorithms, for example C(AES256) or C(AES256-GCM-16).
        type: list
        elements: str
      phase2_encryption_algorithms:
        description:
          - Phase 2 encryption algorithms, for example C(AES256) or C(AES256-GCM-16).
        type: list
        elements: str
      phase1_integrity_algorithms:
        description:
          - Phase 1 integrity algorithms, for example C(SHA2-256).
        type: list
        elements: str
      phase2_integrity_algorithms:
        description:
          - Phase 2 integrity algorithms, for example C(SHA2-256).
        type: list
        elements: str
      phase1_dh_group_numbers:
        description:
          - Phase 1 Diffie-Hellman group numbers, for example C(14) or C(20).
        type: list
        elements: int
      phase2_dh_group_numbers:
        description:
          - Phase 2 Diffie-Hellman group numbers, for example C(14) or C(20).
        type: list
        elements: int
  wait:
    description:
      - Wait until the connection is C(available) again after the last change. The module always waits between
        the changes of two tunnels, because AWS refuses a change while the connection is C(modifying).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the connection to be C(available), each time the module waits. The module waits with
        botocore's C(vpn_connection_available) waiter, reading the connection every 5 seconds.
    type: int
    default: 900
notes:
  - Supports C(check_mode) and C(diff). The pre-shared keys never appear in the result or the diff, only the marker
    C((hidden)) (C((hidden, changed)) where the key changes).
  - The tunnels' pre-shared keys can be kept in Secrets Manager instead (PreSharedKeyStorage); this module cannot
    change such a key and fails when asked to.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - The pre-shared keys never appear, only the marker C((hidden)) (C((hidden, changed)) where one changes).
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Create the VPN connection (AWS generates inside CIDRs and keys)
  amazon.aws.ec2_vpc_vpn:
    vpn_gateway_id: vgw-0123456789abcdef0
    customer_gateway_id: cgw-0123456789abcdef0
    static_only: true
  register: vpn
  no_log: true

- name: Give both tunnels our inside CIDRs and keys, IKEv2 only, restart on dead peers
  hybridcloud.aws.ec2_vpn_tunnel_options:
    vpn_connection_id: "{{ vpn.vpn_connection_id }}"
    tunnels:
      - tunnel_inside_cidr: 169.254.44.0/30
        pre_shared_key: "{{ vault_vpn_tunnel1_psk }}"
        ike_versions: [ikev2]
        dpd_timeout_action: restart
      - tunnel_inside_cidr: 169.254.44.4/30
        pre_shared_key: "{{ vault_vpn_tunnel2_psk }}"
        ike_versions: [ikev2]
        dpd_timeout_action: restart

- name: Change one tunnel, named by its outside address
  hybridcloud.aws.ec2_vpn_tunnel_options:
    vpn_connection_id: vpn-0123456789abcdef0
    tunnels:
      - outside_ip_address: 203.0.113.17
        phase1_encryption_algorithms: [AES256-GCM-16]
        phase1_dh_group_numbers: [20]
"""

RETURN = r"""
vpn_connection_id:
  description: The VPN connection.
  returned: always
  type: str
  sample: vpn-0123456789abcdef0
state:
  description: State of the connection at the end (C(modifying) when I(wait=false) left it changing).
  returned: always
  type: str
  sample: available
changed_tunnels:
  description: Outside IP addresses of the tunnels that were (in check mode, would be) changed.
  returned: always
  type: list
  elements: str
  sample: ["203.0.113.17"]
tunnels:
  description:
    - Every tunnel's options after the change (in check mode, as they would be), named as this module's options;
      options AWS does not report are null. The pre-shared key is shown as C((hidden)).
  returned: always
  type: list
  elements: dict
  contains:
    outside_ip_address:
      description: The AWS-side outside IP address of the tunnel.
      type: str
      sample: 203.0.113.17
    tunnel_inside_cidr:
      description: Inside CIDR of the tunnel.
      type: str
      sample: 169.254.44.0/30
    pre_shared_key:
      description: Always C((hidden)).
      type: str
      sample: (hidden)
    ike_versions:
      description: IKE versions, sorted.
      type: list
      elements: str
      sample: [ikev2]
    dpd_timeout_action:
      description: Dead peer detection timeout action.
      type: str
      sample: restart
  sample:
    - outside_ip_address: 203.0.113.17
      tunnel_inside_cidr: 169.254.44.0/30
      pre_shared_key: (hidden)
      ike_versions: [ikev2]
      dpd_timeout_action: restart
waited:
  description:
    - What the module's waits saw, one entry per wait in the order they ran
      (botocore's C(vpn_connection_available) waiter, polling every 5 seconds).
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
      sample: VPN connection vpn-0123456789abcdef0 to be available
    seconds:
      description: Seconds from the start of the wait to its last poll.
      type: float
      sample: 10.0
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
          description: State of the connection, or the error code DescribeVpnConnections answered.
          type: str
        seconds:
          description: Seconds from the start of the wait to the first poll of this entry.
          type: float
        polls:
          description: How many consecutive polls saw this state.
          type: int
      sample: [{state: modifying, seconds: 0.0, polls: 2}, {state: available, seconds: 10.0, polls: 1}]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.ec2 import HIDDEN
from ansible_collections.hybridcloud.aws.plugins.module_utils.ec2 import AnsibleEC2VpnError
from ansible_collections.hybridcloud.aws.plugins.module_utils.ec2 import applied
from ansible_collections.hybridcloud.aws.plugins.module_utils.ec2 import describe_vpn_connection
from ansible_collections.hybridcloud.aws.plugins.module_utils.ec2 import modify_tunnel_options
from ansible_collections.hybridcloud.aws.plugins.module_utils.ec2 import planned_tunnel_changes
from ansible_collections.hybridcloud.aws.plugins.module_utils.ec2 import tunnel_options
from ansible_collections.hybridcloud.aws.plugins.module_utils.ec2 import wait_until_available
from ansible_collections.hybridcloud.aws.plugins.module_utils.waiting import Waits

TUNNEL_SPEC = dict(
    outside_ip_address=dict(type="str"),
    tunnel_inside_cidr=dict(type="str"),
    pre_shared_key=dict(type="str", no_log=True),
    ike_versions=dict(type="list", elements="str", choices=["ikev1", "ikev2"]),
    startup_action=dict(type="str", choices=["add", "start"]),
    dpd_timeout_seconds=dict(type="int"),
    dpd_timeout_action=dict(type="str", choices=["clear", "none", "restart"]),
    phase1_lifetime_seconds=dict(type="int"),
    phase2_lifetime_seconds=dict(type="int"),
    rekey_margin_time_seconds=dict(type="int", no_log=False),
    rekey_fuzz_percentage=dict(type="int", no_log=False),
    replay_window_size=dict(type="int"),
    phase1_encryption_algorithms=dict(type="list", elements="str"),
    phase2_encryption_algorithms=dict(type="list", elements="str"),
    phase1_integrity_algorithms=dict(type="list", elements="str"),
    phase2_integrity_algorithms=dict(type="list", elements="str"),
    phase1_dh_group_numbers=dict(type="list", elements="int"),
    phase2_dh_group_numbers=dict(type="list", elements="int"),
)
MAX_TUNNELS = 2


def match_tunnels(module, current, wanted):
    """[(current tunnel, wanted entry)] for each entry: by outside address where given, else by position."""
    by_address = {tunnel.get("OutsideIpAddress"): tunnel for tunnel in current}
    pairs = []
    for index, entry in enumerate(wanted):
        address = entry.get("outside_ip_address")
        if address:
            tunnel = by_address.get(address)
            if tunnel is None:
                vpn_id = module.params["vpn_connection_id"]
                module.fail_json(msg=f"VPN connection {vpn_id} has no tunnel with outside IP address {address}: {sorted(by_address)}")
        elif index < len(current):
            tunnel = current[index]
        else:
            module.fail_json(msg=f"VPN connection {module.params['vpn_connection_id']} has {len(current)} tunnels; tunnels entry {index + 1} names none")
        if any(tunnel is seen for seen, _entry in pairs):
            module.fail_json(msg=f"Two tunnels entries name the tunnel {tunnel.get('OutsideIpAddress')}")
        pairs.append((tunnel, entry))
    return pairs


def diff_view(tunnels, changed_keys):
    """The tunnels for the diff: keyed by outside address, the pre-shared key marked where it changes."""
    view = {}
    for tunnel in tunnels:
        shown = tunnel_options(tunnel)
        address = shown.pop("outside_ip_address")
        if address in changed_keys and shown["pre_shared_key"] is not None:
            shown["pre_shared_key"] = HIDDEN[:-1] + ", changed)"
        view[address] = shown
    return view


def main():
    argument_spec = dict(
        vpn_connection_id=dict(type="str", required=True),
        tunnels=dict(type="list", elements="dict", required=True, options=TUNNEL_SPEC),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=900),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    vpn_id = module.params["vpn_connection_id"]
    wanted = module.params["tunnels"]
    if len(wanted) > MAX_TUNNELS:
        module.fail_json(msg=f"A VPN connection has {MAX_TUNNELS} tunnels; {len(wanted)} tunnels entries were given")
    client = module.client("ec2")
    waits = Waits(module.log)

    try:
        vpn = describe_vpn_connection(client, vpn_id)
        if vpn is None or vpn.get("State") == "deleting":
            module.fail_json(msg=f"VPN connection {vpn_id} does not exist; create it first (for example with amazon.aws.ec2_vpc_vpn)")
        current = (vpn.get("Options") or {}).get("TunnelOptions") or []
        plan = []
        for tunnel, entry in match_tunnels(module, current, wanted):
            changes = planned_tunnel_changes(tunnel, entry)
            if "PreSharedKey" in changes and vpn.get("PreSharedKeyArn"):
                module.fail_json(
                    msg=f"The pre-shared keys of VPN connection {vpn_id} are kept in Secrets Manager ({vpn['PreSharedKeyArn']}); this module cannot change them"
                )
            if changes:
                plan.append((tunnel["OutsideIpAddress"], changes))

        changed_addresses = [address for address, _changes in plan]
        planned = [applied(tunnel, dict(plan).get(tunnel.get("OutsideIpAddress"), {})) for tunnel in current]
        before_view, after_view = diff_view(current, []), diff_view(planned, changed_addresses)
        state = vpn.get("State")
        if plan and not module.check_mode:
            for number, (address, changes) in enumerate(plan):
                if state != "available":
                    vpn = wait_until_available(client, vpn_id, module.params["wait_timeout"], progress=waits)
                vpn = modify_tunnel_options(client, vpn_id, address, changes)
                state = vpn.get("State")
                if number == len(plan) - 1 and module.params["wait"] and state != "available":
                    vpn = wait_until_available(client, vpn_id, module.params["wait_timeout"], progress=waits)
                    state = vpn.get("State")
            planned = (vpn.get("Options") or {}).get("TunnelOptions") or planned
    except AnsibleEC2VpnError as e:
        waits.fail(module, e)

    module.exit_json(
        changed=bool(plan),
        vpn_connection_id=vpn_id,
        state=state,
        changed_tunnels=changed_addresses,
        tunnels=[tunnel_options(tunnel) for tunnel in planned],
        diff={"before": {"tunnels": before_view}, "after": {"tunnels": after_view}},
        **waits.returned(),
    )


if __name__ == "__main__":
    main()
