"""hybridcloud.aws.rds_instance_master_user_secret against the emulator: check mode, turning the managed master
password on (verified with RDS and Secrets Manager reads), idempotence, a KMS alias, and turning it off with a
no_log password that never shows in the output."""

import pytest

IDENTIFIER = "hybridlab-postgres"
# The throwaway creation password and the operator's new one; neither may ever appear in Ansible's output.
CREATION_PASSWORD = "Creation-Password-7f3a"
OPERATOR_PASSWORD = "Operator-Password-2b9c"


def secret_task(**options):
    return [{"name": "secret", "hybridcloud.aws.rds_instance_master_user_secret": {"db_instance_identifier": IDENTIFIER, **options}}]


@pytest.fixture
def rds(aws):
    client = aws("rds")
    client.create_db_instance(
        DBInstanceIdentifier=IDENTIFIER,
        Engine="postgres",
        DBInstanceClass="db.t3.micro",
        AllocatedStorage=20,
        MasterUsername="dbadmin",
        MasterUserPassword=CREATION_PASSWORD,
    )
    return client


def master_secret(rds):
    return rds.describe_db_instances(DBInstanceIdentifier=IDENTIFIER)["DBInstances"][0].get("MasterUserSecret")


def rds_secret_arns(aws):
    return [secret["ARN"] for secret in aws("secretsmanager").list_secrets()["SecretList"] if secret["Name"].startswith("rds!")]


def test_check_mode_changes_nothing(rds, aws, playbook):
    result = playbook(secret_task(), check=True, diff=True)
    assert result.failed == 0, result.output
    assert result.task("secret")["changed"] is True
    assert result.task("secret")["result"]["secret_arn"] == ""
    assert master_secret(rds) is None
    assert rds_secret_arns(aws) == []
    assert result.mutating_calls == []


def test_turn_on_is_stored_and_second_run_is_a_no_op(rds, aws, playbook):
    first = playbook(secret_task())
    assert first.failed == 0, first.output
    assert first.changed == 1
    [call] = first.mutating_calls
    assert call["operation"] == "ModifyDBInstance"

    secret = master_secret(rds)
    assert secret["SecretStatus"] == "active"
    assert rds_secret_arns(aws) == [secret["SecretArn"]]
    result = first.task("secret")["result"]
    assert (result["secret_arn"], result["secret_status"], result["kms_key_id"]) == (secret["SecretArn"], "active", secret["KmsKeyId"])
    # The secret RDS keeps names the master user; its password is RDS's, not the creation password.
    value = aws("secretsmanager").get_secret_value(SecretId=secret["SecretArn"])["SecretString"]
    assert '"username": "dbadmin"' in value and CREATION_PASSWORD not in value

    second = playbook(secret_task())
    assert second.failed == 0, second.output
    assert second.changed == 0
    assert second.mutating_calls == []
    assert second.task("secret")["result"]["secret_arn"] == secret["SecretArn"]


def test_kms_alias_names_the_secret_key_and_is_idempotent(rds, aws, playbook):
    kms = aws("kms")
    key = kms.create_key(Description="hybridlab secrets")["KeyMetadata"]
    kms.create_alias(AliasName="alias/hybridlab-secrets", TargetKeyId=key["KeyId"])

    first = playbook(secret_task(master_user_secret_kms_key_id="alias/hybridlab-secrets"))
    assert first.failed == 0, first.output
    assert master_secret(rds)["KmsKeyId"] == key["Arn"]

    second = playbook(secret_task(master_user_secret_kms_key_id="alias/hybridlab-secrets"))
    assert second.failed == 0, second.output
    assert second.changed == 0
    assert second.mutating_calls == []

    other = kms.create_key(Description="another key")["KeyMetadata"]
    refused = playbook(secret_task(master_user_secret_kms_key_id=other["Arn"]))
    assert refused.failed == 1
    assert "RDS cannot change the key of a secret it manages" in refused.output
    assert refused.mutating_calls == []


def test_turn_off_needs_a_password_that_never_shows(rds, aws, playbook):
    assert playbook(secret_task()).changed == 1

    refused = playbook(secret_task(state="absent"))
    assert refused.failed == 1
    assert "give master_user_password" in refused.output
    assert refused.mutating_calls == []

    turned_off = playbook(secret_task(state="absent", master_user_password=OPERATOR_PASSWORD), diff=True)
    assert turned_off.failed == 0, turned_off.output
    assert turned_off.changed == 1
    assert master_secret(rds) is None
    assert rds_secret_arns(aws) == []
    assert OPERATOR_PASSWORD not in turned_off.output

    again = playbook(secret_task(state="absent", master_user_password=OPERATOR_PASSWORD))
    assert again.changed == 0
    assert again.mutating_calls == []
