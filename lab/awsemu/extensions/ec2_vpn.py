"""Site-to-Site VPN details moto's EC2 leaves out: static routes, VGW route propagation, options and tunnel telemetry.

- CreateVpnConnection keeps its Options (StaticRoutesOnly, tunnel inside CIDRs and pre-shared keys, ...) and gets two
  tunnels, each with an outside address and telemetry (Status UP until the lab says otherwise).
- ModifyVpnTunnelOptions changes one tunnel's options (found by its outside address) in Options.TunnelOptions; the
  connection is then `modifying` until the next DescribeVpnConnections has seen it once (moto state manager model
  ec2::vpnconnection-modification, manual, 1 describe), and refuses another change meanwhile (IncorrectState). The
  tunnels' telemetry is left as it is. Values are checked against AWS's documented ranges and choices.
- CreateVpnConnectionRoute / DeleteVpnConnectionRoute maintain the connection's Routes.
- EnableVgwRoutePropagation / DisableVgwRoutePropagation show in DescribeRouteTables as PropagatingVgws; a
  propagating table also lists the static routes of the gateway's VPN connections (Origin EnableVgwRoutePropagation)
  for as long as at least one of the connection's tunnels is UP.
Lab knob: POST /_lab/ec2/vpn-connections/<id>/tunnels {"status": "UP"|"DOWN" [, "outside_ip_address": ip]}: sets one
tunnel (the one with that outside address) or both.
"""

from __future__ import annotations

import ipaddress
import re
import string
from datetime import datetime, timezone
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.ec2 import urls as ec2_urls
from moto.ec2.exceptions import (
    EC2ClientError,
    GatewayNotAttachedError,
    InvalidParameterValueError,
    InvalidVpnConnectionIdError,
    RouteAlreadyExistsError,
)
from moto.ec2.models import EC2Backend, ec2_backends
from moto.ec2.responses import EC2Response
from moto.moto_api import state_manager
from moto.moto_api._internal import mock_random
from moto.moto_api._internal.managed_state_model import ManagedState

from awsemu import control
from awsemu.extensions._moto_classes import urls_of, use_backend_class, use_response_class

TUNNEL_COUNT = 2
TUNNEL_STATUSES = ("UP", "DOWN")
INSIDE_CIDR_POOL = ipaddress.ip_network("169.254.0.0/16")
# AWS reserves these /30 blocks; tunnels may not use them.
RESERVED_INSIDE_CIDRS = {ipaddress.ip_network(f"169.254.{n}.0/30") for n in range(6)} | {ipaddress.ip_network("169.254.169.252/30")}
PRE_SHARED_KEY_PATTERN = re.compile(r"^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$")
# Tunnel options AWS echoes back, under their response names where those differ from the request's.
ECHOED_TUNNEL_OPTIONS = {
    "Phase1LifetimeSeconds": "Phase1LifetimeSeconds",
    "Phase2LifetimeSeconds": "Phase2LifetimeSeconds",
    "RekeyMarginTimeSeconds": "RekeyMarginTimeSeconds",
    "RekeyFuzzPercentage": "RekeyFuzzPercentage",
    "ReplayWindowSize": "ReplayWindowSize",
    "DPDTimeoutSeconds": "DpdTimeoutSeconds",
    "DPDTimeoutAction": "DpdTimeoutAction",
    "Phase1EncryptionAlgorithms": "Phase1EncryptionAlgorithms",
    "Phase2EncryptionAlgorithms": "Phase2EncryptionAlgorithms",
    "Phase1IntegrityAlgorithms": "Phase1IntegrityAlgorithms",
    "Phase2IntegrityAlgorithms": "Phase2IntegrityAlgorithms",
    "Phase1DHGroupNumbers": "Phase1DHGroupNumbers",
    "Phase2DHGroupNumbers": "Phase2DHGroupNumbers",
    "IKEVersions": "IkeVersions",
    "StartupAction": "StartupAction",
    "EnableTunnelLifecycleControl": "EnableTunnelLifecycleControl",
}

