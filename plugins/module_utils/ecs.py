# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ECS API calls with retries and error handling, shared by the ecs_* modules: capacity providers,
container instances, EXTERNAL task definitions and services, tags, waiting, and the normalisation that
lets a module compare what it wants with what ECS answers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible.module_utils.common.dict_transformations import _camel_to_snake, camel_dict_to_snake_dict, snake_dict_to_camel_dict
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list, boto3_tag_list_to_ansible_dict
from ansible_collections.hybridcloud.aws.plugins.module_utils import waiting
from ansible_collections.hybridcloud.aws.plugins.module_utils.amazon_aws_deferred import is_boto3_error_code, is_boto3_error_message, scrub_none_parameters
from ansible_collections.hybridcloud.aws.plugins.module_utils.create_once import create_once
from ansible_collections.hybridcloud.aws.plugins.module_utils.tags import sync_tags as shared_sync_tags

# ECS throttles with ThrottlingException and fails transiently with ServerException; AWSRetry knows neither.
retry = AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException", "ServerException"])

DESCRIBE_BATCH_SIZE = 100
POLL_DELAY = 10


class AnsibleECSError(AnsibleAWSError):
    pass


class ECSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleECSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ServiceNotFoundException", "ServiceNotActiveException"])


# ---------------------------------------------------------------- results


def snake_case_keys(value, keep=()):
    """camel_dict_to_snake_dict that also leaves alone, at any depth, the content of the keys in keep
    (user-defined maps such as dockerLabels, whose keys are data, not field names)."""
    if isinstance(value, dict):
        return {_camel_to_snake(key): item if key in keep else snake_case_keys(item, keep) for key, item in value.items()}
    if isinstance(value, list):
        return [snake_case_keys(item, keep) for item in value]
    return value


# ---------------------------------------------------------------- tags


def ecs_tags_to_dict(tag_list):
    return boto3_tag_list_to_ansible_dict(tag_list or [], "key", "value")


def dict_to_ecs_tags(tags):
    return ansible_dict_to_boto3_tag_list(tags or {}, "key", "value")


@ECSErrorHandler.common_error_handler("tag ECS resource {arn}")
@retry
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=dict_to_ecs_tags(tags))


@ECSErrorHandler.common_error_handler("untag ECS resource {arn}")
@retry
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=keys)


def sync_tags(client, arn, current, wanted, purge, *, check_mode):
    """Make the tags of arn match wanted (None: leave them); returns (changed, resulting tags)."""
    return shared_sync_tags(
        current,
        wanted,
        purge,
        tag=lambda tags: tag_resource(client, arn, tags),
        untag=lambda keys: untag_resource(client, arn, keys),
        check_mode=check_mode,
    )


# ---------------------------------------------------------------- waiting


def wait_until(fetch, is_done, timeout, what, delay=POLL_DELAY, *, progress=None, state=None):
    """Poll fetch() until is_done(answer) is true, and return that answer.

    is_done raises AnsibleECSError itself when the answer shows a failure that waiting cannot fix. progress: a
    waiting.Waits that records the wait as what, each poll's state named by state(answer)."""
    return waiting.wait_until(
        fetch,
        is_done,
        timeout,
        delay=delay,
        error=AnsibleECSError,
        timed_out=lambda _answer: f"Timeout after {timeout} seconds waiting for {what}",
        progress=progress,
        what=what,
        state=state,
    )


# ---------------------------------------------------------------- capacity providers


@ECSErrorHandler.common_error_handler("describe capacity provider {name}")
@retry
def describe_capacity_provider(client, name):
    """The provider named name, or None when it does not exist or was deleted (INACTIVE)."""
    answer = client.describe_capacity_providers(capacityProviders=[name], include=["TAGS"])
    for provider in answer.get("capacityProviders", []):
        if provider.get("status") != "INACTIVE":
            return provider
    return None


