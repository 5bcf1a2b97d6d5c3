# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Internal names in a Route 53 private hosted zone (role internal_dns): the input's problems, the record sets the
disaster recovery strategy asks for, and what differs from the record sets read from the zone.

Routing by strategy (the first region is the primary, the second the DR region):

- none, backup_restore (one region): a simple record per name to the primary region's target;
- pilot_light, warm_standby (two regions): failover records, PRIMARY to the primary region's target and SECONDARY to
  the DR region's, each with its region's health check;
- active_active (two regions): weighted records (equal weights) or latency records, one per region, each with its
  region's health check.

The serving region (after a failover, the DR region; by default the primary) decides who is PRIMARY: with a failover
strategy the serving region's record is the PRIMARY and the other region's the SECONDARY; with active_active only the
serving region's record is kept when the serving region is not the primary (weighted and latency alike: the other
region's record is deleted, and the standby's next run, in failback, writes it again). A failover decided by a person
therefore holds when the primary region answers again, until the failback (its database is no longer the writer).

A target with an alias hosted zone id (an ALB's CanonicalHostedZoneId) is an alias A record to its DNS name, else a
CNAME record with that DNS name as its value. Record sets are in the API's shape (ResourceRecordSet); module
route53_record_sets compares them with the zone's and writes what differs (record_set_changes)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.hybridcloud.aws.plugins.module_utils.input_checks import REGION
from ansible_collections.hybridcloud.aws.plugins.module_utils.input_checks import Problems

STRATEGIES = ("none", "backup_restore", "pilot_light", "warm_standby", "active_active")
FAILOVER = ("pilot_light", "warm_standby")
ROUTING = ("weighted", "latency")
ZONE_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$")
LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
HOSTNAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$")
VPC_ID = re.compile(r"^vpc-[0-9a-f]{8,17}$")
ZONE_ID = re.compile(r"^Z[A-Z0-9]{1,31}$")
ALARM_NAME = re.compile(r"^[^\x00-\x1f]{1,255}$")
COMPARISONS = ("GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold")
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")


def regions_needed(strategy):
    """How many regions a strategy routes to: 2 with a standing DR region, else 1."""
    return 2 if strategy in (*FAILOVER, "active_active") else 1


def input_problems(variables, entry_point="main"):
    """Every problem of the role's input (a dict of the internal_dns_* variables), each naming the variable; ENTRY_POINT
    serve checks the switch's input (serve_problems)."""
    if entry_point == "serve":
        return serve_problems(variables)
    problems = Problems()
    get = variables.get
    strategy = _common_problems(problems, get)
    regions = get("internal_dns_regions") or []
    if not isinstance(regions, list):
        problems.add("internal_dns_regions", regions, "must be a list")
        regions = []
    if strategy in STRATEGIES and len(regions) != regions_needed(strategy):
        problems.add(
            "internal_dns_regions",
            [r.get("region") if isinstance(r, dict) else r for r in regions],
            "must list {0} region(s) with internal_dns_strategy {1} (the primary{2})".format(
                regions_needed(strategy), strategy, " first, then the DR region" if regions_needed(strategy) == 2 else ""
            ),
        )
    seen = set()
    for index, entry in enumerate(regions):
        prefix = "internal_dns_regions[{0}]".format(index)
        if not isinstance(entry, dict):
            problems.add(prefix, entry, "must be a mapping of region, vpc_id, target and alarm_dimensions")
            continue
        region = problems.match(prefix + ".region", entry.get("region"), REGION, "a region name such as us-east-1")
        if region in seen:
            problems.add(prefix + ".region", region, "is listed twice")
        seen.add(region)
        problems.match(prefix + ".vpc_id", entry.get("vpc_id"), VPC_ID, "a VPC id (vpc-...)")
        problems.match(prefix + ".target", entry.get("target"), HOSTNAME, "the DNS name of the region's target (its internal ALB)")
        zone_id = entry.get("target_hosted_zone_id") or ""
        if zone_id:
            problems.match(prefix + ".target_hosted_zone_id", zone_id, ZONE_ID, "the target's canonical hosted zone id (Z...) or empty for a CNAME")
        dimensions = entry.get("alarm_dimensions") or {}
        if not isinstance(dimensions, dict) or not all(isinstance(k, str) and isinstance(v, str) and k and v for k, v in dimensions.items()):
            problems.add(prefix + ".alarm_dimensions", dimensions, "must map dimension names to values")
        elif strategy in STRATEGIES and regions_needed(strategy) == 2 and not dimensions:
            problems.add(prefix + ".alarm_dimensions", dimensions, "must name the metric's dimensions (e.g. TargetGroup and LoadBalancer)")
    serving = get("internal_dns_serving_region") or ""
    listed = [entry.get("region") for entry in regions if isinstance(entry, dict)]
    if serving and serving not in listed:
        problems.add("internal_dns_serving_region", serving, "must be empty (the primary) or one of internal_dns_regions' regions {0}".format(listed))
    _alarm_problems(problems, get("internal_dns_alarm") or {})
    prefix = get("internal_dns_alarm_name_prefix", "")
    if not isinstance(prefix, str) or not ALARM_NAME.match(prefix + "x") or len(prefix) > 200:
        problems.add("internal_dns_alarm_name_prefix", prefix, "must be at most 200 printable characters")
    return list(problems)


def serve_problems(variables):
    """Every problem of the serve entry point's input: a strategy with two regions, the zone, the names, the two region
    names (the primary first) and the serving region among them."""
    problems = Problems()
    get = variables.get
    strategy = _common_problems(problems, get)
    if strategy in STRATEGIES and regions_needed(strategy) != 2:
        problems.add("internal_dns_strategy", strategy, "must keep a standing DR region (pilot_light, warm_standby or active_active) to switch regions")
    region_names = get("internal_dns_region_names") or []
    if not isinstance(region_names, list) or len(region_names) != 2 or len(set(map(str, region_names))) != 2:
        problems.add("internal_dns_region_names", region_names, "must list two different regions, the primary first, then the DR region")
        region_names = []
    for index, region in enumerate(region_names):
        problems.match("internal_dns_region_names[{0}]".format(index), region, REGION, "a region name such as us-east-1")
    serving = get("internal_dns_serving_region")
    if region_names and serving not in region_names:
        problems.add("internal_dns_serving_region", serving, "must be one of internal_dns_region_names {0}".format(region_names))
    return list(problems)


def _common_problems(problems, get):
    """The strategy, zone, names, TTL and routing, which both entry points take; returns the strategy."""
    strategy = get("internal_dns_strategy")
    if strategy not in STRATEGIES:
        problems.add("internal_dns_strategy", strategy, "must be one of " + ", ".join(STRATEGIES))
    zone = get("internal_dns_zone_name")
    if not isinstance(zone, str) or not ZONE_NAME.match(zone.rstrip(".")):
        problems.add("internal_dns_zone_name", zone, "must be a lower-case domain name of two labels or more such as internal.example.com")
    names = get("internal_dns_names") or []
    if not isinstance(names, list) or not names:
        problems.add("internal_dns_names", names, "must list at least one application name")
        names = []
    for index, name in enumerate(names):
        if not isinstance(name, str) or not LABEL.match(name):
            problems.add("internal_dns_names[{0}]".format(index), name, "must be one DNS label (lower-case letters, digits, '-')")
    if len(set(map(str, names))) != len(names):
        problems.add("internal_dns_names", names, "must not repeat a name")
    problems.integer("internal_dns_ttl", get("internal_dns_ttl", 60), 0, 2147483647)
    if get("internal_dns_active_active_routing", "weighted") not in ROUTING:
        problems.add("internal_dns_active_active_routing", get("internal_dns_active_active_routing"), "must be weighted or latency")
    return strategy


def _alarm_problems(problems, alarm):
    name = "internal_dns_alarm"
    if not isinstance(alarm, dict):
        problems.add(name, alarm, "must be a mapping")
        return
    for key in ("namespace", "metric_name"):
        if not isinstance(alarm.get(key), str) or not alarm.get(key):
            problems.add("{0}.{1}".format(name, key), alarm.get(key), "is required")
    if alarm.get("statistic") not in STATISTICS:
        problems.add(name + ".statistic", alarm.get("statistic"), "must be one of " + ", ".join(STATISTICS))
    if alarm.get("comparison_operator") not in COMPARISONS:
        problems.add(name + ".comparison_operator", alarm.get("comparison_operator"), "must be one of " + ", ".join(COMPARISONS))
    period = problems.integer(name + ".period", alarm.get("period"), 10, 86400)
    if period is not None and period not in (10, 20, 30) and period % 60:
        problems.add(name + ".period", period, "must be 10, 20, 30 or a multiple of 60")
    problems.integer(name + ".evaluation_periods", alarm.get("evaluation_periods"), 1, 100)
    try:
        float(alarm.get("threshold"))
    except (TypeError, ValueError):
        problems.add(name + ".threshold", alarm.get("threshold"), "must be a number")


def _fqdn(name, zone):
    return "{0}.{1}.".format(name, zone.rstrip(".").lower())


def wanted_record_sets(strategy, zone, names, regions, health_check_ids=None, ttl=60, routing="weighted", serving_region=""):  # noqa: PLR0917 (a filter takes its arguments by position)
    """The record sets of every name, in the shape of ChangeResourceRecordSets' ResourceRecordSet. SERVING_REGION
    (empty: the primary, the first region) is the region the names answer while its health check is healthy."""
    health_check_ids = health_check_ids or {}
    regions = regions[: regions_needed(strategy)]
    serving = serving_region or (regions[0]["region"] if regions else "")
    if len(regions) == 2 and serving != regions[0]["region"]:
        regions = [entry for entry in regions if entry["region"] == serving] + [entry for entry in regions if entry["region"] != serving]
        if strategy == "active_active":
            regions = regions[:1]
    record_sets = []
    for name in names:
        for index, entry in enumerate(regions):
            record_set = {"Name": _fqdn(name, zone)}
            zone_id = entry.get("target_hosted_zone_id") or ""
            if zone_id:
                record_set.update(Type="A", AliasTarget={"HostedZoneId": zone_id, "DNSName": entry["target"].rstrip("."), "EvaluateTargetHealth": False})
            else:
                record_set.update(Type="CNAME", TTL=int(ttl), ResourceRecords=[{"Value": entry["target"].rstrip(".")}])
            if regions_needed(strategy) == 2:
                record_set["SetIdentifier"] = "{0}-{1}".format(name, entry["region"])
                if strategy in FAILOVER:
                    record_set["Failover"] = "PRIMARY" if index == 0 else "SECONDARY"
                elif routing == "latency":
                    record_set["Region"] = entry["region"]
                else:
                    record_set["Weight"] = 100
                if health_check_ids.get(entry["region"]):
                    record_set["HealthCheckId"] = health_check_ids[entry["region"]]
            record_sets.append(record_set)
    return record_sets


def region_target(facts, target_group=""):
    """One entry of internal_dns_regions from a region's hand-off facts (a host's variables after the network and
    load_balancer roles ran there, or their existing.yml reads): aws_region, network_vpc_id, the internal ALB
    (load_balancer_arn, load_balancer_dns_name, load_balancer_canonical_hosted_zone_id) as the alias target, and the
    dimensions of the HealthyHostCount metric the region's alarm watches: the ALB's and TARGET_GROUP's ARN suffixes
    (app/<name>/<id>, targetgroup/<name>/<id>), as CloudWatch names them (the metric has no ALB-wide aggregate).
    Raises ValueError naming what is missing."""
    facts = facts or {}
    groups = facts.get("load_balancer_target_group_arns") or {}
    missing = [name for name in ("aws_region", "network_vpc_id", "load_balancer_arn", "load_balancer_dns_name") if not facts.get(name)]
    if target_group not in groups:
        missing.append("load_balancer_target_group_arns[{0!r}] (has {1})".format(target_group, sorted(groups)))
    if missing:
        raise ValueError(
            "the region's hand-off facts lack {0}: run the network and load_balancer roles (or their existing.yml) there first".format(", ".join(missing))
        )
    return {
        "region": facts["aws_region"],
        "vpc_id": facts["network_vpc_id"],
        "target": facts["load_balancer_dns_name"],
        "target_hosted_zone_id": facts.get("load_balancer_canonical_hosted_zone_id") or "",
        "alarm_dimensions": {
            "LoadBalancer": facts["load_balancer_arn"].split(":loadbalancer/", 1)[-1],
            "TargetGroup": groups[target_group].split(":", 5)[-1],
        },
    }


def regions_in_zone(record_sets, zone, names, region_names):
    """What the zone's record sets say of each region, for a switch of the serving region that reads nothing but Route
    53 (a failover, while the primary region does not answer). RECORD_SETS are ListResourceRecordSets' record sets,
    in the API's shape or snake_cased (amazon.aws.route53_info). Per region of REGION_NAMES (the primary first): its
    target and alias zone, from the first name's record set with set identifier <name>-<region>, and its health check
    id. Returns {regions, health_check_ids, missing}: MISSING names the record sets that are not there (the standby's
    run writes them)."""
    by_identifier = {}
    for record_set in record_sets or []:
        by_identifier[(_dns(_field(record_set, "Name")), _field(record_set, "SetIdentifier"))] = record_set
    regions, health_check_ids, missing = [], {}, []
    for region in region_names:
        present = []
        for name in names:
            record_set = by_identifier.get((_dns(_fqdn(name, zone)), "{0}-{1}".format(name, region)))
            if record_set is None:
                missing.append("{0} ({1})".format(_fqdn(name, zone), region))
            else:
                present.append(record_set)
        if not present:
            continue
        alias = _field(present[0], "AliasTarget") or {}
        values = [_field(item, "Value") for item in _field(present[0], "ResourceRecords") or []]
        regions.append(
            {
                "region": region,
                "target": _dns(_field(alias, "DNSName") or (values[0] if values else "")),
                "target_hosted_zone_id": _field(alias, "HostedZoneId") or "",
            }
        )
        if _field(present[0], "HealthCheckId"):
            health_check_ids[region] = _field(present[0], "HealthCheckId")
    return {"regions": regions, "health_check_ids": health_check_ids, "missing": missing}


def _field(item, name):
    """ITEM's NAME (the API's key) or its snake_case twin (camel_dict_to_snake_dict: DNSName is dns_name)."""
    if name in item:
        return item[name]
    return item.get("dns_name" if name == "DNSName" else re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).lower())


