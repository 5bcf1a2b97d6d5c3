"""load_balancer_writes (which write modules the load balancer role runs), on reads shaped as
hybridcloud.aws.elbv2_layer_info returns them and wanted inputs as the role hands them."""

import copy

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.alb_listener_rules import alb_listener_rules
from ansible_collections.hybridcloud.aws.plugins.filter.load_balancer_writes import FilterModule

load_balancer_writes = FilterModule().filters()["load_balancer_writes"]

PREFIX = "arn:aws:elasticloadbalancing:us-east-1:123456789012"
ALB_ARN = f"{PREFIX}:loadbalancer/app/internal/1"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/c"
TAGS = {"Project": "hybridcloud"}
TARGET_GROUPS = [
    {"name": "orders", "port": 8080, "health_check": {"path": "/health", "matcher": "200"}},
    {"name": "billing", "target_type": "ip", "port": 8443, "protocol": "HTTPS", "targets": [{"id": "192.168.20.11"}, {"id": "192.168.20.12", "port": 9443}]},
]
RULES = [
    {"priority": 10, "target_group": "billing", "path_patterns": ["/billing/*"]},
    {"priority": 20, "target_group": "orders", "host_headers": ["orders.corp.example"]},
]


def group_arn(name):
    return f"{PREFIX}:targetgroup/{name}/1"


def http_listeners(rules=None):
    rules = RULES if rules is None else rules
    return [{"Protocol": "HTTP", "Port": 80, "DefaultActions": [{"Type": "forward", "TargetGroupName": "orders"}], "Rules": alb_listener_rules(rules)}]


def https_listeners():
    return [
        {
            "Protocol": "HTTPS",
            "Port": 443,
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "Certificates": [{"CertificateArn": CERTIFICATE}],
            "DefaultActions": [{"Type": "forward", "TargetGroupName": "orders"}],
            "Rules": alb_listener_rules(RULES),
        },
        {
            "Protocol": "HTTP",
            "Port": 80,
            "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}],
            "Rules": [],
        },
    ]


def wanted(**changes):
    return {
        "name": "internal",
        "subnets": ["subnet-a", "subnet-b"],
        "security_groups": ["sg-1"],
        "listeners": http_listeners(),
        "deletion_protection": True,
        "idle_timeout": 60,
        "access_logs_bucket": "",
        "access_logs_prefix": "",
        "tags": TAGS,
        "vpc_id": "vpc-1",
        "target_groups": TARGET_GROUPS,
        **changes,
    }


def aws_rule(number, priority, conditions, group):
    """A rule as DescribeRules answers it (the condition also in its *Config form, the forward also as ForwardConfig)."""
    return {
        "RuleArn": f"{PREFIX}:listener-rule/app/internal/1/1/{number}",
        "Priority": str(priority),
        "Conditions": conditions,
        "Actions": [
            {
                "Type": "forward",
                "TargetGroupArn": group_arn(group),
                "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": group_arn(group), "Weight": 1}], "TargetGroupStickinessConfig": {"Enabled": False}},
            }
        ],
        "IsDefault": False,
    }


DEFAULT_RULE = {"RuleArn": f"{PREFIX}:listener-rule/app/internal/1/1/0", "Priority": "default", "Conditions": [], "Actions": [], "IsDefault": True}
AWS_RULES = [
    aws_rule(1, 10, [{"Field": "path-pattern", "Values": ["/billing/*"], "PathPatternConfig": {"Values": ["/billing/*"]}}], "billing"),
    aws_rule(2, 20, [{"Field": "host-header", "Values": ["orders.corp.example"], "HostHeaderConfig": {"Values": ["orders.corp.example"]}}], "orders"),
    DEFAULT_RULE,
]


def aws_listener(port=80, protocol="HTTP", default_actions=None, rules=None, **extra):
    return {
        "ListenerArn": f"{PREFIX}:listener/app/internal/1/{port}",
        "LoadBalancerArn": ALB_ARN,
        "Port": port,
        "Protocol": protocol,
        "DefaultActions": default_actions or [{"Type": "forward", "TargetGroupArn": group_arn("orders")}],
        "Rules": copy.deepcopy(AWS_RULES if rules is None else rules),
        **extra,
    }


