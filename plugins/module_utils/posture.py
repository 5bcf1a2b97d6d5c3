# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The security posture of a deployed hybrid cloud, decided from state read back by info modules.

posture_findings(facts, settings) takes what playbooks/audit.yml reads (in the shapes the amazon.aws info modules and
hybridcloud.aws.posture_info return) and returns every finding, each a dict {kind, resource, message}, sorted. It calls
nothing: every decision is arithmetic on the facts, so the same facts always give the same findings.

Kinds:
- security_group_source: an ingress source broader than the minimum prefix (/8, IPv6 /32 by default), or sources of
  one group whose union is broader (0.0.0.0/1 + 128.0.0.0/1 is 0.0.0.0/0: the union is collapsed before the check);
- db_public, db_unencrypted: a DB instance publicly accessible, or without storage encryption;
- bucket_unencrypted, bucket_public_access: a bucket without default encryption, or without all four public access
  block settings;
- imds: a launch template version (default and latest) without IMDSv2 required, or with a hop limit above 1;
- flow_logs: a VPC without an active flow log;
- vault_lock: a Backup vault without a vault lock;
- vault_policy: a Backup vault whose access policy does not deny every principal, without a condition,
  backup:DeleteRecoveryPoint and backup:UpdateRecoveryPointLifecycle (checked when the facts hold backup_vault_policies,
  as hybridcloud.aws.posture_info reads them; a vault missing from them counts as having no policy);
- activation_limit, activation_expiry: an activation allowing more registrations than the maximum, or living longer
  than the maximum number of days;
- activation_code_access: a role that must never read the activation code (the ECS instances' role, the on-premises
  managed-instance role) may read its parameter, or decrypt it (the key's policy and the role's policies evaluated
  as AWS does, policy_evaluation.py); also a code under an AWS managed key (any principal of the account that may
  read the parameter can decrypt it) and policies the evaluator cannot decide;
- alb_internet_facing, alb_plain_http: a load balancer reachable from the internet, or an HTTP listener that does not
  redirect to HTTPS unless plain HTTP was chosen explicitly.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import ipaddress

from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import DENY_DELETE_ACTIONS
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import policy_denied_actions
from ansible_collections.hybridcloud.aws.plugins.module_utils.cidr import DEFAULT_MIN_SOURCE_PREFIX
from ansible_collections.hybridcloud.aws.plugins.module_utils.cidr import DEFAULT_MIN_SOURCE_PREFIX_V6
from ansible_collections.hybridcloud.aws.plugins.module_utils.policy_evaluation import UnknownCondition
from ansible_collections.hybridcloud.aws.plugins.module_utils.policy_evaluation import allowed
from ansible_collections.hybridcloud.aws.plugins.module_utils.policy_evaluation import decide
from ansible_collections.hybridcloud.aws.plugins.module_utils.policy_evaluation import kms_allowed

KINDS = (
    "security_group_source",
    "db_public",
    "db_unencrypted",
    "bucket_unencrypted",
    "bucket_public_access",
    "imds",
    "flow_logs",
    "vault_lock",
    "vault_policy",
    "activation_limit",
    "activation_expiry",
    "activation_code_access",
    "alb_internet_facing",
    "alb_plain_http",
)
PUBLIC_ACCESS_BLOCK = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
PARAMETER_READS = ("ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory", "ssm:GetParametersByPath")
KEY_READS = ("kms:Decrypt", "kms:ReEncryptFrom", "kms:CreateGrant")
# Seconds an activation's lifetime may exceed the maximum: the module computes the expiry on the controller a moment
# before AWS records the creation time.
EXPIRY_SLACK = 300


class PostureError(ValueError):
    pass


def _finding(kind, resource, message):
    return {"kind": kind, "resource": resource, "message": message}


def _get(item, *names, default=None):
    """The first of names present in item (snake_case as the info modules return it, or the API's CamelCase)."""
    for name in names:
        if isinstance(item, dict) and item.get(name) is not None:
            return item[name]
    return default


def _int(name, value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PostureError(f"{name} must be an integer, got {value!r}") from None


def _time(value):
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, (int, float)):
        moment = datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    else:
        moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


