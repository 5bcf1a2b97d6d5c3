"""hybridcloud.aws.ecs_services against the emulator: check mode before the cluster exists, converge verified with ECS,
Application Auto Scaling, CloudWatch and IAM reads (an EC2 service through the capacity provider behind the ALB, an
EXTERNAL service pinned to on-premises instances, scalable targets, target tracking and step scaling policies, both
on one service, and their alarms), a no-op second run that keeps the task count auto scaling chose (bad input in test_bad_input_compute.py);
one read of the layer (hybridcloud.aws.ecs_services_layer_info), write modules only where something differs.

The file converges once (converged_account): the tests that start from the converged account restore it from the
emulator's snapshot instead of converging again."""

import json

import pytest
from integration.conftest import converged_once

REGION = "us-east-1"
TAGS = {"Project": "hybridcloud", "Environment": "lab"}
CAPACITY_PROVIDER = "hybridcloud-ec2"
ROLE = [
    {"name": "services", "ansible.builtin.include_role": {"name": "hybridcloud.aws.ecs_services"}},
    {
        "name": "facts",
        "ansible.builtin.debug": {"msg": {"services": "{{ ecs_services_service_arns }}", "definitions": "{{ ecs_services_task_definition_arns }}"}},
    },
]
# worker has CPU target tracking and step scaling at once; web tracks ALB requests; agent scales in steps only.
SERVICES = [
    {
        "name": "web",
        "repository": "web",
        "tag": "1.0.0",
        "container_port": 8080,
        "target_group": "web",
        "desired_count": 2,
        "environment": {"LOG_LEVEL": "info"},
        "autoscaling": {"min_tasks": 2, "max_tasks": 6, "cpu_target": 0, "step_cpu_threshold": 0, "requests_per_target": 500},
    },
    {
        "name": "worker",
        "image": "docker.io/library/busybox:1.36",
        "command": ["sleep", "infinity"],
        "autoscaling": {"min_tasks": 1, "max_tasks": 4, "cpu_target": 55, "step_cpu_threshold": 90, "step_adjustment": 1},
    },
    {
        "name": "agent",
        "placement": "external",
        "image": "docker.io/library/nginx:1.27",
        "container_port": 80,
        "host_port": 8080,
        "autoscaling": {"min_tasks": 1, "max_tasks": 3, "cpu_target": 0, "step_cpu_threshold": 80},
    },
]


@pytest.fixture
def platform(aws):
    """What the cluster, registry and load balancer roles hand over, made directly."""
    return make_platform(aws)


@pytest.fixture(scope="module")
def converged_account(aws, lab_api, emulator_endpoint, tmp_path_factory):
    """The role's first converge on the platform, made once for the file and saved in the emulator."""

    def build(playbook):
        platform = make_platform(aws)
        return platform, converge(playbook, platform)

    snapshot, (platform, first) = converged_once("role_ecs_services", lab_api, emulator_endpoint, tmp_path_factory, build)
    return snapshot, platform, first


@pytest.fixture
def converged(converged_account, reset_emulator):
    """(platform, the first converge's result) on a copy of the converged account."""
    snapshot, platform, first = converged_account
    snapshot.restore()
    return platform, first


