"""Application Auto Scaling: scaling policies and scalable targets as AWS keeps them.

moto ignores PolicyNames and matches ResourceId and ScalableDimension as substrings of the asked value, so a service
with several policies (target tracking and step scaling) answers with the wrong one first; community.aws's
application_autoscaling_policy then compares or returns the wrong policy. Here:
- PolicyNames (up to 50), ResourceId and ScalableDimension filter by exact match, within the ServiceNamespace;
- paging follows MaxResults (1-50, default 50) and NextToken, and an unknown NextToken is refused with InvalidNextTokenException.

Scalable targets and policies, where moto differs from AWS:
- RegisterScalableTarget needs MinCapacity and MaxCapacity for a new target and refuses MinCapacity > MaxCapacity
  (ValidationException); it tags a new target with Tags; a target always has a SuspendedState (all false unless set)
  and, for ECS, the service-linked role as RoleARN.
- RegisterScalableTarget of an ECS service's DesiredCount moves the service's desired count into the new range at
  once, as Application Auto Scaling does (a minimum raised above the current count scales out to it, a maximum lowered
  below it scales in), unless dynamic scaling out (or in) is suspended. moto left the count where it was, so a
  service raised from 0 to a minimum of 2 (a disaster recovery failover) stayed at 0 tasks.
- PutScalingPolicy needs a registered scalable target (ObjectNotFoundException); updating a policy keeps its ARN and
  creation time and replaces the CloudWatch alarms of a target tracking policy instead of leaving the old ones behind.
- DeregisterScalableTarget deletes the target's scaling policies (and their alarms) with it, and answers
  ObjectNotFoundException for an unknown target.
- TagResource, UntagResource and ListTagsForResource (missing in moto) work on scalable target ARNs: tags are a
  map, at most 50 per target (TooManyTagsException), and an unknown ARN is ResourceNotFoundException.
"""

from __future__ import annotations

import json
from typing import Any

from moto.applicationautoscaling import urls as applicationautoscaling_urls
from moto.applicationautoscaling.exceptions import AWSValidationException
from moto.applicationautoscaling.models import (
    ApplicationAutoscalingBackend,
    FakeApplicationAutoscalingPolicy,
    FakeScalableTarget,
    applicationautoscaling_backends,
)
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse, _build_policy
from moto.core.exceptions import JsonRESTError

from moto.ecs.models import ecs_backends

from awsemu import control, snapshots
from awsemu.extensions import paging
from awsemu.extensions._model_constraints import validate
from awsemu.extensions._moto_classes import urls_of, use_backend_class, use_response_class
from awsemu.extensions.ecs_tasks import LOCK as ECS_LOCK

SERVICE = "application-autoscaling"
MAX_POLICY_NAMES = 50
MAX_RESULTS = 50
MAX_TAGS = 50
NOTHING_SUSPENDED = {"DynamicScalingInSuspended": False, "DynamicScalingOutSuspended": False, "ScheduledScalingSuspended": False}
ECS_SERVICE_LINKED_ROLE = "role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService"


