import datetime

from ansible_collections.hybridcloud.aws.plugins.modules import ssm_association_info as module

DATE = datetime.datetime(2026, 10, 1, tzinfo=datetime.timezone.utc)
IDS = {"scan": "8dfe3659-4309-493a-8755-0123456789ab", "inventory": "11111111-2222-3333-4444-555555555555", "twin": "22222222-3333-4444-5555-666666666666"}


def listed(name, association_id=None):
    return {"Name": "AWS-RunPatchBaseline", "AssociationId": association_id or IDS[name], "AssociationVersion": "1", "AssociationName": name}


def described(name, association_id=None, **fields):
    description = {
        "AssociationId": association_id or IDS[name],
        "AssociationName": name,
        "AssociationVersion": "1",
        "Name": "AWS-RunPatchBaseline",
        "Targets": [{"Key": "tag:Project", "Values": ["b", "a"]}],
        "ScheduleExpression": "cron(0 2 ? * * *)",
        "Date": DATE,
        "LastUpdateAssociationDate": DATE,
        "Overview": {"Status": "Success", "DetailedStatus": "Success"},
    }
    description.update(fields)
    return {"AssociationDescription": description}


def test_reads_the_named_associations_from_one_list_normalized_with_tags(module_run):
    ssm = module_run("ssm")
    page = {"Associations": [listed("scan"), listed("other", "33333333-4444-5555-6666-777777777777"), listed("inventory")]}
    ssm.stubber.add_response("list_associations", page, {"MaxResults": 50})
    ssm.stubber.add_response("describe_association", described("inventory"), {"AssociationId": IDS["inventory"]})
    ssm.stubber.add_response("list_tags_for_resource", {"TagList": []}, {"ResourceType": "Association", "ResourceId": IDS["inventory"]})
    ssm.stubber.add_response(
        "describe_association", described("scan", Parameters={"Operation": ["Scan"]}, MaxConcurrency="25%"), {"AssociationId": IDS["scan"]}
    )
    ssm.stubber.add_response(
        "list_tags_for_resource", {"TagList": [{"Key": "Project", "Value": "hybridcloud"}]}, {"ResourceType": "Association", "ResourceId": IDS["scan"]}
    )
    result = ssm(module.main, {"names": ["scan", "inventory", "missing"], "include_tags": True})
    assert result["changed"] is False
    assert result["missing"] == ["missing"]
    inventory, scan = result["associations"]
    assert inventory["tags"] == {}
    assert {key: scan[key] for key in ("name", "association_id", "document_name", "document_version", "parameters", "targets", "tags")} == {
        "name": "scan",
        "association_id": IDS["scan"],
        "document_name": "AWS-RunPatchBaseline",
        "document_version": "$DEFAULT",
        "parameters": {"Operation": ["Scan"]},
        "targets": [{"key": "tag:Project", "values": ["a", "b"]}],
        "tags": {"Project": "hybridcloud"},
    }
    assert (scan["max_concurrency"], scan["apply_only_at_cron_interval"], scan["sync_compliance"], scan["status"]) == ("25%", False, "AUTO", "Success")
    assert scan["created_date"] == "2026-10-01T00:00:00+00:00"


def test_pages_are_followed_twins_returned_and_tags_read_only_when_asked(module_run):
    ssm = module_run("ssm")
    ssm.stubber.add_response("list_associations", {"Associations": [listed("scan")], "NextToken": "more"}, {"MaxResults": 50})
    ssm.stubber.add_response("list_associations", {"Associations": [listed("scan", IDS["twin"])]}, {"MaxResults": 50, "NextToken": "more"})
    # Sorted by name, then identifier.
    ssm.stubber.add_response("describe_association", described("scan", IDS["twin"]), {"AssociationId": IDS["twin"]})
    ssm.stubber.add_response("describe_association", described("scan"), {"AssociationId": IDS["scan"]})
    result = ssm(module.main, {"names": ["scan"]})
    assert [found["association_id"] for found in result["associations"]] == [IDS["twin"], IDS["scan"]]
    assert all("tags" not in found for found in result["associations"])
    assert result["missing"] == []


def test_an_association_deleted_between_list_and_describe_is_left_out(module_run):
    ssm = module_run("ssm")
    ssm.stubber.add_response("list_associations", {"Associations": [listed("scan")]}, {"MaxResults": 50})
    ssm.stubber.add_client_error("describe_association", "AssociationDoesNotExist", "gone", http_status_code=400)
    result = ssm(module.main, {"names": ["scan"]})
    assert (result["associations"], result["missing"]) == ([], ["scan"])


def test_no_names_read_nothing_and_an_api_error_fails(module_run):
    ssm = module_run("ssm")
    assert ssm(module.main, {"names": []})["associations"] == []
    ssm = module_run("ssm")
    ssm.stubber.add_client_error("list_associations", "AccessDeniedException", "not allowed", http_status_code=400)
    result = ssm(module.main, {"names": ["scan"]})
    assert result["failed"] is True
    assert "list associations" in result["msg"]