@ECSErrorHandler.common_error_handler("create capacity provider {name}")
def create_capacity_provider(client, name, asg_provider, tags, create_client=None):
    """Creates the provider; returns it. CreateCapacityProvider has no client token and is never repeated blindly
    (create_once): create_client is a client whose botocore does not retry (create_once.single_attempt_client); after
    a failure that may have created the provider, the provider is looked up by its name (unique in an account)."""
    params = {"name": name, "autoScalingGroupProvider": asg_provider}
    if tags:
        params["tags"] = dict_to_ecs_tags(tags)
    return create_once(
        lambda: (create_client or client).create_capacity_provider(**params)["capacityProvider"],
        lambda: describe_capacity_provider(client, name),
    )


# The comparison of hybridcloud.aws.ecs_capacity_provider, shared with the filter hybridcloud.aws.ecs_cluster_writes.
def wanted_settings(params):
    """The managed settings the user asked for, in the API's shape; options left unset are absent."""
    scaling = scrub_none_parameters(params["managed_scaling"] or {})
    if "status" in scaling:
        scaling["status"] = scaling["status"].upper()
    settings = {"managedScaling": snake_dict_to_camel_dict(scaling)} if scaling else {}
    for option, key in (("managed_termination_protection", "managedTerminationProtection"), ("managed_draining", "managedDraining")):
        if params[option]:
            settings[key] = params[option].upper()
    return settings


def merged_settings(current, wanted):
    """The provider's current managed settings overlaid with the wanted ones (the whole block is sent on update)."""
    merged = {key: value for key, value in current.items() if key != "autoScalingGroupArn"}
    if "managedScaling" in wanted:
        merged["managedScaling"] = dict(current.get("managedScaling") or {}, **wanted["managedScaling"])
    merged.update({key: value for key, value in wanted.items() if key != "managedScaling"})
    return merged


@ECSErrorHandler.common_error_handler("update capacity provider {name}")
@retry
def update_capacity_provider(client, name, asg_provider):
    return client.update_capacity_provider(name=name, autoScalingGroupProvider=asg_provider)["capacityProvider"]


@ECSErrorHandler.common_error_handler("delete capacity provider {name}")
@retry
def delete_capacity_provider(client, name):
    client.delete_capacity_provider(capacityProvider=name)


def capacity_provider_settled(provider):
    """Whether a provider's last create/update finished; raises when it failed."""
    update_status = (provider or {}).get("updateStatus") or ""
    if update_status.endswith("_FAILED"):
        reason = provider.get("updateStatusReason") or "no reason given"
        raise AnsibleECSError(message=f"Capacity provider {provider['name']} reports {update_status}: {reason}")
    return provider is not None and provider.get("status") == "ACTIVE" and not update_status.endswith("_IN_PROGRESS")


def capacity_provider_state(provider):
    """What a wait saw of a provider: its status and update status, or deleted."""
    if provider is None:
        return "deleted"
    return " ".join(filter(None, (provider.get("status"), provider.get("updateStatus"))))


def wait_for_capacity_provider(client, name, timeout, gone=False, *, progress=None):
    """Poll until the provider's create/update is complete (and return it), or (gone=True) until it is deleted.
    progress: a waiting.Waits that records the wait."""

    def fetch():
        return describe_capacity_provider(client, name)

    if gone:
        return wait_until(fetch, lambda p: p is None, timeout, f"capacity provider {name} to be deleted", progress=progress, state=capacity_provider_state)
    return wait_until(fetch, capacity_provider_settled, timeout, f"capacity provider {name} to be ready", progress=progress, state=capacity_provider_state)


@ECSErrorHandler.common_error_handler("describe capacity providers")
@retry
def _describe_capacity_provider_pages(client, names):
    params = {"include": ["TAGS"]}
    if names:
        params["capacityProviders"] = names
    providers, failures = [], []
    while True:
        answer = client.describe_capacity_providers(**params)
        providers.extend(answer.get("capacityProviders", []))
        failures.extend(answer.get("failures", []))
        if not answer.get("nextToken"):
            return providers, failures
        params["nextToken"] = answer["nextToken"]


def describe_capacity_providers(client, names=None):
    """The named providers (names or ARNs, in batches of 100, the API's limit), or every provider of the account
    (FARGATE and FARGATE_SPOT included) when names is empty, with their tags; returns (providers, failures)."""
    if not names:
        return _describe_capacity_provider_pages(client, None)
    providers, failures = [], []
    for start in range(0, len(names), DESCRIBE_BATCH_SIZE):
        batch_providers, batch_failures = _describe_capacity_provider_pages(client, names[start : start + DESCRIBE_BATCH_SIZE])
        providers.extend(batch_providers)
        failures.extend(batch_failures)
    return providers, failures


