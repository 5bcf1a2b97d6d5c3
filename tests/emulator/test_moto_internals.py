"""The moto internals the emulator relies on beyond moto's public API, each checked against the pinned moto, so that a
moto upgrade that changes one fails here, naming the lab file that needs the change, instead of as a wrong answer
somewhere in an integration test.

In process (no emulator): each check builds what it needs from moto's own classes."""

from __future__ import annotations

import copy
import inspect
import re

import pytest
from moto.core.base_backend import AccountSpecificBackend, BackendDict, BaseBackend
from moto.core.common_models import BaseModel

pytestmark = pytest.mark.emulator


def test_backend_dicts_register_in_use_and_name_their_backend_class():
    """control.py (reset), snapshots.py and extensions/_moto_classes.py: BackendDict._instances lists the service
    backends in use; a BackendDict and each account's AccountSpecificBackend build their regions from `.backend`."""
    from moto.ssm.models import ssm_backends

    ssm_backends["123456789012"]["us-east-1"]
    assert ssm_backends in BackendDict._instances, "BackendDict._instances no longer lists backends in use (lab/awsemu/control.py, snapshots.py)"
    assert ssm_backends.backend is type(ssm_backends["123456789012"]["us-east-1"])
    account = ssm_backends["123456789012"]
    assert isinstance(account, AccountSpecificBackend) and account.backend is ssm_backends.backend, (
        "AccountSpecificBackend.backend is gone (lab/awsemu/extensions/_moto_classes.py use_backend_class)"
    )


def test_models_are_tracked_per_class_and_s3_reset_closes_tracked_keys():
    """snapshots.py keeps its copies out of `instances_tracked`, because S3's reset disposes every tracked FakeKey."""
    from moto.s3.models import FakeKey, S3Backend

    assert issubclass(FakeKey, BaseModel)
    key = FakeKey("probe", b"value", account_id="123456789012", region_name="us-east-1")
    assert key in FakeKey.instances_tracked, "BaseModel no longer tracks instances per class (lab/awsemu/snapshots.py _private_copy)"
    assert "instances_tracked" in inspect.getsource(S3Backend.reset), "S3Backend.reset changed (lab/awsemu/snapshots.py restore order)"
    assert S3Backend.reset is not BaseBackend.reset, "S3Backend no longer overrides reset (lab/awsemu/control.py)"


def test_deepcopy_needs_the_lab_s_help_where_snapshots_py_gives_it():
    """snapshots.py registers copyreg reducers for moto's ssm ParameterDict (its __init__ takes other arguments than
    defaultdict's) and S3's _VersionedKeyStore (items() yields only the latest version). When moto fixes either, the
    reducer is still correct; when it renames one, snapshots.install() fails to import it."""
    from moto.s3.utils import _VersionedKeyStore
    from moto.ssm.models import ParameterDict

    assert list(inspect.signature(ParameterDict.__init__).parameters) == ["self", "account_id", "region_name"]
    store = _VersionedKeyStore()
    store["key"] = "v1"
    store["key"] = "v2"
    assert store.getlist("key") == ["v1", "v2"] and dict(store.items()) == {"key": "v2"}, "S3's key store changed its versions (snapshots.py)"


def test_service_url_tables_the_extensions_extend():
    """backup_jobs.py, backup_vault_policy.py and route53_health.py add routes to moto's url_paths tables, and
    storagegateway/__init__.py adds its service to backend_index.backend_url_patterns."""
    from moto import backend_index
    from moto.backup import urls as backup_urls
    from moto.route53 import urls as route53_urls

    assert isinstance(backup_urls.url_paths, dict) and isinstance(route53_urls.url_paths, dict)
    patterns = backend_index.backend_url_patterns
    assert all(isinstance(name, str) and isinstance(pattern, re.Pattern) for name, pattern in patterns), "backend_index changed (storagegateway)"


def test_a_copied_backend_dict_keeps_its_identity_with_a_seeded_memo():
    """snapshots.py copies a BackendDict's contents with the BackendDict itself seeded in deepcopy's memo: the module
    globals moto's responses hold must stay the objects the restored state lives in."""
    from awsemu import snapshots
    from moto.sqs.models import sqs_backends

    snapshots.install()  # its copyreg reducers (SQS queues hold locks)
    sqs_backends["123456789012"]["us-east-1"].create_queue("probe")
    contents = dict(sqs_backends)
    copied = copy.deepcopy([sqs_backends, contents], {id(sqs_backends): sqs_backends})
    assert copied[0] is sqs_backends and copied[1] is not contents
    assert list(copied[1]["123456789012"]["us-east-1"].queues) == ["probe"]


def test_a_db_instance_keeps_its_master_password_in_a_private_attribute():
    """extensions/rds_servers.py starts a PostgreSQL server with the instance's master password, which moto's
    DBInstance.master_user_password does not give back (it raises): it reads the attribute the setter writes."""
    from moto.rds.models import rds_backends

    backend = rds_backends["123456789012"]["eu-west-3"]
    database = backend.create_db_instance(
        {
            "db_instance_identifier": "probe",
            "engine": "postgres",
            "db_instance_class": "db.t3.micro",
            "master_username": "probe",
            "master_user_password": "probe-password",
        }
    )
    try:
        assert vars(database).get("_master_user_password") == "probe-password", (
            "moto's DBInstance no longer keeps the master password in _master_user_password (lab/awsemu/extensions/rds_servers.py)"
        )
    finally:
        backend.databases.pop("probe", None)