def make_platform(aws):
    ec2, autoscaling, ecs, elbv2 = (aws(service, region=REGION) for service in ("ec2", "autoscaling", "ecs", "elbv2"))
    vpc_id = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.40.{16 * index}.0/20", AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for index, zone in enumerate(["us-east-1a", "us-east-1b"])
    ]
    template_id = ec2.create_launch_template(LaunchTemplateName="workers", LaunchTemplateData={"ImageId": "ami-12c6146b"})["LaunchTemplate"]["LaunchTemplateId"]
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName="workers", LaunchTemplate={"LaunchTemplateId": template_id}, MinSize=0, MaxSize=2, VPCZoneIdentifier=",".join(subnets)
    )
    group_arn = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["workers"])["AutoScalingGroups"][0]["AutoScalingGroupARN"]
    ecs.create_capacity_provider(name=CAPACITY_PROVIDER, autoScalingGroupProvider={"autoScalingGroupArn": group_arn, "managedScaling": {"status": "ENABLED"}})
    strategy = [{"capacityProvider": CAPACITY_PROVIDER, "weight": 1}]
    cluster_arn = ecs.create_cluster(clusterName="hybridcloud", capacityProviders=[CAPACITY_PROVIDER], defaultCapacityProviderStrategy=strategy)
    load_balancer_arn = elbv2.create_load_balancer(Name="hybridcloud-internal", Subnets=subnets, Scheme="internal")["LoadBalancers"][0]["LoadBalancerArn"]
    target_group_arn = elbv2.create_target_group(Name="web", Protocol="HTTP", Port=8080, VpcId=vpc_id)["TargetGroups"][0]["TargetGroupArn"]
    secret_arn = aws("secretsmanager", region=REGION).create_secret(Name="hybridcloud/dockerhub", SecretString=json.dumps({"username": "u", "password": "p"}))
    return {
        "ecs_services_cluster": cluster_arn["cluster"]["clusterArn"],
        "ecs_services_capacity_provider": CAPACITY_PROVIDER,
        "ecs_services_repository_uris": {"web": aws("ecr", region=REGION).create_repository(repositoryName="web")["repository"]["repositoryUri"]},
        "ecs_services_registry_credentials_arn": secret_arn["ARN"],
        "ecs_services_target_group_arns": {"web": target_group_arn},
        "ecs_services_load_balancer_arn": load_balancer_arn,
        "ecs_services_services": SERVICES,
        "hybridcloud_tags": TAGS,
    }


# The same services with other scaling: agent may run 5 tasks, worker tracks 45 % CPU, web 600 requests per task.
RESCALED = [
    {**SERVICES[0], "autoscaling": {**SERVICES[0]["autoscaling"], "requests_per_target": 600}},
    {**SERVICES[1], "autoscaling": {**SERVICES[1]["autoscaling"], "cpu_target": 45}},
    {**SERVICES[2], "autoscaling": {**SERVICES[2]["autoscaling"], "max_tasks": 5}},
]
SCALING_ACTIONS = (
    "hybridcloud.aws.application_autoscaling_target",
    "hybridcloud.aws.application_autoscaling_scaling_policy",
    "amazon.aws.cloudwatch_metric_alarm",
)


def scaling_changes(result):
    """{scaling task name: [services it changed]} of a role run."""
    changes = {}
    for task in result.tasks:
        if task["action"] in SCALING_ACTIONS:
            for item in task["result"].get("results", []):
                if item.get("changed"):
                    changes.setdefault(task["name"].split(" : ", 1)[-1], []).append(item["item"]["name"])
    return changes


def scaling_writes(result):
    """{scaling write task name: [services it ran for]}: the items the read did not skip."""
    runs = {}
    for task in result.tasks:
        if task["action"] in SCALING_ACTIONS[:2]:
            for item in task["result"].get("results", []):
                if not item.get("skipped") and "skip_reason" not in item:
                    runs.setdefault(task["name"].split(" : ", 1)[-1], []).append(item["item"]["name"])
    return runs


DEFINITION_ACTIONS = ("community.aws.ecs_taskdefinition", "hybridcloud.aws.ecs_external_task_definition")


# The modules that write; on a converged layer none of them may run.
WRITE_MODULES = {
    "amazon.aws.iam_role",
    "amazon.aws.iam_policy",
    "community.aws.ecs_taskdefinition",
    "hybridcloud.aws.ecs_external_task_definition",
    "community.aws.ecs_service",
    "hybridcloud.aws.ecs_external_service",
    *SCALING_ACTIONS,
}
# AWS calls of the no-op run before the layer was read once (each write module's own reads), measured: 48, with 13
# write-module runs (4 iam_role, 4 iam_policy, 2 ecs_service, 1 ecs_external_service, 2 cloudwatch_metric_alarm);
# check mode 39 calls.
NO_OP_CALLS_BEFORE = 48
CHECK_MODE_CALLS_BEFORE = 39


def write_runs(result):
    """{write module: [what it ran for]}: a loop's items by service name, a task without a loop by its task name."""
    runs = {}
    for task in result.tasks:
        if task["action"] not in WRITE_MODULES:
            continue
        items = task["result"].get("results")
        if items is None:
            if not task["result"].get("skipped"):
                runs.setdefault(task["action"], []).append(task["name"].split(" : ", 1)[-1])
            continue
        for item in items:
            if not item.get("skipped") and "skip_reason" not in item:
                runs.setdefault(task["action"], []).append(item["item"]["name"])
    return runs


