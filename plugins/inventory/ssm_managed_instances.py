# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
name: ssm_managed_instances
version_added: 0.1.0
short_description: Inventory of the hybrid managed instances (mi-) of AWS Systems Manager
description:
  - Reads the on-premises machines registered with AWS Systems Manager through hybrid activations (managed
    instances with C(mi-) ids) with DescribeInstanceInformation, paginated, in each region of O(regions), and their
    tags with ListTagsForResource (C(ResourceType=ManagedInstance)), one call per instance.
  - Every host joins the group C(ssm_managed_instances). Groups by tag, ping status, platform or anything else
    come from O(keyed_groups) and O(groups), host variables from O(compose) (for example C(ansible_host)).
  - 'Host variables: the fields of DescribeInstanceInformation in snake_case (C(instance_id), C(ping_status),
    C(platform_type), C(platform_name), C(platform_version), C(ip_address), C(computer_name),
    C(agent_version), C(activation_id), C(iam_role), C(resource_type), C(registration_date),
    C(last_ping_date_time) and the others AWS returns; dates as ISO 8601 text in UTC), C(ssm_tags) (the tags as a
    dict) and C(ssm_region). A field whose name Ansible reserves gets the prefix C(ssm_), so the C(Name) of the instance
    (the default instance name of its activation) is C(ssm_name).'
  - The inventory file is a YAML file whose name ends with C(ssm_managed_instances.yml) or
    C(ssm_managed_instances.yaml), for example C(production.ssm_managed_instances.yml).
  - The credential and endpoint options (O(profile), O(access_key), O(endpoint_url), O(assume_role_arn), ...) work
    as in the P(amazon.aws.aws_ec2#inventory) inventory, from the same base.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
extends_documentation_fragment:
  - inventory_cache
  - constructed
  - amazon.aws.boto3
  - amazon.aws.common.plugins
  - amazon.aws.region.plugins
  - amazon.aws.assume_role.plugins
options:
  plugin:
    description: The name of this plugin; it must be V(hybridcloud.aws.ssm_managed_instances).
    required: true
    type: str
    choices: [hybridcloud.aws.ssm_managed_instances]
  regions:
    description:
      - The regions to read managed instances from.
      - When empty (the default), the region of O(region) (or C(AWS_REGION)) alone; when that is not set either,
        every region EC2's DescribeRegions lists, as P(amazon.aws.aws_ec2#inventory) does.
    type: list
    elements: str
    default: []
  hostnames:
    description:
      - The inventory host name of an instance, in order of preference; the first that gives a non-empty value wins.
      - An entry is a host variable name (V(computer_name), V(instance_id), V(ssm_name), V(ip_address), ...), or
        V(tag:KEY) for the value of the tag KEY, or a dict with C(name), C(prefix) and C(separator) (each of
        C(name) and C(prefix) being such an entry) that joins two values, such as C(prefix-name).
      - When several instances get the same name (a host registered again after a reinstall leaves its old
        registration behind), the one that is C(Online), then the one that pinged last, keeps the name; the others
        are named by their instance id, with a warning.
      - The instance id is always the last resort.
    type: list
    elements: raw
    default: ['tag:Name', 'computer_name', 'instance_id']
  filters:
    description:
      - Server-side filters of DescribeInstanceInformation (its C(Filters) parameter), as a dict of key to a value or
        a list of values; an instance must match every key and one value of each.
      - 'Keys: C(InstanceIds), C(AgentVersion), C(PingStatus), C(PlatformTypes), C(ActivationIds), C(IamRole),
        C(ResourceType), C(AssociationStatus), C(tag-key) and C(tag:KEY).'
      - Unless a filter sets C(ResourceType) itself, C(ResourceType=ManagedInstance) is added, so EC2 instances
        with the SSM agent are left out.
    type: dict
    default: {}
  include_filters:
    description:
      - A list of filter dicts as O(filters); an instance matching any of them is included. Each entry costs one
        query per region.
    type: list
    elements: dict
    default: []
  exclude_filters:
    description:
      - A list of filter dicts as O(filters); an instance matching any of them is left out, whatever O(filters) and
        O(include_filters) say. Each entry costs one query per region.
    type: list
    elements: dict
    default: []
  include_tags:
    description:
      - Read each instance's tags (one ListTagsForResource call per instance) into C(ssm_tags).
      - Without them C(ssm_tags) is empty and V(tag:KEY) host names do not apply; tag filters still work, AWS applies
        them.
    type: bool
    default: true
  strict_permissions:
    description:
      - When false, a region where the credentials are denied DescribeInstanceInformation (access denied) is skipped
        with a warning instead of failing the inventory, and an instance whose tags may not be read gets none.
    type: bool
    default: true
notes:
  - 'IAM permissions: C(ssm:DescribeInstanceInformation), and C(ssm:ListTagsForResource) with O(include_tags);
    C(ec2:DescribeRegions) only when no region is given; C(sts:AssumeRole) with O(assume_role_arn).'
  - Ping status C(ConnectionLost) means the agent has not reported for about five minutes; filter with
    C(PingStatus=Online) or group by C(ping_status) to run only on reachable hosts.
  - 'Reaching the hosts through Session Manager (connection P(amazon.aws.aws_ssm#connection) with
    C(ansible_aws_ssm_instance_id) composed from C(instance_id)): AWS allows Session Manager sessions to hybrid
    managed instances only in the advanced-instances tier (a paid, per-account-and-region setting, UpdateServiceSetting
    C(/ssm/managed-instance/activation-tier)); in the standard tier StartSession fails for C(mi-) ids.'
  - P(amazon.aws.aws_ssm#connection) documents EC2 instance ids only; C(mi-) ids are an open upstream request. It moves every
    module file through an S3 bucket (C(ansible_aws_ssm_bucket_name)) with presigned URLs that the host fetches with
    curl, so each host must reach S3 (over Direct Connect and an S3 endpoint, or the internet), the controller needs
    the session-manager-plugin binary, and C(ansible_aws_ssm_region) must be the instance's region (compose it from
    C(ssm_region)).
  - Without Session Manager, compose C(ansible_host) from C(ip_address) (the address the agent reports) and keep
    SSH, as this collection's on-premises roles do.
