import datetime

import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import ssm_association as module

NAME = "hybridcloud-patch-scan"
ASSOCIATION_ID = "8dfe3659-4309-493a-8755-0123456789ab"
OTHER_ID = "11111111-2222-3333-4444-555555555555"
LISTED = {"Name": "AWS-RunPatchBaseline", "AssociationId": ASSOCIATION_ID, "AssociationVersion": "1", "AssociationName": NAME}
TARGETS = [{"Key": "tag:Project", "Values": ["hybridcloud"]}]
DESCRIBED = {
    "AssociationId": ASSOCIATION_ID,
    "AssociationName": NAME,
    "AssociationVersion": "1",
    "Name": "AWS-RunPatchBaseline",
    "DocumentVersion": "$DEFAULT",
    "Parameters": {"Operation": ["Scan"]},
    "Targets": TARGETS,
    "ScheduleExpression": "cron(0 2 ? * * *)",
    "ComplianceSeverity": "HIGH",
    "SyncCompliance": "AUTO",
    "ApplyOnlyAtCronInterval": False,
    "Date": datetime.datetime(2026, 10, 1, tzinfo=datetime.timezone.utc),
    "LastUpdateAssociationDate": datetime.datetime(2026, 10, 1, tzinfo=datetime.timezone.utc),
    "Overview": {"Status": "Pending", "DetailedStatus": "Creating"},
}
ARGS = {
    "name": NAME,
    "document_name": "AWS-RunPatchBaseline",
    "parameters": {"Operation": "Scan"},
    "targets": [{"key": "tag:Project", "values": ["hybridcloud"]}],
    "schedule_expression": "cron(0 2 ? * * *)",
    "compliance_severity": "HIGH",
    "tags": {"Project": "hybridcloud"},
}
TAGGED = {"ResourceType": "Association", "ResourceId": ASSOCIATION_ID}
FILTER = {"AssociationFilterList": [{"key": "AssociationName", "value": NAME}]}


@pytest.fixture
def ssm(module_run):
    return module_run("ssm")


def expect_listed(ssm, *associations):
    ssm.stubber.add_response("list_associations", {"Associations": list(associations)}, FILTER)


def expect_described(ssm, described=None, association_id=ASSOCIATION_ID):
    ssm.stubber.add_response("describe_association", {"AssociationDescription": described or DESCRIBED}, {"AssociationId": association_id})


def expect_tags(ssm, tags=None):
    tag_list = [{"Key": key, "Value": value} for key, value in (tags if tags is not None else {"Project": "hybridcloud"}).items()]
    ssm.stubber.add_response("list_tags_for_resource", {"TagList": tag_list}, TAGGED)


def expect_existing(ssm, described=None, tags=None):
    expect_listed(ssm, LISTED)
    expect_described(ssm, described)
    expect_tags(ssm, tags)


def test_creates_the_association_with_every_given_option(ssm):
    expect_listed(ssm)
    ssm.stubber.add_response(
        "create_association",
        {"AssociationDescription": DESCRIBED},
        {
            "AssociationName": NAME,
            "Name": "AWS-RunPatchBaseline",
            "Parameters": {"Operation": ["Scan"]},
            "Targets": TARGETS,
            "ScheduleExpression": "cron(0 2 ? * * *)",
            "ComplianceSeverity": "HIGH",
            "Tags": [{"Key": "Project", "Value": "hybridcloud"}],
        },
    )
    result = ssm(module.main, ARGS, diff=True)
    assert result["changed"] is True
    assert (result["association_id"], result["association_version"], result["status"]) == (ASSOCIATION_ID, "1", "Pending")
    association = result["association"]
    assert association["parameters"] == {"Operation": ["Scan"]}
    assert association["targets"] == [{"key": "tag:Project", "values": ["hybridcloud"]}]
    assert association["tags"] == {"Project": "hybridcloud"}
    assert association["created_date"] == "2026-10-01T00:00:00+00:00"
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["document_version"] == "$DEFAULT"


def test_same_options_in_another_shape_are_a_no_op(ssm):
    expect_existing(ssm, dict(DESCRIBED, Targets=[{"Key": "tag:Project", "Values": ["onprem", "hybridcloud"]}]))
    args = dict(ARGS, parameters={"Operation": ["Scan"]}, targets=[{"key": "tag:Project", "values": ["hybridcloud", "onprem"]}])
    result = ssm(module.main, args)
    assert result["changed"] is False
    assert result["association_id"] == ASSOCIATION_ID


def test_options_left_out_keep_their_values(ssm):
    expect_existing(ssm)
    result = ssm(module.main, {"name": NAME})
    assert result["changed"] is False
    assert result["association"]["schedule_expression"] == "cron(0 2 ? * * *)"


