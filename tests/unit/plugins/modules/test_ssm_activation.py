import datetime
import json
from unittest import mock

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import ssm_activation as module

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.timezone.utc)
NAME, DESCRIPTION, ROLE = "onprem-ecs", "ECS Anywhere hosts", "ECSAnywhereRole"
PARAMETER = "/hybridcloud/ssm/activations/onprem-ecs"
OLD_ID, NEW_ID, OTHER_ID = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"
OLD_CODE, NEW_CODE = "oldCode0123456789abcd", "newCode0123456789abcd"
ARGS = {"default_instance_name": NAME, "description": DESCRIPTION, "iam_role": ROLE, "registration_limit": 5, "code_parameter": PARAMETER}
DESCRIBE = {"Filters": [{"FilterKey": "DefaultInstanceName", "FilterValues": [NAME]}]}
# expiration_days defaults to 30, minus the module's clock margin.
NEW_EXPIRATION = NOW + datetime.timedelta(days=30) - module.CLOCK_MARGIN


def activation(activation_id=OLD_ID, **changes):
    base = {
        "ActivationId": activation_id,
        "Description": DESCRIPTION,
        "DefaultInstanceName": NAME,
        "IamRole": ROLE,
        "RegistrationLimit": 5,
        "RegistrationsCount": 1,
        "ExpirationDate": NOW + datetime.timedelta(days=20),
        "Expired": False,
        "CreatedDate": NOW - datetime.timedelta(days=10),
        "Tags": [{"Key": "site", "Value": "munich"}],
    }
    base.update(changes)
    return base


@pytest.fixture
def ssm(module_run):
    with mock.patch.object(module, "utc_now", return_value=NOW):
        yield module_run("ssm")


def expect_activations(ssm, *activations):
    ssm.stubber.add_response("describe_activations", {"ActivationList": list(activations)}, DESCRIBE)


def expect_parameter(ssm, value):
    if value is None:
        ssm.stubber.add_client_error("get_parameter", "ParameterNotFound", http_status_code=400, expected_params={"Name": PARAMETER, "WithDecryption": True})
        return
    answer = {"Parameter": {"Name": PARAMETER, "Type": "SecureString", "Value": value, "Version": 1}}
    ssm.stubber.add_response("get_parameter", answer, {"Name": PARAMETER, "WithDecryption": True})


def expect_parameter_lookup(ssm, exists):
    if exists:
        answer = {"Parameter": {"Name": PARAMETER, "Type": "SecureString", "Value": "AQICAHencrypted", "Version": 1}}
        ssm.stubber.add_response("get_parameter", answer, {"Name": PARAMETER, "WithDecryption": False})
    else:
        ssm.stubber.add_client_error("get_parameter", "ParameterNotFound", http_status_code=400, expected_params={"Name": PARAMETER, "WithDecryption": False})


def stored(activation_id=OLD_ID, code=OLD_CODE):
    return json.dumps({"id": activation_id, "code": code})


def expect_create(ssm, tags=None, **changes):
    params = {
        "IamRole": ROLE,
        "RegistrationLimit": 5,
        "ExpirationDate": NEW_EXPIRATION,
        "DefaultInstanceName": NAME,
        "Description": DESCRIPTION,
    }
    params.update(changes)
    if tags:
        params["Tags"] = [{"Key": key, "Value": value} for key, value in tags.items()]
    ssm.stubber.add_response("create_activation", {"ActivationId": NEW_ID, "ActivationCode": NEW_CODE}, params)


def expect_store(ssm, activation_id=NEW_ID, code=NEW_CODE, kms_key_id=None):
    params = {"Name": PARAMETER, "Value": stored(activation_id, code), "Type": "SecureString", "Overwrite": True, "Description": mock.ANY}
    if kms_key_id:
        params["KeyId"] = kms_key_id
    ssm.stubber.add_response("put_parameter", {"Version": 1}, params)