class InvalidNextTokenException(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("InvalidNextTokenException", "The NextToken value is not valid.")


class ObjectNotFoundException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ObjectNotFoundException", message)


class ResourceNotFoundException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ResourceNotFoundException", message)


class TooManyTagsException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("TooManyTagsException", message)


# Tags of scalable targets by target ARN (moto's targets carry none); emptied by the lab's reset.
TARGET_TAGS: dict[str, dict[str, str]] = {}


def _forget_tags() -> None:
    TARGET_TAGS.clear()


class LabApplicationAutoscalingBackend(ApplicationAutoscalingBackend):
    _url_module = property(lambda self: urls_of(ApplicationAutoscalingBackend))

    def _target(self, namespace: str, resource_id: str, dimension: str) -> FakeScalableTarget | None:
        target = self.targets.get(dimension, {}).get(resource_id)
        return target if target is not None and target.service_namespace == namespace else None

    def register_lab_target(self, params: dict[str, Any]) -> FakeScalableTarget:
        namespace, resource_id, dimension = params["ServiceNamespace"], params["ResourceId"], params["ScalableDimension"]
        low, high = params.get("MinCapacity"), params.get("MaxCapacity")
        existing = self._target(namespace, resource_id, dimension)
        if existing is None and (low is None or high is None):
            raise AWSValidationException("MinCapacity and MaxCapacity are required to register a new scalable target.")
        low = existing.min_capacity if low is None else low
        high = existing.max_capacity if high is None else high
        if low > high:
            raise AWSValidationException(f"Minimum capacity ({low}) cannot be greater than maximum capacity ({high}).")
        suspended = {**NOTHING_SUSPENDED, **((existing.suspended_state or {}) if existing else {}), **(params.get("SuspendedState") or {})}
        target = self.register_scalable_target(
            namespace, resource_id, dimension, params.get("MinCapacity"), params.get("MaxCapacity"), params.get("RoleARN"), suspended
        )
        if target.role_arn is None and namespace == "ecs":
            target.role_arn = f"arn:aws:iam::{self.account_id}:{ECS_SERVICE_LINKED_ROLE}"
        if existing is None and params.get("Tags"):
            self._set_tags(target.arn, params["Tags"])
        if namespace == "ecs" and dimension == "ecs:service:DesiredCount":
            self._hold_service_in_range(resource_id, low, high, suspended)
        return target

    def _hold_service_in_range(self, resource_id: str, low: int, high: int, suspended: dict[str, bool]) -> None:
        """The ECS service's desired count moved into low..high, as the scaling activity AWS starts would."""
        parts = resource_id.split("/")
        if len(parts) != 3:
            return
        with ECS_LOCK:
            service = ecs_backends[self.account_id][self.region_name].services.get(f"{parts[1]}:{parts[2]}")
            if service is None or service.status != "ACTIVE":
                return
            if service.desired_count < low and not suspended.get("DynamicScalingOutSuspended"):
                service.desired_count = low
            elif service.desired_count > high and not suspended.get("DynamicScalingInSuspended"):
                service.desired_count = high

    def deregister_lab_target(self, namespace: str, resource_id: str, dimension: str) -> None:
        if self._target(namespace, resource_id, dimension) is None:
            raise ObjectNotFoundException(
                f"No scalable target registered for service namespace: {namespace}, resource ID: {resource_id}, scalable dimension: {dimension}"
            )
        target = self.targets[dimension][resource_id]
        for key, policy in list(self.policies.items()):
            if (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == (namespace, resource_id, dimension):
                policy.delete_alarms(self.account_id, self.region_name)
                del self.policies[key]
        TARGET_TAGS.pop(target.arn, None)
        self.deregister_scalable_target(namespace, resource_id, dimension)

    def put_lab_policy(self, params: dict[str, Any]) -> FakeApplicationAutoscalingPolicy:
        namespace, resource_id, dimension = params["ServiceNamespace"], params["ResourceId"], params["ScalableDimension"]
        if self._target(namespace, resource_id, dimension) is None:
            raise ObjectNotFoundException(
                f"No scalable target registered for service namespace: {namespace}, resource ID: {resource_id}, scalable dimension: {dimension}"
            )
        key = FakeApplicationAutoscalingPolicy.formulate_key(namespace, resource_id, dimension, params["PolicyName"])
        old = self.policies.get(key)
        if old is not None:
            old.delete_alarms(self.account_id, self.region_name)
        body = params.get("StepScalingPolicyConfiguration") or params.get("TargetTrackingScalingPolicyConfiguration")
        policy = self.put_scaling_policy(params["PolicyName"], namespace, resource_id, dimension, body, params.get("PolicyType"))
        if old is not None:
            # AWS updates a policy in place: same ARN (it embeds the policy's id), same creation time.
            new_arn = policy.policy_arn
            policy.policy_arn, policy.creation_time = old.policy_arn, old.creation_time
            for alarm in policy.alarms:
                alarm.alarm_actions = [action.replace(new_arn, old.policy_arn) for action in alarm.alarm_actions]
        return policy

    # tags ----------------------------------------------------------------------------------------------------------

    def _target_by_arn(self, arn: str) -> FakeScalableTarget:
        for by_resource in self.targets.values():
            for target in by_resource.values():
                if target.arn == arn:
                    return target
        raise ResourceNotFoundException(f"No scalable target found for ARN {arn}.")

    def _set_tags(self, arn: str, tags: dict[str, str]) -> None:
        merged = dict(TARGET_TAGS.get(arn, {}), **tags)
        if len(merged) > MAX_TAGS:
            raise TooManyTagsException(f"A scalable target can have at most {MAX_TAGS} tags.")
        TARGET_TAGS[arn] = merged

    def tag_target(self, arn: str, tags: dict[str, str]) -> None:
        self._target_by_arn(arn)
        self._set_tags(arn, tags)

    def untag_target(self, arn: str, keys: list[str]) -> None:
        self._target_by_arn(arn)
        TARGET_TAGS[arn] = {key: value for key, value in TARGET_TAGS.get(arn, {}).items() if key not in keys}

    def target_tags(self, arn: str) -> dict[str, str]:
        self._target_by_arn(arn)
        return dict(TARGET_TAGS.get(arn, {}))

    def matching_scaling_policies(
        self, service_namespace: str, resource_id: str | None, scalable_dimension: str | None, policy_names: list[str] | None
    ) -> list[FakeApplicationAutoscalingPolicy]:
        if policy_names is not None and len(policy_names) > MAX_POLICY_NAMES:
            raise AWSValidationException(
                f"1 validation error detected: Value at 'policyNames' failed to satisfy constraint: Member must have length <= {MAX_POLICY_NAMES}"
            )
        return [
            policy
            for policy in self.policies.values()
            if policy.service_namespace == service_namespace
            and (not resource_id or policy.resource_id == resource_id)
            and (not scalable_dimension or policy.scalable_dimension == scalable_dimension)
            and (not policy_names or policy.policy_name in policy_names)
        ]


class LabApplicationAutoScalingResponse(ApplicationAutoScalingResponse):
    @property
    def lab_backend(self) -> LabApplicationAutoscalingBackend:
        return applicationautoscaling_backends[self.current_account][self.region]  # type: ignore[return-value]

    def describe_scaling_policies(self) -> str:
        self._validate_params()
        policies = self.lab_backend.matching_scaling_policies(
            self._get_param("ServiceNamespace"), self._get_param("ResourceId"), self._get_param("ScalableDimension"), self._get_param("PolicyNames")
        )
        limit = self._get_int_param("MaxResults") or MAX_RESULTS
        if not 1 <= limit <= MAX_RESULTS:
            raise AWSValidationException(
                f"1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must be between 1 and {MAX_RESULTS}"
            )
        page, token = paging.page(policies, limit, self._get_param("NextToken"), InvalidNextTokenException)
        answer: dict[str, Any] = {"ScalingPolicies": [_build_policy(policy) for policy in page]}
        if token:
            answer["NextToken"] = token
        return json.dumps(answer)

    def _params(self) -> dict[str, Any]:
        params = json.loads(self.body or "{}")
        validate(SERVICE, self._get_action(), params)
        return params

    def register_scalable_target(self) -> str:
        self._validate_params()
        target = self.lab_backend.register_lab_target(self._params())
        return json.dumps({"ScalableTargetARN": target.arn})

    def deregister_scalable_target(self) -> str:
        self._validate_params()
        p = self._params()
        self.lab_backend.deregister_lab_target(p["ServiceNamespace"], p["ResourceId"], p["ScalableDimension"])
        return json.dumps({})

    def put_scaling_policy(self) -> str:
        self._validate_params()
        policy = self.lab_backend.put_lab_policy(self._params())
        return json.dumps({"PolicyARN": policy.policy_arn, "Alarms": [{"AlarmARN": a.alarm_arn, "AlarmName": a.name} for a in policy.alarms]})

    def tag_resource(self) -> str:
        p = self._params()
        self.lab_backend.tag_target(p["ResourceARN"], p["Tags"])
        return json.dumps({})

    def untag_resource(self) -> str:
        p = self._params()
        self.lab_backend.untag_target(p["ResourceARN"], p["TagKeys"])
        return json.dumps({})

    def list_tags_for_resource(self) -> str:
        p = self._params()
        return json.dumps({"Tags": self.lab_backend.target_tags(p["ResourceARN"])})


def install() -> None:
    """Swap in the lab's Application Auto Scaling backend and responses (idempotent)."""
    use_backend_class(applicationautoscaling_backends, LabApplicationAutoscalingBackend)
    use_response_class(applicationautoscaling_urls, LabApplicationAutoScalingResponse)
    control.on_reset(_forget_tags)
    snapshots.keep(TARGET_TAGS)
