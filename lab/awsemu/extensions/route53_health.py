"""Route 53 health checks whose status means something, and TestDNSAnswer that follows them (moto: every health check
is reported healthy, CloudWatch-alarm health checks lose their alarm, and TestDNSAnswer does not exist).

Health checks
- CreateHealthCheck / UpdateHealthCheck keep AlarmIdentifier ({Region, Name}) and InsufficientDataHealthStatus, and
  GetHealthCheck answers them in HealthCheckConfig (a CLOUDWATCH_METRIC or CALCULATED check lists no IP address, port,
  interval or failure threshold).
- The status a health check has (`status_of`), checked on every read, nothing polled:
  - Disabled: healthy (Route 53 considers a disabled health check healthy; Inverted does not apply);
  - CLOUDWATCH_METRIC: unhealthy while the alarm's region is down (region_outage: nothing there answers), else the
    alarm's state (SetAlarmState, or moto's own evaluation): OK healthy, ALARM unhealthy, INSUFFICIENT_DATA (or no
    such alarm) as InsufficientDataHealthStatus says: Healthy, Unhealthy, or LastKnownStatus (the last status
    observed, healthy before any);
  - CALCULATED: healthy when at least HealthThreshold of ChildHealthChecks are healthy;
  - endpoint checks (HTTP, HTTPS, TCP, ...): unhealthy while the endpoint is in a region down, known by its
    FullyQualifiedDomainName naming the region (RDS, ELB and VPC endpoint names do: ``*.us-east-1.rds.amazonaws.com``)
    or by its IPAddress being an address of a network interface or an Elastic IP in that region; else healthy (the lab
    does not probe endpoints);
  - Inverted turns healthy into unhealthy and back.
- GetHealthCheckStatus answers one observation per Route 53 checker region with "Success: ..." or "Failure: ...".

TestDNSAnswer (GET /2013-04-01/testdnsanswer) answers a record of the zone as Route 53 would choose it, with
ResponseCode NOERROR, or NXDOMAIN when the zone has no record of that name:
  - simple records: their values;
  - failover: the PRIMARY record while it is healthy (no health check: always healthy, as Route 53 treats it), else
    the SECONDARY; both unhealthy: the PRIMARY;
  - weighted: one of the healthy records with weight > 0, drawn by weight (all of them when none is healthy);
  - latency: the healthy record of the first region (sorted by name) that is not down;
  - alias records answer their target's DNS name, or the target record's answer when it is in the same zone.
"""

from __future__ import annotations

import ipaddress
import random
import threading
from typing import Any

from moto.cloudwatch.models import cloudwatch_backends
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.ec2.models import ec2_backends
from moto.route53 import urls as route53_urls
from moto.route53.exceptions import NoSuchHostedZone
from moto.route53.models import HealthCheck, RecordSet, Route53Backend, route53_backends
from moto.route53.responses import Route53

from awsemu.extensions import region_outage
from awsemu.extensions._moto_classes import urls_of, use_backend_class, use_response_class

