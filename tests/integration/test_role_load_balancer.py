"""hybridcloud.aws.load_balancer against the emulator: an internal ALB in given private subnets with instance and
on-prem ip target groups, path/host rules, HTTP or HTTPS, all read back from ELBv2; check mode, idempotence (bad input in test_bad_input_aws_network_data.py);
one read of the layer (hybridcloud.aws.elbv2_layer_info), write modules only where something differs.

The file converges once (converged_account): the tests that start from the converged account restore it from the
emulator's snapshot instead of converging again."""

import pytest
from integration.conftest import converged_once

TAGS = {"Project": "hybridcloud", "Environment": "lab"}
TARGET_GROUPS = [
    {"name": "orders", "port": 8080, "health_check": {"path": "/health", "matcher": "200"}},
    {
        "name": "onprem-billing",
        "target_type": "ip",
        "port": 8443,
        "protocol": "HTTPS",
        "targets": [{"id": "192.168.20.11"}, {"id": "192.168.20.12", "port": 9443}],
    },
]
RULES = [
    {"priority": 10, "target_group": "onprem-billing", "path_patterns": ["/billing/*"]},
    {"priority": 20, "target_group": "orders", "host_headers": ["orders.corp.example"]},
]
ROLE = [
    {"name": "alb", "ansible.builtin.include_role": {"name": "hybridcloud.aws.load_balancer"}},
    {
        "name": "facts",
        "ansible.builtin.debug": {
            "msg": {"arn": "{{ load_balancer_arn }}", "dns": "{{ load_balancer_dns_name }}", "groups": "{{ load_balancer_target_group_arns }}"}
        },
    },
]
# The modules that write; on a converged layer none of them may run.
WRITE_MODULES = {"community.aws.elb_target_group", "amazon.aws.elb_application_lb"}
# AWS calls of the no-op run (two target groups, one listener with two rules) before the layer was read once: the
# ALB list, then elb_target_group's and elb_application_lb's own reads (30 measured; check mode 16).
NO_OP_CALLS_BEFORE = 30
EXISTING = [
    {"name": "alb", "ansible.builtin.include_role": {"name": "hybridcloud.aws.load_balancer", "tasks_from": "existing.yml"}},
    ROLE[1],
]


def write_tasks(result):
    """The tasks of the write modules that ran (not skipped), with their items' names."""
    ran = {}
    for task in result.tasks:
        if task["action"] in WRITE_MODULES:
            items = task["result"].get("results")
            if items is not None:
                names = [item["item"]["key"] for item in items if not item.get("skipped")]
                if names:
                    ran[task["action"]] = names
            elif not task["result"].get("skipped"):
                ran[task["action"]] = True
    return ran


def assert_no_write_module_ran(result):
    """Every write module's task is there and was skipped (or looped over nothing); nothing was written."""
    assert {task["action"] for task in result.tasks if task["action"] in WRITE_MODULES} == WRITE_MODULES
    assert write_tasks(result) == {}
    assert result.mutating_calls == []


@pytest.fixture
def elbv2(aws):
    return aws("elbv2")


@pytest.fixture
def network(aws, lab_api):
    made = make_network(aws)
    lab_api("DELETE", "/_lab/requests")  # the setup's own calls are not the role's
    return made


@pytest.fixture(scope="module")
def converged_account(aws, lab_api, emulator_endpoint, tmp_path_factory):
    """The role's first converge on the network, made once for the file and saved in the emulator."""

    def build(playbook):
        network = make_network(aws)
        return network, run(playbook, network)

    snapshot, (network, first) = converged_once("role_load_balancer", lab_api, emulator_endpoint, tmp_path_factory, build)
    return snapshot, network, first


@pytest.fixture
def converged(converged_account, reset_emulator):
    """(the network handed over, the first converge's result) on a copy of the converged account."""
    snapshot, network, first = converged_account
    snapshot.restore()
    return network, first


def make_network(aws):
    """What the network role hands over: a VPC, private subnets in two zones and the alb security group."""
    ec2 = aws("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for cidr, zone in (("10.40.0.0/20", "us-east-1a"), ("10.40.16.0/20", "us-east-1b"))
    ]
    alb_group = ec2.create_security_group(GroupName="hybridcloud-alb", Description="alb", VpcId=vpc_id)["GroupId"]
    return {"network_vpc_id": vpc_id, "network_private_subnet_ids": subnets, "network_security_group_ids": {"alb": alb_group}}


def run(playbook, network_facts, check=False, **extra_vars):
    # Plain HTTP chosen explicitly, as the lab inventory does (the role refuses it otherwise).
    settings = {"hybridcloud_tags": TAGS, "load_balancer_target_groups": TARGET_GROUPS, "load_balancer_rules": RULES, "load_balancer_allow_plain_http": True}
    result = playbook(ROLE, check=check, extra_vars={**network_facts, **settings, **extra_vars})
    assert result.failed == 0, result.output
    return result


def listeners_by_port(elbv2, arn):
    return {listener["Port"]: listener for listener in elbv2.describe_listeners(LoadBalancerArn=arn)["Listeners"]}


