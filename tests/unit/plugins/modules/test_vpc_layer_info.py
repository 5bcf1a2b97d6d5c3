"""vpc_layer_info: one read of a VPC and what lives in it, validated against botocore's models (the calls run one after
the other here, so that each Stubber sees its client's calls in order)."""

import json
from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.hybridcloud.aws.plugins.module_utils import vpc_layer
from ansible_collections.hybridcloud.aws.plugins.modules import vpc_layer_info
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import patch_module_args

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/hc-vpc-flow-logs"
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/hc/vpc-flow-logs"
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": GROUP_ARN}]}
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
TAGS = [{"Key": "Name", "Value": "hc"}, {"Key": "Project", "Value": "hc"}]
IN_VPC = [{"Name": "vpc-id", "Values": ["vpc-1"]}]


@pytest.fixture
def clients(monkeypatch):
    monkeypatch.setattr(vpc_layer, "MAX_WORKERS", 1)
    made = {
        name: boto3.client(name, region_name="us-east-1", aws_access_key_id="unit", aws_secret_access_key="unit")
        for name in ("ec2", "logs", "iam", "sts", "route53resolver")
    }
    return made, {name: Stubber(client) for name, client in made.items()}


def run(clients, capsys, args):
    made, stubbers = clients
    asked = []
    with (
        patch_module_args(dict(args, region="us-east-1")),
        mock.patch.object(AnsibleAWSModule, "client", side_effect=lambda name, **kw: asked.append(name) or made[name]),
    ):
        for stubber in stubbers.values():
            stubber.activate()
        with pytest.raises(SystemExit):
            vpc_layer_info.main()
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
        stubber.deactivate()
    result = json.loads(capsys.readouterr().out)
    result["clients"] = sorted(asked)
    return result


def vpc(vpc_id="vpc-1", cidr="10.0.0.0/16", associated=()):
    associations = [{"AssociationId": f"a-{cidr}", "CidrBlock": cidr, "CidrBlockState": {"State": "associated"}}]
    associations += [{"AssociationId": f"a-{block}", "CidrBlock": block, "CidrBlockState": {"State": state}} for block, state in associated]
    return {"VpcId": vpc_id, "CidrBlock": cidr, "State": "available", "Tags": TAGS, "CidrBlockAssociationSet": associations, "IsDefault": False}


def expect_vpcs(ec2, vpcs):
    ec2.add_response("describe_vpcs", {"Vpcs": vpcs}, {"Filters": [{"Name": "tag:Name", "Values": ["hc"]}]})


def expect_in_vpc(ec2, answers=None):
    """The seven reads with a vpc-id filter and the two attributes, in the order the module makes them."""
    answers = answers or {}
    ec2.add_response("describe_subnets", {"Subnets": answers.get("subnets", [])}, {"Filters": IN_VPC})
    ec2.add_response("describe_route_tables", {"RouteTables": answers.get("route_tables", [])}, {"Filters": IN_VPC})
    ec2.add_response(
        "describe_nat_gateways", {"NatGateways": answers.get("nat_gateways", [])}, {"Filter": [*IN_VPC, {"Name": "state", "Values": ["pending", "available"]}]}
    )
    ec2.add_response(
        "describe_internet_gateways", {"InternetGateways": answers.get("igws", [])}, {"Filters": [{"Name": "attachment.vpc-id", "Values": ["vpc-1"]}]}
    )
    ec2.add_response("describe_security_groups", {"SecurityGroups": answers.get("groups", [])}, {"Filters": IN_VPC})
    ec2.add_response(
        "describe_vpc_endpoints",
        {"VpcEndpoints": answers.get("endpoints", [])},
        {"Filters": [*IN_VPC, {"Name": "vpc-endpoint-state", "Values": ["pending", "available"]}]},
    )
    ec2.add_response("describe_flow_logs", {"FlowLogs": answers.get("flow_logs", [])}, {"Filters": [{"Name": "resource-id", "Values": ["vpc-1"]}]})
    ec2.add_response("describe_vpc_attribute", {"VpcId": "vpc-1", "EnableDnsSupport": {"Value": True}}, {"VpcId": "vpc-1", "Attribute": "enableDnsSupport"})
    ec2.add_response(
        "describe_vpc_attribute", {"VpcId": "vpc-1", "EnableDnsHostnames": {"Value": False}}, {"VpcId": "vpc-1", "Attribute": "enableDnsHostnames"}
    )


