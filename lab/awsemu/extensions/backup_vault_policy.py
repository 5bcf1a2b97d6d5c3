"""AWS Backup vault access policies (moto has none): PutBackupVaultAccessPolicy, GetBackupVaultAccessPolicy and
DeleteBackupVaultAccessPolicy on /backup-vaults/{name}/access-policy, as botocore's backup model describes them.

- A vault that does not exist answers ResourceNotFoundException (400) to all three.
- Put stores the policy text as given (a JSON object with a Statement, at most 20,480 characters here; anything
  else answers InvalidParameterValueException, a missing Policy MissingParameterValueException).
- Get answers BackupVaultName, BackupVaultArn and Policy; a vault without a policy answers ResourceNotFoundException.
- Delete removes the policy; a vault without one answers ResourceNotFoundException.
The policy lives on moto's vault object, so deleting the vault (or resetting the emulator) drops it. The emulator
stores the policy; it does not evaluate it (no call is denied by it).
"""

from __future__ import annotations

import json
from typing import Any

from moto.backup import urls as backup_urls
from moto.backup.models import BackupBackend
from moto.backup.responses import BackupResponse
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult, EmptyResult

from awsemu.extensions._moto_classes import use_response_class
from awsemu.extensions.backup import InvalidParameterValue, LabBackupResponse, MissingParameterValue

URL_PATH = "{0}/backup-vaults/(?P<name>[^/]+)/access-policy$"
MAX_POLICY_CHARACTERS = 20480
_POLICY_ATTRIBUTE = "_lab_access_policy"


class ResourceNotFound(JsonRESTError):
    code = 400

    def __init__(self, message: str):
        super().__init__("ResourceNotFoundException", message)


def _vault(backend: BackupBackend, name: str) -> Any:
    vault = backend.vaults.get(name)
    if vault is None:
        raise ResourceNotFound(f"Backup vault {name} not found")
    return vault


def _vault_name(response: BackupResponse) -> str:
    return response.path.split("/")[-2]


def validated_policy(policy: Any) -> str:
    """The policy text when it is a JSON policy document, else the error AWS answers."""
    if policy is None or policy == "":
        raise MissingParameterValue("Policy is required.")
    if not isinstance(policy, str) or len(policy) > MAX_POLICY_CHARACTERS:
        raise InvalidParameterValue("Policy must be a JSON policy document of at most 20480 characters.")
    try:
        document = json.loads(policy)
    except ValueError as error:
        raise InvalidParameterValue(f"Policy is not valid JSON: {error}") from None
    if not isinstance(document, dict) or not document.get("Statement"):
        raise InvalidParameterValue("Policy must be a JSON object with a Statement.")
    return policy


def put_backup_vault_access_policy(self: BackupResponse) -> EmptyResult:
    vault = _vault(self.backup_backend, _vault_name(self))
    params = json.loads(self.body or "{}")
    setattr(vault, _POLICY_ATTRIBUTE, validated_policy(params.get("Policy")))
    return EmptyResult()


def get_backup_vault_access_policy(self: BackupResponse) -> ActionResult:
    name = _vault_name(self)
    vault = _vault(self.backup_backend, name)
    policy = getattr(vault, _POLICY_ATTRIBUTE, None)
    if policy is None:
        raise ResourceNotFound(f"Backup vault {name} has no access policy")
    return ActionResult({"BackupVaultName": name, "BackupVaultArn": vault.backup_vault_arn, "Policy": policy})


def delete_backup_vault_access_policy(self: BackupResponse) -> EmptyResult:
    name = _vault_name(self)
    vault = _vault(self.backup_backend, name)
    if getattr(vault, _POLICY_ATTRIBUTE, None) is None:
        raise ResourceNotFound(f"Backup vault {name} has no access policy")
    delattr(vault, _POLICY_ATTRIBUTE)
    return EmptyResult()


class LabBackupVaultPolicyResponse(LabBackupResponse):
    """The lab's Backup answers (extensions/backup.py), with vault access policies answered here."""

    put_backup_vault_access_policy = put_backup_vault_access_policy
    get_backup_vault_access_policy = get_backup_vault_access_policy
    delete_backup_vault_access_policy = delete_backup_vault_access_policy


def install() -> None:
    backup_urls.url_paths.setdefault(URL_PATH, BackupResponse.dispatch)
    use_response_class(backup_urls, LabBackupVaultPolicyResponse)
