"""hybridcloud.aws.ssm_parameter_info against the emulator: parameters written with boto3 read back with their value,
type, description, tier and tags in a few calls, SecureString values never returned, missing names listed, no
mutating call, and the same answer in check mode."""

NAMES = [f"/app/p{index:02d}" for index in range(12)]


def put_parameters(ssm):
    for name in NAMES:
        ssm.put_parameter(Name=name, Value=f"value-{name[-2:]}", Type="String", Description="Read on premises", Tags=[{"Key": "Project", "Value": "app"}])
    ssm.put_parameter(Name="/app/list", Value="a,b", Type="StringList")
    ssm.put_parameter(Name="/app/secret", Value="do-not-print-me", Type="SecureString")
    ssm.put_parameter(Name="/other/p00", Value="elsewhere", Type="String")


def test_reads_many_parameters_in_few_calls(aws, playbook, mutating_calls):
    ssm = aws("ssm")
    put_parameters(ssm)
    ssm.add_tags_to_resource(ResourceType="Parameter", ResourceId="/app/p03", Tags=[{"Key": "Extra", "Value": "yes"}])
    calls_before = len(mutating_calls())
    names = [*NAMES, "/app/list", "/app/secret", "/app/missing"]
    tasks = [
        {"name": "with tags", "hybridcloud.aws.ssm_parameter_info": {"names": names, "include_tags": True}, "register": "with_tags"},
        {"name": "without tags", "hybridcloud.aws.ssm_parameter_info": {"names": ["/app/p00", "/app/list"]}},
    ]
    for check in (False, True):
        result = playbook(tasks, check=check)
        assert result.failed == 0, result.output
        assert result.changed == 0
        assert result.mutating_calls == []
        found = result.task("with tags")["result"]
        assert sorted(found["parameters"]) == sorted(names[:-1])
        assert found["missing"] == ["/app/missing"]
        p03 = found["parameters"]["/app/p03"]
        assert (p03["value"], p03["type"], p03["description"], p03["tier"]) == ("value-03", "String", "Read on premises", "Standard")
        assert p03["tags"] == {"Project": "app", "Extra": "yes"}
        assert found["parameters"]["/app/p04"]["tags"] == {"Project": "app"}
        assert found["parameters"]["/app/list"]["value"] == "a,b"
        assert found["parameters"]["/app/list"]["description"] is None
        assert "value" not in found["parameters"]["/app/secret"]
        assert "do-not-print-me" not in result.output
        without = result.task("without tags")["result"]["parameters"]
        assert sorted(without) == ["/app/list", "/app/p00"]
        assert all("tags" not in parameter for parameter in without.values())
        # 14 existing names: one describe (SSM may answer it in two pages), two GetParameters (10 + 4), one tag read
        # each; then one describe and one GetParameters for the second task
        operations = [call["operation"] for call in result.api_calls if call["service"] == "ssm"]
        assert 2 <= operations.count("DescribeParameters") <= 3
        assert operations.count("GetParameters") == 3
        assert operations.count("ListTagsForResource") == 14
        assert "GetParameter" not in operations
    assert len(mutating_calls()) == calls_before


def test_bad_input_fails_without_a_call(playbook):
    result = playbook([{"name": "empty name", "hybridcloud.aws.ssm_parameter_info": {"names": ["/app/a", ""]}}])
    assert result.failed == 1
    assert "names must not contain empty names" in result.output
    assert [call for call in result.api_calls if call["service"] == "ssm"] == []
