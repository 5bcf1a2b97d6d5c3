"""hybridcloud.aws.systems_manager against the emulator: check mode on an empty account, converge verified with IAM
and SSM reads (service role, hybrid activation, the code in its SecureString parameter, the parameters the
on-premises roles read, the State Manager associations and the EC2 and on-premises nodes they select), the activation
code never in Ansible's output, a no-op second run (bad input in test_bad_input_compute.py).

The file converges once (converged_account): the tests that start from the converged account restore it from the
emulator's snapshot instead of converging again."""

import hashlib
import json
import urllib.request

import pytest
from integration.conftest import converged_once

TAGS = {"Project": "hybridcloud", "Environment": "lab"}
FACTS = [
    "systems_manager_activation_id",
    "systems_manager_service_role_name",
    "systems_manager_code_parameter",
    "systems_manager_parameter_names",
    "systems_manager_association_ids",
]
ROLE = [
    {"name": "systems manager", "ansible.builtin.include_role": {"name": "hybridcloud.aws.systems_manager"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {fact: f"{{{{ {fact} }}}}" for fact in FACTS}}},
    # The code fact is compared through its digest only, so that this test itself never prints it.
    {"name": "code digest", "ansible.builtin.debug": {"msg": "{{ systems_manager_activation_code | hash('sha256') }}"}},
]
EXTRA_VARS = {
    "aws_region": "us-east-1",
    "hybridcloud_tags": TAGS,
    "ecs_cluster_name": "hybridcloud",
    "rds_postgres_endpoint": "hybridcloud-postgres.abc.us-east-1.rds.amazonaws.com",
    "rds_postgres_port": 5432,
    "systems_manager_endpoints": {"ssm": "https://vpce-0abc-ssm.ssm.us-east-1.vpce.amazonaws.com"},
}
PARAMETERS = {
    "/hybridcloud/region": "us-east-1",
    "/hybridcloud/ecs/cluster-name": "hybridcloud",
    "/hybridcloud/rds/endpoint": "hybridcloud-postgres.abc.us-east-1.rds.amazonaws.com",
    "/hybridcloud/rds/port": "5432",
    "/hybridcloud/endpoints/ssm": "https://vpce-0abc-ssm.ssm.us-east-1.vpce.amazonaws.com",
}
WRITE_PARAMETERS = "hybridcloud.aws.systems_manager : Ensure the parameters the on-premises roles read"
WRITE_ASSOCIATIONS = "hybridcloud.aws.systems_manager : Ensure the State Manager associations of the managed nodes"
PROJECT_TARGET = [{"Key": "tag:Project", "Values": ["hybridcloud"]}]
# The write modules of the service role, its inline policy and the code's KMS key; on a converged layer none may run.
IAM_KMS_WRITE_MODULES = {"amazon.aws.iam_role", "amazon.aws.iam_policy", "amazon.aws.kms_key"}
# AWS calls of the no-op run before the caller, the service role and the KMS key were read once (aws_caller_info,
# iam_role_info, and the reads of iam_role, kms_key and iam_policy, which ran every time: 46 measured).
NO_OP_CALLS_BEFORE = 46
# Association name -> (document, schedule, parameters, MaxConcurrency, MaxErrors, ComplianceSeverity)
ASSOCIATIONS = {
    "hybridcloud-update-ssm-agent": ("AWS-UpdateSSMAgent", "rate(14 days)", None, "25%", "10%", None),
    "hybridcloud-software-inventory": ("AWS-GatherSoftwareInventory", "rate(12 hours)", None, None, None, None),
    "hybridcloud-patch-scan": ("AWS-RunPatchBaseline", "cron(0 2 ? * * *)", {"Operation": ["Scan"]}, "25%", "10%", "HIGH"),
}


@pytest.fixture
def ssm(aws):
    return aws("ssm")


def run_instance(aws, tags):
    ec2 = aws("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    spec = [{"ResourceType": "instance", "Tags": [{"Key": key, "Value": value} for key, value in tags.items()]}]
    return ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, TagSpecifications=spec)["Instances"][0]["InstanceId"]


def register_onprem_host(endpoint, activation_id, code):
    """Register a host with the role's activation the way the SSM agent does (an unsigned AmazonSSM call)."""
    payload = {"ActivationId": activation_id, "ActivationCode": code, "PublicKey": "lab-key", "PublicKeyType": "Rsa"}
    headers = {"X-Amz-Target": "AmazonSSM.RegisterManagedInstance", "Content-Type": "application/x-amz-json-1.1"}
    request = urllib.request.Request(endpoint + "/", data=json.dumps(payload).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())["InstanceId"]


