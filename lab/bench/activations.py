"""Delete the lab's SSM hybrid activations (python lab/bench/activations.py), so the next systems_manager run creates
a fresh one: each fleet size of the bench registers its hosts on an activation of its own, whatever the earlier
sizes used of the lab's registration limit. Hosts already registered stay registered (as on AWS)."""

from __future__ import annotations

import os

import boto3


def main() -> int:
    ssm = boto3.client("ssm", region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"), endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))
    deleted = 0
    for page in ssm.get_paginator("describe_activations").paginate():
        for activation in page.get("ActivationList", []):
            ssm.delete_activation(ActivationId=activation["ActivationId"])
            deleted += 1
    print(f"bench: deleted {deleted} SSM activation(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
