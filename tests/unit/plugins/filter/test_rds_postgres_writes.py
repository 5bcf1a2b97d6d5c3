"""rds_postgres_writes: which write modules the rds_postgres role must run, from one read of its layer."""

import copy

import botocore.session
import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.rds_postgres_writes import CONSISTENT
from ansible_collections.hybridcloud.aws.plugins.filter.rds_postgres_writes import FilterModule

writes = FilterModule().filters()["rds_postgres_writes"]

TAGS = {"Project": "hybridcloud", "Environment": "lab"}
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-3333-4444-555566667777"
OPTIONS = {
    "engine": "postgres",
    "engine_version": "16.4",
    "auto_minor_version_upgrade": True,
    "db_instance_class": "db.t3.micro",
    "allocated_storage": "100",
    "max_allocated_storage": 500,
    "storage_type": "gp2",
    "storage_encrypted": True,
    "kms_key_id": "alias/aws/rds",
    "port": "5432",
    "multi_az": True,
    "publicly_accessible": False,
    "db_subnet_group_name": "hybridcloud-postgres",
    "vpc_security_group_ids": ["sg-rds"],
    "db_parameter_group_name": "hybridcloud-postgres-postgres16",
    "preferred_maintenance_window": "Sun:03:30-Sun:04:30",
    "copy_tags_to_snapshot": True,
    "deletion_protection": True,
    "enable_performance_insights": False,
    "enable_cloudwatch_logs_exports": ["postgresql", "upgrade"],
    "master_username": "dbadmin",
    "db_name": "hybridcloud",
    "backup_retention_period": 14,
    "preferred_backup_window": "02:00-03:00",
}
WANTED = {
    "subnet_group": {"name": "hybridcloud-postgres", "description": "Private subnets", "subnets": ["subnet-b", "subnet-a"], "tags": TAGS},
    "parameter_group": {"params": {"rds.force_ssl": 1, "log_min_duration_statement": 500}, "tags": TAGS},
    "instance": {"options": OPTIONS, "read_replica": None, "tags": TAGS},
    "master_user_secret": {"replica": False, "kms_key_id": "", "kms_key_arn": ""},
    "security_groups": {"ids": ["sg-rds"], "allowed_security_group_ids": ["sg-tasks"], "allowed_cidrs": ["192.168.20.0/24"]},
}
INSTANCE = {
    "db_instance_identifier": "hybridcloud-postgres",
    "engine": "postgres",
    "engine_version": "16.4",
    "auto_minor_version_upgrade": True,
    "db_instance_class": "db.t3.micro",
    "allocated_storage": 100,
    "max_allocated_storage": 500,
    "storage_type": "gp2",
    "storage_encrypted": True,
    "endpoint": {"address": "hybridcloud-postgres.abc.rds.amazonaws.com", "port": 5432},
    "multi_az": True,
    "publicly_accessible": False,
    "db_subnet_group": {"db_subnet_group_name": "hybridcloud-postgres"},
    "vpc_security_groups": [{"vpc_security_group_id": "sg-rds", "status": "active"}],
    "db_parameter_groups": [{"db_parameter_group_name": "hybridcloud-postgres-postgres16", "parameter_apply_status": "in-sync"}],
    "preferred_maintenance_window": "sun:03:30-sun:04:30",
    "copy_tags_to_snapshot": True,
    "deletion_protection": True,
    "performance_insights_enabled": None,
    "enabled_cloudwatch_logs_exports": ["upgrade", "postgresql"],
    "backup_retention_period": 14,
    "preferred_backup_window": "02:00-03:00",
    "pending_modified_values": {},
    "master_user_secret": {"secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db", "secret_status": "active", "kms_key_id": KEY_ARN},
    "tags": TAGS,
}
LAYER = {
    "instance": INSTANCE,
    "subnet_group": {
        "db_subnet_group_name": "hybridcloud-postgres",
        "db_subnet_group_description": "Private subnets",
        "subnet_ids": ["subnet-a", "subnet-b"],
        "tags": TAGS,
    },
    "parameter_group": {"db_parameter_group_name": "hybridcloud-postgres-postgres16", "tags": TAGS},
    "parameters": {
        "rds.force_ssl": {"ParameterName": "rds.force_ssl", "ParameterValue": "1", "DataType": "boolean", "IsModifiable": True, "Source": "user"},
        "log_min_duration_statement": {
            "ParameterName": "log_min_duration_statement",
            "ParameterValue": "500",
            "DataType": "integer",
            "IsModifiable": True,
            "Source": "user",
        },
    },
    "security_groups": [
        {
            "group_id": "sg-rds",
            "ip_permissions": [
                {"ip_ranges": [{"cidr_ip": "192.168.20.0/24"}], "ipv6_ranges": [], "prefix_list_ids": [], "user_id_group_pairs": [{"group_id": "sg-tasks"}]}
            ],
        }
    ],
}
NOTHING = {"subnet_group": [], "parameter_group": [], "instance": [], "master_user_secret": [], "missing_security_groups": [], "foreign_sources": []}