def capacity_provider_result(provider):
    """A capacity provider as modules return it: snake_case, tags as a dict."""
    result = camel_dict_to_snake_dict({key: value for key, value in provider.items() if key != "tags"})
    result["tags"] = ecs_tags_to_dict(provider.get("tags"))
    return result


@ECSErrorHandler.common_error_handler("find Auto Scaling group {name}")
@retry
def get_auto_scaling_group_arn(autoscaling, name):
    """ARN of the Auto Scaling group called name, or None when there is none."""
    groups = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"]
    return groups[0]["AutoScalingGroupARN"] if groups else None


def auto_scaling_group_name(arn_or_name):
    """The group name in an ASG ARN (…:autoScalingGroupName/NAME), or the argument itself when it is a name."""
    marker = "autoScalingGroupName/"
    return arn_or_name.split(marker, 1)[1] if marker in arn_or_name else arn_or_name


# ---------------------------------------------------------------- container instances


@ECSErrorHandler.common_error_handler("list container instances of cluster {cluster}")
@retry
def list_container_instance_arns(client, cluster, status=None, filter_expression=None):
    params = {"cluster": cluster, "PaginationConfig": {"PageSize": DESCRIBE_BATCH_SIZE}}
    if status:
        params["status"] = status
    if filter_expression:
        params["filter"] = filter_expression
    return client.get_paginator("list_container_instances").paginate(**params).build_full_result().get("containerInstanceArns", [])


@ECSErrorHandler.common_error_handler("describe container instances of cluster {cluster}")
@retry
def _describe_container_instance_batch(client, cluster, arns):
    answer = client.describe_container_instances(cluster=cluster, containerInstances=arns, include=["TAGS"])
    return answer.get("containerInstances", []), answer.get("failures", [])


def describe_container_instances(client, cluster, arns):
    """Describe arns in batches of 100 (the API's limit); returns (instances, failures)."""
    instances, failures = [], []
    for start in range(0, len(arns), DESCRIBE_BATCH_SIZE):
        batch_instances, batch_failures = _describe_container_instance_batch(client, cluster, arns[start : start + DESCRIBE_BATCH_SIZE])
        instances.extend(batch_instances)
        failures.extend(batch_failures)
    return instances, failures


def resources_to_dict(resources):
    """registeredResources/remainingResources as {name: value} (CPU and MEMORY as numbers, PORTS as lists)."""
    result = {}
    for resource in resources or []:
        for field in ("integerValue", "longValue", "doubleValue", "stringSetValue"):
            if field in resource:
                result[resource["name"]] = resource[field]
                break
    return result


def is_external_instance(instance):
    """ECS Anywhere instances carry the ecs.capability.external attribute and an SSM managed instance (mi-) id."""
    names = {attribute["name"] for attribute in instance.get("attributes") or []}
    return "ecs.capability.external" in names or (instance.get("ec2InstanceId") or "").startswith("mi-")


# ---------------------------------------------------------------- task definitions


@ECSErrorHandler.common_error_handler("describe task definition {name}")
@retry
def describe_task_definition(client, name):
    """The task definition name (family: its latest ACTIVE revision; family:revision; ARN), or None."""
    try:
        return client.describe_task_definition(taskDefinition=name)["taskDefinition"]
    except is_boto3_error_message("Unable to describe task definition"):
        return None


@ECSErrorHandler.common_error_handler("register a revision of task definition family {definition[family]}")
def register_task_definition(client, definition, before=None, create_client=None):
    """Registers a revision; returns its taskDefinition.

    RegisterTaskDefinition has no client token: sent twice it makes two identical revisions. So it is never repeated
    blindly (create_once): create_client is a client whose botocore does not retry (create_once.single_attempt_client).
    After a failure that may have registered it (a 5xx, a lost answer), the family's latest ACTIVE revision is the
    answer when it is newer than `before` (the latest revision read before, or None) and as wanted."""

    def registered():
        latest = describe_task_definition(client, definition["family"])
        newer = latest is not None and latest.get("status") == "ACTIVE" and latest.get("revision") != (before or {}).get("revision")
        return latest if newer and not task_definition_differs(latest, definition) else None

    return create_once(lambda: (create_client or client).register_task_definition(**definition)["taskDefinition"], registered)


