"""ecs_services_writes: from one read of the ECS services layer, which write modules the role must run. Each comparison
is its write module's: the layer a converged run leaves compares equal, and each drift names exactly its write."""

import copy

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.ecs_services_writes import FilterModule
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import normalize_task_definition
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_services_layer import comparable_metric_alarm
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_services_layer import metric_alarm_params
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_services_plan import services_plan
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs_services_plan import wanted_task_definition

writes_of = FilterModule().filters()["ecs_services_writes"]

ACCOUNT = "123456789012"
PREFIX = f"arn:aws:iam::{ACCOUNT}:role/"
TAGS = {"Project": "hybridcloud"}
SECRET = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:dockerhub"
TARGET_GROUP = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/web/0123"
EXECUTION_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
TASK_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        }
    ],
}
REGISTRY_POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": SECRET}]}
DEPLOYMENT = {"minimum_healthy_percent": "100", "maximum_percent": 200, "deployment_circuit_breaker": {"enable": True, "rollback": "true"}}
SERVICES = [
    {"name": "web", "repository": "web", "tag": "1.0", "container_port": 8080, "target_group": "web", "desired_count": 2},
    {
        "name": "worker",
        "image": "busybox:1.36",
        "task_role_policy": {"Version": "2012-10-17", "Statement": []},
        "autoscaling": {"min_tasks": 1, "max_tasks": 4},
    },
    {"name": "agent", "placement": "external", "image": "nginx:1.27", "task_role_arn": PREFIX + "given"},
]


