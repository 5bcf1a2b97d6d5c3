"""Make an SSM managed instance (mi-) in the emulator the way the SSM agent does: activation, then RegisterManagedInstance."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

SSM_TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def create_activation(client: Any, region: str = "us-east-1", limit: int = 5) -> dict[str, str]:
    iam = client("iam")
    if "LabHybridRole" not in {role["RoleName"] for role in iam.list_roles()["Roles"]}:
        iam.create_role(RoleName="LabHybridRole", AssumeRolePolicyDocument=json.dumps(SSM_TRUST))
    return client("ssm", region=region).create_activation(IamRole="LabHybridRole", RegistrationLimit=limit)


def register_managed_instance(endpoint: str, activation: dict[str, str], region: str = "us-east-1") -> str:
    """The agent's unsigned AmazonSSM.RegisterManagedInstance call; returns the new mi- id."""
    payload = {
        "ActivationId": activation["ActivationId"],
        "ActivationCode": activation["ActivationCode"],
        "PublicKey": "lab-public-key",
        "PublicKeyType": "Rsa",
        "Fingerprint": "lab-fingerprint",
    }
    request = urllib.request.Request(
        endpoint + "/",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"X-Amz-Target": "AmazonSSM.RegisterManagedInstance", "Content-Type": "application/x-amz-json-1.1", "User-Agent": f"lab-agent region/{region}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())["InstanceId"]


def new_managed_instance(client: Any, endpoint: str, region: str = "us-east-1") -> str:
    return register_managed_instance(endpoint, create_activation(client, region), region)