# --- security groups --------------------------------------------------------------------------------------------


def _group_sources(group):
    sources = []
    for permission in _get(group, "ip_permissions", "IpPermissions", default=[]):
        for entry in _get(permission, "ip_ranges", "IpRanges", default=[]):
            sources.append(_get(entry, "cidr_ip", "CidrIp"))
        for entry in _get(permission, "ipv6_ranges", "Ipv6Ranges", default=[]):
            sources.append(_get(entry, "cidr_ipv6", "CidrIpv6"))
    return [source for source in sources if source]


def security_group_findings(groups, min_prefix, min_prefix_v6):
    findings = []
    for group in groups:
        name = "{0} ({1})".format(_get(group, "group_id", "GroupId"), _get(group, "group_name", "GroupName"))
        sources = _group_sources(group)
        networks = {4: [], 6: []}
        for source in sources:
            network = ipaddress.ip_network(source, strict=False)
            networks[network.version].append(network)
        for version, limit in ((4, min_prefix), (6, min_prefix_v6)):
            broad = sorted({n for n in networks[version] if n.prefixlen < limit})
            if broad:
                together = [str(n) for n in ipaddress.collapse_addresses(broad)]
                union = f" (together {', '.join(together)})" if len(together) < len(broad) else ""
                findings.append(_finding("security_group_source", name, f"ingress from {', '.join(map(str, broad))}{union}, broader than /{limit}"))
                continue
            # Each source is narrow enough; together they may still cover a range that is not.
            union = [str(n) for n in ipaddress.collapse_addresses(networks[version]) if n.prefixlen < limit]
            if union:
                findings.append(_finding("security_group_source", name, f"ingress sources that together cover {', '.join(union)}, broader than /{limit}"))
    return findings


# --- data -------------------------------------------------------------------------------------------------------


def db_findings(instances):
    findings = []
    for db in instances:
        name = _get(db, "db_instance_identifier", "DBInstanceIdentifier")
        if _get(db, "publicly_accessible", "PubliclyAccessible", default=False):
            findings.append(_finding("db_public", name, "the DB instance is publicly accessible"))
        if not _get(db, "storage_encrypted", "StorageEncrypted", default=False):
            findings.append(_finding("db_unencrypted", name, "the DB instance's storage is not encrypted"))
    return findings


def _encryption_rules(bucket):
    encryption = _get(bucket, "bucket_encryption", "ServerSideEncryptionConfiguration", default={})
    if isinstance(encryption, dict):
        encryption = _get(encryption, "ServerSideEncryptionConfiguration", default=encryption)
        return _get(encryption, "Rules", "rules", default=[])
    return []


def bucket_findings(buckets):
    findings = []
    for bucket in buckets:
        name = _get(bucket, "name", "Name")
        if not _encryption_rules(bucket):
            findings.append(_finding("bucket_unencrypted", name, "the bucket has no default encryption"))
        block = _get(bucket, "public_access_block", "PublicAccessBlockConfiguration", default={}) or {}
        block = _get(block, "PublicAccessBlockConfiguration", default=block)
        missing = [setting for setting in PUBLIC_ACCESS_BLOCK if not block.get(setting)]
        if missing:
            findings.append(_finding("bucket_public_access", name, f"the bucket's public access block lacks {', '.join(missing)}"))
    return findings


# --- compute ----------------------------------------------------------------------------------------------------


def launch_template_findings(templates):
    findings = []
    for template in templates:
        name = _get(template, "launch_template_name", "LaunchTemplateName")
        wanted = {_get(template, "default_version_number", "DefaultVersionNumber"), _get(template, "latest_version_number", "LatestVersionNumber")}
        for version in _get(template, "versions", "Versions", default=[]):
            number = _get(version, "version_number", "VersionNumber")
            if number not in wanted:
                continue
            data = _get(version, "launch_template_data", "LaunchTemplateData", default={})
            options = _get(data, "metadata_options", "MetadataOptions", default={})
            tokens = _get(options, "http_tokens", "HttpTokens", default="optional")
            hops = _get(options, "http_put_response_hop_limit", "HttpPutResponseHopLimit", default=1)
            where = f"{name} version {number}"
            if _get(options, "http_endpoint", "HttpEndpoint", default="enabled") == "disabled":
                continue
            if tokens != "required":
                findings.append(_finding("imds", where, f"IMDSv1 is allowed (http_tokens {tokens}, not required)"))
            if int(hops) > 1:
                findings.append(_finding("imds", where, f"IMDS hop limit {hops}: containers reach the instance's role credentials (at most 1)"))
    return findings