# What AWS accepts for each tunnel option (request names): choices for lists and strings, (low, high) for integers.
TUNNEL_OPTION_CHOICES = {
    "DPDTimeoutAction": {"clear", "none", "restart"},
    "StartupAction": {"add", "start"},
    "IKEVersions": {"ikev1", "ikev2"},
    "Phase1EncryptionAlgorithms": {"AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"},
    "Phase2EncryptionAlgorithms": {"AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"},
    "Phase1IntegrityAlgorithms": {"SHA1", "SHA2-256", "SHA2-384", "SHA2-512"},
    "Phase2IntegrityAlgorithms": {"SHA1", "SHA2-256", "SHA2-384", "SHA2-512"},
    "Phase1DHGroupNumbers": {2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24},
    "Phase2DHGroupNumbers": {2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24},
}
TUNNEL_OPTION_RANGES = {
    "Phase1LifetimeSeconds": (900, 28800),
    "Phase2LifetimeSeconds": (900, 3600),
    "RekeyMarginTimeSeconds": (60, 1800),
    "RekeyFuzzPercentage": (0, 100),
    "ReplayWindowSize": (64, 2048),
    "DPDTimeoutSeconds": (30, 2147483647),
}
MODIFICATION_MODEL = "ec2::vpnconnection-modification"


class _Modification(ManagedState):
    """A tunnel change in progress: the connection is `modifying` until the state manager moves it on."""

    def __init__(self) -> None:
        super().__init__(MODIFICATION_MODEL, [("modifying", "available")])


def _check_tunnel_options(wanted: dict[str, Any]) -> None:
    for name, allowed in TUNNEL_OPTION_CHOICES.items():
        value = wanted.get(name)
        if value is None:
            continue
        values = [item.get("Value") for item in value] if isinstance(value, list) else [value]
        bad = [item for item in values if item not in allowed]
        if bad:
            raise _invalid(f"The value(s) {', '.join(map(str, bad))} of {name} are not valid. Valid values: {', '.join(sorted(map(str, allowed)))}.")
    for name, (low, high) in TUNNEL_OPTION_RANGES.items():
        value = wanted.get(name)
        if value is not None and not low <= int(value) <= high:
            raise _invalid(f"{name} must be between {low} and {high}, got {value}.")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _invalid(message: str) -> EC2ClientError:
    return EC2ClientError("InvalidParameterValue", message)


def _check_inside_cidr(value: str) -> None:
    try:
        network = ipaddress.ip_network(value)
    except ValueError:
        raise _invalid(f"The tunnel inside CIDR {value} is not a valid CIDR block.") from None
    if network.prefixlen != 30 or not network.subnet_of(INSIDE_CIDR_POOL):  # type: ignore[arg-type]
        raise _invalid(f"The tunnel inside CIDR {value} must be a /30 block within 169.254.0.0/16.")
    if network in RESERVED_INSIDE_CIDRS:
        raise _invalid(f"The tunnel inside CIDR {value} is reserved and cannot be used.")


def _random_inside_cidr(taken: set[str]) -> str:
    while True:
        block = mock_random.randint(6 * 64, 255 * 64 - 1)  # skip 169.254.0.0-5.255, where the reserved blocks are
        third, fourth = divmod(block * 4, 256)
        cidr = f"169.254.{third}.{fourth}/30"
        if cidr not in taken and ipaddress.ip_network(cidr) not in RESERVED_INSIDE_CIDRS:
            return cidr


def _random_pre_shared_key() -> str:
    alphabet = string.ascii_letters + string.digits + "._"
    return mock_random.choice(string.ascii_letters) + "".join(mock_random.choice(alphabet) for _ in range(31))


def _random_outside_address() -> str:
    return f"203.0.113.{mock_random.randint(1, 254)}"