def _dns(value):
    return str(value or "").rstrip(".").lower()


def _key(record_set):
    return (_dns(record_set.get("Name")).replace("\\052", "*"), record_set.get("Type"), record_set.get("SetIdentifier"))


def _comparable(record_set):
    """A record set with the names normalised (case, trailing dot) and the values' order ignored."""
    view = {key: value for key, value in record_set.items() if key not in ("ResourceRecords", "AliasTarget", "Name")}
    view["Name"] = _key(record_set)[0]
    if record_set.get("ResourceRecords"):
        view["ResourceRecords"] = sorted(_dns(item.get("Value")) for item in record_set["ResourceRecords"])
    alias = record_set.get("AliasTarget")
    if alias:
        view["AliasTarget"] = (alias.get("HostedZoneId"), _dns(alias.get("DNSName")), bool(alias.get("EvaluateTargetHealth")))
    return view


def record_set_changes(current, wanted, purge=True):
    """The ChangeResourceRecordSets changes that make `current` (ListResourceRecordSets' record sets) hold `wanted`.

    A wanted record set that is missing or differs is upserted. With `purge`, a record set at a wanted name (other
    than NS and SOA) whose type and set identifier are not wanted is deleted, before the upserts: a CNAME cannot share
    its name, and simple and routed record sets cannot share a name and type."""
    by_key = {_key(record_set): record_set for record_set in current or []}
    wanted_keys = {_key(record_set) for record_set in wanted}
    names = {key[0] for key in wanted_keys}
    changes = []
    if purge:
        for key in sorted(by_key, key=str):
            if key[0] in names and key not in wanted_keys and key[1] not in ("NS", "SOA"):
                changes.append({"Action": "DELETE", "ResourceRecordSet": by_key[key]})
    for record_set in wanted:
        found = by_key.get(_key(record_set))
        if found is None or _comparable(found) != _comparable(record_set):
            changes.append({"Action": "UPSERT", "ResourceRecordSet": record_set})
    return changes


