"""hybridcloud.aws.network against the emulator: check mode on an empty account, converge verified with EC2 reads
(per-AZ NAT routing, endpoints, security groups, tags, the VPC's flow log with its log group and delivery role), a
no-op second run, drift repair (bad input in test_bad_input_aws_network_data.py)."""

import ipaddress
import json
from urllib.parse import unquote

import pytest

REGION = "us-east-1"
VPC_CIDR = "10.40.0.0/16"
ONPREM = "192.168.10.0/24"
ONPREM_APPS = "192.168.20.0/24"
TAGS = {"Project": "hybridcloud", "Environment": "lab"}
INTERFACE_SERVICES = ["ssm", "ssmmessages", "ec2messages", "ecr.api", "ecr.dkr", "ecs", "ecs-agent", "ecs-telemetry", "logs"]
FACTS = [
    "network_vpc_id",
    "network_availability_zones",
    "network_public_subnet_ids",
    "network_private_subnet_ids",
    "network_private_route_table_ids",
    "network_security_group_ids",
    "network_nat_gateway_ids",
    "network_resolver_endpoint_id",
    "network_resolver_ips",
    "network_flow_log_id",
]
ROLE = [
    {"name": "network", "ansible.builtin.include_role": {"name": "hybridcloud.aws.network"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {fact: f"{{{{ {fact} }}}}" for fact in FACTS}}},
]
# The modules that write (ours and upstream's); on a converged network none of them may run.
WRITE_MODULES = {
    "amazon.aws.ec2_vpc_net",
    "amazon.aws.ec2_vpc_subnet",
    "amazon.aws.ec2_vpc_igw",
    "amazon.aws.ec2_eip",
    "amazon.aws.ec2_vpc_nat_gateway",
    "amazon.aws.ec2_security_group",
    "amazon.aws.ec2_vpc_route_table",
    "amazon.aws.ec2_vpc_endpoint",
    "amazon.aws.cloudwatchlogs_log_group",
    "amazon.aws.iam_role",
    "amazon.aws.iam_policy",
    "hybridcloud.aws.ec2_vpc_flow_log",
    "hybridcloud.aws.route53resolver_endpoint",
}
# AWS calls of the no-op run before the layer was read once (the per-resource reads and ensure-modules: 39 measured).
NO_OP_CALLS_BEFORE = 39
EXISTING = [
    {"name": "network", "ansible.builtin.include_role": {"name": "hybridcloud.aws.network", "tasks_from": "existing.yml"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {fact: f"{{{{ {fact} }}}}" for fact in FACTS if fact != "network_availability_zones"}}},
]
EXTRA_VARS = {"network_onprem_cidrs": [ONPREM], "network_onprem_app_cidrs": [ONPREM_APPS], "hybridcloud_tags": TAGS}


@pytest.fixture
def ec2(aws):
    return aws("ec2", region=REGION)


@pytest.fixture
def resolver(aws):
    return aws("route53resolver", region=REGION)


@pytest.fixture
def logs(aws):
    return aws("logs", region=REGION)


@pytest.fixture
def iam(aws):
    return aws("iam", region=REGION)


def policy_document(document):
    return json.loads(unquote(document)) if isinstance(document, str) else document


def assert_flow_log_is_built(ec2, logs, iam, facts):
    """One ACTIVE flow log of the VPC, all traffic, into /hybridcloud/vpc-flow-logs (kept 365 days) through a role
    that only the flow log service of this account may assume and that may write to that group only."""
    vpc_id = facts["network_vpc_id"]
    (flow_log,) = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["FlowLogs"]
    assert flow_log["FlowLogId"] == facts["network_flow_log_id"]
    assert (flow_log["FlowLogStatus"], flow_log["TrafficType"], flow_log["MaxAggregationInterval"]) == ("ACTIVE", "ALL", 600)
    assert (flow_log["LogDestinationType"], flow_log["LogGroupName"]) == ("cloud-watch-logs", "/hybridcloud/vpc-flow-logs")
    assert tags_of(flow_log) == {**TAGS, "Name": "hybridcloud"}

    (group,) = logs.describe_log_groups(logGroupNamePrefix="/hybridcloud/vpc-flow-logs")["logGroups"]
    assert group["retentionInDays"] == 365
    role = iam.get_role(RoleName="hybridcloud-vpc-flow-logs")["Role"]
    assert flow_log["DeliverLogsPermissionArn"] == role["Arn"]
    (trust,) = policy_document(role["AssumeRolePolicyDocument"])["Statement"]
    assert trust["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": role["Arn"].split(":")[4]}
    (statement,) = policy_document(iam.get_role_policy(RoleName="hybridcloud-vpc-flow-logs", PolicyName="flow-log-delivery")["PolicyDocument"])["Statement"]
    group_arn = group["arn"].removesuffix(":*")
    assert sorted(statement["Resource"]) == sorted([group_arn, group_arn + ":*"])
    assert "logs:PutLogEvents" in statement["Action"]


