"""ecs_services_plan / ecs_services_scaling_changes: the decisions of the ecs_services role in Python. The scaling
comparison is checked against the write modules' own rules (planned_policy_configuration, planned_target_settings)
on the API's shapes, through the view application_autoscaling_info returns (scaling_policy_result)."""

import copy

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.ecs_services_plan import FilterModule as PlanFilters
from ansible_collections.hybridcloud.aws.plugins.filter.ecs_services_scaling_changes import FilterModule as ChangeFilters
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import option_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import planned_policy_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import policy_view_differs
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import scaling_policy_result

plan_of = PlanFilters().filters()["ecs_services_plan"]
changes_of = ChangeFilters().filters()["ecs_services_scaling_changes"]

TAGS = {"Project": "hybridcloud", "Environment": "lab"}
LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/hybridcloud-internal/50dc6c495c0c9188"
TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/943f017f100becff"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hybridcloud/dockerhub-AbCdEf"
CONTEXT = {
    "cluster_name": "hybridcloud",
    "repository_uris": {"web": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web"},
    "registry_credentials_arn": SECRET,
    "target_group_arns": {"web": TG},
    "load_balancer_arn": LB,
    "external_constraint": "attribute:location == onprem",
}
# The services of tests/integration/test_role_ecs_services.py.
SERVICES = [
    {
        "name": "web",
        "repository": "web",
        "tag": "1.0.0",
        "container_port": 8080,
        "target_group": "web",
        "desired_count": 2,
        "environment": {"LOG_LEVEL": "info", "A": 1},
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
        "container": {"stopTimeout": 30},
        "autoscaling": {"min_tasks": 1, "max_tasks": 3, "cpu_target": 0, "step_cpu_threshold": 80},
    },
    {"name": "plain", "image": "nginx:1.27", "registry_credentials": False, "desired_count": 3, "task_role_arn": "arn:aws:iam::123456789012:role/given"},
]


def test_plan_builds_containers_placement_and_roles():
    web, worker, agent, plain = plan_of(SERVICES, CONTEXT)
    assert web["container"] == {
        "name": "web",
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0",
        "essential": True,
        "cpu": 256,
        "memory": 512,
        "environment": [{"name": "A", "value": "1"}, {"name": "LOG_LEVEL", "value": "info"}],
        "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}],
    }
    assert (web["target_group_arn"], web["container_port"], web["placement_constraints"]) == (TG, 8080, [])
    assert worker["container"]["repositoryCredentials"] == {"credentialsParameter": SECRET}  # not in ECR
    assert worker["container"]["command"] == ["sleep", "infinity"]
    assert (agent["placement"], agent["placement_constraints"]) == ("external", [{"type": "memberOf", "expression": "attribute:location == onprem"}])
    assert agent["container"]["portMappings"] == [{"containerPort": 80, "hostPort": 8080, "protocol": "tcp"}]
    assert agent["container"]["stopTimeout"] == 30
    assert "repositoryCredentials" not in plain["container"]
    assert [entry["task_role_name"] for entry in (web, worker, agent)] == ["hybridcloud-web-task", "hybridcloud-worker-task", "hybridcloud-agent-task"]
    assert (plain["task_role_arn"], web["task_role_arn"], plain["autoscaling"], plain["policies"]) == ("arn:aws:iam::123456789012:role/given", "", {}, {})
    assert [entry["resource_id"] for entry in (web, agent)] == ["service/hybridcloud/web", "service/hybridcloud/agent"]


def test_a_scaled_service_that_exists_keeps_its_task_count():
    current = [
        {"serviceName": "web", "status": "ACTIVE", "desiredCount": 4},
        {"serviceName": "plain", "status": "ACTIVE", "desiredCount": 9},
        {"serviceName": "worker", "status": "INACTIVE", "desiredCount": 7},
    ]
    counts = {entry["name"]: entry["desired_count"] for entry in plan_of(SERVICES, dict(CONTEXT, current_services=current))}
    assert counts == {"web": 4, "worker": 1, "agent": 1, "plain": 3}


def test_policies_per_service():
    web, worker, agent, _plain = plan_of(SERVICES, CONTEXT)
    assert sorted(web["policies"]) == ["requests_target"]
    label = "app/hybridcloud-internal/50dc6c495c0c9188/targetgroup/web/943f017f100becff"
    assert web["policies"]["requests_target"]["configuration"]["predefined_metric_specification"]["resource_label"] == label
    assert sorted(worker["policies"]) == ["cpu_step", "cpu_target"]
    assert worker["policies"]["cpu_target"]["configuration"]["target_value"] == 55.0
    steps = agent["policies"]["cpu_step"]["configuration"]["step_adjustments"]
    assert [step["scaling_adjustment"] for step in steps] == [2, 4]
    assert (agent["policies"]["cpu_step"]["threshold"], worker["policies"]["cpu_step"]["threshold"]) == (80.0, 90.0)


def api_policy(entry, kind, arn="arn:policy"):
    """The policy as the API answers after application_autoscaling_scaling_policy put it (AWS's defaults added)."""
    policy = entry["policies"][kind]
    key = "TargetTrackingScalingPolicyConfiguration" if policy["policy_type"] == "TargetTrackingScaling" else "StepScalingPolicyConfiguration"
    configuration = option_configuration(policy["policy_type"], policy["configuration"])
    if policy["policy_type"] == "TargetTrackingScaling":
        configuration = dict(configuration, DisableScaleIn=False)
    return {
        "PolicyARN": arn + policy["policy_name"],
        "PolicyName": policy["policy_name"],
        "ServiceNamespace": "ecs",
        "ResourceId": entry["resource_id"],
        "ScalableDimension": "ecs:service:DesiredCount",
        "PolicyType": policy["policy_type"],
        key: configuration,
    }


def converged_read(plan):
    targets, policies = [], []
    for entry in plan:
        if entry["autoscaling"]:
            targets.append(
                {
                    "resource_id": entry["resource_id"],
                    "min_capacity": entry["autoscaling"]["min_tasks"],
                    "max_capacity": entry["autoscaling"]["max_tasks"],
                    "tags": dict(TAGS),
                }
            )
            policies.extend(scaling_policy_result(api_policy(entry, kind)) for kind in entry["policies"])
    return {"scalable_targets": targets, "scaling_policies": policies}


def test_converged_scaling_needs_no_write_and_hands_on_the_arns():
    plan = plan_of(SERVICES, CONTEXT)
    changes = changes_of(plan, converged_read(plan), TAGS)
    assert (changes["targets"], changes["policies"]) == ([], [])
    assert changes["policy_arns"]["agent-cpu-step"] == "arn:policyagent-cpu-step"
    # Nothing read (check mode before the services exist, or no scaled service): every target and policy is written.
    everything = changes_of(plan, {}, TAGS)
    assert everything["targets"] == ["web", "worker", "agent"]
    assert everything["policies"] == ["web-requests-target", "worker-cpu-target", "worker-cpu-step", "agent-cpu-step"]


@pytest.mark.parametrize(
    ("drift", "targets", "policies"),
    [
        (lambda read: read["scalable_targets"][0].update(max_capacity=3), ["web"], []),
        (lambda read: read["scalable_targets"][1]["tags"].update(Environment="prod"), ["worker"], []),
        (lambda read: read["scalable_targets"][2]["tags"].pop("Project"), ["agent"], []),
        (lambda read: read["scalable_targets"][2]["tags"].update(Owner="x"), ["agent"], []),
        (lambda read: read["scalable_targets"].pop(1), ["worker"], []),
        (lambda read: read["scaling_policies"][1]["target_tracking_scaling_policy_configuration"].update(scale_in_cooldown=120), [], ["worker-cpu-target"]),
        (lambda read: read["scaling_policies"].pop(3), [], ["agent-cpu-step"]),
        (lambda read: read["scaling_policies"][2]["step_scaling_policy_configuration"]["step_adjustments"].pop(), [], ["worker-cpu-step"]),
        (lambda read: read["scaling_policies"][0].update(policy_type="StepScaling"), [], ["web-requests-target"]),
    ],
)
def test_drift_is_found_where_the_modules_would_write(drift, targets, policies):
    plan = plan_of(SERVICES, CONTEXT)
    read = converged_read(plan)
    read["scaling_policies"].sort(
        key=lambda policy: ["web-requests-target", "worker-cpu-target", "worker-cpu-step", "agent-cpu-step"].index(policy["policy_name"])
    )
    drift(read)
    changes = changes_of(plan, read, TAGS)
    assert (changes["targets"], changes["policies"]) == (targets, policies)


CUSTOMIZED = {"MetricName": "CPUUtilization", "Namespace": "AWS/ECS", "Dimensions": [{"Name": "ServiceName", "Value": "worker"}], "Statistic": "Average"}


@pytest.mark.parametrize(
    "current_configuration",
    [
        {
            "TargetValue": 55.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
            "ScaleInCooldown": 300,
            "ScaleOutCooldown": 60,
        },
        {
            "TargetValue": 55.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
            "ScaleInCooldown": 120,
            "ScaleOutCooldown": 60,
        },
        {"TargetValue": 55.0, "CustomizedMetricSpecification": CUSTOMIZED, "ScaleInCooldown": 300, "ScaleOutCooldown": 60},
        {
            "TargetValue": 55.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
            "ScaleInCooldown": 300,
            "ScaleOutCooldown": 60,
            "DisableScaleIn": True,
        },
        {"TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"}},
    ],
)
def test_policy_comparison_agrees_with_the_write_module(current_configuration):
    """policy_view_differs on the info module's view answers what the write module's rule answers on the API shape."""
    policy = plan_of(SERVICES, CONTEXT)[1]["policies"]["cpu_target"]
    current = {
        "PolicyName": "worker-cpu-target",
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": copy.deepcopy(current_configuration),
    }
    module_says = planned_policy_configuration(current, "TargetTrackingScaling", option_configuration("TargetTrackingScaling", policy["configuration"]))[1]
    assert policy_view_differs(scaling_policy_result(current), "TargetTrackingScaling", policy["configuration"]) is module_says