def assert_associations(ssm, facts):
    listed = {association["AssociationName"]: association["AssociationId"] for association in ssm.list_associations()["Associations"]}
    assert listed == facts["systems_manager_association_ids"]
    assert set(listed) == set(ASSOCIATIONS)
    for name, (document, schedule, parameters, concurrency, errors, severity) in ASSOCIATIONS.items():
        association = ssm.describe_association(AssociationId=listed[name])["AssociationDescription"]
        assert (association["Name"], association["ScheduleExpression"], association["Targets"]) == (document, schedule, PROJECT_TARGET)
        assert association.get("Parameters") == parameters
        assert (association.get("MaxConcurrency"), association.get("MaxErrors"), association.get("ComplianceSeverity")) == (concurrency, errors, severity)
        assert association["ApplyOnlyAtCronInterval"] is False
        tags = ssm.list_tags_for_resource(ResourceType="Association", ResourceId=listed[name])["TagList"]
        assert {tag["Key"]: tag["Value"] for tag in tags} == TAGS
    return listed


def effective_associations(ssm, instance_id):
    return sorted(association["AssociationId"] for association in ssm.describe_effective_instance_associations(InstanceId=instance_id)["Associations"])


@pytest.fixture(scope="module")
def converged_account(lab_api, emulator_endpoint, tmp_path_factory):
    """The role's first converge (no EC2 or on-premises node yet), made once for the file and saved in the emulator."""
    return converged_once("role_systems_manager", lab_api, emulator_endpoint, tmp_path_factory, converge)


@pytest.fixture
def converged(converged_account, reset_emulator):
    """The first converge's result, on a copy of the converged account."""
    snapshot, first = converged_account
    snapshot.restore()
    return first


def converge(playbook, check=False, **extra):
    result = playbook(ROLE, check=check, diff=True, extra_vars={**EXTRA_VARS, **extra})
    assert result.failed == 0, result.output
    return result


def test_check_mode_on_empty_account_mutates_nothing(playbook, mutating_calls, ssm):
    result = converge(playbook, check=True)
    facts = result.task("facts")["result"]["msg"]
    assert (facts["systems_manager_activation_id"], facts["systems_manager_association_ids"]) == ("", {})
    assert ssm.describe_activations()["ActivationList"] == []
    assert ssm.describe_parameters()["Parameters"] == []
    assert ssm.list_associations()["Associations"] == []
    assert mutating_calls() == []