def layer_with(**changes):
    layer = copy.deepcopy(LAYER)
    for path, value in changes.items():
        *parents, key = path.split("__")
        target = layer
        for parent in parents:
            target = target[parent]
        target[key] = value
    return layer


def wanted_with(part, **changes):
    wanted = copy.deepcopy(WANTED)
    wanted[part].update(changes)
    return wanted


def test_a_converged_layer_needs_no_write():
    assert writes(LAYER, WANTED) == NOTHING


def test_nothing_there_yet_needs_every_write():
    result = writes({"instance": {}, "subnet_group": {}, "parameter_group": {}, "parameters": {}, "security_groups": []}, WANTED)
    assert result == {
        "subnet_group": ["missing"],
        "parameter_group": ["missing"],
        "instance": ["missing"],
        "master_user_secret": ["missing"],
        "missing_security_groups": ["sg-rds"],
        "foreign_sources": [],
    }


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"subnet_group__db_subnet_group_description": "other"}, ["description"]),
        ({"subnet_group__subnet_ids": ["subnet-a"]}, ["subnets"]),
        ({"subnet_group__tags": {"Project": "hybridcloud"}}, ["tags"]),
    ],
)
def test_subnet_group_differences(changes, expected):
    assert writes(layer_with(**changes), WANTED)["subnet_group"] == expected


def test_subnets_compare_as_sorted_lists():
    assert writes(layer_with(subnet_group__subnet_ids=["subnet-b", "subnet-a"]), WANTED)["subnet_group"] == []


def test_a_changed_parameter_or_a_tag_makes_the_parameter_group_run():
    layer = layer_with(parameters__log_min_duration_statement__ParameterValue="1000", parameter_group__tags={})
    assert writes(layer, WANTED)["parameter_group"] == ["tags", "parameters"]


def test_parameters_compare_as_the_module_converts_them():
    # A boolean wanted as true is stored as 1, an integer given as a string compares as the stored string.
    wanted = wanted_with("parameter_group", params={"rds.force_ssl": True, "log_min_duration_statement": "500"})
    assert writes(LAYER, wanted)["parameter_group"] == []


def test_a_parameter_the_group_does_not_have_makes_the_module_run_and_report_it():
    wanted = wanted_with("parameter_group", params={"rds.force_ssl": 1, "no_such_parameter": 1})
    assert writes(LAYER, wanted)["parameter_group"] == ["parameters"]


def test_parameter_group_tags_are_not_compared_when_none_are_wanted():
    assert writes(layer_with(parameter_group__tags={"Other": "x"}), wanted_with("parameter_group", tags={}))["parameter_group"] == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"instance__db_instance_class": "db.t3.small"}, ["db_instance_class"]),
        ({"instance__backup_retention_period": 7}, ["backup_retention_period"]),
        ({"instance__max_allocated_storage": None}, ["max_allocated_storage"]),
        ({"instance__preferred_maintenance_window": "mon:03:30-mon:04:30"}, ["preferred_maintenance_window"]),
        ({"instance__endpoint": {"port": 5433}}, ["port"]),
        (
            {"instance__vpc_security_groups": [{"vpc_security_group_id": "sg-rds", "status": "active"}, {"vpc_security_group_id": "sg-x", "status": "active"}]},
            ["vpc_security_group_ids"],
        ),
        ({"instance__db_parameter_groups": [{"db_parameter_group_name": "default.postgres16"}]}, ["db_parameter_group_name"]),
        ({"instance__enabled_cloudwatch_logs_exports": ["postgresql"]}, ["enable_cloudwatch_logs_exports"]),
        ({"instance__performance_insights_enabled": True}, ["enable_performance_insights"]),
        ({"instance__storage_type": "io1"}, ["storage_type", "iops"]),
        ({"instance__tags": {"Project": "hybridcloud"}}, ["tags"]),
    ],
)
def test_instance_differences(changes, expected):
    assert writes(layer_with(**changes), WANTED)["instance"] == expected


