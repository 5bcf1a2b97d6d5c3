"""rds_layer_info: one read of the PostgreSQL layer across RDS and EC2, each call validated against botocore's model (the
calls run one after the other here, so that each Stubber sees them in order)."""

import json
from unittest import mock

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.hybridcloud.aws.plugins.module_utils import rds_layer
from ansible_collections.hybridcloud.aws.plugins.modules import rds_layer_info
from ansible_collections.hybridcloud.aws.tests.unit.ansible_compat import patch_module_args

ARGS = {
    "db_instance_identifier": "hybridcloud-postgres",
    "db_subnet_group": "hybridcloud-postgres",
    "db_parameter_group": "hybridcloud-postgres-postgres16",
    "parameter_names": ["rds.force_ssl", "log_min_duration_statement"],
    "security_group_ids": ["sg-rds"],
}
INSTANCE_ARN = "arn:aws:rds:us-east-1:123456789012:db:hybridcloud-postgres"
SUBNET_GROUP_ARN = "arn:aws:rds:us-east-1:123456789012:subgrp:hybridcloud-postgres"
PARAMETER_GROUP_ARN = "arn:aws:rds:us-east-1:123456789012:pg:hybridcloud-postgres-postgres16"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf"
TAGS = [{"Key": "Project", "Value": "hybridcloud"}]


def parameter(name, value, source="user", data_type="integer"):
    return {"ParameterName": name, "ParameterValue": value, "DataType": data_type, "IsModifiable": True, "Source": source, "ApplyType": "dynamic"}


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    monkeypatch.setattr(rds_layer, "MAX_WORKERS", 1)


@pytest.fixture
def stubbers():
    clients = {service: boto3.client(service, region_name="us-east-1", aws_access_key_id="unit", aws_secret_access_key="unit") for service in ("rds", "ec2")}
    return clients, {service: Stubber(client) for service, client in clients.items()}


def run(capsys, clients, stubs, args=None):
    with (
        patch_module_args(dict(args or ARGS, _ansible_check_mode=False, _ansible_diff=False, region="us-east-1")),
        stubs["rds"],
        stubs["ec2"],
        mock.patch.object(AnsibleAWSModule, "client", side_effect=lambda service, *a, **k: clients[service]),
        pytest.raises(SystemExit) as exit_info,
    ):
        rds_layer_info.main()
    result = json.loads(capsys.readouterr().out)
    result["rc"] = exit_info.value.code
    for stub in stubs.values():
        stub.assert_no_pending_responses()
    return result


def expect_instance(stubs):
    stubs["rds"].add_response(
        "describe_db_instances",
        {
            "DBInstances": [
                {
                    "DBInstanceIdentifier": "hybridcloud-postgres",
                    "DBInstanceArn": INSTANCE_ARN,
                    "DBInstanceStatus": "available",
                    "Engine": "postgres",
                    "EngineVersion": "16.4",
                    "MultiAZ": True,
                    "Endpoint": {"Address": "hybridcloud-postgres.abc.us-east-1.rds.amazonaws.com", "Port": 5432},
                    "MasterUserSecret": {"SecretArn": SECRET_ARN, "SecretStatus": "active", "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k1"},
                    "PendingModifiedValues": {"DBInstanceClass": "db.t3.small"},
                    "TagList": TAGS,
                }
            ]
        },
        {"DBInstanceIdentifier": "hybridcloud-postgres"},
    )


def expect_groups(stubs, user_parameters, all_parameters=None):
    stubs["rds"].add_response(
        "describe_db_subnet_groups",
        {
            "DBSubnetGroups": [
                {
                    "DBSubnetGroupName": "hybridcloud-postgres",
                    "DBSubnetGroupDescription": "Private subnets",
                    "DBSubnetGroupArn": SUBNET_GROUP_ARN,
                    "Subnets": [{"SubnetIdentifier": "subnet-a"}, {"SubnetIdentifier": "subnet-b"}],
                }
            ]
        },
        {"DBSubnetGroupName": "hybridcloud-postgres"},
    )
    stubs["rds"].add_response("list_tags_for_resource", {"TagList": TAGS}, {"ResourceName": SUBNET_GROUP_ARN})
    stubs["rds"].add_response(
        "describe_db_parameter_groups",
        {
            "DBParameterGroups": [
                {
                    "DBParameterGroupName": "hybridcloud-postgres-postgres16",
                    "DBParameterGroupFamily": "postgres16",
                    "Description": "TLS only",
                    "DBParameterGroupArn": PARAMETER_GROUP_ARN,
                }
            ]
        },
        {"DBParameterGroupName": "hybridcloud-postgres-postgres16"},
    )
    stubs["rds"].add_response("list_tags_for_resource", {"TagList": TAGS}, {"ResourceName": PARAMETER_GROUP_ARN})
    stubs["rds"].add_response(
        "describe_db_parameters", {"Parameters": user_parameters}, {"DBParameterGroupName": "hybridcloud-postgres-postgres16", "Source": "user"}
    )
    if all_parameters is not None:
        stubs["rds"].add_response("describe_db_parameters", {"Parameters": all_parameters}, {"DBParameterGroupName": "hybridcloud-postgres-postgres16"})