def read_group(name, **changes):
    group = {
        "target_group_arn": group_arn(name),
        "target_group_name": name,
        "protocol": "HTTP",
        "port": 8080,
        "vpc_id": "vpc-1",
        "target_type": "instance",
        "health_check_protocol": "HTTP",
        "health_check_port": "traffic-port",
        "health_check_path": "/health",
        "health_check_interval_seconds": 15,
        "health_check_timeout_seconds": 5,
        "healthy_threshold_count": 3,
        "unhealthy_threshold_count": 3,
        "matcher": {"http_code": "200"},
        "attributes": {"deregistration_delay_timeout_seconds": "30", "stickiness_enabled": "false"},
        "tags": dict(TAGS, Name=name),
        "targets": None,
    }
    if name == "billing":
        group.update(
            protocol="HTTPS",
            port=8443,
            target_type="ip",
            health_check_protocol="HTTPS",
            health_check_path="/",
            matcher={"http_code": "200-399"},
            targets=[{"id": "192.168.20.11", "port": 8443, "availability_zone": "all"}, {"id": "192.168.20.12", "port": 9443, "availability_zone": "all"}],
        )
    group.update(changes)
    return group


def converged(listeners=None, **changes):
    balancer = {
        "load_balancer_arn": ALB_ARN,
        "load_balancer_name": "internal",
        "dns_name": "internal-1.elb.amazonaws.com",
        "scheme": "internal",
        "type": "application",
        "security_groups": ["sg-1"],
        "subnets": ["subnet-a", "subnet-b"],
        "attributes": {
            "deletion_protection_enabled": "true",
            "idle_timeout_timeout_seconds": "60",
            "access_logs_s3_enabled": "false",
            "access_logs_s3_bucket": "",
            "access_logs_s3_prefix": "",
            "routing_http2_enabled": "true",
        },
        "tags": dict(TAGS, Name="internal"),
        "listeners": [aws_listener()] if listeners is None else listeners,
        **changes,
    }
    groups = {name: read_group(name) for name in ("orders", "billing")}
    return {
        "load_balancer": balancer,
        "target_groups": groups,
        "target_group_arns": {name: group["target_group_arn"] for name, group in groups.items()},
        "missing_target_groups": [],
    }


def with_group(layer, name, **changes):
    layer = copy.deepcopy(layer)
    layer["target_groups"][name].update(changes)
    return layer


def test_a_converged_layer_needs_no_write():
    assert load_balancer_writes(converged(), wanted()) == {
        "alb": [],
        "target_groups": {"orders": [], "billing": []},
        "target_group_settings": load_balancer_writes(converged(), wanted())["target_group_settings"],
    }


def test_nothing_there_yet_needs_every_write():
    writes = load_balancer_writes({"load_balancer": {}, "target_groups": {}, "target_group_arns": {}}, wanted())
    assert writes["alb"] == ["missing"]
    assert writes["target_groups"] == {"orders": ["missing"], "billing": ["missing"]}


def test_the_settings_are_the_entries_over_the_role_s_defaults():
    settings = load_balancer_writes(converged(), wanted())["target_group_settings"]
    assert settings["orders"] == {
        "target_type": "instance",
        "protocol": "HTTP",
        "port": 8080,
        "vpc_id": "vpc-1",
        "health_check_protocol": "HTTP",
        "health_check_path": "/health",
        "health_check_interval": 15,
        "health_check_timeout": 5,
        "healthy_threshold_count": 3,
        "unhealthy_threshold_count": 3,
        "successful_response_codes": "200",
        "deregistration_delay_timeout": 30,
        "modify_targets": False,
        "targets": None,
        "tags": {"Project": "hybridcloud", "Name": "orders"},
    }
    billing = settings["billing"]
    assert (billing["target_type"], billing["protocol"], billing["health_check_protocol"], billing["health_check_path"]) == ("ip", "HTTPS", "HTTPS", "/")
    assert billing["successful_response_codes"] == "200-399"
    assert billing["modify_targets"] is True
    assert billing["targets"] == [
        {"Id": "192.168.20.11", "Port": 8443, "AvailabilityZone": "all"},
        {"Id": "192.168.20.12", "Port": 9443, "AvailabilityZone": "all"},
    ]


@pytest.mark.parametrize(
    ("changes", "difference"),
    [
        ({"subnets": ["subnet-a", "subnet-c"]}, "subnets"),
        ({"security_groups": ["sg-2"]}, "security_groups"),
        ({"type": "network"}, "type"),
        ({"tags": {"Name": "internal"}}, "tags"),
        ({"tags": dict(TAGS, Name="internal", Owner="someone")}, "tags"),
    ],
)
def test_each_alb_difference_is_named(changes, difference):
    assert load_balancer_writes(converged(**changes), wanted())["alb"] == [difference]


