import datetime

import pytest

from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import instance_filters
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import iso_date
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import last_ping_older_than
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import matches_identity
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import normalize_activation
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import to_utc

UTC = datetime.timezone.utc
NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    ["2026-11-24T10:00:00Z", "2026-11-24T11:00:00+01:00", "2026-11-24T10:00:00", datetime.datetime(2026, 11, 24, 10, 0)],
)
def test_to_utc_reads_text_and_naive_dates_as_utc(value):
    assert to_utc(value) == NOW


def test_iso_date_drops_microseconds_and_none():
    assert iso_date(NOW.replace(microsecond=123)) == "2026-11-24T10:00:00+00:00"
    assert iso_date(None) is None


@pytest.mark.parametrize(
    ("description", "wanted", "matches"),
    [("hosts", "hosts", True), (None, "", True), ("", None, True), ("hosts", "other", False)],
)
def test_identity_is_name_and_description(description, wanted, matches):
    activation = {"DefaultInstanceName": "onprem", "Description": description}
    assert matches_identity(activation, "onprem", wanted) is matches
    assert matches_identity(activation, "other", wanted) is False


def test_normalize_activation_defaults():
    normalized = normalize_activation({"ActivationId": "a", "DefaultInstanceName": "n", "IamRole": "r", "RegistrationLimit": 1})
    assert normalized["description"] == ""
    assert normalized["registrations_count"] == 0
    assert normalized["expired"] is False
    assert normalized["tags"] == {}
    assert normalize_activation(None) is None


def test_instance_filters_always_restrict_to_managed_instances():
    assert instance_filters() == [{"Key": "ResourceType", "Values": ["ManagedInstance"]}]
    assert instance_filters(tags={"b": 2, "a": "x"})[1:] == [{"Key": "tag:a", "Values": ["x"]}, {"Key": "tag:b", "Values": ["2"]}]


def test_last_ping_older_than():
    assert last_ping_older_than({"LastPingDateTime": NOW - datetime.timedelta(days=8)}, 7, NOW) is True
    assert last_ping_older_than({"LastPingDateTime": NOW - datetime.timedelta(days=6)}, 7, NOW) is False
    assert last_ping_older_than({}, 7, NOW) is True
