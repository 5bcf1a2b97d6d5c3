"""Filters internal_dns_problems, internal_dns_records, internal_dns_region and internal_dns_zone_regions, and the
record set comparison of route53_record_sets (module_utils/internal_dns.py)."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridcloud.aws.plugins.filter.internal_dns_problems import FilterModule as Problems
from ansible_collections.hybridcloud.aws.plugins.filter.internal_dns_records import FilterModule as Records
from ansible_collections.hybridcloud.aws.plugins.filter.internal_dns_region import FilterModule as Region
from ansible_collections.hybridcloud.aws.plugins.filter.internal_dns_zone_regions import FilterModule as ZoneRegions
from ansible_collections.hybridcloud.aws.plugins.module_utils.internal_dns import record_set_changes

problems = Problems().filters()["internal_dns_problems"]
records = Records().filters()["internal_dns_records"]
region = Region().filters()["internal_dns_region"]
zone_regions = ZoneRegions().filters()["internal_dns_zone_regions"]

ALARM = {
    "namespace": "AWS/ApplicationELB",
    "metric_name": "HealthyHostCount",
    "statistic": "Minimum",
    "comparison_operator": "LessThanThreshold",
    "threshold": 1,
    "period": 60,
    "evaluation_periods": 2,
}
EAST = {
    "region": "us-east-1",
    "vpc_id": "vpc-0123456789abcdef0",
    "target": "a.us-east-1.elb.amazonaws.com",
    "alarm_dimensions": {"LoadBalancer": "app/a/1"},
}
WEST = {
    "region": "us-west-2",
    "vpc_id": "vpc-0fedcba9876543210",
    "target": "b.us-west-2.elb.amazonaws.com",
    "alarm_dimensions": {"LoadBalancer": "app/b/2"},
}
CHECKS = {"us-east-1": "hc-east", "us-west-2": "hc-west"}
NAME = "orders.internal.example.com."


def variables(**changes):
    base = {
        "internal_dns_strategy": "pilot_light",
        "internal_dns_zone_name": "internal.example.com",
        "internal_dns_names": ["orders", "billing"],
        "internal_dns_regions": [EAST, WEST],
        "internal_dns_ttl": 60,
        "internal_dns_active_active_routing": "weighted",
        "internal_dns_alarm": ALARM,
        "internal_dns_alarm_name_prefix": "hybridcloud-internal-dns",
    }
    return dict(base, **changes)


def test_valid_input_has_no_problem():
    assert problems(variables()) == []
    assert problems(variables(internal_dns_strategy="none", internal_dns_regions=[dict(EAST, alarm_dimensions={})])) == []


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"internal_dns_strategy": "cold"}, "internal_dns_strategy: 'cold' must be one of none, backup_restore"),
        ({"internal_dns_zone_name": "Internal"}, "internal_dns_zone_name: 'Internal' must be a lower-case domain name"),
        ({"internal_dns_names": []}, "internal_dns_names: [] must list at least one application name"),
        ({"internal_dns_names": ["a", "a"]}, "internal_dns_names: ['a', 'a'] must not repeat a name"),
        ({"internal_dns_names": ["a.b"]}, "internal_dns_names[0]: 'a.b' must be one DNS label"),
        ({"internal_dns_regions": [EAST]}, "internal_dns_regions: ['us-east-1'] must list 2 region(s) with internal_dns_strategy pilot_light"),
        ({"internal_dns_strategy": "none"}, "must list 1 region(s) with internal_dns_strategy none"),
        ({"internal_dns_regions": [EAST, dict(WEST, region="us-east-1")]}, "internal_dns_regions[1].region: 'us-east-1' is listed twice"),
        ({"internal_dns_regions": [EAST, dict(WEST, vpc_id="vpc-x")]}, "internal_dns_regions[1].vpc_id: 'vpc-x' must be a VPC id"),
        ({"internal_dns_regions": [EAST, dict(WEST, target="not a name")]}, "internal_dns_regions[1].target: 'not a name' must be the DNS name"),
        ({"internal_dns_regions": [EAST, dict(WEST, target_hosted_zone_id="zone")]}, "internal_dns_regions[1].target_hosted_zone_id: 'zone'"),
        ({"internal_dns_regions": [EAST, dict(WEST, alarm_dimensions={})]}, "internal_dns_regions[1].alarm_dimensions: {} must name the metric's dimensions"),
        ({"internal_dns_ttl": -1}, "internal_dns_ttl: -1 must be 0 to"),
        ({"internal_dns_active_active_routing": "geo"}, "internal_dns_active_active_routing: 'geo' must be weighted or latency"),
        ({"internal_dns_alarm": dict(ALARM, period=90)}, "internal_dns_alarm.period: 90 must be 10, 20, 30 or a multiple of 60"),
        ({"internal_dns_alarm": dict(ALARM, statistic="p99")}, "internal_dns_alarm.statistic: 'p99' must be one of"),
        ({"internal_dns_alarm": dict(ALARM, threshold="one")}, "internal_dns_alarm.threshold: 'one' must be a number"),
        ({"internal_dns_alarm": {}}, "internal_dns_alarm.namespace: None is required"),
        ({"internal_dns_serving_region": "eu-west-1"}, "internal_dns_serving_region: 'eu-west-1' must be empty (the primary) or one of"),
    ],
)
def test_each_problem_names_the_variable_and_the_value(changes, expected):
    found = problems(variables(**changes))
    assert any(expected in problem for problem in found), found


def test_failover_records_with_their_health_checks():
    wanted = records("pilot_light", "internal.example.com", ["orders"], [EAST, WEST], CHECKS, 30)
    assert wanted == [
        {
            "Name": NAME,
            "Type": "CNAME",
            "TTL": 30,
            "ResourceRecords": [{"Value": EAST["target"]}],
            "SetIdentifier": "orders-us-east-1",
            "Failover": "PRIMARY",
            "HealthCheckId": "hc-east",
        },
        {
            "Name": NAME,
            "Type": "CNAME",
            "TTL": 30,
            "ResourceRecords": [{"Value": WEST["target"]}],
            "SetIdentifier": "orders-us-west-2",
            "Failover": "SECONDARY",
            "HealthCheckId": "hc-west",
        },
    ]
    assert [r["Failover"] for r in records("warm_standby", "internal.example.com", ["orders"], [EAST, WEST], CHECKS)] == ["PRIMARY", "SECONDARY"]


def test_active_active_is_weighted_or_latency():
    weighted = records("active_active", "internal.example.com", ["orders"], [EAST, WEST], CHECKS)
    assert [(r["Weight"], r["HealthCheckId"], "Failover" in r) for r in weighted] == [(100, "hc-east", False), (100, "hc-west", False)]
    latency = records("active_active", "internal.example.com", ["orders"], [EAST, WEST], CHECKS, 60, "latency")
    assert [(r["Region"], "Weight" in r) for r in latency] == [("us-east-1", False), ("us-west-2", False)]


def test_one_region_is_a_simple_record_and_alias_targets_are_alias_records():
    simple = records("none", "internal.example.com.", ["orders"], [dict(EAST, target_hosted_zone_id="Z35SXDOTRQ7X7K")], {})
    assert simple == [{"Name": NAME, "Type": "A", "AliasTarget": {"HostedZoneId": "Z35SXDOTRQ7X7K", "DNSName": EAST["target"], "EvaluateTargetHealth": False}}]


def test_a_missing_health_check_id_leaves_the_record_without():
    assert "HealthCheckId" not in records("pilot_light", "internal.example.com", ["orders"], [EAST, WEST], {})[0]


def listed(record_set):
    """A record set as ListResourceRecordSets answers it (names with a trailing dot, values as stored)."""
    return dict(record_set, Name=record_set["Name"].upper())


def test_no_change_when_the_zone_holds_the_records():
    wanted = records("pilot_light", "internal.example.com", ["orders"], [EAST, WEST], CHECKS)
    soa = {"Name": "internal.example.com.", "Type": "SOA", "TTL": 900, "ResourceRecords": [{"Value": "ns"}]}
    assert record_set_changes([soa, *map(listed, reversed(wanted))], wanted) == []


def test_a_differing_record_is_upserted():
    wanted = records("pilot_light", "internal.example.com", ["orders"], [EAST, WEST], CHECKS)
    current = [wanted[0], dict(wanted[1], HealthCheckId="old")]
    assert record_set_changes(current, wanted) == [{"Action": "UPSERT", "ResourceRecordSet": wanted[1]}]


def test_a_simple_record_is_deleted_before_the_failover_records():
    simple = records("none", "internal.example.com", ["orders"], [EAST], {})[0]
    other = {"Name": "other.internal.example.com.", "Type": "CNAME", "TTL": 60, "ResourceRecords": [{"Value": "x"}]}
    wanted = records("pilot_light", "internal.example.com", ["orders"], [EAST, WEST], CHECKS)
    changes = record_set_changes([simple, other], wanted)
    assert [change["Action"] for change in changes] == ["DELETE", "UPSERT", "UPSERT"]
    assert changes[0]["ResourceRecordSet"] is simple
    assert record_set_changes([simple, other], wanted, purge=False) == changes[1:]


def test_alias_targets_compare_without_case_and_trailing_dot():
    wanted = records("none", "internal.example.com", ["orders"], [dict(EAST, target_hosted_zone_id="Z35SXDOTRQ7X7K")], {})
    stored = dict(wanted[0], AliasTarget=dict(wanted[0]["AliasTarget"], DNSName=EAST["target"].upper() + "."))
    assert record_set_changes([stored], wanted) == []


# --- the serving region (a failover) ---------------------------------------------------------------------------------
def test_the_serving_region_is_the_primary_of_the_failover_records():
    serving_dr = records("pilot_light", "internal.example.com", ["orders"], [EAST, WEST], CHECKS, 60, "weighted", "us-west-2")
    assert [(r["SetIdentifier"], r["Failover"], r["HealthCheckId"], r["ResourceRecords"]) for r in serving_dr] == [
        ("orders-us-west-2", "PRIMARY", "hc-west", [{"Value": WEST["target"]}]),
        ("orders-us-east-1", "SECONDARY", "hc-east", [{"Value": EAST["target"]}]),
    ]
    # The primary named explicitly is the default.
    default = records("pilot_light", "internal.example.com", ["orders"], [EAST, WEST], CHECKS)
    assert records("pilot_light", "internal.example.com", ["orders"], [EAST, WEST], CHECKS, 60, "weighted", "us-east-1") == default
    # Both record sets change their role, in one batch of two upserts (same set identifiers).
    changes = record_set_changes(list(map(listed, default)), serving_dr)
    assert [(c["Action"], c["ResourceRecordSet"]["SetIdentifier"]) for c in changes] == [("UPSERT", "orders-us-west-2"), ("UPSERT", "orders-us-east-1")]


@pytest.mark.parametrize("routing", ["weighted", "latency"])
def test_active_active_serving_the_dr_region_keeps_only_its_record(routing):
    both = records("active_active", "internal.example.com", ["orders"], [EAST, WEST], CHECKS, 60, routing)
    serving_dr = records("active_active", "internal.example.com", ["orders"], [EAST, WEST], CHECKS, 60, routing, "us-west-2")
    assert [r["SetIdentifier"] for r in serving_dr] == ["orders-us-west-2"]
    assert serving_dr[0] == both[1]
    changes = record_set_changes(both, serving_dr)
    assert [(c["Action"], c["ResourceRecordSet"]["SetIdentifier"]) for c in changes] == [("DELETE", "orders-us-east-1")]


def test_a_region_from_the_network_and_load_balancer_hand_off():
    facts = {
        "aws_region": "us-west-2",
        "network_vpc_id": "vpc-0fedcba9876543210",
        "load_balancer_arn": "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/lab-internal/50dc6c495c0c9188",
        "load_balancer_dns_name": "internal-lab-internal-1.us-west-2.elb.amazonaws.com",
        "load_balancer_canonical_hosted_zone_id": "Z1H1FL5HABSF5",
        "load_balancer_target_group_arns": {"web": "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/web/6d0ecf831eec9f09"},
    }
    entry = region(facts, "web")
    assert entry == {
        "region": "us-west-2",
        "vpc_id": "vpc-0fedcba9876543210",
        "target": "internal-lab-internal-1.us-west-2.elb.amazonaws.com",
        "target_hosted_zone_id": "Z1H1FL5HABSF5",
        "alarm_dimensions": {"LoadBalancer": "app/lab-internal/50dc6c495c0c9188", "TargetGroup": "targetgroup/web/6d0ecf831eec9f09"},
    }
    assert problems(variables(internal_dns_regions=[EAST, entry])) == []
    with pytest.raises(AnsibleFilterError, match=r"lack network_vpc_id, load_balancer_target_group_arns\['api'\] \(has \['web'\]\)"):
        region(dict(facts, network_vpc_id=""), "api")


def snake(record_set):
    """A record set as amazon.aws.route53_info returns it (camel_dict_to_snake_dict)."""
    alias = record_set.get("AliasTarget")
    out = {"name": record_set["Name"], "type": record_set["Type"], "set_identifier": record_set.get("SetIdentifier")}
    if alias:
        out["alias_target"] = {"hosted_zone_id": alias["HostedZoneId"], "dns_name": alias["DNSName"] + ".", "evaluate_target_health": False}
    else:
        out["resource_records"] = [{"value": item["Value"]} for item in record_set["ResourceRecords"]]
    if record_set.get("HealthCheckId"):
        out["health_check_id"] = record_set["HealthCheckId"]
    return out


@pytest.mark.parametrize("shape", [listed, snake])
def test_the_regions_read_back_from_the_zone_give_the_same_records(shape):
    aliased = [EAST, dict(WEST, target_hosted_zone_id="Z1H1FL5HABSF5")]
    current = records("pilot_light", "internal.example.com", ["orders", "billing"], aliased, CHECKS)
    found = zone_regions([shape(r) for r in current], "internal.example.com", ["orders", "billing"], ["us-east-1", "us-west-2"])
    assert found["missing"] == [] and found["health_check_ids"] == CHECKS
    assert [(r["region"], r["target"], r["target_hosted_zone_id"]) for r in found["regions"]] == [
        ("us-east-1", EAST["target"], ""),
        ("us-west-2", WEST["target"], "Z1H1FL5HABSF5"),
    ]
    # From what the zone holds alone, the same record sets as from the regions themselves (no change), and the switch.
    again = records("pilot_light", "internal.example.com", ["orders", "billing"], found["regions"], found["health_check_ids"])
    assert record_set_changes(current, again) == []
    switched = records("pilot_light", "internal.example.com", ["orders", "billing"], found["regions"], found["health_check_ids"], 60, "weighted", "us-west-2")
    assert switched == records("pilot_light", "internal.example.com", ["orders", "billing"], aliased, CHECKS, 60, "weighted", "us-west-2")


def test_record_sets_missing_from_the_zone_are_named():
    current = records("pilot_light", "internal.example.com", ["orders"], [EAST, WEST], CHECKS)
    found = zone_regions(current[:1], "internal.example.com", ["orders", "billing"], ["us-east-1", "us-west-2"])
    assert found["missing"] == [
        "billing.internal.example.com. (us-east-1)",
        "orders.internal.example.com. (us-west-2)",
        "billing.internal.example.com. (us-west-2)",
    ]
    assert [r["region"] for r in found["regions"]] == ["us-east-1"]
