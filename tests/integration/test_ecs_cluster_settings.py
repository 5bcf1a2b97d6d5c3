"""hybridcloud.aws.ecs_cluster_settings against the emulator: check mode changes nothing, a real run sets Container
Insights (read back with DescribeClusters include SETTINGS), a second run is a no-op, and a missing cluster fails."""

CLUSTER = "lab-insights"


def settings_task(**options):
    return [{"name": "settings", "hybridcloud.aws.ecs_cluster_settings": {"cluster": CLUSTER, **options}}]


def insights(aws):
    [cluster] = aws("ecs").describe_clusters(clusters=[CLUSTER], include=["SETTINGS"])["clusters"]
    return {setting["name"]: setting["value"] for setting in cluster["settings"]}["containerInsights"]


def test_check_mode_then_converge_then_no_op(aws, playbook, mutating_calls):
    arn = aws("ecs").create_cluster(clusterName=CLUSTER)["cluster"]["clusterArn"]
    calls_before = len(mutating_calls())

    planned = playbook(settings_task(container_insights="enabled"), check=True, diff=True)
    assert planned.failed == 0, planned.output
    assert planned.task("settings")["changed"] is True
    assert planned.task("settings")["result"]["diff"] == {"before": {"container_insights": "disabled"}, "after": {"container_insights": "enabled"}}
    assert insights(aws) == "disabled"
    assert len(mutating_calls()) == calls_before

    first = playbook(settings_task(container_insights="enabled"))
    assert first.failed == 0, first.output
    assert first.changed == 1
    assert (first.task("settings")["result"]["cluster_arn"], first.task("settings")["result"]["container_insights"]) == (arn, "enabled")
    assert insights(aws) == "enabled"

    second = playbook(settings_task(container_insights="enabled"))
    assert (second.failed, second.changed, second.mutating_calls) == (0, 0, [])

    enhanced = playbook([{"name": "settings", "hybridcloud.aws.ecs_cluster_settings": {"cluster": arn, "container_insights": "enhanced"}}])
    assert (enhanced.failed, enhanced.changed) == (0, 1)
    assert insights(aws) == "enhanced"


def test_missing_cluster_fails_clearly(playbook):
    result = playbook(settings_task(container_insights="enabled"))
    assert result.failed == 1
    assert f"ECS cluster {CLUSTER} does not exist; create it first" in result.output
    assert result.mutating_calls == []