def expect_delete(ssm, activation_id):
    ssm.stubber.add_response("delete_activation", {}, {"ActivationId": activation_id})


def test_creates_activation_and_stores_its_code(ssm):
    expect_activations(ssm)
    expect_parameter(ssm, None)
    expect_create(ssm, tags={"site": "munich"})
    expect_store(ssm, kms_key_id="alias/hybridcloud")
    result = ssm(module.main, dict(ARGS, tags={"site": "munich"}, kms_key_id="alias/hybridcloud"), diff=True)
    assert result["changed"] is True
    assert result["activation_id"] == NEW_ID
    assert result["activation_code"] == NEW_CODE
    assert result["renewed"] is False
    assert result["activation"]["expiration_date"] == NEW_EXPIRATION.isoformat()
    assert result["activation"]["tags"] == {"site": "munich"}
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["registrations_count"] == 0
    assert NEW_CODE not in json.dumps(result["diff"])


def test_expiration_date_is_sent_as_given(ssm):
    expiration = NOW + datetime.timedelta(days=7)
    expect_activations(ssm)
    expect_create(ssm, ExpirationDate=expiration)
    args = dict(ARGS, code_parameter=None, expiration_date="2026-12-01T10:00:00Z")
    result = ssm(module.main, args)
    assert result["activation"]["expiration_date"] == "2026-12-01T10:00:00+00:00"
    assert result["activation_code"] == NEW_CODE


def test_valid_activation_is_a_no_op_and_returns_the_stored_code(ssm):
    expect_activations(ssm, activation())
    expect_parameter(ssm, stored())
    result = ssm(module.main, ARGS, diff=True)
    assert result["changed"] is False
    assert result["activation_id"] == OLD_ID
    assert result["activation_code"] == OLD_CODE
    assert result["activation"]["registrations_count"] == 1
    assert result["activation"]["tags"] == {"site": "munich"}
    assert result["diff"]["before"] == result["diff"]["after"]


def test_without_code_parameter_a_no_op_returns_no_code(ssm):
    expect_activations(ssm, activation())
    result = ssm(module.main, dict(ARGS, code_parameter=None))
    assert result["changed"] is False
    assert result["activation_code"] is None


def test_activation_with_another_description_is_not_adopted(ssm):
    expect_activations(ssm, activation(OTHER_ID, Description="someone else's"))
    expect_parameter(ssm, None)
    expect_create(ssm)
    expect_store(ssm)
    result = ssm(module.main, ARGS)
    assert result["changed"] is True
    assert result["deleted_activation_ids"] == []
    assert result["activation_id"] == NEW_ID


@pytest.mark.parametrize(
    ("current", "reason"),
    [
        (activation(RegistrationsCount=5), "registration limit reached (5 of 5)"),
        (activation(Expired=True), "expired"),
        (activation(ExpirationDate=NOW - datetime.timedelta(minutes=1)), "expired"),
        (activation(ExpirationDate=NOW + datetime.timedelta(days=2)), "expires within 3 days"),
        (activation(IamRole="OtherRole"), "iam_role changes from OtherRole to ECSAnywhereRole"),
        (activation(RegistrationLimit=2), "registration_limit changes from 2 to 5"),
    ],
)
def test_renews_activation_that_can_no_longer_serve(ssm, current, reason):
    expect_activations(ssm, current)
    expect_parameter(ssm, stored())
    expect_delete(ssm, OLD_ID)
    expect_create(ssm, tags={"site": "munich"})
    expect_store(ssm)
    result = ssm(module.main, ARGS)
    assert result["changed"] is True
    assert result["renewed"] is True
    assert any(text.startswith(reason) for text in result["renewal_reasons"]), result["renewal_reasons"]
    assert result["deleted_activation_ids"] == [OLD_ID]
    assert result["activation_id"] == NEW_ID
    assert result["activation_code"] == NEW_CODE


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (None, "code parameter /hybridcloud/ssm/activations/onprem-ecs is missing"),
        ("not json", "code parameter /hybridcloud/ssm/activations/onprem-ecs does not hold an activation id and code"),
        (json.dumps({"id": OLD_ID}), "code parameter /hybridcloud/ssm/activations/onprem-ecs does not hold an activation id and code"),
        (stored(OTHER_ID), f"code parameter /hybridcloud/ssm/activations/onprem-ecs holds another activation ({OTHER_ID})"),
    ],
)
def test_renews_when_the_stored_code_cannot_be_used(ssm, value, reason):
    expect_activations(ssm, activation())
    expect_parameter(ssm, value)
    expect_delete(ssm, OLD_ID)
    expect_create(ssm, tags={"site": "munich"})
    expect_store(ssm)
    result = ssm(module.main, ARGS)
    assert result["renewal_reasons"] == [reason]
    assert result["activation_code"] == NEW_CODE


