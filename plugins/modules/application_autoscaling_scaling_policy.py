#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: application_autoscaling_scaling_policy
version_added: 0.1.0
short_description: Manage Application Auto Scaling target tracking and step scaling policies
description:
  - Creates, updates and deletes a scaling policy of an Application Auto Scaling scalable target, for example of
    the task count of an ECS service, either target tracking (keep a metric at a target value) or step scaling
    (change the capacity in steps when a CloudWatch alarm fires).
  - Compares with C(DescribeScalingPolicies) first and calls C(PutScalingPolicy) only when the configuration
    differs, so a second run changes nothing. Check mode makes no write call and reports what would change, with C(diff).
  - The scalable target must be registered first, with M(hybridcloud.aws.application_autoscaling_target). In check
    mode a policy of a target that is not registered yet is reported as to be created.
  - A step scaling policy acts only when a CloudWatch alarm names RV(scaling_policy.policy_arn) in its actions,
    for example with M(amazon.aws.cloudwatch_metric_alarm). Target tracking policies create and own their alarms.
  - Why not upstream M(community.aws.application_autoscaling_policy) - it registers the scalable target and writes
    the policy even in check mode, so a check run changes the account and cannot report what would change.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  policy_name:
    description:
      - Name of the policy, unique per scalable target.
    required: true
    type: str
  service_namespace:
    description:
      - Namespace of the scalable target, for example C(ecs).
    required: true
    type: str
  resource_id:
    description:
      - Identifier of the scalable target's resource, for an ECS service C(service/CLUSTER/SERVICE).
    required: true
    type: str
  scalable_dimension:
    description:
      - Scalable dimension of the target, for an ECS service C(ecs:service:DesiredCount).
    required: true
    type: str
  state:
    description:
      - Whether the policy should exist.
    choices: [present, absent]
    default: present
    type: str
  policy_type:
    description:
      - Kind of policy. Required with O(state=present).
      - A policy of another type with the same name is replaced.
    choices: [TargetTrackingScaling, StepScaling]
    type: str
  target_tracking_scaling_policy_configuration:
    description:
      - The target tracking configuration; required with O(policy_type=TargetTrackingScaling).
      - Options left unset keep their current value (AWS defaults on creation).
    type: dict
    aliases: [target_tracking]
    suboptions:
      target_value:
        description: Value the metric is kept at, for example 60 (percent CPU).
        type: float
        required: true
      predefined_metric_specification:
        description: A metric AWS defines for the service.
        type: dict
        suboptions:
          predefined_metric_type:
            description:
              - The metric, for example C(ECSServiceAverageCPUUtilization), C(ECSServiceAverageMemoryUtilization)
                or C(ALBRequestCountPerTarget).
            type: str
            required: true
          resource_label:
            description:
              - For C(ALBRequestCountPerTarget), C(app/LB-NAME/LB-ID/targetgroup/TG-NAME/TG-ID).
            type: str
      customized_metric_specification:
        description:
          - A CloudWatch metric of your own (C(metric_name), C(namespace), C(dimensions), C(statistic), C(unit), or
            C(metrics) for metric math), with the API's keys in snake_case.
        type: dict
      scale_out_cooldown:
        description: Seconds after a scale-out before the next scale-out activity.
        type: int
      scale_in_cooldown:
        description: Seconds after a scale-in before the next scale-in activity.
        type: int
      disable_scale_in:
        description: Whether the policy never scales in.
        type: bool
  step_scaling_policy_configuration:
    description:
      - The step scaling configuration; required with O(policy_type=StepScaling).
      - Options left unset keep their current value (AWS defaults on creation); O(step_scaling_policy_configuration.step_adjustments)
        is replaced as a whole.
    type: dict
    aliases: [step_scaling]
    suboptions:
      adjustment_type:
        description: How C(scaling_adjustment) is read.
        choices: [ChangeInCapacity, PercentChangeInCapacity, ExactCapacity]
        type: str
      step_adjustments:
        description: The steps, by the distance of the metric from the alarm threshold.
        type: list
        elements: dict
        suboptions:
          metric_interval_lower_bound:
            description: Lower bound of the step (inclusive), relative to the threshold; unset is minus infinity.
            type: float
          metric_interval_upper_bound:
            description: Upper bound of the step (exclusive), relative to the threshold; unset is infinity.
            type: float
          scaling_adjustment:
            description: Capacity change in this step.
            type: int
            required: true
      min_adjustment_magnitude:
        description: Smallest change with C(PercentChangeInCapacity).
        type: int
      cooldown:
        description: Seconds after a scaling activity before the next one.
        type: int
      metric_aggregation_type:
        description: How the alarm's metric data points are aggregated.
        choices: [Average, Minimum, Maximum]
        type: str
