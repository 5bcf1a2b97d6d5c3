"""ECS Anywhere for the lab: external (mi-) container instances, the EXTERNAL launch type, and service settings moto drops.

What changes against moto's ECS:
- RegisterContainerInstance accepts an SSM managed instance (mi- id, registered through the ssm extension in the same
  account and region) instead of an EC2 instance. The real ECS agent proves its identity with the managed instance's
  credentials; the lab's credentials carry no identity, so the agent stand-in names its mi- id in
  instanceIdentityDocument ({"instanceId": "mi-..."}). The instance keeps the agent's attributes (custom ones such as
  location=onprem included), gets ecs.capability.external as AWS adds it, and its totalResources as capacity.
  Registering the same managed instance again returns (and refreshes) its existing container instance.
- Task definitions: AWS reports compatibilities EXTERNAL and EC2 for any non-awsvpc task definition without FARGATE,
  keeps bridge/host/none, and refuses awsvpc for EXTERNAL (ECS Anywhere has no awsvpc).
- CreateService/UpdateService: launchType EXTERNAL (with the task definition, load balancer and network rules AWS
  applies), capacityProviderStrategy (checked against the cluster), deploymentConfiguration, placement settings,
  healthCheckGracePeriodSeconds, enableECSManagedTags and enableExecuteCommand are kept and described.
- ListContainerInstances honours `filter` (cluster query language) and `status`, with paging.
- DescribeContainerInstances / DeregisterContainerInstance answer with AWS's errors instead of crashing.
- Clusters: DescribeClusters always lists capacityProviders and defaultCapacityProviderStrategy (empty lists when none,
  strategy items with weight and base) and the settings only when asked with include SETTINGS, as AWS does.
  UpdateClusterSettings (missing in moto) sets containerInsights (enabled|disabled|enhanced) and keeps the others;
  PutClusterCapacityProviders checks that the providers exist and that the strategy names only those.
- DescribeCapacityProviders without names lists every provider of the account and the managed FARGATE and FARGATE_SPOT
  (moto answers 500), by name it knows FARGATE and FARGATE_SPOT too; it pages as AWS does (maxResults 1-10, default
  10, nextToken) and returns tags only with include TAGS.
- ListTagsForResource always answers a `tags` list (empty when untagged) for clusters, services, task definitions,
  capacity providers, tasks and container instances, and ClientException for an unknown capacity provider.
"""

from __future__ import annotations

import copy
import inspect
import json
from typing import Any, ClassVar

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.ecs import urls as ecs_urls
from moto.ecs.exceptions import EcsClientException, InvalidParameterException
from moto.ecs.models import Cluster, ContainerInstance, EC2ContainerServiceBackend, Service, TaskDefinition, ecs_backends
from moto.ecs.responses import EC2ContainerServiceResponse, format_attributes
from moto.moto_api._internal import mock_random

from awsemu.extensions import paging
from awsemu.extensions._cluster_query import QueryError, compile_filter
from awsemu.extensions._moto_classes import urls_of, use_backend_class, use_response_class

