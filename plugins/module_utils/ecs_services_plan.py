# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The decisions of the role hybridcloud.aws.ecs_services, in Python: the service plan (containers, placement, task
roles, task counts, scaling policies in the write modules' option names) and which scaling writes a run needs,
compared with the rules of application_autoscaling_target / _scaling_policy (module_utils.application_autoscaling)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import policy_view_differs
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import scalable_target_view_differs
from ansible_collections.hybridcloud.aws.plugins.module_utils.ecs import task_definition_differs


def plain(value):
    """Ansible's templated containers as plain dicts and lists (amazon.aws's tag helpers copy what they are given)."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def _image(service, context):
    if service.get("image"):
        return service["image"]
    uris = context.get("repository_uris") or {}
    return "%s:%s" % (uris.get(service.get("repository") or "", ""), service.get("tag", ""))


def container_definition(service, context):
    """The container definition of a service, in the API's shape."""
    image = _image(service, context)
    credentials_arn = context.get("registry_credentials_arn") or ""
    use_credentials = service.get("registry_credentials")
    if use_credentials is None:
        use_credentials = bool(credentials_arn) and ".dkr.ecr." not in image
    container = {
        "name": service["name"],
        "image": image,
        "essential": True,
        "cpu": int(service.get("cpu", 256)),
        "memory": int(service.get("memory", 512)),
        "environment": [{"name": key, "value": str(value)} for key, value in sorted((service.get("environment") or {}).items())],
    }
    if service.get("container_port") is not None:
        container["portMappings"] = [{"containerPort": int(service["container_port"]), "hostPort": int(service.get("host_port", 0)), "protocol": "tcp"}]
    if service.get("command") is not None:
        container["command"] = service["command"]
    if use_credentials:
        container["repositoryCredentials"] = {"credentialsParameter": credentials_arn}
    container.update(service.get("container") or {})
    return container


def cpu_alarm(service, cluster_name, threshold):
    """The CloudWatch alarm that triggers a service's step scaling policy, in amazon.aws.cloudwatch_metric_alarm's option
    names (its alarm_actions, the policy's ARN, known only once the policy exists, left out)."""
    return {
        "name": "%s-%s-cpu-high" % (cluster_name, service["name"]),
        "description": "CPU of %s above %d percent; scales out in steps" % (service["name"], int(threshold)),
        "namespace": "AWS/ECS",
        "metric_name": "CPUUtilization",
        "dimensions": {"ClusterName": cluster_name, "ServiceName": service["name"]},
        "statistic": "Average",
        "comparison": "GreaterThanOrEqualToThreshold",
        "threshold": threshold,
        "period": 60,
        "evaluation_periods": 2,
        "unit": "Percent",
        "treat_missing_data": "notBreaching",
    }


def scaling_policies(service, resource_label, cluster_name=""):
    """The scaling policies of a scaled service by kind, in application_autoscaling_scaling_policy's option names; the
    step scaling policy with the alarm that triggers it (cpu_alarm)."""
    scaling = service.get("autoscaling") or {}
    if not scaling:
        return {}
    scale_in, scale_out = int(scaling.get("scale_in_cooldown", 300)), int(scaling.get("scale_out_cooldown", 60))
    policies = {}
    if float(scaling.get("cpu_target", 60)) > 0:
        policies["cpu_target"] = {
            "policy_name": service["name"] + "-cpu-target",
            "policy_type": "TargetTrackingScaling",
            "configuration": {
                "predefined_metric_specification": {"predefined_metric_type": "ECSServiceAverageCPUUtilization"},
                "target_value": float(scaling.get("cpu_target", 60)),
                "scale_in_cooldown": scale_in,
                "scale_out_cooldown": scale_out,
            },
        }
    if scaling.get("requests_per_target") is not None:
        policies["requests_target"] = {
            "policy_name": service["name"] + "-requests-target",
            "policy_type": "TargetTrackingScaling",
            "configuration": {
                "predefined_metric_specification": {"predefined_metric_type": "ALBRequestCountPerTarget", "resource_label": resource_label},
                "target_value": float(scaling["requests_per_target"]),
                "scale_in_cooldown": scale_in,
                "scale_out_cooldown": scale_out,
            },
        }
    if float(scaling.get("step_cpu_threshold", 85)) > 0:
        step = int(scaling.get("step_adjustment", 2))
        policies["cpu_step"] = {
            "policy_name": service["name"] + "-cpu-step",
            "policy_type": "StepScaling",
            "threshold": float(scaling.get("step_cpu_threshold", 85)),
            "alarm": cpu_alarm(service, cluster_name, float(scaling.get("step_cpu_threshold", 85))),
            "configuration": {
                "adjustment_type": "ChangeInCapacity",
                "cooldown": scale_out,
                "metric_aggregation_type": "Average",
                "step_adjustments": [
                    {"metric_interval_lower_bound": 0.0, "metric_interval_upper_bound": 15.0, "scaling_adjustment": step},
                    {"metric_interval_lower_bound": 15.0, "scaling_adjustment": 2 * step},
                ],
            },
        }
    return policies


