# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Input checks of the AWS roles, one function per role (ROLE_CHECKS), used by the input_problems filter.

Each function takes the role's variables as a dict and returns every problem it finds, each a sentence naming the
variable and its value; secrets (BGP keys, pre-shared keys, tokens) are never shown. The types and choices are
left to the roles' meta/argument_specs.yml (checked by Ansible before the first task); these functions check what an
argument spec cannot: ranges, cross-field rules, AWS's naming rules and CIDR arithmetic (module_utils/cidr.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.hybridcloud.aws.plugins.module_utils.cidr import DEFAULT_MIN_SOURCE_PREFIX
from ansible_collections.hybridcloud.aws.plugins.module_utils.cidr import inside_problems
from ansible_collections.hybridcloud.aws.plugins.module_utils.cidr import overlap_problems
from ansible_collections.hybridcloud.aws.plugins.module_utils.cidr import parse_network
from ansible_collections.hybridcloud.aws.plugins.module_utils.cidr import source_problems
from ansible_collections.hybridcloud.aws.plugins.module_utils.cidr import vpc_cidr_problems

MASK = "(value hidden)"
REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$")
KMS_KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$")
KMS_KEY_REF = re.compile(r"^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/[A-Za-z0-9/_-]+|alias/[A-Za-z0-9/_-]+|[A-Za-z0-9-]{36}|mrk-[0-9a-f]{32})$")
CERTIFICATE_ARN = re.compile(r"^arn:aws[a-z-]*:(acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+|iam::[0-9]{12}:server-certificate/\S+)$")
LOG_GROUP_ARN = re.compile(r"^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[\w./#-]{1,512}(:\*)?$")
LOG_GROUP_NAME = re.compile(r"^[\w./#-]{1,512}$")
# CloudWatch Logs retention values that amazon.aws.cloudwatchlogs_log_group accepts (a subset of PutRetentionPolicy's:
# it deletes a group it just created when given another value, so nothing else may reach it).
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653)
S3_BUCKET_ARN = re.compile(r"^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^*?]*)?$")
IAM_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
# The role's default minimum retention of its vault lock (roles/backup/defaults/main.yml).
VAULT_LOCK_MIN_DAYS = 7
PRINCIPAL_ARN = re.compile(r"^arn:aws[a-z-]*:(iam|sts)::([0-9]{12}|\*):[\w+=,.@/*?-]+$")
ELB_NAME = re.compile(r"^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")
RDS_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
RDS_INSTANCE_ARN = re.compile(r"^arn:aws[a-z-]*:rds:[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]:[0-9]{12}:db:[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# RDS DB instance classes: db.<family><generation>[options].<size>. The emulator has no orderable-options catalogue, so
# this is a pattern check; AWS itself answers an unknown class with InvalidParameterCombination.
DB_INSTANCE_CLASS = re.compile(r"^db\.[a-z][a-z0-9-]*\.(micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)$")
RDS_DAILY_WINDOW = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")
RDS_WEEKLY_WINDOW = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$")
PG_IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
BACKUP_VAULT = re.compile(r"^[A-Za-z0-9_-]{2,50}$")
BACKUP_PLAN = re.compile(r"^[A-Za-z0-9_.-]{1,50}$")
SCHEDULE = re.compile(r"^(cron\([^()]+\)|rate\([^()]+\))$")
REPOSITORY = re.compile(r"^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")
SECRET_NAME = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")
SECURITY_GROUP_ID = re.compile(r"^sg-[0-9a-f]{8,17}$")
SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8,17}$")
PSK = re.compile(r"^[A-Za-z1-9._][A-Za-z0-9._]{7,63}$")
VPN_RESERVED_INSIDE = ["169.254.{0}.0/30".format(octet) for octet in range(6)] + ["169.254.169.252/30"]


class Problems(list):
    """Problems found so far; each check adds sentences and returns the value it accepted (or None)."""

    def add(self, name, value, why, secret=False):
        self.append("{0}: {1} {2}".format(name, MASK if secret else repr(value), why))

    def integer(self, name, value, low=None, high=None):
        try:
            number = int(value)
            if isinstance(value, bool) or (isinstance(value, float) and value != number):
                raise ValueError
        except (TypeError, ValueError):
            self.add(name, value, "is not a whole number")
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.add(name, value, "must be {0} to {1}".format(low, high) if high is not None else "must be at least {0}".format(low))
            return None
        return number

    def port(self, name, value):
        return self.integer(name, value, 1, 65535)

    def match(self, name, value, pattern, what, secret=False):
        if not isinstance(value, str) or not pattern.match(value):
            self.add(name, value, "must be " + what, secret=secret)
            return None
        return value

    def minimum_before_maximum(self, low_name, low, high_name, high, strictly=False):
        if low is not None and high is not None and (low > high or (strictly and low == high)):
            self.append("{0} ({1}) must be {2} {3} ({4})".format(low_name, low, "smaller than" if strictly else "at most", high_name, high))