@ECSErrorHandler.common_error_handler("list the ACTIVE revisions of task definition family {family}")
@retry
def list_active_task_definition_arns(client, family):
    """ARNs of the ACTIVE revisions of exactly this family (familyPrefix alone also matches longer names)."""
    pages = client.get_paginator("list_task_definitions").paginate(familyPrefix=family, status="ACTIVE")
    arns = pages.build_full_result().get("taskDefinitionArns", [])
    return [arn for arn in arns if arn.rsplit("/", 1)[-1].rsplit(":", 1)[0] == family]


@ECSErrorHandler.common_error_handler("deregister task definition {arn}")
@retry
def deregister_task_definition(client, arn):
    client.deregister_task_definition(taskDefinition=arn)


# Fields of a task definition this collection manages; ECS adds the others (revision, status, ...).
TASK_DEFINITION_FIELDS = (
    "family",
    "networkMode",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "executionRoleArn",
    "taskRoleArn",
    "containerDefinitions",
    "volumes",
)
# Values ECS fills in when the registration left them out; equal to leaving them out.
CONTAINER_DEFAULTS = {"cpu": 0, "essential": True, "versionConsistency": "enabled"}


def _drop_empty(value):
    if isinstance(value, dict):
        cleaned = {key: _drop_empty(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, [], {})}
    if isinstance(value, list):
        return [_drop_empty(item) for item in value]
    return value


def _normalize_port_mapping(mapping, network_mode):
    mapping = dict(mapping)
    if mapping.get("protocol") == "tcp":
        del mapping["protocol"]
    host_port = mapping.get("hostPort")
    if host_port == 0 or (network_mode == "host" and host_port == mapping.get("containerPort")):
        mapping.pop("hostPort")
    return mapping


def _normalize_container(container, network_mode):
    container = {key: value for key, value in container.items() if CONTAINER_DEFAULTS.get(key, object()) != value}
    if "portMappings" in container:
        container["portMappings"] = [_normalize_port_mapping(mapping, network_mode) for mapping in container["portMappings"]]
    if "mountPoints" in container:
        container["mountPoints"] = [{k: v for k, v in point.items() if not (k == "readOnly" and v is False)} for point in container["mountPoints"]]
    for named_list in ("environment", "secrets"):
        if named_list in container:
            container[named_list] = sorted(container[named_list], key=lambda item: item.get("name", ""))
    return container


def normalize_task_definition(definition):
    """A comparable view of a task definition: only managed fields, ECS defaults and empty values removed,
    order-free lists sorted, task-level cpu/memory as strings."""
    if not definition:
        return None
    view = _drop_empty({field: definition.get(field) for field in TASK_DEFINITION_FIELDS})
    network_mode = view.get("networkMode", "bridge")
    for field in ("cpu", "memory"):
        if field in view:
            view[field] = str(view[field])
    if "requiresCompatibilities" in view:
        view["requiresCompatibilities"] = sorted(view["requiresCompatibilities"])
    containers = [_normalize_container(container, network_mode) for container in view.get("containerDefinitions", [])]
    view["containerDefinitions"] = sorted(containers, key=lambda container: container.get("name", ""))
    if "volumes" in view:
        view["volumes"] = sorted(view["volumes"], key=lambda volume: volume.get("name", ""))
    return view


def task_definition_differs(current, wanted):
    """Whether registering wanted (API shape) would change the family whose latest ACTIVE revision is current (a
    definition, raw or normalized; None: there is none): the rule of ecs_external_task_definition."""
    return normalize_task_definition(current) != normalize_task_definition(wanted)


def task_definition_is_external(definition):
    compatibilities = definition.get("compatibilities") or definition.get("requiresCompatibilities") or []
    return "EXTERNAL" in compatibilities


# ---------------------------------------------------------------- services