# --- network and backup -----------------------------------------------------------------------------------------


def flow_log_findings(vpcs, flow_logs):
    active = {_get(log, "resource_id", "ResourceId") for log in flow_logs if _get(log, "flow_log_status", "FlowLogStatus", default="ACTIVE") == "ACTIVE"}
    findings = []
    for vpc in vpcs:
        vpc_id = _get(vpc, "vpc_id", "id", "VpcId")
        if vpc_id not in active:
            findings.append(_finding("flow_logs", vpc_id, "the VPC has no active flow log"))
    return findings


def vault_findings(vaults):
    return [
        _finding("vault_lock", _get(vault, "backup_vault_name", "BackupVaultName"), "the Backup vault has no vault lock")
        for vault in vaults
        if not _get(vault, "locked", "Locked", default=False)
    ]


def vault_policy_findings(vaults, policies):
    """A finding for each vault whose access policy (policies: posture_info's backup_vault_policies, matched by vault
    name) does not deny every principal the deletion of its recovery points."""
    by_name = {_get(entry, "backup_vault_name"): _get(entry, "policy") for entry in policies}
    findings = []
    for vault in vaults:
        name = _get(vault, "backup_vault_name", "BackupVaultName")
        missing = [action for action in DENY_DELETE_ACTIONS if action not in policy_denied_actions(by_name.get(name))]
        if missing:
            findings.append(_finding("vault_policy", name, f"the Backup vault's access policy does not deny every principal {', '.join(missing)}"))
    return findings


def load_balancer_findings(load_balancers, allow_plain_http):
    findings = []
    for lb in load_balancers:
        name = _get(lb, "load_balancer_name", "LoadBalancerName")
        if _get(lb, "scheme", "Scheme") == "internet-facing":
            findings.append(_finding("alb_internet_facing", name, "the load balancer is internet-facing (it must be internal)"))
        for listener in _get(lb, "listeners", "Listeners", default=[]):
            if _get(listener, "protocol", "Protocol") != "HTTP":
                continue
            actions = _get(listener, "default_actions", "DefaultActions", default=[])
            redirects = actions and all(
                _get(action, "type", "Type") == "redirect"
                and _get(_get(action, "redirect_config", "RedirectConfig", default={}), "protocol", "Protocol") == "HTTPS"
                for action in actions
            )
            if not redirects and not allow_plain_http:
                port = _get(listener, "port", "Port")
                findings.append(_finding("alb_plain_http", f"{name}:{port}", "plain HTTP listener without a redirect to HTTPS, and plain HTTP was not chosen"))
    return findings


# --- the activation ---------------------------------------------------------------------------------------------


def activation_findings(activations, max_registrations, max_days):
    findings = []
    for activation in activations:
        name = "{0} ({1})".format(_get(activation, "activation_id", "ActivationId"), _get(activation, "default_instance_name", "DefaultInstanceName"))
        if _get(activation, "expired", "Expired", default=False):
            continue
        limit = _get(activation, "registration_limit", "RegistrationLimit", default=0)
        if int(limit) > max_registrations:
            findings.append(_finding("activation_limit", name, f"allows {limit} registrations, more than {max_registrations}"))
        created = _get(activation, "created_date", "CreatedDate")
        expires = _get(activation, "expiration_date", "ExpirationDate")
        if created is not None and expires is not None:
            lifetime = (_time(expires) - _time(created)).total_seconds()
            if lifetime > max_days * 86400 + EXPIRY_SLACK:
                findings.append(_finding("activation_expiry", name, f"lives {lifetime / 86400:.1f} days, more than {max_days}"))
    return findings