def test_a_difference_updates_the_whole_association_pinned_to_its_version(ssm):
    carried = {"CalendarNames": ["change-freeze"], "ScheduleOffset": 2}
    expect_existing(ssm, dict(DESCRIBED, **carried))
    updated = dict(DESCRIBED, AssociationVersion="2", ScheduleExpression="cron(0 3 ? * * *)", MaxConcurrency="25%", **carried)
    ssm.stubber.add_response(
        "update_association",
        {"AssociationDescription": updated},
        {
            "AssociationId": ASSOCIATION_ID,
            "AssociationVersion": "1",
            "AssociationName": NAME,
            "Name": "AWS-RunPatchBaseline",
            "DocumentVersion": "$DEFAULT",
            "Parameters": {"Operation": ["Scan"]},
            "Targets": TARGETS,
            "ScheduleExpression": "cron(0 3 ? * * *)",
            "MaxConcurrency": "25%",
            "ComplianceSeverity": "HIGH",
            "SyncCompliance": "AUTO",
            "ApplyOnlyAtCronInterval": False,
            "CalendarNames": ["change-freeze"],
            "ScheduleOffset": 2,
        },
    )
    result = ssm(module.main, dict(ARGS, schedule_expression="cron(0 3 ? * * *)", max_concurrency="25%"), diff=True)
    assert result["changed"] is True
    assert result["association_version"] == "2"
    assert result["association"]["max_concurrency"] == "25%"
    assert result["diff"]["before"]["schedule_expression"] == "cron(0 2 ? * * *)"
    assert result["diff"]["after"]["schedule_expression"] == "cron(0 3 ? * * *)"


def test_only_tags_differ_so_only_tags_change(ssm):
    expect_existing(ssm, tags={"Project": "hybridcloud", "old": "x"})
    ssm.stubber.add_response("remove_tags_from_resource", {}, dict(TAGGED, TagKeys=["old"]))
    ssm.stubber.add_response("add_tags_to_resource", {}, dict(TAGGED, Tags=[{"Key": "team", "Value": "platform"}]))
    result = ssm(module.main, dict(ARGS, tags={"Project": "hybridcloud", "team": "platform"}))
    assert result["changed"] is True
    assert result["association"]["tags"] == {"Project": "hybridcloud", "team": "platform"}
    assert result["association_version"] == "1"


def test_tags_are_kept_without_purge(ssm):
    expect_existing(ssm, tags={"Project": "hybridcloud", "owner": "ops"})
    result = ssm(module.main, dict(ARGS, purge_tags=False))
    assert result["changed"] is False
    assert result["association"]["tags"] == {"Project": "hybridcloud", "owner": "ops"}


def test_output_location_keeps_the_region_ssm_filled_in_and_can_be_removed(ssm):
    s3 = {"S3Location": {"OutputS3BucketName": "ssm-output", "OutputS3KeyPrefix": "scan/", "OutputS3Region": "us-east-1"}}
    expect_existing(ssm, dict(DESCRIBED, OutputLocation=s3))
    assert ssm(module.main, dict(ARGS, output_location={"s3_bucket_name": "ssm-output", "s3_key_prefix": "scan/"}))["changed"] is False

    expect_existing(ssm, dict(DESCRIBED, OutputLocation=s3))
    result = ssm(module.main, dict(ARGS, output_location={}), check_mode=True)
    assert result["changed"] is True
    assert result["association"]["output_location"] is None


def test_check_mode_creates_and_updates_nothing(ssm):
    expect_listed(ssm)
    result = ssm(module.main, ARGS, check_mode=True)
    assert result["changed"] is True
    assert result["association_id"] is None
    assert result["association"]["document_name"] == "AWS-RunPatchBaseline"

    expect_existing(ssm, tags={})
    result = ssm(module.main, dict(ARGS, schedule_expression="rate(1 day)"), check_mode=True)
    assert result["changed"] is True
    assert result["association"]["schedule_expression"] == "rate(1 day)"
    assert result["association_version"] == "1"


def test_deletes_the_association(ssm):
    expect_existing(ssm)
    ssm.stubber.add_response("delete_association", {}, {"AssociationId": ASSOCIATION_ID})
    result = ssm(module.main, {"name": NAME, "state": "absent"}, diff=True)
    assert result["changed"] is True
    assert result["association"] == {}
    assert result["diff"]["before"]["document_name"] == "AWS-RunPatchBaseline"


def test_check_mode_delete_and_absent_when_missing_change_nothing(ssm):
    expect_existing(ssm)
    assert ssm(module.main, {"name": NAME, "state": "absent"}, check_mode=True)["changed"] is True
    expect_listed(ssm)
    assert ssm(module.main, {"name": NAME, "state": "absent"})["changed"] is False


