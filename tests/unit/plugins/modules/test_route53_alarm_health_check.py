"""hybridcloud.aws.route53_alarm_health_check against the botocore Stubber: create with tags, no-op, update of the
alarm, tags purged, found again by its caller reference, two of a name refused, check mode, absent."""

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import route53_alarm_health_check as module

NAME = "hybridcloud-us-east-1"
CHECK_ID = "0e1c8a5f-4b1d-4a8e-9d53-2b39e4a5c6f1"
ARGS = {"name": NAME, "alarm_region": "us-east-1", "alarm_name": "orders-healthy", "insufficient_data_health_status": "Unhealthy"}


def health_check(alarm="orders-healthy", reference="other-tool-1", insufficient="Unhealthy", version=1, check_id=CHECK_ID):
    config = {
        "Type": "CLOUDWATCH_METRIC",
        "AlarmIdentifier": {"Region": "us-east-1", "Name": alarm},
        "InsufficientDataHealthStatus": insufficient,
        "Inverted": False,
        "Disabled": False,
    }
    return {"Id": check_id, "CallerReference": reference, "HealthCheckConfig": config, "HealthCheckVersion": version}


HTTP_CHECK = {"Id": "http-1", "CallerReference": "x", "HealthCheckConfig": {"Type": "HTTP", "FullyQualifiedDomainName": "a.example"}, "HealthCheckVersion": 1}


@pytest.fixture
def route53(module_run):
    return module_run("route53")


def expect_list(route53, checks, tags):
    route53.stubber.add_response("list_health_checks", {"HealthChecks": checks, "Marker": "", "IsTruncated": False, "MaxItems": "100"}, {})
    alarm_ids = [c["Id"] for c in checks if c["HealthCheckConfig"]["Type"] == "CLOUDWATCH_METRIC"]
    if alarm_ids:
        sets = [{"ResourceType": "healthcheck", "ResourceId": i} for i in alarm_ids]
        for entry in sets:
            if tags.get(entry["ResourceId"]):
                entry["Tags"] = [{"Key": k, "Value": v} for k, v in tags[entry["ResourceId"]].items()]
        route53.stubber.add_response("list_tags_for_resources", {"ResourceTagSets": sets}, {"ResourceType": "healthcheck", "ResourceIds": alarm_ids})


def expect_tags(route53, add=None, remove=None):
    params = {"ResourceType": "healthcheck", "ResourceId": CHECK_ID}
    if add:
        params["AddTags"] = [{"Key": k, "Value": v} for k, v in sorted(add.items())]
    if remove:
        params["RemoveTagKeys"] = sorted(remove)
    route53.stubber.add_response("change_tags_for_resource", {}, params)


def test_creates_and_tags_a_missing_health_check(route53, monkeypatch):
    monkeypatch.setattr(module.route53_health, "caller_reference", lambda name: f"hybridcloud:{name}:abc")
    expect_list(route53, [HTTP_CHECK], {})
    created = health_check(reference=f"hybridcloud:{NAME}:abc")
    expected_config = dict(created["HealthCheckConfig"])
    route53.stubber.add_response(
        "create_health_check",
        {"HealthCheck": created, "Location": "https://route53.amazonaws.com/2013-04-01/healthcheck/" + CHECK_ID},
        {"CallerReference": f"hybridcloud:{NAME}:abc", "HealthCheckConfig": expected_config},
    )
    expect_tags(route53, add={"Name": NAME, "Project": "hybridcloud"})
    result = route53(module.main, dict(ARGS, tags={"Project": "hybridcloud"}), diff=True)
    assert result["changed"] is True
    assert result["health_check_id"] == CHECK_ID
    assert result["health_check"]["tags"] == {"Name": NAME, "Project": "hybridcloud"}
    assert result["diff"]["before"] == {}


def test_same_settings_is_a_no_op(route53):
    expect_list(route53, [HTTP_CHECK, health_check()], {CHECK_ID: {"Name": NAME}})
    result = route53(module.main, ARGS)
    assert result["changed"] is False
    assert result["health_check_id"] == CHECK_ID


def test_another_alarm_updates_the_health_check(route53):
    expect_list(route53, [health_check(alarm="old", version=3)], {CHECK_ID: {"Name": NAME}})
    route53.stubber.add_response(
        "update_health_check",
        {"HealthCheck": health_check(version=4)},
        {"HealthCheckId": CHECK_ID, "HealthCheckVersion": 3, "AlarmIdentifier": {"Region": "us-east-1", "Name": "orders-healthy"}},
    )
    result = route53(module.main, ARGS, diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["health_check_config"]["alarm_identifier"]["name"] == "old"
    assert result["diff"]["after"]["health_check_config"]["alarm_identifier"]["name"] == "orders-healthy"


def test_tags_are_purged_but_never_name(route53):
    expect_list(route53, [health_check()], {CHECK_ID: {"Name": NAME, "Old": "1"}})
    expect_tags(route53, add={"Project": "hybridcloud"}, remove=["Old"])
    result = route53(module.main, dict(ARGS, tags={"Project": "hybridcloud"}))
    assert result["changed"] is True


def test_found_again_by_its_caller_reference_when_tagging_failed(route53):
    expect_list(route53, [health_check(reference=f"hybridcloud:{NAME}:abc")], {CHECK_ID: {}})
    expect_tags(route53, add={"Name": NAME})
    result = route53(module.main, ARGS)
    assert result["changed"] is True and result["health_check_id"] == CHECK_ID


def test_two_of_the_same_name_are_refused(route53):
    expect_list(route53, [health_check(), health_check(check_id="second")], {CHECK_ID: {"Name": NAME}, "second": {"Name": NAME}})
    result = route53(module.main, ARGS)
    assert result["failed"] is True
    assert "2 CLOUDWATCH_METRIC health checks are named" in result["msg"]


def test_check_mode_makes_no_write(route53):
    expect_list(route53, [health_check(alarm="old")], {CHECK_ID: {"Name": NAME}})
    result = route53(module.main, ARGS, check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["diff"]["after"]["health_check_config"]["alarm_identifier"]["name"] == "orders-healthy"


def test_check_mode_on_nothing_reports_a_create(route53):
    expect_list(route53, [], {})
    result = route53(module.main, ARGS, check_mode=True)
    assert result["changed"] is True and result["health_check_id"] == ""


def test_absent_deletes_it(route53):
    expect_list(route53, [health_check()], {CHECK_ID: {"Name": NAME}})
    route53.stubber.add_response("delete_health_check", {}, {"HealthCheckId": CHECK_ID})
    result = route53(module.main, {"name": NAME, "state": "absent"})
    assert result["changed"] is True and result["health_check_id"] == ""


def test_absent_without_one_is_a_no_op(route53):
    expect_list(route53, [HTTP_CHECK], {})
    result = route53(module.main, {"name": NAME, "state": "absent"})
    assert result["changed"] is False


def test_aws_errors_fail_naming_the_action(route53):
    route53.stubber.add_client_error("list_health_checks", "AccessDenied", http_status_code=403)
    result = route53(module.main, ARGS)
    assert result["failed"] is True and "list the health checks" in result["msg"]
