"""AWS Backup selections, plan updates, plan names reused after deletion and the DescribeBackupVault answer for a
vault that does not exist."""

from __future__ import annotations

from datetime import datetime

import pytest
from botocore.exceptions import ClientError

ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
VOLUMES = "arn:aws:ec2:us-east-1:123456789012:volume/*"


@pytest.fixture
def backup(client):
    return client("backup")


@pytest.fixture
def plan_id(backup):
    backup.create_backup_vault(BackupVaultName="lab-vault")
    plan = {"BackupPlanName": "lab-daily", "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "lab-vault"}]}
    return backup.create_backup_plan(BackupPlan=plan)["BackupPlanId"]


def selection(name="lab-volumes", **extra):
    return {"SelectionName": name, "IamRoleArn": ROLE_ARN, "Resources": [VOLUMES], **extra}


def error_of(raised):
    return raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_missing_vault_answers_access_denied_as_aws_does(backup):
    with pytest.raises(ClientError) as raised:
        backup.describe_backup_vault(BackupVaultName="lab-no-such-vault")
    assert error_of(raised) == ("AccessDeniedException", 403)
    backup.create_backup_vault(BackupVaultName="lab-no-such-vault")
    assert backup.describe_backup_vault(BackupVaultName="lab-no-such-vault")["BackupVaultName"] == "lab-no-such-vault"


def test_selection_lifecycle_create_get_list_delete(backup, plan_id):
    document = selection(
        ListOfTags=[{"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "daily"}],
        NotResources=["arn:aws:ec2:us-east-1:123456789012:volume/vol-0123456789abcdef0"],
        Conditions={"StringEquals": [{"ConditionKey": "aws:ResourceTag/env", "ConditionValue": "lab"}]},
    )
    created = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=document, CreatorRequestId="lab-request-1")
    assert created["BackupPlanId"] == plan_id
    assert isinstance(created["CreationDate"], datetime)

    read = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert read["SelectionId"] == created["SelectionId"]
    assert read["CreatorRequestId"] == "lab-request-1"
    assert read["BackupSelection"] == {
        **document,
        "Conditions": {
            "StringEquals": [{"ConditionKey": "aws:ResourceTag/env", "ConditionValue": "lab"}],
            "StringNotEquals": [],
            "StringLike": [],
            "StringNotLike": [],
        },
    }

    [listed] = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    assert (listed["SelectionId"], listed["SelectionName"], listed["IamRoleArn"]) == (created["SelectionId"], "lab-volumes", ROLE_ARN)

    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"] == []
    with pytest.raises(ClientError) as raised:
        backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert error_of(raised) == ("ResourceNotFoundException", 400)
    with pytest.raises(ClientError) as raised:
        backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=created["SelectionId"])
    assert error_of(raised)[0] == "ResourceNotFoundException"


def test_selection_defaults_match_aws(backup, plan_id):
    selection_id = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection())["SelectionId"]
    stored = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)["BackupSelection"]
    assert stored["ListOfTags"] == [] and stored["NotResources"] == []
    assert stored["Conditions"] == {"StringEquals": [], "StringNotEquals": [], "StringLike": [], "StringNotLike": []}


def test_same_creator_request_id_does_not_create_twice(backup, plan_id):
    first = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection(), CreatorRequestId="retry-me")
    second = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection(), CreatorRequestId="retry-me")
    assert first["SelectionId"] == second["SelectionId"]
    assert len(backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]) == 1


def test_selections_belong_to_their_plan_and_paginate(backup, plan_id):
    other_plan = backup.create_backup_plan(BackupPlan={"BackupPlanName": "lab-weekly", "Rules": [{"RuleName": "w", "TargetBackupVaultName": "lab-vault"}]})
    backup.create_backup_selection(BackupPlanId=other_plan["BackupPlanId"], BackupSelection=selection("other"))
    ids = [backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection(f"sel-{n}"))["SelectionId"] for n in range(3)]

    first = backup.list_backup_selections(BackupPlanId=plan_id, MaxResults=2)
    second = backup.list_backup_selections(BackupPlanId=plan_id, MaxResults=2, NextToken=first["NextToken"])
    assert [s["SelectionId"] for s in first["BackupSelectionsList"] + second["BackupSelectionsList"]] == ids
    assert "NextToken" not in second
    with pytest.raises(ClientError) as raised:
        backup.get_backup_selection(BackupPlanId=other_plan["BackupPlanId"], SelectionId=ids[0])
    assert error_of(raised)[0] == "ResourceNotFoundException"


