"""hybridcloud.aws.internal_dns against a private emulator: with pilot_light, a private zone associated with the VPCs
of two regions, CloudWatch-alarm health checks and failover records whose answer (TestDNSAnswer) follows the primary
region's alarm and the region outage switch; a second run and check mode on an empty account change nothing; the
deployer policy allows every call of the run; bad input in test_bad_input_aws_network_data.py. The serve entry point (a failover)
switches the names to the DR region with Route 53 calls only while the primary region is down, holds after it is
back, changes nothing the second time, and switches back; with active_active it keeps only the serving region's
record."""

import pytest
from support.iam_actions import deployer_policy, missing_actions

PRIMARY, DR = "us-east-1", "us-west-2"
ZONE = "internal.example.com"
TARGETS = {PRIMARY: "internal-hybridcloud-1.us-east-1.elb.amazonaws.com", DR: "internal-hybridcloud-2.us-west-2.elb.amazonaws.com"}
PREFIX = "hybridcloud-internal-dns"
LOAD_BALANCER = "app/hybridcloud-{0}/1234567890abcdef"
ROLE = [
    {"name": "dns", "ansible.builtin.include_role": {"name": "hybridcloud.aws.internal_dns"}},
    {"name": "facts", "ansible.builtin.debug": {"msg": {"zone": "{{ internal_dns_zone_id }}", "checks": "{{ internal_dns_health_check_ids }}"}}},
]


SERVE = [{"name": "serve", "ansible.builtin.include_role": {"name": "hybridcloud.aws.internal_dns", "tasks_from": "serve.yml"}}]


def regions(vpcs):
    return [
        {"region": region, "vpc_id": vpcs[region], "target": TARGETS[region], "alarm_dimensions": {"LoadBalancer": LOAD_BALANCER.format(region)}}
        for region in (PRIMARY, DR)
    ]


@pytest.fixture
def vpcs(aws, lab_api):
    made = {region: aws("ec2", region).create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"] for region, cidr in ((PRIMARY, "10.50.0.0/16"), (DR, "10.51.0.0/16"))}
    lab_api("DELETE", "/_lab/requests")  # the setup's own calls are not the role's
    return made


def run(playbook, vpcs, check=False, **extra):
    settings = {"internal_dns_strategy": "pilot_light", "internal_dns_zone_name": ZONE, "internal_dns_names": ["orders"], "internal_dns_regions": regions(vpcs)}
    return playbook(ROLE, check=check, extra_vars={**settings, **extra})


def answer(route53, zone_id):
    found = route53.test_dns_answer(HostedZoneId=zone_id, RecordName=f"orders.{ZONE}", RecordType="CNAME")
    assert found["ResponseCode"] == "NOERROR"
    return found["RecordData"]


def test_pilot_light_failover_follows_the_alarm_and_the_region_outage(playbook, aws, lab_api, vpcs):
    result = run(playbook, vpcs)
    assert result.failed == 0, result.output
    assert missing_actions(deployer_policy(), {(c["service"], c["operation"]) for c in result.api_calls}) == []
    facts = result.task("facts")["result"]["msg"]
    route53 = aws("route53")
    zone_id = facts["zone"]
    zone = route53.get_hosted_zone(Id=zone_id)
    assert zone["HostedZone"]["Config"]["PrivateZone"] is True
    assert {(v["VPCRegion"], v["VPCId"]) for v in zone["VPCs"]} == {(PRIMARY, vpcs[PRIMARY]), (DR, vpcs[DR])}

    checks = facts["checks"]
    for region in (PRIMARY, DR):
        config = route53.get_health_check(HealthCheckId=checks[region])["HealthCheck"]["HealthCheckConfig"]
        assert (config["Type"], config["AlarmIdentifier"]) == ("CLOUDWATCH_METRIC", {"Region": region, "Name": f"{PREFIX}-{region}"})
        alarm = aws("cloudwatch", region).describe_alarms(AlarmNames=[f"{PREFIX}-{region}"])["MetricAlarms"]
        assert [(a["MetricName"], a["Dimensions"]) for a in alarm] == [("HealthyHostCount", [{"Name": "LoadBalancer", "Value": LOAD_BALANCER.format(region)}])]
        aws("cloudwatch", region).set_alarm_state(AlarmName=f"{PREFIX}-{region}", StateValue="OK", StateReason="targets healthy")

    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    orders = sorted((r for r in records if r["Name"] == f"orders.{ZONE}."), key=lambda r: r["Failover"])
    assert [(r["Type"], r["Failover"], r["HealthCheckId"], r["ResourceRecords"]) for r in orders] == [
        ("CNAME", "PRIMARY", checks[PRIMARY], [{"Value": TARGETS[PRIMARY]}]),
        ("CNAME", "SECONDARY", checks[DR], [{"Value": TARGETS[DR]}]),
    ]
    assert answer(route53, zone_id) == [TARGETS[PRIMARY]]

    cloudwatch = aws("cloudwatch", PRIMARY)
    cloudwatch.set_alarm_state(AlarmName=f"{PREFIX}-{PRIMARY}", StateValue="ALARM", StateReason="no healthy target")
    assert answer(route53, zone_id) == [TARGETS[DR]]
    cloudwatch.set_alarm_state(AlarmName=f"{PREFIX}-{PRIMARY}", StateValue="OK", StateReason="targets healthy")
    assert answer(route53, zone_id) == [TARGETS[PRIMARY]]
    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})[0] == 200
    try:
        assert answer(route53, zone_id) == [TARGETS[DR]]
    finally:
        assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": False})[0] == 200
    assert answer(route53, zone_id) == [TARGETS[PRIMARY]]

    again = run(playbook, vpcs)
    assert again.failed == 0, again.output
    assert again.mutating_calls == [], again.mutating_calls
    assert again.changed == 0

    # The strategy becomes active_active: weighted records replace the failover records, in one batch.
    switched = run(playbook, vpcs, internal_dns_strategy="active_active")
    assert switched.failed == 0, switched.output
    assert [c["operation"] for c in switched.mutating_calls] == ["ChangeResourceRecordSets"]
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    orders = sorted((r for r in records if r["Name"] == f"orders.{ZONE}."), key=lambda r: r["SetIdentifier"])
    assert [(r["SetIdentifier"], r.get("Weight"), r.get("Failover"), r["HealthCheckId"]) for r in orders] == [
        (f"orders-{PRIMARY}", 100, None, checks[PRIMARY]),
        (f"orders-{DR}", 100, None, checks[DR]),
    ]
    cloudwatch.set_alarm_state(AlarmName=f"{PREFIX}-{PRIMARY}", StateValue="ALARM", StateReason="no healthy target")
    assert answer(route53, zone_id) == [TARGETS[DR]]  # the only healthy weighted record


