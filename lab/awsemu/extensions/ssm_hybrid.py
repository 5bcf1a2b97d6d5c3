"""SSM hybrid activations and the managed instances (mi-) registered with them: the state and rules behind the ssm extension."""

from __future__ import annotations

import json
import os
import random
import secrets
import string
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from moto.core.exceptions import ServiceException

DEFAULT_EXPIRY = timedelta(hours=24)
MAX_EXPIRY = timedelta(days=30)
ACTIVATION_FILTER_KEYS = {"ActivationIds", "DefaultInstanceName", "IamRole"}
INSTANCE_FILTER_KEYS = {"InstanceIds", "AgentVersion", "PingStatus", "PlatformTypes", "ActivationIds", "IamRole", "ResourceType", "AssociationStatus"}
PING_STATUSES = {"Online", "ConnectionLost", "Inactive"}
HEARTBEAT_FIELDS = ("AgentVersion", "AgentName", "AgentStatus", "PlatformName", "PlatformType", "PlatformVersion", "IPAddress", "ComputerName")


class SSMError(ServiceException):
    """An SSM error answered with the given AWS error code (serialized by moto in the JSON protocol)."""


def _default_ping_timeout() -> float:
    return float(os.environ.get("LAB_SSM_PING_TIMEOUT", "300"))


