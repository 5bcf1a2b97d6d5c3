"""elbv2_layer_info: one read of the load balancer layer, validated against botocore's ELBv2 model (the calls run one
after the other here, so that the Stubber sees them in order)."""

import datetime

import pytest

from ansible_collections.hybridcloud.aws.plugins.module_utils import elbv2_layer
from ansible_collections.hybridcloud.aws.plugins.modules import elbv2_layer_info

PREFIX = "arn:aws:elasticloadbalancing:us-east-1:123456789012"
ALB_ARN = f"{PREFIX}:loadbalancer/app/internal/50dc6c495c0c9188"
LISTENER_ARN = f"{PREFIX}:listener/app/internal/50dc6c495c0c9188/f2f7dc8efc522ab2"


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    monkeypatch.setattr(elbv2_layer, "MAX_WORKERS", 1)


def group_arn(name):
    return f"{PREFIX}:targetgroup/{name}/73e2d6bc24d8a067"


def target_group(name, port=8080):
    return {
        "TargetGroupArn": group_arn(name),
        "TargetGroupName": name,
        "Protocol": "HTTP",
        "Port": port,
        "VpcId": "vpc-1",
        "HealthCheckProtocol": "HTTP",
        "HealthCheckPort": "traffic-port",
        "HealthCheckIntervalSeconds": 15,
        "HealthCheckTimeoutSeconds": 5,
        "HealthyThresholdCount": 3,
        "UnhealthyThresholdCount": 3,
        "HealthCheckPath": "/health",
        "Matcher": {"HttpCode": "200"},
        "LoadBalancerArns": [ALB_ARN],
        "TargetType": "ip",
    }


BALANCER = {
    "LoadBalancerArn": ALB_ARN,
    "DNSName": "internal-internal-1.us-east-1.elb.amazonaws.com",
    "CanonicalHostedZoneId": "Z35SXDOTRQ7X7K",
    "CreatedTime": datetime.datetime(2026, 1, 1),
    "LoadBalancerName": "internal",
    "Scheme": "internal",
    "VpcId": "vpc-1",
    "State": {"Code": "active"},
    "Type": "application",
    "AvailabilityZones": [{"ZoneName": "us-east-1b", "SubnetId": "subnet-b"}, {"ZoneName": "us-east-1a", "SubnetId": "subnet-a"}],
    "SecurityGroups": ["sg-1"],
    "IpAddressType": "ipv4",
}
LISTENER = {
    "ListenerArn": LISTENER_ARN,
    "LoadBalancerArn": ALB_ARN,
    "Port": 80,
    "Protocol": "HTTP",
    "DefaultActions": [{"Type": "forward", "TargetGroupArn": group_arn("orders")}],
}
RULES = [
    {
        "RuleArn": f"{PREFIX}:listener-rule/app/internal/1/2/3",
        "Priority": "10",
        "Conditions": [{"Field": "path-pattern", "Values": ["/billing/*"]}],
        "Actions": [{"Type": "forward", "TargetGroupArn": group_arn("billing")}],
        "IsDefault": False,
    },
    {"RuleArn": f"{PREFIX}:listener-rule/app/internal/1/2/4", "Priority": "default", "Conditions": [], "Actions": [], "IsDefault": True},
]