EXTERNAL = "EXTERNAL"
EXTERNAL_CAPABILITY = "ecs.capability.external"
MANAGED_PROVIDERS = ("FARGATE", "FARGATE_SPOT")
DEFAULT_DEPLOYMENT_CONFIGURATION = {"deploymentCircuitBreaker": {"enable": False, "rollback": False}, "maximumPercent": 200, "minimumHealthyPercent": 100}
# Service settings moto's CreateService ignores; the lab keeps them as AWS does (request name -> Service attribute).
KEPT_SERVICE_SETTINGS = {
    "capacityProviderStrategy": "capacity_provider_strategy",
    "deploymentConfiguration": "deployment_configuration",
    "placementConstraints": "placement_constraints",
    "placementStrategy": "placement_strategy",
    "healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
    "enableECSManagedTags": "enable_ecs_managed_tags",
    "enableExecuteCommand": "enable_execute_command",
}
CONTAINER_INSTANCE_STATUSES = ("ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED")
DEFAULT_RESOURCES = [
    {"name": "CPU", "type": "INTEGER", "integerValue": 2048, "doubleValue": 0.0, "longValue": 0},
    {"name": "MEMORY", "type": "INTEGER", "integerValue": 3943, "doubleValue": 0.0, "longValue": 0},
    {"name": "PORTS", "type": "STRINGSET", "stringSetValue": ["22", "2375", "2376", "51678", "51679"], "doubleValue": 0.0, "longValue": 0, "integerValue": 0},
    {"name": "PORTS_UDP", "type": "STRINGSET", "stringSetValue": [], "doubleValue": 0.0, "longValue": 0, "integerValue": 0},
]
MAX_LIST_RESULTS = 100
# Cluster settings AWS accepts, with their values.
CLUSTER_SETTINGS = {"containerInsights": ("enabled", "disabled", "enhanced")}
DESCRIBE_CLUSTERS_SETTINGS = "DescribeClustersResponse.clusters.Cluster.settings"
DESCRIBE_CAPACITY_PROVIDERS_TAGS = "DescribeCapacityProvidersResponse.capacityProviders.CapacityProvider.tags"
MAX_CAPACITY_PROVIDER_RESULTS = 10


class ExternalContainerInstance(ContainerInstance):
    """A container instance on an SSM managed instance: no EC2 instance behind it."""

    # Deliberately not calling ContainerInstance.__init__: it looks up an EC2 instance, which does not exist here.
    def __init__(self, managed_instance_id: str, cluster_name: str, backend: EC2ContainerServiceBackend) -> None:
        self.ec2_instance_id = managed_instance_id
        self.agent_connected = True
        self.status = "ACTIVE"
        self.pending_tasks_count = 0
        self.running_tasks_count = 0
        self.registered_resources: list[dict[str, Any]] = copy.deepcopy(DEFAULT_RESOURCES)
        self.remaining_resources: list[dict[str, Any]] = copy.deepcopy(DEFAULT_RESOURCES)
        self.version_info: dict[str, str] = {}
        self.attributes: dict[str, str | None] = {EXTERNAL_CAPABILITY: None}
        self.tags: list[dict[str, str]] = []
        self.version = 0  # refresh() counts the first registration
        self.registered_at = utcnow()
        self.region_name = backend.region_name
        self.id = str(mock_random.uuid4())
        self.cluster_name = cluster_name
        self._account_id = backend.account_id
        self._backend = backend

    def refresh(self, attributes: list[dict[str, Any]] | None, resources: list[dict[str, Any]] | None, version_info: dict[str, str] | None) -> None:
        """Take what the agent reports at (re-)registration."""
        if attributes:
            self.attributes.update({attribute["name"]: attribute.get("value") for attribute in attributes})
        self.attributes[EXTERNAL_CAPABILITY] = None
        if resources:
            self.registered_resources = copy.deepcopy(resources)
            self.remaining_resources = copy.deepcopy(resources)
        if version_info:
            self.version_info = dict(version_info)
        self.status = "ACTIVE"
        self.agent_connected = True
        self.version += 1


def _is_external(instance: Any) -> bool:
    return isinstance(instance, ExternalContainerInstance)


def _managed_instance_exists(account_id: str, region: str, instance_id: str) -> bool:
    from moto.ssm.models import ssm_backends

    from awsemu.extensions.ssm import hybrid

    return instance_id in hybrid(ssm_backends[account_id][region]).instances


def _facts(instance: Any) -> dict[str, Any]:
    return {
        "attributes": dict(instance.attributes),
        "ec2InstanceId": instance.ec2_instance_id,
        "agentConnected": instance.agent_connected,
        "agentVersion": (instance.version_info or {}).get("agentVersion"),
        "runningTasksCount": instance.running_tasks_count,
        "registeredAt": instance.registered_at.isoformat(),
    }


