"""The collection's filter plugins import without boto3, and without the collection's module_utils or amazon.aws's.

ansible-core loads every file of a collection's plugins/filter package whenever a task uses one of its filters (in each
worker process, whose imports die with it): a filter file that imports boto3, directly or through a module_utils,
makes every such task pay for it (module_utils/amazon_aws_deferred.py). Measured on 30 tasks each templating one of
the collection's filters: 0.26 s of CPU per task above ansible.builtin's filters with boto3 imported, 0.08 s without.
The filter files import the collection's code (module_utils, amazon.aws's, one another) inside the filter functions,
so that loading the package only defines them.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import botocore.exceptions
import pytest

from ansible_collections.hybridcloud.aws.plugins.module_utils import amazon_aws_deferred as deferred

REPO = Path(__file__).resolve().parents[4]

# Every filter file imported as ansible-core's collection loader does, in a fresh interpreter (this one has boto3).
IMPORT_EVERY_FILTER = """
import importlib, pathlib, sys
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
_AnsibleCollectionFinder(paths=[sys.argv[1]] + [p for p in sys.path if "site-packages" in p])._install()
for path in sorted(pathlib.Path(sys.argv[2]).glob("*.py")):
    importlib.import_module("ansible_collections.hybridcloud.aws.plugins.filter." + path.stem)
print(" ".join(sorted(sys.modules)))
"""
FILTER_PACKAGE = "ansible_collections.hybridcloud.aws.plugins.filter"


def modules_after_importing_every_filter():
    """The names in sys.modules of a fresh interpreter that has imported every filter file."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    completed = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_FILTER, str(REPO / ".collections"), str(REPO / "plugins/filter")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.split()


def test_every_filter_file_imports_without_boto3():
    modules = modules_after_importing_every_filter()
    assert [name for name in modules if name.split(".")[0] == "boto3" or name.endswith("module_utils.botocore")] == []


def test_every_filter_file_imports_nothing_of_the_collections_but_the_filter_files():
    modules = modules_after_importing_every_filter()
    assert [name for name in modules if name.startswith(("ansible_collections.hybridcloud.aws.plugins.module_utils", "ansible_collections.amazon"))] == []
    packages = {FILTER_PACKAGE.rsplit(".", depth)[0] for depth in range(4)}
    filters = {f"{FILTER_PACKAGE}.{path.stem}" for path in (REPO / "plugins/filter").glob("*.py")}
    collection = {name for name in modules if name.startswith("ansible_collections.hybridcloud")}
    assert collection - packages - filters == set()
    assert filters <= collection


def client_error(code, message="denied"):
    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": message}}, "AnyOperation")


def test_the_deferred_error_helpers_match_as_amazon_aws_does():
    with pytest.raises(botocore.exceptions.ClientError):
        try:
            raise client_error("ThrottlingException")
        except deferred.is_boto3_error_code("ResourceNotFoundException"):
            pytest.fail("another code matched")
    try:
        raise client_error("ResourceNotFoundException", "Unable to describe task definition")
    except deferred.is_boto3_error_code(["Other", "ResourceNotFoundException"]) as caught:
        assert caught.response["Error"]["Code"] == "ResourceNotFoundException"
    try:
        raise client_error("ClientException", "Unable to describe task definition")
    except deferred.is_boto3_error_message("Unable to describe task definition") as caught:
        assert caught.response["Error"]["Code"] == "ClientException"


def test_the_deferred_transformations_are_amazon_aws_own():
    assert deferred.scrub_none_parameters({"a": None, "b": [{"c": None, "d": 1}]}) == {"b": [{"d": 1}]}
    assert deferred.scrub_none_parameters({"b": [{"c": None}]}, descend_into_lists=False) == {"b": [{"c": None}]}
    when = datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.timezone.utc)
    assert deferred.normalize_boto3_result({"At": when, "List": [when]}) == {"At": when.isoformat(), "List": [when.isoformat()]}
