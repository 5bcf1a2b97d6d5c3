"""A layer converged with 20 % of all AWS calls throttled (seeded, so every run meets the same pattern): it ends
green with the same resources as a clean converge, counted and compared service by service, and a second run under
the same throttling makes no mutating call. The layer is systems_manager (playbooks/aws/systems_manager.yml with
the lab inventory, whose hybridcloud_aws_connection carries the retries), the cheapest one with IAM, KMS and SSM
resources, a non-idempotent create (CreateActivation) and the code kept in a parameter."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Ids that differ between two converges (KMS key ids in policies and ARNs, activation ids).
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Seed 224 throttles 18 of the first 100 calls, the first call three times in a row: botocore's default (3 attempts)
# fails the converge at its first AWS task ("reached max retries: 2"), the inventories' aws_config carries it through.
THROTTLING = {"service": "*", "error": "ThrottlingException", "rate": 0.2, "seed": 224}


def converge(endpoint):
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    command = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(ROOT / "inventories" / "lab"), "playbooks/aws/systems_manager.yml"]
    completed = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]


def resources(aws):
    """Every resource the layer makes, without the ids and dates that differ between two converges."""
    iam, kms, ssm = aws("iam"), aws("kms"), aws("ssm")
    roles = {
        role["RoleName"]: {
            "trust": role["AssumeRolePolicyDocument"],
            "attached": sorted(policy["PolicyArn"] for policy in iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"]),
            "inline": {
                name: iam.get_role_policy(RoleName=role["RoleName"], PolicyName=name)["PolicyDocument"]
                for name in iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]
            },
        }
        for role in iam.list_roles()["Roles"]
    }
    keys = [kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"] for key in kms.list_keys()["Keys"]]
    activations = ssm.describe_activations()["ActivationList"]
    ids = {activation["ActivationId"] for activation in activations}
    parameters = {}
    for parameter in ssm.describe_parameters()["Parameters"]:
        value = ssm.get_parameter(Name=parameter["Name"], WithDecryption=True)["Parameter"]["Value"]
        if parameter["Type"] == "SecureString":  # the activation's id and code: it must name the activation that exists
            stored = json.loads(value)
            value = "the existing activation" if stored["id"] in ids and stored["code"] else stored
        parameters[parameter["Name"]] = (parameter["Type"], value)
    built = {
        "iam roles": roles,
        "iam policies": sorted(policy["PolicyName"] for policy in iam.list_policies(Scope="Local")["Policies"]),
        "kms keys": sorted((key["KeyState"], key["KeyUsage"], key.get("Description", "")) for key in keys if key["KeyManager"] == "CUSTOMER"),
        "kms aliases": sorted(alias["AliasName"] for alias in kms.list_aliases()["Aliases"] if not alias["AliasName"].startswith("alias/aws/")),
        "activations": sorted(
            (a["DefaultInstanceName"], a["Description"], a["IamRole"], a["RegistrationLimit"], a["RegistrationsCount"], json.dumps(a["Tags"]))
            for a in activations
        ),
        "parameters": parameters,
        "associations": sorted(
            (a.get("AssociationName"), a["Name"], a.get("ScheduleExpression"), json.dumps(a.get("Targets"))) for a in ssm.list_associations()["Associations"]
        ),
    }
    return json.loads(UUID.sub("<id>", json.dumps(built, sort_keys=True, default=str)))


def test_a_throttled_converge_builds_what_a_clean_one_does_and_a_second_run_changes_nothing(aws, lab_api, emulator_endpoint):
    converge(emulator_endpoint)
    clean = resources(aws)
    assert len(clean["activations"]) == 1 and clean["parameters"] and clean["associations"]
    assert lab_api("POST", "/_lab/reset")[0] == 200

    assert lab_api("POST", "/_lab/faults", json={"rules": [THROTTLING]})[0] == 200
    converge(emulator_endpoint)
    [rule] = lab_api("GET", "/_lab/faults")[1]["rules"]
    assert rule["failed"] >= 10, rule  # the run really met throttling, about one call in five
    lab_api("DELETE", "/_lab/faults")
    assert resources(aws) == clean

    lab_api("POST", "/_lab/faults", json={"rules": [THROTTLING]})
    lab_api("DELETE", "/_lab/requests")
    converge(emulator_endpoint)
    second = lab_api("GET", "/_lab/requests")[1]["requests"]
    assert second, "the second run made no call at all"
    assert [call for call in second if call["mutating"]] == []
