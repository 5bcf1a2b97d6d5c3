import datetime

from ansible_collections.hybridcloud.aws.plugins.modules import ssm_parameter_info as module

NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.timezone.utc)
ARN = "arn:aws:ssm:us-east-1:123456789012:parameter"


def described(name, type_="String", **changes):
    metadata = {"Name": name, "Type": type_, "Description": "Read on premises", "Tier": "Standard", "Version": 2, "LastModifiedDate": NOW, "DataType": "text"}
    metadata.update(changes)
    return {key: value for key, value in metadata.items() if value is not None}


def current(name, value, type_="String"):
    return {"Name": name, "Type": type_, "Value": value, "Version": 2, "ARN": ARN + name, "DataType": "text"}


def name_filter(names):
    return {"ParameterFilters": [{"Key": "Name", "Option": "Equals", "Values": names}], "MaxResults": 50}


def test_reads_metadata_values_and_tags_and_lists_missing_names(module_run):
    ssm = module_run("ssm")
    ssm.stubber.add_response(
        "describe_parameters",
        {"Parameters": [described("/app/region"), described("/app/port", Description=None)]},
        name_filter(["/app/missing", "/app/port", "/app/region"]),
    )
    ssm.stubber.add_response(
        "get_parameters",
        {"Parameters": [current("/app/port", "5432"), current("/app/region", "eu-west-1")]},
        {"Names": ["/app/port", "/app/region"], "WithDecryption": False},
    )
    ssm.stubber.add_response("list_tags_for_resource", {"TagList": []}, {"ResourceType": "Parameter", "ResourceId": "/app/port"})
    ssm.stubber.add_response(
        "list_tags_for_resource", {"TagList": [{"Key": "Project", "Value": "app"}]}, {"ResourceType": "Parameter", "ResourceId": "/app/region"}
    )
    result = ssm(module.main, {"names": ["/app/region", "/app/port", "/app/missing", "/app/region"], "include_tags": True})
    assert result["changed"] is False
    assert result["missing"] == ["/app/missing"]
    assert result["parameters"]["/app/region"] == {
        "name": "/app/region",
        "type": "String",
        "value": "eu-west-1",
        "description": "Read on premises",
        "tier": "Standard",
        "data_type": "text",
        "version": 2,
        "arn": ARN + "/app/region",
        "last_modified_date": "2026-11-24T10:00:00+00:00",
        "tags": {"Project": "app"},
    }
    assert result["parameters"]["/app/port"]["description"] is None
    assert result["parameters"]["/app/port"]["tags"] == {}


def test_tags_are_read_only_when_asked_and_secure_values_never_returned(module_run):
    ssm = module_run("ssm")
    ssm.stubber.add_response("describe_parameters", {"Parameters": [described("/app/secret", "SecureString")]}, name_filter(["/app/secret"]))
    ssm.stubber.add_response(
        "get_parameters", {"Parameters": [current("/app/secret", "AQICAH-ciphertext", "SecureString")]}, {"Names": ["/app/secret"], "WithDecryption": False}
    )
    result = ssm(module.main, {"names": ["/app/secret"]})
    parameter = result["parameters"]["/app/secret"]
    assert parameter["type"] == "SecureString"
    assert "value" not in parameter
    assert "tags" not in parameter
    assert "AQICAH-ciphertext" not in str(result)


def test_many_names_are_read_in_chunks_of_the_api_limits(module_run):
    ssm = module_run("ssm")
    names = [f"/app/p{index:02d}" for index in range(55)]
    ssm.stubber.add_response("describe_parameters", {"Parameters": [described(name) for name in names[:50]]}, name_filter(names[:50]))
    ssm.stubber.add_response("describe_parameters", {"Parameters": [described(name) for name in names[50:]]}, name_filter(names[50:]))
    for start in range(0, 55, 10):
        part = names[start : start + 10]
        ssm.stubber.add_response("get_parameters", {"Parameters": [current(name, name[-2:]) for name in part]}, {"Names": part, "WithDecryption": False})
    result = ssm(module.main, {"names": list(reversed(names))})
    assert sorted(result["parameters"]) == names
    assert result["parameters"]["/app/p54"]["value"] == "54"
    assert result["missing"] == []


def test_describe_pages_are_followed(module_run):
    ssm = module_run("ssm")
    ssm.stubber.add_response("describe_parameters", {"Parameters": [described("/app/a")], "NextToken": "page2"}, name_filter(["/app/a", "/app/b"]))
    ssm.stubber.add_response("describe_parameters", {"Parameters": [described("/app/b")]}, dict(name_filter(["/app/a", "/app/b"]), NextToken="page2"))
    ssm.stubber.add_response(
        "get_parameters", {"Parameters": [current("/app/a", "1"), current("/app/b", "2")]}, {"Names": ["/app/a", "/app/b"], "WithDecryption": False}
    )
    result = ssm(module.main, {"names": ["/app/a", "/app/b"]})
    assert {name: parameter["value"] for name, parameter in result["parameters"].items()} == {"/app/a": "1", "/app/b": "2"}


def test_a_parameter_deleted_between_the_reads_is_missing(module_run):
    ssm = module_run("ssm")
    ssm.stubber.add_response("describe_parameters", {"Parameters": [described("/app/a")]}, name_filter(["/app/a"]))
    ssm.stubber.add_response("get_parameters", {"Parameters": [], "InvalidParameters": ["/app/a"]}, {"Names": ["/app/a"], "WithDecryption": False})
    result = ssm(module.main, {"names": ["/app/a"]})
    assert (result["parameters"], result["missing"]) == ({}, ["/app/a"])


def test_no_names_make_no_call(module_run):
    ssm = module_run("ssm")
    result = ssm(module.main, {"names": []})
    assert (result["parameters"], result["missing"], result["rc"]) == ({}, [], 0)


def test_empty_names_are_refused(module_run):
    ssm = module_run("ssm")
    result = ssm(module.main, {"names": ["/app/a", ""]})
    assert result["failed"] is True
    assert "empty names" in result["msg"]


def test_throttling_is_retried_and_errors_fail_cleanly(module_run):
    ssm = module_run("ssm")
    ssm.stubber.add_client_error("describe_parameters", "ThrottlingException", http_status_code=400)
    ssm.stubber.add_client_error("describe_parameters", "AccessDeniedException", http_status_code=400)
    result = ssm(module.main, {"names": ["/app/a"]})
    assert result["failed"] is True
    assert "describe parameters" in result["msg"]
