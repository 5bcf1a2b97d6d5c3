"""ELBv2: AWS's default load balancer attributes with stored values over them, and target zones kept on registration."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

ALB_DEFAULTS = {
    "idle_timeout.timeout_seconds": "60",
    "access_logs.s3.enabled": "false",
    "access_logs.s3.bucket": "",
    "access_logs.s3.prefix": "",
    "deletion_protection.enabled": "false",
    "routing.http2.enabled": "true",
    "load_balancing.cross_zone.enabled": "true",
    "client_keep_alive.seconds": "3600",
    "routing.http.desync_mitigation_mode": "defensive",
    "routing.http.drop_invalid_header_fields.enabled": "false",
    "routing.http.xff_header_processing.mode": "append",
    "waf.fail_open.enabled": "false",
    "zonal_shift.config.enabled": "false",
    "connection_logs.s3.enabled": "false",
}
ONPREM_IP = "192.168.20.11"


@pytest.fixture
def ec2(client):
    return client("ec2")


@pytest.fixture
def elbv2(client):
    return client("elbv2")


@pytest.fixture
def vpc(ec2):
    vpc_id = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for cidr, zone in (("10.40.0.0/20", "us-east-1a"), ("10.40.16.0/20", "us-east-1b"))
    ]
    return {"id": vpc_id, "subnets": subnets}


def create_balancer(elbv2, vpc, **settings):
    settings = {"Name": "lab", "Subnets": vpc["subnets"], "Scheme": "internal", **settings}
    return elbv2.create_load_balancer(**settings)["LoadBalancers"][0]["LoadBalancerArn"]


def attributes(elbv2, arn):
    return {item["Key"]: item["Value"] for item in elbv2.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}


def error_code(raised):
    return raised.value.response["Error"]["Code"]


def target_group(elbv2, vpc, target_type):
    return elbv2.create_target_group(Name=f"lab-{target_type}", Protocol="HTTP", Port=8080, VpcId=vpc["id"], TargetType=target_type)["TargetGroups"][0][
        "TargetGroupArn"
    ]


def registered(elbv2, group_arn, **query):
    return {item["Target"]["Id"]: item["Target"] for item in elbv2.describe_target_health(TargetGroupArn=group_arn, **query)["TargetHealthDescriptions"]}


def test_alb_answers_every_default_attribute_aws_documents(elbv2, vpc):
    internal = attributes(elbv2, create_balancer(elbv2, vpc))
    assert ALB_DEFAULTS.items() <= internal.items()
    assert internal["ipv6.deny_all_igw_traffic"] == "true"
    assert "dns_record.client_routing_policy" not in internal  # a Network Load Balancer attribute
    public = attributes(elbv2, create_balancer(elbv2, vpc, Name="public", Scheme="internet-facing"))
    assert public["ipv6.deny_all_igw_traffic"] == "false"


def test_stored_values_override_the_defaults_and_modify_answers_the_full_set(elbv2, vpc):
    arn = create_balancer(elbv2, vpc)
    changes = [
        {"Key": "idle_timeout.timeout_seconds", "Value": "120"},
        {"Key": "deletion_protection.enabled", "Value": "true"},
        {"Key": "access_logs.s3.enabled", "Value": "true"},
        {"Key": "access_logs.s3.bucket", "Value": "alb-logs"},
    ]
    answered = elbv2.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=changes)["Attributes"]
    expected = {**ALB_DEFAULTS, **{change["Key"]: change["Value"] for change in changes}}
    assert expected.items() <= {item["Key"]: item["Value"] for item in answered}.items()
    assert expected.items() <= attributes(elbv2, arn).items()


def test_network_load_balancer_has_its_own_defaults(elbv2, vpc):
    nlb = attributes(elbv2, create_balancer(elbv2, vpc, Name="nlb", Type="network"))
    assert nlb["load_balancing.cross_zone.enabled"] == "false"
    assert nlb["dns_record.client_routing_policy"] == "any_availability_zone"
    assert nlb["access_logs.s3.enabled"] == "false"
    assert "idle_timeout.timeout_seconds" not in nlb


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("dns_record.client_routing_policy", "any_availability_zone", "InvalidConfigurationRequest"),
        ("idle_timeout.timeout_seconds", "0", "ValidationError"),
        ("idle_timeout.timeout_seconds", "4001", "ValidationError"),
        ("routing.http2.enabled", "yes", "ValidationError"),
        ("routing.http.desync_mitigation_mode", "lenient", "ValidationError"),
        ("load_balancing.cross_zone.enabled", "false", "InvalidConfigurationRequest"),
    ],
)
def test_invalid_attributes_are_refused_and_nothing_is_stored(elbv2, vpc, key, value, code):
    arn = create_balancer(elbv2, vpc)
    with pytest.raises(ClientError) as raised:
        elbv2.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[{"Key": key, "Value": value}])
    assert error_code(raised) == code
    assert attributes(elbv2, arn).get(key) == ALB_DEFAULTS.get(key)


def test_ip_targets_keep_their_zone_and_vpc_addresses_get_their_subnets_zone(elbv2, vpc):
    group = target_group(elbv2, vpc, "ip")
    elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": ONPREM_IP, "Port": 8443, "AvailabilityZone": "all"}, {"Id": "10.40.16.20"}])
    targets = registered(elbv2, group)
    assert targets[ONPREM_IP] == {"Id": ONPREM_IP, "Port": 8443, "AvailabilityZone": "all"}
    assert targets["10.40.16.20"] == {"Id": "10.40.16.20", "Port": 8080, "AvailabilityZone": "us-east-1b"}
    assert registered(elbv2, group, Targets=[{"Id": ONPREM_IP, "Port": 8443}]) == {ONPREM_IP: targets[ONPREM_IP]}


@pytest.mark.parametrize(
    ("target_type", "target", "message"),
    [
        ("ip", {"Id": ONPREM_IP}, "outside the VPC"),
        ("ip", {"Id": ONPREM_IP, "AvailabilityZone": "mars-1a"}, "not valid"),
        ("ip", {"Id": "not-an-address", "AvailabilityZone": "all"}, "not a valid IP address"),
        ("instance", {"Id": "i-0123456789abcdef0", "AvailabilityZone": "us-east-1a"}, "cannot be specified"),
    ],
)
def test_registrations_aws_refuses_are_refused_and_register_nothing(elbv2, vpc, target_type, target, message):
    group = target_group(elbv2, vpc, target_type)
    with pytest.raises(ClientError) as raised:
        elbv2.register_targets(TargetGroupArn=group, Targets=[target])
    assert error_code(raised) == "ValidationError"
    assert message in raised.value.response["Error"]["Message"]
    assert registered(elbv2, group) == {}


def test_create_is_idempotent_for_the_same_settings_and_refuses_a_name_with_others(elbv2, vpc):
    """AWS: "If you attempt to create multiple load balancers with the same settings, each call succeeds": one
    load balancer, the same ARN; the same name with other settings is DuplicateLoadBalancerName."""
    first = create_balancer(elbv2, vpc)
    assert create_balancer(elbv2, vpc) == first
    assert [balancer["LoadBalancerArn"] for balancer in elbv2.describe_load_balancers()["LoadBalancers"]] == [first]
    with pytest.raises(ClientError) as raised:
        create_balancer(elbv2, vpc, Scheme="internet-facing")
    assert error_code(raised) == "DuplicateLoadBalancerName"
    with pytest.raises(ClientError) as raised:
        create_balancer(elbv2, vpc, Subnets=vpc["subnets"][:1])
    assert error_code(raised) == "DuplicateLoadBalancerName"
    assert len(elbv2.describe_load_balancers()["LoadBalancers"]) == 1