def test_set_valued_alb_settings_compare_as_sets():
    assert load_balancer_writes(converged(subnets=["subnet-b", "subnet-a"]), wanted(security_groups=["sg-1", "sg-1"]))["alb"] == []


@pytest.mark.parametrize(
    ("attribute", "value", "difference"),
    [("deletion_protection_enabled", "false", "deletion_protection"), ("idle_timeout_timeout_seconds", "300", "idle_timeout")],
)
def test_attributes_differ_as_elb_application_lb_compares_them(attribute, value, difference):
    layer = converged()
    layer["load_balancer"]["attributes"][attribute] = value
    assert load_balancer_writes(layer, wanted())["alb"] == [difference]


def test_access_logs_are_compared_only_when_a_bucket_is_wanted():
    layer = converged()
    assert load_balancer_writes(layer, wanted())["alb"] == []
    assert load_balancer_writes(layer, wanted(access_logs_bucket="logs", access_logs_prefix="internal"))["alb"] == ["access_logs"]
    layer["load_balancer"]["attributes"].update(access_logs_s3_enabled="true", access_logs_s3_bucket="logs", access_logs_s3_prefix="internal")
    assert load_balancer_writes(layer, wanted(access_logs_bucket="logs", access_logs_prefix="internal"))["alb"] == []
    assert load_balancer_writes(layer, wanted(access_logs_bucket="logs", access_logs_prefix="other"))["alb"] == ["access_logs"]


@pytest.mark.parametrize(
    "listeners",
    [
        pytest.param([], id="no listener"),
        pytest.param([aws_listener(port=8080)], id="another port"),
        pytest.param([aws_listener(), aws_listener(port=8080)], id="an extra listener (purged)"),
        pytest.param([aws_listener(default_actions=[{"Type": "forward", "TargetGroupArn": group_arn("billing")}])], id="default action"),
        pytest.param([aws_listener(protocol="HTTPS")], id="protocol"),
    ],
)
def test_a_listener_that_differs_by_port_protocol_or_default_action(listeners):
    assert load_balancer_writes(converged(listeners=listeners), wanted())["alb"] == ["listeners"]