def writes_of(result, actions):
    """{task name: [services it ran for]} of the tasks of these actions: the items the role's decision did not skip."""
    runs = {}
    for task in result.tasks:
        if task["action"] in actions:
            for item in task["result"].get("results", []):
                if not item.get("skipped") and "skip_reason" not in item:
                    runs.setdefault(task["name"].split(" : ", 1)[-1], []).append(item["item"]["name"])
    return runs


def converge(playbook, extra_vars, check=False):
    result = playbook(ROLE, check=check, extra_vars=extra_vars)
    assert result.failed == 0, result.output
    return result


def tags_of(tags):
    return {tag["key"]: tag["value"] for tag in tags}


def assert_task_definitions(aws, ecs, platform, execution_role_arn):
    web, worker, agent = (ecs.describe_task_definition(taskDefinition=family)["taskDefinition"] for family in ("web", "worker", "agent"))
    assert (web["requiresCompatibilities"], agent["requiresCompatibilities"]) == (["EC2"], ["EXTERNAL"])
    assert {web["networkMode"], worker["networkMode"], agent["networkMode"]} == {"bridge"}
    assert {web["executionRoleArn"], worker["executionRoleArn"], agent["executionRoleArn"]} == {execution_role_arn}
    # A task role per service, so that no task falls back to the instance role: trusted by this account's ECS tasks
    # only, and without any permission (none is declared).
    iam = aws("iam")
    for name, definition in (("web", web), ("worker", worker), ("agent", agent)):
        role = iam.get_role(RoleName=f"hybridcloud-{name}-task")["Role"]
        assert definition["taskRoleArn"] == role["Arn"]
        document = role["AssumeRolePolicyDocument"]
        [statement] = (json.loads(document) if isinstance(document, str) else document)["Statement"]
        assert statement["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
        assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}
        assert iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"] == []
        assert iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"] == []
    [web_container], [worker_container], [agent_container] = (d["containerDefinitions"] for d in (web, worker, agent))
    assert web_container["image"] == platform["ecs_services_repository_uris"]["web"] + ":1.0.0"
    assert "repositoryCredentials" not in web_container  # ECR: the execution role pulls
    assert web_container["portMappings"] == [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}]
    assert web_container["environment"] == [{"name": "LOG_LEVEL", "value": "info"}]
    assert (web_container["cpu"], web_container["memory"]) == (256, 512)
    credentials = {"credentialsParameter": platform["ecs_services_registry_credentials_arn"]}
    assert (worker_container["repositoryCredentials"], worker_container["command"]) == (credentials, ["sleep", "infinity"])
    assert agent_container["repositoryCredentials"] == credentials
    assert agent_container["portMappings"] == [{"containerPort": 80, "hostPort": 8080, "protocol": "tcp"}]


def assert_services(ecs, platform, facts):
    services = {s["serviceName"]: s for s in ecs.describe_services(cluster="hybridcloud", services=["web", "worker", "agent"], include=["TAGS"])["services"]}
    assert facts["services"] == {name: service["serviceArn"] for name, service in services.items()}
    for name in ("web", "worker"):
        service = services[name]
        assert "launchType" not in service or service["launchType"] in (None, "")
        assert service["capacityProviderStrategy"] == [{"capacityProvider": CAPACITY_PROVIDER, "weight": 1, "base": 0}]
        assert [s["type"] for s in service["placementStrategy"]] == ["spread", "binpack"]
        assert service["taskDefinition"] == facts["definitions"][name]
    web, worker, agent = services["web"], services["worker"], services["agent"]
    target_group_arn = platform["ecs_services_target_group_arns"]["web"]
    assert web["loadBalancers"] == [{"targetGroupArn": target_group_arn, "containerName": "web", "containerPort": 8080}]
    assert (web["desiredCount"], worker["loadBalancers"]) == (2, [])
    assert agent["launchType"] == "EXTERNAL"
    assert agent["placementConstraints"] == [{"type": "memberOf", "expression": "attribute:location == onprem"}]
    assert agent["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert all(tags_of(service["tags"]) == TAGS for service in services.values())


def assert_step_scaling(aws, policies, service, threshold, adjustments):
    step = policies[f"{service}-cpu-step"]
    assert (step["PolicyType"], step["StepScalingPolicyConfiguration"]["AdjustmentType"]) == ("StepScaling", "ChangeInCapacity")
    assert [a["ScalingAdjustment"] for a in step["StepScalingPolicyConfiguration"]["StepAdjustments"]] == adjustments
    [alarm] = aws("cloudwatch", region=REGION).describe_alarms(AlarmNames=[f"hybridcloud-{service}-cpu-high"])["MetricAlarms"]
    assert alarm["AlarmActions"] == [step["PolicyARN"]]
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Threshold"], alarm["ComparisonOperator"]) == (
        "AWS/ECS",
        "CPUUtilization",
        threshold,
        "GreaterThanOrEqualToThreshold",
    )
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {"ClusterName": "hybridcloud", "ServiceName": service}


