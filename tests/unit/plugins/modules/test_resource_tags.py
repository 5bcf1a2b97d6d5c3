import pytest

from ansible_collections.hybridcloud.aws.plugins.modules import resource_tags as module

DXCON = "arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-fgab1234"
DXGW = "arn:aws:directconnect::123456789012:dx-gateway/5f3e0c8e-0000-4000-8000-123456789012"
REPO = "arn:aws:ecr:us-east-1:123456789012:repository/team/api"
WANTED = {"Project": "hybridcloud", "Environment": "lab"}


@pytest.fixture
def dx(module_run):
    return module_run("directconnect")


@pytest.fixture
def ecr(module_run):
    return module_run("ecr")


def expect_dx_tags(dx, arn, tags):
    answer = {"resourceTags": [{"resourceArn": arn, "tags": [{"key": k, "value": v} for k, v in tags.items()]}]}
    dx.stubber.add_response("describe_tags", answer, {"resourceArns": [arn]})


def expect_ecr_tags(ecr, tags):
    ecr.stubber.add_response("list_tags_for_resource", {"tags": [{"Key": k, "Value": v} for k, v in tags.items()]}, {"resourceArn": REPO})


@pytest.mark.parametrize("arn", [DXCON, DXGW])
def test_direct_connect_tags_are_set_and_purged(dx, arn):
    expect_dx_tags(dx, arn, {"Project": "old", "Owner": "someone", "aws:cloudformation:stack-name": "x"})
    dx.stubber.add_response("untag_resource", {}, {"resourceArn": arn, "tagKeys": ["Owner"]})
    wanted = [{"key": "Environment", "value": "lab"}, {"key": "Project", "value": "hybridcloud"}]
    dx.stubber.add_response("tag_resource", {}, {"resourceArn": arn, "tags": wanted})
    result = dx(module.main, {"resource_arn": arn, "tags": WANTED}, diff=True)
    assert result["changed"] is True
    assert result["tags"] == {**WANTED, "aws:cloudformation:stack-name": "x"}
    assert (result["added_tags"], result["removed_tags"]) == (WANTED, ["Owner"])
    assert result["diff"]["before"]["tags"]["Owner"] == "someone"
    assert "Owner" not in result["diff"]["after"]["tags"]


def test_matching_tags_are_a_no_op(dx):
    expect_dx_tags(dx, DXCON, WANTED)
    result = dx(module.main, {"resource_arn": DXCON, "tags": WANTED})
    assert (result["changed"], result["tags"]) == (False, WANTED)


def test_purge_false_keeps_other_tags(dx):
    expect_dx_tags(dx, DXCON, {"Owner": "someone"})
    dx.stubber.add_response("tag_resource", {}, {"resourceArn": DXCON, "tags": [{"key": "Project", "value": "hybridcloud"}]})
    result = dx(module.main, {"resource_arn": DXCON, "tags": {"Project": "hybridcloud"}, "purge_tags": False})
    assert result["tags"] == {"Owner": "someone", "Project": "hybridcloud"}


def test_without_tags_it_only_reads(ecr):
    expect_ecr_tags(ecr, {"Owner": "someone"})
    result = ecr(module.main, {"resource_arn": REPO})
    assert (result["changed"], result["tags"]) == (False, {"Owner": "someone"})


def test_ecr_repository_tags_in_check_mode_call_nothing_else(ecr):
    expect_ecr_tags(ecr, {"Owner": "someone"})
    result = ecr(module.main, {"arn": REPO, "tags": WANTED}, check_mode=True)
    assert (result["changed"], result["tags"], result["removed_tags"]) == (True, WANTED, ["Owner"])


def test_ecr_repository_tags_are_set(ecr):
    expect_ecr_tags(ecr, {})
    wanted = [{"Key": "Environment", "Value": "lab"}, {"Key": "Project", "Value": "hybridcloud"}]
    ecr.stubber.add_response("tag_resource", {}, {"resourceArn": REPO, "tags": wanted})
    assert ecr(module.main, {"resource_arn": REPO, "tags": WANTED})["changed"] is True


def test_missing_ecr_repository_fails(ecr):
    ecr.stubber.add_client_error("list_tags_for_resource", "RepositoryNotFoundException", "not found", expected_params={"resourceArn": REPO})
    result = ecr(module.main, {"resource_arn": REPO, "tags": WANTED})
    assert result["failed"] is True
    assert "does not exist" in result["msg"]


def test_missing_direct_connect_resource_fails(dx):
    dx.stubber.add_client_error(
        "describe_tags", "DirectConnectClientException", f"The resource {DXCON} does not exist.", expected_params={"resourceArns": [DXCON]}
    )
    result = dx(module.main, {"resource_arn": DXCON, "tags": WANTED})
    assert result["failed"] is True
    assert "does not exist" in result["msg"]


@pytest.mark.parametrize(
    ("arn", "message"),
    [
        ("dxcon-fgab1234", "is not an ARN"),
        ("arn:aws:ec2:us-east-1:123456789012:customer-gateway/cgw-0123", "amazon.aws.ec2_tag"),
        ("arn:aws:directconnect:us-east-1:123456789012:dxlag-macsec/x", "taggable here: dxcon, dxlag, dxvif, dx-gateway"),
        ("arn:aws:ecr:us-east-1:123456789012:registry/x", "taggable here: repository"),
    ],
)
def test_arns_it_cannot_tag_fail_before_any_call(dx, arn, message):
    result = dx(module.main, {"resource_arn": arn, "tags": WANTED})
    assert result["failed"] is True
    assert message in result["msg"]
