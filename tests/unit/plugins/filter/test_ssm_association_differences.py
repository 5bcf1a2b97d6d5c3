"""ssm_association_differences: what hybridcloud.aws.ssm_association would change, on what ssm_association_info read.
Checked against the module's own rule (given_options + wanted_association compared with normalize_association)."""

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.ssm_association_differences import FilterModule
from ansible_collections.hybridcloud.aws.plugins.module_utils.ssm import normalize_association
from ansible_collections.hybridcloud.aws.plugins.modules.ssm_association import given_options
from ansible_collections.hybridcloud.aws.plugins.modules.ssm_association import wanted_association

differences = FilterModule().filters()["ssm_association_differences"]

TAGS = {"Project": "hybridcloud"}
TARGETS = [{"key": "tag:Project", "values": ["hybridcloud"]}]
ENTRY = {
    "name": "hybridcloud-patch-scan",
    "document": "AWS-RunPatchBaseline",
    "schedule": "cron(0 2 ? * * *) ",
    "parameters": {"Operation": "Scan", "RebootOption": ["NoReboot"], "Verbose": True},
    "compliance_severity": "HIGH",
    "max_concurrency": "25%",
    "max_errors": 10,
}
DESCRIPTION = {
    "AssociationId": "a1",
    "AssociationName": "hybridcloud-patch-scan",
    "Name": "AWS-RunPatchBaseline",
    "ScheduleExpression": "cron(0 2 ? * * *)",
    "Parameters": {"Operation": ["Scan"], "RebootOption": ["NoReboot"], "Verbose": ["true"]},
    "Targets": [{"Key": "tag:Project", "Values": ["hybridcloud"]}],
    "ComplianceSeverity": "HIGH",
    "MaxConcurrency": "25%",
    "MaxErrors": "10",
}


def read(description=None, tags=None):
    """The association as ssm_association_info returns it."""
    view = normalize_association(dict(DESCRIPTION, **(description or {})), TAGS if tags is None else tags)
    return dict(view, association_id="a1")


def module_changes(current, entry):
    """Whether ssm_association, given what the role passes for entry, would change current (the module's rule)."""
    params = {
        "name": entry["name"],
        "document_name": entry["document"],
        "document_version": entry.get("document_version"),
        "schedule_expression": entry["schedule"],
        "apply_only_at_cron_interval": entry.get("apply_only_at_cron_interval", False),
        "max_concurrency": None if entry.get("max_concurrency") is None else str(entry["max_concurrency"]),
        "max_errors": None if entry.get("max_errors") is None else str(entry["max_errors"]),
        "compliance_severity": entry.get("compliance_severity"),
        "sync_compliance": None,
        "parameters": entry.get("parameters", {}),
        "targets": entry.get("targets", TARGETS),
        "output_location": None,
        "tags": TAGS,
        "purge_tags": True,
    }
    before = {key: value for key, value in current.items() if key != "association_id"}
    return wanted_association(before, given_options(params, before), params) != before


def test_converged_association_needs_no_write():
    assert differences([read()], ENTRY, TARGETS, TAGS) == []
    assert module_changes(read(), ENTRY) is False


@pytest.mark.parametrize(
    ("description", "tags", "expected"),
    [
        ({"ScheduleExpression": "rate(1 day)"}, None, ["schedule_expression"]),
        ({"Parameters": {"Operation": ["Install"], "RebootOption": ["NoReboot"], "Verbose": ["true"]}}, None, ["parameters"]),
        ({"Targets": [{"Key": "tag:Project", "Values": ["other"]}]}, None, ["targets"]),
        ({"MaxErrors": "1"}, None, ["max_errors"]),
        ({"ComplianceSeverity": "LOW"}, None, ["compliance_severity"]),
        ({"Name": "AWS-GatherSoftwareInventory"}, None, ["document_name"]),
        ({"ApplyOnlyAtCronInterval": True}, None, ["apply_only_at_cron_interval"]),
        ({}, {"Project": "hybridcloud", "Owner": "x"}, ["tags"]),
        ({}, {}, ["tags"]),
    ],
)
def test_drift_is_found_as_the_module_finds_it(description, tags, expected):
    current = read(description, tags)
    assert differences([current], ENTRY, TARGETS, TAGS) == expected
    assert module_changes(current, ENTRY) is True


def test_an_option_left_out_is_kept_as_the_module_keeps_it():
    entry = {key: value for key, value in ENTRY.items() if key not in ("max_errors", "compliance_severity")}
    current = read({"MaxErrors": "3", "ComplianceSeverity": "LOW"})
    assert differences([current], entry, TARGETS, TAGS) == []
    assert module_changes(current, entry) is False


def test_missing_duplicated_and_absent():
    assert differences([], ENTRY, TARGETS, TAGS) == ["missing"]
    assert differences([read(), read()], ENTRY, TARGETS, TAGS) == ["duplicates"]
    assert differences([read()], dict(ENTRY, state="absent"), TARGETS, TAGS) == ["present"]
    assert differences([], dict(ENTRY, state="absent"), TARGETS, TAGS) == []
    # The entry's own targets win over the default ones; values of a key compare as a set of strings.
    entry = dict(ENTRY, targets=[{"key": "tag:Project", "values": ["hybridcloud"]}])
    assert differences([read()], entry, [{"key": "tag:Env", "values": ["x"]}], TAGS) == []
