"""Keep per-test resets cheap: load AWS-managed IAM policies from a parsed copy, and only in the commercial partition.

moto builds an IAM backend for every partition of an account on the first request after a reset (it looks the
access key up everywhere) and parses ~1,600 managed policies for each: about half a second per reset. The lab
only ever uses the `aws` partition.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from typing import Any

from moto.iam import models as iam_models


@functools.cache
def _parsed_policies() -> dict[str, Any]:
    return json.loads(iam_models.aws_managed_policies_data)


@functools.cache
def _documents() -> dict[str, str]:
    return {name: json.dumps(data.get("Document")) for name, data in _parsed_policies().items()}


def _init_aws_policies(self: iam_models.IAMBackend) -> list[iam_models.ManagedPolicy]:
    if not iam_models.load_iam_aws_managed_policies() or self.partition != "aws":
        return []
    documents = _documents()
    return [
        iam_models.AWSManagedPolicy(
            name,
            account_id=self.account_id,
            region=self.region_name,
            default_version_id=data.get("DefaultVersionId"),
            path=data.get("Path"),
            document=documents[name],
            create_date=datetime.fromisoformat(data["CreateDate"]),
            update_date=datetime.fromisoformat(data["UpdateDate"]),
        )
        for name, data in _parsed_policies().items()
    ]


def install() -> None:
    iam_models.IAMBackend._init_aws_policies = _init_aws_policies  # type: ignore[method-assign]