def expect_details(stubber, groups, targets_of=()):
    """The calls of a full read after the ALB and the target groups, in the order they are started."""
    stubber.add_response(
        "describe_load_balancer_attributes",
        {"Attributes": [{"Key": "deletion_protection.enabled", "Value": "true"}, {"Key": "idle_timeout.timeout_seconds", "Value": "60"}]},
        {"LoadBalancerArn": ALB_ARN},
    )
    for name in groups:
        stubber.add_response(
            "describe_target_group_attributes",
            {"Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]},
            {"TargetGroupArn": group_arn(name)},
        )
    for name in targets_of:
        stubber.add_response(
            "describe_target_health",
            {
                "TargetHealthDescriptions": [
                    {"Target": {"Id": "192.168.20.11", "Port": 8443, "AvailabilityZone": "all"}, "TargetHealth": {"State": "unavailable"}},
                    {"Target": {"Id": "192.168.20.12", "Port": 9443}, "TargetHealth": {"State": "unavailable"}},
                ]
            },
            {"TargetGroupArn": group_arn(name)},
        )
    arns = [ALB_ARN] + [group_arn(name) for name in groups]
    stubber.add_response(
        "describe_tags",
        {"TagDescriptions": [{"ResourceArn": arn, "Tags": [{"Key": "Name", "Value": arn.split("/")[-2]}]} for arn in arns]},
        {"ResourceArns": arns},
    )
    stubber.add_response("describe_listeners", {"Listeners": [LISTENER]}, {"LoadBalancerArn": ALB_ARN})
    stubber.add_response("describe_rules", {"Rules": RULES}, {"ListenerArn": LISTENER_ARN})


def test_reads_the_alb_its_listeners_rules_and_the_target_groups_in_batched_calls(module_run):
    run = module_run("elbv2")
    run.stubber.add_response(
        "describe_target_groups", {"TargetGroups": [target_group("orders"), target_group("billing", 8443)]}, {"Names": ["orders", "billing"]}
    )
    run.stubber.add_response("describe_load_balancers", {"LoadBalancers": [BALANCER]}, {"Names": ["internal"]})
    expect_details(run.stubber, ["orders", "billing"], targets_of=["billing"])

    result = run(elbv2_layer_info.main, {"name": "internal", "target_groups": ["orders", "billing", "orders"], "targets_of": ["billing"]})

    assert result["changed"] is False
    balancer = result["load_balancer"]
    assert (balancer["load_balancer_arn"], balancer["dns_name"], balancer["scheme"], balancer["type"]) == (
        ALB_ARN,
        BALANCER["DNSName"],
        "internal",
        "application",
    )
    assert balancer["subnets"] == ["subnet-a", "subnet-b"]
    assert balancer["security_groups"] == ["sg-1"]
    assert "created_time" not in balancer
    assert balancer["attributes"] == {"deletion_protection_enabled": "true", "idle_timeout_timeout_seconds": "60"}
    assert balancer["tags"] == {"Name": "internal"}
    # Listeners and rules stay as the API answers them: the form elb_application_lb compares.
    assert balancer["listeners"] == [dict(LISTENER, Rules=RULES)]

    assert sorted(result["target_groups"]) == ["billing", "orders"]
    orders, billing = result["target_groups"]["orders"], result["target_groups"]["billing"]
    assert (orders["target_group_arn"], orders["port"]) == (group_arn("orders"), 8080)
    assert (orders["health_check_path"], orders["matcher"]) == ("/health", {"http_code": "200"})
    assert orders["attributes"] == {"deregistration_delay_timeout_seconds": "30"}
    assert orders["tags"] == {"Name": "orders"}
    assert orders["targets"] is None
    assert billing["targets"] == [{"id": "192.168.20.11", "port": 8443, "availability_zone": "all"}, {"id": "192.168.20.12", "port": 9443}]
    assert result["target_group_arns"] == {"orders": group_arn("orders"), "billing": group_arn("billing")}
    assert result["missing_target_groups"] == []


def test_nothing_there_yet_is_no_error_and_lists_the_account_s_groups_once(module_run):
    run = module_run("elbv2")
    run.stubber.add_client_error("describe_target_groups", "TargetGroupNotFound", expected_params={"Names": ["orders", "billing"]})
    run.stubber.add_response("describe_target_groups", {"TargetGroups": [target_group("unrelated")], "NextMarker": "m"}, {})
    run.stubber.add_response("describe_target_groups", {"TargetGroups": [target_group("orders")]}, {"Marker": "m"})
    run.stubber.add_client_error("describe_load_balancers", "LoadBalancerNotFound", expected_params={"Names": ["internal"]})
    attributes = {"Attributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "300"}]}
    run.stubber.add_response("describe_target_group_attributes", attributes, {"TargetGroupArn": group_arn("orders")})
    run.stubber.add_response("describe_tags", {"TagDescriptions": [{"ResourceArn": group_arn("orders")}]}, {"ResourceArns": [group_arn("orders")]})

    result = run(elbv2_layer_info.main, {"name": "internal", "target_groups": ["orders", "billing"]})

    assert result["load_balancer"] == {}
    assert sorted(result["target_groups"]) == ["orders"]
    assert result["target_groups"]["orders"]["tags"] == {}
    assert result["missing_target_groups"] == ["billing"]


def test_tags_are_read_in_batches_of_twenty_arns(module_run):
    names = [f"group-{number:02d}" for number in range(25)]
    run = module_run("elbv2")
    run.stubber.add_response("describe_target_groups", {"TargetGroups": [target_group(name) for name in names[:20]]}, {"Names": names[:20]})
    run.stubber.add_response("describe_target_groups", {"TargetGroups": [target_group(name) for name in names[20:]]}, {"Names": names[20:]})
    run.stubber.add_client_error("describe_load_balancers", "LoadBalancerNotFound", expected_params={"Names": ["internal"]})
    for name in names:
        run.stubber.add_response("describe_target_group_attributes", {"Attributes": []}, {"TargetGroupArn": group_arn(name)})
    for batch in (names[:20], names[20:]):
        arns = [group_arn(name) for name in batch]
        tags = [{"ResourceArn": arn, "Tags": [{"Key": "Name", "Value": arn.split("/")[-2]}]} for arn in arns]
        run.stubber.add_response("describe_tags", {"TagDescriptions": tags}, {"ResourceArns": arns})

    result = run(elbv2_layer_info.main, {"name": "internal", "target_groups": names})

    assert {name: group["tags"] for name, group in result["target_groups"].items()} == {name: {"Name": name} for name in names}


def test_without_details_two_calls_give_the_arns_and_dns_name(module_run):
    run = module_run("elbv2")
    run.stubber.add_response("describe_target_groups", {"TargetGroups": [target_group("orders")]}, {"Names": ["orders"]})
    run.stubber.add_response("describe_load_balancers", {"LoadBalancers": [BALANCER]}, {"Names": ["internal"]})

    result = run(elbv2_layer_info.main, {"name": "internal", "target_groups": ["orders"], "details": False})

    assert (result["load_balancer"]["load_balancer_arn"], result["load_balancer"]["dns_name"]) == (ALB_ARN, BALANCER["DNSName"])
    assert "listeners" not in result["load_balancer"]
    assert result["target_group_arns"] == {"orders": group_arn("orders")}


def test_no_target_groups_reads_the_alb_alone(module_run):
    run = module_run("elbv2")
    run.stubber.add_response("describe_load_balancers", {"LoadBalancers": [BALANCER]}, {"Names": ["internal"]})
    expect_details(run.stubber, [])
    result = run(elbv2_layer_info.main, {"name": "internal"})
    assert result["target_groups"] == {} and result["missing_target_groups"] == []
    assert result["load_balancer"]["listeners"][0]["Rules"] == RULES


def test_an_aws_error_fails_with_its_message(module_run):
    run = module_run("elbv2")
    run.stubber.add_client_error("describe_load_balancers", "AccessDenied", "not allowed", expected_params={"Names": ["internal"]})
    result = run(elbv2_layer_info.main, {"name": "internal"})
    assert result["failed"] is True
    assert "Failed to describe load balancer internal" in result["msg"]
    assert "not allowed" in result["msg"]
