"""SSM hybrid activations on moto's own SSM backend and responses.

Adds CreateActivation, DescribeActivations, DeleteActivation, DescribeInstanceInformation (for mi- managed
instances), DeregisterManagedInstance, tagging of ManagedInstance resources, and the two calls the SSM agent makes
that boto3's public model lacks: AmazonSSM.RegisterManagedInstance (unsigned, as the agent sends it before it has
credentials) and AmazonSSM.UpdateInstanceInformation (the heartbeat; accepted with any credentials, but only for an
existing mi- id). SendCommand refuses instance ids SSM does not manage, as AWS does.

Lab knobs: GET/POST /_lab/ssm/settings {"ping_timeout": seconds}; POST /_lab/ssm/activations/<id>/expire.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Container, Iterator
from typing import Any, ClassVar

from moto.core.responses import ActionResult, EmptyResult
from moto.moto_server import werkzeug_app
from moto.ssm.models import SimpleSystemManagerBackend, ssm_backends
from moto.ssm import urls as ssm_urls
from moto.ssm.responses import SimpleSystemManagerResponse

from awsemu import control
from awsemu.extensions import paging
from awsemu.extensions._moto_classes import urls_of, use_backend_class, use_response_class
from awsemu.extensions.ssm_hybrid import SETTINGS, HybridState, ManagedInstance, SSMError, parse_json_body

_STATE_KEY = "_lab_hybrid"
_installed = False


def hybrid(backend: SimpleSystemManagerBackend) -> HybridState:
    """The hybrid state of one SSM backend; it lives in the backend, so moto's reset drops it with everything else."""
    state = backend.__dict__.get(_STATE_KEY)
    if state is None:
        state = backend.__dict__.setdefault(_STATE_KEY, HybridState(backend.account_id, backend.region_name))
    return state


def _all_backends() -> Iterator[SimpleSystemManagerBackend]:
    for _, _, backend in list(ssm_backends.iter_backends()):
        yield backend


def _find_instance(instance_id: str) -> tuple[SimpleSystemManagerBackend, ManagedInstance] | None:
    for backend in _all_backends():
        instance = hybrid(backend).instances.get(instance_id)
        if instance is not None:
            return backend, instance
    return None


def _role_exists(account_id: str, partition: str, role: str) -> bool:
    """IamRole is a role name, optionally with its path ("service-role/Name"); SSM must be allowed to assume it."""
    from moto.iam.models import iam_backends

    path, _, name = role.rpartition("/")
    iam = iam_backends[account_id][partition]
    for candidate in iam.get_roles():
        if candidate.name == name and (not path or candidate.path.strip("/") == path.strip("/")):
            return "ssm.amazonaws.com" in str(candidate.assume_role_policy_document)
    return False


def _max_results(value: Any, low: int, high: int, default: int) -> int:
    if value is None:
        return default
    if not isinstance(value, int) or not low <= value <= high:
        raise SSMError(
            "ValidationException",
            f"1 validation error detected: Value '{value}' at 'maxResults' failed to satisfy constraint: Member must have value between {low} and {high}",
        )
    return value


# Responses ------------------------------------------------------------------------------------------------------
def create_activation(self: SimpleSystemManagerResponse) -> ActionResult:
    params = parse_json_body(self.body)
    backend = self.ssm_backend
    activation = hybrid(backend).create_activation(params, lambda role: _role_exists(backend.account_id, backend.partition, role))
    return ActionResult({"ActivationId": activation.activation_id, "ActivationCode": activation.activation_code})


def describe_activations(self: SimpleSystemManagerResponse) -> ActionResult:
    params = parse_json_body(self.body)
    activations = hybrid(self.ssm_backend).describe_activations(params.get("Filters"))
    max_results = _max_results(params.get("MaxResults"), 1, 50, 50)
    items, token = paging.page(activations, max_results, params.get("NextToken"), lambda: SSMError("InvalidNextToken", "The NextToken is not valid."))
    result: dict[str, Any] = {"ActivationList": [activation.describe() for activation in items]}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


def delete_activation(self: SimpleSystemManagerResponse) -> ActionResult:
    hybrid(self.ssm_backend).delete_activation(parse_json_body(self.body).get("ActivationId"))
    return EmptyResult()


def _raw_json(self: SimpleSystemManagerResponse, payload: dict[str, Any]) -> str:
    # The agent-only operations are not in botocore's model, so moto cannot serialize them: answer JSON directly.
    self.response_headers["Content-Type"] = "application/x-amz-json-1.1"
    return json.dumps(payload)


def register_managed_instance(self: SimpleSystemManagerResponse) -> str:
    params = parse_json_body(self.body)
    activation_id = params.get("ActivationId") or ""
    for backend in _all_backends():
        state = hybrid(backend)
        activation = state.activations.get(activation_id)
        if activation is not None:
            instance = state.register(activation, params.get("ActivationCode"), params)
            if activation.tags:
                backend.add_tags_to_resource("ManagedInstance", instance.instance_id, {t["Key"]: t["Value"] for t in activation.tags})
            return _raw_json(self, {"InstanceId": instance.instance_id})
    raise SSMError("InvalidActivationId", f"Activation ID {activation_id} is not valid. Verify that you entered the correct ActivationId and try again.")