def test_changed_tags_renew_and_purge(ssm):
    expect_activations(ssm, activation())
    expect_parameter(ssm, stored())
    expect_delete(ssm, OLD_ID)
    expect_create(ssm, tags={"team": "platform"})
    expect_store(ssm)
    result = ssm(module.main, dict(ARGS, tags={"team": "platform"}))
    assert result["renewal_reasons"] == ["tags change"]
    assert result["activation"]["tags"] == {"team": "platform"}


def test_tags_kept_without_purge_are_no_change(ssm):
    expect_activations(ssm, activation(Tags=[{"Key": "site", "Value": "munich"}, {"Key": "team", "Value": "platform"}]))
    expect_parameter(ssm, stored())
    result = ssm(module.main, dict(ARGS, tags={"team": "platform"}, purge_tags=False))
    assert result["changed"] is False


def test_duplicates_keep_the_stored_activation_and_delete_the_others(ssm):
    newer = activation(OTHER_ID, CreatedDate=NOW - datetime.timedelta(days=1))
    expect_activations(ssm, activation(), newer)
    expect_parameter(ssm, stored())
    expect_delete(ssm, OTHER_ID)
    result = ssm(module.main, ARGS)
    assert result["changed"] is True
    assert result["renewed"] is False
    assert result["activation_id"] == OLD_ID
    assert result["deleted_activation_ids"] == [OTHER_ID]


def test_duplicates_without_parameter_keep_the_newest_unexpired(ssm):
    newest_but_expired = activation(OTHER_ID, CreatedDate=NOW - datetime.timedelta(hours=1), Expired=True)
    expect_activations(ssm, newest_but_expired, activation())
    expect_delete(ssm, OTHER_ID)
    result = ssm(module.main, dict(ARGS, code_parameter=None))
    assert result["activation_id"] == OLD_ID
    assert result["deleted_activation_ids"] == [OTHER_ID]