"""

EXAMPLES = r"""
# production.ssm_managed_instances.yml: every hybrid managed instance of eu-central-1, credentials from the
# environment (an AWX AWS credential) or the instance profile.
plugin: hybridcloud.aws.ssm_managed_instances
regions:
  - eu-central-1

---
# Groups by tag, ping status and platform; SSH to the address the agent reports.
plugin: hybridcloud.aws.ssm_managed_instances
regions:
  - eu-central-1
filters:
  tag:Project: hybridcloud
exclude_filters:
  - PingStatus: [Inactive]
hostnames:
  - tag:Name
  - computer_name
keyed_groups:
  - key: ssm_tags
    prefix: tag
  - key: ping_status | lower
    prefix: ping
  - key: platform_type | lower
    prefix: platform
groups:
  reachable: ping_status == 'Online'
compose:
  ansible_host: ip_address

---
# Through Session Manager instead of SSH (advanced-instances tier, an S3 bucket for the file transfers).
plugin: hybridcloud.aws.ssm_managed_instances
regions:
  - eu-central-1
filters:
  PingStatus: Online
compose:
  ansible_connection: "'amazon.aws.aws_ssm'"
  ansible_aws_ssm_instance_id: instance_id
  ansible_aws_ssm_region: ssm_region
  ansible_aws_ssm_bucket_name: "'hybridcloud-ssm-transfer'"