def update_instance_information(self: SimpleSystemManagerResponse) -> str | tuple[str, dict[str, Any]]:
    if "Authorization" not in self.headers:
        body = json.dumps({"__type": "MissingAuthenticationTokenException", "message": "Missing Authentication Token"})
        return body, {"status": 403, "Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": "MissingAuthenticationTokenException"}
    params = parse_json_body(self.body)
    instance_id = params.get("InstanceId") or ""
    found = _find_instance(instance_id)
    if found is None:
        raise SSMError("InvalidInstanceId", f"Instance Id {instance_id} is not valid.")
    backend, _ = found
    hybrid(backend).heartbeat(instance_id, params)
    return _raw_json(self, {})


def describe_instance_information(self: SimpleSystemManagerResponse) -> ActionResult:
    params = parse_json_body(self.body)
    backend = self.ssm_backend
    max_results = _max_results(params.get("MaxResults"), 5, 50, 50)
    instances = hybrid(backend).describe_instances(
        params.get("InstanceInformationFilterList"),
        params.get("Filters"),
        lambda instance_id: dict(backend._resource_tags["ManagedInstance"].get(instance_id, {})),
    )
    items, token = paging.page(instances, max_results, params.get("NextToken"), lambda: SSMError("InvalidNextToken", "The NextToken is not valid."))
    result: dict[str, Any] = {"InstanceInformationList": [instance.describe() for instance in items]}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


def deregister_managed_instance(self: SimpleSystemManagerResponse) -> ActionResult:
    instance_id = parse_json_body(self.body).get("InstanceId")
    backend = self.ssm_backend
    hybrid(backend).deregister(instance_id)
    backend._resource_tags["ManagedInstance"].pop(instance_id, None)
    return EmptyResult()


# Backend behaviour moto gets wrong for hybrid instances -----------------------------------------------------------
def _instance_is_managed(backend: SimpleSystemManagerBackend, instance_id: str) -> bool:
    if instance_id.startswith("mi-"):
        instance = hybrid(backend).instances.get(instance_id)
        return instance is not None and instance.ping_status == "Online"
    from moto.ec2.models import ec2_backends

    try:
        ec2_instance = ec2_backends[backend.account_id][backend.region_name].get_instance(instance_id)
    except Exception:
        return False
    return ec2_instance.state == "running"


# Resource type -> the ids the lab keeps of it, read from a backend.
ResourceIds = dict[str, Callable[[Any], Container[str]]]


class LabSSMBackend(SimpleSystemManagerBackend):
    """moto's SSM backend, knowing the hybrid managed instances (tags on them, commands sent to them)."""

    _url_module = property(lambda self: urls_of(SimpleSystemManagerBackend))
    # Resource types moto's SSM does not know (tags on them): where the lab keeps the ids of each. Subclasses add theirs.
    lab_resource_ids: ClassVar[ResourceIds] = {"ManagedInstance": lambda backend: hybrid(backend).instances}

    def _validate_resource_type_and_id(self, resource_type: str, resource_id: str) -> str:
        ids_of = self.lab_resource_ids.get(resource_type)
        if ids_of is None:
            return super()._validate_resource_type_and_id(resource_type, resource_id)
        if resource_id in ids_of(self):
            return resource_id
        raise SSMError("InvalidResourceId", "Invalid Resource Id")

    def send_command(self, *args: Any, **kwargs: Any) -> Any:
        invalid = [i for i in kwargs.get("instance_ids") or [] if not _instance_is_managed(self, i)]
        if invalid:
            listed = ", ".join(invalid)
            raise SSMError("InvalidInstanceId", f"Instances [[{listed}]] not in a valid state for account {self.account_id}")
        return super().send_command(*args, **kwargs)


# Lab knobs ------------------------------------------------------------------------------------------------------
def _settings(body: Any) -> dict[str, Any]:
    if body:
        try:
            SETTINGS.update(body.get("ping_timeout", SETTINGS.ping_timeout))
        except (TypeError, ValueError, AttributeError) as error:
            raise control.LabError(400, f"invalid settings: {error}") from error
    return {"ping_timeout": SETTINGS.ping_timeout}


def _expire(_body: Any, activation_id: str) -> dict[str, Any]:
    if not any(hybrid(backend).expire_activation(activation_id) for backend in _all_backends()):
        raise control.LabError(404, f"no activation {activation_id}")
    return {"activation_id": activation_id, "expired": True}


class LabSSMResponse(SimpleSystemManagerResponse):
    """moto's SSM answers, with hybrid activations and managed instances answered here."""

    create_activation = create_activation
    describe_activations = describe_activations
    delete_activation = delete_activation
    register_managed_instance = register_managed_instance
    update_instance_information = update_instance_information
    describe_instance_information = describe_instance_information
    deregister_managed_instance = deregister_managed_instance


def install() -> None:
    global _installed  # noqa: PLW0603 - install() runs once per process; the flag keeps it idempotent (control routes)
    use_backend_class(ssm_backends, LabSSMBackend)
    use_response_class(ssm_urls, LabSSMResponse)
    if _installed:
        return
    # The agent registers before it has credentials: route unsigned AmazonSSM.* calls to the SSM backend.
    werkzeug_app.UNSIGNED_REQUESTS.setdefault("AmazonSSM", ("ssm", "us-east-1"))
    control.route("GET", "/_lab/ssm/settings", _settings)
    control.route("POST", "/_lab/ssm/settings", _settings)
    control.route("POST", "/_lab/ssm/activations/<activation_id>/expire", _expire)
    control.on_reset(SETTINGS.reset)
    _installed = True
