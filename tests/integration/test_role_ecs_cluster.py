"""hybridcloud.aws.ecs_cluster against the emulator: check mode on an empty account, converge verified with EC2, IAM,
Auto Scaling and ECS reads (IMDSv2-only launch template, protected instances, managed scaling capacity provider named
by the cluster's default strategy, Container Insights), starting from an empty lab, a no-op second run and
bad input in test_bad_input_compute.py; one read of the layer (hybridcloud.aws.ecs_cluster_layer_info), write modules only where something
differs. Switching Container Insights of an existing cluster is covered by test_ecs_cluster_settings.py.

The file converges once (converged_account): the tests that start from the converged account restore it from the
emulator's snapshot instead of converging again."""

import base64

import pytest
import yaml
from integration.conftest import converged_once

REGION = "us-east-1"
TAGS = {"Project": "hybridcloud", "Environment": "lab"}
AMI_PARAMETER = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
# The SSM agent's permissions are an inline policy without parameter reads (test_activation_path.py evaluates it).
INSTANCE_POLICIES = ["arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"]
FACTS = ["ecs_cluster_name", "ecs_cluster_arn", "ecs_cluster_capacity_provider_name", "ecs_cluster_auto_scaling_group_arn", "ecs_cluster_instance_role_arn"]
ROLE = [
    {"name": "cluster", "ansible.builtin.include_role": {"name": "hybridcloud.aws.ecs_cluster"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {fact: f"{{{{ {fact} }}}}" for fact in FACTS}}},
]

# The modules that write; on a converged layer none of them may run.
WRITE_MODULES = {
    "amazon.aws.iam_role",
    "amazon.aws.iam_policy",
    "amazon.aws.iam_instance_profile",
    "amazon.aws.ec2_launch_template",
    "amazon.aws.ec2_tag",
    "amazon.aws.autoscaling_group",
    "hybridcloud.aws.ecs_capacity_provider",
    "community.aws.ecs_cluster",
    "community.aws.ecs_tag",
    "hybridcloud.aws.ecs_cluster_settings",
}
# AWS calls of the no-op run before the layer was read once (each write module's own reads; check mode 26), measured.
NO_OP_CALLS_BEFORE = 27
EXISTING = [{"name": "cluster", "ansible.builtin.include_role": {"name": "hybridcloud.aws.ecs_cluster", "tasks_from": "existing.yml"}}, ROLE[1]]


def write_modules_run(result):
    """The write modules whose tasks ran (were not skipped)."""
    return sorted(task["action"] for task in result.tasks if task["action"] in WRITE_MODULES and not task["result"].get("skipped"))


def set_controller_aws_environment(monkeypatch, emulator_endpoint):
    """The AMI lookup runs on the controller and ignores module_defaults: it finds the lab the way the lab's
    `lab/emulator.sh env` tells a shell to."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture(autouse=True)
def controller_aws_environment(monkeypatch, emulator_endpoint):
    set_controller_aws_environment(monkeypatch, emulator_endpoint)


@pytest.fixture
def network(aws):
    return make_network(aws)


# The converge the tests that start from a built cluster share: an agent setting and a larger group than the default.
def converged_vars(network):
    return {**network, "ecs_cluster_max_size": 3, "ecs_cluster_agent_config": {"ECS_CONTAINER_STOP_TIMEOUT": "60s"}}


@pytest.fixture(scope="module")
def converged_account(aws, lab_api, emulator_endpoint, tmp_path_factory):
    """The role's first converge on an empty lab, made once for the file and saved in the emulator."""

    def build(playbook):
        network = make_network(aws)
        return network, converge(playbook, converged_vars(network))

    with pytest.MonkeyPatch.context() as monkeypatch:
        set_controller_aws_environment(monkeypatch, emulator_endpoint)
        snapshot, (network, first) = converged_once("role_ecs_cluster", lab_api, emulator_endpoint, tmp_path_factory, build)
    return snapshot, network, first


@pytest.fixture
def converged(converged_account, reset_emulator):
    """(the network handed over, the first converge's result) on a copy of the converged account."""
    snapshot, network, first = converged_account
    snapshot.restore()
    return network, first


def make_network(aws):
    """What the network role hands over: two private subnets in two zones and the tasks security group."""
    ec2 = aws("ec2", region=REGION)
    vpc_id = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.40.{16 * index}.0/20", AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for index, zone in enumerate(["us-east-1a", "us-east-1b"])
    ]
    group_id = ec2.create_security_group(VpcId=vpc_id, GroupName="hybridcloud-tasks", Description="tasks")["GroupId"]
    return {"ecs_cluster_subnet_ids": subnets, "ecs_cluster_security_group_ids": [group_id], "ecs_cluster_region": REGION, "hybridcloud_tags": TAGS}


