"""rds_postgres_verification_problems: one problem per property of the DB instance read back that is not as the
rds_postgres role guarantees it, none when it is."""

from __future__ import annotations

import pytest
from ansible_collections.hybridcloud.aws.plugins.filter.rds_postgres_verification_problems import FilterModule

problems_of = FilterModule().filters()["rds_postgres_verification_problems"]

KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1a2b-AbCdEf"
GOOD = {
    "db_instance_identifier": "hybridcloud-postgres",
    "multi_az": True,
    "storage_encrypted": True,
    "kms_key_id": KEY_ARN,
    "publicly_accessible": False,
    "allocated_storage": 20,
    "max_allocated_storage": 100,
    "pending_modified_values": {},
}
STANDALONE = {"replica_source": "", "kms_key_id": "", "master_secret_arn": SECRET, "check_mode": False}


def test_an_instance_as_required_has_no_problem():
    assert problems_of(GOOD, STANDALONE) == []
    assert problems_of(GOOD, dict(STANDALONE, kms_key_id=KEY_ARN.rsplit("/", 1)[1])) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"multi_az": False}, "not Multi-AZ (multi_az false, no change to it pending)"),
        ({"storage_encrypted": False}, "storage not encrypted (encryption can only be set when an instance is created)"),
        ({"publicly_accessible": True}, "publicly accessible"),
        ({"max_allocated_storage": None}, "storage autoscaling off (max_allocated_storage none GiB, allocated 20 GiB)"),
        ({"max_allocated_storage": 20}, "storage autoscaling off (max_allocated_storage 20 GiB, allocated 20 GiB)"),
    ],
)
def test_each_property_not_as_guaranteed_is_one_problem(changes, problem):
    assert problems_of(dict(GOOD, **changes), STANDALONE) == [problem]


def test_a_multi_az_change_pending_is_enough():
    assert problems_of(dict(GOOD, multi_az=False, pending_modified_values={"multi_az": True}), STANDALONE) == []


def test_a_key_other_than_the_wanted_one_is_named():
    other = KEY_ARN.replace("0f1e2d3c", "99999999")
    assert problems_of(dict(GOOD, kms_key_id=other), dict(STANDALONE, kms_key_id=KEY_ARN)) == [
        f"encrypted with {other}, not {KEY_ARN} (the key can only be set when an instance is created)"
    ]


def test_an_alias_matches_through_the_arn_it_resolved_to_and_a_part_of_a_key_id_never_matches():
    assert problems_of(GOOD, dict(STANDALONE, kms_key_id="alias/hybridcloud-rds", kms_key_arn=KEY_ARN)) == []
    # An alias not resolved cannot be matched: named, not passed.
    assert problems_of(GOOD, dict(STANDALONE, kms_key_id="alias/hybridcloud-rds"))[0].startswith(f"encrypted with {KEY_ARN}, not alias/hybridcloud-rds")
    # A fragment of the key id is another key (a substring search accepted it).
    assert problems_of(GOOD, dict(STANDALONE, kms_key_id="0f1e2d3c"))[0].startswith(f"encrypted with {KEY_ARN}, not 0f1e2d3c")


def test_a_standalone_instance_needs_its_managed_secret_except_in_check_mode():
    assert problems_of(GOOD, dict(STANDALONE, master_secret_arn="")) == ["no master user secret managed by RDS in Secrets Manager"]
    # A template hands the check mode as a boolean or as its string form.
    assert problems_of(GOOD, dict(STANDALONE, master_secret_arn="", check_mode=True)) == []
    assert problems_of(GOOD, dict(STANDALONE, master_secret_arn="", check_mode="True")) == []
    assert problems_of(GOOD, dict(STANDALONE, master_secret_arn="", check_mode="False")) == ["no master user secret managed by RDS in Secrets Manager"]


def test_a_replica_needs_the_wanted_source_and_no_secret():
    source = "arn:aws:rds:us-east-1:123456789012:db:hybridcloud-postgres"
    replica = dict(GOOD, read_replica_source_db_instance_identifier=source)
    assert problems_of(replica, {"replica_source": source, "master_secret_arn": ""}) == []
    assert problems_of(dict(GOOD), {"replica_source": source, "master_secret_arn": ""}) == [f"a replica of nothing, not of {source}"]


def test_everything_wrong_at_once_names_every_problem():
    bad = {"multi_az": False, "storage_encrypted": False, "publicly_accessible": True, "allocated_storage": 20}
    assert len(problems_of(bad, dict(STANDALONE, master_secret_arn=""))) == 5
    assert problems_of(None, STANDALONE)[0].startswith("not Multi-AZ")
