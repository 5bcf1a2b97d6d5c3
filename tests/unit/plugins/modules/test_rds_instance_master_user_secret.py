import json
from unittest import mock

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import rds_instance_master_user_secret as module

IDENTIFIER = "hybridcloud-postgres"
INSTANCE_ARN = f"arn:aws:rds:us-east-1:123456789012:db:{IDENTIFIER}"
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-5f1c8a0e-AbCdEf"
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-3333-4444-555566667777"
OTHER_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/9999ffff-2222-3333-4444-555566667777"
PASSWORD = "Operator-Chosen-Password-42"
DESCRIBE = {"DBInstanceIdentifier": IDENTIFIER}
TURN_ON = {"DBInstanceIdentifier": IDENTIFIER, "ManageMasterUserPassword": True, "ApplyImmediately": True}
TURN_OFF = {"DBInstanceIdentifier": IDENTIFIER, "ManageMasterUserPassword": False, "MasterUserPassword": PASSWORD, "ApplyImmediately": True}


def instance(status=None, key=KEY_ARN):
    described = {"DBInstanceIdentifier": IDENTIFIER, "DBInstanceArn": INSTANCE_ARN, "DBInstanceStatus": "available"}
    if status:
        described["MasterUserSecret"] = {"SecretArn": SECRET_ARN, "SecretStatus": status, "KmsKeyId": key}
    return described


@pytest.fixture
def rds(module_run):
    return module_run("rds")


def expect_describe(rds, described):
    rds.stubber.add_response("describe_db_instances", {"DBInstances": [described]}, DESCRIBE)


def expect_modify(rds, params, answered):
    rds.stubber.add_response("modify_db_instance", {"DBInstance": answered}, params)


def test_turns_on_the_managed_password_and_waits_for_an_active_secret(rds):
    expect_describe(rds, instance())
    expect_modify(rds, TURN_ON, instance("creating"))
    expect_describe(rds, instance("creating"))
    expect_describe(rds, instance("active"))
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER}, diff=True)
    assert result["changed"] is True
    assert (result["secret_arn"], result["secret_status"], result["kms_key_id"]) == (SECRET_ARN, "active", KEY_ARN)
    assert result["waited"] == [
        {
            "what": f"the master user secret of DB instance {IDENTIFIER} to become active",
            "seconds": 10.0,
            "polls": 2,
            "states": [{"state": "creating", "seconds": 0.0, "polls": 1}, {"state": "active", "seconds": 10.0, "polls": 1}],
        }
    ]
    assert result["db_instance_arn"] == INSTANCE_ARN
    assert result["diff"] == {
        "before": {"manage_master_user_password": False, "master_user_secret_kms_key_id": ""},
        "after": {"manage_master_user_password": True, "master_user_secret_kms_key_id": KEY_ARN},
    }


def test_turns_on_with_the_given_kms_key_without_waiting(rds):
    expect_describe(rds, instance())
    expect_modify(rds, dict(TURN_ON, MasterUserSecretKmsKeyId="alias/hybridcloud-secrets"), instance("creating"))
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER, "master_user_secret_kms_key_id": "alias/hybridcloud-secrets", "wait": False})
    assert result["changed"] is True
    assert result["secret_status"] == "creating"


def test_managed_password_is_a_no_op(rds):
    expect_describe(rds, instance("active"))
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER, "master_user_secret_kms_key_id": KEY_ARN.rsplit("/", maxsplit=1)[-1]})
    assert result["changed"] is False
    assert result["secret_arn"] == SECRET_ARN


def test_key_alias_of_the_current_key_is_a_no_op(rds):
    expect_describe(rds, instance("active"))
    with mock.patch.object(module, "kms_key_arn", return_value=KEY_ARN) as resolve:
        result = rds(module.main, {"db_instance_identifier": IDENTIFIER, "master_user_secret_kms_key_id": "alias/hybridcloud-secrets"})
    assert result["changed"] is False
    assert resolve.call_args.args[1] == "alias/hybridcloud-secrets"


def test_a_secret_under_another_key_is_reported_not_changed(rds):
    expect_describe(rds, instance("active", key=OTHER_KEY_ARN))
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER, "master_user_secret_kms_key_id": KEY_ARN})
    assert result["failed"] is True
    assert "RDS cannot change the key of a secret it manages" in result["msg"]
    assert result["kms_key_id"] == OTHER_KEY_ARN


def test_check_mode_reports_the_change_without_modifying(rds):
    expect_describe(rds, instance())
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER}, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["secret_arn"] == ""
    assert result["diff"]["after"]["manage_master_user_password"] is True