def test_converge_keeps_the_code_secret_and_reruns_as_no_op(playbook, mutating_calls, ssm, aws, emulator_endpoint):
    ec2_node = run_instance(aws, {"Project": "hybridcloud"})
    other_node = run_instance(aws, {"Project": "elsewhere"})
    first = converge(playbook)
    facts = first.task("facts")["result"]["msg"]

    iam = aws("iam")
    role = iam.get_role(RoleName="hybridcloud-onprem-ssm")["Role"]
    trust = role["AssumeRolePolicyDocument"]
    [statement] = (json.loads(trust) if isinstance(trust, str) else trust)["Statement"]
    assert statement["Principal"] == {"Service": "ssm.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    # No AWS-managed policy: the agents' own inline policy (test_activation_path.py evaluates what it allows).
    assert iam.list_attached_role_policies(RoleName="hybridcloud-onprem-ssm")["AttachedPolicies"] == []
    assert iam.list_role_policies(RoleName="hybridcloud-onprem-ssm")["PolicyNames"] == ["hybridcloud-onprem-agents"]
    assert facts["systems_manager_service_role_name"] == "hybridcloud-onprem-ssm"

    [activation] = ssm.describe_activations()["ActivationList"]
    assert activation["ActivationId"] == facts["systems_manager_activation_id"]
    assert (activation["IamRole"], activation["RegistrationLimit"], activation["DefaultInstanceName"]) == ("hybridcloud-onprem-ssm", 2, "hybridcloud-onprem")
    assert {tag["Key"]: tag["Value"] for tag in activation["Tags"]} == TAGS

    assert facts["systems_manager_code_parameter"] == "/hybridcloud/ssm/activation"
    stored = ssm.get_parameter(Name="/hybridcloud/ssm/activation", WithDecryption=True)["Parameter"]
    assert stored["Type"] == "SecureString"
    # Encrypted with the role's customer managed key, not the account's aws/ssm key.
    key = aws("kms").describe_key(KeyId="alias/hybridcloud/activation-code")["KeyMetadata"]
    [described] = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": ["/hybridcloud/ssm/activation"]}])["Parameters"]
    assert described["KeyId"] == key["Arn"]
    secret = json.loads(stored["Value"])
    assert secret["id"] == activation["ActivationId"]
    code = secret["code"]
    assert len(code) >= 20
    assert code not in first.output
    assert first.task("code digest")["result"]["msg"] == hashlib.sha256(code.encode()).hexdigest()

    found = {parameter["Name"]: parameter for parameter in ssm.get_parameters(Names=list(PARAMETERS))["Parameters"]}
    assert {name: parameter["Value"] for name, parameter in found.items()} == PARAMETERS
    assert {parameter["Type"] for parameter in found.values()} == {"String"}
    assert sorted(facts["systems_manager_parameter_names"]) == sorted(PARAMETERS)
    assert "/hybridcloud/storage-gateway/address" not in {parameter["Name"] for parameter in ssm.describe_parameters()["Parameters"]}

    # The associations select the EC2 instances and the on-premises hosts (tagged through the activation) alike.
    associations = assert_associations(ssm, facts)
    onprem_node = register_onprem_host(emulator_endpoint, activation["ActivationId"], code)
    for node in (ec2_node, onprem_node):
        assert effective_associations(ssm, node) == sorted(associations.values())
    assert effective_associations(ssm, other_node) == []

    calls_after_first = len(mutating_calls())
    second = converge(playbook)
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert len(mutating_calls()) == calls_after_first
    assert second.task("facts")["result"]["msg"] == facts
    assert code not in second.output
    assert second.task("code digest")["result"]["msg"] == hashlib.sha256(code.encode()).hexdigest()
    # The no-op reads the parameters once and calls the write module for none of them.
    writes = second.task(WRITE_PARAMETERS)["result"]["results"]
    assert len(writes) == len(PARAMETERS) and all("skip_reason" in write for write in writes)
    assert [call["operation"] for call in second.api_calls].count("GetParameter") <= 1
    # ... and the associations once (one list, a describe and a tag read each), calling the write module for none.
    writes = second.task(WRITE_ASSOCIATIONS)["result"]["results"]
    assert len(writes) == len(ASSOCIATIONS) and all("skip_reason" in write for write in writes)
    operations = [call["operation"] for call in second.api_calls]
    assert (operations.count("ListAssociations"), operations.count("DescribeAssociation")) == (1, len(ASSOCIATIONS))
    # ... and the caller, the service role and the KMS key once: their write modules are there and skipped, the run
    # makes fewer AWS calls than before, all of them reads.
    write_tasks = [task for task in second.tasks if task["action"] in IAM_KMS_WRITE_MODULES]
    assert {task["action"] for task in write_tasks} == IAM_KMS_WRITE_MODULES
    assert [task["name"] for task in write_tasks if not task["result"].get("skipped")] == []
    assert (operations.count("GetCallerIdentity"), operations.count("DescribeKey"), operations.count("GetRole")) == (1, 1, 1)
    assert second.mutating_calls == []
    assert len(second.api_calls) < NO_OP_CALLS_BEFORE, operations


def test_parameter_drift_is_reported_in_check_mode_and_repaired(playbook, mutating_calls, ssm, converged):
    # Out-of-band changes to each thing the role owns on a parameter: value, description, tags (an extra and a changed one).
    ssm.put_parameter(Name="/hybridcloud/region", Value="eu-west-1", Type="String", Overwrite=True)
    ssm.put_parameter(Name="/hybridcloud/rds/port", Value="5432", Type="String", Description="edited by hand", Overwrite=True)
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/hybridcloud/ecs/cluster-name", Tags=[{"Key": "Owner", "Value": "someone"}])
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/hybridcloud/endpoints/ssm", Tags=[{"Key": "Environment", "Value": "prod"}])
    drifted = ["/hybridcloud/ecs/cluster-name", "/hybridcloud/endpoints/ssm", "/hybridcloud/rds/port", "/hybridcloud/region"]
    calls_before = len(mutating_calls())

    planned = converge(playbook, check=True)
    writes = planned.task(WRITE_PARAMETERS)["result"]["results"]
    assert sorted(write["item"]["key"] for write in writes if write.get("changed")) == drifted
    assert len(mutating_calls()) == calls_before

    repaired = converge(playbook)
    writes = repaired.task(WRITE_PARAMETERS)["result"]["results"]
    assert sorted(write["item"]["key"] for write in writes if write.get("changed")) == drifted
    found = {parameter["Name"]: parameter for parameter in ssm.get_parameters(Names=list(PARAMETERS))["Parameters"]}
    assert {name: parameter["Value"] for name, parameter in found.items()} == PARAMETERS
    [port] = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": ["/hybridcloud/rds/port"]}])["Parameters"]
    assert port["Description"] == "Read by the on-premises roles of the hybrid cloud"
    for name in drifted:
        tags = ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)["TagList"]
        assert {tag["Key"]: tag["Value"] for tag in tags} == TAGS


