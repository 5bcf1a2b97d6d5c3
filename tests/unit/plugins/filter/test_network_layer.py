"""network_layer_writes (which write modules the network role runs) and network_layer_ids (the ids it hands on), on
reads shaped as hybridcloud.aws.vpc_layer_info returns them."""

import copy

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.network_layer_ids import FilterModule as LayerIds
from ansible_collections.hybridcloud.aws.plugins.filter.network_layer_writes import FilterModule as LayerWrites

network_layer_writes = LayerWrites().filters()["network_layer_writes"]
network_layer_ids = LayerIds().filters()["network_layer_ids"]

TAGS = {"Project": "hc"}
ACCOUNT = "123456789012"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/hc-vpc-flow-logs"
GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/hc/vpc-flow-logs"
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}, "ArnLike": {"aws:SourceArn": f"arn:aws:ec2:*:{ACCOUNT}:vpc-flow-log/*"}},
        }
    ],
}
DELIVERY = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "DeliverToTheLogGroup", "Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": [GROUP_ARN, GROUP_ARN + ":*"]}],
}
WANTED = {
    "name": "hc",
    "cidr_block": "10.0.0.0/16",
    "tags": TAGS,
    "flow_log": {
        "destination_type": "cloud-watch-logs",
        "traffic_type": "ALL",
        "max_aggregation_interval": 600,
        "log_group_name": "/hc/vpc-flow-logs",
        "retention_days": 365,
        "s3_bucket_arn": "",
        "role_arn": ROLE_ARN,
        "role_description": "delivers",
        "trust_policy": TRUST,
        "role_policy_name": "flow-log-delivery",
        "role_policy": DELIVERY,
    },
    "resolver": {"name": "hc-inbound", "subnet_ids": ["subnet-p1", "subnet-p2"], "security_group_ids": ["sg-dns"], "protocols": ["Do53"]},
}
CONVERGED = {
    "vpc_id": "vpc-1",
    "vpc": {"id": "vpc-1", "cidr_block": "10.0.0.0/16", "tags": {**TAGS, "Name": "hc"}, "enable_dns_support": True, "enable_dns_hostnames": True},
    "subnets": [
        {"subnet_id": "subnet-p2", "cidr_block": "10.0.16.0/20", "availability_zone": "us-east-1b"},
        {"subnet_id": "subnet-p1", "cidr_block": "10.0.0.0/20", "availability_zone": "us-east-1a"},
        {"subnet_id": "subnet-u1", "cidr_block": "10.0.240.0/24", "availability_zone": "us-east-1a"},
        {"subnet_id": "subnet-u2", "cidr_block": "10.0.241.0/24", "availability_zone": "us-east-1b"},
        {"subnet_id": "subnet-other", "cidr_block": "10.0.100.0/24", "availability_zone": "us-east-1a"},
    ],
    "route_tables": [
        {"route_table_id": "rtb-main", "tags": {}},
        {"route_table_id": "rtb-b", "tags": {"Name": "hc-private-us-east-1b"}},
        {"route_table_id": "rtb-a", "tags": {"Name": "hc-private-us-east-1a"}},
    ],
    "nat_gateways": [{"nat_gateway_id": "nat-2", "subnet_id": "subnet-u2"}, {"nat_gateway_id": "nat-1", "subnet_id": "subnet-u1"}],
    "internet_gateways": [{"internet_gateway_id": "igw-1", "tags": {**TAGS, "Name": "hc-igw"}}],
    "security_groups": [
        {"group_name": "hc-alb", "group_id": "sg-alb"},
        {"group_name": "alb", "group_id": "sg-x"},
        {"group_name": "hc-dns", "group_id": "sg-dns"},
    ],
    "vpc_endpoints": [],
    "flow_logs": [
        {"flow_log_id": "fl-other", "tags": {"Name": "other"}},
        {
            "flow_log_id": "fl-1",
            "resource_id": "vpc-1",
            "traffic_type": "ALL",
            "log_destination_type": "cloud-watch-logs",
            "log_group_name": "/hc/vpc-flow-logs",
            "log_destination": GROUP_ARN + ":*",
            "deliver_logs_permission_arn": ROLE_ARN,
            "max_aggregation_interval": 600,
            "log_format": "${version}",
            "tags": {**TAGS, "Name": "hc"},
        },
    ],
    "log_group": {"log_group_name": "/hc/vpc-flow-logs", "arn": GROUP_ARN, "retention_in_days": 365, "kms_key_id": None, "tags": TAGS},
    "iam_role": {
        "role_name": "hc-vpc-flow-logs",
        "arn": ROLE_ARN,
        "description": "delivers",
        # As IAM answers it: no Version order guarantees, a single statement, conditions in another order.
        "assume_role_policy_document": {"Statement": [dict(reversed(list(TRUST["Statement"][0].items())))], "Version": "2012-10-17"},
        "tags": TAGS,
        "attached_policy_arns": [],
        "inline_policies": {"flow-log-delivery": DELIVERY},
    },
    "resolver_endpoint": {
        "id": "rslvr-in-1",
        "direction": "INBOUND",
        "security_group_ids": ["sg-dns"],
        "protocols": ["Do53"],
        "ip_addresses": [{"subnet_id": "subnet-p2", "ip": "10.0.16.5"}, {"subnet_id": "subnet-p1", "ip": "10.0.0.5"}],
        "tags": {**TAGS, "Name": "hc-inbound"},
    },
    "account": ACCOUNT,
    "partition": "aws",
}
NOTHING = {
    "vpc": [],
    "internet_gateway": [],
    "log_group": [],
    "flow_log_role": [],
    "flow_log_role_policy": [],
    "flow_log": [],
    "resolver_endpoint": [],
}