def assert_scaling(aws, platform, rescaled=False):
    """The scaling of SERVICES, or with rescaled=True of RESCALED (agent: up to 5 tasks, worker: 45 % CPU, web: 600 requests)."""
    scaling = aws("application-autoscaling", region=REGION)
    found = scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]
    targets = {t["ResourceId"]: (t["MinCapacity"], t["MaxCapacity"]) for t in found}
    assert targets == {"service/hybridcloud/web": (2, 6), "service/hybridcloud/worker": (1, 4), "service/hybridcloud/agent": (1, 5 if rescaled else 3)}
    for target in found:
        assert scaling.list_tags_for_resource(ResourceARN=target["ScalableTargetARN"])["Tags"] == TAGS
    policies = {p["PolicyName"]: p for p in scaling.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]}
    assert sorted(policies) == ["agent-cpu-step", "web-requests-target", "worker-cpu-step", "worker-cpu-target"]
    assert {p["ResourceId"] for name, p in policies.items() if name.startswith("worker-")} == {"service/hybridcloud/worker"}

    requests = policies["web-requests-target"]["TargetTrackingScalingPolicyConfiguration"]
    load_balancer = platform["ecs_services_load_balancer_arn"].split(":loadbalancer/")[1]
    target_group = platform["ecs_services_target_group_arns"]["web"].split(":")[-1]
    assert requests["PredefinedMetricSpecification"] == {"PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": f"{load_balancer}/{target_group}"}
    assert requests["TargetValue"] == (600.0 if rescaled else 500.0)
    cpu = policies["worker-cpu-target"]["TargetTrackingScalingPolicyConfiguration"]
    assert (cpu["PredefinedMetricSpecification"]["PredefinedMetricType"], cpu["TargetValue"]) == ("ECSServiceAverageCPUUtilization", 45.0 if rescaled else 55.0)

    assert_step_scaling(aws, policies, "worker", 90.0, [1, 2])
    assert_step_scaling(aws, policies, "agent", 80.0, [2, 4])


def test_check_mode_before_the_cluster_exists_mutates_nothing(playbook, mutating_calls, aws):
    # What hybridcloud.aws.ecs_cluster and container_registry hand over in check mode on an empty account.
    before = {"ecs_services_capacity_provider": CAPACITY_PROVIDER, "ecs_services_repository_uris": {"web": "registry.example/web"}}
    result = converge(playbook, {**before, "ecs_services_services": SERVICES}, check=True)
    assert result.task("facts")["result"]["msg"] == {"services": {}, "definitions": {}}
    assert aws("ecs", region=REGION).list_task_definitions()["taskDefinitionArns"] == []
    assert mutating_calls() == []