def test_renames_the_association_found_by_id(ssm):
    expect_described(ssm)
    expect_tags(ssm)
    renamed = dict(DESCRIBED, AssociationName="patch-scan-nightly", AssociationVersion="2")
    request = {
        "AssociationId": ASSOCIATION_ID,
        "AssociationVersion": "1",
        "AssociationName": "patch-scan-nightly",
        "Name": "AWS-RunPatchBaseline",
        "DocumentVersion": "$DEFAULT",
        "Parameters": {"Operation": ["Scan"]},
        "Targets": TARGETS,
        "ScheduleExpression": "cron(0 2 ? * * *)",
        "ComplianceSeverity": "HIGH",
        "SyncCompliance": "AUTO",
        "ApplyOnlyAtCronInterval": False,
    }
    ssm.stubber.add_response("update_association", {"AssociationDescription": renamed}, request)
    result = ssm(module.main, {"name": "patch-scan-nightly", "association_id": ASSOCIATION_ID})
    assert result["changed"] is True
    assert result["association"]["name"] == "patch-scan-nightly"


def test_unknown_association_id_is_absent(ssm):
    ssm.stubber.add_client_error("describe_association", "AssociationDoesNotExist", http_status_code=400)
    assert ssm(module.main, {"name": NAME, "association_id": OTHER_ID, "state": "absent"})["changed"] is False


def test_several_associations_with_the_name_fail(ssm):
    expect_listed(ssm, LISTED, dict(LISTED, AssociationId=OTHER_ID))
    result = ssm(module.main, ARGS)
    assert result["failed"] is True
    assert "2 associations are called hybridcloud-patch-scan" in result["msg"]
    assert OTHER_ID in result["msg"]


def test_a_missing_association_needs_document_and_targets(ssm):
    expect_listed(ssm)
    result = ssm(module.main, {"name": NAME, "document_name": "AWS-RunPatchBaseline"})
    assert result["failed"] is True
    assert "give document_name and targets to create it" in result["msg"]


def test_throttling_is_retried(ssm):
    ssm.stubber.add_client_error("list_associations", "ThrottlingException", http_status_code=400)
    expect_existing(ssm)
    assert ssm(module.main, ARGS)["changed"] is False


def test_a_create_whose_answer_was_lost_is_found_by_name_not_repeated(ssm):
    """CreateAssociation has no client token: after a 500 the association the call made is looked up, not made twice."""
    expect_listed(ssm)
    ssm.stubber.add_client_error("create_association", "InternalServerError", http_status_code=500)
    expect_listed(ssm, LISTED)
    expect_described(ssm)
    result = ssm(module.main, ARGS)
    assert (result["changed"], result["association_id"]) == (True, ASSOCIATION_ID)


def test_a_create_whose_answer_was_lost_without_effect_is_made_again(ssm):
    expect_listed(ssm)
    ssm.stubber.add_client_error("create_association", "InternalServerError", http_status_code=500)
    expect_listed(ssm)
    ssm.stubber.add_client_error("create_association", "ThrottlingException", http_status_code=400)
    ssm.stubber.add_response("create_association", {"AssociationDescription": DESCRIBED})
    assert ssm(module.main, ARGS)["association_id"] == ASSOCIATION_ID


def test_access_denied_is_reported_clearly(ssm):
    expect_listed(ssm)
    ssm.stubber.add_client_error("create_association", "AccessDeniedException", "not authorized to perform ssm:CreateAssociation", http_status_code=400)
    result = ssm(module.main, ARGS)
    assert result["failed"] is True
    assert "Failed to create association hybridcloud-patch-scan" in result["msg"]
    assert result["error"]["code"] == "AccessDeniedException"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"name": "x"}, "name must be 3 to 128"),
        ({"schedule_expression": "every day"}, "must be a cron(...) or rate(...) expression"),
        ({"schedule_expression": "rate(1 day)", "apply_only_at_cron_interval": True}, "apply_only_at_cron_interval needs a cron(...)"),
        ({"max_concurrency": "0"}, "max_concurrency must be a number or a percentage"),
        ({"max_errors": "101%"}, "max_errors must be a number or a percentage"),
        ({"targets": []}, "targets must have 1 to 5 entries"),
        ({"targets": [{"key": "tag:Project", "values": []}]}, "target tag:Project needs at least one value"),
        ({"output_location": {"s3_key_prefix": "scan/"}}, "output_location needs s3_bucket_name"),
    ],
)
def test_bad_input_fails_before_any_call(ssm, args, message):
    result = ssm(module.main, dict(ARGS, **args))
    assert result["failed"] is True
    assert message in result["msg"]
