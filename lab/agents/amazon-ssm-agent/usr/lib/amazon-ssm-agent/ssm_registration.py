"""Hybrid activation: RegisterManagedInstance, the registration file and the vault's RegistrationKey.

The real agent keeps the instance id, region and private key in the vault (RegistrationKey) and writes
/var/lib/amazon/ssm/registration = {"ManagedInstanceID": ..., "Region": ...} for other tools.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import json
import os
import subprocess
import uuid

import lab_aws
import ssm_vault
from ssm_config import REGISTRATION_FILE, configured_region, load_config, ssm_endpoint

REGISTRATION_KEY = "RegistrationKey"
FINGERPRINT_KEY = "InstanceFingerprint"


class RegistrationError(Exception):
    pass


def registered_instance() -> dict:
    """{"instanceID": "mi-...", "region": ...} from the vault, or {} when not registered."""
    info = ssm_vault.retrieve(REGISTRATION_KEY)
    return info if info.get("instanceID") else {}


def generate_key_pair() -> tuple[str, str]:
    """An RSA 2048 key pair as (private key PEM, public key base64 DER), made with openssl."""
    private_pem = subprocess.run(
        ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        check=True,
        capture_output=True,
    ).stdout
    public_der = subprocess.run(["openssl", "pkey", "-pubout", "-outform", "DER"], input=private_pem, check=True, capture_output=True).stdout
    return private_pem.decode(), base64.b64encode(public_der).decode()


def _fingerprint() -> str:
    """A per-machine id kept across registrations, like the agent's hardware fingerprint."""
    stored = ssm_vault.retrieve(FINGERPRINT_KEY)
    if not stored.get("fingerprint"):
        stored = {"fingerprint": str(uuid.uuid4()), "similarityThreshold": 40}
        ssm_vault.store(FINGERPRINT_KEY, stored)
    return stored["fingerprint"]


def _save(instance_id: str, region: str, private_key: str) -> None:
    ssm_vault.store(
        REGISTRATION_KEY,
        {
            "instanceID": instance_id,
            "region": region,
            "instanceType": "on-premises" if instance_id else "",
            "availabilityZone": "on-premises" if instance_id else "",
            "privateKey": private_key,
            "privateKeyType": "Rsa" if private_key else "",
            "privateKeyCreatedDate": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f +0000 UTC") if private_key else "",
        },
    )


def register(code: str, activation_id: str, region: str) -> str:
    """Register this machine with the activation and return its managed instance id."""
    private_key, public_key = generate_key_pair()
    # Saving the key before calling SSM proves the vault is writable (the real agent does the same).
    _save("", "", private_key)
    config = load_config()
    endpoint = ssm_endpoint(config, configured_region(config, region))
    try:
        answer = lab_aws.json_call(
            endpoint,
            "AmazonSSM.RegisterManagedInstance",
            {
                "ActivationCode": code,
                "ActivationId": activation_id,
                "PublicKey": public_key,
                "PublicKeyType": "Rsa",
                "Fingerprint": _fingerprint(),
            },
            service="ssm",
            region=region,
            # Anonymous, like the real agent: the machine has no credentials before it is registered.
            credentials=None,
        )
    except lab_aws.AwsError as error:
        raise RegistrationError(f"error registering the instance with AWS SSM. {error}") from error
    except OSError as error:
        raise RegistrationError(f"error registering the instance with AWS SSM. cannot reach {endpoint}: {error}") from error
    instance_id = answer.get("InstanceId", "")
    if not instance_id.startswith("mi-"):
        raise RegistrationError(f"unexpected RegisterManagedInstance answer: {answer}")
    _save(instance_id, region, private_key)
    os.makedirs(os.path.dirname(REGISTRATION_FILE), exist_ok=True)
    with open(REGISTRATION_FILE, "w") as handle:
        json.dump({"ManagedInstanceID": instance_id, "Region": region}, handle)
    return instance_id


def clear() -> None:
    _save("", "", "")
    with contextlib.suppress(FileNotFoundError):
        os.remove(REGISTRATION_FILE)