def test_converge_verify_and_no_op_rerun_keeping_the_scaled_count(playbook, aws, converged):
    platform, first = converged
    facts = first.task("facts")["result"]["msg"]
    ecs, iam = aws("ecs", region=REGION), aws("iam", region=REGION)
    role = iam.get_role(RoleName="hybridcloud-task-execution")["Role"]
    attached = [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"]]
    assert attached == ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
    inline = iam.get_role_policy(RoleName=role["RoleName"], PolicyName="registry-credentials")["PolicyDocument"]
    assert inline["Statement"][0]["Resource"] == platform["ecs_services_registry_credentials_arn"]
    assert_task_definitions(aws, ecs, platform, role["Arn"])
    assert_services(ecs, platform, facts)
    assert_scaling(aws, platform)

    # Auto scaling raised web to 4 tasks; the next run must neither change nor undo that.
    ecs.update_service(cluster="hybridcloud", service="web", desiredCount=4)
    second = converge(playbook, platform)
    assert second.changed == 0, [task["name"] for task in second.tasks if task["changed"]]
    assert second.mutating_calls == []
    assert second.task("facts")["result"]["msg"] == facts
    assert ecs.describe_services(cluster="hybridcloud", services=["web"])["services"][0]["desiredCount"] == 4
    # One read of every target and policy; no target or policy module runs when nothing differs.
    assert scaling_writes(second) == {}
    # One read of every task definition family; no registration module runs when nothing differs.
    assert writes_of(second, DEFINITION_ACTIONS) == {}
    scaling_reads = [call["operation"] for call in second.api_calls if call["service"] == "applicationautoscaling"]
    assert sorted(scaling_reads) == ["DescribeScalableTargets", "DescribeScalingPolicies"] + ["ListTagsForResource"] * 3

    # Check mode runs the scaling tasks too: nothing to change is reported as such ...
    unchanged = converge(playbook, platform, check=True)
    assert (unchanged.changed, unchanged.mutating_calls) == (0, [])
    assert [task["name"] for task in unchanged.tasks if task["action"] in SCALING_ACTIONS and task["changed"]] == []
    assert unchanged.task("facts")["result"]["msg"] == facts

    # One read of the layer, no write module at all, fewer AWS calls than before (all reads; each resource read once:
    # one DescribeServices for the three services, one GetRole per role, one DescribeTaskDefinition per family).
    for no_op, before in ((second, NO_OP_CALLS_BEFORE), (unchanged, CHECK_MODE_CALLS_BEFORE)):
        assert write_runs(no_op) == {}
        operations = [call["operation"] for call in no_op.api_calls]
        assert len(operations) < before, operations
        assert (operations.count("DescribeServices"), operations.count("GetRole"), operations.count("DescribeTaskDefinition")) == (1, 4, 3)
        assert operations.count("DescribeAlarms") == 1

    # ... and changed limits and targets are reported per service without being made; the real run then makes them.
    rescaled = {**platform, "ecs_services_services": RESCALED}
    planned = converge(playbook, rescaled, check=True)
    assert planned.mutating_calls == []
    assert scaling_changes(planned) == {
        "Register the scalable targets (task count limits)": ["agent"],
        "Track CPU utilisation (target tracking)": ["worker"],
        "Track the ALB requests per task (target tracking)": ["web"],
    }
    assert_scaling(aws, platform)
    applied = converge(playbook, rescaled)
    assert scaling_changes(applied) == scaling_changes(planned)
    assert_scaling(aws, platform, rescaled=True)


def worker_policies(scaling, name):
    policies = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId="service/hybridcloud/worker")["ScalingPolicies"]
    return [policy for policy in policies if policy["PolicyName"] == name]


