"""hybridcloud.aws.route53_record_sets against the botocore Stubber: one read, one batch with the deletes first, no
call when nothing differs, check mode, a record set lacking its name."""

from datetime import datetime, timezone

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import route53_record_sets as module

ZONE = "Z0123456789ABCDEFGHIJ"
PRIMARY = {
    "Name": "orders.internal.example.com.",
    "Type": "CNAME",
    "TTL": 60,
    "SetIdentifier": "orders-us-east-1",
    "Failover": "PRIMARY",
    "HealthCheckId": "0e1c8a5f-4b1d-4a8e-9d53-2b39e4a5c6f1",
    "ResourceRecords": [{"Value": "a.us-east-1.elb.amazonaws.com"}],
}
SECONDARY = dict(PRIMARY, SetIdentifier="orders-us-west-2", Failover="SECONDARY", ResourceRecords=[{"Value": "b.us-west-2.elb.amazonaws.com"}])
SIMPLE = {"Name": "orders.internal.example.com.", "Type": "CNAME", "TTL": 300, "ResourceRecords": [{"Value": "old.example.com"}]}
SOA = {"Name": "internal.example.com.", "Type": "SOA", "TTL": 900, "ResourceRecords": [{"Value": "ns-lab. admin. 1 7200 900 1209600 86400"}]}
INFO = {"Id": "/change/C1", "Status": "PENDING", "SubmittedAt": datetime(2026, 12, 3, tzinfo=timezone.utc)}


@pytest.fixture
def route53(module_run):
    return module_run("route53")


def expect_read(route53, record_sets):
    route53.stubber.add_response(
        "list_resource_record_sets", {"ResourceRecordSets": record_sets, "IsTruncated": False, "MaxItems": "300"}, {"HostedZoneId": ZONE}
    )


def test_replaces_a_simple_record_by_failover_records_in_one_batch(route53):
    expect_read(route53, [SOA, SIMPLE])
    changes = [
        {"Action": "DELETE", "ResourceRecordSet": SIMPLE},
        {"Action": "UPSERT", "ResourceRecordSet": PRIMARY},
        {"Action": "UPSERT", "ResourceRecordSet": SECONDARY},
    ]
    route53.stubber.add_response(
        "change_resource_record_sets",
        {"ChangeInfo": INFO},
        {"HostedZoneId": ZONE, "ChangeBatch": {"Changes": changes, "Comment": "hybridcloud.aws.route53_record_sets"}},
    )
    result = route53(module.main, {"hosted_zone_id": "/hostedzone/" + ZONE, "record_sets": [PRIMARY, SECONDARY]}, diff=True)
    assert result["changed"] is True
    assert result["changes"] == changes
    assert result["change_info"]["Id"] == "/change/C1"
    assert list(result["diff"]["before"]) == ["orders.internal.example.com. CNAME"]
    assert sorted(result["diff"]["after"]) == ["orders.internal.example.com. CNAME orders-us-east-1", "orders.internal.example.com. CNAME orders-us-west-2"]


def test_no_call_when_the_zone_holds_the_record_sets(route53):
    expect_read(route53, [SOA, SECONDARY, dict(PRIMARY, Name="ORDERS.internal.example.com.")])
    result = route53(module.main, {"hosted_zone_id": ZONE, "record_sets": [PRIMARY, SECONDARY]})
    assert result["changed"] is False and result["changes"] == [] and result["change_info"] == {}


def test_without_purge_other_record_sets_stay(route53):
    expect_read(route53, [SIMPLE, PRIMARY])
    changes = [{"Action": "UPSERT", "ResourceRecordSet": SECONDARY}]
    route53.stubber.add_response(
        "change_resource_record_sets", {"ChangeInfo": INFO}, {"HostedZoneId": ZONE, "ChangeBatch": {"Changes": changes, "Comment": "dns"}}
    )
    result = route53(module.main, {"hosted_zone_id": ZONE, "record_sets": [PRIMARY, SECONDARY], "purge": False, "comment": "dns"})
    assert result["changes"] == changes


def test_check_mode_reads_and_writes_nothing(route53):
    expect_read(route53, [SOA])
    result = route53(module.main, {"hosted_zone_id": ZONE, "record_sets": [PRIMARY]}, check_mode=True)
    assert result["changed"] is True
    assert result["changes"] == [{"Action": "UPSERT", "ResourceRecordSet": PRIMARY}]


def test_a_record_set_without_a_name_fails_before_any_call(route53):
    result = route53(module.main, {"hosted_zone_id": ZONE, "record_sets": [{"Type": "A"}]})
    assert result["failed"] is True and result["msg"] == "record_sets[0] lacks Name"


def test_aws_errors_fail_naming_the_zone(route53):
    route53.stubber.add_client_error("list_resource_record_sets", "NoSuchHostedZone", http_status_code=404)
    result = route53(module.main, {"hosted_zone_id": ZONE, "record_sets": [PRIMARY]})
    assert result["failed"] is True and f"list the record sets of hosted zone {ZONE}" in result["msg"]
