# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Input checks of the compute and SSM roles (systems_manager, ecs_cluster, ecs_services), all at once.

Each checker takes the role's variables (name -> value, as the role hands them over) and what the role read
before (references: which KMS keys and IAM roles named by the input exist) and returns every problem as
"VARIABLE: what is wrong (got VALUE)", so that one failed task names every bad input before the first change.
Limits follow the AWS APIs (IAM role names, SSM parameter and association rules, ECS and Auto Scaling limits).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/([\w+=,.@/-]+/)?[\w+=,.@-]{1,64}$")
MANAGED_POLICY_PATH = re.compile(r"^[A-Za-z0-9+=,.@_-]+(/[A-Za-z0-9+=,.@_-]+)*$")
KMS_KEY = re.compile(
    r"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias/[A-Za-z0-9/_-]{1,250}"
    r"|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key/[0-9a-f-]{36}|key/mrk-[0-9a-f]{32}|alias/[A-Za-z0-9/_-]{1,250}))$"
)
KMS_ALIAS = re.compile(r"^alias/[A-Za-z0-9/_-]{1,250}$")
REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$")
PARAMETER_PREFIX = re.compile(r"^(/[A-Za-z0-9_.-]+)+$")
PARAMETER_KEY = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")
ECS_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
SERVICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$")
ASSOCIATION_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,128}$")
DOCUMENT_NAME = re.compile(r"^(arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:document/)?[A-Za-z0-9_.-]{3,128}$")
TARGET_KEY = re.compile(r"^(tag:[^\s]{1,128}|tag-key|InstanceIds|resource-groups:Name|resource-groups:ResourceTypeFilters)$")
MAX_CONCURRENCY = re.compile(r"^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$")
MAX_ERRORS = re.compile(r"^([1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%)$")
RATE = re.compile(r"^rate\((?P<value>[1-9][0-9]*) (?P<unit>minutes?|hours?|days?)\)$")
CRON_FIELD = re.compile(r"^[0-9A-Za-z*?/,#L-]+$")
AMI_ID = re.compile(r"^ami-[0-9a-f]{8,17}$")
INSTANCE_TYPE = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9-]+$")
SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8,17}$")
SECURITY_GROUP_ID = re.compile(r"^sg-[0-9a-f]{8,17}$")
AGENT_KEY = re.compile(r"^ECS_[A-Z0-9_]+$")
SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNSPECIFIED"]