def test_https_listener_certificate_and_policy_and_the_redirect():
    https = aws_listener(
        port=443, protocol="HTTPS", SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06", Certificates=[{"CertificateArn": CERTIFICATE, "IsDefault": True}]
    )
    config = {"Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}", "StatusCode": "HTTP_301"}
    redirect = aws_listener(
        default_actions=[{"Type": "redirect", "RedirectConfig": config}],
        rules=[DEFAULT_RULE],
    )
    layer = converged(listeners=[redirect, https])
    # AWS adds the redirect's Host and Path defaults: elb_application_lb then sees another action, so the filter does too.
    assert load_balancer_writes(layer, wanted(listeners=https_listeners()))["alb"] == ["listeners"]
    redirect["DefaultActions"][0]["RedirectConfig"] = {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
    assert load_balancer_writes(layer, wanted(listeners=https_listeners()))["alb"] == []
    other = https_listeners()
    other[0]["Certificates"] = [{"CertificateArn": CERTIFICATE + "-new"}]
    assert load_balancer_writes(layer, wanted(listeners=other))["alb"] == ["listeners"]
    other = https_listeners()
    other[0]["SslPolicy"] = "ELBSecurityPolicy-2016-08"
    assert load_balancer_writes(layer, wanted(listeners=other))["alb"] == ["listeners"]
    # Plain-HTTP rules left next to the redirect are purged.
    redirect["Rules"] = AWS_RULES
    assert load_balancer_writes(layer, wanted(listeners=https_listeners()))["alb"] == ["rules"]


@pytest.mark.parametrize(
    "rules",
    [
        pytest.param(RULES[:1], id="a rule to remove (purged)"),
        pytest.param([*RULES, {"priority": 30, "target_group": "orders", "path_patterns": ["/x"]}], id="a rule to add"),
        pytest.param([dict(RULES[0], priority=15), RULES[1]], id="a rule's priority"),
        pytest.param([dict(RULES[0], path_patterns=["/bill/*"]), RULES[1]], id="a rule's condition"),
        pytest.param([dict(RULES[0], target_group="orders"), RULES[1]], id="a rule's target group"),
    ],
)
def test_rules_differ_as_elb_application_lb_compares_them(rules):
    assert load_balancer_writes(converged(), wanted(listeners=http_listeners(rules)))["alb"] == ["rules"]


def test_rules_in_another_order_or_with_values_in_another_order_do_not_differ():
    rules = [RULES[1], RULES[0]]
    assert load_balancer_writes(converged(), wanted(listeners=http_listeners(rules)))["alb"] == []
    layer = converged()
    layer["load_balancer"]["listeners"][0]["Rules"][0]["Conditions"] = [{"Field": "path-pattern", "Values": ["/b/*", "/billing/*"]}]
    two = [dict(RULES[0], path_patterns=["/billing/*", "/b/*"]), RULES[1]]
    assert load_balancer_writes(layer, wanted(listeners=http_listeners(two)))["alb"] == []


def test_an_action_to_a_target_group_not_there_yet_differs():
    layer = converged()
    del layer["target_group_arns"]["billing"]
    assert load_balancer_writes(layer, wanted())["alb"] == ["listeners"]
    layer = converged()
    del layer["target_group_arns"]["orders"]
    assert load_balancer_writes(layer, wanted())["alb"] == ["listeners"]


@pytest.mark.parametrize(
    ("name", "changes", "difference"),
    [
        ("orders", {"port": 8081}, "port"),
        ("orders", {"protocol": "HTTPS"}, "protocol"),
        ("orders", {"vpc_id": "vpc-2"}, "vpc_id"),
        ("orders", {"health_check_interval_seconds": 30}, "health_check"),
        ("orders", {"health_check_timeout_seconds": 6}, "health_check"),
        ("orders", {"healthy_threshold_count": 2}, "health_check"),
        ("orders", {"unhealthy_threshold_count": 2}, "health_check"),
        ("orders", {"health_check_protocol": "HTTPS"}, "health_check"),
        ("orders", {"health_check_path": "/"}, "health_check"),
        ("orders", {"matcher": {"http_code": "200-399"}}, "health_check"),
        ("orders", {"attributes": {"deregistration_delay_timeout_seconds": "300"}}, "deregistration_delay"),
        ("orders", {"tags": {"Name": "orders"}}, "tags"),
        ("billing", {"targets": [{"id": "192.168.20.11", "port": 8443}]}, "targets"),
        ("billing", {"targets": None}, "targets"),
    ],
)
def test_each_target_group_difference_is_named(name, changes, difference):
    writes = load_balancer_writes(with_group(converged(), name, **changes), wanted())
    assert writes["target_groups"] == {"orders": [], "billing": [], name: [difference]}
    assert writes["alb"] == []


def test_target_groups_compare_as_elb_target_group_does():
    # The response codes as a set; a registered id's port is not compared (the module leaves such a target alone).
    layer = with_group(converged(), "orders", matcher={"http_code": "202,200"})
    targets = [{"id": "192.168.20.12", "port": 1}, {"id": "192.168.20.11", "port": 8443}]
    layer = with_group(layer, "billing", targets=targets)
    groups = [dict(TARGET_GROUPS[0], health_check={"path": "/health", "matcher": "200,202"}), TARGET_GROUPS[1]]
    assert load_balancer_writes(layer, wanted(target_groups=groups))["target_groups"] == {"orders": [], "billing": []}


def test_unmanaged_targets_are_not_compared_and_an_empty_list_removes_them():
    layer = with_group(converged(), "orders", targets=[{"id": "i-1", "port": 32768}])
    assert load_balancer_writes(layer, wanted())["target_groups"]["orders"] == []
    groups = [dict(TARGET_GROUPS[0], targets=[]), TARGET_GROUPS[1]]
    assert load_balancer_writes(layer, wanted(target_groups=groups))["target_groups"]["orders"] == ["targets"]


def test_no_input_is_no_error():
    assert load_balancer_writes(None, None) == {"alb": ["missing"], "target_groups": {}, "target_group_settings": {}}


def test_the_inputs_are_left_as_they_were():
    layer, wants = converged(), wanted(listeners=https_listeners())
    before = copy.deepcopy((layer, wants))
    load_balancer_writes(layer, wants)
    assert (layer, wants) == before
