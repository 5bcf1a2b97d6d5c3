"""ELBv2 answers moto gets wrong and upstream modules depend on.

- DescribeLoadBalancerAttributes answers every attribute AWS documents for the load balancer's type, with AWS's
  defaults (idle_timeout.timeout_seconds 60, access_logs.s3.enabled false, deletion_protection.enabled false,
  routing.http2.enabled true, ...), values set through ModifyLoadBalancerAttributes overriding them. moto answers
  four keys, one of them wrong (cross-zone is always on for an ALB), and amazon.aws.elb_application_lb fails on
  the missing idle timeout and access log keys.
- ModifyLoadBalancerAttributes accepts the keys AWS documents for the type and checks their values (booleans,
  idle timeout 1-4000 s, client keep-alive 60-604800 s); cross-zone load balancing of an ALB cannot be turned off.
- RegisterTargets keeps a target's AvailabilityZone, which DescribeTargetHealth then returns. As on AWS: an ip
  target inside the VPC gets the zone of its subnet unless one is given, an ip target outside the VPC (on premises,
  a peered network) must name one ("all" or a zone of the region), an instance target cannot, a lambda target
  only "all".
"""

from __future__ import annotations

import ipaddress
from typing import Any

from moto.elbv2.exceptions import (
    DuplicateLoadBalancerName,
    InvalidConfigurationRequest,
    LoadBalancerNotFoundError,
    TargetGroupNotFoundError,
    ValidationError,
)
from moto.elbv2.models import ELBv2Backend, FakeHealthStatus, FakeLoadBalancer, FakeTargetGroup, elbv2_backends

from awsemu.extensions._moto_classes import urls_of, use_backend_class

ALL_ZONES = "all"
_SHARED_DEFAULTS = {"deletion_protection.enabled": "false"}
_ALB_AND_NLB_DEFAULTS = {
    "access_logs.s3.enabled": "false",
    "access_logs.s3.bucket": "",
    "access_logs.s3.prefix": "",
    "zonal_shift.config.enabled": "false",
}
ALB_DEFAULTS = {
    **_SHARED_DEFAULTS,
    **_ALB_AND_NLB_DEFAULTS,
    "load_balancing.cross_zone.enabled": "true",
    "idle_timeout.timeout_seconds": "60",
    "client_keep_alive.seconds": "3600",
    "connection_logs.s3.enabled": "false",
    "connection_logs.s3.bucket": "",
    "connection_logs.s3.prefix": "",
    "health_check_logs.s3.enabled": "false",
    "health_check_logs.s3.bucket": "",
    "health_check_logs.s3.prefix": "",
    "routing.http.desync_mitigation_mode": "defensive",
    "routing.http.drop_invalid_header_fields.enabled": "false",
    "routing.http.preserve_host_header.enabled": "false",
    "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
    "routing.http.x_amzn_tls_kx.enabled": "false",
    "routing.http.xff_client_port.enabled": "false",
    "routing.http.xff_header_processing.mode": "append",
    "routing.http2.enabled": "true",
    "waf.fail_open.enabled": "false",
}
NLB_DEFAULTS = {
    **_SHARED_DEFAULTS,
    **_ALB_AND_NLB_DEFAULTS,
    "load_balancing.cross_zone.enabled": "false",
    "dns_record.client_routing_policy": "any_availability_zone",
    "secondary_ips.auto_assigned.per_subnet": "0",
}
GATEWAY_DEFAULTS = {**_SHARED_DEFAULTS, "load_balancing.cross_zone.enabled": "false"}
DEFAULTS_BY_TYPE = {"application": ALB_DEFAULTS, "network": NLB_DEFAULTS, "gateway": GATEWAY_DEFAULTS}
# Keys whose value has a fixed set or range; every *.enabled key is a boolean.
CHOICES = {
    "routing.http.desync_mitigation_mode": ("monitor", "defensive", "strictest"),
    "routing.http.xff_header_processing.mode": ("append", "preserve", "remove"),
    "dns_record.client_routing_policy": ("availability_zone_affinity", "partial_availability_zone_affinity", "any_availability_zone"),
}
RANGES = {"idle_timeout.timeout_seconds": (1, 4000), "client_keep_alive.seconds": (60, 604800), "secondary_ips.auto_assigned.per_subnet": (0, 7)}