def rules_of(elbv2, listener):
    rules = elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
    return {rule["Priority"]: (rule["Conditions"], rule["Actions"][0].get("TargetGroupArn")) for rule in rules if not rule["IsDefault"]}


def test_check_mode_on_empty_account_mutates_nothing(playbook, mutating_calls, elbv2):
    result = run(playbook, {}, check=True)
    assert result.task("facts")["result"]["msg"] == {"arn": "", "dns": "", "groups": {}}
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert mutating_calls() == []


def test_http_alb_is_internal_with_groups_and_rules_and_second_run_is_a_no_op(playbook, mutating_calls, elbv2, network):
    check = run(playbook, network, check=True)
    assert mutating_calls() == []
    assert check.task("facts")["result"]["msg"]["arn"] == ""

    first = run(playbook, network)
    facts = first.task("facts")["result"]["msg"]
    alb = elbv2.describe_load_balancers(Names=["hybridcloud-internal"])["LoadBalancers"][0]
    assert (facts["arn"], facts["dns"]) == (alb["LoadBalancerArn"], alb["DNSName"])
    assert alb["Scheme"] == "internal"
    assert sorted(zone["SubnetId"] for zone in alb["AvailabilityZones"]) == sorted(network["network_private_subnet_ids"])
    assert alb["SecurityGroups"] == [network["network_security_group_ids"]["alb"]]
    attributes = {item["Key"]: item["Value"] for item in elbv2.describe_load_balancer_attributes(LoadBalancerArn=alb["LoadBalancerArn"])["Attributes"]}
    assert attributes["deletion_protection.enabled"] == "true"
    assert (attributes["idle_timeout.timeout_seconds"], attributes["access_logs.s3.enabled"]) == ("60", "false")
    tags = elbv2.describe_tags(ResourceArns=[alb["LoadBalancerArn"]])["TagDescriptions"][0]["Tags"]
    assert {tag["Key"]: tag["Value"] for tag in tags} == {**TAGS, "Name": "hybridcloud-internal"}

    groups = {group["TargetGroupName"]: group for group in elbv2.describe_target_groups(LoadBalancerArn=alb["LoadBalancerArn"])["TargetGroups"]}
    assert facts["groups"] == {name: group["TargetGroupArn"] for name, group in groups.items()}
    orders, billing = groups["orders"], groups["onprem-billing"]
    assert (orders["TargetType"], orders["Port"], orders["VpcId"]) == ("instance", 8080, network["network_vpc_id"])
    assert (orders["HealthCheckPath"], orders["Matcher"]) == ("/health", {"HttpCode": "200"})
    assert (billing["TargetType"], billing["Protocol"], billing["Port"]) == ("ip", "HTTPS", 8443)
    registered = [t["Target"] for t in elbv2.describe_target_health(TargetGroupArn=billing["TargetGroupArn"])["TargetHealthDescriptions"]]
    assert sorted((target["Id"], target["Port"]) for target in registered) == [("192.168.20.11", 8443), ("192.168.20.12", 9443)]
    # On-prem IPs are outside the VPC, so AWS needs them in zone "all" (the emulator keeps what the role sent).
    assert [target["AvailabilityZone"] for target in registered] == ["all", "all"]
    assert elbv2.describe_target_health(TargetGroupArn=orders["TargetGroupArn"])["TargetHealthDescriptions"] == []

    listeners = listeners_by_port(elbv2, alb["LoadBalancerArn"])
    assert sorted(listeners) == [80]
    assert listeners[80]["Protocol"] == "HTTP"
    assert listeners[80]["DefaultActions"][0]["TargetGroupArn"] == orders["TargetGroupArn"]
    assert rules_of(elbv2, listeners[80]) == {
        "10": ([{"Field": "path-pattern", "Values": ["/billing/*"]}], billing["TargetGroupArn"]),
        "20": ([{"Field": "host-header", "Values": ["orders.corp.example"]}], orders["TargetGroupArn"]),
    }

    calls_after_first = len(mutating_calls())
    second = run(playbook, network)
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert len(mutating_calls()) == calls_after_first
    assert second.task("facts")["result"]["msg"] == facts

    # Check mode on the converged ALB hands on the same facts as a real run (the services' scaling names the ALB).
    planned = run(playbook, network, check=True)
    assert planned.changed == 0, [task["name"] for task in planned.tasks if task["changed"]]
    assert planned.task("facts")["result"]["msg"] == facts
    assert len(mutating_calls()) == calls_after_first

    # One read, no write module run, fewer AWS calls than before (all of them reads, the ALB and the groups read once).
    for no_op in (second, planned):
        assert_no_write_module_ran(no_op)
        operations = [call["operation"] for call in no_op.api_calls]
        assert len(operations) < NO_OP_CALLS_BEFORE, operations
        assert (operations.count("DescribeLoadBalancers"), operations.count("DescribeTargetGroups"), operations.count("DescribeTags")) == (1, 1, 1)

    # A play that uses the ALB without building it reads the same facts through the same read, writing nothing.
    existing = playbook(EXISTING, extra_vars={**network, "load_balancer_target_groups": TARGET_GROUPS})
    assert existing.failed == 0, existing.output
    assert existing.task("facts")["result"]["msg"] == facts
    assert sorted(call["operation"] for call in existing.api_calls) == ["DescribeLoadBalancers", "DescribeTargetGroups"]