def converge(playbook, extra_vars, check=False):
    result = playbook(ROLE, check=check, extra_vars=extra_vars)
    assert result.failed == 0, result.output
    return result


def tags_of(resource, key="Key", value="Value"):
    return {tag[key]: tag[value] for tag in resource.get("Tags", resource.get("tags", []))}


def assert_cluster_is_built(aws, network, facts):
    ec2, iam, autoscaling, ecs = (aws(service, region=REGION) for service in ("ec2", "iam", "autoscaling", "ecs"))
    recommended_ami = aws("ssm", region=REGION).get_parameter(Name=AMI_PARAMETER)["Parameter"]["Value"]

    role = iam.get_role(RoleName="hybridcloud-ecs-instance")["Role"]
    assert role["Arn"] == facts["ecs_cluster_instance_role_arn"]
    assert sorted(p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"]) == sorted(INSTANCE_POLICIES)
    assert iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"] == ["ssm-agent-without-activation-code"]
    profile = iam.get_instance_profile(InstanceProfileName="hybridcloud-ecs-instance")["InstanceProfile"]
    assert [r["RoleName"] for r in profile["Roles"]] == [role["RoleName"]]

    template = ec2.describe_launch_templates(LaunchTemplateNames=["hybridcloud-ecs"])["LaunchTemplates"][0]
    assert template["DefaultVersionNumber"] == template["LatestVersionNumber"]
    # describe_tags: moto's DescribeLaunchTemplates shows a template's tags as they were at its creation.
    template_tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [template["LaunchTemplateId"]]}])
    assert tags_of(template_tags) == {**TAGS, "Name": "hybridcloud-ecs"}
    [version] = ec2.describe_launch_template_versions(LaunchTemplateId=template["LaunchTemplateId"], Versions=["$Default"])["LaunchTemplateVersions"]
    data = version["LaunchTemplateData"]
    assert data["ImageId"] == recommended_ami
    assert data["IamInstanceProfile"]["Arn"] == profile["Arn"]
    assert data["SecurityGroupIds"] == network["ecs_cluster_security_group_ids"]
    metadata = data["MetadataOptions"]
    assert (metadata["HttpTokens"], metadata["HttpPutResponseHopLimit"], metadata["HttpEndpoint"]) == ("required", 1, "enabled")
    [volume] = data["BlockDeviceMappings"]
    assert (volume["Ebs"]["VolumeType"], volume["Ebs"]["Encrypted"], volume["Ebs"]["VolumeSize"]) == ("gp3", True, 30)
    user_data = base64.b64decode(data["UserData"]).decode()
    cloud_config = yaml.safe_load(user_data)
    assert user_data.startswith("#cloud-config\n")
    [ecs_config] = [entry for entry in cloud_config["write_files"] if entry["path"] == "/etc/ecs/ecs.config"]
    assert ecs_config["content"].splitlines() == ["ECS_CLUSTER=hybridcloud", "ECS_CONTAINER_STOP_TIMEOUT=60s"]

    [group] = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["hybridcloud-ecs"])["AutoScalingGroups"]
    assert group["AutoScalingGroupARN"] == facts["ecs_cluster_auto_scaling_group_arn"]
    assert (group["LaunchTemplate"]["LaunchTemplateName"], group["LaunchTemplate"]["Version"]) == ("hybridcloud-ecs", "$Default")
    assert (group["MinSize"], group["MaxSize"], group["DesiredCapacity"]) == (1, 3, 1)
    assert sorted(group["VPCZoneIdentifier"].split(",")) == sorted(network["ecs_cluster_subnet_ids"])
    assert group["NewInstancesProtectedFromScaleIn"] is True
    assert all(instance["ProtectedFromScaleIn"] for instance in group["Instances"])
    assert group["EnabledMetrics"]
    assert tags_of(group) == {**TAGS, "Name": "hybridcloud-ecs"}

    [provider] = ecs.describe_capacity_providers(capacityProviders=["hybridcloud-ec2"], include=["TAGS"])["capacityProviders"]
    asg_provider = provider["autoScalingGroupProvider"]
    assert asg_provider["autoScalingGroupArn"] == group["AutoScalingGroupARN"]
    assert (asg_provider["managedScaling"]["status"], asg_provider["managedScaling"]["targetCapacity"]) == ("ENABLED", 100)
    assert (asg_provider["managedTerminationProtection"], asg_provider["managedDraining"]) == ("ENABLED", "ENABLED")
    assert tags_of(provider, "key", "value") == TAGS

    [cluster] = ecs.describe_clusters(clusters=["hybridcloud"])["clusters"]
    assert cluster["clusterArn"] == facts["ecs_cluster_arn"]
    assert cluster["capacityProviders"] == ["hybridcloud-ec2"]
    assert cluster["defaultCapacityProviderStrategy"] == [{"capacityProvider": "hybridcloud-ec2", "weight": 1, "base": 0}]
    assert tags_of(ecs.list_tags_for_resource(resourceArn=cluster["clusterArn"]), "key", "value") == TAGS