def activation_code_findings(code, roles):
    """code: {parameter_arn, key_arn, key_manager (CUSTOMER or AWS), key_policy, account_id, partition}; roles: the
    roles that must never read it, each {name, arn, documents (every identity policy: inline and attached)}."""
    if not code or not code.get("parameter_arn"):
        return []
    parameter_arn = code["parameter_arn"]
    key_arn = code.get("key_arn") or ""
    root = "arn:{0}:iam::{1}:root".format(code.get("partition") or "aws", code.get("account_id") or "")
    region = parameter_arn.split(":")[3]
    context = {"kms:EncryptionContext:PARAMETER_ARN": parameter_arn, "kms:ViaService": f"ssm.{region}.amazonaws.com"}
    findings = []
    aws_managed = (code.get("key_manager") or "AWS").upper() == "AWS"
    if aws_managed:
        findings.append(
            _finding(
                "activation_code_access",
                parameter_arn,
                "the code is encrypted with an AWS managed key: every principal of the account that may read the parameter can decrypt it",
            )
        )
    for role in roles:
        name = role.get("name") or role.get("arn")
        documents = role.get("documents") or []
        try:
            reads = [action for action in PARAMETER_READS if allowed(documents, action, parameter_arn)]
            if aws_managed:
                decrypts = [action for action in KEY_READS if decide(documents, action, key_arn or "*", context) != "deny"] if reads else []
            else:
                decrypts = [
                    action
                    for action in KEY_READS
                    if kms_allowed(role.get("arn"), documents, code.get("key_policy"), action, key_arn, account_root=root, context=context)
                ]
        except UnknownCondition as e:
            findings.append(_finding("activation_code_access", name, f"a policy uses the condition operator {e}, which the audit cannot evaluate"))
            continue
        if reads:
            findings.append(_finding("activation_code_access", name, f"may read the activation code parameter ({', '.join(reads)})"))
        if decrypts:
            findings.append(_finding("activation_code_access", name, f"may decrypt the activation code ({', '.join(decrypts)})"))
    return findings


# --- all of it --------------------------------------------------------------------------------------------------


def posture_findings(facts, settings=None):
    """Every finding of the facts, sorted by kind and resource. See the module docstring for facts and settings."""
    if not isinstance(facts, dict):
        raise PostureError(f"the facts must be a dict, got {type(facts).__name__}")
    settings = settings or {}
    min_prefix = _int("min_source_prefix", settings.get("min_source_prefix", DEFAULT_MIN_SOURCE_PREFIX))
    min_prefix_v6 = _int("min_source_prefix_v6", settings.get("min_source_prefix_v6", DEFAULT_MIN_SOURCE_PREFIX_V6))
    if not 0 <= min_prefix <= 32 or not 0 <= min_prefix_v6 <= 128:
        raise PostureError(f"min_source_prefix must be 0 to 32 and min_source_prefix_v6 0 to 128, got {min_prefix} and {min_prefix_v6}")
    findings = []
    findings += security_group_findings(facts.get("security_groups") or [], min_prefix, min_prefix_v6)
    findings += db_findings(facts.get("db_instances") or [])
    findings += bucket_findings(facts.get("buckets") or [])
    findings += launch_template_findings(facts.get("launch_templates") or [])
    findings += flow_log_findings(facts.get("vpcs") or [], facts.get("flow_logs") or [])
    findings += vault_findings(facts.get("backup_vaults") or [])
    if facts.get("backup_vault_policies") is not None:
        findings += vault_policy_findings(facts.get("backup_vaults") or [], facts["backup_vault_policies"])
    if facts.get("activations"):
        max_registrations = _int("max_registrations", settings.get("max_registrations"))
        max_days = _int("max_expiration_days", settings.get("max_expiration_days"))
        findings += activation_findings(facts["activations"], max_registrations, max_days)
    findings += activation_code_findings(facts.get("activation_code") or {}, facts.get("roles") or [])
    findings += load_balancer_findings(facts.get("load_balancers") or [], bool(settings.get("allow_plain_http", False)))
    findings.sort(key=lambda f: (KINDS.index(f["kind"]), str(f["resource"]), f["message"]))
    counts = dict.fromkeys(KINDS, 0)
    for finding in findings:
        counts[finding["kind"]] += 1
    return {"findings": findings, "counts": counts}