def test_reads_the_vpc_and_what_lives_in_it(clients, capsys):
    ec2 = clients[1]["ec2"]
    expect_vpcs(ec2, [vpc("vpc-other", "10.9.0.0/16"), vpc()])
    expect_in_vpc(
        ec2,
        {
            "subnets": [{"SubnetId": "subnet-1", "CidrBlock": "10.0.0.0/20", "AvailabilityZone": "us-east-1a", "Tags": [{"Key": "Tier", "Value": "private"}]}],
            "route_tables": [
                {
                    "RouteTableId": "rtb-1",
                    "Associations": [{"RouteTableAssociationId": "rtbassoc-1", "SubnetId": "subnet-1", "Main": False}],
                    "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"}, {"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-1"}],
                    "Tags": [{"Key": "Name", "Value": "hc-private-us-east-1a"}],
                }
            ],
            "nat_gateways": [{"NatGatewayId": "nat-1", "SubnetId": "subnet-2", "State": "available", "Tags": []}],
            "igws": [{"InternetGatewayId": "igw-1", "Attachments": [{"VpcId": "vpc-1", "State": "available"}], "Tags": [{"Key": "Name", "Value": "hc-igw"}]}],
            "groups": [
                {
                    "GroupId": "sg-1",
                    "GroupName": "hc-alb",
                    "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/16", "Description": "d"}]}],
                    "IpPermissionsEgress": [],
                }
            ],
            "endpoints": [
                {
                    "VpcEndpointId": "vpce-1",
                    "ServiceName": "com.amazonaws.us-east-1.s3",
                    "RouteTableIds": ["rtb-1"],
                    "Tags": [{"Key": "Name", "Value": "hc-s3"}],
                }
            ],
            "flow_logs": [{"FlowLogId": "fl-1", "TrafficType": "ALL", "Tags": [{"Key": "Name", "Value": "hc"}]}],
        },
    )
    result = run(clients, capsys, {"name": "hc", "cidr_block": "10.0.0.0/16"})
    assert result["changed"] is False
    assert result["clients"] == ["ec2"]
    assert result["vpc_id"] == "vpc-1"
    assert (result["vpc"]["tags"], result["vpc"]["enable_dns_support"], result["vpc"]["enable_dns_hostnames"]) == ({"Name": "hc", "Project": "hc"}, True, False)
    assert result["subnets"] == [{"subnet_id": "subnet-1", "cidr_block": "10.0.0.0/20", "availability_zone": "us-east-1a", "tags": {"Tier": "private"}}]
    (table,) = result["route_tables"]
    assert (table["id"], table["tags"], table["associations"][0]["subnet_id"]) == ("rtb-1", {"Name": "hc-private-us-east-1a"}, "subnet-1")
    # As ec2_vpc_route_table_info: every route has the members the role compares, null when AWS leaves them out.
    assert [route["destination_cidr_block"] for route in table["routes"]] == ["0.0.0.0/0", None]
    assert table["routes"][0]["nat_gateway_id"] == "nat-1"
    assert result["nat_gateways"] == [{"nat_gateway_id": "nat-1", "subnet_id": "subnet-2", "state": "available", "tags": {}}]
    assert result["internet_gateways"][0]["tags"] == {"Name": "hc-igw"}
    assert result["security_groups"][0]["ip_permissions"][0]["ip_ranges"] == [{"cidr_ip": "10.0.0.0/16", "description": "d"}]
    assert result["vpc_endpoints"][0]["tags"] == {"Name": "hc-s3"}
    assert result["flow_logs"] == [{"flow_log_id": "fl-1", "traffic_type": "ALL", "tags": {"Name": "hc"}}]
    assert (result["log_group"], result["iam_role"], result["resolver_endpoint"], result["account"], result["region"]) == ({}, {}, {}, "", "us-east-1")