class LabEC2Backend(EC2Backend):
    _url_module = property(lambda self: urls_of(EC2Backend))

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.vgw_propagation: dict[str, list[str]] = {}

    # VPN connections ------------------------------------------------------------------------------------------------

    def configure_vpn_connection(self, vpn: Any, spec: dict[str, Any] | None) -> None:
        """Give a new VPN connection its options, two tunnels with telemetry, and an empty route list."""
        spec = spec or {}
        requested = spec.get("TunnelOptions") or []
        if len(requested) > TUNNEL_COUNT:
            raise _invalid(f"A VPN connection has {TUNNEL_COUNT} tunnels; {len(requested)} tunnel option sets were given.")
        tunnels = []
        taken: set[str] = set()
        for index in range(TUNNEL_COUNT):
            wanted = requested[index] if index < len(requested) else {}
            _check_tunnel_options(wanted)
            inside = wanted.get("TunnelInsideCidr")
            if inside:
                _check_inside_cidr(inside)
                if inside in taken:
                    raise _invalid(f"The tunnel inside CIDR {inside} is used by both tunnels.")
            else:
                inside = _random_inside_cidr(taken)
            taken.add(inside)
            key = wanted.get("PreSharedKey")
            if key is not None and not PRE_SHARED_KEY_PATTERN.match(key):
                raise _invalid("A pre-shared key must be 8-64 characters of letters, digits, periods and underscores, and cannot start with zero.")
            tunnel: dict[str, Any] = {
                "OutsideIpAddress": _random_outside_address(),
                "TunnelInsideCidr": inside,
                "PreSharedKey": key or _random_pre_shared_key(),
            }
            tunnel.update({answer: wanted[asked] for asked, answer in ECHOED_TUNNEL_OPTIONS.items() if wanted.get(asked) is not None})
            tunnels.append(tunnel)
        vpn.options = {
            "EnableAcceleration": bool(spec.get("EnableAcceleration", False)),
            "StaticRoutesOnly": bool(spec.get("StaticRoutesOnly", False)),
            "LocalIpv4NetworkCidr": spec.get("LocalIpv4NetworkCidr") or "0.0.0.0/0",
            "RemoteIpv4NetworkCidr": spec.get("RemoteIpv4NetworkCidr") or "0.0.0.0/0",
            "OutsideIpAddressType": spec.get("OutsideIpAddressType") or "PublicIpv4",
            "TunnelInsideIpVersion": spec.get("TunnelInsideIpVersion") or "ipv4",
            "TunnelBandwidth": spec.get("TunnelBandwidth") or "standard",
            "TunnelOptions": tunnels,
        }
        vpn.routes = []
        vpn.vgw_telemetry = [
            {"AcceptedRouteCount": 0, "LastStatusChange": _now(), "OutsideIpAddress": t["OutsideIpAddress"], "Status": "UP", "StatusMessage": ""}
            for t in tunnels
        ]

    def _configured_vpn(self, vpn_id: str) -> Any:
        vpn = self.vpn_connections.get(vpn_id)
        if vpn is None or vpn.state == "deleted":
            raise InvalidVpnConnectionIdError(vpn_id)
        if getattr(vpn, "vgw_telemetry", None) is None:
            self.configure_vpn_connection(vpn, None)
        return vpn

    def modify_vpn_tunnel_options(self, vpn_id: str, outside_ip_address: str | None, wanted: dict[str, Any]) -> Any:
        vpn = self._configured_vpn(vpn_id)
        if vpn.state != "available":
            raise EC2ClientError("IncorrectState", f"The VPN connection {vpn_id} is in the {vpn.state} state; wait until it is available.")
        tunnels = vpn.options["TunnelOptions"]
        tunnel = next((t for t in tunnels if t["OutsideIpAddress"] == outside_ip_address), None)
        if tunnel is None:
            raise _invalid(f"The VPN tunnel outside IP address {outside_ip_address} does not belong to VPN connection {vpn_id}.")
        _check_tunnel_options(wanted)
        inside = wanted.get("TunnelInsideCidr")
        if inside:
            _check_inside_cidr(inside)
            if any(other is not tunnel and other["TunnelInsideCidr"] == inside for other in tunnels):
                raise _invalid(f"The tunnel inside CIDR {inside} is used by the other tunnel of {vpn_id}.")
            tunnel["TunnelInsideCidr"] = inside
        key = wanted.get("PreSharedKey")
        if key is not None:
            if not PRE_SHARED_KEY_PATTERN.match(key):
                raise _invalid("A pre-shared key must be 8-64 characters of letters, digits, periods and underscores, and cannot start with zero.")
            tunnel["PreSharedKey"] = key
        tunnel.update({answer: wanted[asked] for asked, answer in ECHOED_TUNNEL_OPTIONS.items() if wanted.get(asked) is not None})
        vpn.modification = _Modification()
        vpn.state = "modifying"
        return vpn

    def settle_modifications(self, vpns: list[Any]) -> None:
        """What a describe sees of the connections' tunnel changes: `modifying`, then `available` again."""
        for vpn in vpns:
            modification = getattr(vpn, "modification", None)
            if modification is None:
                continue
            vpn.state = modification.status
            modification.advance()
            if vpn.state == "available":
                vpn.modification = None

    def create_vpn_connection_route(self, vpn_id: str, cidr: str) -> None:
        vpn = self._configured_vpn(vpn_id)
        try:
            ipaddress.ip_network(cidr)
        except ValueError:
            raise InvalidParameterValueError(cidr) from None
        if any(route["DestinationCidrBlock"] == cidr for route in vpn.routes):
            raise RouteAlreadyExistsError(cidr)
        vpn.routes = [*vpn.routes, {"DestinationCidrBlock": cidr, "Source": "Static", "State": "available"}]

    def delete_vpn_connection_route(self, vpn_id: str, cidr: str) -> None:
        vpn = self._configured_vpn(vpn_id)
        remaining = [route for route in vpn.routes if route["DestinationCidrBlock"] != cidr]
        if len(remaining) == len(vpn.routes):
            raise EC2ClientError("InvalidRoute.NotFound", f"No static route with destination {cidr} exists on VPN connection {vpn_id}.")
        vpn.routes = remaining

    def set_tunnel_status(self, vpn_id: str, status: str, outside_ip_address: str | None) -> Any:
        vpn = self._configured_vpn(vpn_id)
        matched = False
        for tunnel in vpn.vgw_telemetry:
            if outside_ip_address and tunnel["OutsideIpAddress"] != outside_ip_address:
                continue
            matched = True
            if tunnel["Status"] != status:
                tunnel.update(Status=status, LastStatusChange=_now(), StatusMessage="" if status == "UP" else "IPSEC IS DOWN")
        if not matched:
            raise control.LabError(404, f"{vpn_id} has no tunnel with outside address {outside_ip_address}")
        return vpn

    # route propagation --------------------------------------------------------------------------------------------

    def _propagation_target(self, route_table_id: str, gateway_id: str) -> tuple[Any, Any]:
        table = self.get_route_table(route_table_id)
        vgw = self.get_vpn_gateway(gateway_id)
        attached = vgw.attachments.get(table.vpc_id)
        if attached is None or attached.state != "attached":
            raise GatewayNotAttachedError(gateway_id, table.vpc_id)
        return table, vgw

    def enable_vgw_route_propagation(self, route_table_id: str, gateway_id: str) -> None:
        self._propagation_target(route_table_id, gateway_id)
        gateways = self.vgw_propagation.setdefault(route_table_id, [])
        if gateway_id not in gateways:
            gateways.append(gateway_id)

    def disable_vgw_route_propagation(self, route_table_id: str, gateway_id: str) -> None:
        self.get_route_table(route_table_id)
        self.get_vpn_gateway(gateway_id)
        gateways = self.vgw_propagation.get(route_table_id, [])
        if gateway_id in gateways:
            gateways.remove(gateway_id)

    def propagated_routes(self, table: Any) -> list[dict[str, Any]]:
        """Routes a table learns from its propagating gateways: the static routes of their live VPN connections."""
        own = {route.destination_cidr_block for route in table.routes}
        learned: dict[str, dict[str, Any]] = {}
        for gateway_id in self.vgw_propagation.get(table.id, []):
            for vpn in self.vpn_connections.values():
                if vpn.vpn_gateway_id != gateway_id or vpn.state != "available" or not getattr(vpn, "vgw_telemetry", None):
                    continue
                if not any(tunnel["Status"] == "UP" for tunnel in vpn.vgw_telemetry):
                    continue
                for route in vpn.routes:
                    cidr = route["DestinationCidrBlock"]
                    if cidr not in own and cidr not in learned:
                        learned[cidr] = {"DestinationCidrBlock": cidr, "GatewayId": gateway_id, "Origin": "EnableVgwRoutePropagation", "State": "active"}
        return list(learned.values())


