"""A PowerDNS pipe backend (ABI 1) that answers the lab emulator's Route 53 private hosted zones, as a Route 53
Resolver inbound endpoint answers a data center's DNS servers (lab only; lab/resolver/resolver.sh runs it under Debian's
pdns-server).

Every answer is the emulator's own choice through Route 53's TestDNSAnswer (failover, weighted and latency records
follow the health checks and the region outage switch: lab/awsemu/extensions/route53_health.py), asked at query time,
so a failover is seen in DNS as soon as Route 53 would answer the other record. What a real inbound endpoint does
that this does not: an alias A record to an ALB answers the ALB's addresses; the emulator's ALBs have none, so the
alias is answered as a CNAME to the ALB's DNS name. The zone apex answers a SOA (and NS) made up from the zone's
name, as Route 53's own records are not asked.

Protocol (PowerDNS "pipe backend", ABI version 1): PowerDNS writes "HELO\\t1", the backend answers "OK\\t<banner>";
then per query "Q\\t<qname>\\t<qclass>\\t<qtype>\\t<id>\\t<remote>", answered by zero or more
"DATA\\t<qname>\\t<qclass>\\t<qtype>\\t<ttl>\\t<id>\\t<content>" lines and "END" (or "FAIL"). AXFR is refused.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from typing import Any, TextIO
from collections.abc import Iterator

SOA_TTL = 60
NAME_TYPES = ("A", "AAAA", "CNAME", "TXT", "MX", "SRV")


def _name(value: str) -> str:
    return value.rstrip(".").lower()


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class Route53Answers:
    """The answers for one query name, read from Route 53 (a boto3 client)."""

    def __init__(self, route53: Any) -> None:
        self.route53 = route53

    def private_zone(self, qname: str) -> dict[str, Any] | None:
        """The private hosted zone with the longest name that QNAME is in."""
        zones = []
        for page in self.route53.get_paginator("list_hosted_zones").paginate():
            zones += [zone for zone in page["HostedZones"] if zone.get("Config", {}).get("PrivateZone")]
        inside = [zone for zone in zones if qname == _name(zone["Name"]) or qname.endswith("." + _name(zone["Name"]))]
        return max(inside, key=lambda zone: len(zone["Name"]), default=None)

    def record_types(self, zone_id: str, qname: str) -> list[str]:
        """The record types that exist at QNAME (any routing policy)."""
        found = self.route53.list_resource_record_sets(HostedZoneId=zone_id, StartRecordName=qname, MaxItems="100")
        return sorted({r["Type"] for r in found["ResourceRecordSets"] if _name(r["Name"]) == qname and r["Type"] in NAME_TYPES})

    def answers(self, qname: str, qtype: str) -> Iterator[tuple[str, int, str]]:
        """(type, ttl, content) of every record PowerDNS should get for QNAME and QTYPE (ANY: every type)."""
        qname = _name(qname)
        zone = self.private_zone(qname)
        if zone is None:
            return
        apex = _name(zone["Name"])
        if qname == apex:
            if qtype in ("SOA", "ANY"):
                yield "SOA", SOA_TTL, f"ns.{apex} hostmaster.{apex} 1 3600 600 86400 {SOA_TTL}"
            if qtype in ("NS", "ANY"):
                yield "NS", SOA_TTL, f"ns.{apex}"
        if qtype in ("SOA", "NS"):
            return  # PowerDNS asks each name for a SOA to find its zone: only the apex has one
        zone_id = zone["Id"].split("/")[-1]
        for record_type in self.record_types(zone_id, qname):
            # A CNAME (and an alias to a name) stands for every type at its name: PowerDNS follows it itself.
            if record_type not in ("A", "CNAME") and qtype not in ("ANY", record_type):
                continue
            answer = self.route53.test_dns_answer(HostedZoneId=zone_id, RecordName=qname, RecordType=record_type)
            if answer.get("ResponseCode") != "NOERROR":
                continue
            for value in answer.get("RecordData", []):
                if record_type == "CNAME" or (record_type == "A" and not _is_address(value)):
                    yield "CNAME", SOA_TTL, _name(value)
                elif qtype in ("ANY", record_type):
                    yield record_type, SOA_TTL, value


def serve(answers: Route53Answers, reader: TextIO, writer: TextIO) -> None:
    """The pipe protocol on READER/WRITER until READER ends."""
    hello = reader.readline()
    if not hello.startswith("HELO\t1"):
        writer.write("FAIL\n")
        writer.flush()
        return
    writer.write("OK\thybridlab Route 53 private zones\n")
    writer.flush()
    for line in reader:
        fields = line.rstrip("\n").split("\t")
        if fields[0] == "Q" and len(fields) >= 5:
            qname, qclass, qtype, query_id = fields[1], fields[2], fields[3], fields[4]
            try:
                for record_type, ttl, content in answers.answers(qname, qtype):
                    writer.write(f"DATA\t{qname}\t{qclass}\t{record_type}\t{ttl}\t{query_id}\t{content}\n")
            except Exception as error:  # any failure of a lookup is the server's SERVFAIL, not the backend's end
                print(f"route53_pipe: {qname} {qtype}: {error}", file=sys.stderr)
                writer.write("FAIL\n")
                writer.flush()
                continue
        writer.write("END\n")
        writer.flush()


def main() -> None:
    import boto3  # here: the protocol above is tested without it

    route53 = boto3.client(
        "route53",
        endpoint_url=os.environ["HYBRIDLAB_DNS_ENDPOINT"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    serve(Route53Answers(route53), sys.stdin, sys.stdout)


if __name__ == "__main__":
    main()
