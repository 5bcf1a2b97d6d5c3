# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM and KMS policy evaluation as AWS documents it, for the statements this collection reads back.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html and, for KMS,
https://docs.aws.amazon.com/kms/latest/developerguide/determining-access-key-policy.html:

- an explicit Deny in any applicable policy wins; else an Allow grants; else the request is implicitly denied;
- Action and Resource match with the * and ? wildcards, actions case-insensitively; NotAction / NotResource invert;
- a Condition holds when every operator holds; a key missing from the request context makes an operator false.
  StringEquals, StringLike, ArnEquals, ArnLike (and their lists of values) are evaluated; any other operator raises
  UnknownCondition, so that a caller never guesses (an audit reports it as not evaluable);
- KMS: the key policy decides first. A principal may use a key when no policy denies it and the key policy allows it
  by name, or the key policy allows the account (its root) that action and an identity policy allows it too.

Permissions boundaries, SCPs, session policies and grants are not evaluated (none of them widens access).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch
import json
import re

KNOWN_OPERATORS = ("StringEquals", "StringLike", "ArnEquals", "ArnLike")


class UnknownCondition(ValueError):
    pass


def listed(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def document(value):
    """A policy document given as a dict or as JSON text (URL-decoded, as IAM's Get* calls return it via boto3)."""
    if isinstance(value, str):
        return json.loads(value)
    return value or {"Statement": []}


def wildcard(pattern, value, ignore_case=False):
    if ignore_case:
        pattern, value = pattern.lower(), value.lower()
    return re.fullmatch(fnmatch.translate(pattern), value) is not None


def condition_holds(condition, context):
    for operator, tests in (condition or {}).items():
        if operator not in KNOWN_OPERATORS:
            raise UnknownCondition(operator)
        for key, wanted in tests.items():
            if key not in context:
                return False
            actual = context[key]
            exact = operator in ("StringEquals", "ArnEquals")
            if not (actual in listed(wanted) if exact else any(wildcard(pattern, actual) for pattern in listed(wanted))):
                return False
    return True


def _principal_matches(statement, principal):
    named = statement.get("Principal", {})
    if named == "*":
        return True
    aws = listed(named.get("AWS", [])) if isinstance(named, dict) else []
    return principal in aws or "*" in aws


def applies(statement, action, resource, context, principal=None):
    if "Action" in statement:
        if not any(wildcard(pattern, action, ignore_case=True) for pattern in listed(statement["Action"])):
            return False
    elif any(wildcard(pattern, action, ignore_case=True) for pattern in listed(statement.get("NotAction"))):
        return False
    if "Resource" in statement:
        if not any(wildcard(pattern, resource) for pattern in listed(statement["Resource"])):
            return False
    elif "NotResource" in statement and any(wildcard(pattern, resource) for pattern in listed(statement["NotResource"])):
        return False
    if principal is not None and not _principal_matches(statement, principal):
        return False
    return condition_holds(statement.get("Condition"), context)


def decide(documents, action, resource, context=None, principal=None):
    """'deny' (explicit), 'allow' or None (implicit deny) of a set of policy documents for one request."""
    decision = None
    for doc in documents:
        for statement in listed(document(doc).get("Statement")):
            if applies(statement, action, resource, context or {}, principal):
                if statement["Effect"] == "Deny":
                    return "deny"
                decision = "allow"
    return decision


def allowed(identity_documents, action, resource, context=None):
    return decide(identity_documents, action, resource, context) == "allow"


def kms_allowed(principal, identity_documents, key_policy, action, key_arn, *, account_root, context=None):
    """Whether principal may call action on the key (a customer managed key with key_policy)."""
    context = context or {}
    key_policy = document(key_policy)
    if decide(identity_documents, action, key_arn, context) == "deny" or decide([key_policy], action, key_arn, context, principal) == "deny":
        return False
    if decide([key_policy], action, key_arn, context, principal) == "allow":
        return True
    return decide([key_policy], action, key_arn, context, account_root) == "allow" and allowed(identity_documents, action, key_arn, context)
