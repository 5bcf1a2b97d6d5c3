from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_intelligent_tiering import build_configuration
from ansible_collections.hybridcloud.aws.plugins.module_utils.s3_intelligent_tiering import normalize_configuration

DAYS = {"archive_access_days": 90, "deep_archive_access_days": None}


def test_whole_bucket_has_no_filter():
    assert "Filter" not in build_configuration("a", "Enabled", None, None, DAYS)


def test_single_tag_uses_tag_filter():
    configuration = build_configuration("a", "Enabled", None, {"k": "v"}, DAYS)
    assert configuration["Filter"] == {"Tag": {"Key": "k", "Value": "v"}}


def test_prefix_and_tags_use_and_filter():
    configuration = build_configuration("a", "Enabled", "p/", {"k": "v"}, DAYS)
    assert configuration["Filter"] == {"And": {"Prefix": "p/", "Tags": [{"Key": "k", "Value": "v"}]}}


def test_build_and_normalize_round_trip():
    days = {"archive_access_days": 120, "deep_archive_access_days": 400}
    normalized = normalize_configuration(build_configuration("a", "Disabled", "p/", {"x": "1", "y": "2"}, days))
    assert normalized == {
        "id": "a",
        "status": "disabled",
        "prefix": "p/",
        "filter_tags": {"x": "1", "y": "2"},
        "archive_access_days": 120,
        "deep_archive_access_days": 400,
    }
