"""hybridcloud.aws.ssm_association against the emulator: check mode, creation, a no-op second run, an update in place
that keeps the association's id and adds a version, tags, deletion and a refused parameter, each verified with SSM API reads."""

from __future__ import annotations

import pytest

NAME = "lab-patch-scan"
OPTIONS = {
    "name": NAME,
    "document_name": "AWS-RunPatchBaseline",
    "parameters": {"Operation": "Scan"},
    "targets": [{"key": "tag:Environment", "values": ["onprem", "aws"]}],
    "schedule_expression": "cron(0 2 ? * * *)",
    "max_concurrency": "25%",
    "max_errors": "10%",
    "compliance_severity": "HIGH",
    "tags": {"Project": "hybridcloud"},
}


@pytest.fixture
def ssm(aws):
    return aws("ssm")


def association_task(task_name="association", **options):
    return [{"name": task_name, "hybridcloud.aws.ssm_association": options}]


def stored(ssm):
    """The one association called NAME, as DescribeAssociation returns it."""
    [listed] = ssm.list_associations(AssociationFilterList=[{"key": "AssociationName", "value": NAME}])["Associations"]
    return ssm.describe_association(AssociationId=listed["AssociationId"])["AssociationDescription"]


def tags_of(ssm, association_id):
    return {tag["Key"]: tag["Value"] for tag in ssm.list_tags_for_resource(ResourceType="Association", ResourceId=association_id)["TagList"]}


def test_check_mode_creates_nothing(ssm, playbook, mutating_calls):
    result = playbook(association_task(**OPTIONS), check=True, diff=True)
    assert result.failed == 0, result.output
    returned = result.task("association")["result"]
    assert result.changed == 1
    assert returned["association_id"] is None
    assert returned["association"]["parameters"] == {"Operation": ["Scan"]}
    assert ssm.list_associations()["Associations"] == []
    assert mutating_calls() == []


def test_create_no_op_update_in_place_and_delete(ssm, playbook, mutating_calls):
    first = playbook(association_task(**OPTIONS), diff=True)
    assert first.failed == 0, first.output
    assert first.changed == 1
    association = stored(ssm)
    returned = first.task("association")["result"]
    assert returned["association_id"] == association["AssociationId"]
    assert (returned["association_version"], returned["status"]) == ("1", "Pending")
    assert (association["Name"], association["DocumentVersion"], association["Parameters"]) == ("AWS-RunPatchBaseline", "$DEFAULT", {"Operation": ["Scan"]})
    # Values of a target are alternatives; the module sends them sorted.
    assert association["Targets"] == [{"Key": "tag:Environment", "Values": ["aws", "onprem"]}]
    assert (association["ScheduleExpression"], association["MaxConcurrency"], association["MaxErrors"]) == ("cron(0 2 ? * * *)", "25%", "10%")
    assert association["ComplianceSeverity"] == "HIGH"
    assert tags_of(ssm, association["AssociationId"]) == {"Project": "hybridcloud"}

    calls_after_create = len(mutating_calls())
    # The same association given in another shape (a list value, targets in another order) is a no-op.
    again = dict(OPTIONS, parameters={"Operation": ["Scan"]}, targets=[{"key": "tag:Environment", "values": ["aws", "onprem"]}])
    second = playbook(association_task(**again))
    assert second.failed == 0, second.output
    assert second.changed == 0
    assert len(mutating_calls()) == calls_after_create

    changed = dict(OPTIONS, schedule_expression="cron(0 3 ? * * *)", apply_only_at_cron_interval=True, tags={"Project": "hybridcloud", "team": "ops"})
    third = playbook(association_task(**changed), diff=True)
    assert third.failed == 0, third.output
    assert third.changed == 1
    updated = stored(ssm)
    assert updated["AssociationId"] == association["AssociationId"]
    assert updated["AssociationVersion"] == "2"
    assert (updated["ScheduleExpression"], updated["ApplyOnlyAtCronInterval"]) == ("cron(0 3 ? * * *)", True)
    # Fields the update did not change survive it, although SSM clears what an UpdateAssociation leaves out.
    assert (updated["Parameters"], updated["MaxConcurrency"], updated["ComplianceSeverity"]) == ({"Operation": ["Scan"]}, "25%", "HIGH")
    assert tags_of(ssm, association["AssociationId"]) == {"Project": "hybridcloud", "team": "ops"}
    diff = third.task("association")["result"]["diff"]
    assert (diff["before"]["schedule_expression"], diff["after"]["schedule_expression"]) == ("cron(0 2 ? * * *)", "cron(0 3 ? * * *)")

    fourth = playbook(association_task(**changed))
    assert fourth.changed == 0, fourth.output

    deleted = playbook(association_task("delete", name=NAME, state="absent") + association_task("again", name=NAME, state="absent"))
    assert deleted.failed == 0, deleted.output
    assert (deleted.task("delete")["changed"], deleted.task("again")["changed"]) == (True, False)
    assert ssm.list_associations()["Associations"] == []


def test_a_parameter_the_document_lacks_is_refused_clearly(ssm, playbook):
    result = playbook(association_task(**dict(OPTIONS, parameters={"Operation": "Scan", "Colour": "blue"})))
    assert result.failed == 1
    message = result.task("association")["result"]["msg"]
    assert "Failed to create association lab-patch-scan" in message
    assert "Colour" in message
    assert ssm.list_associations()["Associations"] == []