def _resource_label(load_balancer_arn, target_group_arn):
    """The ALBRequestCountPerTarget resource label: app/<lb>/<id>/targetgroup/<tg>/<id>."""
    if not load_balancer_arn or not target_group_arn:
        return ""
    return "%s/targetgroup/%s" % (load_balancer_arn.split(":loadbalancer/")[-1], target_group_arn.split(":targetgroup/")[-1])


def services_plan(services, context):
    services, context = plain(services), plain(context)
    cluster_name = context["cluster_name"]
    current_counts = {
        found["serviceName"]: found.get("desiredCount")
        for found in context.get("current_services") or []
        if found.get("status") == "ACTIVE" and "serviceName" in found
    }
    target_group_arns = context.get("target_group_arns") or {}
    plan = []
    for service in services or []:
        placement = service.get("placement", "ec2")
        target_group_arn = target_group_arns.get(service["target_group"], "") if service.get("target_group") else ""
        default_constraints = [{"type": "memberOf", "expression": context.get("external_constraint", "")}] if placement == "external" else []
        scaled = bool(service.get("autoscaling"))
        desired = int(service.get("desired_count", 1))
        plan.append(
            {
                "name": service["name"],
                "placement": placement,
                "container": container_definition(service, context),
                "desired_count": current_counts[service["name"]] if scaled and service["name"] in current_counts else desired,
                "target_group_arn": target_group_arn,
                "container_port": int(service.get("container_port", 0)),
                "placement_constraints": service.get("placement_constraints", default_constraints),
                "autoscaling": service.get("autoscaling") or {},
                "task_role_arn": service.get("task_role_arn") or "",
                "task_role_name": "%s-%s-task" % (cluster_name, service["name"]),
                "task_role_policy": service.get("task_role_policy"),
                "task_role_managed_policies": service.get("task_role_managed_policies") or [],
                "task_role_description": "ECS task role of the %s service of the %s cluster" % (service["name"], cluster_name),
                "resource_id": "service/%s/%s" % (cluster_name, service["name"]),
                "policies": scaling_policies(service, _resource_label(context.get("load_balancer_arn"), target_group_arn), cluster_name),
            }
        )
    return plan


def scaling_changes(plan, read, tags):
    """What the role's scaling write tasks must run for, given the plan and what application_autoscaling_info read.

    Returns targets (service names whose scalable target is missing or differs in limits or tags), policies (names of
    the policies missing or that application_autoscaling_scaling_policy would change) and policy_arns (name -> ARN of
    the policies that exist)."""
    plan, read, tags = plain(plan), plain(read or {}), plain(tags)
    targets = {target.get("resource_id"): target for target in read.get("scalable_targets") or []}
    found = {(policy.get("resource_id"), policy.get("policy_name")): policy for policy in read.get("scaling_policies") or []}
    changes = {"targets": [], "policies": [], "policy_arns": {}}
    for service in plan or []:
        if not service.get("autoscaling"):
            continue
        scaling = service["autoscaling"]
        if scalable_target_view_differs(targets.get(service["resource_id"]), int(scaling["min_tasks"]), int(scaling["max_tasks"]), tags):
            changes["targets"].append(service["name"])
        for policy in service["policies"].values():
            current = found.get((service["resource_id"], policy["policy_name"]))
            if current and current.get("policy_arn"):
                changes["policy_arns"][policy["policy_name"]] = current["policy_arn"]
            if policy_view_differs(current, policy["policy_type"], policy["configuration"]):
                changes["policies"].append(policy["policy_name"])
    return changes


def wanted_task_definition(service, execution_role_arn, task_role_arn):
    """The task definition the role registers for a planned service, in the API's shape (what
    community.aws.ecs_taskdefinition registers for an EC2 service, ecs_external_task_definition for an external one)."""
    definition = {
        "family": service["name"],
        "networkMode": "bridge",
        "requiresCompatibilities": ["EXTERNAL" if service["placement"] == "external" else "EC2"],
        "containerDefinitions": [service["container"]],
    }
    if execution_role_arn:
        definition["executionRoleArn"] = execution_role_arn
    if task_role_arn:
        definition["taskRoleArn"] = task_role_arn
    return definition


def task_definition_changes(plan, read, execution_role_arn, task_role_arns):
    """Which services need a new task definition revision, given what ecs_task_definition_info read.

    Returns register (names of the services whose family has no ACTIVE revision or whose latest revision differs from
    the wanted definition, compared as ecs_external_task_definition compares: ecs.task_definition_differs) and arns
    (name -> ARN of the latest revision, for the services whose latest revision is the wanted one)."""
    plan, read, task_role_arns = plain(plan), plain(read or {}), plain(task_role_arns or {})
    latest = {found["family"]: found for found in read.get("task_definitions") or []}
    changes = {"register": [], "arns": {}}
    for service in plan or []:
        found = latest.get(service["name"])
        wanted = wanted_task_definition(service, execution_role_arn, task_role_arns.get(service["name"]))
        if found is None or task_definition_differs(found.get("comparable"), wanted):
            changes["register"].append(service["name"])
        else:
            changes["arns"][service["name"]] = found["task_definition_arn"]
    return changes
