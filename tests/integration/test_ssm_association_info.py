"""hybridcloud.aws.ssm_association_info against the emulator: associations written with boto3 read back by name in
one ListAssociations plus a describe (and a tag read) each, normalized in the option names of ssm_association,
associations not asked for left out, missing names listed, no mutating call, the same in check mode."""

TARGETS = [{"Key": "tag:Project", "Values": ["hybridcloud", "alpha"]}]


def test_reads_the_named_associations_in_few_calls(aws, playbook):
    ssm = aws("ssm")
    scan = ssm.create_association(
        AssociationName="scan",
        Name="AWS-RunPatchBaseline",
        Parameters={"Operation": ["Scan"]},
        Targets=TARGETS,
        ScheduleExpression="cron(0 2 ? * * *)",
        MaxConcurrency="25%",
        Tags=[{"Key": "Project", "Value": "hybridcloud"}],
    )["AssociationDescription"]
    ssm.create_association(AssociationName="inventory", Name="AWS-GatherSoftwareInventory", Targets=TARGETS, ScheduleExpression="rate(12 hours)")
    ssm.create_association(AssociationName="elsewhere", Name="AWS-UpdateSSMAgent", Targets=TARGETS, ScheduleExpression="rate(14 days)")
    tasks = [
        {"name": "tagged", "hybridcloud.aws.ssm_association_info": {"names": ["scan", "inventory", "missing"], "include_tags": True}},
        {"name": "plain", "hybridcloud.aws.ssm_association_info": {"names": ["scan"]}},
    ]
    for check in (False, True):
        result = playbook(tasks, check=check)
        assert result.failed == 0, result.output
        assert (result.changed, result.mutating_calls) == (0, [])
        operations = [call["operation"] for call in result.api_calls]
        assert (operations.count("ListAssociations"), operations.count("DescribeAssociation"), operations.count("ListTagsForResource")) == (2, 3, 2)
        found = result.task("tagged")["result"]
        assert [association["name"] for association in found["associations"]] == ["inventory", "scan"]
        assert found["missing"] == ["missing"]
        tagged_scan = found["associations"][1]
        assert tagged_scan["association_id"] == scan["AssociationId"]
        assert (tagged_scan["document_name"], tagged_scan["parameters"], tagged_scan["max_concurrency"]) == (
            "AWS-RunPatchBaseline",
            {"Operation": ["Scan"]},
            "25%",
        )
        assert tagged_scan["targets"] == [{"key": "tag:Project", "values": ["alpha", "hybridcloud"]}]
        assert (tagged_scan["tags"], found["associations"][0]["tags"]) == ({"Project": "hybridcloud"}, {})
        assert "tags" not in result.task("plain")["result"]["associations"][0]