def cluster_settings(aws):
    [cluster] = aws("ecs", region=REGION).describe_clusters(clusters=["hybridcloud"], include=["SETTINGS"])["clusters"]
    return {setting["name"]: setting["value"] for setting in cluster["settings"]}


def test_check_mode_on_empty_account_mutates_nothing(playbook, mutating_calls, aws):
    result = converge(playbook, {"ecs_cluster_region": REGION}, check=True)
    facts = result.task("facts")["result"]["msg"]
    assert (facts["ecs_cluster_arn"], facts["ecs_cluster_auto_scaling_group_arn"]) == ("", "")
    assert aws("ecs", region=REGION).list_clusters()["clusterArns"] == []
    assert mutating_calls() == []


def test_converge_on_an_empty_lab_verify_and_no_op_rerun(playbook, aws, converged):
    network, first = converged
    extra_vars = converged_vars(network)
    facts = first.task("facts")["result"]["msg"]
    assert (facts["ecs_cluster_name"], facts["ecs_cluster_capacity_provider_name"]) == ("hybridcloud", "hybridcloud-ec2")
    assert_cluster_is_built(aws, network, facts)
    assert cluster_settings(aws) == {"containerInsights": "enabled"}

    second = converge(playbook, extra_vars)
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert second.mutating_calls == []
    assert second.task("facts")["result"]["msg"] == facts

    # One read, no write module run, fewer AWS calls than before (all reads; each resource read once); check mode alike.
    planned = converge(playbook, extra_vars, check=True)
    assert planned.task("facts")["result"]["msg"] == facts
    for no_op in (second, planned):
        assert write_modules_run(no_op) == []
        assert no_op.mutating_calls == []
        operations = [call["operation"] for call in no_op.api_calls]
        assert len(operations) < NO_OP_CALLS_BEFORE, operations
        assert (operations.count("DescribeClusters"), operations.count("GetRole"), operations.count("DescribeLaunchTemplates")) == (1, 1, 1)

    # A play that uses the cluster without building it reads the same facts through the same read, writing nothing.
    existing = playbook(EXISTING, extra_vars=extra_vars)
    assert existing.failed == 0, existing.output
    assert existing.task("facts")["result"]["msg"] == facts
    assert existing.mutating_calls == []


def test_drift_is_repaired_by_exactly_the_writes_that_differ(playbook, aws, converged):
    network, first = converged
    extra_vars = converged_vars(network)
    facts = first.task("facts")["result"]["msg"]
    ecs, iam = aws("ecs", region=REGION), aws("iam", region=REGION)
    # By hand: Container Insights off, a tag of the cluster changed, the instance role's description changed.
    ecs.update_cluster_settings(cluster="hybridcloud", settings=[{"name": "containerInsights", "value": "disabled"}])
    ecs.tag_resource(resourceArn=facts["ecs_cluster_arn"], tags=[{"key": "Environment", "value": "drifted"}])
    iam.update_role(RoleName="hybridcloud-ecs-instance", Description="changed by hand")

    planned = converge(playbook, extra_vars, check=True)
    assert planned.mutating_calls == []
    assert cluster_settings(aws) == {"containerInsights": "disabled"}

    repaired = converge(playbook, extra_vars)
    assert write_modules_run(repaired) == ["amazon.aws.iam_role", "community.aws.ecs_tag", "hybridcloud.aws.ecs_cluster_settings"]
    assert cluster_settings(aws) == {"containerInsights": "enabled"}
    assert tags_of(ecs.list_tags_for_resource(resourceArn=facts["ecs_cluster_arn"]), "key", "value") == TAGS
    assert iam.get_role(RoleName="hybridcloud-ecs-instance")["Role"]["Description"] == "ECS container instances of the hybridcloud cluster"
    assert repaired.task("facts")["result"]["msg"] == facts
    assert write_modules_run(converge(playbook, extra_vars)) == []