def converge(playbook, check=False, **extra):
    result = playbook(ROLE, check=check, extra_vars={**EXTRA_VARS, **extra})
    assert result.failed == 0, result.output
    return result


def tags_of(resource):
    return {tag["Key"]: tag["Value"] for tag in resource.get("Tags", [])}


def in_vpc(vpc_id):
    return [{"Name": "vpc-id", "Values": [vpc_id]}]


def default_route(route_table):
    return next(route for route in route_table["Routes"] if route.get("DestinationCidrBlock") == "0.0.0.0/0")


def assert_network_is_built(ec2, resolver, facts):
    vpc_id = facts["network_vpc_id"]
    vpc = ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]
    assert vpc["CidrBlock"] == VPC_CIDR
    assert tags_of(vpc) == {**TAGS, "Name": "hybridcloud"}
    assert ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"]
    assert ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute="enableDnsSupport")["EnableDnsSupport"]["Value"]

    zones = facts["network_availability_zones"]
    assert zones == ["us-east-1a", "us-east-1b"]
    subnets = {subnet["SubnetId"]: subnet for subnet in ec2.describe_subnets(Filters=in_vpc(vpc_id))["Subnets"]}
    public, private = facts["network_public_subnet_ids"], facts["network_private_subnet_ids"]
    assert [subnets[subnet_id]["AvailabilityZone"] for subnet_id in public] == zones
    assert [subnets[subnet_id]["AvailabilityZone"] for subnet_id in private] == zones
    assert [subnets[subnet_id]["CidrBlock"] for subnet_id in private] == ["10.40.0.0/20", "10.40.16.0/20"]
    assert [subnets[subnet_id]["CidrBlock"] for subnet_id in public] == ["10.40.240.0/24", "10.40.241.0/24"]
    assert not any(subnets[subnet_id]["MapPublicIpOnLaunch"] for subnet_id in public + private)
    assert all(TAGS.items() <= tags_of(subnets[subnet_id]).items() for subnet_id in public + private)

    nats = {nat["NatGatewayId"]: nat for nat in ec2.describe_nat_gateways(Filters=in_vpc(vpc_id))["NatGateways"]}
    assert sorted(nats) == sorted(facts["network_nat_gateway_ids"])
    assert [nats[nat_id]["SubnetId"] for nat_id in facts["network_nat_gateway_ids"]] == public
    allocations = [address["AllocationId"] for nat in nats.values() for address in nat["NatGatewayAddresses"]]
    addresses = ec2.describe_addresses(AllocationIds=allocations)["Addresses"]
    assert sorted(tags_of(address)["Name"] for address in addresses) == [f"hybridcloud-nat-{zone}" for zone in zones]

    # Every private subnet's default route leads to the NAT gateway that sits in the same zone.
    tables = ec2.describe_route_tables(Filters=in_vpc(vpc_id))["RouteTables"]
    table_of_subnet = {assoc["SubnetId"]: table for table in tables for assoc in table["Associations"] if assoc.get("SubnetId")}
    assert [table_of_subnet[subnet_id]["RouteTableId"] for subnet_id in private] == facts["network_private_route_table_ids"]
    for subnet_id in private:
        nat = nats[default_route(table_of_subnet[subnet_id])["NatGatewayId"]]
        assert subnets[nat["SubnetId"]]["AvailabilityZone"] == subnets[subnet_id]["AvailabilityZone"]
    igw = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])["InternetGateways"][0]
    assert {default_route(table_of_subnet[subnet_id])["GatewayId"] for subnet_id in public} == {igw["InternetGatewayId"]}

    groups = {group["GroupName"]: group for group in ec2.describe_security_groups(Filters=in_vpc(vpc_id))["SecurityGroups"]}
    group_ids = facts["network_security_group_ids"]
    assert group_ids == {key: groups[f"hybridcloud-{key}"]["GroupId"] for key in ("alb", "tasks", "rds", "endpoints", "dns")}
    assert_no_open_ingress(groups.values())
    assert inbound(groups["hybridcloud-alb"]) == {(port, port, source) for port in (80, 443) for source in (VPC_CIDR, ONPREM)}
    assert inbound(groups["hybridcloud-tasks"]) == {(32768, 65535, group_ids["alb"])}
    assert inbound(groups["hybridcloud-rds"]) == {(5432, 5432, group_ids["tasks"]), (5432, 5432, ONPREM_APPS)}
    assert inbound(groups["hybridcloud-endpoints"]) == {(443, 443, VPC_CIDR), (443, 443, ONPREM)}
    # Egress limited where the architecture allows: PostgreSQL and the interface endpoints only answer.
    assert groups["hybridcloud-rds"]["IpPermissionsEgress"] == []
    assert groups["hybridcloud-endpoints"]["IpPermissionsEgress"] == []
    assert groups["hybridcloud-tasks"]["IpPermissionsEgress"] != []
    # DNS from on premises only, over both transports, and nothing else.
    dns_group = groups["hybridcloud-dns"]
    assert {(p["IpProtocol"], p["FromPort"], p["ToPort"], r["CidrIp"]) for p in dns_group["IpPermissions"] for r in p["IpRanges"]} == {
        ("tcp", 53, 53, ONPREM),
        ("udp", 53, 53, ONPREM),
    }
    assert all(not p["UserIdGroupPairs"] and not p.get("PrefixListIds") for p in dns_group["IpPermissions"])

    endpoints = {endpoint["ServiceName"]: endpoint for endpoint in ec2.describe_vpc_endpoints(Filters=in_vpc(vpc_id))["VpcEndpoints"]}
    assert sorted(endpoints) == sorted([f"com.amazonaws.{REGION}.{service}" for service in [*INTERFACE_SERVICES, "s3"]])
    for service in INTERFACE_SERVICES:
        endpoint = endpoints[f"com.amazonaws.{REGION}.{service}"]
        assert endpoint["VpcEndpointType"] == "Interface"
        assert endpoint["PrivateDnsEnabled"] is True
        assert sorted(endpoint["SubnetIds"]) == sorted(private)
        assert [group["GroupId"] for group in endpoint["Groups"]] == [group_ids["endpoints"]]
        assert tags_of(endpoint) == {**TAGS, "Name": f"hybridcloud-{service}"}
    s3 = endpoints[f"com.amazonaws.{REGION}.s3"]
    assert s3["VpcEndpointType"] == "Gateway"
    assert sorted(s3["RouteTableIds"]) == sorted(facts["network_private_route_table_ids"])

    assert_resolver_is_built(resolver, facts, subnets, group_ids["dns"])


