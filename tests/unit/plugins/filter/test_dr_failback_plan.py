"""dr_failback_plan: the database steps left to fail back, read from the two regions' instances."""

from ansible_collections.hybridcloud.aws.plugins.filter.dr_failback_plan import FilterModule

plan = FilterModule().filters()["dr_failback_plan"]

PRIMARY_ID, DR_ID = "hybridcloud-postgres", "hybridcloud-postgres-dr"
DR_ARN = "arn:aws:rds:eu-west-1:111122223333:db:hybridcloud-postgres-dr"
PRIMARY_ARN = "arn:aws:rds:eu-central-1:111122223333:db:hybridcloud-postgres"
TAG = "hybridcloud:failback-source"

# The DR writer after a failover: standalone (no replica source).
DR_WRITER = {"db_instance_arn": DR_ARN, "dbi_resource_id": "db-DRWRITER", "instance_create_time": "2026-12-01T10:15:30+00:00", "tags": {}}
STALE = {"db_instance_arn": PRIMARY_ARN, "dbi_resource_id": "db-OLD", "instance_create_time": "2026-06-02T08:00:00+00:00", "tags": {"env": "prod"}}


def test_after_a_failover_every_step_is_left_and_the_stale_primary_is_kept_under_a_new_name():
    result = plan(STALE, DR_WRITER, PRIMARY_ID, DR_ID)
    assert result["problems"] == []
    assert result["steps"] == ["retire_primary", "replicate_primary", "promote_primary", "retire_dr"]
    assert (result["retire_primary_as"], result["retire_dr_as"]) == ("hybridcloud-postgres-stale-202606020800", "hybridcloud-postgres-dr-stale-202612011015")
    assert (result["replica_source"], result["source_tag"]) == (DR_ARN, {TAG: "db-DRWRITER"})


def test_a_rerun_goes_on_where_the_last_one_stopped():
    # The stale instance renamed: no primary under the identifier.
    assert plan(None, DR_WRITER, PRIMARY_ID, DR_ID)["steps"] == ["replicate_primary", "promote_primary", "retire_dr"]
    # The replica made, not promoted yet.
    replica = {"read_replica_source_db_instance_identifier": DR_ARN, "tags": {TAG: "db-DRWRITER"}}
    assert plan(replica, DR_WRITER, PRIMARY_ID, DR_ID)["steps"] == ["promote_primary", "retire_dr"]
    # Promoted: standalone with the tag of this DR writer.
    promoted = {"tags": {TAG: "db-DRWRITER"}, "instance_create_time": "2026-12-04T10:00:00Z"}
    assert plan(promoted, DR_WRITER, PRIMARY_ID, DR_ID)["steps"] == ["retire_dr"]
    # The DR writer retired: the standby rebuilds the replica, nothing is left here.
    done = plan(promoted, None, PRIMARY_ID, DR_ID)
    assert (done["steps"], done["problems"]) == ([], [])
    assert "the standby makes a new read replica" in done["state"]


def test_a_primary_tagged_by_an_earlier_failback_is_stale_for_the_next_one():
    earlier = dict(STALE, tags={TAG: "db-EARLIERWRITER"})
    assert plan(earlier, DR_WRITER, PRIMARY_ID, DR_ID)["steps"][0] == "retire_primary"


def test_the_promoted_primary_is_known_by_its_creation_after_the_dr_writer_when_the_tag_is_gone():
    # A converge of the primary between two failback runs purged the tag: the creation times still tell.
    promoted = {"tags": {}, "instance_create_time": "2026-12-04T10:00:00+00:00"}
    assert plan(promoted, DR_WRITER, PRIMARY_ID, DR_ID)["steps"] == ["retire_dr"]
    assert plan(dict(promoted, instance_create_time="2026-12-01T10:15:29+00:00"), DR_WRITER, PRIMARY_ID, DR_ID)["steps"][0] == "retire_primary"


def test_a_replicating_dr_instance_leaves_nothing_to_do():
    replica = dict(DR_WRITER, read_replica_source_db_instance_identifier=PRIMARY_ARN)
    result = plan(STALE, replica, PRIMARY_ID, DR_ID)
    assert (result["steps"], result["problems"]) == ([], [])
    assert "nothing to fail back" in result["state"]


def test_states_a_failback_does_not_know_are_problems():
    assert plan(STALE, None, PRIMARY_ID, DR_ID)["problems"] == [
        "no DB instance hybridcloud-postgres-dr in the DR region and no failback under way: there is nothing to fail back from"
    ]
    foreign = {"read_replica_source_db_instance_identifier": "arn:aws:rds:us-east-2:111122223333:db:other"}
    result = plan(foreign, DR_WRITER, PRIMARY_ID, DR_ID)
    assert result["steps"] == [] and "is a read replica of arn:aws:rds:us-east-2:111122223333:db:other" in result["problems"][0]


def test_retired_names_fit_rds_identifiers():
    long_id = "a" * 60
    result = plan(dict(STALE), dict(DR_WRITER), long_id, long_id)
    assert len(result["retire_primary_as"]) <= 63 and result["retire_primary_as"].endswith("-stale-202606020800")
    assert plan(dict(STALE, instance_create_time=None), DR_WRITER, PRIMARY_ID, DR_ID)["retire_primary_as"] == "hybridcloud-postgres-stale-unknown"