def test_check_mode_create_changes_nothing(ssm):
    expect_activations(ssm)
    expect_parameter(ssm, None)
    result = ssm(module.main, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["activation_id"] is None
    assert result["activation_code"] is None
    assert result["diff"]["after"]["iam_role"] == ROLE


def test_check_mode_renewal_changes_nothing(ssm):
    expect_activations(ssm, activation(RegistrationsCount=5))
    expect_parameter(ssm, stored())
    result = ssm(module.main, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["renewed"] is True
    assert result["deleted_activation_ids"] == [OLD_ID]
    assert result["activation_code"] is None
    assert result["diff"]["before"]["activation_id"] == OLD_ID
    assert result["diff"]["after"]["activation_id"] is None


def test_absent_deletes_every_matching_activation_and_the_parameter(ssm):
    expect_activations(ssm, activation(), activation(OTHER_ID), activation(NEW_ID, Description="not ours"))
    expect_parameter_lookup(ssm, True)
    expect_delete(ssm, OLD_ID)
    expect_delete(ssm, OTHER_ID)
    ssm.stubber.add_response("delete_parameter", {}, {"Name": PARAMETER})
    result = ssm(module.main, {"default_instance_name": NAME, "description": DESCRIPTION, "code_parameter": PARAMETER, "state": "absent"}, diff=True)
    assert result["changed"] is True
    assert result["deleted_activation_ids"] == [OLD_ID, OTHER_ID]
    assert result["activation"] == {}
    assert result["diff"]["after"] == {}


def test_absent_when_nothing_exists_is_a_no_op(ssm):
    expect_activations(ssm)
    expect_parameter_lookup(ssm, False)
    result = ssm(module.main, {"default_instance_name": NAME, "description": DESCRIPTION, "code_parameter": PARAMETER, "state": "absent"})
    assert result["changed"] is False


def test_check_mode_absent_deletes_nothing(ssm):
    expect_activations(ssm, activation())
    expect_parameter_lookup(ssm, True)
    result = ssm(module.main, {"default_instance_name": NAME, "description": DESCRIPTION, "code_parameter": PARAMETER, "state": "absent"}, check_mode=True)
    assert result["changed"] is True
    assert result["deleted_activation_ids"] == [OLD_ID]


def test_throttling_is_retried(ssm):
    ssm.stubber.add_client_error("describe_activations", "ThrottlingException", http_status_code=400, expected_params=DESCRIBE)
    expect_activations(ssm, activation())
    expect_parameter(ssm, stored())
    result = ssm(module.main, ARGS)
    assert result["changed"] is False


def test_access_denied_is_reported_clearly(ssm):
    expect_activations(ssm)
    expect_parameter(ssm, None)
    ssm.stubber.add_client_error("create_activation", "AccessDeniedException", "not authorized to perform ssm:CreateActivation", http_status_code=400)
    result = ssm(module.main, ARGS)
    assert result["failed"] is True
    assert "Failed to create activation for ECSAnywhereRole" in result["msg"]
    assert result["error"]["code"] == "AccessDeniedException"


def test_a_failed_store_shows_aws_error_but_never_the_code(ssm):
    """AWS's message reaches the user (the role no longer hides failures behind no_log), with the new code masked
    even where the error echoes the request's value, as validation errors do."""
    expect_activations(ssm)
    expect_parameter(ssm, None)
    expect_create(ssm)
    echoed = f"1 validation error detected: Value '{stored(NEW_ID, NEW_CODE)}' at 'value' failed to satisfy constraint"
    ssm.stubber.add_client_error("put_parameter", "ValidationException", echoed, http_status_code=400)
    result = ssm(module.main, ARGS)
    assert result["failed"] is True
    assert result["error"]["code"] == "ValidationException"
    assert "failed to satisfy constraint" in result["msg"]
    assert NEW_CODE not in json.dumps(result)


def test_missing_iam_role_is_named(ssm):
    args = {key: value for key, value in ARGS.items() if key != "iam_role"}
    result = ssm(module.main, args)
    assert "state is present but all of the following are missing: iam_role" in result["msg"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"registration_limit": 0}, "registration_limit must be between 1 and 1000, got 0"),
        ({"registration_limit": 1001}, "registration_limit must be between 1 and 1000, got 1001"),
        ({"expiration_days": 31}, "expiration_days must be between 1 and 30, got 31"),
        ({"expiration_days": 3}, "renew_days_before_expiry must be smaller than expiration_days"),
        ({"expiration_date": "next week"}, "expiration_date is not an ISO 8601 date and time"),
        ({"expiration_date": "2027-01-30T00:00:00Z"}, "expiration_date must lie in the next 30 days"),
        ({"expiration_date": "2026-11-01T00:00:00Z"}, "expiration_date must lie in the next 30 days"),
        ({"expiration_days": 5, "expiration_date": "2026-12-01T00:00:00Z"}, "mutually exclusive"),
        ({"iam_role": "arn:aws:iam::123456789012:role/ECSAnywhereRole"}, "iam_role takes the role's name, not its ARN"),
        ({"iam_role": None}, "state=present needs iam_role"),
        ({"renew_days_before_expiry": -1}, "renew_days_before_expiry must not be negative"),
        ({"code_parameter": None, "kms_key_id": "alias/x"}, "kms_key_id"),
        ({"description": "d" * 257}, "description must be at most 256 characters long"),
    ],
)
def test_bad_input_fails_before_any_call(ssm, args, message):
    result = ssm(module.main, dict(ARGS, **args))
    assert result["failed"] is True
    assert message in result["msg"]


