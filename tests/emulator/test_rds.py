"""RDS as AWS behaves where moto did not: missing parameter groups, the parameters of a new PostgreSQL group and their
round trip, subnet group modification, and the master user secret of ModifyDBInstance ManageMasterUserPassword."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

GROUP = "lab-postgres16"


@pytest.fixture
def rds(client):
    return client("rds")


@pytest.fixture
def secretsmanager(client):
    return client("secretsmanager")


@pytest.fixture
def subnet_ids(client):
    ec2 = client("ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    return [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=cidr, AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for cidr, zone in (("10.60.0.0/24", "us-east-1a"), ("10.60.1.0/24", "us-east-1b"), ("10.60.2.0/24", "us-east-1c"))
    ]


@pytest.fixture
def instance(rds, subnet_ids):
    rds.create_db_subnet_group(DBSubnetGroupName="lab-db", DBSubnetGroupDescription="lab", SubnetIds=subnet_ids[:2])
    rds.create_db_instance(
        DBInstanceIdentifier="lab-db",
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="dbadmin",
        MasterUserPassword="initial-password-1",
        DBSubnetGroupName="lab-db",
    )
    return "lab-db"


def error_code(raised):
    return raised.value.response["Error"]["Code"]


def parameters(rds, group=GROUP, **filters):
    return {p["ParameterName"]: p for p in rds.describe_db_parameters(DBParameterGroupName=group, **filters)["Parameters"]}


def create_group(rds, name=GROUP, family="postgres16"):
    rds.create_db_parameter_group(DBParameterGroupName=name, DBParameterGroupFamily=family, Description="lab")


def master_secret(rds, identifier):
    return rds.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0].get("MasterUserSecret")


def rds_secrets(secretsmanager):
    return [secret["ARN"] for secret in secretsmanager.list_secrets()["SecretList"] if secret["Name"].startswith("rds!")]


# Parameter groups ----------------------------------------------------------------------------------------------
def test_describing_a_missing_parameter_group_answers_not_found(rds):
    with pytest.raises(ClientError) as raised:
        rds.describe_db_parameter_groups(DBParameterGroupName="lab-missing")
    assert error_code(raised) == "DBParameterGroupNotFound"
    create_group(rds, "lab-missing")
    assert [g["DBParameterGroupName"] for g in rds.describe_db_parameter_groups(DBParameterGroupName="lab-missing")["DBParameterGroups"]] == ["lab-missing"]
    assert [g["DBParameterGroupName"] for g in rds.describe_db_parameter_groups()["DBParameterGroups"]] == ["lab-missing"]


def test_new_postgres_group_lists_the_family_parameters_with_their_metadata(rds):
    create_group(rds)
    listed = parameters(rds)
    assert listed["rds.force_ssl"] == {
        "ParameterName": "rds.force_ssl",
        "ParameterValue": "1",
        "Description": "Force SSL connections.",
        "Source": "engine-default",
        "ApplyType": "dynamic",
        "DataType": "boolean",
        "AllowedValues": "0,1",
        "IsModifiable": True,
        "ApplyMethod": "pending-reboot",
    }
    assert "ParameterValue" not in listed["log_min_duration_statement"]
    assert (listed["max_connections"]["ApplyType"], listed["max_connections"]["Source"]) == ("static", "system")
    assert listed["ssl"]["IsModifiable"] is False
    assert parameters(rds, Source="user") == {}


def test_force_ssl_defaults_to_off_before_postgres_15(rds):
    create_group(rds, "lab-postgres14", "postgres14")
    assert parameters(rds, "lab-postgres14")["rds.force_ssl"]["ParameterValue"] == "0"


def test_modified_parameters_round_trip_as_user_parameters(rds):
    create_group(rds, "lab-postgres14", "postgres14")
    rds.modify_db_parameter_group(
        DBParameterGroupName="lab-postgres14",
        Parameters=[
            {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"},
            {"ParameterName": "log_min_duration_statement", "ParameterValue": "500", "ApplyMethod": "pending-reboot"},
            {"ParameterName": "shared_preload_libraries", "ParameterValue": "pg_stat_statements,pgaudit", "ApplyMethod": "pending-reboot"},
        ],
    )
    user = parameters(rds, "lab-postgres14", Source="user")
    assert {name: (p["ParameterValue"], p["ApplyMethod"]) for name, p in user.items()} == {
        "rds.force_ssl": ("1", "immediate"),
        "log_min_duration_statement": ("500", "pending-reboot"),
        "shared_preload_libraries": ("pg_stat_statements,pgaudit", "pending-reboot"),
    }
    assert (user["rds.force_ssl"]["DataType"], user["rds.force_ssl"]["IsModifiable"]) == ("boolean", True)
    defaults = parameters(rds, "lab-postgres14", Source="engine-default")
    assert "rds.force_ssl" not in defaults and "log_statement" in defaults


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ({"ParameterName": "no_such_parameter", "ParameterValue": "1"}, "InvalidParameterValue", "Could not find parameter with name: no_such_parameter"),
        ({"ParameterName": "ssl", "ParameterValue": "0"}, "InvalidParameterValue", "cannot be modified"),
        ({"ParameterName": "max_connections", "ParameterValue": "100", "ApplyMethod": "immediate"}, "InvalidParameterCombination", "static parameter"),
        ({"ParameterName": "rds.force_ssl", "ParameterValue": "2"}, "InvalidParameterValue", "outside of range"),
        ({"ParameterName": "log_min_duration_statement", "ParameterValue": "-5"}, "InvalidParameterValue", "outside of range"),
        ({"ParameterName": "log_statement", "ParameterValue": "everything"}, "InvalidParameterValue", "outside of range"),
    ],
)
def test_modification_aws_refuses_is_refused_and_stores_nothing(rds, change, code, message):
    create_group(rds)
    before = parameters(rds)
    with pytest.raises(ClientError) as raised:
        rds.modify_db_parameter_group(DBParameterGroupName=GROUP, Parameters=[{"ApplyMethod": "pending-reboot", **change}])
    assert error_code(raised) == code
    assert message in raised.value.response["Error"]["Message"]
    assert parameters(rds) == before


def test_more_than_twenty_parameters_in_one_call_are_refused(rds):
    create_group(rds)
    changes = [{"ParameterName": "work_mem", "ParameterValue": str(1024 + i), "ApplyMethod": "immediate"} for i in range(21)]
    with pytest.raises(ClientError) as raised:
        rds.modify_db_parameter_group(DBParameterGroupName=GROUP, Parameters=changes)
    assert error_code(raised) == "InvalidParameterValue"


def test_engine_default_parameters_of_a_family(rds):
    defaults = rds.describe_engine_default_parameters(DBParameterGroupFamily="postgres16")["EngineDefaults"]
    assert defaults["DBParameterGroupFamily"] == "postgres16"
    by_name = {p["ParameterName"]: p for p in defaults["Parameters"]}
    assert by_name["rds.force_ssl"]["ParameterValue"] == "1"
    assert by_name["log_min_duration_statement"]["DataType"] == "integer"


# Subnet groups -------------------------------------------------------------------------------------------------
def test_modifying_a_subnet_group_keeps_it_and_its_tags(rds, subnet_ids):
    created = rds.create_db_subnet_group(
        DBSubnetGroupName="lab-subnets", DBSubnetGroupDescription="lab", SubnetIds=subnet_ids[:2], Tags=[{"Key": "Project", "Value": "hybridcloud"}]
    )["DBSubnetGroup"]
    rds.modify_db_subnet_group(DBSubnetGroupName="lab-subnets", SubnetIds=subnet_ids, DBSubnetGroupDescription="three zones")
    [group] = rds.describe_db_subnet_groups(DBSubnetGroupName="lab-subnets")["DBSubnetGroups"]
    assert sorted(s["SubnetIdentifier"] for s in group["Subnets"]) == sorted(subnet_ids)
    assert group["DBSubnetGroupDescription"] == "three zones"
    assert rds.list_tags_for_resource(ResourceName=created["DBSubnetGroupArn"])["TagList"] == [{"Key": "Project", "Value": "hybridcloud"}]


def test_modifying_a_missing_subnet_group_answers_not_found(rds, subnet_ids):
    with pytest.raises(ClientError) as raised:
        rds.modify_db_subnet_group(DBSubnetGroupName="lab-missing", SubnetIds=subnet_ids)
    assert error_code(raised) == "DBSubnetGroupNotFoundFault"


# Managed master user password ------------------------------------------------------------------------------------
def test_turning_on_management_creates_one_secret_that_is_kept(rds, secretsmanager, instance):
    assert master_secret(rds, instance) is None
    answered = rds.modify_db_instance(DBInstanceIdentifier=instance, ManageMasterUserPassword=True, ApplyImmediately=True)["DBInstance"]
    secret_arn = answered["MasterUserSecret"]["SecretArn"]
    assert master_secret(rds, instance)["SecretStatus"] == "active"
    value = json.loads(secretsmanager.get_secret_value(SecretId=secret_arn)["SecretString"])
    assert value["username"] == "dbadmin" and len(value["password"]) >= 16
    assert rds_secrets(secretsmanager) == [secret_arn]

    rds.modify_db_instance(DBInstanceIdentifier=instance, ManageMasterUserPassword=True, ApplyImmediately=True)
    assert master_secret(rds, instance)["SecretArn"] == secret_arn
    assert rds_secrets(secretsmanager) == [secret_arn]


def test_secret_uses_the_given_kms_key(rds, client, instance):
    key = client("kms").create_key()["KeyMetadata"]
    rds.modify_db_instance(DBInstanceIdentifier=instance, ManageMasterUserPassword=True, MasterUserSecretKmsKeyId=key["KeyId"], ApplyImmediately=True)
    assert master_secret(rds, instance)["KmsKeyId"] == key["Arn"]


@pytest.mark.parametrize(
    ("first_manage", "change", "message"),
    [
        (False, {"ManageMasterUserPassword": True, "MasterUserPassword": "another-password-1"}, "can't specify MasterUserPassword when"),
        (True, {"ManageMasterUserPassword": False}, "must specify MasterUserPassword"),
        (True, {"MasterUserPassword": "another-password-1"}, "managed by RDS"),
    ],
)
def test_password_combinations_aws_refuses(rds, instance, first_manage, change, message):
    if first_manage:
        rds.modify_db_instance(DBInstanceIdentifier=instance, ManageMasterUserPassword=True, ApplyImmediately=True)
    before = master_secret(rds, instance)
    with pytest.raises(ClientError) as raised:
        rds.modify_db_instance(DBInstanceIdentifier=instance, ApplyImmediately=True, **change)
    assert error_code(raised) == "InvalidParameterCombination"
    assert message in raised.value.response["Error"]["Message"]
    assert master_secret(rds, instance) == before


def test_turning_off_management_with_a_new_password_deletes_the_secret(rds, secretsmanager, instance):
    rds.modify_db_instance(DBInstanceIdentifier=instance, ManageMasterUserPassword=True, ApplyImmediately=True)
    rds.modify_db_instance(DBInstanceIdentifier=instance, ManageMasterUserPassword=False, MasterUserPassword="operator-password-1", ApplyImmediately=True)
    assert master_secret(rds, instance) is None
    assert rds_secrets(secretsmanager) == []