def test_turns_off_with_a_new_password_that_never_shows(rds):
    expect_describe(rds, instance("active"))
    expect_modify(rds, TURN_OFF, instance("active"))
    expect_describe(rds, instance())
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER, "state": "absent", "master_user_password": PASSWORD}, diff=True)
    assert result["changed"] is True
    assert (result["secret_arn"], result["secret_status"]) == ("", "")
    assert result["diff"]["before"]["manage_master_user_password"] is True
    assert PASSWORD not in json.dumps(result)


def test_absent_when_not_managed_is_a_no_op(rds):
    expect_describe(rds, instance())
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER, "state": "absent", "master_user_password": PASSWORD})
    assert result["changed"] is False


def test_check_mode_turn_off_does_not_modify(rds):
    expect_describe(rds, instance("active"))
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER, "state": "absent", "master_user_password": PASSWORD}, check_mode=True)
    assert result["changed"] is True
    assert result["secret_arn"] == ""


def test_missing_instance_is_reported(rds):
    rds.stubber.add_client_error("describe_db_instances", "DBInstanceNotFound", f"DBInstance {IDENTIFIER} not found.", 404, expected_params=DESCRIBE)
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER})
    assert result["failed"] is True
    assert result["msg"] == f"DB instance {IDENTIFIER} does not exist"


def test_throttling_is_retried(rds):
    rds.stubber.add_client_error("describe_db_instances", "Throttling", "Rate exceeded", 400, expected_params=DESCRIBE)
    expect_describe(rds, instance("active"))
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER})
    assert result["changed"] is False


def test_busy_instance_is_retried_on_modify(rds):
    expect_describe(rds, instance())
    rds.stubber.add_client_error("modify_db_instance", "InvalidDBInstanceState", "Instance is not available", 400, expected_params=TURN_ON)
    expect_modify(rds, TURN_ON, instance("creating"))
    expect_describe(rds, instance("active"))
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER})
    assert result["changed"] is True
    assert result["secret_status"] == "active"


def test_access_denied_is_reported_clearly(rds):
    rds.stubber.add_client_error("describe_db_instances", "AccessDenied", "not authorized", 403, expected_params=DESCRIBE)
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER})
    assert result["failed"] is True
    assert f"Failed to describe DB instance {IDENTIFIER}" in result["msg"]
    assert result["error"]["code"] == "AccessDenied"


def test_modify_error_never_carries_the_password(rds):
    expect_describe(rds, instance("active"))
    rds.stubber.add_client_error("modify_db_instance", "InvalidParameterValue", "bad value", 400, expected_params=TURN_OFF)
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER, "state": "absent", "master_user_password": PASSWORD})
    assert result["failed"] is True
    assert f"Failed to turn off the managed master user password of DB instance {IDENTIFIER}" in result["msg"]
    assert PASSWORD not in json.dumps(result)


def test_timeout_waiting_for_the_secret(rds):
    expect_describe(rds, instance())
    expect_modify(rds, TURN_ON, instance("creating"))
    # Reads at 0, 10 and 20 seconds (every 10 s): the whole wait_timeout.
    for _poll in range(3):
        expect_describe(rds, instance("creating"))
    result = rds(module.main, {"db_instance_identifier": IDENTIFIER, "wait_timeout": 20})
    assert result["failed"] is True
    assert "Timeout waiting for the master user secret" in result["msg"]
    assert result["waited"][0]["states"] == [{"state": "creating", "seconds": 0.0, "polls": 3}]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"state": "absent"}, "state=absent turns off the managed master user password, and RDS then needs a new one"),
        ({"master_user_password": PASSWORD}, "master_user_password applies only to state=absent"),
        ({"state": "absent", "master_user_password": PASSWORD, "master_user_secret_kms_key_id": KEY_ARN}, "applies only to state=present"),
        ({"state": "absent", "master_user_password": "short"}, "master_user_password must be 8 to 128 characters long"),
        ({"state": "absent", "master_user_password": "has@sign-inside"}, "printable ASCII characters only"),
        ({"wait_timeout": -1}, "wait_timeout must not be negative"),
    ],
)
def test_bad_input_fails_before_any_call(rds, args, message):
    result = rds(module.main, dict({"db_instance_identifier": IDENTIFIER}, **args))
    assert result["failed"] is True
    assert message in result["msg"]
    assert "has@sign-inside" not in json.dumps(result)