def test_check_mode_on_an_empty_account_mutates_nothing(playbook, aws, vpcs):
    result = run(playbook, vpcs, check=True)
    assert result.failed == 0, result.output
    assert result.mutating_calls == []
    assert result.changed > 0  # the zone, the alarms and the health checks would be created
    assert aws("route53").list_hosted_zones()["HostedZones"] == []


def test_a_zone_of_the_name_with_other_vpcs_is_refused_before_any_write(playbook, aws, vpcs):
    route53 = aws("route53")
    route53.create_hosted_zone(
        Name=ZONE, CallerReference="other-tool", HostedZoneConfig={"PrivateZone": True}, VPC={"VPCRegion": PRIMARY, "VPCId": vpcs[PRIMARY]}
    )
    result = run(playbook, vpcs)
    assert result.failed == 1
    assert "does not change the VPCs of an existing zone" in result.output
    assert result.mutating_calls == []
    assert len(route53.list_hosted_zones_by_name(DNSName=ZONE)["HostedZones"]) == 1


def serve(playbook, region, **extra):
    settings = {
        "internal_dns_strategy": "pilot_light",
        "internal_dns_zone_name": ZONE,
        "internal_dns_names": ["orders"],
        "internal_dns_region_names": [PRIMARY, DR],
        "internal_dns_serving_region": region,
    }
    return playbook(SERVE, extra_vars={**settings, **extra})


def orders_records(route53, zone_id):
    """The orders record sets as (set identifier, failover role, weight), the primary's first."""
    records = route53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return sorted(((r["SetIdentifier"], r.get("Failover"), r.get("Weight")) for r in records if r["Name"] == f"orders.{ZONE}."), key=str)


def test_serve_switches_the_names_to_the_dr_region_with_route53_alone_and_back(playbook, aws, lab_api, vpcs):
    built = run(playbook, vpcs)
    assert built.failed == 0, built.output
    route53 = aws("route53")
    zone_id = built.task("facts")["result"]["msg"]["zone"]
    assert answer(route53, zone_id) == [TARGETS[PRIMARY]]

    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})[0] == 200
    try:
        switched = serve(playbook, DR)
    finally:
        assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": False})[0] == 200
    assert switched.failed == 0, switched.output
    # Route 53 alone (it is global): nothing sent to a regional service, so nothing to the region that was down.
    assert {c["service"] for c in switched.api_calls} == {"route53"}
    assert [c["operation"] for c in switched.mutating_calls] == ["ChangeResourceRecordSets"]
    assert orders_records(route53, zone_id) == [(f"orders-{PRIMARY}", "SECONDARY", None), (f"orders-{DR}", "PRIMARY", None)]
    # The switch holds with the primary region back and healthy: its database is no longer the writer.
    assert answer(route53, zone_id) == [TARGETS[DR]]

    again = serve(playbook, DR)
    assert again.failed == 0, again.output
    assert again.mutating_calls == [] and again.changed == 0

    back = serve(playbook, PRIMARY)
    assert back.failed == 0, back.output
    assert orders_records(route53, zone_id) == [(f"orders-{PRIMARY}", "PRIMARY", None), (f"orders-{DR}", "SECONDARY", None)]
    assert answer(route53, zone_id) == [TARGETS[PRIMARY]]
    # The main entry point agrees: nothing to write.
    assert run(playbook, vpcs).mutating_calls == []

    # active_active: serving the DR region keeps only its weighted record; the main entry point writes both again.
    assert run(playbook, vpcs, internal_dns_strategy="active_active").failed == 0
    assert serve(playbook, DR, internal_dns_strategy="active_active").failed == 0
    assert orders_records(route53, zone_id) == [(f"orders-{DR}", None, 100)]
    assert answer(route53, zone_id) == [TARGETS[DR]]
    assert run(playbook, vpcs, internal_dns_strategy="active_active").failed == 0
    assert orders_records(route53, zone_id) == [(f"orders-{PRIMARY}", None, 100), (f"orders-{DR}", None, 100)]


def test_serve_refuses_a_zone_without_the_regions_records_and_bad_input(playbook, vpcs):
    missing = serve(playbook, DR)
    assert missing.failed == 1
    assert f"The internal names cannot be switched to {DR}: no private zone {ZONE}" in missing.output
    assert missing.mutating_calls == []
    bad = serve(playbook, "eu-west-1", internal_dns_strategy="none")
    assert bad.failed == 1 and bad.api_calls == []
    assert "internal_dns_strategy: 'none' must keep a standing DR region" in bad.output
    assert "internal_dns_serving_region: 'eu-west-1' must be one of internal_dns_region_names" in bad.output
