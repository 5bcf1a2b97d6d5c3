"""Route 53 for DR: a private zone associated with VPCs of two regions, CloudWatch-alarm health checks that follow
SetAlarmState and the region outage switch, calculated and endpoint checks, and failover records whose TestDNSAnswer
follows the health check."""

from __future__ import annotations

import pytest
from support.route53_alarms import alarm_health_check, healthy_hosts_alarm

PRIMARY, DR = "us-east-1", "us-west-2"
NAME = "app.internal.example."


def healthy(route53, check_id):
    observations = route53.get_health_check_status(HealthCheckId=check_id)["HealthCheckObservations"]
    assert len(observations) == 8
    statuses = {o["StatusReport"]["Status"].split(":")[0] for o in observations}
    assert len(statuses) == 1
    return statuses == {"Success"}


@pytest.fixture
def zone(client):
    vpcs = {region: client("ec2", region).create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"] for region, cidr in ((PRIMARY, "10.1.0.0/16"), (DR, "10.2.0.0/16"))}
    route53 = client("route53")
    zone_id = route53.create_hosted_zone(
        Name="internal.example", CallerReference="lab-zone", HostedZoneConfig={"PrivateZone": True}, VPC={"VPCRegion": PRIMARY, "VPCId": vpcs[PRIMARY]}
    )["HostedZone"]["Id"]
    route53.associate_vpc_with_hosted_zone(HostedZoneId=zone_id, VPC={"VPCRegion": DR, "VPCId": vpcs[DR]})
    assert {(v["VPCRegion"], v["VPCId"]) for v in route53.get_hosted_zone(Id=zone_id)["VPCs"]} == {(PRIMARY, vpcs[PRIMARY]), (DR, vpcs[DR])}
    return route53, zone_id


def test_alarm_health_check_follows_alarm_state_and_region_outage(client, lab_api, zone):
    route53, _ = zone
    cloudwatch = healthy_hosts_alarm(client, PRIMARY, "lab-primary-healthy")
    check_id = alarm_health_check(route53, PRIMARY, "lab-primary-healthy", "lab-hc-1")
    config = route53.get_health_check(HealthCheckId=check_id)["HealthCheck"]["HealthCheckConfig"]
    assert config["AlarmIdentifier"] == {"Region": PRIMARY, "Name": "lab-primary-healthy"}
    assert (config["InsufficientDataHealthStatus"], "Port" in config) == ("Unhealthy", False)
    assert healthy(route53, check_id)

    cloudwatch.set_alarm_state(AlarmName="lab-primary-healthy", StateValue="ALARM", StateReason="lab")
    assert not healthy(route53, check_id)
    cloudwatch.set_alarm_state(AlarmName="lab-primary-healthy", StateValue="INSUFFICIENT_DATA", StateReason="lab")
    assert not healthy(route53, check_id)  # InsufficientDataHealthStatus Unhealthy
    cloudwatch.set_alarm_state(AlarmName="lab-primary-healthy", StateValue="OK", StateReason="lab")
    assert healthy(route53, check_id)

    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})[0] == 200
    assert not healthy(route53, check_id)  # Route 53 itself keeps answering
    inverted = alarm_health_check(route53, PRIMARY, "lab-primary-healthy", "lab-hc-2", Inverted=True)
    assert healthy(route53, inverted)
    calculated = route53.create_health_check(
        CallerReference="lab-hc-3", HealthCheckConfig={"Type": "CALCULATED", "ChildHealthChecks": [check_id, inverted], "HealthThreshold": 2}
    )["HealthCheck"]["Id"]
    assert not healthy(route53, calculated)
    endpoint = route53.create_health_check(
        CallerReference="lab-hc-4", HealthCheckConfig={"Type": "TCP", "FullyQualifiedDomainName": "lab-db.abc.us-east-1.rds.amazonaws.com", "Port": 5432}
    )["HealthCheck"]["Id"]
    assert not healthy(route53, endpoint)
    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": False})[0] == 200
    assert healthy(route53, check_id) and healthy(route53, endpoint) and not healthy(route53, inverted)