def test_a_missing_vpc_is_empty_and_nothing_else_is_read_in_it(clients, capsys):
    expect_vpcs(clients[1]["ec2"], [vpc("vpc-other", "10.9.0.0/16")])
    result = run(clients, capsys, {"name": "hc", "cidr_block": "10.0.0.0/16"})
    assert (result["vpc_id"], result["vpc"], result["subnets"], result["flow_logs"]) == ("", {}, [], [])


def test_an_associated_range_matches_and_two_matches_fail(clients, capsys):
    expect_vpcs(
        clients[1]["ec2"],
        [
            vpc("vpc-1", "10.9.0.0/16", [("10.0.0.0/16", "associated")]),
            vpc("vpc-2", "10.0.0.0/16"),
            vpc("vpc-3", "10.8.0.0/16", [("10.0.0.0/16", "disassociated")]),
        ],
    )
    result = run(clients, capsys, {"name": "hc", "cidr_block": "10.0.0.0/16"})
    assert result["failed"] is True
    assert "2 VPCs are named hc with 10.0.0.0/16 (vpc-1, vpc-2)" in result["msg"]


def test_reads_the_flow_log_group_role_resolver_and_account(clients, capsys):
    stub = clients[1]
    expect_vpcs(stub["ec2"], [vpc()])
    expect_in_vpc(stub["ec2"])
    stub["sts"].add_response("get_caller_identity", {"Account": ACCOUNT, "Arn": f"arn:aws-cn:iam::{ACCOUNT}:user/deployer", "UserId": "AID"}, {})
    stub["logs"].add_response(
        "describe_log_groups",
        {"logGroups": [{"logGroupName": "/hc/vpc-flow-logs-old"}, {"logGroupName": "/hc/vpc-flow-logs", "arn": GROUP_ARN + ":*", "retentionInDays": 365}]},
        {"logGroupNamePrefix": "/hc/vpc-flow-logs"},
    )
    stub["logs"].add_response("list_tags_log_group", {"tags": {"Project": "hc"}}, {"logGroupName": "/hc/vpc-flow-logs"})
    role = {
        "Path": "/",
        "RoleName": "hc-vpc-flow-logs",
        "RoleId": "AROAEXAMPLEROLEID0001",
        "Arn": ROLE_ARN,
        "CreateDate": "2026-12-01T00:00:00Z",
        "AssumeRolePolicyDocument": json.dumps(TRUST),
        "Description": "delivers",
        "Tags": [{"Key": "Project", "Value": "hc"}],
    }
    stub["iam"].add_response("get_role", {"Role": role}, {"RoleName": "hc-vpc-flow-logs"})
    stub["iam"].add_response(
        "list_attached_role_policies",
        {"AttachedPolicies": [{"PolicyArn": "arn:aws:iam::aws:policy/B"}, {"PolicyArn": "arn:aws:iam::aws:policy/A"}]},
        {"RoleName": "hc-vpc-flow-logs"},
    )
    stub["iam"].add_response(
        "get_role_policy",
        {"RoleName": "hc-vpc-flow-logs", "PolicyName": "flow-log-delivery", "PolicyDocument": json.dumps(POLICY)},
        {"RoleName": "hc-vpc-flow-logs", "PolicyName": "flow-log-delivery"},
    )
    stub["iam"].add_client_error("get_role_policy", "NoSuchEntity", "not there", 404, expected_params={"RoleName": "hc-vpc-flow-logs", "PolicyName": "gone"})
    endpoint = {
        "Id": "rslvr-in-1",
        "Arn": "arn:aws:route53resolver:us-east-1:123456789012:resolver-endpoint/rslvr-in-1",
        "Name": "hc-inbound",
        "Direction": "INBOUND",
        "Status": "OPERATIONAL",
        "SecurityGroupIds": ["sg-dns"],
    }
    stub["route53resolver"].add_response(
        "list_resolver_endpoints",
        {"ResolverEndpoints": [endpoint, dict(endpoint, Id="rslvr-in-old", Status="DELETING")]},
        {"Filters": [{"Name": "Name", "Values": ["hc-inbound"]}]},
    )
    stub["route53resolver"].add_response(
        "list_resolver_endpoint_ip_addresses",
        {"IpAddresses": [{"IpId": "ip-2", "SubnetId": "subnet-b", "Ip": "10.0.16.5"}, {"IpId": "ip-1", "SubnetId": "subnet-a", "Ip": "10.0.0.5"}]},
        {"ResolverEndpointId": "rslvr-in-1"},
    )
    stub["route53resolver"].add_response("list_tags_for_resource", {"Tags": [{"Key": "Name", "Value": "hc-inbound"}]}, {"ResourceArn": endpoint["Arn"]})

    result = run(
        clients,
        capsys,
        {
            "name": "hc",
            "log_group_name": "/hc/vpc-flow-logs",
            "iam_role_name": "hc-vpc-flow-logs",
            "iam_role_policy_names": ["flow-log-delivery", "gone"],
            "resolver_endpoint_name": "hc-inbound",
            "caller_identity": True,
        },
    )
    assert result["clients"] == ["ec2", "iam", "logs", "route53resolver", "sts"]
    assert (result["account"], result["partition"]) == (ACCOUNT, "aws-cn")
    assert result["log_group"] == {
        "log_group_name": "/hc/vpc-flow-logs",
        "arn": GROUP_ARN,
        "retention_in_days": 365,
        "kms_key_id": None,
        "tags": {"Project": "hc"},
    }
    assert result["iam_role"] == {
        "role_name": "hc-vpc-flow-logs",
        "arn": ROLE_ARN,
        "path": "/",
        "description": "delivers",
        "assume_role_policy_document": TRUST,
        "tags": {"Project": "hc"},
        "attached_policy_arns": ["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"],
        "inline_policies": {"flow-log-delivery": POLICY, "gone": None},
    }
    endpoint_read = result["resolver_endpoint"]
    assert (endpoint_read["id"], endpoint_read["tags"]) == ("rslvr-in-1", {"Name": "hc-inbound"})
    assert [address["ip"] for address in endpoint_read["ip_addresses"]] == ["10.0.0.5", "10.0.16.5"]


