"""Which IAM action authorizes an API call, and whether a policy document allows it.

The emulator's request log names each call by its botocore service and operation; IAM authorizes most of them by an
action of the same name under the service's IAM prefix. The exceptions are listed here as AWS documents them (the
Service Authorization Reference): S3's bucket configuration calls, HeadBucket and ListBuckets, and calls that need no
permission at all (sts:GetCallerIdentity). Only what the collection calls is listed; an unknown exception shows up as
a missing action when the policy is checked, never as a silent pass.
"""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from collections.abc import Iterable
from typing import Any

# botocore service name (as the request log has it) -> IAM service prefix, where they differ.
IAM_PREFIX = {
    "elb": "elasticloadbalancing",
    "elbv2": "elasticloadbalancing",
    "applicationautoscaling": "application-autoscaling",
    "application-autoscaling": "application-autoscaling",
    "cloudwatchlogs": "logs",
}

# (service, operation) -> IAM action, where the action is not prefix:Operation. None: no permission is needed.
EXCEPTIONS: dict[tuple[str, str], str | None] = {
    ("sts", "GetCallerIdentity"): None,
    ("s3", "HeadBucket"): "s3:ListBucket",
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "DeleteObjects"): "s3:DeleteObject",
    ("s3", "ListObjectVersions"): "s3:ListBucketVersions",
    ("s3", "ListObjects"): "s3:ListBucket",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "GetBucketAccelerateConfiguration"): "s3:GetAccelerateConfiguration",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "PutBucketEncryption"): "s3:PutEncryptionConfiguration",
    ("s3", "GetBucketIntelligentTieringConfiguration"): "s3:GetIntelligentTieringConfiguration",
    ("s3", "PutBucketIntelligentTieringConfiguration"): "s3:PutIntelligentTieringConfiguration",
    ("s3", "DeleteBucketIntelligentTieringConfiguration"): "s3:PutIntelligentTieringConfiguration",
    ("s3", "GetBucketLifecycleConfiguration"): "s3:GetLifecycleConfiguration",
    ("s3", "PutBucketLifecycleConfiguration"): "s3:PutLifecycleConfiguration",
    ("s3", "GetObjectLockConfiguration"): "s3:GetBucketObjectLockConfiguration",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "PutPublicAccessBlock"): "s3:PutBucketPublicAccessBlock",
    ("s3", "ListBucketInventoryConfigurations"): "s3:GetInventoryConfiguration",
    ("s3", "GetBucketReplication"): "s3:GetReplicationConfiguration",
    ("s3", "PutBucketReplication"): "s3:PutReplicationConfiguration",
    ("s3", "DeleteBucketReplication"): "s3:PutReplicationConfiguration",
    ("s3", "GetBucketNotificationConfiguration"): "s3:GetBucketNotification",
    ("s3", "GetBucketWebsite"): "s3:GetBucketWebsite",
    ("s3", "GetBucketCors"): "s3:GetBucketCORS",
}


def iam_action(service: str, operation: str) -> str | None:
    """The IAM action that authorizes one API call, or None when the call needs no permission."""
    if (service, operation) in EXCEPTIONS:
        return EXCEPTIONS[(service, operation)]
    return f"{IAM_PREFIX.get(service, service)}:{operation}"


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def allowed_actions(policy: dict[str, Any]) -> list[str]:
    """The action patterns of the policy's Allow statements."""
    statements = policy.get("Statement", [])
    patterns: list[str] = []
    for statement in [statements] if isinstance(statements, dict) else statements:
        if statement.get("Effect") == "Allow":
            patterns.extend(_as_list(statement.get("Action")))
    return patterns


def allows(policy: dict[str, Any], action: str) -> bool:
    """Whether some Allow statement names the action (IAM matches actions case-insensitively, with * and ?)."""
    return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in allowed_actions(policy))


def missing_actions(policy: dict[str, Any], calls: Iterable[tuple[str, str]]) -> list[str]:
    """The IAM actions that the calls need and the policy does not allow, each once, sorted."""
    needed = {iam_action(service, operation) for service, operation in calls}
    return sorted(action for action in needed if action is not None and not allows(policy, action))


# The deploying principal's policy, in as many managed policies as AWS's size limit needs (docs/iam/deployer-policy-*.json).
POLICY_FILES = sorted((Path(__file__).resolve().parents[2] / "docs/iam").glob("deployer-policy-*.json"))
# AWS's limit on a customer managed policy document: 6,144 characters, whitespace not counted.
MANAGED_POLICY_MAX_CHARACTERS = 6144


def deployer_policy() -> dict[str, Any]:
    """The statements of every deployer policy file as one document: what the principal is allowed with all attached."""
    statements = [statement for path in POLICY_FILES for statement in json.loads(path.read_text())["Statement"]]
    return {"Version": "2012-10-17", "Statement": statements}