class _PropagatingRouteTable:
    """A moto RouteTable as AWS shows it: with its PropagatingVgws (an empty list when none) and propagated routes."""

    def __init__(self, table: Any, backend: LabEC2Backend):
        self._table = table
        self.routes = [*table.routes, *backend.propagated_routes(table)]
        self.propagating_vgws = [{"GatewayId": gateway_id} for gateway_id in backend.vgw_propagation.get(table.id, [])]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._table, name)


class LabEC2Response(EC2Response):
    @property
    def lab_backend(self) -> LabEC2Backend:
        return ec2_backends[self.current_account][self.region]  # type: ignore[return-value]

    def create_vpn_connection(self) -> ActionResult:
        result = super().create_vpn_connection()
        self.lab_backend.configure_vpn_connection(result.result["VpnConnection"], self._get_param("Options"))  # type: ignore[index]
        return result

    def describe_vpn_connections(self) -> ActionResult:
        result = super().describe_vpn_connections()
        for vpn in result.result["VpnConnections"]:  # type: ignore[index]
            if vpn.state != "deleted" and getattr(vpn, "vgw_telemetry", None) is None:
                self.lab_backend.configure_vpn_connection(vpn, None)
        self.lab_backend.settle_modifications(result.result["VpnConnections"])  # type: ignore[index]
        return result

    def modify_vpn_tunnel_options(self) -> ActionResult:
        self.error_on_dryrun()
        vpn = self.lab_backend.modify_vpn_tunnel_options(
            self._get_param("VpnConnectionId"), self._get_param("VpnTunnelOutsideIpAddress"), self._get_param("TunnelOptions") or {}
        )
        return ActionResult({"VpnConnection": vpn})

    def create_vpn_connection_route(self) -> ActionResult:
        self.lab_backend.create_vpn_connection_route(self._get_param("VpnConnectionId"), self._get_param("DestinationCidrBlock"))
        return EmptyResult()

    def delete_vpn_connection_route(self) -> ActionResult:
        self.lab_backend.delete_vpn_connection_route(self._get_param("VpnConnectionId"), self._get_param("DestinationCidrBlock"))
        return EmptyResult()

    def enable_vgw_route_propagation(self) -> ActionResult:
        self.error_on_dryrun()
        self.lab_backend.enable_vgw_route_propagation(self._get_param("RouteTableId"), self._get_param("GatewayId"))
        return EmptyResult()

    def disable_vgw_route_propagation(self) -> ActionResult:
        self.error_on_dryrun()
        self.lab_backend.disable_vgw_route_propagation(self._get_param("RouteTableId"), self._get_param("GatewayId"))
        return EmptyResult()

    def create_route_table(self) -> ActionResult:
        result = super().create_route_table()
        return ActionResult({"RouteTable": _PropagatingRouteTable(result.result["RouteTable"], self.lab_backend)})  # type: ignore[index]

    def describe_route_tables(self) -> ActionResult:
        result = super().describe_route_tables()
        tables = result.result["RouteTables"]  # type: ignore[index]
        return ActionResult({"RouteTables": [_PropagatingRouteTable(table, self.lab_backend) for table in tables]})


def _tunnels_route(body: Any, vpn_id: str) -> dict[str, Any]:
    status = body.get("status") if isinstance(body, dict) else None
    if status not in TUNNEL_STATUSES:
        raise control.LabError(400, 'expected {"status": "UP"|"DOWN"} (and optionally "outside_ip_address")')
    for _account, _region, backend in ec2_backends.iter_backends():
        if vpn_id in backend.vpn_connections:
            vpn = backend.set_tunnel_status(vpn_id, status, body.get("outside_ip_address"))
            return {"vpn_connection_id": vpn_id, "vgw_telemetry": [{**t, "LastStatusChange": t["LastStatusChange"].isoformat()} for t in vpn.vgw_telemetry]}
    raise control.LabError(404, f"no VPN connection {vpn_id}")


def install() -> None:
    """Swap in the lab's EC2 backend and responses (idempotent)."""
    use_backend_class(ec2_backends, LabEC2Backend)
    use_response_class(ec2_urls, LabEC2Response)
    state_manager.register_default_transition(MODIFICATION_MODEL, {"progression": "manual", "times": 1})
    control.route("POST", "/_lab/ec2/vpn-connections/<vpn_id>/tunnels", _tunnels_route)