def test_a_create_that_may_have_happened_is_not_repeated_before_its_activation_is_gone(ssm):
    """A 500 on CreateActivation: the activation it made (code lost with the answer) is deleted, then one new create."""
    expect_activations(ssm)
    expect_parameter(ssm, None)
    ssm.stubber.add_client_error("create_activation", "InternalServerError", http_status_code=500)
    made = activation("44444444-4444-4444-8444-444444444444", ExpirationDate=NEW_EXPIRATION, Tags=[])
    expect_activations(ssm, made, activation(OTHER_ID, Description="another identity"))
    expect_delete(ssm, made["ActivationId"])
    expect_create(ssm)
    expect_store(ssm)
    result = ssm(module.main, ARGS)
    assert (result["activation_id"], result["activation_code"]) == (NEW_ID, NEW_CODE)


def test_a_throttled_create_is_retried_without_looking(ssm):
    expect_activations(ssm)
    expect_parameter(ssm, None)
    ssm.stubber.add_client_error("create_activation", "ThrottlingException", http_status_code=400)
    expect_create(ssm)
    expect_store(ssm)
    assert ssm(module.main, ARGS)["activation_id"] == NEW_ID


def test_a_create_is_tried_at_most_ten_times(ssm):
    expect_activations(ssm)
    expect_parameter(ssm, None)
    for _attempt in range(10):
        ssm.stubber.add_client_error("create_activation", "ThrottlingException", http_status_code=400)
    result = ssm(module.main, ARGS)
    assert result["failed"] is True
    assert result["error"]["code"] == "ThrottlingException"


KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-4697-8a7b-6c5d4e3f2a1b"


def expect_described_key(ssm, key_id):
    answer = {"Parameters": [{"Name": PARAMETER, "Type": "SecureString", "KeyId": key_id, "Version": 1}]}
    params = {"ParameterFilters": [{"Key": "Name", "Option": "Equals", "Values": [PARAMETER]}], "MaxResults": 50}
    ssm.stubber.add_response("describe_parameters", answer, params)


def test_code_under_another_key_is_rewritten_under_kms_key_id_keeping_the_activation(ssm):
    expect_activations(ssm, activation())
    expect_parameter(ssm, stored())
    expect_described_key(ssm, "alias/aws/ssm")
    expect_store(ssm, activation_id=OLD_ID, code=OLD_CODE, kms_key_id=KEY_ARN)
    result = ssm(module.main, dict(ARGS, kms_key_id=KEY_ARN))
    assert (result["changed"], result["reencrypted"], result["renewed"]) == (True, True, False)
    assert (result["activation_id"], result["activation_code"], result["deleted_activation_ids"]) == (OLD_ID, OLD_CODE, [])


@pytest.mark.parametrize("stored_key", [KEY_ARN, KEY_ARN.split(":key/")[1]])
def test_code_under_kms_key_id_is_left_alone(ssm, stored_key):
    expect_activations(ssm, activation())
    expect_parameter(ssm, stored())
    expect_described_key(ssm, stored_key)
    result = ssm(module.main, dict(ARGS, kms_key_id=KEY_ARN))
    assert (result["changed"], result["reencrypted"]) == (False, False)


def test_check_mode_reports_the_reencryption_without_writing(ssm):
    expect_activations(ssm, activation())
    expect_parameter(ssm, stored())
    expect_described_key(ssm, "alias/aws/ssm")
    result = ssm(module.main, dict(ARGS, kms_key_id=KEY_ARN), check_mode=True)
    assert (result["changed"], result["reencrypted"]) == (True, True)
