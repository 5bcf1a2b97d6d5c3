"""Direct Connect for the lab: the resources and the backend (the package's docstring says what they do)."""

from __future__ import annotations

import ipaddress
import string
from dataclasses import dataclass, field
from typing import Any

from moto.core.exceptions import ServiceException
from moto.directconnect.models import DirectConnectBackend, directconnect_backends
from moto.moto_api._internal import mock_random
from moto.moto_api._internal.managed_state_model import ManagedState

from awsemu import control
from awsemu.extensions._moto_classes import urls_of

SERVICE = "directconnect"
GLOBAL_HOME_REGION = "us-east-1"
ASSOCIATION_MODEL = "directconnect::association"
VIF_MODEL = "directconnect::virtualinterface"
AMAZON_ASN_RANGES = ((64512, 65534), (4200000000, 4294967294))
DEFAULT_AMAZON_ASN = 64512
MTU_CHOICES = {"private": (1500, 9001), "transit": (1500, 8500)}
VLAN_RANGE = (1, 4094)
SETTABLE_VIF_STATES = ("confirming", "verifying", "pending", "available", "down", "testing", "rejected", "unknown")
ENCRYPTION_MODES = ("no_encrypt", "should_encrypt", "must_encrypt")
MAX_PAGE = 100
MAX_TAGS = 50
REGIONAL_ARN_TYPES = ("dxcon", "dxlag", "dxvif")


class DirectConnectClientException(ServiceException):
    code = "DirectConnectClientException"


class DuplicateTagKeysException(ServiceException):
    code = "DuplicateTagKeysException"


class TooManyTagsException(ServiceException):
    code = "TooManyTagsException"


def _random_id(prefix: str, length: int = 8) -> str:
    return prefix + "".join(mock_random.choice(string.ascii_lowercase + string.digits) for _ in range(length))


def check_tags(tags: list[dict[str, str]] | None) -> list[dict[str, str]]:
    keys = [tag["key"] for tag in tags or []]
    if len(keys) != len(set(keys)):
        raise DuplicateTagKeysException("Duplicate tag keys are not allowed.")
    return tags or []


@dataclass
class DirectConnectGateway:
    gateway_id: str
    name: str
    amazon_side_asn: int
    owner_account: str
    state: str = "available"

    @property
    def arn(self) -> str:
        return f"arn:aws:directconnect::{self.owner_account}:dx-gateway/{self.gateway_id}"

    def describe(self, tags: list[dict[str, str]]) -> dict[str, Any]:
        return {
            "directConnectGatewayId": self.gateway_id,
            "directConnectGatewayName": self.name,
            "amazonSideAsn": self.amazon_side_asn,
            "ownerAccount": self.owner_account,
            "directConnectGatewayState": self.state,
            "tags": tags,
        }


class GatewayAssociation(ManagedState):
    def __init__(self, gateway: DirectConnectGateway, *, associated_id: str, associated_type: str, region: str, owner: str, prefixes: list[dict[str, str]]):
        super().__init__(ASSOCIATION_MODEL, [("associating", "associated"), ("updating", "associated"), ("disassociating", "disassociated")])
        self.association_id = str(mock_random.uuid4())
        self.gateway = gateway
        self.associated_id = associated_id
        self.associated_type = associated_type
        self.region = region
        self.owner = owner
        self.allowed_prefixes = prefixes

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "directConnectGatewayId": self.gateway.gateway_id,
            "directConnectGatewayOwnerAccount": self.gateway.owner_account,
            "associationState": self.status,
            "associatedGateway": {"id": self.associated_id, "type": self.associated_type, "ownerAccount": self.owner, "region": self.region},
            "associationId": self.association_id,
            "allowedPrefixesToDirectConnectGateway": self.allowed_prefixes,
        }
        if self.associated_type == "virtualPrivateGateway":
            described.update(virtualGatewayId=self.associated_id, virtualGatewayRegion=self.region, virtualGatewayOwnerAccount=self.owner)
        return described


@dataclass
class BgpPeer:
    peer_id: str
    asn: int
    auth_key: str
    address_family: str
    amazon_address: str
    customer_address: str
    device: str
    state: str = "available"

    def describe(self, interface_state: str) -> dict[str, Any]:
        return {
            "bgpPeerId": self.peer_id,
            "asn": min(self.asn, 2**31 - 1),
            "asnLong": self.asn,
            "authKey": self.auth_key,
            "addressFamily": self.address_family,
            "amazonAddress": self.amazon_address,
            "customerAddress": self.customer_address,
            "bgpPeerState": self.state,
            # BGP is established only while the interface itself is up.
            "bgpStatus": "up" if interface_state == "available" else "down",
            "awsDeviceV2": self.device,
            "awsLogicalDeviceId": self.device,
        }