class Settings:
    """Lab-wide SSM knobs; reset to their defaults by the lab reset."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.ping_timeout = _default_ping_timeout()

    def reset(self) -> None:
        with self._lock:
            self.ping_timeout = _default_ping_timeout()

    def update(self, ping_timeout: Any) -> None:
        value = float(ping_timeout)
        if value <= 0:
            raise ValueError("ping_timeout must be positive")
        with self._lock:
            self.ping_timeout = value


SETTINGS = Settings()


def now() -> datetime:
    return datetime.now(timezone.utc)


def validation_error(field_name: str, value: Any, constraint: str) -> SSMError:
    return SSMError("ValidationException", f"1 validation error detected: Value '{value}' at '{field_name}' failed to satisfy constraint: {constraint}")


@dataclass
class Activation:
    activation_id: str
    activation_code: str
    iam_role: str
    registration_limit: int
    expiration_date: datetime
    description: str = ""
    default_instance_name: str = ""
    tags: list[dict[str, str]] = field(default_factory=list)
    registration_metadata: list[dict[str, str]] = field(default_factory=list)
    created_date: datetime = field(default_factory=now)
    registrations_count: int = 0
    deleted: bool = False

    @property
    def expired(self) -> bool:
        return now() >= self.expiration_date

    def describe(self) -> dict[str, Any]:
        return {
            "ActivationId": self.activation_id,
            "Description": self.description,
            "DefaultInstanceName": self.default_instance_name,
            "IamRole": self.iam_role,
            "RegistrationLimit": self.registration_limit,
            "RegistrationsCount": self.registrations_count,
            "ExpirationDate": self.expiration_date,
            "Expired": self.expired,
            "CreatedDate": self.created_date,
            "Tags": [dict(tag) for tag in self.tags],
        }


@dataclass
class ManagedInstance:
    instance_id: str
    activation: Activation
    public_key: str
    public_key_type: str
    fingerprint: str
    registration_date: datetime = field(default_factory=now)
    last_ping: datetime | None = None
    heartbeat: dict[str, str] = field(default_factory=dict)

    @property
    def ping_status(self) -> str:
        if self.last_ping is None:
            return "ConnectionLost"
        return "Online" if (now() - self.last_ping).total_seconds() < SETTINGS.ping_timeout else "ConnectionLost"

    def describe(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "InstanceId": self.instance_id,
            "PingStatus": self.ping_status,
            "ActivationId": self.activation.activation_id,
            "IamRole": self.activation.iam_role,
            "RegistrationDate": self.registration_date,
            "ResourceType": "ManagedInstance",
            "Name": self.activation.default_instance_name,
            "IsLatestVersion": False,
            "SourceId": self.instance_id,
            "SourceType": "AWS::SSM::ManagedInstance",
        }
        if self.last_ping is not None:
            info["LastPingDateTime"] = self.last_ping
        for key in ("AgentVersion", "PlatformType", "PlatformName", "PlatformVersion", "IPAddress", "ComputerName"):
            if self.heartbeat.get(key):
                info[key] = self.heartbeat[key]
        return info


def new_activation_code() -> str:
    alphabet = string.ascii_letters + string.digits + "+/"
    return "".join(secrets.choice(alphabet) for _ in range(20))


def new_instance_id() -> str:
    return "mi-" + "".join(random.choice("0123456789abcdef") for _ in range(17))


class HybridState:
    """Activations and managed instances of one moto SSM backend (one account and region)."""

    def __init__(self, account_id: str, region: str):
        self.account_id = account_id
        self.region = region
        self.activations: dict[str, Activation] = {}
        self.instances: dict[str, ManagedInstance] = {}
        self.lock = threading.RLock()

    # Activations ------------------------------------------------------------------------------------------------
    def create_activation(self, params: dict[str, Any], role_exists: Any) -> Activation:
        iam_role = params.get("IamRole")
        if not iam_role:
            raise validation_error("iamRole", iam_role, "Member must not be null")
        if len(iam_role) > 64:
            raise validation_error("iamRole", iam_role, "Member must have length less than or equal to 64")
        if not role_exists(iam_role):
            raise SSMError(
                "ValidationException", f"Nonexistent role or missing ssm service principal in trust policy: arn:aws:iam::{self.account_id}:role/{iam_role}"
            )
        limit = params.get("RegistrationLimit", 1)
        if not isinstance(limit, int) or not 1 <= limit <= 1000:
            raise validation_error("registrationLimit", limit, "Member must have value between 1 and 1000")
        for name, key in (("description", "Description"), ("defaultInstanceName", "DefaultInstanceName")):
            if len(params.get(key) or "") > 256:
                raise validation_error(name, params[key], "Member must have length less than or equal to 256")
        expiration = self._expiration(params.get("ExpirationDate"))
        tags = params.get("Tags") or []
        activation = Activation(
            activation_id=str(uuid.uuid4()),
            activation_code=new_activation_code(),
            iam_role=iam_role,
            registration_limit=limit,
            expiration_date=expiration,
            description=params.get("Description") or "",
            default_instance_name=params.get("DefaultInstanceName") or "",
            tags=[{"Key": tag["Key"], "Value": tag.get("Value", "")} for tag in tags],
            registration_metadata=params.get("RegistrationMetadata") or [],
        )
        with self.lock:
            self.activations[activation.activation_id] = activation
        return activation

    @staticmethod
    def _expiration(value: Any) -> datetime:
        created = now()
        if value is None:
            return created + DEFAULT_EXPIRY
        try:
            expiration = datetime.fromtimestamp(float(value), tz=timezone.utc)
        except (TypeError, ValueError):
            try:
                expiration = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError as error:
                raise validation_error("expirationDate", value, "Member must be a timestamp") from error
        if expiration.tzinfo is None:
            expiration = expiration.replace(tzinfo=timezone.utc)
        if expiration <= created:
            raise SSMError("ValidationException", "ExpirationDate must be in the future.")
        if expiration > created + MAX_EXPIRY:
            raise SSMError("ValidationException", "ExpirationDate cannot be more than 30 days in the future.")
        return expiration

    def describe_activations(self, filters: list[dict[str, Any]] | None) -> list[Activation]:
        wanted: dict[str, set[str]] = {}
        for item in filters or []:
            key = item.get("FilterKey")
            if key not in ACTIVATION_FILTER_KEYS:
                raise SSMError("InvalidFilter", f"The filter key {key} is not valid. Valid keys: {', '.join(sorted(ACTIVATION_FILTER_KEYS))}")
            wanted.setdefault(key, set()).update(item.get("FilterValues") or [])
        with self.lock:
            activations = [a for a in self.activations.values() if not a.deleted]
        fields = {"ActivationIds": "activation_id", "DefaultInstanceName": "default_instance_name", "IamRole": "iam_role"}
        return [a for a in activations if all(getattr(a, fields[key]) in values for key, values in wanted.items())]

    def delete_activation(self, activation_id: str | None) -> None:
        with self.lock:
            activation = self.activations.get(activation_id or "")
            if activation is None:
                raise SSMError("InvalidActivationId", f"Activation ID {activation_id} is not valid. Verify that you entered the correct ActivationId.")
            if activation.deleted:
                raise SSMError("InvalidActivation", "The activation is not valid. The activation might have been deleted.")
            activation.deleted = True

    def expire_activation(self, activation_id: str) -> bool:
        with self.lock:
            activation = self.activations.get(activation_id)
            if activation is None:
                return False
            activation.expiration_date = now() - timedelta(seconds=1)
            return True

    # Managed instances ------------------------------------------------------------------------------------------
    def register(self, activation: Activation, code: str | None, key: dict[str, str]) -> ManagedInstance:
        with self.lock:
            if activation.deleted or not code or not secrets.compare_digest(code, activation.activation_code):
                raise SSMError(
                    "InvalidActivation",
                    "The activation is not valid. The activation might have been deleted, or the ActivationId and the ActivationCode do not match.",
                )
            if activation.expired:
                raise SSMError("ActivationExpired", f"Activation {activation.activation_id} has expired.")
            if activation.registrations_count >= activation.registration_limit:
                raise SSMError(
                    "InvalidActivation", f"Activation {activation.activation_id} has reached its registration limit of {activation.registration_limit}."
                )
            instance = ManagedInstance(
                instance_id=new_instance_id(),
                activation=activation,
                public_key=key.get("PublicKey", ""),
                public_key_type=key.get("PublicKeyType", ""),
                fingerprint=key.get("Fingerprint", ""),
            )
            activation.registrations_count += 1
            self.instances[instance.instance_id] = instance
            return instance

    def heartbeat(self, instance_id: str, params: dict[str, Any]) -> None:
        with self.lock:
            instance = self.instances[instance_id]
            instance.heartbeat.update({key: str(params[key]) for key in HEARTBEAT_FIELDS if params.get(key) is not None})
            instance.last_ping = now()

    def deregister(self, instance_id: str | None) -> None:
        with self.lock:
            if self.instances.pop(instance_id or "", None) is None:
                raise SSMError("InvalidInstanceId", f"Instance Id {instance_id} is not valid.")

    def describe_instances(self, filter_list: list[dict[str, Any]] | None, filters: list[dict[str, Any]] | None, tags: Any) -> list[ManagedInstance]:
        if filter_list and filters:
            raise SSMError("ValidationException", "You can specify either InstanceInformationFilterList or Filters, not both.")
        conditions = [(item.get("key"), item.get("valueSet") or []) for item in filter_list or []]
        conditions += [(item.get("Key"), item.get("Values") or []) for item in filters or []]
        for key, values in conditions:
            valid_key = key in INSTANCE_FILTER_KEYS or (filters and (key == "tag-key" or str(key).startswith("tag:")))
            if not valid_key:
                raise SSMError("InvalidFilterKey", f"The filter key {key} is not valid.")
            if not values:
                raise SSMError("InvalidInstanceInformationFilterValue", f"The filter {key} needs at least one value.")
            if key == "PingStatus" and not set(values) <= PING_STATUSES:
                raise SSMError("InvalidInstanceInformationFilterValue", f"PingStatus values must be among {', '.join(sorted(PING_STATUSES))}.")
        with self.lock:
            instances = sorted(self.instances.values(), key=lambda i: (i.registration_date, i.instance_id))
        return [i for i in instances if all(_matches(i, key, set(values), tags(i.instance_id)) for key, values in conditions)]


def _matches(instance: ManagedInstance, key: str, values: set[str], tags: dict[str, str]) -> bool:
    if key == "tag-key":
        return bool(values & set(tags))
    if key.startswith("tag:"):
        return tags.get(key[4:]) in values
    described = instance.describe()
    field_of = {"InstanceIds": "InstanceId", "PlatformTypes": "PlatformType", "ActivationIds": "ActivationId"}
    return str(described.get(field_of.get(key, key), "")) in values


def parse_json_body(body: Any) -> dict[str, Any]:
    if not body:
        return {}
    try:
        parsed = json.loads(body)
    except ValueError as error:
        raise SSMError("SerializationException", "The request body is not valid JSON.") from error
    return parsed if isinstance(parsed, dict) else {}