def default_attributes(balancer: FakeLoadBalancer) -> dict[str, str]:
    defaults = dict(DEFAULTS_BY_TYPE.get(balancer.type, ALB_DEFAULTS))
    if "access_logs.s3.enabled" in defaults:
        # AWS blocks internet gateway traffic to internal load balancers by default.
        defaults["ipv6.deny_all_igw_traffic"] = "true" if balancer.scheme == "internal" else "false"
    return defaults


def check_attribute(balancer: FakeLoadBalancer, key: str, value: str) -> None:
    if key not in default_attributes(balancer):
        raise InvalidConfigurationRequest(f"Key {key} not valid")
    if key.endswith(".enabled") and value not in ("true", "false"):
        raise ValidationError(f"The value of '{key}' must be 'true' or 'false', not '{value}'")
    if key in CHOICES and value not in CHOICES[key]:
        raise ValidationError(f"The value of '{key}' must be one of {', '.join(CHOICES[key])}, not '{value}'")
    if key in RANGES:
        low, high = RANGES[key]
        if not value.isdigit() or not low <= int(value) <= high:
            raise ValidationError(f"The value of '{key}' must be an integer from {low} to {high}, not '{value}'")
    if balancer.type == "application" and key == "load_balancing.cross_zone.enabled" and value != "true":
        raise InvalidConfigurationRequest("Cross-zone load balancing is always enabled on an Application Load Balancer")


class ZonedHealthStatus(FakeHealthStatus):
    """A target health answer that names the zone the target was registered in."""

    def __init__(self, status: FakeHealthStatus, zone: str):
        super().__init__(status.instance_id, status.port, status.health_check_port, status.status, status.reason, status.description)
        self.availability_zone = zone

    @property
    def target(self) -> dict[str, str]:
        return {**super().target, "AvailabilityZone": self.availability_zone}