def test_drift_is_predicted_in_check_mode_and_repaired_by_exactly_the_writes_that_differ(playbook, elbv2, converged):
    network, first = converged
    facts = first.task("facts")["result"]["msg"]
    orders, billing = facts["groups"]["orders"], facts["groups"]["onprem-billing"]
    # By hand: the orders group's health check interval, one on-prem target gone, the rules' order of priority.
    elbv2.modify_target_group(TargetGroupArn=orders, HealthCheckIntervalSeconds=30)
    elbv2.deregister_targets(TargetGroupArn=billing, Targets=[{"Id": "192.168.20.12", "Port": 9443}])
    listener = listeners_by_port(elbv2, facts["arn"])[80]
    rule_10 = next(rule for rule in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"] if rule["Priority"] == "10")
    elbv2.set_rule_priorities(RulePriorities=[{"RuleArn": rule_10["RuleArn"], "Priority": 30}])

    planned = run(playbook, network, check=True)
    assert planned.mutating_calls == []
    reports = [task["result"] for task in planned.tasks if task["name"].endswith("Report the target groups that would be written (check mode)")]
    assert sorted(item["item"]["key"] for item in reports[0]["results"]) == ["onprem-billing", "orders"]
    assert {item["item"]["key"]: item["item"]["value"] for item in reports[0]["results"]} == {"orders": ["health_check"], "onprem-billing": ["targets"]}
    assert planned.task("hybridcloud.aws.load_balancer : Ensure the internal ALB, its listeners and rules")["changed"] is True
    assert planned.task("facts")["result"]["msg"] == facts

    repaired = run(playbook, network)
    assert write_tasks(repaired) == {"community.aws.elb_target_group": ["orders", "onprem-billing"], "amazon.aws.elb_application_lb": True}
    assert elbv2.describe_target_groups(TargetGroupArns=[orders])["TargetGroups"][0]["HealthCheckIntervalSeconds"] == 15
    registered = elbv2.describe_target_health(TargetGroupArn=billing)["TargetHealthDescriptions"]
    assert sorted(target["Target"]["Id"] for target in registered) == ["192.168.20.11", "192.168.20.12"]
    assert sorted(rules_of(elbv2, listener)) == ["10", "20"]
    assert repaired.task("facts")["result"]["msg"] == facts
    assert_no_write_module_ran(run(playbook, network))


def test_certificate_switches_to_https_with_a_modern_policy_and_redirect(playbook, aws, elbv2, converged):
    network, _first = converged
    certificate = aws("acm").request_certificate(DomainName="alb.corp.example")["CertificateArn"]
    aws("s3").create_bucket(Bucket="alb-access-logs")
    settings = {"load_balancer_idle_timeout": 300, "load_balancer_access_logs_bucket": "alb-access-logs", "load_balancer_access_logs_prefix": "internal"}
    facts = run(playbook, network, load_balancer_certificate_arn=certificate, **settings).task("facts")["result"]["msg"]

    attributes = {item["Key"]: item["Value"] for item in elbv2.describe_load_balancer_attributes(LoadBalancerArn=facts["arn"])["Attributes"]}
    assert attributes["idle_timeout.timeout_seconds"] == "300"
    assert (attributes["access_logs.s3.enabled"], attributes["access_logs.s3.bucket"], attributes["access_logs.s3.prefix"]) == (
        "true",
        "alb-access-logs",
        "internal",
    )

    listeners = listeners_by_port(elbv2, facts["arn"])
    assert sorted(listeners) == [80, 443]
    https = listeners[443]
    assert (https["Protocol"], https["SslPolicy"]) == ("HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06")
    assert [cert["CertificateArn"] for cert in https["Certificates"]] == [certificate]
    assert sorted(rules_of(elbv2, https)) == ["10", "20"]
    redirect = listeners[80]["DefaultActions"][0]
    assert redirect["Type"] == "redirect"
    assert (redirect["RedirectConfig"]["Protocol"], redirect["RedirectConfig"]["Port"]) == ("HTTPS", "443")
    assert rules_of(elbv2, listeners[80]) == {}, "plain-HTTP rules must not survive next to the redirect"


def test_an_internet_facing_alb_of_the_same_name_is_refused(playbook, elbv2, network):
    elbv2.create_load_balancer(
        Name="hybridcloud-internal",
        Subnets=network["network_private_subnet_ids"],
        SecurityGroups=[network["network_security_group_ids"]["alb"]],
        Scheme="internet-facing",
    )
    result = playbook(ROLE, extra_vars={**network, "load_balancer_target_groups": TARGET_GROUPS, "load_balancer_allow_plain_http": True})
    assert result.failed == 1
    assert "exists with scheme internet-facing" in result.output
