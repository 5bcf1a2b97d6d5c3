"""What one ansible-runner job in the lab's execution environment did, read from its artifacts and from the emulator.

`python lab/ee/job_result.py ARTIFACT_DIR ENDPOINT REGION CALLS_BEFORE` prints one JSON document: the runner's status
and rc, the play recap (ok / changed / failures / unreachable per host, from the playbook_on_stats event), the VPCs
the emulator holds in REGION (read back with DescribeVpcs) and the mutating AWS calls it received after the first
CALLS_BEFORE entries of its request log (lab/awsemu's /_lab/requests), counted per operation."""

from __future__ import annotations

import json
import sys
import urllib.request
from collections import Counter
from pathlib import Path

import boto3


def recap(artifacts: Path) -> dict[str, dict[str, int]]:
    for path in sorted((artifacts / "job_events").glob("*.json")):
        event = json.loads(path.read_text())
        if event.get("event") == "playbook_on_stats":
            data = event["event_data"]
            keys = ("ok", "changed", "failures", "dark", "skipped")
            hosts = sorted({host for key in keys for host in (data.get(key) or {})})
            return {host: {key: (data.get(key) or {}).get(host, 0) for key in keys} for host in hosts}
    return {}


def tag(resource: dict, key: str) -> str | None:
    return next((item["Value"] for item in resource.get("Tags", []) if item["Key"] == key), None)


def requests(endpoint: str) -> list[dict]:
    with urllib.request.urlopen(endpoint + "/_lab/requests", timeout=30) as answer:
        return json.loads(answer.read())["requests"]


def main() -> None:
    artifacts, endpoint, region, calls_before = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    calls = requests(endpoint)  # before this script's own DescribeVpcs
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Project", "Values": ["hybridcloud"]}])["Vpcs"]
    mutating = Counter(f"{call.get('service')}:{call.get('operation')}" for call in calls[calls_before:] if call["mutating"])
    print(
        json.dumps(
            {
                "status": (artifacts / "status").read_text().strip() if (artifacts / "status").exists() else None,
                "rc": int((artifacts / "rc").read_text()) if (artifacts / "rc").exists() else None,
                "recap": recap(artifacts),
                "vpcs": [{"id": vpc["VpcId"], "cidr": vpc["CidrBlock"], "name": tag(vpc, "Name")} for vpc in vpcs],
                "api_calls": len(calls) - calls_before,
                "mutating_calls": sum(mutating.values()),
                "mutating_operations": dict(sorted(mutating.items())),
                "requests_total": len(calls),
            }
        )
    )


if __name__ == "__main__":
    main()
