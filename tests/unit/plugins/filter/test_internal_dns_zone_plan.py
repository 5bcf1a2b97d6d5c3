"""internal_dns_zone_plan: the private zone's VPCs as amazon.aws.route53_zone takes them, and the refusal of a second
zone of the name or of one associated with other VPCs (route53_zone would create a twin zone)."""

from __future__ import annotations

from ansible_collections.hybridcloud.aws.plugins.filter.internal_dns_zone_plan import FilterModule

zone_plan = FilterModule().filters()["internal_dns_zone_plan"]

ZONE = "internal.hybridcloud.example"
REGIONS = [
    {"region": "us-east-1", "vpc_id": "vpc-0aaaaaaaaaaaaaaaa", "target": "primary.elb"},
    {"region": "us-west-2", "vpc_id": "vpc-0bbbbbbbbbbbbbbbb", "target": "dr.elb"},
]


def details(*vpcs):
    return {"VPCs": [{"VPCRegion": region, "VPCId": vpc_id} for region, vpc_id in vpcs], "item": {"id": "/hostedzone/Z1"}}


def test_without_a_zone_the_vpcs_are_every_regions_and_nothing_refuses():
    assert zone_plan([], ZONE, REGIONS) == {
        "vpcs": [{"id": "vpc-0aaaaaaaaaaaaaaaa", "region": "us-east-1"}, {"id": "vpc-0bbbbbbbbbbbbbbbb", "region": "us-west-2"}],
        "refusal": "",
    }


def test_a_zone_with_the_same_vpcs_in_another_order_is_the_one():
    found = details(("us-west-2", "vpc-0bbbbbbbbbbbbbbbb"), ("us-east-1", "vpc-0aaaaaaaaaaaaaaaa"))
    assert zone_plan([found], ZONE, REGIONS)["refusal"] == ""


def test_a_zone_with_other_vpcs_is_refused_naming_both_sets():
    refusal = zone_plan([details(("us-east-1", "vpc-0aaaaaaaaaaaaaaaa"))], ZONE, REGIONS)["refusal"]
    assert refusal.startswith(f"internal_dns_zone_name: {ZONE} has 1 private zone(s) (VPCs ['us-east-1/vpc-0aaaaaaaaaaaaaaaa'])")
    assert "associates exactly ['us-east-1/vpc-0aaaaaaaaaaaaaaaa', 'us-west-2/vpc-0bbbbbbbbbbbbbbbb']" in refusal
    assert "does not change the VPCs of an existing zone" in refusal


def test_two_zones_of_the_name_are_refused_even_with_the_wanted_vpcs_between_them():
    zones = [details(("us-east-1", "vpc-0aaaaaaaaaaaaaaaa")), details(("us-west-2", "vpc-0bbbbbbbbbbbbbbbb"))]
    assert "has 2 private zone(s)" in zone_plan(zones, ZONE, REGIONS)["refusal"]