def test_a_pending_value_counts_before_the_current_one():
    pending = {"db_instance_class": "db.t3.micro", "port": 5432, "pending_cloudwatch_logs_exports": {"log_types_to_enable": ["upgrade", "postgresql"]}}
    layer = layer_with(instance__db_instance_class="db.t3.small", instance__pending_modified_values=pending, instance__enabled_cloudwatch_logs_exports=[])
    assert writes(layer, WANTED)["instance"] == []
    assert writes(layer_with(instance__pending_modified_values={"multi_az": False}), WANTED)["instance"] == ["multi_az"]


def test_a_security_group_being_removed_is_not_attached():
    groups = [{"vpc_security_group_id": "sg-rds", "status": "active"}, {"vpc_security_group_id": "sg-old", "status": "removing"}]
    assert writes(layer_with(instance__vpc_security_groups=groups), WANTED)["instance"] == []


def test_options_not_sent_are_not_compared():
    # A read replica is sent no engine version, backups, master user or database: those come from its source.
    options = {key: value for key, value in OPTIONS.items() if key not in ("engine_version", "backup_retention_period", "preferred_backup_window")}
    layer = layer_with(instance__engine_version="16.8", instance__backup_retention_period=0, instance__preferred_backup_window="05:00-06:00")
    assert writes(layer, wanted_with("instance", options=options, read_replica=True))["instance"] == []


def test_a_read_replica_is_promoted_only_when_asked_and_when_it_is_one():
    replica = layer_with(instance__status_infos=[{"status_type": "read replication", "normal": True, "status": "replicating"}])
    assert writes(replica, wanted_with("instance", read_replica=False))["instance"] == ["promote"]
    assert writes(replica, WANTED)["instance"] == []
    assert writes(LAYER, wanted_with("instance", read_replica=False))["instance"] == []


def test_the_compared_options_are_modify_db_instance_parameters():
    """As amazon.aws.rds_instance, which keeps only the options ModifyDBInstance takes before it compares."""
    members = botocore.session.get_session().get_service_model("rds").operation_model("ModifyDBInstance").input_shape.members
    camel = {"multi_az": "MultiAZ", "db_instance_class": "DBInstanceClass"}
    for option in CONSISTENT:
        name = camel.get(option) or "".join(part.capitalize() for part in option.split("_"))
        assert name in members, option


@pytest.mark.parametrize(
    ("secret", "wanted", "expected"),
    [
        ({}, {}, ["missing"]),
        (INSTANCE["master_user_secret"], {"kms_key_id": KEY_ARN}, []),
        (INSTANCE["master_user_secret"], {"kms_key_id": "1111aaaa-2222-3333-4444-555566667777"}, []),
        (INSTANCE["master_user_secret"], {"kms_key_id": "alias/hybridcloud-secrets", "kms_key_arn": KEY_ARN}, []),
        (INSTANCE["master_user_secret"], {"kms_key_id": "alias/hybridcloud-secrets", "kms_key_arn": KEY_ARN.replace("1111", "9999")}, ["kms_key"]),
        (INSTANCE["master_user_secret"], {"kms_key_id": "other-key"}, ["kms_key"]),
        ({}, {"replica": True}, []),
    ],
)
def test_master_user_secret(secret, wanted, expected):
    assert writes(layer_with(instance__master_user_secret=secret), wanted_with("master_user_secret", **wanted))["master_user_secret"] == expected


def test_foreign_sources_and_missing_groups():
    permission = {
        "ip_ranges": [{"cidr_ip": "0.0.0.0/0"}, {"cidr_ip": "192.168.20.0/24"}],
        "ipv6_ranges": [{"cidr_ipv6": "::/0"}],
        "prefix_list_ids": [{"prefix_list_id": "pl-1"}],
        "user_id_group_pairs": [{"group_id": "sg-tasks"}, {"group_id": "sg-other"}],
    }
    layer = layer_with(security_groups=[{"group_id": "sg-rds", "ip_permissions": [permission]}])
    result = writes(layer, wanted_with("security_groups", ids=["sg-rds", "sg-gone"]))
    assert result["foreign_sources"] == ["0.0.0.0/0", "::/0", "pl-1", "sg-other"]
    assert result["missing_security_groups"] == ["sg-gone"]