def _min_prefix(problems, variables, name):
    value = variables.get(name, DEFAULT_MIN_SOURCE_PREFIX)
    return problems.integer(name, value, 0, 32) or DEFAULT_MIN_SOURCE_PREFIX


def _list(variables, name):
    value = variables.get(name)
    return value if isinstance(value, list) else []


def network_problems(variables):
    """hybridcloud.aws.network: VPC and subnet arithmetic, sources, ports, layout."""
    problems = Problems()
    get = variables.get
    min_prefix = _min_prefix(problems, variables, "network_min_source_prefix")
    problems.match("network_name", get("network_name"), re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$"), "1 to 201 letters, digits, '.', '_' or '-'")
    vpc = get("network_vpc_cidr")
    vpc_problems = vpc_cidr_problems("network_vpc_cidr", vpc)
    problems.extend(vpc_problems)
    zones = problems.integer("network_az_count", get("network_az_count"), 1, 6)
    onprem = _list(variables, "network_onprem_cidrs")
    onprem_apps = _list(variables, "network_onprem_app_cidrs")
    datacenter = _list(variables, "hybridcloud_onprem_cidrs")
    problems.extend(source_problems("network_onprem_cidrs", onprem, min_prefix))
    problems.extend(source_problems("network_onprem_app_cidrs", onprem_apps, min_prefix))
    problems.extend(source_problems("hybridcloud_onprem_cidrs", datacenter, min_prefix))
    onprem_all = onprem + [cidr for cidr in onprem_apps + datacenter if cidr not in onprem]
    if not vpc_problems:
        problems.extend(overlap_problems("network_vpc_cidr", [vpc], "the on-premises range", onprem_all))
    subnets = []
    for tier in ("public", "private"):
        name = "network_{0}_subnet_cidrs".format(tier)
        cidrs = _list(variables, name)
        if cidrs and zones is not None and len(cidrs) != zones:
            problems.add(name, cidrs, "needs one CIDR per zone ({0}, network_az_count) or none".format(zones))
        for cidr in cidrs:
            network, found = parse_network(name, cidr)
            problems.extend(found)
            if network is not None and not 16 <= network.prefixlen <= 28:
                problems.add(name, cidr, "must be /16 to /28 (AWS's subnet sizes)")
        if not vpc_problems:
            problems.extend(inside_problems(name, cidrs, "network_vpc_cidr", vpc))
        subnets.extend(cidrs)
    problems.extend(overlap_problems("network_public_subnet_cidrs + network_private_subnet_cidrs", subnets))
    derived = not (_list(variables, "network_public_subnet_cidrs") and _list(variables, "network_private_subnet_cidrs"))
    if derived and not vpc_problems and not 16 <= ipaddress.ip_network(vpc).prefixlen <= 20:
        problems.add("network_vpc_cidr", vpc, "must be /16 to /20 when the subnets are derived from it (set both subnet lists otherwise)")
    ports = get("network_alb_listener_ports") or []
    for port in ports:
        problems.port("network_alb_listener_ports", port)
    if len(set(map(str, ports))) != len(ports):
        problems.add("network_alb_listener_ports", ports, "lists a port twice")
    low = problems.port("network_task_port_from", get("network_task_port_from"))
    high = problems.port("network_task_port_to", get("network_task_port_to"))
    problems.minimum_before_maximum("network_task_port_from", low, "network_task_port_to", high)
    problems.port("network_rds_port", get("network_rds_port"))
    for service in get("network_interface_endpoints") or []:
        problems.match("network_interface_endpoints", service, re.compile(r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$"), "a service suffix such as ssm or ecr.api")
    problems.integer("network_nat_wait_retries", get("network_nat_wait_retries"), 1)
    problems.integer("network_nat_wait_delay", get("network_nat_wait_delay"), 1)
    if get("network_resolver_inbound_enabled"):
        if not onprem:
            problems.append("network_resolver_inbound_enabled needs network_onprem_cidrs (the networks whose DNS servers forward to it)")
        if zones is not None and zones < 2:
            problems.append("network_resolver_inbound_enabled needs network_az_count of at least 2 (got {0})".format(zones))
    if get("network_flow_logs_enabled"):
        _flow_log_problems(problems, get)
    return problems


def _flow_log_problems(problems, get):
    """The flow log of hybridcloud.aws.network: its destination's names, ARNs and retention."""
    if get("network_flow_logs_destination_type") == "s3":
        if not get("network_flow_logs_s3_bucket_arn"):
            problems.append("network_flow_logs_destination_type is s3, so network_flow_logs_s3_bucket_arn must name the bucket (arn:aws:s3:::BUCKET)")
        else:
            problems.match(
                "network_flow_logs_s3_bucket_arn", get("network_flow_logs_s3_bucket_arn"), S3_BUCKET_ARN, "an S3 bucket ARN (arn:aws:s3:::BUCKET[/PREFIX/])"
            )
        return
    problems.match("network_flow_logs_log_group_name", get("network_flow_logs_log_group_name"), LOG_GROUP_NAME, "1 to 512 of letters, digits and . _ - / #")
    retention = problems.integer("network_flow_logs_retention_days", get("network_flow_logs_retention_days"), 1)
    if retention is not None and retention not in LOG_RETENTION_DAYS:
        problems.add("network_flow_logs_retention_days", retention, "must be one of CloudWatch Logs' retention values {0}".format(list(LOG_RETENTION_DAYS)))
    if get("network_flow_logs_kms_key_arn"):
        problems.match("network_flow_logs_kms_key_arn", get("network_flow_logs_kms_key_arn"), KMS_KEY_ARN, "a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)")
    problems.match("network_flow_logs_role_name", get("network_flow_logs_role_name"), IAM_ROLE_NAME, "an IAM role name (1-64 of letters, digits, +=,.@_-)")


def _asn(problems, name, value, private=False):
    number = problems.integer(name, value, 1, 4294967294)
    if number is not None and private and not (64512 <= number <= 65534 or 4200000000 <= number <= 4294967294):
        problems.add(name, value, "must be a private ASN (64512-65534 or 4200000000-4294967294)")
    return number


def hybrid_connectivity_problems(variables):
    """hybridcloud.aws.hybrid_connectivity: ASNs, VLAN, BGP peer addresses, prefixes, tunnels (secrets masked)."""
    problems = Problems()
    get = variables.get
    min_prefix = _min_prefix(problems, variables, "hybrid_connectivity_min_source_prefix")
    problems.match(
        "hybrid_connectivity_name",
        get("hybrid_connectivity_name"),
        re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"),
        "1 to 100 letters, digits, '.', '_' or '-'",
    )
    vgw_asn = _asn(problems, "hybrid_connectivity_vgw_asn", get("hybrid_connectivity_vgw_asn"), private=True)
    problems.extend(source_problems("hybrid_connectivity_onprem_prefixes", _list(variables, "hybrid_connectivity_onprem_prefixes"), min_prefix))
    if get("hybrid_connectivity_dx_enabled"):
        gateway_asn = _asn(problems, "hybrid_connectivity_dx_gateway_asn", get("hybrid_connectivity_dx_gateway_asn"), private=True)
        customer_asn = _asn(problems, "hybrid_connectivity_dx_customer_asn", get("hybrid_connectivity_dx_customer_asn"))
        if customer_asn is not None and customer_asn in (gateway_asn, vgw_asn):
            problems.add("hybrid_connectivity_dx_customer_asn", customer_asn, "must differ from the Amazon-side ASNs")
        if get("hybrid_connectivity_dx_create") == "none" and not get("hybrid_connectivity_dx_existing_connection_id"):
            problems.append("hybrid_connectivity_dx_create is none, so hybrid_connectivity_dx_existing_connection_id must name the connection or LAG")
        if get("hybrid_connectivity_dx_create") in ("connection", "lag") and not get("hybrid_connectivity_dx_location"):
            problems.append("hybrid_connectivity_dx_create {0!r} needs hybrid_connectivity_dx_location".format(get("hybrid_connectivity_dx_create")))
        problems.integer("hybrid_connectivity_dx_vlan", get("hybrid_connectivity_dx_vlan"), 1, 4094)
        problems.integer("hybrid_connectivity_dx_lag_links", get("hybrid_connectivity_dx_lag_links"), 1, 4)
        amazon, customer = get("hybrid_connectivity_dx_amazon_address") or "", get("hybrid_connectivity_dx_customer_address") or ""
        if bool(amazon) != bool(customer):
            problems.append("hybrid_connectivity_dx_amazon_address and hybrid_connectivity_dx_customer_address: give both BGP peer addresses or neither")
        elif amazon:
            peers = []
            for name, value in (("hybrid_connectivity_dx_amazon_address", amazon), ("hybrid_connectivity_dx_customer_address", customer)):
                try:
                    peers.append(ipaddress.ip_interface(value))
                except ValueError:
                    problems.add(name, value, "is not an address with a prefix (a.b.c.d/n)")
            if len(peers) == 2 and (peers[0].network != peers[1].network or peers[0].ip == peers[1].ip or peers[0].network.prefixlen < 29):
                problems.append(
                    "hybrid_connectivity_dx_amazon_address {0!r} and hybrid_connectivity_dx_customer_address {1!r} must be two addresses "
                    "of one /29 to /31".format(amazon, customer)
                )
        key = get("hybrid_connectivity_dx_auth_key") or ""
        if key and (not 6 <= len(key) <= 80 or " " in key):
            problems.add("hybrid_connectivity_dx_auth_key", key, "must be 6 to 80 characters without spaces", secret=True)
        problems.extend(source_problems("hybrid_connectivity_allowed_prefixes", _list(variables, "hybrid_connectivity_allowed_prefixes"), min_prefix))
    if get("hybrid_connectivity_vpn_enabled"):
        address = get("hybrid_connectivity_customer_gateway_ip")
        try:
            parsed = ipaddress.IPv4Address(address)
            if parsed.is_unspecified or parsed.is_multicast or parsed.is_loopback or parsed.is_link_local:
                problems.add("hybrid_connectivity_customer_gateway_ip", address, "must be the device's routable IPv4 address")
        except ValueError:
            problems.add("hybrid_connectivity_customer_gateway_ip", address, "must be the on-premises device's public IPv4 address")
        cgw_asn = problems.integer("hybrid_connectivity_customer_gateway_asn", get("hybrid_connectivity_customer_gateway_asn"), 1, 2147483647)
        if cgw_asn is not None and cgw_asn == vgw_asn:
            problems.add("hybrid_connectivity_customer_gateway_asn", cgw_asn, "must differ from hybrid_connectivity_vgw_asn")
        if get("hybrid_connectivity_vpn_routing") == "static" and not _list(variables, "hybrid_connectivity_onprem_prefixes"):
            problems.append("hybrid_connectivity_vpn_routing static needs hybrid_connectivity_onprem_prefixes")
        problems.integer("hybrid_connectivity_vpn_wait_timeout", get("hybrid_connectivity_vpn_wait_timeout"), 1)
        tunnels = _list(variables, "hybrid_connectivity_vpn_tunnels")
        if len(tunnels) > 2:
            problems.add("hybrid_connectivity_vpn_tunnels", "{0} entries".format(len(tunnels)), "takes at most two entries (a VPN has two tunnels)")
        inside = []
        for index, tunnel in enumerate(tunnels):
            name = "hybrid_connectivity_vpn_tunnels[{0}]".format(index)
            cidr = (tunnel or {}).get("tunnel_inside_cidr")
            if cidr:
                network, found = parse_network(name + ".tunnel_inside_cidr", cidr)
                problems.extend(found)
                if network is not None and (network.prefixlen != 30 or not network.subnet_of(ipaddress.ip_network("169.254.0.0/16"))):
                    problems.add(name + ".tunnel_inside_cidr", cidr, "must be a /30 in 169.254.0.0/16")
                elif cidr in VPN_RESERVED_INSIDE:
                    problems.add(name + ".tunnel_inside_cidr", cidr, "is reserved by AWS")
                if cidr in inside:
                    problems.add(name + ".tunnel_inside_cidr", cidr, "is used by another tunnel; each needs a distinct /30")
                inside.append(cidr)
            key = (tunnel or {}).get("pre_shared_key")
            if key:
                problems.match(name + ".pre_shared_key", key, PSK, "8 to 64 letters, digits, '.' or '_', not starting with 0", secret=True)
    return problems


def load_balancer_problems(variables):
    """hybridcloud.aws.load_balancer: names, ports, target groups, rules, HTTPS or an explicit choice of HTTP."""
    problems = Problems()
    get = variables.get
    problems.match("load_balancer_name", get("load_balancer_name"), ELB_NAME, "1 to 32 letters, digits or inner hyphens, not starting with internal-")
    groups = _list(variables, "load_balancer_target_groups")
    names = []
    for index, group in enumerate(groups):
        label = "load_balancer_target_groups[{0}]".format(index)
        names.append(problems.match(label + ".name", group.get("name"), ELB_NAME, "1 to 32 letters, digits or inner hyphens") or group.get("name"))
        problems.port(label + ".port", group.get("port"))
        health = group.get("health_check") or {}
        interval = problems.integer(label + ".health_check.interval", health.get("interval", 15), 5, 300)
        timeout = problems.integer(label + ".health_check.timeout", health.get("timeout", 5), 2, 120)
        problems.minimum_before_maximum(label + ".health_check.timeout", timeout, label + ".health_check.interval", interval, strictly=True)
        for threshold in ("healthy_threshold", "unhealthy_threshold"):
            problems.integer(label + ".health_check." + threshold, health.get(threshold, 3), 2, 10)
        problems.integer(label + ".deregistration_delay", group.get("deregistration_delay", 30), 0, 3600)
        for target in group.get("targets") or []:
            problems.port(label + ".targets.port", target.get("port", group.get("port")))
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        problems.add("load_balancer_target_groups", duplicates, "names target groups twice")
    default = get("load_balancer_default_target_group") or ""
    if default and default not in names:
        problems.add("load_balancer_default_target_group", default, "is not a declared target group")
    priorities = []
    for index, rule in enumerate(_list(variables, "load_balancer_rules")):
        label = "load_balancer_rules[{0}]".format(index)
        priorities.append(problems.integer(label + ".priority", rule.get("priority"), 1, 50000))
        if rule.get("target_group") not in names:
            problems.add(label + ".target_group", rule.get("target_group"), "is not a declared target group (undeclared)")
        if not rule.get("path_patterns") and not rule.get("host_headers"):
            problems.append(label + ": needs path_patterns or host_headers")
    if len([p for p in priorities if p is not None]) != len({p for p in priorities if p is not None}):
        problems.add("load_balancer_rules", priorities, "use a priority twice")
    http = problems.port("load_balancer_http_port", get("load_balancer_http_port"))
    https = problems.port("load_balancer_https_port", get("load_balancer_https_port"))
    if http is not None and http == https:
        problems.add("load_balancer_https_port", https, "must differ from load_balancer_http_port")
    certificate = get("load_balancer_certificate_arn") or ""
    if certificate:
        problems.match("load_balancer_certificate_arn", certificate, CERTIFICATE_ARN, "an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)")
        problems.match(
            "load_balancer_ssl_policy", get("load_balancer_ssl_policy"), re.compile(r"^ELBSecurityPolicy-[A-Za-z0-9-]+$"), "an ELBSecurityPolicy-* name"
        )
    elif not get("load_balancer_allow_plain_http"):
        problems.append(
            "load_balancer_certificate_arn is empty and load_balancer_allow_plain_http is false: give a certificate for an HTTPS "
            "listener, or set load_balancer_allow_plain_http: true to choose a plain HTTP listener"
        )
    problems.integer("load_balancer_idle_timeout", get("load_balancer_idle_timeout"), 1, 4000)
    bucket = get("load_balancer_access_logs_bucket") or ""
    if bucket:
        problems.match("load_balancer_access_logs_bucket", bucket, BUCKET, "an S3 bucket name")
    return problems


def rds_postgres_problems(variables):
    """hybridcloud.aws.rds_postgres: identifier, class, storage, windows, retention, sources."""
    problems = Problems()
    get = variables.get
    min_prefix = _min_prefix(problems, variables, "rds_postgres_min_source_prefix")
    identifier = get("rds_postgres_identifier")
    valid = problems.match("rds_postgres_identifier", identifier, RDS_IDENTIFIER, "lowercase letters, digits and single hyphens, starting with a letter")
    if valid and len(identifier) > 63:
        problems.add("rds_postgres_identifier", identifier, "must be at most 63 characters")
    problems.match("rds_postgres_engine_version", str(get("rds_postgres_engine_version")), re.compile(r"^[0-9]+(\.[0-9]+)*$"), "like 16 or 16.4")
    problems.match("rds_postgres_instance_class", get("rds_postgres_instance_class"), DB_INSTANCE_CLASS, "a DB instance class such as db.m6g.large")
    allocated = problems.integer("rds_postgres_allocated_storage", get("rds_postgres_allocated_storage"), 20, 65536)
    maximum = problems.integer("rds_postgres_max_allocated_storage", get("rds_postgres_max_allocated_storage"), 21, 65536)
    if allocated is not None and maximum is not None and maximum <= allocated:
        problems.append(
            "rds_postgres_max_allocated_storage ({0}) must be larger than rds_postgres_allocated_storage ({1}), or storage autoscaling is off".format(
                maximum, allocated
            )
        )
    for name in ("rds_postgres_kms_key_id", "rds_postgres_master_secret_kms_key_id"):
        if get(name):
            problems.match(name, get(name), KMS_KEY_REF, "a KMS key ARN, key id or alias/NAME")
    username = problems.match("rds_postgres_master_username", get("rds_postgres_master_username"), PG_IDENTIFIER, "a letter then letters, digits or _")
    if username and username.lower() in ("rdsadmin", "postgres", "admin", "rdsrepladmin"):
        problems.add("rds_postgres_master_username", username, "is reserved by RDS for PostgreSQL")
    problems.match("rds_postgres_db_name", get("rds_postgres_db_name"), PG_IDENTIFIER, "a letter then letters, digits or _ (at most 63)")
    problems.integer("rds_postgres_port", get("rds_postgres_port"), 1150, 65535)
    problems.integer("rds_postgres_backup_retention_days", get("rds_postgres_backup_retention_days"), 1, 35)
    problems.match("rds_postgres_backup_window", get("rds_postgres_backup_window"), RDS_DAILY_WINDOW, "hh:mm-hh:mm in UTC")
    problems.match("rds_postgres_maintenance_window", get("rds_postgres_maintenance_window"), RDS_WEEKLY_WINDOW, "ddd:hh:mm-ddd:hh:mm in UTC")
    retention = problems.integer("rds_postgres_performance_insights_retention_days", get("rds_postgres_performance_insights_retention_days"), 7, 731)
    if retention is not None and retention not in (7, 731) and retention % 31:
        problems.add("rds_postgres_performance_insights_retention_days", retention, "must be 7, 731 or a multiple of 31")
    problems.integer("rds_postgres_wait_timeout", get("rds_postgres_wait_timeout"), 1)
    problems.integer("rds_postgres_wait_delay", get("rds_postgres_wait_delay"), 1)
    problems.extend(source_problems("rds_postgres_allowed_cidrs", _list(variables, "rds_postgres_allowed_cidrs"), min_prefix))
    for name, pattern in (("rds_postgres_allowed_security_group_ids", SECURITY_GROUP_ID), ("rds_postgres_security_group_ids", SECURITY_GROUP_ID)):
        for value in _list(variables, name):
            problems.match(name, value, pattern, "a security group id (sg-...)")
    for value in _list(variables, "rds_postgres_subnet_ids"):
        problems.match("rds_postgres_subnet_ids", value, SUBNET_ID, "a subnet id (subnet-...)")
    if get("rds_postgres_replica_source"):
        problems.match(
            "rds_postgres_replica_source",
            get("rds_postgres_replica_source"),
            RDS_INSTANCE_ARN,
            "the source DB instance's ARN (arn:aws:rds:<region>:<account>:db:<id>)",
        )
        if get("rds_postgres_promote") is True:
            problems.append("rds_postgres_promote and rds_postgres_replica_source: a promoted instance is no replica, give one, not both")
    return problems


def file_gateway_problems(variables):
    """hybridcloud.aws.file_gateway: bucket, role, activation, archive tiers, shares and their client lists, replication to the DR region."""
    problems = Problems()
    get = variables.get
    min_prefix = _min_prefix(problems, variables, "file_gateway_min_source_prefix")
    problems.match(
        "file_gateway_name", get("file_gateway_name"), re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{1,254}$"), "2 to 255 letters, digits, spaces, '.', '_' or '-'"
    )
    bucket = get("file_gateway_bucket_name")
    valid = problems.match("file_gateway_bucket_name", bucket, BUCKET, "a valid S3 bucket name (3-63 of a-z 0-9 . -)")
    if valid and (".." in bucket or re.match(r"^\d+\.\d+\.\d+\.\d+$", bucket)):
        problems.add("file_gateway_bucket_name", bucket, "must be a valid S3 bucket name (no '..', not an IP address)")
    if get("file_gateway_appliance_address") and get("file_gateway_activation_key"):
        problems.append("file_gateway_appliance_address and file_gateway_activation_key: give one, not both")
    problems.match("file_gateway_timezone", get("file_gateway_timezone"), re.compile(r"^GMT([+-]([0-9]|1[0-2]):(00|30|45))?$"), "GMT or GMT+h:mm / GMT-h:mm")
    if get("file_gateway_log_group_arn"):
        problems.match("file_gateway_log_group_arn", get("file_gateway_log_group_arn"), LOG_GROUP_ARN, "a CloudWatch Logs log group ARN")
    if get("file_gateway_kms_key_arn"):
        problems.match("file_gateway_kms_key_arn", get("file_gateway_kms_key_arn"), KMS_KEY_ARN, "a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)")
    problems.match("file_gateway_role_name", get("file_gateway_role_name"), IAM_ROLE_NAME, "an IAM role name (1-64 of letters, digits, +=,.@_-)")
    _file_gateway_replication_problems(problems, get, valid)
    archive = problems.integer("file_gateway_archive_access_days", get("file_gateway_archive_access_days"), 90, 730)
    deep = problems.integer("file_gateway_deep_archive_access_days", get("file_gateway_deep_archive_access_days"), 180, 730)
    problems.minimum_before_maximum("file_gateway_archive_access_days", archive, "file_gateway_deep_archive_access_days", deep, strictly=True)
    problems.integer("file_gateway_tiering_transition_days", get("file_gateway_tiering_transition_days"), 0)
    problems.integer("file_gateway_noncurrent_version_expiration_days", get("file_gateway_noncurrent_version_expiration_days"), 1)
    problems.integer("file_gateway_abort_multipart_upload_days", get("file_gateway_abort_multipart_upload_days"), 1)
    clients = _list(variables, "file_gateway_client_cidrs")
    problems.extend(source_problems("file_gateway_client_cidrs", clients, min_prefix))
    names = []
    for index, share in enumerate(_list(variables, "file_gateway_nfs_shares")):
        label = "file_gateway_nfs_shares[{0}]".format(index)
        name = problems.match(label + ".name", share.get("name"), re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$"), "a share name (letters, digits, . _ -)")
        if name in names:
            problems.add(label + ".name", name, "is used by another share")
        names.append(name)
        if "client_cidrs" in share:
            share_clients = share.get("client_cidrs") or []
            problems.extend(source_problems(label + ".client_cidrs", share_clients, min_prefix))
            if not share_clients:
                problems.append(label + ".client_cidrs: must name at least one network")
        elif not clients:
            problems.append(label + ": has no client_cidrs and file_gateway_client_cidrs is empty")
        if "prefix" in share:
            problems.match(label + ".prefix", share.get("prefix"), re.compile(r"^[^/].*/$"), "a key prefix that does not start with / and ends with /")
    return problems


def _file_gateway_replication_problems(problems, get, source_bucket):
    """The replication of the file share's bucket to the DR region, checked only with a strategy other than none
    (file_gateway_dr_strategy; the strategy and the regions themselves are the dr_plan filter's to check): the
    replica's bucket name (by default the source's with -dr, which may be too long), the replication role's name,
    and the replica's KMS key, required when the source uses one (S3 replicates objects encrypted with KMS only to a
    key of the destination's region) and in the DR region."""
    if get("file_gateway_dr_strategy", "none") in (None, "", "none"):
        return
    replica = get("file_gateway_replica_bucket_name")
    if problems.match("file_gateway_replica_bucket_name", replica, BUCKET, "a valid S3 bucket name (3-63 of a-z 0-9 . -)"):
        if ".." in replica or re.match(r"^\d+\.\d+\.\d+\.\d+$", replica):
            problems.add("file_gateway_replica_bucket_name", replica, "must be a valid S3 bucket name (no '..', not an IP address)")
        elif replica == source_bucket:
            problems.add("file_gateway_replica_bucket_name", replica, "must name a bucket other than file_gateway_bucket_name")
    role = problems.match(
        "file_gateway_replication_role_name", get("file_gateway_replication_role_name"), IAM_ROLE_NAME, "an IAM role name (1-64 of letters, digits, +=,.@_-)"
    )
    if role and role == get("file_gateway_role_name"):
        problems.add("file_gateway_replication_role_name", role, "must name a role other than file_gateway_role_name")
    key = get("file_gateway_replica_kms_key_arn") or ""
    dr_region = get("file_gateway_dr_region") or ""
    if not key:
        if get("file_gateway_kms_key_arn"):
            problems.add(
                "file_gateway_replica_kms_key_arn",
                key,
                "is required when file_gateway_kms_key_arn is set: S3 replicates objects encrypted with KMS only to a key of the DR region",
            )
        return
    key = problems.match("file_gateway_replica_kms_key_arn", key, KMS_KEY_ARN, "a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)")
    if key and REGION.match(dr_region) and key.split(":")[3] != dr_region:
        problems.add("file_gateway_replica_kms_key_arn", key, "must be a key in file_gateway_dr_region {0}".format(dr_region))


def backup_problems(variables):
    """hybridcloud.aws.backup: vault names and keys, regions, plans, rules and vault lock retention."""
    problems = Problems()
    get = variables.get
    for name in ("backup_vault_name", "backup_dr_vault_name"):
        problems.match(name, get(name), BACKUP_VAULT, "2 to 50 letters, digits, '-' or '_'")
    for name in ("backup_kms_key_arn", "backup_dr_kms_key_arn"):
        if get(name):
            problems.match(name, get(name), KMS_KEY_ARN, "a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)")
    region, dr_region = get("backup_region") or "", get("backup_dr_region") or ""
    if problems.match("backup_dr_region", dr_region, REGION, "a region name such as eu-central-1"):
        if dr_region == region:
            problems.add("backup_dr_region", dr_region, "must name a region other than the primary one (backup_region)")
        kms = get("backup_dr_kms_key_arn") or ""
        if kms and KMS_KEY_ARN.match(kms) and kms.split(":")[3] != dr_region:
            problems.add("backup_dr_kms_key_arn", kms, "must be a key in backup_dr_region {0}".format(dr_region))
    if region:
        problems.match("backup_region", region, REGION, "a region name such as eu-west-1")
    problems.match("backup_service_role_name", get("backup_service_role_name"), IAM_ROLE_NAME, "an IAM role name (1-64 of letters, digits, +=,.@_-)")
    plans = _list(variables, "backup_plans")
    if not plans:
        problems.append("backup_plans: needs at least one plan")
    names = []
    for index, plan in enumerate(plans):
        label = "backup_plans[{0}]".format(index)
        name = problems.match(label + ".name", plan.get("name"), BACKUP_PLAN, "1 to 50 of A-Z a-z 0-9 _ . -")
        if name in names:
            problems.add(label + ".name", name, "is used by another plan")
        names.append(name)
        if not plan.get("selection_tags"):
            problems.append(label + ".selection_tags: must name at least one tag")
        if not plan.get("rules"):
            problems.append(label + ".rules: needs at least one rule")
        for rule in plan.get("rules") or []:
            rule_label = "{0}.rules[{1}]".format(label, rule.get("name", "(unnamed)"))
            if not rule.get("name"):
                problems.append(rule_label + ": needs a name")
            problems.match(rule_label + ".schedule", rule.get("schedule"), SCHEDULE, "cron(...) or rate(...)")
            delete = problems.integer(rule_label + ".delete_after_days", rule.get("delete_after_days"), 1)
            if rule.get("move_to_cold_storage_after_days") is not None:
                cold = problems.integer(rule_label + ".move_to_cold_storage_after_days", rule.get("move_to_cold_storage_after_days"), 1)
                if cold is not None and delete is not None and delete < cold + 90:
                    problems.add(rule_label + ".delete_after_days", delete, "must be at least move_to_cold_storage_after_days + 90 ({0})".format(cold + 90))
            start = problems.integer(rule_label + ".start_window_minutes", rule.get("start_window_minutes", 480), 60)
            completion = problems.integer(rule_label + ".completion_window_minutes", rule.get("completion_window_minutes", 10080), 120)
            if start is not None and completion is not None and completion < start + 60:
                problems.add(rule_label + ".completion_window_minutes", completion, "must be at least start_window_minutes + 60")
    if get("backup_vault_lock_enabled", True):
        _vault_lock_problems(problems, get, plans)
    if get("backup_vault_deny_delete_policy_enabled", True):
        for index, arn in enumerate(get("backup_vault_deny_delete_exempt_principal_arns") or []):
            problems.match(
                "backup_vault_deny_delete_exempt_principal_arns[{0}]".format(index), arn, PRINCIPAL_ARN, "an IAM principal ARN (arn:aws:iam::ACCOUNT:role/NAME)"
            )
    return problems


def _vault_lock_problems(problems, get, plans):
    """The vault lock of hybridcloud.aws.backup: its ranges, and every rule's retention inside them (the lock is on
    both vaults and copies keep their rule's lifecycle, so a rule outside would have its backup and copy jobs refused)."""
    low = problems.integer("backup_vault_lock_min_retention_days", get("backup_vault_lock_min_retention_days", VAULT_LOCK_MIN_DAYS), 1, 36500)
    high = get("backup_vault_lock_max_retention_days")
    if high is not None:
        high = problems.integer("backup_vault_lock_max_retention_days", high, 1, 36500)
        problems.minimum_before_maximum("backup_vault_lock_min_retention_days", low, "backup_vault_lock_max_retention_days", high)
    if get("backup_vault_lock_changeable_for_days") is not None:
        problems.integer("backup_vault_lock_changeable_for_days", get("backup_vault_lock_changeable_for_days"), 3, 36500)
    for index, plan in enumerate(plans):
        for rule in plan.get("rules") or []:
            label = "backup_plans[{0}].rules[{1}].delete_after_days".format(index, rule.get("name", "(unnamed)"))
            try:
                days = int(rule.get("delete_after_days"))
            except (TypeError, ValueError):
                continue
            if low is not None and days < low:
                problems.add(label, days, "is below backup_vault_lock_min_retention_days ({0}): the vault lock would refuse its recovery points".format(low))
            if high is not None and days > high:
                problems.add(label, days, "is above backup_vault_lock_max_retention_days ({0}): the vault lock would refuse its recovery points".format(high))


def container_registry_problems(variables):
    """hybridcloud.aws.container_registry: repository names, lifecycle counts, key, Docker Hub credentials (masked)."""
    problems = Problems()
    get = variables.get
    names = []
    for index, repository in enumerate(_list(variables, "container_registry_repositories")):
        label = "container_registry_repositories[{0}]".format(index)
        name = repository.get("name")
        if problems.match(label + ".name", name, REPOSITORY, "lowercase letters, digits and . _ - / separators") and not 2 <= len(name) <= 256:
            problems.add(label + ".name", name, "must be 2 to 256 characters long")
        if name in names:
            problems.add(label + ".name", name, "is used by another repository")
        names.append(name)
        if "keep_last_images" in repository:
            problems.integer(label + ".keep_last_images", repository["keep_last_images"], 1, 10000)
        if "untagged_expire_days" in repository:
            problems.integer(label + ".untagged_expire_days", repository["untagged_expire_days"], 1)
    problems.integer("container_registry_keep_last_images", get("container_registry_keep_last_images"), 1, 10000)
    problems.integer("container_registry_untagged_expire_days", get("container_registry_untagged_expire_days"), 1)
    if get("container_registry_kms_key_arn"):
        problems.match(
            "container_registry_kms_key_arn", get("container_registry_kms_key_arn"), KMS_KEY_ARN, "a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)"
        )
    if get("container_registry_provider") == "dockerhub":
        credentials = get("container_registry_dockerhub_credentials") or {}
        if not credentials.get("username"):
            problems.append("container_registry_dockerhub_credentials.username: the dockerhub provider needs the user name")
        if not credentials.get("token"):
            problems.append("container_registry_dockerhub_credentials.token: the dockerhub provider needs the token")
        problems.match("container_registry_dockerhub_secret_name", get("container_registry_dockerhub_secret_name"), SECRET_NAME, "a Secrets Manager name")
    return problems


ROLE_CHECKS = {
    "network": network_problems,
    "hybrid_connectivity": hybrid_connectivity_problems,
    "load_balancer": load_balancer_problems,
    "rds_postgres": rds_postgres_problems,
    "file_gateway": file_gateway_problems,
    "backup": backup_problems,
    "container_registry": container_registry_problems,
}


def input_problems(variables, role):
    """Every problem of the role's variables, as sentences naming the variable and the value."""
    if role not in ROLE_CHECKS:
        raise ValueError("no input checks for role {0!r}; known: {1}".format(role, ", ".join(sorted(ROLE_CHECKS))))
    return list(ROLE_CHECKS[role](variables or {}))