notes:
  - Supports C(check_mode) and C(diff).
  - Predictive scaling policies are not supported.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Keep the web service's average CPU at 60 percent
  hybridcloud.aws.application_autoscaling_scaling_policy:
    policy_name: web-cpu-target
    service_namespace: ecs
    resource_id: service/prod/web
    scalable_dimension: ecs:service:DesiredCount
    policy_type: TargetTrackingScaling
    target_tracking_scaling_policy_configuration:
      predefined_metric_specification:
        predefined_metric_type: ECSServiceAverageCPUUtilization
      target_value: 60
      scale_in_cooldown: 300
      scale_out_cooldown: 60

- name: Add 2 tasks above the alarm threshold, 4 from 15 points above it
  hybridcloud.aws.application_autoscaling_scaling_policy:
    policy_name: web-cpu-step
    service_namespace: ecs
    resource_id: service/prod/web
    scalable_dimension: ecs:service:DesiredCount
    policy_type: StepScaling
    step_scaling_policy_configuration:
      adjustment_type: ChangeInCapacity
      cooldown: 60
      metric_aggregation_type: Average
      step_adjustments:
        - metric_interval_lower_bound: 0
          metric_interval_upper_bound: 15
          scaling_adjustment: 2
        - metric_interval_lower_bound: 15
          scaling_adjustment: 4
  register: step

- name: The alarm that triggers the step policy
  amazon.aws.cloudwatch_metric_alarm:
    name: prod-web-cpu-high
    namespace: AWS/ECS
    metric_name: CPUUtilization
    dimensions: {ClusterName: prod, ServiceName: web}
    statistic: Average
    comparison: GreaterThanOrEqualToThreshold
    threshold: 85
    period: 60
    evaluation_periods: 2
    alarm_actions: ["{{ step.scaling_policy.policy_arn }}"]
  when: step.scaling_policy.policy_arn is defined  # not known in check mode before the policy exists
"""

RETURN = r"""
scaling_policy:
  description:
    - The policy after the change; empty when it does not exist.
    - In check mode, what the policy would look like; a policy still to be created has no ARN yet.
  returned: always
  type: dict
  contains:
    policy_name:
      description: Name of the policy.
      type: str
      sample: web-cpu-target
    policy_arn:
      description: ARN of the policy, the action a CloudWatch alarm names to trigger a step scaling policy.
      type: str
      sample: "arn:aws:autoscaling:eu-central-1:123456789012:scalingPolicy:6d8972f3-...:resource/ecs/service/prod/web:policyName/web-cpu-step"
    policy_type:
      description: C(TargetTrackingScaling) or C(StepScaling).
      type: str
      sample: TargetTrackingScaling
    service_namespace:
      description: Namespace of the scalable target.
      type: str
      sample: ecs
    resource_id:
      description: Resource of the scalable target.
      type: str
      sample: service/prod/web
    scalable_dimension:
      description: Scalable dimension of the target.
      type: str
      sample: ecs:service:DesiredCount
    target_tracking_scaling_policy_configuration:
      description: The target tracking configuration (target tracking policies).
      type: dict
      sample: {"predefined_metric_specification": {"predefined_metric_type": "ECSServiceAverageCPUUtilization"}, "target_value": 60.0,
               "scale_in_cooldown": 300, "scale_out_cooldown": 60}
    step_scaling_policy_configuration:
      description: The step scaling configuration (step scaling policies).
      type: dict
      sample: {"adjustment_type": "ChangeInCapacity", "cooldown": 60, "metric_aggregation_type": "Average",
               "step_adjustments": [{"metric_interval_lower_bound": 0.0, "metric_interval_upper_bound": 15.0, "scaling_adjustment": 2}]}
    alarms:
      description: The CloudWatch alarms a target tracking policy created for itself.
      type: list
      elements: dict
      sample: [{"alarm_name": "TargetTracking-service/prod/web-AlarmHigh-...", "alarm_arn": "arn:aws:cloudwatch:..."}]
    creation_time:
      description: When the policy was created.
      type: str
      sample: "2026-05-04T10:11:12.123000+00:00"
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import POLICY_CONFIGURATION_KEYS
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import AnsibleApplicationAutoScalingError
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import delete_scaling_policy
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import describe_scaling_policy
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import planned_policy_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import put_scaling_policy
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import scaling_policy_result
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import step_scaling_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import target_key
from ansible_collections.hybridcloud.aws.plugins.module_utils.application_autoscaling import target_tracking_configuration