def changed(**changes):
    """CONVERGED with changes applied: {"vpc.tags": {...}} sets layer["vpc"]["tags"]."""
    layer = copy.deepcopy(CONVERGED)
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = layer
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return layer


def test_a_converged_layer_needs_no_write():
    assert network_layer_writes(CONVERGED, WANTED) == NOTHING


def test_an_empty_read_needs_every_write():
    layer = {"vpc_id": "", "vpc": {}, "flow_logs": [], "internet_gateways": [], "log_group": {}, "iam_role": {}, "resolver_endpoint": {}}
    assert network_layer_writes(layer, WANTED) == {key: ["missing"] for key in NOTHING}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"vpc__tags": {"Name": "hc"}}, {"vpc": ["tags"]}),
        ({"vpc__enable_dns_hostnames": False, "vpc__enable_dns_support": False}, {"vpc": ["dns_support", "dns_hostnames"]}),
        ({"internet_gateways": []}, {"internet_gateway": ["missing"]}),
        ({"internet_gateways__0__tags": {"Name": "hc-igw"}}, {"internet_gateway": ["tags"]}),
        ({"log_group__retention_in_days": None}, {"log_group": ["retention"]}),
        ({"log_group__tags": {}}, {"log_group": ["tags"]}),
        # A log group that must be created also needs its policy (its ARN is only known then).
        ({"log_group": {}}, {"log_group": ["missing"], "flow_log_role_policy": ["missing"]}),
        ({"iam_role__description": "other"}, {"flow_log_role": ["description"]}),
        ({"iam_role__attached_policy_arns": ["arn:aws:iam::aws:policy/Admin"]}, {"flow_log_role": ["managed_policies"]}),
        ({"iam_role__assume_role_policy_document": {"Version": "2012-10-17", "Statement": []}}, {"flow_log_role": ["trust_policy"]}),
        ({"iam_role__tags": {}}, {"flow_log_role": ["tags"]}),
        ({"iam_role__inline_policies": {"flow-log-delivery": None}}, {"flow_log_role_policy": ["missing"]}),
        ({"iam_role__inline_policies": {"flow-log-delivery": {**DELIVERY, "Statement": []}}}, {"flow_log_role_policy": ["policy"]}),
        ({"flow_logs__1__traffic_type": "REJECT"}, {"flow_log": ["traffic_type"]}),
        ({"flow_logs__1__max_aggregation_interval": 60, "flow_logs__1__tags": {"Name": "hc"}}, {"flow_log": ["max_aggregation_interval", "tags"]}),
        ({"flow_logs__0__tags": {"Name": "hc"}}, {"flow_log": ["several"]}),
        ({"flow_logs": []}, {"flow_log": ["missing"]}),
        ({"resolver_endpoint__ip_addresses": [{"subnet_id": "subnet-p1", "ip": "10.0.0.5"}]}, {"resolver_endpoint": ["ip_addresses"]}),
        (
            {"resolver_endpoint__ip_addresses": [{"subnet_id": "subnet-p1", "ip": "10.0.0.5"}, {"subnet_id": "subnet-p1", "ip": "10.0.0.6"}]},
            {"resolver_endpoint": ["ip_addresses"]},
        ),
        (
            {"resolver_endpoint__security_group_ids": ["sg-x"], "resolver_endpoint__protocols": ["Do53", "DoH"]},
            {"resolver_endpoint": ["security_groups", "protocols"]},
        ),
        ({"resolver_endpoint__direction": "OUTBOUND", "resolver_endpoint__tags": {}}, {"resolver_endpoint": ["direction", "tags"]}),
        ({"resolver_endpoint": {}}, {"resolver_endpoint": ["missing"]}),
    ],
)
def test_each_difference_is_named(changes, expected):
    assert network_layer_writes(changed(**changes), WANTED) == {**NOTHING, **expected}


