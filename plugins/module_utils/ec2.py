# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""EC2 API calls with retries and error handling that amazon.aws's module_utils do not offer: the options of a
Site-to-Site VPN connection's tunnels (read, compare, modify one tunnel at a time, wait for the connection)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.hybridcloud.aws.plugins.module_utils import waiting
from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import is_boto3_error_code

retry = AWSRetry.jittered_backoff()

# A tunnel change takes AWS a few minutes. botocore's waiter polls at a fixed delay (15 s in its model): 5 s answers
# soon after a quick change and still makes at most 181 DescribeVpnConnections calls in the default 900 s.
POLL_DELAY = 5
GONE_STATES = ("deleting", "deleted")

# Module option -> (ModifyVpnTunnelOptions request member, DescribeVpnConnections TunnelOption member, kind).
# kind "value": a plain value; "values": a list AWS wraps as [{"Value": v}], compared as a set.
TUNNEL_OPTIONS = {
    "tunnel_inside_cidr": ("TunnelInsideCidr", "TunnelInsideCidr", "value"),
    "pre_shared_key": ("PreSharedKey", "PreSharedKey", "value"),
    "ike_versions": ("IKEVersions", "IkeVersions", "values"),
    "startup_action": ("StartupAction", "StartupAction", "value"),
    "dpd_timeout_seconds": ("DPDTimeoutSeconds", "DpdTimeoutSeconds", "value"),
    "dpd_timeout_action": ("DPDTimeoutAction", "DpdTimeoutAction", "value"),
    "phase1_lifetime_seconds": ("Phase1LifetimeSeconds", "Phase1LifetimeSeconds", "value"),
    "phase2_lifetime_seconds": ("Phase2LifetimeSeconds", "Phase2LifetimeSeconds", "value"),
    "rekey_margin_time_seconds": ("RekeyMarginTimeSeconds", "RekeyMarginTimeSeconds", "value"),
    "rekey_fuzz_percentage": ("RekeyFuzzPercentage", "RekeyFuzzPercentage", "value"),
    "replay_window_size": ("ReplayWindowSize", "ReplayWindowSize", "value"),
    "phase1_encryption_algorithms": ("Phase1EncryptionAlgorithms", "Phase1EncryptionAlgorithms", "values"),
    "phase2_encryption_algorithms": ("Phase2EncryptionAlgorithms", "Phase2EncryptionAlgorithms", "values"),
    "phase1_integrity_algorithms": ("Phase1IntegrityAlgorithms", "Phase1IntegrityAlgorithms", "values"),
    "phase2_integrity_algorithms": ("Phase2IntegrityAlgorithms", "Phase2IntegrityAlgorithms", "values"),
    "phase1_dh_group_numbers": ("Phase1DHGroupNumbers", "Phase1DHGroupNumbers", "values"),
    "phase2_dh_group_numbers": ("Phase2DHGroupNumbers", "Phase2DHGroupNumbers", "values"),
}
SECRET_OPTIONS = ("pre_shared_key",)
HIDDEN = "(hidden)"


class AnsibleEC2VpnError(AnsibleAWSError):
    pass


class EC2VpnErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEC2VpnError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["InvalidVpnConnectionID.NotFound"])


@EC2VpnErrorHandler.list_error_handler("describe VPN connection {vpn_connection_id}")
@retry
def describe_vpn_connection(client, vpn_connection_id):
    """The VPN connection, or None when it does not exist (also when AWS lists it as deleted)."""
    found = client.describe_vpn_connections(VpnConnectionIds=[vpn_connection_id]).get("VpnConnections") or []
    if not found or found[0].get("State") == "deleted":
        return None
    return found[0]


@EC2VpnErrorHandler.common_error_handler("modify the tunnel {outside_ip_address} of VPN connection {vpn_connection_id}")
@retry
def modify_tunnel_options(client, vpn_connection_id, outside_ip_address, options):
    """options: the ModifyVpnTunnelOptions TunnelOptions to change. Returns the VPN connection AWS answers."""
    return client.modify_vpn_tunnel_options(VpnConnectionId=vpn_connection_id, VpnTunnelOutsideIpAddress=outside_ip_address, TunnelOptions=options)[
        "VpnConnection"
    ]


def _vpn_state(answer):
    """What a DescribeVpnConnections poll saw of the connection: its state, or the error code."""
    if "Error" in answer:
        return answer["Error"].get("Code", "error")
    found = answer.get("VpnConnections") or []
    return found[0].get("State", "unknown") if found else "not found"


def wait_until_available(client, vpn_connection_id, timeout, *, progress=None):
    """Wait with botocore's vpn_connection_available waiter until the connection is available again (after pending
    or modifying), polling every POLL_DELAY seconds. Returns it; raises AnsibleEC2VpnError when it is deleted or
    timeout seconds pass first. progress: a waiting.Waits that records the wait."""

    def deleted(answer):
        if _vpn_state(answer) in (*GONE_STATES, "InvalidVpnConnectionID.NotFound", "not found"):
            return f"VPN connection {vpn_connection_id} was deleted while waiting for it to be available"
        return None

    answer = waiting.botocore_wait(
        client,
        "vpn_connection_available",
        timeout,
        delay=POLL_DELAY,
        error=AnsibleEC2VpnError,
        timed_out=lambda last: f"VPN connection {vpn_connection_id} is still {_vpn_state(last)} after {timeout} seconds; raise wait_timeout or try again later",
        failed=deleted,
        state=_vpn_state,
        progress=progress,
        what=f"VPN connection {vpn_connection_id} to be available",
        VpnConnectionIds=[vpn_connection_id],
    )
    return answer["VpnConnections"][0]


def _normalised(kind, value):
    if value is None:
        return None
    if kind == "values":
        return sorted(str(item["Value"]) if isinstance(item, dict) else str(item) for item in value)
    return value


def planned_tunnel_changes(tunnel, wanted):
    """The ModifyVpnTunnelOptions TunnelOptions that bring tunnel (a DescribeVpnConnections TunnelOption) to wanted
    (module options; None leaves an option alone). Empty when nothing differs."""
    changes = {}
    for option, (request_name, response_name, kind) in TUNNEL_OPTIONS.items():
        value = wanted.get(option)
        if value is None or _normalised(kind, tunnel.get(response_name)) == _normalised(kind, value):
            continue
        changes[request_name] = [{"Value": item} for item in value] if kind == "values" else value
    return changes


def tunnel_options(tunnel, hide_secrets=True):
    """A DescribeVpnConnections TunnelOption as the module's options (plus outside_ip_address); the pre-shared
    key is replaced by a marker unless hide_secrets is False."""
    shown = {"outside_ip_address": tunnel.get("OutsideIpAddress")}
    for option, (_request_name, response_name, kind) in TUNNEL_OPTIONS.items():
        value = _normalised(kind, tunnel.get(response_name))
        if option in SECRET_OPTIONS and value is not None and hide_secrets:
            value = HIDDEN
        shown[option] = value
    return shown


def applied(tunnel, changes):
    """tunnel (a DescribeVpnConnections TunnelOption) as it is after changes (ModifyVpnTunnelOptions TunnelOptions)."""
    after = dict(tunnel)
    for _option, (request_name, response_name, _kind) in TUNNEL_OPTIONS.items():
        if request_name in changes:
            after[response_name] = changes[request_name]
    return after