def zone_plan(zone_details, zone, regions):
    """The private zone's VPCs as amazon.aws.route53_zone takes them ({id, region} per region), and why the role must
    not write the zone: ZONE_DETAILS are the private zones of the name as amazon.aws.route53_info details them (each
    with its VPCs, [{VPCRegion, VPCId}]). route53_zone creates a second private zone of the same name when the VPCs it
    is given differ from an existing zone's, so a second zone of the name, or one associated with other VPCs, is
    refused before any write (`refusal`, empty when the role may go on)."""
    wanted = sorted("{0}/{1}".format(entry["region"], entry["vpc_id"]) for entry in regions)
    existing = sorted("{0}/{1}".format(vpc.get("VPCRegion"), vpc.get("VPCId")) for details in zone_details for vpc in details.get("VPCs") or [])
    refusal = ""
    if len(zone_details) > 1 or (zone_details and existing != wanted):
        refusal = (
            "internal_dns_zone_name: {0} has {1} private zone(s) (VPCs {2}); the role associates exactly {3} and does not change the VPCs of an "
            "existing zone: associate or disassociate them first (AssociateVPCWithHostedZone)"
        ).format(zone, len(zone_details), existing, wanted)
    return {"vpcs": [{"id": entry["vpc_id"], "region": entry["region"]} for entry in regions], "refusal": refusal}
