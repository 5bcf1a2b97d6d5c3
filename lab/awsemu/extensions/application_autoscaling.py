"""Application Auto Scaling: DescribeScalingPolicies filters as AWS does.

moto ignores PolicyNames and matches ResourceId and ScalableDimension as substrings of the asked value, so a service
with several policies (target tracking and step scaling) answers with the wrong one first; community.aws's
application_autoscaling_policy then compares or returns the wrong policy. Here:
- PolicyNames (up to 50), ResourceId and ScalableDimension filter by exact match, within the ServiceNamespace;
- paging follows MaxResults (1-50, default 50) and NextToken, and an unknown NextToken is refused with InvalidNextTokenException.
"""

from __future__ import annotations

import json
from typing import Any

from moto.applicationautoscaling import urls as applicationautoscaling_urls
from moto.applicationautoscaling.exceptions import AWSValidationException
from moto.applicationautoscaling.models import ApplicationAutoscalingBackend, FakeApplicationAutoscalingPolicy, applicationautoscaling_backends
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse, _build_policy
from moto.core.exceptions import JsonRESTError

from awsemu.extensions import paging
from awsemu.extensions._moto_classes import urls_of, use_backend_class, use_response_class

MAX_POLICY_NAMES = 50
MAX_RESULTS = 50


class InvalidNextTokenException(JsonRESTError):
    def __init__(self) -> None:
        super().__init__("InvalidNextTokenException", "The NextToken value is not valid.")


class LabApplicationAutoscalingBackend(ApplicationAutoscalingBackend):
    _url_module = property(lambda self: urls_of(ApplicationAutoscalingBackend))

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


def install() -> None:
    """Swap in the lab's Application Auto Scaling backend and responses (idempotent)."""
    use_backend_class(applicationautoscaling_backends, LabApplicationAutoscalingBackend)
    use_response_class(applicationautoscaling_urls, LabApplicationAutoScalingResponse)