class LabECSBackend(EC2ContainerServiceBackend):
    _url_module = property(lambda self: urls_of(EC2ContainerServiceBackend))

    # clusters --------------------------------------------------------------------------------------------------

    def create_cluster(self, cluster_name: str, *args: Any, **kwargs: Any) -> Cluster:
        asked = inspect.signature(EC2ContainerServiceBackend.create_cluster).bind(self, cluster_name, *args, **kwargs).arguments
        if asked.get("cluster_settings"):
            _check_cluster_settings(asked["cluster_settings"])
        if asked.get("capacity_providers") or asked.get("default_capacity_provider_strategy"):
            self._check_cluster_capacity_providers(asked.get("capacity_providers") or [], asked.get("default_capacity_provider_strategy") or [])
        return _described(super().create_cluster(cluster_name, *args, **kwargs))

    def describe_clusters(self, cluster_names: list[str]) -> tuple[list[Cluster], list[Any]]:
        clusters, failures = super().describe_clusters(cluster_names)
        return [_described(cluster) for cluster in clusters], failures

    def _managed_provider(self, name: str) -> dict[str, Any]:
        arn = f"arn:aws:ecs:{self.region_name}:{self.account_id}:capacity-provider/{name}"
        return {"capacityProviderArn": arn, "name": name, "status": "ACTIVE", "tags": []}

    def describe_capacity_providers(self, names: list[str] | None) -> tuple[list[Any], list[Any]]:  # type: ignore[override]
        """Every provider (the account's, then FARGATE and FARGATE_SPOT) when names is empty, else the named ones."""
        if not names:
            return [*self.capacity_providers.values(), *(self._managed_provider(name) for name in MANAGED_PROVIDERS)], []
        providers, failures = [], []
        for name in names:
            short_name = name.rsplit("/", 1)[-1] if name.startswith("arn:") else name
            if short_name in MANAGED_PROVIDERS:
                providers.append(self._managed_provider(short_name))
                continue
            found, missing = super().describe_capacity_providers([name])
            providers.extend(found)
            failures.extend(missing)
        return providers, failures

    def update_cluster_settings(self, cluster_str: str, settings: list[dict[str, str]]) -> Cluster:
        cluster = self._get_cluster(cluster_str)
        _check_cluster_settings(settings)
        wanted = {setting["name"]: setting["value"] for setting in settings}
        kept = [setting for setting in cluster.settings or [] if setting["name"] not in wanted]
        cluster.settings = kept + [{"name": name, "value": value} for name, value in wanted.items()]
        return _described(cluster)

    def put_cluster_capacity_providers(
        self, cluster_name: str, capacity_providers: list[str] | None, default_capacity_provider_strategy: list[dict[str, Any]] | None
    ) -> Cluster:
        self._get_cluster(cluster_name)
        self._check_cluster_capacity_providers(capacity_providers or [], default_capacity_provider_strategy or [])
        cluster = super().put_cluster_capacity_providers(cluster_name, capacity_providers or [], _complete_strategy(default_capacity_provider_strategy or []))
        return _described(cluster)

    def _check_cluster_capacity_providers(self, providers: list[str], strategy: list[dict[str, Any]]) -> None:
        for name in providers:
            if name not in MANAGED_PROVIDERS and self._get_provider(name) is None:
                raise InvalidParameterException(f"The specified capacity provider '{name}' does not exist. Specify a valid capacity provider and try again.")
        for item in strategy:
            if item.get("capacityProvider") not in providers:
                raise InvalidParameterException(
                    "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. "
                    "Associate the capacity provider with the cluster or specify a valid capacity provider and try again."
                )

    # tags ------------------------------------------------------------------------------------------------------

    def _get_resource(self, resource_arn: str, parsed_arn: dict[str, str]) -> Any:
        if parsed_arn["service"] == "container-instance":
            instance_id = resource_arn.rsplit("/", maxsplit=1)[-1]
            for instances in self.container_instances.values():
                if instance_id in instances:
                    return instances[instance_id]
            raise InvalidParameterException(f"The container instance {resource_arn} does not exist.")
        resource = super()._get_resource(resource_arn, parsed_arn)
        if resource is None:
            raise EcsClientException(f"The specified resource {resource_arn} does not exist.")
        return resource

    def list_tags_for_resource(self, resource_arn: str) -> list[dict[str, str]]:
        return list(super().list_tags_for_resource(resource_arn) or [])

    # task definitions ------------------------------------------------------------------------------------------

    def register_task_definition(self, family: str, container_definitions: list[dict[str, Any]], *args: Any, **kwargs: Any) -> TaskDefinition:
        asked = inspect.signature(EC2ContainerServiceBackend.register_task_definition).bind(self, family, container_definitions, *args, **kwargs).arguments
        requires = asked.get("requires_compatibilities") or []
        network_mode = asked.get("network_mode")
        if EXTERNAL in requires and network_mode == "awsvpc":
            raise EcsClientException("Task definition does not support the awsvpc network mode for the EXTERNAL launch type.")
        task_definition = super().register_task_definition(family, container_definitions, *args, **kwargs)
        if "FARGATE" not in requires and network_mode != "awsvpc":
            # moto forces awsvpc and [EC2, FARGATE] onto anything not plain EC2; AWS keeps the mode and adds EXTERNAL.
            task_definition.compatibilities = [EXTERNAL, "EC2"]
            task_definition.network_mode = network_mode or "bridge"
        return task_definition

    # services --------------------------------------------------------------------------------------------------

    def _check_capacity_provider_strategy(self, cluster_str: str, strategy: list[dict[str, Any]]) -> None:
        cluster = self._get_cluster(cluster_str)
        associated = set(cluster.capacity_providers or [])
        for item in strategy:
            name = item.get("capacityProvider")
            if name not in associated and name not in MANAGED_PROVIDERS:
                raise InvalidParameterException(
                    "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. "
                    "Associate the capacity provider with the cluster or specify a valid capacity provider and try again."
                )
            if not 0 <= item.get("weight", 0) <= 1000 or not 0 <= item.get("base", 0) <= 100000:
                raise InvalidParameterException("Capacity provider strategy weight must be 0-1000 and base 0-100000.")
        if sum(1 for item in strategy if item.get("base")) > 1:
            raise InvalidParameterException("Only one capacity provider in a capacity provider strategy can have a base value greater than 0.")

    def _check_external(self, task_definition_str: str | None, load_balancers: Any, service_registries: Any) -> None:
        if task_definition_str and EXTERNAL not in self.describe_task_definition(task_definition_str).compatibilities:
            raise InvalidParameterException("Task definition does not support launch_type EXTERNAL.")
        if load_balancers:
            raise InvalidParameterException("Load balancers are not supported for services using the EXTERNAL launch type.")
        if service_registries:
            raise InvalidParameterException("Service discovery is not supported for services using the EXTERNAL launch type.")

    # moto (and its CloudFormation support) passes these positionally, so the signature stays moto's.
    def create_service(  # type: ignore[override]  # noqa: PLR0917
        self,
        cluster_str: str,
        service_name: str,
        desired_count: int,
        task_definition_str: str | None = None,
        load_balancers: list[dict[str, Any]] | None = None,
        scheduling_strategy: Any = None,
        tags: list[dict[str, str]] | None = None,
        deployment_controller: dict[str, str] | None = None,
        launch_type: str | None = None,
        service_registries: list[dict[str, Any]] | None = None,
        platform_version: str | None = None,
        propagate_tags: str = "NONE",
        network_configuration: dict[str, Any] | None = None,
        role_arn: str | None = None,
        kept_settings: dict[str, Any] | None = None,
    ) -> Service:
        kept = dict(kept_settings or {})
        cluster = self._get_cluster(cluster_str)
        strategy = kept.get("capacityProviderStrategy")
        if launch_type and strategy:
            raise InvalidParameterException("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.")
        if not launch_type and not strategy and cluster.default_capacity_provider_strategy:
            strategy = kept["capacityProviderStrategy"] = cluster.default_capacity_provider_strategy
        if strategy:
            self._check_capacity_provider_strategy(cluster_str, strategy)
            strategy = kept["capacityProviderStrategy"] = _complete_strategy(strategy)
        if launch_type == EXTERNAL:
            self._check_external(task_definition_str, load_balancers, service_registries)
        if network_configuration and task_definition_str and self.describe_task_definition(task_definition_str).network_mode != "awsvpc":
            raise InvalidParameterException("Network Configuration is not valid for the given networkMode of this task definition.")
        # moto knows EC2 and FARGATE only: create as EC2, then record what was really asked for.
        moto_launch_type = launch_type if launch_type in ("EC2", "FARGATE") else ("FARGATE" if _all_fargate(strategy) else "EC2")
        service = super().create_service(
            cluster_str,
            service_name,
            desired_count,
            task_definition_str,
            load_balancers,
            scheduling_strategy,
            tags,
            deployment_controller,
            moto_launch_type,
            service_registries,
            platform_version,
            propagate_tags,
            network_configuration,
            role_arn,
        )
        service.launch_type = None if strategy else (launch_type or "EC2")
        kept["deploymentConfiguration"] = {**DEFAULT_DEPLOYMENT_CONFIGURATION, **(kept.get("deploymentConfiguration") or {})}
        for name, attribute in KEPT_SERVICE_SETTINGS.items():
            if kept.get(name) is not None:
                setattr(service, attribute, kept[name])
        for deployment in service.deployments:
            deployment.pop("platformFamily", None)
            if strategy:
                deployment.pop("launchType", None)
                deployment["capacityProviderStrategy"] = strategy
            else:
                deployment["launchType"] = service.launch_type
        return service

    def update_service(self, service_properties: dict[str, Any]) -> Service:
        cluster_str = service_properties.get("cluster", "default")
        service = self._get_service(cluster_str, service_properties["service"].split("/")[-1])
        task_definition_str = service_properties.get("task_definition")
        strategy = service_properties.get("capacity_provider_strategy")
        if strategy:
            self._check_capacity_provider_strategy(cluster_str, strategy)
            service_properties["capacity_provider_strategy"] = _complete_strategy(strategy)
        if service.launch_type == EXTERNAL and task_definition_str:
            self._check_external(task_definition_str, None, None)
        updated = super().update_service(service_properties)
        if task_definition_str:
            # moto stores whatever was passed (family:revision); AWS describes the full ARN.
            updated.task_definition = self.describe_task_definition(task_definition_str).arn
        if strategy:
            updated.launch_type = None
        return updated

    # external container instances ---------------------------------------------------------------------------

    def register_external_container_instance(
        self,
        cluster_str: str,
        managed_instance_id: str,
        *,
        attributes: list[dict[str, Any]] | None,
        total_resources: list[dict[str, Any]] | None,
        version_info: dict[str, str] | None,
        tags: list[dict[str, str]] | None,
        container_instance_arn: str | None,
    ) -> ExternalContainerInstance:
        cluster = self._get_cluster(cluster_str)
        if not _managed_instance_exists(self.account_id, self.region_name, managed_instance_id):
            raise InvalidParameterException(f"The managed instance {managed_instance_id} is not registered with AWS Systems Manager in {self.region_name}.")
        instance = self._external_instance_of(managed_instance_id, cluster.name, container_instance_arn)
        if instance is None:
            instance = ExternalContainerInstance(managed_instance_id, cluster.name, self)
            self.container_instances.setdefault(cluster.name, {})[instance.id] = instance
            cluster.registered_container_instances_count += 1
        instance.refresh(attributes, total_resources, version_info)
        if tags:
            instance.tags = [*[t for t in instance.tags if t["key"] not in {n["key"] for n in tags}], *tags]
        return instance

    def _external_instance_of(self, managed_instance_id: str, cluster_name: str, container_instance_arn: str | None) -> ExternalContainerInstance | None:
        for name, instances in self.container_instances.items():
            for instance in instances.values():
                if not _is_external(instance) or instance.ec2_instance_id != managed_instance_id:
                    continue
                if name != cluster_name:
                    raise InvalidParameterException(f"The managed instance {managed_instance_id} is already registered to cluster {name}.")
                if container_instance_arn and container_instance_arn.split("/")[-1] != instance.id:
                    raise InvalidParameterException(f"The container instance {container_instance_arn} does not belong to {managed_instance_id}.")
                return instance
        return None

    def list_container_instances(self, cluster_str: str, status: str | None = None, query: str | None = None) -> list[str]:  # type: ignore[override]
        cluster = self._get_cluster(cluster_str)
        if status is not None and status not in CONTAINER_INSTANCE_STATUSES:
            raise InvalidParameterException(f"Container instance status should be one of [{', '.join(CONTAINER_INSTANCE_STATUSES)}].")
        try:
            matches = compile_filter(query) if query else None
        except QueryError as error:
            raise InvalidParameterException(f"The filter expression is not valid: {error}.") from None
        instances = self.container_instances.get(cluster.name, {}).values()
        return sorted(i.container_instance_arn for i in instances if (status is None or i.status == status) and (matches is None or matches(_facts(i))))

    def describe_container_instances(self, cluster_str: str, list_container_instance_ids: list[str]) -> Any:
        cluster = self._get_cluster(cluster_str)
        self.container_instances.setdefault(cluster.name, {})
        return super().describe_container_instances(cluster_str, list_container_instance_ids)

    def deregister_container_instance(self, cluster_str: str, container_instance_str: str, force: bool) -> ContainerInstance:
        cluster = self._get_cluster(cluster_str)
        if container_instance_str.rsplit("/", maxsplit=1)[-1] not in self.container_instances.get(cluster.name, {}):
            raise InvalidParameterException(f"Container instance {container_instance_str} not found.")
        instance = super().deregister_container_instance(cluster_str, container_instance_str, force)
        instance.status = "INACTIVE"
        cluster.registered_container_instances_count = max(0, cluster.registered_container_instances_count - 1)
        return instance