def plan_of(services=None, current=()):
    context = {
        "cluster_name": "hybridcloud",
        "repository_uris": {"web": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/web"},
        "registry_credentials_arn": SECRET,
        "target_group_arns": {"web": TARGET_GROUP},
        "external_constraint": "attribute:location == onprem",
        "current_services": list(current),
    }
    return services_plan(SERVICES if services is None else services, context)


def wanted_of(plan, registry_credentials=True):
    return {
        "plan": plan,
        "tags": TAGS,
        "role_arn_prefix": PREFIX,
        "execution_role": {
            "name": "hybridcloud-task-execution",
            "description": "execution",
            "assume_role_policy_document": EXECUTION_TRUST,
            "managed_policies": ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
        },
        "execution_policy": {"name": "registry-credentials", "document": REGISTRY_POLICY if registry_credentials else {}},
        "task_role": {"assume_role_policy_document": TASK_TRUST, "policy_name": "task"},
        "ec2_service": {"propagate_tags": "SERVICE", "health_check_grace_period_seconds": "60"},
        "external_service": {"placement_strategy": [{"type": "spread", "field": "instanceId"}], "deployment_configuration": DEPLOYMENT},
    }


def role(name, description, trust, managed=(), inline=None):
    return {
        "arn": PREFIX + name,
        "role_name": name,
        "path": "/",
        "description": description,
        "assume_role_policy_document": trust,
        "tags": dict(TAGS),
        "managed_policy_arns": list(managed),
        "inline_policies": inline or {},
    }


def converged(plan):
    """The layer a converged run leaves: what each write module wrote, as the read returns it."""
    wanted = wanted_of(plan)
    execution = wanted["execution_role"]
    roles = {
        execution["name"]: role(
            execution["name"], execution["description"], EXECUTION_TRUST, execution["managed_policies"], {"registry-credentials": REGISTRY_POLICY}
        )
    }
    definitions, services, targets, policies, alarms = [], [], [], [], {}
    for service in plan:
        name = service["name"]
        task_role_arn = service["task_role_arn"]
        if not task_role_arn:
            inline = {"task": service["task_role_policy"]} if service["task_role_policy"] else {}
            roles[service["task_role_name"]] = role(service["task_role_name"], service["task_role_description"], TASK_TRUST, inline=inline)
            task_role_arn = PREFIX + service["task_role_name"]
        definition_arn = f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/{name}:1"
        definition = wanted_task_definition(service, PREFIX + execution["name"], task_role_arn)
        definitions.append({"family": name, "task_definition_arn": definition_arn, "revision": 1, "comparable": normalize_task_definition(definition)})
        found = {
            "serviceArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/hybridcloud/{name}",
            "serviceName": name,
            "status": "ACTIVE",
            "taskDefinition": definition_arn,
            "desiredCount": service["desired_count"],
            "tags": dict(TAGS),
        }
        if service["placement"] == "external":
            found.update(
                launchType="EXTERNAL",
                placementConstraints=service["placement_constraints"],
                placementStrategy=[{"type": "spread", "field": "instanceId"}],
                deploymentConfiguration={"minimumHealthyPercent": 100, "maximumPercent": 200, "deploymentCircuitBreaker": {"enable": True, "rollback": True}},
            )
        else:
            load_balancers = [{"targetGroupArn": TARGET_GROUP, "containerName": name, "containerPort": 8080}] if service["target_group_arn"] else []
            found.update(loadBalancers=load_balancers, propagateTags="SERVICE", enableExecuteCommand=False)
            if service["target_group_arn"]:
                found["healthCheckGracePeriodSeconds"] = 60
        services.append(found)
        if service["autoscaling"]:
            targets.append({"resource_id": service["resource_id"], "min_capacity": 1, "max_capacity": 4, "tags": dict(TAGS), "suspended_state": {}})
            for policy in service["policies"].values():
                kind = "step_scaling_policy_configuration" if policy["policy_type"] == "StepScaling" else "target_tracking_scaling_policy_configuration"
                policies.append(
                    {
                        "resource_id": service["resource_id"],
                        "policy_name": policy["policy_name"],
                        "policy_arn": "arn:policy/" + policy["policy_name"],
                        "policy_type": policy["policy_type"],
                        kind: copy.deepcopy(policy["configuration"]),
                    }
                )
                if "alarm" in policy:
                    params = metric_alarm_params(dict(policy["alarm"], alarm_actions=["arn:policy/" + policy["policy_name"]]))
                    alarms[policy["alarm"]["name"]] = comparable_metric_alarm(dict(params, AlarmArn="arn:alarm", StateValue="OK", ActionsEnabled=True))
    return {"services": services, "task_definitions": definitions, "roles": roles, "scalable_targets": targets, "scaling_policies": policies, "alarms": alarms}


def differing(writes):
    """Only the writes that must run."""
    found = {key: value for key, value in writes.items() if key in ("execution_role", "execution_policy", "scalable_targets", "scaling_policies") and value}
    for key in ("task_roles", "task_role_policies", "task_definitions", "services", "alarms"):
        found.update({f"{key}.{name}": value for name, value in writes[key].items() if value})
    return found


def test_a_converged_layer_needs_no_write_and_hands_the_arns_on():
    plan = plan_of()
    writes = writes_of(converged(plan), wanted_of(plan))
    assert differing(writes) == {}
    assert writes["execution_role_arn"] == PREFIX + "hybridcloud-task-execution"
    assert writes["task_role_arns"] == {"web": PREFIX + "hybridcloud-web-task", "worker": PREFIX + "hybridcloud-worker-task", "agent": PREFIX + "given"}
    assert writes["task_definition_arns"] == {name: f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/{name}:1" for name in ("web", "worker", "agent")}
    assert sorted(writes["service_arns"]) == ["agent", "web", "worker"]
    assert writes["policy_arns"]["worker-cpu-step"] == "arn:policy/worker-cpu-step"
    # A service naming its own task role gets no role and no policy write.
    assert "agent" not in writes["task_roles"] and "agent" not in writes["task_role_policies"]


def test_an_empty_account_needs_every_write():
    plan = plan_of()
    writes = writes_of({}, wanted_of(plan))
    assert differing(writes) == {
        "execution_role": ["missing"],
        "execution_policy": ["missing"],
        "task_roles.web": ["missing"],
        "task_roles.worker": ["missing"],
        "task_role_policies.worker": ["missing"],
        "task_definitions.web": ["missing"],
        "task_definitions.worker": ["missing"],
        "task_definitions.agent": ["missing"],
        "services.web": ["missing"],
        "services.worker": ["missing"],
        "services.agent": ["missing"],
        "scalable_targets": ["worker"],
        "scaling_policies": ["worker-cpu-target", "worker-cpu-step"],
        "alarms.worker": ["missing"],
    }
    assert (writes["execution_role_arn"], writes["task_role_arns"], writes["service_arns"]) == ("", {"agent": PREFIX + "given"}, {})


def test_roles_that_are_gone_are_compared_by_the_arn_they_will_have():
    # The task definitions name the roles by ARN; a deleted role written again has the same ARN, so no new revision.
    plan = plan_of()
    layer = converged(plan)
    layer["roles"] = {}
    writes = differing(writes_of(layer, wanted_of(plan)))
    assert writes["task_roles.web"] == ["missing"] and writes["execution_role"] == ["missing"]
    assert not any(key.startswith(("task_definitions.", "services.")) for key in writes)


@pytest.mark.parametrize(
    ("drift", "expected"),
    [
        (lambda layer: layer["roles"]["hybridcloud-task-execution"]["tags"].update(Environment="x"), {"execution_role": ["tags"]}),
        (lambda layer: layer["roles"]["hybridcloud-web-task"].update(description="by hand"), {"task_roles.web": ["description"]}),
        (lambda layer: layer["roles"]["hybridcloud-web-task"].update(managed_policy_arns=["arn:extra"]), {"task_roles.web": ["managed_policies"]}),
        (
            lambda layer: layer["roles"]["hybridcloud-task-execution"]["inline_policies"].update({"registry-credentials": {"Statement": []}}),
            {"execution_policy": ["policy"]},
        ),
        # A policy the service does not declare is removed; one it declares and is gone is written.
        (lambda layer: layer["roles"]["hybridcloud-web-task"]["inline_policies"].update(task={"Statement": []}), {"task_role_policies.web": ["present"]}),
        (lambda layer: layer["roles"]["hybridcloud-worker-task"].update(inline_policies={}), {"task_role_policies.worker": ["missing"]}),
        # A revision that differs: a new one, and the service moves to it.
        (
            lambda layer: layer["task_definitions"][0]["comparable"]["containerDefinitions"][0].update(image="other"),
            {"task_definitions.web": ["definition"], "services.web": ["task_definition"]},
        ),
        (lambda layer: layer["services"][0].update(desiredCount=5), {"services.web": ["desired_count"]}),
        (lambda layer: layer["services"][0].update(loadBalancers=[]), {"services.web": ["load_balancers"]}),
        (lambda layer: layer["services"][0].update(tags={}), {"services.web": ["tags"]}),
        (lambda layer: layer["services"][2]["deploymentConfiguration"].update(minimumHealthyPercent=50), {"services.agent": ["deploymentConfiguration"]}),
        (lambda layer: layer["services"][2].update(placementConstraints=[]), {"services.agent": ["placementConstraints"]}),
        (lambda layer: layer["services"][2]["tags"].update(Extra="1"), {"services.agent": ["tags"]}),
        (lambda layer: layer["services"][2].update(launchType="EC2"), {"services.agent": ["launch_type"]}),
        (lambda layer: layer["scalable_targets"][0].update(max_capacity=9), {"scalable_targets": ["worker"]}),
        (lambda layer: layer["alarms"]["hybridcloud-worker-cpu-high"].update(Threshold=95.0), {"alarms.worker": ["Threshold"]}),
        (lambda layer: layer["alarms"].clear(), {"alarms.worker": ["missing"]}),
    ],
)
def test_each_drift_names_exactly_its_write(drift, expected):
    plan = plan_of()
    layer = converged(plan)
    drift(layer)
    assert differing(writes_of(layer, wanted_of(plan))) == expected


def test_a_scaled_service_keeps_the_count_auto_scaling_gave_it():
    layer = converged(plan_of())
    layer["services"][1]["desiredCount"] = 3
    plan = plan_of(current=layer["services"])
    assert differing(writes_of(layer, wanted_of(plan))) == {}


def test_a_step_policy_written_in_this_run_rewrites_its_alarm():
    plan = plan_of()
    layer = converged(plan)
    layer["scaling_policies"] = [policy for policy in layer["scaling_policies"] if policy["policy_name"] != "worker-cpu-step"]
    writes = differing(writes_of(layer, wanted_of(plan)))
    assert writes == {"scaling_policies": ["worker-cpu-step"], "alarms.worker": ["alarm_actions"]}


def test_without_registry_credentials_no_execution_policy_is_written():
    plan = plan_of()
    layer = converged(plan)
    layer["roles"]["hybridcloud-task-execution"]["inline_policies"] = {}
    assert differing(writes_of(layer, wanted_of(plan, registry_credentials=False))) == {}


def test_a_deleted_family_and_service_are_written_again():
    plan = plan_of()
    layer = converged(plan)
    layer["task_definitions"] = layer["task_definitions"][1:]
    layer["services"] = layer["services"][1:]
    assert differing(writes_of(layer, wanted_of(plan))) == {"task_definitions.web": ["missing"], "services.web": ["missing"]}


def test_an_ec2_service_running_a_matching_revision_that_is_not_the_latest_needs_none():
    # Someone registered web:2 by hand; web still runs web:1, which community.aws.ecs_taskdefinition would reuse.
    plan = plan_of()
    layer = converged(plan)
    running = copy.deepcopy(layer["task_definitions"][0])
    layer["task_definitions"][0]["comparable"]["containerDefinitions"][0]["image"] = "by-hand"
    layer["task_definitions"][0]["task_definition_arn"] = running["task_definition_arn"].replace(":1", ":2")
    layer["running_task_definitions"] = [running]
    writes = writes_of(layer, wanted_of(plan))
    assert differing(writes) == {}
    assert writes["task_definition_arns"]["web"] == running["task_definition_arn"]
    # Once web runs the hand-made revision, a write moves it back.
    layer["services"][0]["taskDefinition"] = layer["task_definitions"][0]["task_definition_arn"]
    layer["running_task_definitions"] = []
    assert differing(writes_of(layer, wanted_of(plan))) == {"task_definitions.web": ["definition"], "services.web": ["task_definition"]}