def test_scaling_drift_is_reported_in_check_mode_and_repaired(playbook, aws, converged):
    platform, _first = converged
    scaling = aws("application-autoscaling", region=REGION)
    targets = {t["ResourceId"]: t for t in scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"]}
    # Out of band: web's maximum lowered, a tag of worker's target changed, agent's target lost a tag, worker's CPU
    # tracking got another scale-in cooldown, and agent's step policy was deleted.
    scaling.register_scalable_target(ServiceNamespace="ecs", ResourceId="service/hybridcloud/web", ScalableDimension="ecs:service:DesiredCount", MaxCapacity=3)
    scaling.tag_resource(ResourceARN=targets["service/hybridcloud/worker"]["ScalableTargetARN"], Tags={"Environment": "prod"})
    scaling.untag_resource(ResourceARN=targets["service/hybridcloud/agent"]["ScalableTargetARN"], TagKeys=["Project"])
    key = {"ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount"}
    [cpu] = worker_policies(scaling, "worker-cpu-target")
    configuration = dict(cpu["TargetTrackingScalingPolicyConfiguration"], ScaleInCooldown=120)
    scaling.put_scaling_policy(
        **key,
        ResourceId="service/hybridcloud/worker",
        PolicyName="worker-cpu-target",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration=configuration,
    )
    scaling.delete_scaling_policy(**key, ResourceId="service/hybridcloud/agent", PolicyName="agent-cpu-step")
    drift = {
        "Register the scalable targets (task count limits)": ["web", "worker", "agent"],
        "Track CPU utilisation (target tracking)": ["worker"],
        "Scale out in steps on high CPU (step scaling policy)": ["agent"],
    }

    planned = converge(playbook, platform, check=True)
    assert planned.mutating_calls == []
    assert scaling_writes(planned) == drift
    assert scaling_changes(planned) == drift  # the alarm of a policy check mode would create is not planned

    repaired = converge(playbook, platform)
    assert scaling_changes(repaired) == {**drift, "Alarm on high CPU, acting through the step scaling policy": ["agent"]}
    assert_scaling(aws, platform)
    [cpu] = worker_policies(scaling, "worker-cpu-target")
    assert cpu["TargetTrackingScalingPolicyConfiguration"]["ScaleInCooldown"] == 300

    again = converge(playbook, platform)
    assert (again.changed, again.mutating_calls, scaling_writes(again)) == (0, [], {})


def test_drift_is_repaired_by_exactly_the_writes_that_differ(playbook, aws, converged):
    platform, first = converged
    facts = first.task("facts")["result"]["msg"]
    ecs, iam, cloudwatch = aws("ecs", region=REGION), aws("iam", region=REGION), aws("cloudwatch", region=REGION)
    # By hand: a tag of the execution role changed, agent's deployment lets half its tasks go, worker's alarm fires at
    # 95 %, and web runs a revision with another log level registered by hand.
    iam.tag_role(RoleName="hybridcloud-task-execution", Tags=[{"Key": "Environment", "Value": "drifted"}])
    ecs.update_service(
        cluster="hybridcloud",
        service="agent",
        deploymentConfiguration={"minimumHealthyPercent": 50, "maximumPercent": 200, "deploymentCircuitBreaker": {"enable": True, "rollback": True}},
    )
    [alarm] = cloudwatch.describe_alarms(AlarmNames=["hybridcloud-worker-cpu-high"])["MetricAlarms"]
    keep = ("AlarmName", "AlarmDescription", "AlarmActions", "MetricName", "Namespace", "Statistic", "Dimensions", "Period", "Unit")
    cloudwatch.put_metric_alarm(
        **{key: alarm[key] for key in keep},
        EvaluationPeriods=alarm["EvaluationPeriods"],
        ComparisonOperator=alarm["ComparisonOperator"],
        TreatMissingData=alarm["TreatMissingData"],
        Threshold=95.0,
    )
    web = ecs.describe_task_definition(taskDefinition="web")["taskDefinition"]
    container = dict(web["containerDefinitions"][0], environment=[{"name": "LOG_LEVEL", "value": "debug"}])
    by_hand = ecs.register_task_definition(
        family="web",
        containerDefinitions=[container],
        networkMode="bridge",
        requiresCompatibilities=["EC2"],
        executionRoleArn=web["executionRoleArn"],
        taskRoleArn=web["taskRoleArn"],
    )["taskDefinition"]["taskDefinitionArn"]
    ecs.update_service(cluster="hybridcloud", service="web", taskDefinition=by_hand)
    drift = {
        "amazon.aws.iam_role": ["Ensure the task execution role (image pulls, logs)"],
        "community.aws.ecs_taskdefinition": ["web"],
        "hybridcloud.aws.ecs_external_service": ["agent"],
        "amazon.aws.cloudwatch_metric_alarm": ["worker"],
        # community.aws.ecs_taskdefinition finds the role's revision among the ACTIVE ones; the service moves back to it.
        "community.aws.ecs_service": ["web"],
    }

    # Check mode predicts those writes without making them; the real run makes exactly them.
    planned = converge(playbook, platform, check=True)
    assert planned.mutating_calls == []
    assert write_runs(planned) == drift

    repaired = converge(playbook, platform)
    assert write_runs(repaired) == drift
    role = iam.get_role(RoleName="hybridcloud-task-execution")["Role"]
    assert tags_of([{"key": tag["Key"], "value": tag["Value"]} for tag in role["Tags"]]) == TAGS
    [agent] = ecs.describe_services(cluster="hybridcloud", services=["agent"])["services"]
    assert agent["deploymentConfiguration"]["minimumHealthyPercent"] == 100
    assert cloudwatch.describe_alarms(AlarmNames=["hybridcloud-worker-cpu-high"])["MetricAlarms"][0]["Threshold"] == 90.0
    assert repaired.task("facts")["result"]["msg"] == facts
    [web_service] = ecs.describe_services(cluster="hybridcloud", services=["web"])["services"]
    assert web_service["taskDefinition"] == facts["definitions"]["web"] != by_hand
    assert_services(ecs, platform, facts)

    # The hand-made revision stays the family's latest; the service runs the role's, and nothing is written again.
    rerun = converge(playbook, platform)
    assert (write_runs(rerun), rerun.mutating_calls, rerun.task("facts")["result"]["msg"]) == ({}, [], facts)
