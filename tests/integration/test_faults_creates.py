"""Creates that took effect but answered an error ("applied, then failed": the emulator carries the call out and
answers a 500): each non-idempotent create this collection makes ends, after the run and a rerun, with exactly one
resource, and the activation code kept in the parameter registers a machine with the activation that exists."""

from __future__ import annotations

import json

from support import managed_instances

ROLE = "HybridIntegrationRole"
PARAMETER = "/hybridcloud/faults/activation"
SSM_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def applied_then_failed(lab_api, service, operation):
    """The next call of the operation takes effect and answers 500 InternalError; later calls are answered normally."""
    rule = {"service": service, "operation": operation, "mode": "applied", "every": 1, "times": 1}
    assert lab_api("POST", "/_lab/faults", json={"rules": [rule]})[0] == 200


def operations(result, operation):
    return [(call["operation"], call["status"]) for call in result.api_calls if call["operation"] == operation]


def run_twice(playbook, tasks):
    """The run that meets the failure, then a rerun that must find everything in place (no mutating call)."""
    first = playbook(tasks)
    assert first.failed == 0, first.output
    second = playbook(tasks)
    assert second.failed == 0, second.output
    assert (second.changed, second.mutating_calls) == (0, [])
    return first, second


def test_activation(aws, playbook, lab_api, emulator_endpoint):
    aws("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    ssm = aws("ssm")
    applied_then_failed(lab_api, "ssm", "CreateActivation")
    task = {"default_instance_name": "faults", "description": "applied then failed", "iam_role": ROLE, "code_parameter": PARAMETER}

    first, second = run_twice(playbook, [{"name": "activation", "hybridcloud.aws.ssm_activation": task}])

    # The lost answer's activation was deleted (its code is unknown), the second create's code was stored.
    assert operations(first, "CreateActivation") == [("CreateActivation", 500), ("CreateActivation", 200)]
    assert operations(first, "DeleteActivation") == [("DeleteActivation", 200)]
    [activation] = ssm.describe_activations(Filters=[{"FilterKey": "DefaultInstanceName", "FilterValues": ["faults"]}])["ActivationList"]
    stored = json.loads(ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"])
    assert stored["id"] == activation["ActivationId"] == second.task("activation")["result"]["activation_id"]
    instance_id = managed_instances.register_managed_instance(emulator_endpoint, {"ActivationId": stored["id"], "ActivationCode": stored["code"]})
    assert instance_id.startswith("mi-")


def test_gateway(aws, playbook, lab_api):
    status, answer = lab_api("POST", "/_lab/storagegateway/activation-keys", json={"gateway_address": "127.0.0.1", "region": "us-east-1"})
    assert status == 200, answer
    applied_then_failed(lab_api, "storagegateway", "ActivateGateway")
    task = {"gateway_name": "faults-fgw", "activation_key": answer["activation_key"]}

    first, _ = run_twice(playbook, [{"name": "gateway", "hybridcloud.aws.storagegateway_gateway": task}])

    # One ActivateGateway: the gateway the lost answer activated was found by name, the one-time key not sent again.
    assert operations(first, "ActivateGateway") == [("ActivateGateway", 500)]
    [gateway] = aws("storagegateway").list_gateways()["Gateways"]
    assert gateway["GatewayName"] == "faults-fgw"
    assert first.task("gateway")["result"]["gateway_arn"] == gateway["GatewayARN"]


def test_capacity_provider(aws, playbook, lab_api):
    ec2 = aws("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ec2.create_launch_template(LaunchTemplateName="faults-template", LaunchTemplateData={"ImageId": image, "InstanceType": "t3.micro"})
    aws("autoscaling").create_auto_scaling_group(
        AutoScalingGroupName="faults-asg", LaunchTemplate={"LaunchTemplateName": "faults-template"}, MinSize=0, MaxSize=1, AvailabilityZones=["us-east-1a"]
    )
    applied_then_failed(lab_api, "ecs", "CreateCapacityProvider")
    task = {"name": "faults-workers", "auto_scaling_group": "faults-asg", "managed_scaling": {"status": "enabled"}}

    first, _ = run_twice(playbook, [{"name": "provider", "hybridcloud.aws.ecs_capacity_provider": task}])

    assert operations(first, "CreateCapacityProvider") == [("CreateCapacityProvider", 500)]
    providers = aws("ecs").describe_capacity_providers()["capacityProviders"]
    assert [provider["name"] for provider in providers if provider["status"] == "ACTIVE" and provider["name"] == "faults-workers"] == ["faults-workers"]
    assert first.task("provider")["result"]["capacity_provider"]["name"] == "faults-workers"


def test_an_activation_whose_creates_take_effect_and_fail_twice_ends_as_one(aws, playbook, lab_api, emulator_endpoint):
    """Two lost answers in a row: both activations they made are deleted, the third create's code is stored."""
    aws("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    ssm = aws("ssm")
    rule = {"service": "ssm", "operation": "CreateActivation", "mode": "applied", "every": 1, "times": 2}
    lab_api("POST", "/_lab/faults", json={"rules": [rule]})
    task = [{"name": "activation", "hybridcloud.aws.ssm_activation": {"default_instance_name": "faults", "iam_role": ROLE, "code_parameter": PARAMETER}}]

    first = playbook(task)

    assert first.failed == 0, first.output
    assert operations(first, "CreateActivation") == [("CreateActivation", 500)] * 2 + [("CreateActivation", 200)]
    assert len(operations(first, "DeleteActivation")) == 2
    [activation] = ssm.describe_activations()["ActivationList"]
    stored = json.loads(ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"])
    assert stored["id"] == activation["ActivationId"]
    assert managed_instances.register_managed_instance(emulator_endpoint, {"ActivationId": stored["id"], "ActivationCode": stored["code"]}).startswith("mi-")