def expect_security_groups(stubs):
    stubs["ec2"].add_response(
        "describe_security_groups",
        {
            "SecurityGroups": [
                {
                    "GroupId": "sg-rds",
                    "GroupName": "hybridcloud-rds",
                    "IpPermissions": [
                        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "IpRanges": [{"CidrIp": "192.168.20.0/24"}], "UserIdGroupPairs": []}
                    ],
                    "Tags": [{"Key": "Name", "Value": "hybridcloud-rds"}],
                }
            ]
        },
        {"Filters": [{"Name": "group-id", "Values": ["sg-rds"]}]},
    )


def test_reads_every_resource_once_in_the_form_the_writes_compare(capsys, stubbers):
    clients, stubs = stubbers
    expect_instance(stubs)
    user = [parameter("rds.force_ssl", "1", data_type="boolean"), parameter("log_min_duration_statement", "500")]
    expect_groups(stubs, user)
    expect_security_groups(stubs)
    result = run(capsys, clients, stubs)
    assert result["rc"] == 0 and result["changed"] is False
    instance = result["instance"]
    # As amazon.aws.rds_instance_info returns it: snake_case, tags a dict, pending values kept.
    assert (instance["db_instance_arn"], instance["multi_az"], instance["endpoint"]["port"]) == (INSTANCE_ARN, True, 5432)
    assert instance["tags"] == {"Project": "hybridcloud"} and "tag_list" not in instance
    assert instance["master_user_secret"]["secret_arn"] == SECRET_ARN
    assert instance["pending_modified_values"] == {"db_instance_class": "db.t3.small"}
    assert result["subnet_group"]["subnet_ids"] == ["subnet-a", "subnet-b"]
    assert result["subnet_group"]["tags"] == {"Project": "hybridcloud"}
    assert result["parameter_group"]["db_parameter_group_family"] == "postgres16"
    assert result["parameter_group"]["tags"] == {"Project": "hybridcloud"}
    assert sorted(result["parameters"]) == ["log_min_duration_statement", "rds.force_ssl"]
    assert result["parameters"]["rds.force_ssl"]["ParameterValue"] == "1"
    [group] = result["security_groups"]
    assert group["ip_permissions"][0]["ip_ranges"] == [{"cidr_ip": "192.168.20.0/24"}]
    assert group["tags"] == {"Name": "hybridcloud-rds"}


def test_a_wanted_parameter_at_its_default_reads_every_parameter_once(capsys, stubbers):
    clients, stubs = stubbers
    expect_instance(stubs)
    everything = [parameter("rds.force_ssl", "1", "engine-default", "boolean"), parameter("work_mem", "4096", "engine-default")]
    expect_groups(stubs, [parameter("log_min_duration_statement", "500")], everything)
    expect_security_groups(stubs)
    result = run(capsys, clients, stubs)
    assert sorted(result["parameters"]) == ["log_min_duration_statement", "rds.force_ssl"]
    assert result["parameters"]["rds.force_ssl"]["Source"] == "engine-default"


def test_nothing_there_yet_is_no_error_and_every_entry_is_empty(capsys, stubbers):
    clients, stubs = stubbers
    stubs["rds"].add_client_error("describe_db_instances", "DBInstanceNotFound", expected_params={"DBInstanceIdentifier": "hybridcloud-postgres"})
    stubs["rds"].add_client_error("describe_db_subnet_groups", "DBSubnetGroupNotFoundFault", expected_params={"DBSubnetGroupName": "hybridcloud-postgres"})
    name = {"DBParameterGroupName": "hybridcloud-postgres-postgres16"}
    stubs["rds"].add_client_error("describe_db_parameter_groups", "DBParameterGroupNotFound", expected_params=name)
    stubs["rds"].add_client_error("describe_db_parameters", "DBParameterGroupNotFound", expected_params=dict(name, Source="user"))
    stubs["ec2"].add_response("describe_security_groups", {"SecurityGroups": []}, {"Filters": [{"Name": "group-id", "Values": ["sg-rds"]}]})
    result = run(capsys, clients, stubs)
    assert result["rc"] == 0
    assert (result["instance"], result["subnet_group"], result["parameter_group"], result["parameters"], result["security_groups"]) == ({}, {}, {}, {}, [])


def test_parts_not_asked_for_are_not_read(capsys, stubbers):
    clients, stubs = stubbers
    expect_instance(stubs)
    result = run(capsys, clients, stubs, {"db_instance_identifier": "hybridcloud-postgres"})
    assert result["instance"]["db_instance_identifier"] == "hybridcloud-postgres"
    assert (result["subnet_group"], result["parameters"], result["security_groups"]) == ({}, {}, [])


def test_an_aws_error_fails_with_its_message(capsys, stubbers):
    clients, stubs = stubbers
    stubs["rds"].add_client_error("describe_db_instances", "AccessDenied", "not allowed")
    result = run(capsys, clients, stubs, {"db_instance_identifier": "hybridcloud-postgres"})
    assert result["rc"] == 1 and result["failed"]
    assert "not allowed" in result["msg"]