class VirtualInterface(ManagedState):
    def __init__(self, vif_type: str, *, owner: str, region: str, connection: Any, settings: dict[str, Any], amazon_side_asn: int, peer: BgpPeer):
        super().__init__(VIF_MODEL, [("pending", "available")])
        self.vif_id = _random_id("dxvif-")
        self.vif_type = vif_type
        self.owner = owner
        self.region = region
        self.connection_id = connection.connection_id if hasattr(connection, "connection_id") else connection.lag_id
        self.location = connection.location
        self.device = connection.aws_device_v2
        self.settings = settings
        self.amazon_side_asn = amazon_side_asn
        self.bgp_peers = [peer]
        self.deleted = False

    @property
    def arn(self) -> str:
        return f"arn:aws:directconnect:{self.region}:{self.owner}:dxvif/{self.vif_id}"

    @property
    def state(self) -> str:
        return "deleted" if self.deleted else str(self.status)

    def describe(self, tags: list[dict[str, str]]) -> dict[str, Any]:
        state = self.state
        s = self.settings
        described = {
            "ownerAccount": self.owner,
            "virtualInterfaceId": self.vif_id,
            "location": self.location,
            "connectionId": self.connection_id,
            "virtualInterfaceType": self.vif_type,
            "virtualInterfaceName": s["virtualInterfaceName"],
            "vlan": s["vlan"],
            "asn": min(s["asnLong"], 2**31 - 1),
            "asnLong": s["asnLong"],
            "amazonSideAsn": self.amazon_side_asn,
            "authKey": s["authKey"],
            "amazonAddress": s["amazonAddress"],
            "customerAddress": s["customerAddress"],
            "addressFamily": s["addressFamily"],
            "virtualInterfaceState": state,
            "mtu": s["mtu"],
            "jumboFrameCapable": True,
            "routeFilterPrefixes": [],
            "bgpPeers": [peer.describe(state) for peer in self.bgp_peers],
            "region": self.region,
            "awsDeviceV2": self.device,
            "awsLogicalDeviceId": self.device,
            "tags": tags,
            "siteLinkEnabled": s.get("enableSiteLink", False),
        }
        for key in ("virtualGatewayId", "directConnectGatewayId"):
            if s.get(key):
                described[key] = s[key]
        return described


@dataclass
class GlobalState:
    """What an account has once for all regions: its Direct Connect gateways and their associations."""

    gateways: dict[str, DirectConnectGateway] = field(default_factory=dict)
    associations: dict[str, GatewayAssociation] = field(default_factory=dict)


