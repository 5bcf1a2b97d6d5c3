"""The lab's DNS server (lab/resolver: Debian's PowerDNS with the pipe backend lab/resolver/route53_pipe.py) answering the
emulator's Route 53 private zones over real DNS (UDP, dnspython as the client): the failover name follows the primary's
alarm and the region outage switch at once (no cache), plain records and the zone apex answer, a name the zone lacks is
NXDOMAIN and a zone the emulator does not hold is refused. The pipe protocol itself is tested without PowerDNS."""

from __future__ import annotations

import io
import os
import socket
import subprocess
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import dns.message
import dns.query
import dns.rcode
import pytest

from resolver.route53_pipe import serve
from support.route53_alarms import alarm_health_check, healthy_hosts_alarm

ROOT = Path(__file__).resolve().parents[2]
PRIMARY, DR = "us-east-1", "us-west-2"
ZONE = "internal.example.com"
ALBS = {region: f"internal-hybridcloud-1.{region}.elb.amazonaws.com" for region in (PRIMARY, DR)}


@pytest.fixture
def dns_port(emulator_endpoint: str, tmp_path: Path) -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, LAB_DNS_STATE=str(tmp_path / "dns"), LAB_DNS_ADDRESS="127.0.0.1", LAB_DNS_PORT=str(port), LAB_DNS_ENDPOINT=emulator_endpoint)
    script = str(ROOT / "lab/resolver/resolver.sh")
    subprocess.run(["bash", script, "start"], env=env, check=True, capture_output=True, timeout=120)
    try:
        yield port
    finally:
        subprocess.run(["bash", script, "stop"], env=env, check=False, capture_output=True, timeout=60)


def ask(port: int, name: str, record_type: str = "A") -> tuple[str, list[str]]:
    answer = dns.query.udp(dns.message.make_query(name, record_type), "127.0.0.1", port=port, timeout=10)
    return dns.rcode.to_text(answer.rcode()), [" ".join(rr.to_text().split()[3:]) for rr in answer.answer]


def failover_zone(client: Any) -> str:
    """A private zone with web.<zone> as failover alias records on CloudWatch-alarm health checks (as role internal_dns
    writes them), db.<zone> a plain A record."""
    vpc = client("ec2", PRIMARY).create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    route53 = client("route53")
    zone = route53.create_hosted_zone(Name=ZONE, CallerReference="lab-dns", HostedZoneConfig={"PrivateZone": True}, VPC={"VPCRegion": PRIMARY, "VPCId": vpc})
    zone_id = zone["HostedZone"]["Id"].split("/")[-1]
    changes = [{"Action": "UPSERT", "ResourceRecordSet": {"Name": f"db.{ZONE}", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.50.1.5"}]}}]
    for region, role in ((PRIMARY, "PRIMARY"), (DR, "SECONDARY")):
        healthy_hosts_alarm(client, region, f"web-{region}")
        check = alarm_health_check(route53, region, f"web-{region}", f"web-{region}")
        alias = {"HostedZoneId": "Z2P70J7EXAMPLE", "DNSName": ALBS[region], "EvaluateTargetHealth": False}
        record = {"Name": f"web.{ZONE}", "Type": "A", "SetIdentifier": f"web-{region}", "Failover": role, "HealthCheckId": check, "AliasTarget": alias}
        changes.append({"Action": "UPSERT", "ResourceRecordSet": record})
    route53.change_resource_record_sets(HostedZoneId=zone_id, ChangeBatch={"Changes": changes})
    return zone_id


def test_the_failover_name_follows_the_alarm_and_the_region_outage_at_once(client, lab_api, dns_port):
    failover_zone(client)
    primary, secondary = (["CNAME " + ALBS[region] + "."] for region in (PRIMARY, DR))
    assert ask(dns_port, f"web.{ZONE}") == ("NOERROR", primary)
    client("cloudwatch", PRIMARY).set_alarm_state(AlarmName=f"web-{PRIMARY}", StateValue="ALARM", StateReason="no healthy target")
    assert ask(dns_port, f"web.{ZONE}") == ("NOERROR", secondary)
    client("cloudwatch", PRIMARY).set_alarm_state(AlarmName=f"web-{PRIMARY}", StateValue="OK", StateReason="healthy")
    assert ask(dns_port, f"web.{ZONE}") == ("NOERROR", primary)
    assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": True})[0] == 200
    try:
        assert ask(dns_port, f"web.{ZONE}", "AAAA") == ("NOERROR", secondary)  # an alias stands for every type
    finally:
        assert lab_api("POST", f"/_lab/regions/{PRIMARY}/outage", {"down": False})[0] == 200
    assert ask(dns_port, f"web.{ZONE}") == ("NOERROR", primary)


def test_plain_records_the_apex_an_unknown_name_and_another_zone(client, dns_port):
    failover_zone(client)
    assert ask(dns_port, f"db.{ZONE}") == ("NOERROR", ["A 10.50.1.5"])
    assert ask(dns_port, f"db.{ZONE}", "TXT") == ("NOERROR", [])
    rcode, soa = ask(dns_port, ZONE, "SOA")
    assert rcode == "NOERROR" and soa[0].startswith(f"SOA ns.{ZONE}. hostmaster.{ZONE}. ")
    assert ask(dns_port, f"nothing.{ZONE}")[0] == "NXDOMAIN"
    assert ask(dns_port, "www.example.org")[0] == "REFUSED"


class Answers:
    def __init__(self, fail_on: str = "") -> None:
        self.fail_on = fail_on
        self.asked: list[tuple[str, str]] = []

    def answers(self, qname: str, qtype: str):
        self.asked.append((qname, qtype))
        if qname == self.fail_on:
            raise RuntimeError("the emulator does not answer")
        yield "A", 60, "10.0.0.1"


def test_the_pipe_protocol_answers_each_query_and_fails_one_without_ending():
    reader = io.StringIO("HELO\t1\nQ\ta.example\tIN\tA\t-1\t127.0.0.1\nQ\tbad.example\tIN\tANY\t7\t127.0.0.1\nAXFR\t1\n")
    writer = io.StringIO()
    answers = Answers(fail_on="bad.example")
    serve(answers, reader, writer)
    assert writer.getvalue().splitlines() == [
        "OK\thybridlab Route 53 private zones",
        "DATA\ta.example\tIN\tA\t60\t-1\t10.0.0.1",
        "END",
        "FAIL",
        "END",
    ]
    assert answers.asked == [("a.example", "A"), ("bad.example", "ANY")]


def test_the_pipe_protocol_refuses_another_abi():
    writer = io.StringIO()
    serve(Answers(), io.StringIO("HELO\t5\n"), writer)
    assert writer.getvalue() == "FAIL\n"