def test_plan_must_exist(backup):
    with pytest.raises(ClientError) as raised:
        backup.create_backup_selection(BackupPlanId="00000000-0000-0000-0000-000000000000", BackupSelection=selection())
    assert error_of(raised)[0] == "InvalidParameterValueException"
    with pytest.raises(ClientError) as raised:
        backup.list_backup_selections(BackupPlanId="00000000-0000-0000-0000-000000000000")
    assert error_of(raised)[0] == "ResourceNotFoundException"


def test_a_plan_with_selections_cannot_be_deleted(backup, plan_id):
    selection_id = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=selection())["SelectionId"]
    with pytest.raises(ClientError) as raised:
        backup.delete_backup_plan(BackupPlanId=plan_id)
    assert error_of(raised)[0] == "InvalidRequestException"
    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    backup.delete_backup_plan(BackupPlanId=plan_id)
    assert backup.list_backup_plans()["BackupPlansList"] == []


def test_update_replaces_the_plan_document_with_a_new_version(backup, plan_id):
    before = backup.get_backup_plan(BackupPlanId=plan_id)
    rules = [{"RuleName": "daily", "TargetBackupVaultName": "lab-vault", "ScheduleExpression": "cron(0 2 * * ? *)", "Lifecycle": {"DeleteAfterDays": 14}}]
    answer = backup.update_backup_plan(BackupPlanId=plan_id, BackupPlan={"BackupPlanName": "lab-daily", "Rules": rules})
    assert (answer["BackupPlanId"], answer["BackupPlanArn"]) == (plan_id, before["BackupPlanArn"])
    assert answer["VersionId"] != before["VersionId"]
    after = backup.get_backup_plan(BackupPlanId=plan_id)
    assert after["VersionId"] == answer["VersionId"]
    [rule] = after["BackupPlan"]["Rules"]
    assert (rule["ScheduleExpression"], rule["Lifecycle"], rule["StartWindowMinutes"]) == ("cron(0 2 * * ? *)", {"DeleteAfterDays": 14}, 480)
    assert rule["RuleId"] != before["BackupPlan"]["Rules"][0]["RuleId"]
    [listed] = backup.list_backup_plans()["BackupPlansList"]
    assert (listed["BackupPlanId"], listed["VersionId"]) == (plan_id, answer["VersionId"])


def test_update_needs_a_live_plan_and_a_document(backup, plan_id):
    with pytest.raises(ClientError) as raised:
        backup.update_backup_plan(BackupPlanId=plan_id, BackupPlan={"BackupPlanName": "lab-daily", "Rules": []})
    assert error_of(raised)[0] == "MissingParameterValueException"
    backup.delete_backup_plan(BackupPlanId=plan_id)
    rules = [{"RuleName": "daily", "TargetBackupVaultName": "lab-vault"}]
    with pytest.raises(ClientError) as raised:
        backup.update_backup_plan(BackupPlanId=plan_id, BackupPlan={"BackupPlanName": "lab-daily", "Rules": rules})
    assert error_of(raised)[0] == "ResourceNotFoundException"


def test_a_deleted_plans_name_can_be_used_again_but_not_a_live_ones(backup, plan_id):
    plan = {"BackupPlanName": "lab-daily", "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "lab-vault"}]}
    with pytest.raises(ClientError) as raised:
        backup.create_backup_plan(BackupPlan=plan)
    assert error_of(raised)[0] == "AlreadyExistsException"
    backup.delete_backup_plan(BackupPlanId=plan_id)
    again = backup.create_backup_plan(BackupPlan=plan)["BackupPlanId"]
    assert again != plan_id
    assert [p["BackupPlanId"] for p in backup.list_backup_plans()["BackupPlansList"]] == [again]
    assert backup.get_backup_plan(BackupPlanId=plan_id)["DeletionDate"]


@pytest.mark.parametrize(
    ("document", "code"),
    [
        (selection(name="bad name!"), "InvalidParameterValueException"),
        (selection(IamRoleArn="BackupRole"), "InvalidParameterValueException"),
        (selection(Resources=["vol-123"]), "InvalidParameterValueException"),
        ({"SelectionName": "nothing-selected", "IamRoleArn": ROLE_ARN}, "InvalidParameterValueException"),
        (selection(ListOfTags=[{"ConditionType": "STRINGLIKE", "ConditionKey": "k", "ConditionValue": "v"}]), "InvalidParameterValueException"),
        (selection(Conditions={"StringEquals": [{"ConditionKey": "env", "ConditionValue": "lab"}]}), "InvalidParameterValueException"),
    ],
)
def test_invalid_selections_are_refused(backup, plan_id, document, code):
    with pytest.raises(ClientError) as raised:
        backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=document)
    assert error_of(raised) == (code, 400)
    assert backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"] == []
