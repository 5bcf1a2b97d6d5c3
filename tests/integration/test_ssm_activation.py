"""hybridcloud.aws.ssm_activation against the emulator: check mode, create, idempotence, renewal, delete, each
verified with SSM API reads; the stored code is proven real by registering a managed instance with it."""

import json

import pytest

from support import managed_instances

NAME, DESCRIPTION, ROLE = "onprem-ecs", "ECS Anywhere hosts", "HybridIntegrationRole"
PARAMETER = "/hybridcloud/ssm/activations/onprem-ecs"
SSM_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def register(endpoint, result):
    """Registers a managed instance with the activation id and code an ssm_activation run returned."""
    activation = {"ActivationId": result["activation_id"], "ActivationCode": result["activation_code"]}
    return managed_instances.register_managed_instance(endpoint, activation)


def activation_task(**options):
    args = {"default_instance_name": NAME, "description": DESCRIPTION, "iam_role": ROLE, "code_parameter": PARAMETER, **options}
    return [{"name": "activation", "hybridcloud.aws.ssm_activation": args, "register": "activation"}]


@pytest.fixture
def ssm(aws):
    aws("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    return aws("ssm")


def activations(ssm):
    found = ssm.describe_activations(Filters=[{"FilterKey": "DefaultInstanceName", "FilterValues": [NAME]}])["ActivationList"]
    return [activation for activation in found if activation["Description"] == DESCRIPTION]


def stored_code(ssm):
    try:
        return json.loads(ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"])
    except ssm.exceptions.ParameterNotFound:
        return None


def test_check_mode_creates_nothing(ssm, playbook, mutating_calls):
    calls_before = len(mutating_calls())  # the IAM role of the fixture
    result = playbook(activation_task(registration_limit=3), check=True, diff=True)
    assert result.failed == 0, result.output
    task = result.task("activation")
    assert task["changed"] is True
    assert task["result"]["activation_id"] is None
    assert activations(ssm) == []
    assert stored_code(ssm) is None
    assert len(mutating_calls()) == calls_before


def test_create_stores_a_working_code_and_second_run_is_a_no_op(ssm, playbook, mutating_calls, emulator_endpoint):
    first = playbook(activation_task(registration_limit=3, tags={"site": "munich"}))
    assert first.failed == 0, first.output
    assert first.changed == 1
    created = first.task("activation")["result"]

    [stored_activation] = activations(ssm)
    assert stored_activation["ActivationId"] == created["activation_id"]
    assert stored_activation["IamRole"] == ROLE
    assert stored_activation["RegistrationLimit"] == 3
    assert stored_activation["Tags"] == [{"Key": "site", "Value": "munich"}]
    assert stored_code(ssm) == {"id": created["activation_id"], "code": created["activation_code"]}
    assert ssm.get_parameter(Name=PARAMETER)["Parameter"]["Type"] == "SecureString"

    calls_after_create = len(mutating_calls())
    second = playbook(activation_task(registration_limit=3, tags={"site": "munich"}))
    assert second.failed == 0, second.output
    assert second.changed == 0
    assert len(mutating_calls()) == calls_after_create
    again = second.task("activation")["result"]
    assert (again["activation_id"], again["activation_code"]) == (created["activation_id"], created["activation_code"])

    # The code a later run hands out really registers a machine.
    instance_id = managed_instances.register_managed_instance(
        emulator_endpoint, {"ActivationId": again["activation_id"], "ActivationCode": again["activation_code"]}
    )
    assert instance_id.startswith("mi-")
    assert activations(ssm)[0]["RegistrationsCount"] == 1


def test_full_activation_is_renewed_and_registered_instances_stay(ssm, playbook, mutating_calls, emulator_endpoint):
    first = playbook(activation_task(registration_limit=1))
    assert first.failed == 0, first.output
    old = first.task("activation")["result"]
    instance_id = managed_instances.register_managed_instance(
        emulator_endpoint, {"ActivationId": old["activation_id"], "ActivationCode": old["activation_code"]}
    )

    calls_before_check = len(mutating_calls())
    checked = playbook(activation_task(registration_limit=1), check=True, diff=True)
    assert checked.task("activation")["result"]["renewal_reasons"] == ["registration limit reached (1 of 1)"]
    assert len(mutating_calls()) == calls_before_check
    assert [a["ActivationId"] for a in activations(ssm)] == [old["activation_id"]]

    renewed = playbook(activation_task(registration_limit=1))
    assert renewed.failed == 0, renewed.output
    new = renewed.task("activation")["result"]
    assert new["renewed"] is True
    assert new["deleted_activation_ids"] == [old["activation_id"]]
    [current] = activations(ssm)
    assert current["ActivationId"] == new["activation_id"] != old["activation_id"]
    assert current["RegistrationsCount"] == 0
    assert stored_code(ssm) == {"id": new["activation_id"], "code": new["activation_code"]}
    listed = ssm.describe_instance_information(Filters=[{"Key": "InstanceIds", "Values": [instance_id]}])["InstanceInformationList"]
    assert [item["InstanceId"] for item in listed] == [instance_id]


def test_expired_activation_is_renewed(ssm, playbook, lab_api):
    old = playbook(activation_task()).task("activation")["result"]
    assert lab_api("POST", f"/_lab/ssm/activations/{old['activation_id']}/expire")[0] == 200
    renewed = playbook(activation_task())
    assert renewed.failed == 0, renewed.output
    assert renewed.task("activation")["result"]["renewal_reasons"] == ["expired"]
    [current] = activations(ssm)
    assert current["Expired"] is False
    assert current["ActivationId"] != old["activation_id"]


def test_absent_deletes_activation_and_parameter(ssm, playbook):
    assert playbook(activation_task()).failed == 0
    removed = playbook(activation_task(state="absent"))
    assert removed.failed == 0, removed.output
    assert removed.changed == 1
    assert activations(ssm) == []
    assert stored_code(ssm) is None
    assert playbook(activation_task(state="absent")).changed == 0