class LabDirectConnectBackend(DirectConnectBackend):
    _url_module = property(lambda self: urls_of(DirectConnectBackend))

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.virtual_interfaces: dict[str, VirtualInterface] = {}
        self.global_state = GlobalState()

    # Direct Connect gateways (global) ------------------------------------------------------------------------------

    @property
    def home(self) -> LabDirectConnectBackend:
        return directconnect_backends[self.account_id][GLOBAL_HOME_REGION]  # type: ignore[return-value]

    @property
    def gateways(self) -> dict[str, DirectConnectGateway]:
        return self.home.global_state.gateways

    @property
    def associations(self) -> dict[str, GatewayAssociation]:
        return self.home.global_state.associations

    def create_direct_connect_gateway(self, name: str, amazon_side_asn: int | None, tags: list[dict[str, str]] | None) -> DirectConnectGateway:
        asn = DEFAULT_AMAZON_ASN if amazon_side_asn is None else amazon_side_asn
        if not any(low <= asn <= high for low, high in AMAZON_ASN_RANGES):
            raise DirectConnectClientException(f"Amazon side ASN {asn} is invalid. Use a private ASN in the range 64512-65534 or 4200000000-4294967294.")
        tags = check_tags(tags)
        gateway = DirectConnectGateway(str(mock_random.uuid4()), name, asn, self.account_id)
        self.gateways[gateway.gateway_id] = gateway
        if tags:
            self.home.tagger.tag_resource(gateway.arn, tags)
        return gateway

    def get_direct_connect_gateway(self, gateway_id: str) -> DirectConnectGateway:
        gateway = self.gateways.get(gateway_id)
        if gateway is None:
            raise DirectConnectClientException(f"Direct Connect Gateway {gateway_id} does not exist.")
        return gateway

    def describe_direct_connect_gateways(self, gateway_id: str | None) -> list[DirectConnectGateway]:
        if gateway_id:
            return [self.get_direct_connect_gateway(gateway_id)]
        return list(self.gateways.values())

    def delete_direct_connect_gateway(self, gateway_id: str) -> DirectConnectGateway:
        gateway = self.get_direct_connect_gateway(gateway_id)
        if any(a.gateway is gateway and a.status != "disassociated" for a in self.associations.values()):
            raise DirectConnectClientException(f"Direct Connect Gateway {gateway_id} has associated gateways. Delete the associations first.")
        attached = [
            vif.vif_id
            for backend in directconnect_backends[self.account_id].values()
            for vif in backend.virtual_interfaces.values()
            if _attached(vif, gateway_id)
        ]
        if attached:
            raise DirectConnectClientException(f"Direct Connect Gateway {gateway_id} has virtual interfaces attached: {', '.join(attached)}.")
        del self.gateways[gateway_id]
        self.home.tagger.delete_all_tags_for_resource(gateway.arn)
        gateway.state = "deleting"
        return gateway

    def gateway_tags(self, gateway: DirectConnectGateway) -> list[dict[str, str]]:
        return self.home.list_tags_for_resource(gateway.arn)

    # associations --------------------------------------------------------------------------------------------------

    def create_association(self, gateway_id: str, associated_id: str | None, prefixes: list[dict[str, str]] | None) -> GatewayAssociation:
        from moto.ec2.models import ec2_backends

        gateway = self.get_direct_connect_gateway(gateway_id)
        if not associated_id:
            raise DirectConnectClientException("Either gatewayId or virtualGatewayId must be specified.")
        ec2 = ec2_backends[self.account_id][self.region_name]
        if associated_id.startswith("vgw-"):
            vgw = ec2.vpn_gateways.get(associated_id)
            if vgw is None or vgw.state != "available":
                raise DirectConnectClientException(f"Virtual private gateway {associated_id} does not exist in region {self.region_name}.")
            attached_vpcs = [a.vpc_id for a in vgw.attachments.values() if a.state == "attached"]
            if not attached_vpcs:
                raise DirectConnectClientException(f"Virtual private gateway {associated_id} is not attached to a VPC.")
            associated_type = "virtualPrivateGateway"
            default_prefixes = [{"cidr": ec2.get_vpc(vpc_id).cidr_block} for vpc_id in attached_vpcs]
        elif associated_id.startswith("tgw-"):
            if associated_id not in ec2.transit_gateways:
                raise DirectConnectClientException(f"Transit gateway {associated_id} does not exist in region {self.region_name}.")
            if not prefixes:
                raise DirectConnectClientException("addAllowedPrefixesToDirectConnectGateway is required for a transit gateway association.")
            associated_type = "transitGateway"
            default_prefixes = []
        else:
            raise DirectConnectClientException(f"{associated_id} is neither a virtual private gateway nor a transit gateway.")
        for existing in self.associations.values():
            if existing.associated_id == associated_id and existing.status not in ("disassociating", "disassociated"):
                where = "this" if existing.gateway is gateway else f"Direct Connect gateway {existing.gateway.gateway_id}"
                raise DirectConnectClientException(f"Gateway {associated_id} is already associated with {where}.")
        for prefix in prefixes or []:
            _check_cidr(prefix["cidr"])
        association = GatewayAssociation(
            gateway,
            associated_id=associated_id,
            associated_type=associated_type,
            region=self.region_name,
            owner=self.account_id,
            prefixes=prefixes or default_prefixes,
        )
        self.associations[association.association_id] = association
        return association

    def describe_associations(self, association_id: str | None, associated_id: str | None, gateway_id: str | None) -> list[GatewayAssociation]:
        found = []
        for association in list(self.associations.values()):
            if association_id and association.association_id != association_id:
                continue
            if associated_id and association.associated_id != associated_id:
                continue
            if gateway_id and association.gateway.gateway_id != gateway_id:
                continue
            if association.status == "disassociated":
                # Gone once fully disassociated, so callers polling for the empty list see it.
                del self.associations[association.association_id]
                continue
            found.append(association)
        return found

    def update_association(self, association_id: str | None, add: list[dict[str, str]] | None, remove: list[dict[str, str]] | None) -> GatewayAssociation:
        """UpdateDirectConnectGatewayAssociation: the association goes through `updating` back to `associated`."""
        association = self.associations.get(association_id or "")
        if association is None or association.status in ("disassociating", "disassociated"):
            raise DirectConnectClientException(f"The Direct Connect gateway association {association_id} does not exist.")
        if association.status != "associated":
            raise DirectConnectClientException(f"The Direct Connect gateway association {association_id} is {association.status}; try again later.")
        current = [prefix["cidr"] for prefix in association.allowed_prefixes]
        removed = [prefix["cidr"] for prefix in remove or []]
        added = [prefix["cidr"] for prefix in add or []]
        for cidr in removed + added:
            _check_cidr(cidr)
        missing = [cidr for cidr in removed if cidr not in current]
        if missing:
            raise DirectConnectClientException(f"The prefixes {', '.join(missing)} are not allowed prefixes of association {association_id}.")
        kept = [cidr for cidr in current if cidr not in removed]
        association.allowed_prefixes = [{"cidr": cidr} for cidr in kept + [cidr for cidr in dict.fromkeys(added) if cidr not in kept]]
        association.status = "updating"
        association._tick = 0
        return association

    def delete_association(self, association_id: str | None, gateway_id: str | None, virtual_gateway_id: str | None) -> GatewayAssociation:
        for association in self.associations.values():
            by_id = association_id and association.association_id == association_id
            by_pair = gateway_id and virtual_gateway_id and (association.gateway.gateway_id, association.associated_id) == (gateway_id, virtual_gateway_id)
            if (by_id or by_pair) and association.status not in ("disassociating", "disassociated"):
                association.status = "disassociating"
                association._tick = 0
                return association
        raise DirectConnectClientException("The Direct Connect gateway association does not exist.")

    # virtual interfaces --------------------------------------------------------------------------------------------

    def _connection_or_lag(self, connection_id: str) -> Any:
        found = self.connections.get(connection_id) or self.lags.get(connection_id)
        if found is None:
            raise DirectConnectClientException(f"Connection {connection_id} does not exist in region {self.region_name}.")
        state = getattr(found, "connection_state", None) or getattr(found, "lag_state", None)
        if str(state) in ("deleting", "deleted", "rejected"):
            raise DirectConnectClientException(f"Connection {connection_id} is {state}.")
        return found

    def create_virtual_interface(self, vif_type: str, connection_id: str, new: dict[str, Any]) -> VirtualInterface:
        connection = self._connection_or_lag(connection_id)
        tags = check_tags(new.get("tags"))
        vlan = new.get("vlan")
        low, high = VLAN_RANGE
        if vlan is None or not low <= vlan <= high:
            raise DirectConnectClientException(f"VLAN {vlan} is invalid. It must be between {low} and {high}.")
        for vif in self.virtual_interfaces.values():
            if vif.connection_id == connection_id and not vif.deleted and vif.settings["vlan"] == vlan:
                raise DirectConnectClientException(f"VLAN {vlan} is already in use on connection {connection_id} by {vif.vif_id}.")
        asn = new.get("asnLong") or new.get("asn")
        if not asn:
            raise DirectConnectClientException("A BGP ASN (asn or asnLong) is required.")
        mtu = new.get("mtu") or 1500
        if mtu not in MTU_CHOICES[vif_type]:
            raise DirectConnectClientException(
                f"MTU {mtu} is invalid for a {vif_type} virtual interface. Valid values: {', '.join(map(str, MTU_CHOICES[vif_type]))}."
            )
        amazon_side_asn = self._target_asn(vif_type, new)
        family = new.get("addressFamily") or "ipv4"
        amazon_address, customer_address = self._peer_addresses(family, new.get("amazonAddress"), new.get("customerAddress"))
        auth_key = new.get("authKey") or "".join(mock_random.choice(string.ascii_letters + string.digits) for _ in range(24))
        settings = {
            **new,
            "vlan": vlan,
            "asnLong": asn,
            "mtu": mtu,
            "addressFamily": family,
            "amazonAddress": amazon_address,
            "customerAddress": customer_address,
            "authKey": auth_key,
        }
        peer = BgpPeer(_random_id("dxpeer-"), asn, auth_key, family, amazon_address, customer_address, connection.aws_device_v2)
        vif = VirtualInterface(
            vif_type, owner=self.account_id, region=self.region_name, connection=connection, settings=settings, amazon_side_asn=amazon_side_asn, peer=peer
        )
        self.virtual_interfaces[vif.vif_id] = vif
        if tags:
            self.tagger.tag_resource(vif.arn, tags)
        return vif

    def _target_asn(self, vif_type: str, new: dict[str, Any]) -> int:
        from moto.ec2.models import ec2_backends

        vgw_id, dxgw_id = new.get("virtualGatewayId"), new.get("directConnectGatewayId")
        if vif_type == "transit" and not dxgw_id:
            raise DirectConnectClientException("directConnectGatewayId is required for a transit virtual interface.")
        if vif_type == "private" and bool(vgw_id) == bool(dxgw_id):
            raise DirectConnectClientException("Specify exactly one of virtualGatewayId and directConnectGatewayId.")
        if dxgw_id:
            return self.get_direct_connect_gateway(dxgw_id).amazon_side_asn
        vgw = ec2_backends[self.account_id][self.region_name].vpn_gateways.get(vgw_id)
        if vgw is None or vgw.state != "available":
            raise DirectConnectClientException(f"Virtual private gateway {vgw_id} does not exist in region {self.region_name}.")
        return int(vgw.amazon_side_asn or DEFAULT_AMAZON_ASN)

    def _peer_addresses(self, family: str, amazon: str | None, customer: str | None) -> tuple[str, str]:
        if family == "ipv6":
            # AWS always allocates IPv6 peer addresses itself.
            block = mock_random.randint(1, 0xFFFF)
            return f"2001:db8:{block:x}::1/125", f"2001:db8:{block:x}::2/125"
        if bool(amazon) != bool(customer):
            raise DirectConnectClientException("Specify both amazonAddress and customerAddress, or neither.")
        if amazon and customer:
            for address in (amazon, customer):
                _check_cidr(address)
            return amazon, customer
        block = mock_random.randint(0, 255 * 64 - 1)
        third, fourth = divmod(block * 4, 256)
        return f"169.254.{third}.{fourth + 1}/30", f"169.254.{third}.{fourth + 2}/30"

    def get_virtual_interface(self, vif_id: str) -> VirtualInterface:
        vif = self.virtual_interfaces.get(vif_id)
        if vif is None:
            raise DirectConnectClientException(f"Virtual interface {vif_id} does not exist.")
        return vif

    def describe_virtual_interfaces(self, connection_id: str | None, vif_id: str | None) -> list[VirtualInterface]:
        found = [self.get_virtual_interface(vif_id)] if vif_id else list(self.virtual_interfaces.values())
        return [vif for vif in found if not connection_id or vif.connection_id == connection_id]

    def delete_virtual_interface(self, vif_id: str) -> VirtualInterface:
        vif = self.get_virtual_interface(vif_id)
        vif.deleted = True
        for peer in vif.bgp_peers:
            peer.state = "deleted"
        return vif

    def set_virtual_interface_state(self, vif: VirtualInterface, state: str) -> None:
        if vif.deleted:
            raise control.LabError(409, f"{vif.vif_id} is deleted")
        vif.status = state

    # connections and LAGs: AWS's ids instead of moto's ARN-like ones ------------------------------------------------

    def create_connection(self, *args: Any, **kwargs: Any) -> Any:
        connection = super().create_connection(*args, **kwargs)
        moto_id = connection.connection_id
        connection.connection_id = _unique_id("dxcon-", self.connections)
        self.connections[connection.connection_id] = self.connections.pop(moto_id)
        self._move_tags(moto_id, self.arn_of("dxcon", connection.connection_id))
        return connection

    def create_lag(self, *args: Any, **kwargs: Any) -> Any:
        lag = super().create_lag(*args, **kwargs)
        moto_id = lag.lag_id
        lag.lag_id = _unique_id("dxlag-", self.lags)
        self.lags[lag.lag_id] = self.lags.pop(moto_id)
        self._move_tags(moto_id, self.arn_of("dxlag", lag.lag_id))
        for connection in lag.connections:
            connection.lag_id = lag.lag_id
            connection.connection_name = connection.connection_name.replace(moto_id, lag.lag_id)
        return lag

    def _move_tags(self, old_key: str, arn: str) -> None:
        tags = self.tagger.list_tags_for_resource(old_key)["Tags"]
        self.tagger.delete_all_tags_for_resource(old_key)
        if tags:
            self.tagger.tag_resource(arn, tags)

    # LAGs ---------------------------------------------------------------------------------------------------------

    def update_lag(self, lag_id: str, name: str | None, minimum_links: int | None, encryption_mode: str | None) -> Any:
        from moto.directconnect.exceptions import LAGNotFound

        lag = self.lags.get(lag_id)
        if lag is None:
            raise LAGNotFound(lag_id, self.region_name)
        if minimum_links is not None and not 0 <= minimum_links <= lag.number_of_connections:
            raise DirectConnectClientException(f"minimumLinks must be between 0 and the number of connections in the LAG ({lag.number_of_connections}).")
        if encryption_mode is not None and encryption_mode not in ENCRYPTION_MODES:
            raise DirectConnectClientException(f"encryptionMode must be one of {', '.join(ENCRYPTION_MODES)}.")
        if name:
            lag.lag_name = name
        if minimum_links is not None:
            lag.minimum_links = minimum_links
        if encryption_mode is not None:
            lag.encryption_mode = encryption_mode
        return lag

    # tags, by ARN as on AWS: gateways are global, so their tags live with the account's home backend -----------------

    def arn_of(self, resource_type: str, resource_id: str) -> str:
        region = "" if resource_type == "dx-gateway" else self.region_name
        return f"arn:aws:directconnect:{region}:{self.account_id}:{resource_type}/{resource_id}"

    def _tag_key(self, arn_or_id: str) -> str:
        """moto's Connection/LAG to_dict asks for the tags by id; everything else asks by ARN."""
        for resource_type, found in (("dxcon", self.connections), ("dxlag", self.lags), ("dxvif", self.virtual_interfaces)):
            if arn_or_id in found:
                return self.arn_of(resource_type, arn_or_id)
        return arn_or_id

    def _tag_owner(self, arn: str) -> LabDirectConnectBackend:
        """The backend that keeps the tags of the resource arn names; DirectConnectClientException when it names none."""
        parts = arn.split(":", 5)
        resource_type, _, resource_id = parts[5].partition("/") if len(parts) == 6 else ("", "", "")
        if len(parts) != 6 or parts[:3] != ["arn", "aws", SERVICE] or parts[4] != self.account_id:
            raise DirectConnectClientException(f"The resource {arn} does not exist.")
        if resource_type == "dx-gateway" and parts[3] == "" and resource_id in self.gateways:
            return self.home
        found = {"dxcon": self.connections, "dxlag": self.lags, "dxvif": self.virtual_interfaces}.get(resource_type, {})
        if resource_type in REGIONAL_ARN_TYPES and parts[3] == self.region_name and resource_id in found:
            return self
        raise DirectConnectClientException(f"The resource {arn} does not exist.")

    def tag_resource(self, arn: str, tags: dict[str, str]) -> None:
        owner = self._tag_owner(arn)
        current = owner.tagger.get_tag_dict_for_resource(arn)
        if len(set(current) | set(tags)) > MAX_TAGS:
            raise TooManyTagsException(f"A resource can have at most {MAX_TAGS} tags.")
        owner.tagger.tag_resource(arn, [{"key": key, "value": value} for key, value in tags.items()])

    def untag_resource(self, arn: str, tag_keys: list[str]) -> None:
        self._tag_owner(arn).tagger.untag_resource_using_names(arn, tag_keys)

    def list_tags_for_resource(self, resource_arn: str) -> list[dict[str, str]]:
        key = self._tag_key(resource_arn)
        owner = self.home if ":dx-gateway/" in key else self
        return [{"key": k, "value": v} for k, v in owner.tagger.get_tag_dict_for_resource(key).items()]

    def describe_tags(self, resource_arns: list[str]) -> list[dict[str, Any]]:
        for arn in resource_arns:
            self._tag_owner(arn)
        return [{"resourceArn": arn, "tags": self.list_tags_for_resource(arn)} for arn in resource_arns]


def _unique_id(prefix: str, taken: dict[str, Any]) -> str:
    while True:
        candidate = _random_id(prefix)
        if candidate not in taken:
            return candidate


def _attached(vif: VirtualInterface, gateway_id: str) -> bool:
    return not vif.deleted and vif.settings.get("directConnectGatewayId") == gateway_id


def _check_cidr(value: str) -> None:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise DirectConnectClientException(f"{value} is not a valid CIDR.") from None
