"""The emulator works out once what moto would work out again on every request (lab/awsemu/routing.py,
lab/awsemu/action_methods.py): the same answers as moto's, from a memo, installed by the emulator's launcher."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import moto.backends
import pytest
from botocore.exceptions import ClientError
from moto.core import responses, utils
from moto.ec2.responses import EC2Response
from moto.ecs.responses import EC2ContainerServiceResponse
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

from awsemu import action_methods
from awsemu.routing import LabDispatcher

LAB_DIR = Path(__file__).resolve().parents[2] / "lab"


def signed(service: str, region: str = "us-east-1", path: str = "/") -> dict[str, Any]:
    """The WSGI environ of a SigV4-signed request, which is how moto tells the service of a request at 127.0.0.1."""
    return {
        "PATH_INFO": path,
        "REQUEST_METHOD": "POST",
        "HTTP_HOST": "127.0.0.1:4566",
        "HTTP_AUTHORIZATION": f"AWS4-HMAC-SHA256 Credential=testing/20260101/{region}/{service}/aws4_request, SignedHeaders=host, Signature=0",
    }


REQUESTS = [signed("ec2"), signed("ecs", "eu-west-1"), signed("sts"), signed("iam"), signed("s3", path="/bucket/key"), signed("logs"), signed("events")]


@pytest.fixture
def listings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts moto's listings of its service modules (a directory listing each)."""
    calls: list[int] = []
    listing = moto.backends.list_of_moto_modules

    def counted() -> Any:
        calls.append(1)
        return listing()

    monkeypatch.setattr(moto.backends, "list_of_moto_modules", counted)
    return calls


def test_lab_dispatcher_routes_each_request_as_moto_does() -> None:
    lab, plain = LabDispatcher(create_backend_app), DomainDispatcherApplication(create_backend_app)
    for _ in range(2):  # answered by moto, then from the memo
        for environ in REQUESTS:
            assert lab.get_application(dict(environ)).service == plain.get_application(dict(environ)).service


def test_lab_dispatcher_lists_moto_modules_once_per_host(listings: list[int]) -> None:
    lab = LabDispatcher(create_backend_app)
    for environ in REQUESTS:
        lab.get_application(dict(environ))
    first = len(listings)
    assert first == len(REQUESTS)
    for environ in REQUESTS * 3:
        lab.get_application(dict(environ))
    assert len(listings) == first


def test_lab_dispatcher_routes_a_request_once(listings: list[int]) -> None:
    """server.LabApplication asks for the application to log the service, then moto's __call__ asks again."""
    lab = LabDispatcher(create_backend_app)
    environ = dict(signed("ec2", "ap-south-1"))
    application = lab.get_application(environ)
    assert lab.get_application(environ) is application
    assert len(listings) == 1


def test_action_methods_are_moto_own_list_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    listed: list[type] = []
    getmembers = utils.method_names_from_class

    def counted(cls: type) -> list[str]:
        listed.append(cls)
        return getmembers(cls)

    monkeypatch.setattr(utils, "method_names_from_class", counted)
    action_methods._names.cache_clear()
    try:
        for _ in range(3):
            assert action_methods.names_of(EC2Response) == getmembers(EC2Response)
            assert action_methods.names_of(EC2ContainerServiceResponse) == getmembers(EC2ContainerServiceResponse)
    finally:
        action_methods._names.cache_clear()
    assert listed == [EC2Response, EC2ContainerServiceResponse]


def test_pinned_moto_still_checks_actions_through_the_name_replaced() -> None:
    """Fails when a moto upgrade moves the per-request listing the memo replaces (action_methods.install raises)."""
    assert action_methods.CALL in __import__("inspect").getsource(responses.BaseResponse.call_action)
    assert action_methods._moto_calls_it()


LAUNCH = """
import json, sys
from awsemu import __main__ as launcher, server, action_methods, routing
from moto.core import responses
def serve(hosts, port, tls_port=None, tls_files=None):
    print(json.dumps({
        "names_memo": responses.method_names_from_class is action_methods.names_of,
        "dispatcher": type(server.LabApplication().dispatcher).__name__,
    }))
server.serve = serve
launcher.main(["--port", "1"])
"""


def test_the_launcher_installs_both() -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(LAB_DIR), os.environ.get("PYTHONPATH")])))
    completed = subprocess.run([sys.executable, "-c", LAUNCH], capture_output=True, text=True, env=env, check=False, timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert json.loads(completed.stdout.strip().splitlines()[-1]) == {"names_memo": True, "dispatcher": "LabDispatcher"}


def test_the_emulator_still_answers_moto_extension_and_unknown_actions(client: Any, emulator_endpoint: str) -> None:
    """Through the running emulator: a moto action, an action an extension added to moto's response class after
    moto's import, and an action nobody implements (moto's answer for it is unchanged)."""
    ec2 = client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    assert [v["VpcId"] for v in ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"]] == [vpc]
    ecr = client("ecr")
    ecr.create_repository(repositoryName="routing")
    with pytest.raises(ClientError) as missing:  # the extension's own answer: its method was found
        ecr.describe_image_replication_status(repositoryName="routing", imageId={"imageTag": "latest"})
    assert missing.value.response["Error"]["Code"] == "ImageNotFoundException"
    unknown = urllib.request.Request(
        emulator_endpoint + "/",
        data=b"Action=DescribeNoSuchThing&Version=2016-11-15",
        headers={"Authorization": signed("ec2")["HTTP_AUTHORIZATION"], "Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:  # moto's NotImplementedError, as before
        urllib.request.urlopen(unknown, timeout=30)
    assert refused.value.code == 500