def assert_resolver_is_built(resolver, facts, subnets, dns_group_id):
    """The inbound endpoint sits in the VPC with one address in each private subnet (zone order = the fact's order)."""
    found = resolver.list_resolver_endpoints(Filters=[{"Name": "Name", "Values": ["hybridcloud-inbound"]}])["ResolverEndpoints"]
    assert len(found) == 1
    endpoint = found[0]
    assert endpoint["Id"] == facts["network_resolver_endpoint_id"]
    assert (endpoint["Direction"], endpoint["HostVPCId"], endpoint["Status"]) == ("INBOUND", facts["network_vpc_id"], "OPERATIONAL")
    assert endpoint["SecurityGroupIds"] == [dns_group_id]
    assert endpoint["Protocols"] == ["Do53"]
    addresses = resolver.list_resolver_endpoint_ip_addresses(ResolverEndpointId=endpoint["Id"])["IpAddresses"]
    ip_by_subnet = {address["SubnetId"]: address["Ip"] for address in addresses}
    assert len(addresses) == len(ip_by_subnet) == len(facts["network_private_subnet_ids"])
    assert [ip_by_subnet[subnet_id] for subnet_id in facts["network_private_subnet_ids"]] == facts["network_resolver_ips"]
    for subnet_id in facts["network_private_subnet_ids"]:
        assert ipaddress.ip_address(ip_by_subnet[subnet_id]) in ipaddress.ip_network(subnets[subnet_id]["CidrBlock"])
    tags = resolver.list_tags_for_resource(ResourceArn=endpoint["Arn"])["Tags"]
    assert {tag["Key"]: tag["Value"] for tag in tags} == {**TAGS, "Name": "hybridcloud-inbound"}