def wanted_configuration(module):
    params = module.params
    if params["policy_type"] == "TargetTrackingScaling":
        options = params["target_tracking_scaling_policy_configuration"]
        if not options.get("predefined_metric_specification") and not options.get("customized_metric_specification"):
            module.fail_json(msg="target_tracking_scaling_policy_configuration needs predefined_metric_specification or customized_metric_specification")
        return target_tracking_configuration(options)
    options = params["step_scaling_policy_configuration"]
    return step_scaling_configuration(options)


def error_code(error):
    return ((getattr(error, "response", None) or {}).get("Error") or {}).get("Code")


def planned_policy(current, key, name, policy_type, configuration):
    """What the policy looks like after the change, in the API's shape (the current ARN and alarms kept)."""
    planned = dict(key, PolicyName=name, PolicyType=policy_type)
    planned[POLICY_CONFIGURATION_KEYS[policy_type]] = configuration
    if current is not None:
        for field in ("PolicyARN", "CreationTime") + (("Alarms",) if current.get("PolicyType") == policy_type else ()):
            if field in current:
                planned[field] = current[field]
    return planned


def ensure_present(module, client, key, current):
    params = module.params
    name, policy_type = params["policy_name"], params["policy_type"]
    configuration, changed = planned_policy_configuration(current, policy_type, wanted_configuration(module))
    if not changed:
        return False, current
    if module.check_mode:
        return True, planned_policy(current, key, name, policy_type, configuration)
    try:
        put_scaling_policy(client, key, name, policy_type, configuration)
    except AnsibleApplicationAutoScalingError as e:
        if error_code(e.exception) == "ObjectNotFoundException":
            module.fail_json_aws(
                e.exception,
                msg=f"No scalable target is registered for {key['ResourceId']} ({key['ScalableDimension']}); register it first "
                "with hybridcloud.aws.application_autoscaling_target",
            )
        raise
    return True, describe_scaling_policy(client, key, name)


def main():
    step_adjustment = dict(
        metric_interval_lower_bound=dict(type="float"),
        metric_interval_upper_bound=dict(type="float"),
        scaling_adjustment=dict(type="int", required=True),
    )
    argument_spec = dict(
        policy_name=dict(type="str", required=True),
        service_namespace=dict(type="str", required=True),
        resource_id=dict(type="str", required=True),
        scalable_dimension=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        policy_type=dict(type="str", choices=["TargetTrackingScaling", "StepScaling"]),
        target_tracking_scaling_policy_configuration=dict(
            type="dict",
            aliases=["target_tracking"],
            options=dict(
                target_value=dict(type="float", required=True),
                predefined_metric_specification=dict(
                    type="dict",
                    options=dict(predefined_metric_type=dict(type="str", required=True), resource_label=dict(type="str")),
                ),
                customized_metric_specification=dict(type="dict"),
                scale_out_cooldown=dict(type="int"),
                scale_in_cooldown=dict(type="int"),
                disable_scale_in=dict(type="bool"),
            ),
            mutually_exclusive=[("predefined_metric_specification", "customized_metric_specification")],
        ),
        step_scaling_policy_configuration=dict(
            type="dict",
            aliases=["step_scaling"],
            options=dict(
                adjustment_type=dict(type="str", choices=["ChangeInCapacity", "PercentChangeInCapacity", "ExactCapacity"]),
                step_adjustments=dict(type="list", elements="dict", options=step_adjustment),
                min_adjustment_magnitude=dict(type="int"),
                cooldown=dict(type="int"),
                metric_aggregation_type=dict(type="str", choices=["Average", "Minimum", "Maximum"]),
            ),
        ),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[
            ("state", "present", ["policy_type"]),
            ("policy_type", "TargetTrackingScaling", ["target_tracking_scaling_policy_configuration"]),
            ("policy_type", "StepScaling", ["step_scaling_policy_configuration"]),
        ],
    )
    params = module.params
    client = module.client("application-autoscaling")
    key = target_key(params)

    try:
        current = describe_scaling_policy(client, key, params["policy_name"])
        if params["state"] == "absent":
            changed, after = current is not None, None
            if changed and not module.check_mode:
                delete_scaling_policy(client, key, params["policy_name"])
        else:
            changed, after = ensure_present(module, client, key, current)
    except AnsibleApplicationAutoScalingError as e:
        module.fail_json_aws_error(e)

    before_view, after_view = scaling_policy_result(current), scaling_policy_result(after)
    module.exit_json(changed=changed, scaling_policy=after_view, diff={"before": before_view, "after": after_view})


if __name__ == "__main__":
    main()