@ECSErrorHandler.list_error_handler("describe service {name} in cluster {cluster}")
@retry
def describe_service(client, cluster, name):
    """The service, or None when it does not exist or was deleted (INACTIVE)."""
    answer = client.describe_services(cluster=cluster, services=[name], include=["TAGS"])
    for service in answer.get("services", []):
        if service.get("status") != "INACTIVE":
            return service
    return None


def external_service_fields(options, task_definition):
    """The managed fields of an EXTERNAL service that hybridcloud.aws.ecs_external_service's options ask for, in the
    API's shape (unset options absent); task_definition is the resolved revision ARN (None: unset). Shared with the
    filter hybridcloud.aws.ecs_services_writes, which predicts the module."""
    wanted = {}
    if task_definition:
        wanted["taskDefinition"] = task_definition
    if options.get("desired_count") is not None:
        wanted["desiredCount"] = options["desired_count"]
    for option, field in (("placement_constraints", "placementConstraints"), ("placement_strategy", "placementStrategy")):
        if options.get(option) is not None:
            wanted[field] = [scrub_none_parameters(item) for item in options[option]]
    if options.get("deployment_configuration"):
        wanted["deploymentConfiguration"] = snake_dict_to_camel_dict(scrub_none_parameters(options["deployment_configuration"]))
    return wanted


def external_service_changes(current, wanted):
    """The fields of wanted that differ from current (hybridcloud.aws.ecs_external_service's rule); the deployment
    configuration is merged over the current one."""
    changes = {}
    for field, value in wanted.items():
        existing = current.get(field)
        target = dict(existing or {}, **value) if field == "deploymentConfiguration" else value
        if isinstance(target, list):
            existing = existing or []
        if existing != target:
            changes[field] = target
    return changes


def ec2_service_differences(params, existing):
    """What community.aws.ecs_service finds different between its params (the module's option names) and the service
    ECS answers (tags as a dict): its is_matching_service rule, field by field. That module is not this collection's;
    this is its rule, kept here once so that the filter hybridcloud.aws.ecs_services_writes predicts it. An empty list:
    the module would not update the service."""
    differences = []
    task_definition_differs = params.get("task_definition") != (existing.get("taskDefinition") or "").split("/")[-1]
    if task_definition_differs and (existing.get("deploymentController") or {}).get("type") != "CODE_DEPLOY":
        differences.append("task_definition")
    grace = params.get("health_check_grace_period_seconds")
    if grace and grace != existing.get("healthCheckGracePeriodSeconds"):
        differences.append("health_check_grace_period_seconds")
    if (params.get("load_balancers") or []) != existing.get("loadBalancers"):
        differences.append("load_balancers")
    if (params.get("propagate_tags") or "NONE") != existing.get("propagateTags"):
        differences.append("propagate_tags")
    if (existing.get("tags") or {}) != (params.get("tags") or {}):
        differences.append("tags")
    if (params.get("enable_execute_command") or False) != existing.get("enableExecuteCommand", False):
        differences.append("enable_execute_command")
    if params.get("scheduling_strategy") != "DAEMON" and (params.get("desired_count") or 0) != existing.get("desiredCount"):
        differences.append("desired_count")
    return differences


@ECSErrorHandler.common_error_handler("create service {params[serviceName]} in cluster {params[cluster]}")
@retry
def create_service(client, params):
    return client.create_service(**params)["service"]


@ECSErrorHandler.common_error_handler("update service {params[service]} in cluster {params[cluster]}")
@retry
def update_service(client, params):
    return client.update_service(**params)["service"]


@ECSErrorHandler.deletion_error_handler("delete service {name} in cluster {cluster}")
@retry
def delete_service(client, cluster, name):
    client.delete_service(cluster=cluster, service=name)
    return True


def service_is_steady(service):
    """The services_stable rule: one deployment, and as many tasks running as desired; raises when the service is gone."""
    if service is None or service.get("status") != "ACTIVE":
        raise AnsibleECSError(message="The service disappeared or is being deleted while waiting for it to become steady")
    return len(service.get("deployments", [])) == 1 and service.get("runningCount") == service.get("desiredCount")