def inbound(group):
    rules = set()
    for permission in group["IpPermissions"]:
        sources = [r["CidrIp"] for r in permission["IpRanges"]] + [pair["GroupId"] for pair in permission["UserIdGroupPairs"]]
        rules.update((permission["FromPort"], permission["ToPort"], source) for source in sources)
    return rules


def assert_no_open_ingress(groups):
    for group in groups:
        for permission in group["IpPermissions"]:
            assert "0.0.0.0/0" not in [r["CidrIp"] for r in permission["IpRanges"]], group["GroupName"]
            assert "::/0" not in [r["CidrIpv6"] for r in permission.get("Ipv6Ranges", [])], group["GroupName"]


def ran_writes(result):
    """{(write module, loop item label or "")} of the write tasks and loop items that ran (the callback marks a skipped
    loop item with its skip_reason only)."""
    ran = set()
    for task in result.tasks:
        if task["action"] not in WRITE_MODULES:
            continue
        items = task["result"].get("results")
        if items is None:
            ran.update([(task["action"], "")] * (not task["result"].get("skipped")))
        else:
            ran.update((task["action"], item.get("_ansible_item_label", "")) for item in items if not (item.get("skipped") or "skip_reason" in item))
    return ran


def test_check_mode_on_empty_account_mutates_nothing(playbook, mutating_calls, ec2):
    result = converge(playbook, check=True)
    facts = result.task("facts")["result"]["msg"]
    assert (facts["network_vpc_id"], facts["network_resolver_ips"], facts["network_flow_log_id"]) == ("", [], "")
    assert [vpc for vpc in ec2.describe_vpcs()["Vpcs"] if not vpc["IsDefault"]] == []
    assert mutating_calls() == []