def _shown(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class _Errors:
    def __init__(self):
        self.items = []

    def add(self, name, message, value=None, show=True):
        self.items.append(f"{name}: {message}" + (f" (got {_shown(value)})" if show else ""))

    def integer(self, name, value, low=None, high=None):
        """value as an int within [low, high], else None after adding an error. Booleans are not numbers."""
        number = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and re.match(r"^-?[0-9]+$", value.strip()):
            number = int(value)
        if number is None:
            self.add(name, "must be an integer", value)
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"at least {low}" if high is None else f"{low} to {high}" if low is not None else f"at most {high}"
            self.add(name, f"must be {bounds}", value)
            return None
        return number

    def number(self, name, value, low=None, high=None):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.add(name, "must be a number", value)
            return None
        try:
            number = float(value)
        except ValueError:
            self.add(name, "must be a number", value)
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.add(name, f"must be {low} to {high}" if high is not None else f"must be at least {low}", value)
            return None
        return number

    def boolean(self, name, value):
        if not isinstance(value, bool):
            self.add(name, "must be true or false", value)

    def pattern(self, name, value, regex, what, allow_empty=False):
        if allow_empty and value in ("", None):
            return True
        if not isinstance(value, str) or not regex.match(value):
            self.add(name, f"must be {what}", value)
            return False
        return True

    def choice(self, name, value, choices):
        if value not in choices:
            self.add(name, f"must be one of {', '.join(map(str, choices))}", value)

    def mapping(self, name, value):
        if not isinstance(value, dict):
            self.add(name, "must be a dict", value)
            return {}
        return value

    def sequence(self, name, value):
        if not isinstance(value, list):
            self.add(name, "must be a list", value)
            return []
        return value

    def tags(self, name, value):
        for key, tag in self.mapping(name, value).items():
            if not isinstance(key, str) or not 1 <= len(key) <= 128 or key.lower().startswith("aws:"):
                self.add(name, "tag keys are 1 to 128 characters and do not start with aws:", key)
            if not isinstance(tag, str) or len(tag) > 256:
                self.add(f"{name}.{key}", "tag values are strings of at most 256 characters", tag)

    def kms_key(self, name, value, references):
        if self.pattern(name, value, KMS_KEY, "a KMS key id, key ARN, alias/NAME or alias ARN", allow_empty=True) and value:
            known = references.get("kms_keys", {})
            if value in known and not known[value]:
                self.add(name, "names a KMS key that does not exist (or cannot be described)", value)


def schedule_errors(expression):
    """What is wrong with a State Manager schedule: cron(5 to 7 fields) or rate(N minutes|hours|days), at least 30 minutes."""
    if not isinstance(expression, str):
        return "must be a cron() or rate() expression"
    text = expression.strip()
    rate = RATE.match(text)
    if rate:
        value, unit = int(rate.group("value")), rate.group("unit")
        if unit.startswith("minute") and value < 30:
            return "a rate() schedule runs at most every 30 minutes"
        if (value == 1) == unit.endswith("s"):
            return f"rate({value} ...) takes the unit in {'singular' if value == 1 else 'plural'}"
        return None
    if text.startswith("cron(") and text.endswith(")"):
        fields = text[5:-1].split()
        if not 5 <= len(fields) <= 7 or not all(CRON_FIELD.match(field) for field in fields):
            return "a cron() schedule has 5 to 7 fields of digits, names and * ? / , - # L"
        return None
    if text.startswith("at("):
        return None
    return "must be cron(...), rate(N minutes|hours|days) or at(...)"


def systems_manager_errors(values, references):
    errors = _Errors()
    v = values.get
    errors.pattern("systems_manager_service_role_name", v("systems_manager_service_role_name"), ROLE_NAME, "an IAM role name (1 to 64 of A-Z a-z 0-9 +=,.@_-)")
    for policy in errors.sequence("systems_manager_service_role_policies", v("systems_manager_service_role_policies", [])):
        errors.pattern("systems_manager_service_role_policies", policy, MANAGED_POLICY_PATH, "paths after arn:PARTITION:iam::aws:policy/")
    for name, limit in (("systems_manager_activation_name", 256), ("systems_manager_activation_description", 256)):
        value = v(name)
        if not isinstance(value, str) or len(value) > limit or (name.endswith("_name") and not value):
            errors.add(name, f"must be a {'non-empty ' if name.endswith('_name') else ''}string of at most {limit} characters", value)
    hosts = errors.integer("systems_manager_onprem_hosts", v("systems_manager_onprem_hosts", 0), 0)
    limit = errors.integer("systems_manager_registration_limit", v("systems_manager_registration_limit"), 1, 1000)
    if limit is not None and hosts is not None and limit < hosts:
        errors.add("systems_manager_registration_limit", f"is smaller than the {hosts} on-premises hosts of the inventory", limit)
    days = errors.integer("systems_manager_activation_expiration_days", v("systems_manager_activation_expiration_days"), 1, 30)
    renew = errors.integer("systems_manager_activation_renew_days", v("systems_manager_activation_renew_days"), 0)
    if days is not None and renew is not None and renew >= days:
        errors.add("systems_manager_activation_renew_days", f"must be smaller than systems_manager_activation_expiration_days ({days})", renew)
    errors.kms_key("systems_manager_code_kms_key_id", v("systems_manager_code_kms_key_id", ""), references)
    alias = v("systems_manager_code_kms_key_alias", "")
    if errors.pattern("systems_manager_code_kms_key_alias", alias, KMS_ALIAS, "alias/ and 1 to 250 of A-Z a-z 0-9 / _ -") and alias.startswith("alias/aws/"):
        errors.add("systems_manager_code_kms_key_alias", "alias/aws/ is reserved for AWS managed keys", alias)
    prefix = v("systems_manager_parameter_prefix")
    if errors.pattern("systems_manager_parameter_prefix", prefix, PARAMETER_PREFIX, "a path like /a/b (no trailing /)") and re.match(
        r"^/?(aws|ssm)", prefix, re.I
    ):
        errors.add("systems_manager_parameter_prefix", "must not begin with aws or ssm (reserved by SSM)", prefix)
    errors.pattern("systems_manager_region", v("systems_manager_region", ""), REGION, "a region name like eu-central-1", allow_empty=True)
    errors.pattern("systems_manager_ecs_cluster", v("systems_manager_ecs_cluster", ""), ECS_NAME, "an ECS cluster name", allow_empty=True)
    for name in ("systems_manager_onprem_parameters", "systems_manager_endpoints"):
        for key, value in errors.mapping(name, v(name, {})).items():
            if not isinstance(key, str) or not PARAMETER_KEY.match(key):
                errors.add(name, "keys must be paths of A-Z a-z 0-9 _ . - and /", key)
            if name == "systems_manager_endpoints" and not (isinstance(value, str) and re.match(r"^https?://[^\s/]+", value)):
                errors.add(f"{name}.{key}", "must be an http(s) URL", value)
    default_targets = errors.sequence("systems_manager_association_targets", v("systems_manager_association_targets", []))
    _targets(errors, "systems_manager_association_targets", default_targets)
    seen = set()
    for index, association in enumerate(errors.sequence("systems_manager_associations", v("systems_manager_associations", []))):
        label = f"systems_manager_associations[{index}]"
        if not isinstance(association, dict):
            errors.add(label, "must be a dict", association)
            continue
        name = association.get("name")
        if errors.pattern(f"{label}.name", name, ASSOCIATION_NAME, "3 to 128 of A-Z a-z 0-9 _ . -"):
            label = f"systems_manager_associations[{name}]"
            if name in seen:
                errors.add(f"{label}.name", "is used twice", name)
            seen.add(name)
        errors.pattern(f"{label}.document", association.get("document"), DOCUMENT_NAME, "an SSM document name or ARN")
        problem = schedule_errors(association.get("schedule"))
        if problem:
            errors.add(f"{label}.schedule", problem, association.get("schedule"))
        if association.get("apply_only_at_cron_interval") and not str(association.get("schedule", "")).strip().startswith("cron("):
            errors.add(f"{label}.apply_only_at_cron_interval", "needs a cron() schedule", association.get("schedule"))
        for key, regex, what in (("max_concurrency", MAX_CONCURRENCY, "a number >= 1 or 1% to 100%"), ("max_errors", MAX_ERRORS, "a number or 0% to 100%")):
            if key in association:
                errors.pattern(f"{label}.{key}", str(association[key]), regex, what)
        if "compliance_severity" in association:
            errors.choice(f"{label}.compliance_severity", association["compliance_severity"], SEVERITIES)
        errors.choice(f"{label}.state", association.get("state", "present"), ["present", "absent"])
        for key, given in errors.mapping(f"{label}.parameters", association.get("parameters", {})).items():
            if isinstance(given, dict):
                errors.add(f"{label}.parameters.{key}", "must be a string or a list of strings", given)
        if "targets" in association:
            _targets(errors, f"{label}.targets", errors.sequence(f"{label}.targets", association["targets"]), required=True)
        elif not default_targets and association.get("state", "present") == "present":
            errors.add(f"{label}.targets", "no targets: set them here or in systems_manager_association_targets", None, show=False)
    errors.tags("systems_manager_tags", v("systems_manager_tags", {}))
    return errors.items


def _targets(errors, label, targets, required=False):
    if required and not targets:
        errors.add(label, "must name at least one target", targets)
    for target in targets:
        if not isinstance(target, dict) or not isinstance(target.get("values"), list) or not target.get("values"):
            errors.add(label, "each target needs a key and a non-empty list of values", target)
            continue
        errors.pattern(f"{label}.key", target.get("key"), TARGET_KEY, "tag:NAME, tag-key, InstanceIds or resource-groups:Name")


def ecs_cluster_errors(values, references):
    errors = _Errors()
    v = values.get
    errors.pattern("ecs_cluster_name", v("ecs_cluster_name"), ECS_NAME, "1 to 255 letters, digits, - and _")
    provider = v("ecs_cluster_capacity_provider_name")
    if errors.pattern("ecs_cluster_capacity_provider_name", provider, ECS_NAME, "1 to 255 letters, digits, - and _") and provider.lower().startswith(
        ("aws", "ecs", "fargate")
    ):
        errors.add("ecs_cluster_capacity_provider_name", "must not start with aws, ecs or fargate", provider)
    name = v("ecs_cluster_name")
    if isinstance(name, str) and len(name) + len("-ecs-instance") > 64:
        errors.add("ecs_cluster_name", "makes the instance role name <name>-ecs-instance longer than 64 characters", name)
    errors.pattern("ecs_cluster_region", v("ecs_cluster_region", ""), REGION, "a region name like eu-central-1", allow_empty=True)
    errors.pattern("ecs_cluster_ami_id", v("ecs_cluster_ami_id", ""), AMI_ID, "an ami- id", allow_empty=True)
    errors.pattern("ecs_cluster_ami_parameter", v("ecs_cluster_ami_parameter"), PARAMETER_PREFIX, "an SSM parameter path")
    errors.pattern("ecs_cluster_instance_type", v("ecs_cluster_instance_type"), INSTANCE_TYPE, "an EC2 instance type like t3.medium")
    errors.integer("ecs_cluster_root_volume_size", v("ecs_cluster_root_volume_size"), 30, 16384)
    errors.kms_key("ecs_cluster_volume_kms_key_id", v("ecs_cluster_volume_kms_key_id", ""), references)
    low = errors.integer("ecs_cluster_min_size", v("ecs_cluster_min_size"), 0)
    high = errors.integer("ecs_cluster_max_size", v("ecs_cluster_max_size"), 1)
    if low is not None and high is not None and low > high:
        errors.add("ecs_cluster_min_size", f"must not exceed ecs_cluster_max_size ({high})", low)
    desired = v("ecs_cluster_desired_capacity")
    if desired not in (None, ""):
        count = errors.integer("ecs_cluster_desired_capacity", desired, 0)
        if count is not None and low is not None and high is not None and not low <= count <= high:
            errors.add("ecs_cluster_desired_capacity", f"must lie between ecs_cluster_min_size ({low}) and ecs_cluster_max_size ({high})", count)
    errors.integer("ecs_cluster_target_capacity", v("ecs_cluster_target_capacity"), 1, 100)
    step_low = errors.integer("ecs_cluster_minimum_scaling_step_size", v("ecs_cluster_minimum_scaling_step_size"), 1, 10000)
    step_high = errors.integer("ecs_cluster_maximum_scaling_step_size", v("ecs_cluster_maximum_scaling_step_size"), 1, 10000)
    if step_low is not None and step_high is not None and step_low > step_high:
        errors.add("ecs_cluster_minimum_scaling_step_size", f"must not exceed ecs_cluster_maximum_scaling_step_size ({step_high})", step_low)
    errors.integer("ecs_cluster_instance_warmup_period", v("ecs_cluster_instance_warmup_period"), 0, 10000)
    for name in ("ecs_cluster_managed_termination_protection", "ecs_cluster_managed_draining", "ecs_cluster_metrics_collection"):
        errors.boolean(name, v(name))
    errors.choice("ecs_cluster_container_insights", v("ecs_cluster_container_insights"), ["enabled", "disabled", "enhanced"])
    for key, value in errors.mapping("ecs_cluster_agent_config", v("ecs_cluster_agent_config", {})).items():
        if key == "ECS_CLUSTER":
            errors.add("ecs_cluster_agent_config", "must not set ECS_CLUSTER (always ecs_cluster_name)", key)
        elif not isinstance(key, str) or not AGENT_KEY.match(key):
            errors.add("ecs_cluster_agent_config", "keys are ECS_* agent settings", key)
        if re.search(r"[\r\n]", str(value)):
            errors.add(f"ecs_cluster_agent_config.{key}", "values are single lines", value)
    for subnet in errors.sequence("ecs_cluster_subnet_ids", v("ecs_cluster_subnet_ids", [])):
        errors.pattern("ecs_cluster_subnet_ids", subnet, SUBNET_ID, "subnet- ids")
    for group in errors.sequence("ecs_cluster_security_group_ids", v("ecs_cluster_security_group_ids", [])):
        errors.pattern("ecs_cluster_security_group_ids", group, SECURITY_GROUP_ID, "sg- ids")
    if not references.get("check_mode") and (not v("ecs_cluster_subnet_ids") or not v("ecs_cluster_security_group_ids")):
        message = "is empty, or ecs_cluster_security_group_ids is: run hybridcloud.aws.network first or set them"
        errors.add("ecs_cluster_subnet_ids", message, None, show=False)
    for parameter in errors.sequence("ecs_cluster_protected_parameters", v("ecs_cluster_protected_parameters", [])):
        errors.pattern("ecs_cluster_protected_parameters", parameter, re.compile(r"^/[A-Za-z0-9_.\-/*]+$"), "SSM parameter names or patterns with *")
    errors.tags("ecs_cluster_tags", v("ecs_cluster_tags", {}))
    return errors.items


def ecs_services_errors(values, references):
    errors = _Errors()
    v = values.get
    check_mode = bool(references.get("check_mode"))
    repositories = v("ecs_services_repository_uris", {}) or {}
    target_groups = v("ecs_services_target_group_arns", {}) or {}
    roles = references.get("iam_roles")
    cluster_name = str(v("ecs_services_cluster_name", "") or "")
    errors.pattern("ecs_services_execution_role_name", v("ecs_services_execution_role_name"), ROLE_NAME, "an IAM role name (1 to 64 characters)")
    errors.integer("ecs_services_minimum_healthy_percent", v("ecs_services_minimum_healthy_percent"), 0, 100)
    errors.integer("ecs_services_maximum_percent", v("ecs_services_maximum_percent"), 100, 2000)
    errors.boolean("ecs_services_circuit_breaker_rollback", v("ecs_services_circuit_breaker_rollback"))
    errors.integer("ecs_services_health_check_grace_period", v("ecs_services_health_check_grace_period"), 0, 2147483647)
    credentials = v("ecs_services_registry_credentials_arn", "")
    seen = set()
    services = errors.sequence("ecs_services_services", v("ecs_services_services", []))
    if services and not v("ecs_services_cluster") and not check_mode:
        errors.add("ecs_services_cluster", "is empty: run hybridcloud.aws.ecs_cluster first or set it", None, show=False)
    if any(isinstance(s, dict) and s.get("placement", "ec2") == "ec2" for s in services) and not v("ecs_services_capacity_provider"):
        errors.add("ecs_services_capacity_provider", "is empty: EC2 services run through the cluster's capacity provider", None, show=False)
    for index, service in enumerate(services):
        label = f"ecs_services_services[{index}]"
        if not isinstance(service, dict):
            errors.add(label, "must be a dict", service)
            continue
        name = service.get("name")
        if errors.pattern(f"{label}.name", name, SERVICE_NAME, "1 to 255 letters, digits, - and _ (a letter or digit first)"):
            label = f"ecs_services_services[{name}]"
            if name in seen:
                errors.add(f"{label}.name", "is used twice", name)
            seen.add(name)
        placement = service.get("placement", "ec2")
        errors.choice(f"{label}.placement", placement, ["ec2", "external"])
        if "image" in service:
            if not isinstance(service["image"], str) or not service["image"] or re.search(r"\s", service["image"]):
                errors.add(f"{label}.image", "must be an image reference", service["image"])
        elif "repository" in service:
            if service["repository"] not in repositories and not check_mode:
                errors.add(f"{label}.repository", f"must be one of {sorted(repositories)}", service["repository"])
            if not service.get("tag"):
                errors.add(f"{label}.tag", "is needed with repository", None, show=False)
        else:
            errors.add(label, "needs image, or repository with tag", None, show=False)
        if service.get("registry_credentials") and not credentials:
            errors.add(f"{label}.registry_credentials", "needs ecs_services_registry_credentials_arn", None, show=False)
        errors.integer(f"{label}.cpu", service.get("cpu", 256), 0, 10240)
        errors.integer(f"{label}.memory", service.get("memory", 512), 6, 122880)
        port = errors.integer(f"{label}.container_port", service["container_port"], 1, 65535) if "container_port" in service else None
        errors.integer(f"{label}.host_port", service.get("host_port", 0), 0, 65535)
        errors.integer(f"{label}.desired_count", service.get("desired_count", 1), 0, 10000)
        errors.mapping(f"{label}.environment", service.get("environment", {}))
        if "command" in service:
            errors.sequence(f"{label}.command", service["command"])
        if "target_group" in service:
            if placement == "external":
                errors.add(f"{label}.target_group", "is for ec2 services only", service["target_group"])
            if service["target_group"] not in target_groups and not check_mode:
                errors.add(f"{label}.target_group", f"must be one of {sorted(target_groups)}", service["target_group"])
            if port is None and "container_port" not in service:
                errors.add(f"{label}.container_port", "is needed with target_group", None, show=False)
        _task_role(errors, label, service, cluster_name, roles)
        if service.get("autoscaling"):
            _autoscaling(errors, label, service, v("ecs_services_load_balancer_arn", ""), check_mode)
    errors.tags("ecs_services_tags", v("ecs_services_tags", {}))
    return errors.items


def _task_role(errors, label, service, cluster_name, roles):
    if "task_role_arn" in service:
        arn = service["task_role_arn"]
        if errors.pattern(f"{label}.task_role_arn", arn, ROLE_ARN, "an IAM role ARN") and roles is not None and arn not in roles:
            errors.add(f"{label}.task_role_arn", "names an IAM role that does not exist", arn)
        if "task_role_policy" in service:
            errors.add(f"{label}.task_role_policy", "applies to the role the role creates, not to task_role_arn", None, show=False)
        return
    name = f"{cluster_name}-{service.get('name')}-task"
    if len(name) > 64:
        errors.add(f"{label}.name", f"makes the task role name {name} longer than 64 characters (set task_role_arn)", service.get("name"))
    policy = service.get("task_role_policy")
    if policy is not None:
        if not isinstance(policy, dict) or not isinstance(policy.get("Statement"), list) or not policy["Statement"]:
            errors.add(f"{label}.task_role_policy", "must be an IAM policy document with a Statement list", policy)
        elif not all(_valid_statement(statement) for statement in policy["Statement"]):
            errors.add(f"{label}.task_role_policy", "every statement needs Effect Allow or Deny and Action", policy)


def _valid_statement(statement):
    return isinstance(statement, dict) and statement.get("Effect") in ("Allow", "Deny") and ("Action" in statement or "NotAction" in statement)


def _autoscaling(errors, label, service, load_balancer_arn, check_mode):
    scaling = errors.mapping(f"{label}.autoscaling", service["autoscaling"])
    if not scaling:
        return
    low = errors.integer(f"{label}.autoscaling.min_tasks", scaling.get("min_tasks"), 0) if "min_tasks" in scaling else None
    high = errors.integer(f"{label}.autoscaling.max_tasks", scaling.get("max_tasks"), 0) if "max_tasks" in scaling else None
    if "min_tasks" not in scaling or "max_tasks" not in scaling:
        errors.add(f"{label}.autoscaling", "needs min_tasks and max_tasks", scaling)
    elif low is not None and high is not None and low > high:
        errors.add(f"{label}.autoscaling.min_tasks", f"must not exceed max_tasks ({high})", low)
    errors.number(f"{label}.autoscaling.cpu_target", scaling.get("cpu_target", 60), 0, 100)
    errors.number(f"{label}.autoscaling.step_cpu_threshold", scaling.get("step_cpu_threshold", 85), 0, 100)
    errors.integer(f"{label}.autoscaling.scale_in_cooldown", scaling.get("scale_in_cooldown", 300), 0)
    errors.integer(f"{label}.autoscaling.scale_out_cooldown", scaling.get("scale_out_cooldown", 60), 0)
    errors.integer(f"{label}.autoscaling.step_adjustment", scaling.get("step_adjustment", 2), 1)
    if "requests_per_target" in scaling:
        errors.number(f"{label}.autoscaling.requests_per_target", scaling["requests_per_target"], 0.001)
        if "target_group" not in service:
            errors.add(f"{label}.autoscaling.requests_per_target", "needs a target_group", None, show=False)
        if not load_balancer_arn and not check_mode:
            errors.add(f"{label}.autoscaling.requests_per_target", "needs ecs_services_load_balancer_arn", None, show=False)


CHECKERS = {"systems_manager": systems_manager_errors, "ecs_cluster": ecs_cluster_errors, "ecs_services": ecs_services_errors}


def compute_input_errors(values, role, references=None):
    if role not in CHECKERS:
        raise ValueError(f"unknown role {role!r}; one of {sorted(CHECKERS)}")
    return CHECKERS[role](values or {}, references or {})