def test_failover_records_answer_the_dr_region_when_the_primary_is_down(client, lab_api, zone):
    route53, zone_id = zone
    healthy_hosts_alarm(client, PRIMARY, "lab-primary-healthy")
    check_id = alarm_health_check(route53, PRIMARY, "lab-primary-healthy", "lab-hc-5")
    records = [
        {
            "Name": NAME,
            "Type": "A",
            "SetIdentifier": "primary",
            "Failover": "PRIMARY",
            "TTL": 30,
            "HealthCheckId": check_id,
            "ResourceRecords": [{"Value": "10.1.0.10"}],
        },
        {"Name": NAME, "Type": "A", "SetIdentifier": "secondary", "Failover": "SECONDARY", "TTL": 30, "ResourceRecords": [{"Value": "10.2.0.10"}]},
        {"Name": "db.internal.example.", "Type": "CNAME", "TTL": 30, "ResourceRecords": [{"Value": "lab-db.abc.us-east-1.rds.amazonaws.com"}]},
    ]
    route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": record} for record in records]}
    )

    def answer(name=NAME, record_type="A"):
        found = route53.test_dns_answer(HostedZoneId=zone_id, RecordName=name, RecordType=record_type)
        return found["ResponseCode"], found["RecordData"]

    assert answer() == ("NOERROR", ["10.1.0.10"])
    assert answer("db.internal.example.", "CNAME") == ("NOERROR", ["lab-db.abc.us-east-1.rds.amazonaws.com"])
    assert answer("nothing.internal.example.") == ("NXDOMAIN", [])
    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})[0] == 200
    assert answer() == ("NOERROR", ["10.2.0.10"])
    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": False})[0] == 200
    assert answer() == ("NOERROR", ["10.1.0.10"])
    client("cloudwatch", PRIMARY).set_alarm_state(AlarmName="lab-primary-healthy", StateValue="ALARM", StateReason="lab")
    assert answer() == ("NOERROR", ["10.2.0.10"])


def test_weighted_and_latency_records_skip_unhealthy_and_regions_down(client, lab_api):
    route53 = client("route53")
    zone_id = route53.create_hosted_zone(Name="active.example", CallerReference="lab-zone-2")["HostedZone"]["Id"]
    healthy_hosts_alarm(client, PRIMARY, "lab-east")
    east_check = alarm_health_check(route53, PRIMARY, "lab-east", "lab-hc-6")
    records = [
        {
            "Name": "w.active.example.",
            "Type": "A",
            "SetIdentifier": "east",
            "Weight": 50,
            "TTL": 30,
            "HealthCheckId": east_check,
            "ResourceRecords": [{"Value": "10.1.0.20"}],
        },
        {"Name": "w.active.example.", "Type": "A", "SetIdentifier": "west", "Weight": 50, "TTL": 30, "ResourceRecords": [{"Value": "10.2.0.20"}]},
        {"Name": "l.active.example.", "Type": "A", "SetIdentifier": "east", "Region": PRIMARY, "TTL": 30, "ResourceRecords": [{"Value": "10.1.0.30"}]},
        {"Name": "l.active.example.", "Type": "A", "SetIdentifier": "west", "Region": DR, "TTL": 30, "ResourceRecords": [{"Value": "10.2.0.30"}]},
    ]
    route53.change_resource_record_sets(
        HostedZoneId=zone_id, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": record} for record in records]}
    )

    def answers(name, times=1):
        return {tuple(route53.test_dns_answer(HostedZoneId=zone_id, RecordName=name, RecordType="A")["RecordData"]) for _ in range(times)}

    assert answers("l.active.example.") == {("10.1.0.30",)}
    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})[0] == 200
    assert answers("w.active.example.", times=8) == {("10.2.0.20",)}
    assert answers("l.active.example.") == {("10.2.0.30",)}