def service_state(service):
    """What a wait saw of a service: its status, tasks running of desired and deployments, or deleted."""
    if service is None:
        return "deleted"
    deployments = len(service.get("deployments") or [])
    running, desired = service.get("runningCount", 0), service.get("desiredCount", 0)
    return f"{service.get('status')}, {running} of {desired} tasks running, {deployments} deployment{'' if deployments == 1 else 's'}"


def wait_for_service(client, cluster, name, timeout, gone=False, *, progress=None):
    """Poll until the service is steady (and return it), or (gone=True) until it is deleted.
    progress: a waiting.Waits that records the wait."""

    def fetch():
        return describe_service(client, cluster, name)

    if gone:
        return wait_until(fetch, lambda service: service is None, timeout, f"service {name} to be deleted", progress=progress, state=service_state)
    return wait_until(fetch, service_is_steady, timeout, f"service {name} to reach a steady state", progress=progress, state=service_state)


# ---------------------------------------------------------------- cluster settings


@ECSErrorHandler.common_error_handler("describe cluster {cluster}")
@retry
def describe_cluster_with_settings(client, cluster):
    """The cluster (name or ARN) with its settings, or None when it does not exist or was deleted (INACTIVE)."""
    answer = client.describe_clusters(clusters=[cluster], include=["SETTINGS"])
    for found in answer.get("clusters", []):
        if found.get("status") != "INACTIVE":
            return found
    return None


@ECSErrorHandler.common_error_handler("update the settings of cluster {cluster}")
@retry
def update_cluster_settings(client, cluster, settings):
    """Set the given settings ({name: value}); ECS leaves the settings not named alone. Returns the cluster."""
    answer = client.update_cluster_settings(cluster=cluster, settings=[{"name": name, "value": value} for name, value in sorted(settings.items())])
    return answer["cluster"]


def cluster_settings_to_dict(cluster):
    """A cluster's settings as {name: value}."""
    return {setting["name"]: setting.get("value") for setting in (cluster or {}).get("settings") or []}


# ---------------------------------------------------------------- container instance state


@ECSErrorHandler.common_error_handler("set container instance {arn} of cluster {cluster} to {status}")
@retry
def update_container_instance_state(client, cluster, arn, status):
    answer = client.update_container_instances_state(cluster=cluster, containerInstances=[arn], status=status)
    return (answer.get("containerInstances") or [None])[0]


@ECSErrorHandler.common_error_handler("deregister container instance {arn} of cluster {cluster}")
@retry
def deregister_container_instance(client, cluster, arn, force):
    client.deregister_container_instance(cluster=cluster, containerInstance=arn, force=force)


def find_container_instance(client, cluster, container_instance=None, ec2_instance_id=None):
    """The container instance named by its ARN/id, or registered for an EC2 (i-) or SSM managed (mi-) id; or None."""
    if container_instance:
        instances, _failures = describe_container_instances(client, cluster, [container_instance])
    else:
        instances, _failures = describe_container_instances(client, cluster, list_container_instance_arns(client, cluster))
        instances = [instance for instance in instances if instance.get("ec2InstanceId") == ec2_instance_id]
    return instances[0] if instances else None


# Fields that would be unreadable after camel_dict_to_snake_dict or that are handled separately.
_RESHAPED = ("attributes", "registeredResources", "remainingResources", "tags", "attachments", "registeredAt")


def container_instance_result(instance):
    """A container instance as modules return it: snake_case, attributes/resources/tags as dicts."""
    result = camel_dict_to_snake_dict({key: value for key, value in instance.items() if key not in _RESHAPED})
    result["container_instance_id"] = instance["containerInstanceArn"].rsplit("/", 1)[-1]
    result["external"] = is_external_instance(instance)
    result["attributes"] = {attribute["name"]: attribute.get("value") for attribute in instance.get("attributes") or []}
    result["registered_resources"] = resources_to_dict(instance.get("registeredResources"))
    result["remaining_resources"] = resources_to_dict(instance.get("remainingResources"))
    result["tags"] = ecs_tags_to_dict(instance.get("tags"))
    if instance.get("registeredAt"):
        result["registered_at"] = instance["registeredAt"].isoformat()
    return result