def _described(cluster: Cluster) -> Cluster:
    """AWS describes a cluster's capacity providers, default strategy and (asked for) tags as lists, empty ones included."""
    cluster.tags = list(cluster.tags or [])
    cluster.capacity_providers = list(cluster.capacity_providers or [])
    cluster.default_capacity_provider_strategy = _complete_strategy(cluster.default_capacity_provider_strategy or [])
    return cluster


def _check_cluster_settings(settings: list[dict[str, str]]) -> None:
    for setting in settings:
        name, value = setting.get("name"), setting.get("value")
        if name not in CLUSTER_SETTINGS:
            raise InvalidParameterException(f"Unknown cluster setting {name!r}. Valid settings: {', '.join(CLUSTER_SETTINGS)}.")
        if value not in CLUSTER_SETTINGS[name]:
            raise InvalidParameterException(f"Invalid value {value!r} for the cluster setting {name}. Valid values: {', '.join(CLUSTER_SETTINGS[name])}.")


def _complete_strategy(strategy: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """AWS describes every strategy item with its weight and base, defaults included."""
    return [{"capacityProvider": item["capacityProvider"], "weight": item.get("weight", 0), "base": item.get("base", 0)} for item in strategy]


def _all_fargate(strategy: list[dict[str, Any]] | None) -> bool:
    return bool(strategy) and all(item.get("capacityProvider") in MANAGED_PROVIDERS for item in strategy or [])


class LabECSResponse(EC2ContainerServiceResponse):
    # moto turns its attribute dicts into AWS's list of {name, value} only for Describe/Register; AWS answers
    # UpdateContainerInstancesState and DeregisterContainerInstance with the same ContainerInstance shape.
    RESPONSE_KEY_PATH_TO_TRANSFORMER: ClassVar[dict[str, Any]] = {
        **EC2ContainerServiceResponse.RESPONSE_KEY_PATH_TO_TRANSFORMER,
        "UpdateContainerInstancesStateResponse.containerInstances.ContainerInstance.attributes": format_attributes,
        "DeregisterContainerInstanceResponse.containerInstance.attributes": format_attributes,
    }

    @property
    def lab_backend(self) -> LabECSBackend:
        return ecs_backends[self.current_account][self.region]  # type: ignore[return-value]

    def describe_clusters(self) -> ActionResult:
        answer = super().describe_clusters()
        if "SETTINGS" in (self._get_param("include") or []):
            self._include_in_response(DESCRIBE_CLUSTERS_SETTINGS)
        else:
            self._exclude_from_response(DESCRIBE_CLUSTERS_SETTINGS)
        return answer

    def describe_capacity_providers(self) -> ActionResult:
        limit = self._get_param("maxResults")
        if limit is not None and not 1 <= limit <= MAX_CAPACITY_PROVIDER_RESULTS:
            raise InvalidParameterException(f"maxResults must be between 1 and {MAX_CAPACITY_PROVIDER_RESULTS}.")
        providers, failures = self.lab_backend.describe_capacity_providers(self._get_param("capacityProviders"))
        page, token = paging.page(
            providers, limit or MAX_CAPACITY_PROVIDER_RESULTS, self._get_param("nextToken"), lambda: InvalidParameterException("The nextToken is not valid.")
        )
        if "TAGS" in (self._get_param("include") or []):
            self._include_in_response(DESCRIBE_CAPACITY_PROVIDERS_TAGS)
        else:
            self._exclude_from_response(DESCRIBE_CAPACITY_PROVIDERS_TAGS)
        result: dict[str, Any] = {"capacityProviders": page, "failures": failures}
        if token:
            result["nextToken"] = token
        return ActionResult(result)

    def update_cluster_settings(self) -> ActionResult:
        cluster = self.lab_backend.update_cluster_settings(self._get_param("cluster"), self._get_param("settings") or [])
        return ActionResult({"cluster": cluster})

    def create_service(self) -> ActionResult:
        service = self.lab_backend.create_service(
            self._get_param("cluster", "default"),
            self._get_param("serviceName"),
            self._get_int_param("desiredCount"),
            self._get_param("taskDefinition"),
            self._get_param("loadBalancers"),
            self._get_param("schedulingStrategy"),
            self._get_param("tags"),
            self._get_param("deploymentController"),
            self._get_param("launchType"),
            service_registries=self._get_param("serviceRegistries"),
            platform_version=self._get_param("platformVersion"),
            propagate_tags=self._get_param("propagateTags") or "NONE",
            network_configuration=self._get_param("networkConfiguration"),
            role_arn=self._get_param("role"),
            kept_settings={name: self._get_param(name) for name in KEPT_SERVICE_SETTINGS},
        )
        return ActionResult({"service": service})

    def register_container_instance(self) -> ActionResult:
        document = self._get_param("instanceIdentityDocument")
        if not document:
            raise EcsClientException("An instance identity document is required to register a container instance.")
        try:
            instance_id = json.loads(document).get("instanceId", "")
        except (ValueError, AttributeError):
            raise EcsClientException("The instance identity document is not valid JSON.") from None
        if not str(instance_id).startswith("mi-"):
            return super().register_container_instance()
        instance = self.lab_backend.register_external_container_instance(
            self._get_param("cluster", "default"),
            instance_id,
            attributes=self._get_param("attributes"),
            total_resources=self._get_param("totalResources"),
            version_info=self._get_param("versionInfo"),
            tags=self._get_param("tags"),
            container_instance_arn=self._get_param("containerInstanceArn"),
        )
        return ActionResult({"containerInstance": instance})

    def list_container_instances(self) -> ActionResult:
        arns = self.lab_backend.list_container_instances(
            self._get_param("cluster", "default"), status=self._get_param("status"), query=self._get_param("filter")
        )
        limit = self._get_param("maxResults") or MAX_LIST_RESULTS
        page, token = paging.page(arns, limit, self._get_param("nextToken"), lambda: InvalidParameterException("The nextToken is not valid."))
        result: dict[str, Any] = {"containerInstanceArns": page}
        if token:
            result["nextToken"] = token
        return ActionResult(result)


def install() -> None:
    """Swap in the lab's ECS backend and responses (idempotent)."""
    use_backend_class(ecs_backends, LabECSBackend)
    use_response_class(ecs_urls, LabECSResponse)