---
# Cached for an hour in JSON files, read through a role in another account.
plugin: hybridcloud.aws.ssm_managed_instances
regions: [eu-central-1, eu-west-1]
assume_role_arn: arn:aws:iam::123456789012:role/inventory-reader
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/hybridcloud-inventory
cache_timeout: 3600
"""

import datetime  # noqa: E402 - after DOCUMENTATION, as ansible-test's validate-modules asks

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict  # noqa: E402
from ansible.module_utils.common.text.converters import to_text  # noqa: E402
from ansible.vars.reserved import is_reserved_name  # noqa: E402

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError  # noqa: E402
from ansible_collections.amazon.aws.plugins.plugin_utils.inventory import AWSInventoryBase  # noqa: E402
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import describe_instance_information  # noqa: E402
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import list_instance_tags  # noqa: E402

GROUP = "ssm_managed_instances"
DENIED_CODES = ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnrecognizedClientException")


def build_filters(filter_dict):
    """DescribeInstanceInformation Filters from an option dict ({key: value or [values]}), sorted by key; managed
    (mi-) instances only unless the dict sets ResourceType itself."""
    filters = []
    for key, given in sorted((filter_dict or {}).items()):
        values = given if isinstance(given, (list, tuple)) else [given]
        filters.append({"Key": to_text(key), "Values": [to_text(value) for value in values]})
    if not any(item["Key"] == "ResourceType" for item in filters):
        filters.append({"Key": "ResourceType", "Values": ["ManagedInstance"]})
    return filters


def _json_safe(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat() + "Z"
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value


def host_vars(info, tags, region):
    """The host variables of one DescribeInstanceInformation entry: its fields in snake_case (dates as ISO 8601 text
    in UTC, so that live and cached results are the same), its tags as ssm_tags and its region as ssm_region.
    A field named as Ansible reserves (Name: name, a play keyword) is prefixed ssm_, so that no host variable
    shadows a keyword (Ansible warns of each, on every inventory update)."""
    fields = camel_dict_to_snake_dict(_json_safe(info))
    result = {"ssm_" + key if is_reserved_name(key) else key: value for key, value in fields.items()}
    result["ssm_tags"] = dict(tags or {})
    result["ssm_region"] = region
    return result


def _value(preference, hostvars):
    preference = to_text(preference).strip()
    value = hostvars.get("ssm_tags", {}).get(preference[4:]) if preference.startswith("tag:") else hostvars.get(preference)
    return to_text(value) if value not in (None, "") else None


def preferred_hostname(hostvars, hostnames):
    """The first non-empty name of `hostnames` (see the option), else the instance id."""
    for preference in hostnames or []:
        if isinstance(preference, dict):
            if "name" not in preference:
                raise ValueError("a hostnames entry given as a dict needs a 'name' key")
            name = _value(preference["name"], hostvars)
            if name and preference.get("prefix"):
                prefix = _value(preference["prefix"], hostvars)
                name = prefix + preference.get("separator", "_") + name if prefix else None
        else:
            name = _value(preference, hostvars)
        if name:
            return name
    return hostvars["instance_id"]


def _liveliness(hostvars):
    # Online first, then the latest ping, then the latest registration (ISO 8601 text sorts as time).
    return (
        hostvars.get("ping_status") == "Online",
        hostvars.get("last_ping_date_time") or "",
        hostvars.get("registration_date") or "",
        hostvars["instance_id"],
    )


def assign_hostnames(instances, hostnames):
    """[(inventory name, hostvars)] for every instance, and warnings: among instances that would share a name, the
    liveliest (Online, then last ping, then last registration) keeps it and the others are named by instance id."""
    by_name = {}
    for hostvars in instances:
        by_name.setdefault(preferred_hostname(hostvars, hostnames), []).append(hostvars)
    named, warnings = [], []
    for name, unordered in by_name.items():
        claimants = sorted(unordered, key=_liveliness, reverse=True)
        named.append((name, claimants[0]))
        for other in claimants[1:]:
            named.append((other["instance_id"], other))
        if len(claimants) > 1:
            others = ", ".join(other["instance_id"] for other in claimants[1:])
            warnings.append(f"{len(claimants)} managed instances are named {name}: {claimants[0]['instance_id']} keeps the name, {others} go by their ids")
    return sorted(named, key=lambda item: item[0]), warnings


def _error_code(error):
    response = getattr(getattr(error, "exception", None), "response", None) or {}
    return response.get("Error", {}).get("Code")


class InventoryModule(AWSInventoryBase):
    NAME = "hybridcloud.aws.ssm_managed_instances"
    INVENTORY_FILE_SUFFIXES = ("ssm_managed_instances.yml", "ssm_managed_instances.yaml")

    def _regions(self):
        regions = self.get_option("regions")
        if regions:
            return list(regions)
        if self.region:
            return [self.region]
        return self._boto3_regions(service="ssm")

    def _denied(self, error, what):
        if self.get_option("strict_permissions") or _error_code(error) not in DENIED_CODES:
            self.fail_aws(f"Failed to {what}", exception=error.exception or error)
        self.warn(f"Skipped: not allowed to {what} ({_error_code(error)})")

    def _describe(self, client, region, filter_dict):
        try:
            return describe_instance_information(client, build_filters(filter_dict))
        except AnsibleAWSError as error:
            self._denied(error, f"describe managed instances in {region}")
            return None

    def _tags(self, client, instance_id):
        if not self.get_option("include_tags"):
            return {}
        try:
            return list_instance_tags(client, instance_id)
        except AnsibleAWSError as error:
            self._denied(error, f"list the tags of managed instance {instance_id}")
            return {}

    def _query(self):
        """The hostvars of every instance selected by the filter options, in every region."""
        include = self.get_option("include_filters") or []
        if self.get_option("filters") or not include:
            include = [self.get_option("filters") or {}, *include]
        found = []
        for region in self._regions():
            client = self.client("ssm", region=region)
            excluded = set()
            for filter_dict in self.get_option("exclude_filters") or []:
                excluded.update(info["InstanceId"] for info in self._describe(client, region, filter_dict) or [])
            selected = {}
            for filter_dict in include:
                answer = self._describe(client, region, filter_dict)
                if answer is None:
                    break
                for info in answer:
                    if info["InstanceId"] not in excluded:
                        selected.setdefault(info["InstanceId"], info)
            for instance_id, info in sorted(selected.items()):
                found.append(host_vars(info, self._tags(client, instance_id), region))
        return found

    def _populate(self, instances):
        try:
            named, warnings = assign_hostnames(instances, self.get_option("hostnames"))
        except ValueError as error:
            self.fail_aws(f"Invalid hostnames option: {error}")
        for warning in warnings:
            self.warn(warning)
        self.inventory.add_group(GROUP)
        strict = self.get_option("strict")
        for name, hostvars in named:
            self.inventory.add_host(name, group=GROUP)
            for key, value in hostvars.items():
                self.inventory.set_variable(name, key, value)
            self._set_composite_vars(self.get_option("compose"), hostvars, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), hostvars, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, name, strict=strict)

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        was_cached, instances = self.get_cached_result(path, cache)
        if not was_cached:
            instances = self._query()
        self._populate(instances)
        self.update_cached_result(path, cache, instances)