def test_association_drift_is_reported_in_check_mode_and_repaired(playbook, mutating_calls, ssm, converged):
    facts = converged.task("facts")["result"]["msg"]
    ids = facts["systems_manager_association_ids"]
    # Out of band: the patch scan runs at another time with another operation, the inventory got an extra tag and
    # lost the Environment tag, and the agent update was deleted.
    scan = ssm.describe_association(AssociationId=ids["hybridcloud-patch-scan"])["AssociationDescription"]
    ssm.update_association(
        AssociationId=scan["AssociationId"],
        AssociationName=scan["AssociationName"],
        Name=scan["Name"],
        Targets=scan["Targets"],
        ScheduleExpression="cron(0 4 ? * * *)",
        Parameters={"Operation": ["Install"]},
        MaxConcurrency=scan["MaxConcurrency"],
        MaxErrors=scan["MaxErrors"],
        ComplianceSeverity=scan["ComplianceSeverity"],
    )
    inventory = ids["hybridcloud-software-inventory"]
    ssm.add_tags_to_resource(ResourceType="Association", ResourceId=inventory, Tags=[{"Key": "Owner", "Value": "someone"}])
    ssm.remove_tags_from_resource(ResourceType="Association", ResourceId=inventory, TagKeys=["Environment"])
    ssm.delete_association(AssociationId=ids["hybridcloud-update-ssm-agent"])
    calls_before = len(mutating_calls())

    planned = converge(playbook, check=True)
    writes = planned.task(WRITE_ASSOCIATIONS)["result"]["results"]
    assert sorted(write["item"]["name"] for write in writes if "skip_reason" not in write) == sorted(ASSOCIATIONS)
    assert sorted(write["item"]["name"] for write in writes if write.get("changed")) == sorted(ASSOCIATIONS)
    assert len(mutating_calls()) == calls_before

    repaired = converge(playbook)
    writes = repaired.task(WRITE_ASSOCIATIONS)["result"]["results"]
    assert sorted(write["item"]["name"] for write in writes if write.get("changed")) == sorted(ASSOCIATIONS)
    facts = repaired.task("facts")["result"]["msg"]
    assert_associations(ssm, facts)
    for association_id in facts["systems_manager_association_ids"].values():
        tags = ssm.list_tags_for_resource(ResourceType="Association", ResourceId=association_id)["TagList"]
        assert {tag["Key"]: tag["Value"] for tag in tags} == TAGS

    again = converge(playbook)
    assert again.changed == 0, [task["name"] for task in again.tasks if task["changed"]]
    assert all("skip_reason" in write for write in again.task(WRITE_ASSOCIATIONS)["result"]["results"])


def test_service_role_and_key_drift_is_reported_in_check_mode_and_repaired(playbook, mutating_calls, aws, converged):
    iam, kms = aws("iam"), aws("kms")
    key_id = kms.describe_key(KeyId="alias/hybridcloud/activation-code")["KeyMetadata"]["KeyId"]
    # Someone turns the key's rotation off and removes a tag of the service role.
    kms.disable_key_rotation(KeyId=key_id)
    iam.untag_role(RoleName="hybridcloud-onprem-ssm", TagKeys=["Environment"])
    calls_before = len(mutating_calls())

    planned = converge(playbook, check=True)
    ran = {task["action"] for task in planned.tasks if task["action"] in IAM_KMS_WRITE_MODULES and not task["result"].get("skipped")}
    assert ran == {"amazon.aws.iam_role", "amazon.aws.kms_key"}
    assert {task["action"] for task in planned.tasks if task["changed"]} >= {"amazon.aws.iam_role", "amazon.aws.kms_key"}
    assert len(mutating_calls()) == calls_before

    repaired = converge(playbook)
    ran = {task["action"] for task in repaired.tasks if task["action"] in IAM_KMS_WRITE_MODULES and not task["result"].get("skipped")}
    assert ran == {"amazon.aws.iam_role", "amazon.aws.kms_key"}
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True
    assert {tag["Key"]: tag["Value"] for tag in iam.list_role_tags(RoleName="hybridcloud-onprem-ssm")["Tags"]} == TAGS

    again = converge(playbook)
    assert [task["name"] for task in again.tasks if task["action"] in IAM_KMS_WRITE_MODULES and not task["result"].get("skipped")] == []
    assert again.mutating_calls == []
