"""S3 bucket policies evaluated with their conditions, as AWS does; moto ignores them.

moto checks a bucket's policy on object requests (GetObject, PutObject, HeadObject, DeleteObject(s)) with principal
"*" only and without looking at a statement's Condition: a statement that denies requests without TLS
(`"Condition": {"Bool": {"aws:SecureTransport": "false"}}`, the file_gateway role's bucket policy) denies every
request. Here a statement takes part only when its Condition block holds for the request, by IAM's rules:
- every operator of the block holds, and every key of an operator; a key given several values matches any of them
  (a negated operator, StringNotEquals say, holds when the request's value matches none);
- a key the request does not carry makes its operator false, except with the `...IfExists` suffix (true) and the
  `Null` operator (true when asked for "true"); `ForAllValues:` holds and `ForAnyValue:` fails on a missing key;
- the keys the lab knows are those of awsemu.request_context (aws:SecureTransport: the emulator's TLS listener
  answers "true", its plain HTTP listener "false");
- an operator this module does not implement leaves the statement in (for a Deny, the request is denied, as moto
  did before), so a policy the lab cannot judge never grants more than it should.
The statements that take part are then judged by moto's own policy code (actions, resources, Allow and Deny).
"""

from __future__ import annotations

import json
import re
from typing import Any

from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.s3.models import FakeBucket, S3Backend, s3_backends

from awsemu import request_context
from awsemu.extensions._moto_classes import urls_of, use_backend_class


def _equal(value: str, wanted: str) -> bool:
    return value == wanted


def _equal_ignoring_case(value: str, wanted: str) -> bool:
    return value.lower() == wanted.lower()


def _like(value: str, pattern: str) -> bool:
    """IAM's wildcards: * any run of characters, ? one character, nothing else special."""
    return re.fullmatch("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), value, re.DOTALL) is not None


# operator -> (how a value matches one of the wanted values, whether the operator is a negated one)
STRING_OPERATORS = {
    "StringEquals": (_equal, False),
    "StringNotEquals": (_equal, True),
    "StringEqualsIgnoreCase": (_equal_ignoring_case, False),
    "StringNotEqualsIgnoreCase": (_equal_ignoring_case, True),
    "StringLike": (_like, False),
    "StringNotLike": (_like, True),
    "ArnEquals": (_equal, False),
    "ArnNotEquals": (_equal, True),
    "ArnLike": (_like, False),
    "ArnNotLike": (_like, True),
    "Bool": (_equal_ignoring_case, False),
}


def _values(wanted: Any) -> list[str]:
    return [str(item).lower() if isinstance(item, bool) else str(item) for item in (wanted if isinstance(wanted, list) else [wanted])]


def operator_holds(operator: str, conditions: dict[str, Any], context: dict[str, str]) -> bool:
    """Whether one operator of a Condition block holds for the request's condition keys (CONTEXT)."""
    qualifier, _, name = operator.rpartition(":")
    if_exists = name.endswith("IfExists")
    name = name.removesuffix("IfExists")
    for key, wanted in conditions.items():
        wanted_values = _values(wanted)
        value = context.get(key)
        if name == "Null":
            if (value is None) != (wanted_values[0].lower() == "true"):
                return False
            continue
        if name not in STRING_OPERATORS:
            return True  # not judged here: the statement stays in (see the module's docstring)
        if value is None:
            if if_exists or qualifier == "ForAllValues":
                continue
            return False
        matches, negated = STRING_OPERATORS[name]
        matched = any(matches(value, item) for item in wanted_values)
        if matched == negated:
            return False
    return True


def condition_holds(block: dict[str, Any] | None, context: dict[str, str]) -> bool:
    """Whether a statement's whole Condition block holds (no block: it does)."""
    return all(operator_holds(operator, conditions, context) for operator, conditions in (block or {}).items())


def policy_permission(policy: str | bytes, action: str, resource: str, context: dict[str, str]) -> PermissionResult:
    """The bucket policy's answer for ACTION on RESOURCE with only the statements whose conditions hold."""
    document = json.loads(policy)
    statements = document.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    holding = [statement for statement in statements if condition_holds(statement.get("Condition"), context)]
    taking_part = [{name: value for name, value in statement.items() if name != "Condition"} for statement in holding]
    if not taking_part:
        return PermissionResult.NEUTRAL
    return IAMPolicy(json.dumps({**document, "Statement": taking_part})).is_action_permitted(action, resource)


class LabBucket(FakeBucket):
    def get_permission(self, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        return policy_permission(self.policy, action, resource, request_context.condition_values())


class LabS3Backend(S3Backend):
    _url_module = property(lambda self: urls_of(S3Backend))

    def create_bucket(self, *args: Any, **kwargs: Any) -> FakeBucket:
        bucket = super().create_bucket(*args, **kwargs)
        # moto names its bucket class in create_bucket itself: the new bucket becomes the lab's subclass of it.
        bucket.__class__ = LabBucket
        return bucket


def install() -> None:
    use_backend_class(s3_backends, LabS3Backend)