class LabELBv2Backend(ELBv2Backend):
    _url_module = property(lambda self: urls_of(ELBv2Backend))

    # idempotent create --------------------------------------------------------------------------------------------

    def create_load_balancer(  # noqa: PLR0917  # moto's signature
        self,
        name: str,
        security_groups: list[str],
        subnet_ids: list[str],
        subnet_mappings: list[dict[str, str]] | None = None,
        scheme: str = "internet-facing",
        loadbalancer_type: str | None = None,
        ip_address_type: str = "ipv4",
        tags: list[dict[str, str]] | None = None,
    ) -> FakeLoadBalancer:
        """CreateLoadBalancer as AWS documents it: idempotent, so a second call with the same name and the same settings
        answers the existing load balancer, and the same name with other settings is DuplicateLoadBalancerName. moto
        makes a second load balancer of the same name (its duplicate check compares ARNs holding a random id), so a
        client retrying a create whose answer was lost would find two where AWS keeps one."""
        existing = next((balancer for balancer in self.load_balancers.values() if balancer.name == name), None)
        if existing is None:
            return super().create_load_balancer(name, security_groups, subnet_ids, subnet_mappings, scheme, loadbalancer_type, ip_address_type, tags)
        wanted_subnets = set(subnet_ids or []) | {mapping["SubnetId"] for mapping in subnet_mappings or []}
        same = (
            existing.scheme == scheme
            and existing.type == (loadbalancer_type or "application")
            and existing.ip_address_type == ip_address_type
            and {subnet.id for subnet in existing.subnets} == wanted_subnets
            and set(existing.security_groups or []) == set(security_groups or [])
        )
        if not same:
            raise DuplicateLoadBalancerName()
        return existing

    # load balancer attributes -------------------------------------------------------------------------------------

    def _balancer(self, arn: str) -> FakeLoadBalancer:
        balancer = self.load_balancers.get(arn)
        if balancer is None:
            raise LoadBalancerNotFoundError()
        return balancer

    def describe_load_balancer_attributes(self, arn: str) -> dict[str, Any]:
        balancer = self._balancer(arn)
        return {**default_attributes(balancer), **getattr(balancer, "lab_attributes", {})}

    def modify_load_balancer_attributes(self, arn: str, attrs: dict[str, Any]) -> dict[str, Any]:
        balancer = self._balancer(arn)
        for key, value in attrs.items():
            check_attribute(balancer, key, str(value))
        balancer.attrs.update(attrs)
        balancer.lab_attributes = {**getattr(balancer, "lab_attributes", {}), **{key: str(value) for key, value in attrs.items()}}
        return self.describe_load_balancer_attributes(arn)

    # target zones --------------------------------------------------------------------------------------------------

    def _zone_names(self) -> set[str]:
        return {zone.name for zone in self.ec2_backend.describe_availability_zones()}

    def _zone_in_vpc(self, vpc_id: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> tuple[bool, str | None]:
        """(whether the address is inside the VPC's ranges, the zone of the subnet holding it)."""
        vpc = self.ec2_backend.get_vpc(vpc_id)
        ranges = [ipaddress.ip_network(block["cidr_block"]) for block in vpc.get_cidr_block_association_set()] or [ipaddress.ip_network(vpc.cidr_block)]
        if not any(address in network for network in ranges):
            return False, None
        for subnet in self.ec2_backend.describe_subnets(filters={"vpc-id": [vpc_id]}):
            if address in ipaddress.ip_network(subnet.cidr_block):
                return True, subnet.availability_zone
        return True, None

    def target_zone(self, group: FakeTargetGroup, target: dict[str, Any]) -> str | None:
        """The zone AWS records for a target being registered, or raise as AWS does."""
        zone = target.get("AvailabilityZone")
        if zone is not None and zone != ALL_ZONES and zone not in self._zone_names():
            raise ValidationError(f"The Availability Zone '{zone}' is not valid; use '{ALL_ZONES}' or a zone of {self.region_name}")
        if group.target_type in ("instance", "alb"):
            if zone is not None:
                raise ValidationError(f"An Availability Zone cannot be specified for targets of type '{group.target_type}'")
            return None
        if group.target_type == "lambda":
            if zone not in (None, ALL_ZONES):
                raise ValidationError(f"The only Availability Zone a lambda target accepts is '{ALL_ZONES}'")
            return zone
        try:
            address = ipaddress.ip_address(target["Id"])
        except ValueError:
            raise ValidationError(f"'{target['Id']}' is not a valid IP address for a target group of type 'ip'") from None
        inside, subnet_zone = self._zone_in_vpc(group.vpc_id, address)
        if not inside and zone is None:
            raise ValidationError(
                f"The IP address '{target['Id']}' is outside the VPC of the target group; specify an Availability Zone ('{ALL_ZONES}' or a zone)"
            )
        return zone or subnet_zone

    def register_targets(self, target_group_arn: str, instances: list[Any]) -> None:
        group = self.target_groups.get(target_group_arn)
        if group is None:
            raise TargetGroupNotFoundError()
        zones = {target["Id"]: self.target_zone(group, target) for target in instances}
        super().register_targets(target_group_arn, instances)
        for target_id, zone in zones.items():
            registered = group.targets.get(target_id)
            if registered is None:
                continue
            if zone:
                registered["AvailabilityZone"] = zone
            else:
                registered.pop("AvailabilityZone", None)

    def describe_target_health(self, target_group_arn: str, targets: list[dict[str, Any]]) -> list[FakeHealthStatus]:
        statuses = super().describe_target_health(target_group_arn, targets)
        group = self.target_groups[target_group_arn]
        answers: list[FakeHealthStatus] = []
        for status in statuses:
            zone = (group.targets.get(status.instance_id) or {}).get("AvailabilityZone")
            answers.append(ZonedHealthStatus(status, zone) if zone else status)
        return answers


def install() -> None:
    """Swap in the lab's ELBv2 backend (idempotent). The responses are moto's: ELB and ELBv2 share one URL handler."""
    use_backend_class(elbv2_backends, LabELBv2Backend)