def test_converge_verify_no_op_rerun_and_drift_repair(playbook, mutating_calls, ec2, resolver, logs, iam):  # noqa: PLR0917 (pytest fixtures)
    first = converge(playbook)
    assert first.changed > 0
    facts = first.task("facts")["result"]["msg"]
    assert_network_is_built(ec2, resolver, facts)
    assert_flow_log_is_built(ec2, logs, iam, facts)

    calls_after_first = len(mutating_calls())
    second = converge(playbook)
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert len(mutating_calls()) == calls_after_first
    assert second.task("facts")["result"]["msg"] == facts
    # One read, no write module run: every task of a write module is there and was skipped, and the run makes fewer
    # AWS calls than before (all of them reads).
    write_tasks = [task for task in second.tasks if task["action"] in WRITE_MODULES]
    assert {task["action"] for task in write_tasks} == WRITE_MODULES
    assert [task["name"] for task in write_tasks if not task["result"].get("skipped")] == []
    assert second.mutating_calls == []
    assert len(second.api_calls) < NO_OP_CALLS_BEFORE, [call["operation"] for call in second.api_calls]

    # A play that uses the network without building it reads the same facts through the same read, writing nothing.
    existing = playbook(EXISTING, extra_vars=EXTRA_VARS)
    assert existing.failed == 0, existing.output
    assert existing.mutating_calls == []
    assert existing.task("facts")["result"]["msg"] == {fact: value for fact, value in facts.items() if fact != "network_availability_zones"}

    # Someone removes the log group's retention; then a changed flow log setting and retention in check mode: reported,
    # nothing written (the upstream log group module would put the retention even in check mode, so the role does
    # not call it then).
    logs.delete_retention_policy(logGroupName="/hybridcloud/vpc-flow-logs")
    calls_before_check = len(mutating_calls())
    checked = converge(playbook, check=True, network_flow_logs_traffic_type="REJECT", network_flow_logs_retention_days=30)
    assert mutating_calls()[calls_before_check:] == []
    changed_tasks = {task["name"].removeprefix("hybridcloud.aws.network : ") for task in checked.tasks if task["changed"]}
    assert changed_tasks == {"Ensure the flow log of the VPC", "Report the retention the log group would get (check mode)"}, changed_tasks

    # Someone opens SSH to the world, deletes a zone's default route and the flow log: the next run puts all back
    # (and the log group's retention).
    alb_group = facts["network_security_group_ids"]["alb"]
    world_ssh = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    ec2.authorize_security_group_ingress(GroupId=alb_group, IpPermissions=[world_ssh])
    ec2.delete_route(RouteTableId=facts["network_private_route_table_ids"][1], DestinationCidrBlock="0.0.0.0/0")
    ec2.delete_flow_logs(FlowLogIds=[facts["network_flow_log_id"]])
    calls_before_check = len(mutating_calls())
    predicted = converge(playbook, check=True)
    assert mutating_calls()[calls_before_check:] == []
    repaired = converge(playbook)
    # Check mode predicted exactly the writes the real run made; the log group's retention, which the upstream module
    # would put even in check mode, is reported instead of written.
    assert ran_writes(predicted) == ran_writes(repaired) - {("amazon.aws.cloudwatchlogs_log_group", "")}
    assert predicted.task("hybridcloud.aws.network : Report the retention the log group would get (check mode)")["changed"]
    assert ran_writes(repaired) == {
        ("amazon.aws.ec2_security_group", "hybridcloud-alb"),
        ("amazon.aws.ec2_vpc_route_table", "hybridcloud-private-us-east-1b"),
        ("amazon.aws.cloudwatchlogs_log_group", ""),
        ("hybridcloud.aws.ec2_vpc_flow_log", ""),
    }
    assert repaired.changed == 4, [task["name"] for task in repaired.tasks if task["changed"]]
    repaired_facts = repaired.task("facts")["result"]["msg"]
    assert repaired_facts["network_flow_log_id"] != facts["network_flow_log_id"]
    assert repaired_facts == {**facts, "network_flow_log_id": repaired_facts["network_flow_log_id"]}
    assert_network_is_built(ec2, resolver, repaired_facts)
    assert_flow_log_is_built(ec2, logs, iam, repaired_facts)


def test_flow_log_to_s3_needs_no_log_group_nor_role(playbook, aws, ec2, logs, iam):
    aws("s3", region=REGION).create_bucket(Bucket="hybridlab-flow-logs")
    result = converge(playbook, network_flow_logs_destination_type="s3", network_flow_logs_s3_bucket_arn="arn:aws:s3:::hybridlab-flow-logs/vpc/")
    facts = result.task("facts")["result"]["msg"]
    (flow_log,) = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [facts["network_vpc_id"]]}])["FlowLogs"]
    assert flow_log["FlowLogId"] == facts["network_flow_log_id"]
    assert (flow_log["FlowLogStatus"], flow_log["LogDestinationType"]) == ("ACTIVE", "s3")
    assert flow_log["LogDestination"] == "arn:aws:s3:::hybridlab-flow-logs/vpc/"
    assert "DeliverLogsPermissionArn" not in flow_log
    assert logs.describe_log_groups(logGroupNamePrefix="/hybridcloud/vpc-flow-logs")["logGroups"] == []
    assert [role["RoleName"] for role in iam.list_roles()["Roles"] if role["RoleName"] == "hybridcloud-vpc-flow-logs"] == []


def test_a_play_on_a_missing_network_fails_naming_what_is_missing(playbook, mutating_calls):
    result = playbook(EXISTING, extra_vars=EXTRA_VARS)
    assert result.failed == 1
    assert "Network hybridcloud is missing or incomplete: VPC, public subnets, private subnets, private route tables, security groups." in result.output
    assert "Run the network layer first (site.yml --tags network)" in result.output
    assert mutating_calls() == []
