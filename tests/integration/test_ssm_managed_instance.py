"""hybridcloud.aws.ssm_managed_instance against the emulator: tag and deregister a managed instance that was
registered the way the SSM agent registers, verified with SSM API reads."""

import json

import pytest

from support import managed_instances

ROLE = "HybridInstanceRole"
SSM_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


@pytest.fixture
def instance_id(aws, emulator_endpoint):
    aws("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    activation = aws("ssm").create_activation(IamRole=ROLE, DefaultInstanceName="onprem-ecs")
    return managed_instances.register_managed_instance(emulator_endpoint, activation)


def instance_task(name, instance_id, **options):
    return {"name": name, "hybridcloud.aws.ssm_managed_instance": {"instance_id": instance_id, **options}}


def tags_of(ssm, instance_id):
    return {tag["Key"]: tag["Value"] for tag in ssm.list_tags_for_resource(ResourceType="ManagedInstance", ResourceId=instance_id)["TagList"]}


def registered(ssm, instance_id):
    listed = ssm.describe_instance_information(Filters=[{"Key": "InstanceIds", "Values": [instance_id]}])["InstanceInformationList"]
    return [item["InstanceId"] for item in listed] == [instance_id]


def test_check_mode_then_tag_then_deregister(instance_id, aws, playbook, mutating_calls):
    ssm = aws("ssm")
    calls_before = len(mutating_calls())
    checked = playbook(
        [instance_task("tag", instance_id, tags={"patch-group": "weekend"}), instance_task("deregister", instance_id, state="absent")], check=True
    )
    assert checked.failed == 0, checked.output
    assert checked.changed == 2
    assert len(mutating_calls()) == calls_before
    assert tags_of(ssm, instance_id) == {}
    assert registered(ssm, instance_id)

    tagged = playbook([instance_task("tag", instance_id, tags={"patch-group": "weekend"})], diff=True)
    assert tagged.changed == 1, tagged.output
    assert tags_of(ssm, instance_id) == {"patch-group": "weekend"}

    calls_after_tag = len(mutating_calls())
    final = playbook(
        [
            instance_task("tag again", instance_id, tags={"patch-group": "weekend"}),
            instance_task("deregister", instance_id, state="absent"),
            instance_task("deregister again", instance_id, state="absent"),
        ]
    )
    assert final.failed == 0, final.output
    assert [final.task(name)["changed"] for name in ("tag again", "deregister", "deregister again")] == [False, True, False]
    assert [call["operation"] for call in mutating_calls()[calls_after_tag:]] == ["DeregisterManagedInstance"]
    assert not registered(ssm, instance_id)