def test_missing_log_group_and_role_are_empty(clients, capsys):
    stub = clients[1]
    expect_vpcs(stub["ec2"], [])
    stub["logs"].add_response("describe_log_groups", {"logGroups": []}, {"logGroupNamePrefix": "/hc/vpc-flow-logs"})
    stub["iam"].add_client_error("get_role", "NoSuchEntity", "not there", 404, expected_params={"RoleName": "hc-vpc-flow-logs"})
    stub["route53resolver"].add_response("list_resolver_endpoints", {"ResolverEndpoints": []}, {"Filters": [{"Name": "Name", "Values": ["hc-inbound"]}]})
    result = run(
        clients, capsys, {"name": "hc", "log_group_name": "/hc/vpc-flow-logs", "iam_role_name": "hc-vpc-flow-logs", "resolver_endpoint_name": "hc-inbound"}
    )
    assert (result["vpc_id"], result["log_group"], result["iam_role"], result["resolver_endpoint"]) == ("", {}, {}, {})


def test_access_denied_fails_with_aws_message(clients, capsys):
    stub = clients[1]
    expect_vpcs(stub["ec2"], [vpc()])
    stub["ec2"].add_client_error("describe_subnets", "UnauthorizedOperation", "You are not authorized to perform this operation.", 403)
    # The calls after the failing one are not made (one after the other here).
    result = run(clients, capsys, {"name": "hc"})
    assert result["failed"] is True
    assert "describe_subnets in VPC vpc-1" in result["msg"]
    assert "not authorized" in result["msg"]


def test_runs_in_check_mode(clients, capsys):
    expect_vpcs(clients[1]["ec2"], [])
    result = run(clients, capsys, {"name": "hc", "_ansible_check_mode": True})
    assert (result["changed"], result["vpc_id"]) == (False, "")