def test_a_role_arn_that_differs_recreates_the_flow_log():
    wanted = copy.deepcopy(WANTED)
    wanted["flow_log"]["role_arn"] = f"arn:aws:iam::{ACCOUNT}:role/other"
    assert network_layer_writes(CONVERGED, wanted) == {**NOTHING, "flow_log": ["deliver_logs_permission_arn"]}


def test_an_endpoint_without_protocols_serves_do53():
    layer = copy.deepcopy(CONVERGED)
    del layer["resolver_endpoint"]["protocols"]
    assert network_layer_writes(layer, WANTED) == NOTHING


def test_s3_destination_compares_the_flow_log_only():
    wanted = copy.deepcopy(WANTED)
    wanted["flow_log"].update(destination_type="s3", s3_bucket_arn="arn:aws:s3:::logs/vpc/")
    layer = changed(
        flow_logs__1={
            "flow_log_id": "fl-1",
            "resource_id": "vpc-1",
            "traffic_type": "ALL",
            "log_destination_type": "s3",
            "log_destination": "arn:aws:s3:::logs/vpc/",
            "max_aggregation_interval": 600,
            "tags": {**TAGS, "Name": "hc"},
        },
        log_group={},
        iam_role={},
    )
    assert network_layer_writes(layer, wanted) == NOTHING
    wanted["flow_log"]["s3_bucket_arn"] = "arn:aws:s3:::other/"
    assert network_layer_writes(layer, wanted)["flow_log"] == ["log_destination"]


def test_nothing_managed_is_never_written():
    wanted = dict(WANTED, flow_log="", resolver=None)
    layer = changed(flow_logs=[], log_group={}, iam_role={}, resolver_endpoint={})
    assert network_layer_writes(layer, wanted) == NOTHING


SPECS = [{"key": "alb"}, {"key": "tasks"}, {"key": "dns"}]


def test_ids_found_in_the_read_in_zone_order():
    ids = network_layer_ids(CONVERGED, "hc", ["10.0.240.0/24", "10.0.241.0/24"], ["10.0.0.0/20", "10.0.16.0/20"], SPECS)
    assert ids == {
        "vpc_id": "vpc-1",
        "public_subnet_ids": ["subnet-u1", "subnet-u2"],
        "private_subnet_ids": ["subnet-p1", "subnet-p2"],
        "private_route_table_ids": ["rtb-a", "rtb-b"],
        "nat_gateway_ids": ["nat-1", "nat-2"],
        "internet_gateway_id": "igw-1",
        # Only groups named NAME-KEY; tasks does not exist.
        "security_group_ids": {"alb": "sg-alb", "dns": "sg-dns"},
        "flow_log_id": "fl-1",
        "resolver_endpoint_id": "rslvr-in-1",
        "resolver_ips": ["10.0.0.5", "10.0.16.5"],
    }


def test_ids_of_what_is_missing_are_left_out():
    layer = changed(
        route_tables=[CONVERGED["route_tables"][2]], nat_gateways=[CONVERGED["nat_gateways"][0]], internet_gateways=[], flow_logs=[], resolver_endpoint={}
    )
    ids = network_layer_ids(layer, "hc", ["10.0.240.0/24", "10.0.241.0/24", "10.0.242.0/24"], ["10.0.0.0/20", "10.0.16.0/20"], SPECS)
    assert ids["public_subnet_ids"] == ["subnet-u1", "subnet-u2"]
    assert (ids["private_route_table_ids"], ids["nat_gateway_ids"], ids["internet_gateway_id"]) == (["rtb-a"], ["nat-2"], "")
    assert (ids["flow_log_id"], ids["resolver_endpoint_id"], ids["resolver_ips"]) == ("", "", [])


def test_ids_of_an_empty_read():
    assert network_layer_ids({"vpc_id": "", "vpc": {}}, "hc", ["10.0.240.0/24"], ["10.0.0.0/20"]) == {
        "vpc_id": "",
        "public_subnet_ids": [],
        "private_subnet_ids": [],
        "private_route_table_ids": [],
        "nat_gateway_ids": [],
        "internet_gateway_id": "",
        "security_group_ids": {},
        "flow_log_id": "",
        "resolver_endpoint_id": "",
        "resolver_ips": [],
    }