CHECKER_REGIONS = ("ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "eu-west-1", "sa-east-1", "us-east-1", "us-west-1", "us-west-2")
CHECKER_ADDRESS = "127.0.13.37"
_lock = threading.Lock()


def _name(value: str) -> str:
    return value.rstrip(".").lower()


def _endpoint_region_down(account_id: str, check: HealthCheck) -> str | None:
    """The region down that the endpoint of an endpoint health check lives in, if any."""
    regions = region_outage.down_regions()
    fqdn = _name(check.fqdn or "")
    for region in regions:
        if f".{region}." in f".{fqdn}.":
            return region
    if check.ip_address:
        try:
            address = str(ipaddress.ip_address(check.ip_address))
        except ValueError:
            return None
        for region in regions:
            backend = ec2_backends[account_id][region]
            if any(eni.private_ip_address == address for eni in backend.enis.values()):
                return region
            if any(eip.public_ip == address for eip in backend.addresses):
                return region
    return None


def status_of(backend: Route53Backend, check: HealthCheck, seen: frozenset[str] = frozenset()) -> tuple[bool, str]:
    """(healthy, the reason) of a health check now."""
    if check.disabled:
        return True, "Success: the health check is disabled"
    healthy, reason = _raw_status(backend, check, seen | {check.id})
    if check.inverted:
        healthy, reason = not healthy, f"{'Success' if not healthy else 'Failure'}: inverted ({reason})"
    return healthy, reason


def _raw_status(backend: Route53Backend, check: HealthCheck, seen: frozenset[str]) -> tuple[bool, str]:
    if check.type_ == "CLOUDWATCH_METRIC":
        alarm_id = getattr(check, "lab_alarm_identifier", None) or {}
        region, name = alarm_id.get("Region"), alarm_id.get("Name")
        if region_outage.is_down(region):
            return False, f"Failure: the alarm's region {region} does not answer"
        alarm = cloudwatch_backends[backend.account_id][region].alarms.get(name) if region and name else None
        state = alarm.state_value if alarm is not None else "INSUFFICIENT_DATA"
        if state == "OK":
            healthy, reason = True, f"Success: alarm {name} is OK"
        elif state == "ALARM":
            healthy, reason = False, f"Failure: alarm {name} is in ALARM"
        else:
            rule = getattr(check, "lab_insufficient_data_health_status", None) or "LastKnownStatus"
            last = getattr(check, "lab_last_known_healthy", True)
            healthy = {"Healthy": True, "Unhealthy": False}.get(rule, last)
            return healthy, f"{'Success' if healthy else 'Failure'}: alarm {name} has insufficient data ({rule})"
        check.lab_last_known_healthy = healthy
        return healthy, reason
    if check.type_ == "CALCULATED":
        children = [backend.health_checks[child] for child in check.children or [] if child in backend.health_checks and child not in seen]
        healthy_children = sum(status_of(backend, child, seen)[0] for child in children)
        threshold = int(check.health_threshold or 0)
        healthy = healthy_children >= threshold
        return healthy, f"{'Success' if healthy else 'Failure'}: {healthy_children} of {len(children)} child health checks healthy, {threshold} needed"
    region = _endpoint_region_down(backend.account_id, check)
    if region:
        return False, f"Failure: the endpoint in {region} does not answer"
    return True, "Success: the endpoint answers"


# Health check configuration -------------------------------------------------------------------------------------
class LabHealthCheck(HealthCheck):
    """A health check as AWS describes it: a CloudWatch alarm check without the endpoint settings, with its alarm and its
    rule for insufficient data."""

    @property
    def health_check_config(self) -> dict[str, Any]:  # type: ignore[override]
        config = super().health_check_config
        if self.type_ == "CLOUDWATCH_METRIC":
            for key in ("IPAddress", "Port", "RequestInterval", "FailureThreshold", "MeasureLatency"):
                config.pop(key, None)
        alarm = getattr(self, "lab_alarm_identifier", None)
        if alarm:
            config["AlarmIdentifier"] = alarm
        rule = getattr(self, "lab_insufficient_data_health_status", None)
        if rule:
            config["InsufficientDataHealthStatus"] = rule
        return config


def _keep_alarm(check: HealthCheck, alarm: Any, rule: Any) -> None:
    if isinstance(alarm, dict) and alarm.get("Region") and alarm.get("Name"):
        check.lab_alarm_identifier = {"Region": alarm["Region"], "Name": alarm["Name"]}
    if rule:
        check.lab_insufficient_data_health_status = rule


class LabRoute53Backend(Route53Backend):
    _url_module = property(lambda self: urls_of(Route53Backend))

    def create_health_check(self, *args: Any, **kwargs: Any) -> HealthCheck:
        check = super().create_health_check(*args, **kwargs)
        check.__class__ = LabHealthCheck  # moto names its model class in create_health_check itself
        return check


def get_health_check_status(self: Route53) -> ActionResult:
    check = self.backend.get_health_check(self._get_param("HealthCheckId"))
    _, reason = status_of(self.backend, check)
    checked = utcnow()
    observations = [{"Region": region, "IPAddress": CHECKER_ADDRESS, "StatusReport": {"Status": reason, "CheckedTime": checked}} for region in CHECKER_REGIONS]
    return ActionResult({"HealthCheckObservations": observations})


# TestDNSAnswer ---------------------------------------------------------------------------------------------------
def _record_healthy(backend: Route53Backend, record: RecordSet) -> bool:
    check = backend.health_checks.get(record.health_check_id) if record.health_check_id else None
    return True if check is None else status_of(backend, check)[0]


def _values(backend: Route53Backend, zone: Any, record: RecordSet, depth: int = 0) -> list[str]:
    alias = record.alias_target
    if alias:
        target = _name(alias.get("DNSName", ""))
        if depth < 5 and (target == _name(zone.name) or target.endswith("." + _name(zone.name))):
            return answer_for(backend, zone, target, record.type, depth + 1)[1]
        return [target]
    return [str(value) for value in record.records]


def choose(backend: Route53Backend, records: list[RecordSet]) -> RecordSet | None:
    """The record of one name and type that Route 53 answers with, following the routing policy and health."""
    if not records:
        return None
    failover = {record.failover: record for record in records if record.failover}
    if failover:
        primary, secondary = failover.get("PRIMARY"), failover.get("SECONDARY")
        if primary is not None and _record_healthy(backend, primary):
            return primary
        if secondary is not None and _record_healthy(backend, secondary):
            return secondary
        return primary or secondary
    weighted = [record for record in records if record.weight is not None]
    if weighted:
        candidates = [record for record in weighted if int(record.weight) > 0 and _record_healthy(backend, record)]
        candidates = candidates or [record for record in weighted if int(record.weight) > 0] or weighted
        return random.choices(candidates, weights=[max(int(record.weight), 1) for record in candidates])[0]
    latency = sorted((record for record in records if record.region), key=lambda record: record.region)
    if latency:
        answering = [record for record in latency if not region_outage.is_down(record.region) and _record_healthy(backend, record)]
        return (answering or latency)[0]
    return records[0]


def answer_for(backend: Route53Backend, zone: Any, record_name: str, record_type: str, depth: int = 0) -> tuple[str, list[str]]:
    at_name = [record for record in zone.rrsets if _name(record.name) == _name(record_name)]
    if not at_name:
        return "NXDOMAIN", []
    chosen = choose(backend, [record for record in at_name if record.type == record_type])
    return "NOERROR", _values(backend, zone, chosen, depth) if chosen is not None else []


def test_dns_answer(self: Route53) -> ActionResult:
    zone_id = self._get_param("HostedZoneId")
    record_name, record_type = self._get_param("RecordName"), self._get_param("RecordType")
    zone = self.backend.zones.get(str(zone_id).split("/")[-1])
    if zone is None:
        raise NoSuchHostedZone(zone_id)
    code, data = answer_for(self.backend, zone, record_name, record_type)
    return ActionResult(
        {
            "Nameserver": "ns-lab.awsdns-00.com",
            "RecordName": record_name if record_name.endswith(".") else record_name + ".",
            "RecordType": record_type,
            "RecordData": data,
            "ResponseCode": code,
            "Protocol": "UDP",
        }
    )


class LabRoute53Response(Route53):
    """moto's Route 53 answers, with CloudWatch-alarm health checks, their status and TestDNSAnswer answered here."""

    def create_health_check(self) -> ActionResult:
        answer = super().create_health_check()
        config = self._get_param("HealthCheckConfig") or {}
        reference = self._get_param("CallerReference")
        health_check_id = next(iter(hc.id for hc in self.backend.health_checks.values() if hc.caller_reference == reference), None)
        if health_check_id:
            _keep_alarm(self.backend.health_checks[health_check_id], config.get("AlarmIdentifier"), config.get("InsufficientDataHealthStatus"))
        return answer

    def update_health_check(self) -> ActionResult:
        answer = super().update_health_check()
        check = self.backend.health_checks.get(self._get_param("HealthCheckId"))
        if check is not None:
            _keep_alarm(check, self._get_param("AlarmIdentifier"), self._get_param("InsufficientDataHealthStatus"))
        return answer

    get_health_check_status = get_health_check_status
    test_dns_answer = test_dns_answer


def install() -> None:
    use_backend_class(route53_backends, LabRoute53Backend)
    route53_urls.url_paths.setdefault(r"{0}/(?P<api_version>[\d_-]+)/testdnsanswer$", Route53.dispatch)
    use_response_class(route53_urls, LabRoute53Response)
