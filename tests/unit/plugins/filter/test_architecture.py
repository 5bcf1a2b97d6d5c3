"""hybrid_active_path / architecture_graph: the active hybrid path and the graph of the deployed architecture, from
what the info modules read back. The shapes below are trimmed answers of those modules against the lab emulator."""

import copy
import html
import re
import shutil
import subprocess

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.architecture_graph import FilterModule as GraphFilters
from ansible_collections.hybridcloud.aws.plugins.filter.hybrid_active_path import FilterModule as PathFilters

active_path = PathFilters().filters()["hybrid_active_path"]
architecture_graph = GraphFilters().filters()["architecture_graph"]

VIF = {
    "virtual_interface_id": "dxvif-fgq7rxfv",
    "virtual_interface_name": "hybridcloud-private-vif",
    "virtual_interface_state": "available",
    "connection_id": "dxcon-fh6ayh1d",
    "direct_connect_gateway_id": "5f294f92-bafb-4011-916d-9b0bEXAMPLE",
    "location": "EqDC2",
    "vlan": 120,
    "bgp_peers": [{"bgp_status": "up", "bgp_peer_state": "available"}],
}
VPN = {
    "vpn_connection_id": "vpn-0a1b2c3d",
    "state": "available",
    "customer_gateway_id": "cgw-0a1b2c3d",
    "vpn_gateway_id": "vgw-0a1b2c3d",
    "vgw_telemetry": [{"status": "UP", "outside_ip_address": "203.0.113.1"}, {"status": "DOWN", "outside_ip_address": "203.0.113.2"}],
    "routes": [{"destination_cidr_block": "192.168.20.0/24", "state": "available"}, {"destination_cidr_block": "192.168.10.0/24", "state": "available"}],
    "options": {"tunnel_options": [{"pre_shared_key": "never.shown.key"}]},
}


def down(vif):
    return {**vif, "virtual_interface_state": "down", "bgp_peers": [{"bgp_status": "down"}]}


@pytest.mark.parametrize(
    ("vifs", "vpns", "expected"),
    [
        ([VIF], [VPN], "direct_connect"),
        ([down(VIF)], [VPN], "vpn"),
        ([{**VIF, "bgp_peers": [{"bgp_status": "down"}]}], [VPN], "vpn"),
        ([down(VIF)], [{**VPN, "vgw_telemetry": [{"status": "DOWN"}, {"status": "DOWN"}]}], "none"),
        ([], [], "none"),
        ([{**VIF, "virtual_interface_state": "deleted"}], [], "none"),
        ([], [{**VPN, "state": "pending"}], "none"),
        # A deleted interface AWS still lists does not hide the live one; a deleted VPN connection neither.
        ([{**VIF, "virtual_interface_id": "dxvif-old", "virtual_interface_state": "deleted"}, VIF], [], "direct_connect"),
        ([], [{**VPN, "vpn_connection_id": "vpn-old", "state": "deleted"}, VPN], "vpn"),
    ],
)
def test_active_path(vifs, vpns, expected):
    assert active_path(vifs, vpns)["active_path"] == expected


def test_path_report_names_both_paths_and_carries_no_secret():
    report = active_path([down(VIF)], [VPN])
    assert report["direct_connect"] == {
        "virtual_interface_id": "dxvif-fgq7rxfv",
        "name": "hybridcloud-private-vif",
        "state": "down",
        "bgp": ["down"],
        "connection_id": "dxcon-fh6ayh1d",
        "direct_connect_gateway_id": "5f294f92-bafb-4011-916d-9b0bEXAMPLE",
        "virtual_gateway_id": "",
        "location": "EqDC2",
        "vlan": 120,
    }
    assert report["vpn"] == {
        "vpn_connection_id": "vpn-0a1b2c3d",
        "state": "available",
        "tunnels": ["UP", "DOWN"],
        "customer_gateway_id": "cgw-0a1b2c3d",
        "vpn_gateway_id": "vgw-0a1b2c3d",
        "routes": ["192.168.10.0/24", "192.168.20.0/24"],
    }
    assert "never.shown.key" not in repr(report)
    assert report["summary"] == (
        "Active path to on-premises: vpn (Direct Connect dxvif-fgq7rxfv down, BGP down; "
        "VPN vpn-0a1b2c3d available, tunnels UP/DOWN, routes 192.168.10.0/24, 192.168.20.0/24)"
    )
    assert active_path([])["vpn"]["state"] == "absent"
    assert active_path([])["summary"] == "Active path to on-premises: none (Direct Connect - absent, BGP -; VPN - absent, tunnels -, routes -)"


FACTS = {
    "title": "hybridcloud-lab",
    "region": "us-east-1",
    "vpc": {"vpc_id": "vpc-1", "cidr_block": "10.40.0.0/16", "state": "available", "tags": {"Name": "hybridcloud-lab"}},
    "subnets": [
        {"subnet_id": "subnet-pub-a", "availability_zone": "us-east-1a", "cidr_block": "10.40.240.0/24", "tags": {"Tier": "public"}},
        {"subnet_id": "subnet-priv-a", "availability_zone": "us-east-1a", "cidr_block": "10.40.0.0/20", "tags": {"Tier": "private"}},
        {"subnet_id": "subnet-pub-b", "availability_zone": "us-east-1b", "cidr_block": "10.40.241.0/24", "tags": {"Tier": "public"}},
        {"subnet_id": "subnet-priv-b", "availability_zone": "us-east-1b", "cidr_block": "10.40.16.0/20", "tags": {"Tier": "private"}},
    ],
    "nat_gateways": [
        {"nat_gateway_id": "nat-a", "subnet_id": "subnet-pub-a", "state": "available"},
        {"nat_gateway_id": "nat-b", "subnet_id": "subnet-pub-b", "state": "available"},
    ],
    "vpn_gateways": [{"vpn_gateway_id": "vgw-0a1b2c3d", "state": "available", "tags": [{"key": "Name", "value": "hybridcloud-lab-vgw"}]}],
    "hybrid": active_path([VIF], [VPN]),
    "cluster": "hybridcloud-lab",
    "capacity_providers": [
        {
            "name": "hybridcloud-lab-ec2",
            "status": "ACTIVE",
            "auto_scaling_group_provider": {
                "auto_scaling_group_arn": "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:4ff0:autoScalingGroupName/hybridcloud-lab-ecs",
                "managed_scaling": {"status": "ENABLED"},
            },
        }
    ],
    "auto_scaling_groups": [{"auto_scaling_group_name": "hybridcloud-lab-ecs", "desired_capacity": 1, "min_size": 1, "max_size": 3, "instances": [{}]}],
    "container_instances": [
        {"ec2_instance_id": "mi-1", "external": True, "status": "ACTIVE", "running_tasks_count": 1},
        {"ec2_instance_id": "mi-2", "external": True, "status": "ACTIVE", "running_tasks_count": 1},
        {"ec2_instance_id": "i-1", "external": False, "status": "ACTIVE", "running_tasks_count": 3},
    ],
    "services": [
        {"serviceName": "onprem-web", "status": "ACTIVE", "launchType": "EXTERNAL", "desiredCount": 2, "runningCount": 2, "loadBalancers": []},
        {
            "serviceName": "web",
            "status": "ACTIVE",
            "capacityProviderStrategy": [{"capacityProvider": "hybridcloud-lab-ec2"}],
            "desiredCount": 2,
            "runningCount": 2,
            "loadBalancers": [{"targetGroupArn": "arn:tg"}],
        },
    ],
    "load_balancers": [{"load_balancer_name": "hybridcloud-lab-internal", "scheme": "internal", "state": {"code": "active"}, "availability_zones": []}],
    "db_instances": [{"db_instance_identifier": "hybridcloud-lab-postgres", "engine": "postgres", "multi_az": True, "db_instance_status": "available"}],
    "buckets": [{"name": "hybridcloud-lab-file-share"}],
    "gateways": [
        {
            "gateway_id": "sgw-08D989CF",
            "gateway_name": "hybridcloud-lab-gateway",
            "gateway_operational_state": "ACTIVE",
            "file_shares": [{"file_share_id": "share-A77A6E36", "file_share_type": "NFS", "file_share_status": "AVAILABLE"}],
        }
    ],
    "managed_instances": [
        {"instance_id": "mi-1", "computer_name": "onprem-app-1", "ping_status": "Online", "ip_address": "10.254.0.211"},
        {"instance_id": "mi-2", "computer_name": "onprem-app-2", "ping_status": "Online", "ip_address": "10.254.0.212"},
        {"instance_id": "mi-3", "computer_name": "onprem-db-1", "ping_status": "ConnectionLost", "ip_address": "10.254.0.213"},
    ],
    "backup_plans": [
        {
            "backup_plan_name": "hybridcloud",
            "backup_plan": {
                "rules": [
                    {
                        "rule_name": "daily",
                        "target_backup_vault_name": "hybridcloud-lab",
                        "copy_actions": [{"destination_backup_vault_arn": "arn:aws:backup:us-west-2:123456789012:backup-vault:hybridcloud-lab-dr"}],
                    }
                ]
            },
        }
    ],
    "dr_region": "us-west-2",
    "dr_vaults": [{"backup_vault_name": "hybridcloud-lab-dr", "backup_vault_arn": "arn:aws:backup:us-west-2:123456789012:backup-vault:hybridcloud-lab-dr"}],
}
RESOURCES = {
    "Network": ["vpc-1", "subnet-priv-a", "subnet-pub-a", "nat-a", "subnet-priv-b", "subnet-pub-b", "nat-b"],
    "Hybrid connectivity": ["vgw-0a1b2c3d", "dxcon-fh6ayh1d", "dxvif-fgq7rxfv", "5f294f92-bafb-4011-916d-9b0bEXAMPLE", "cgw-0a1b2c3d", "vpn-0a1b2c3d"],
    "Compute": ["ecs:hybridcloud-lab", "capacity-provider:hybridcloud-lab-ec2", "asg:hybridcloud-lab-ecs", "i-1", "ecs-service:onprem-web", "ecs-service:web"],
    "Load balancing": ["alb:hybridcloud-lab-internal"],
    "Data": ["rds:hybridcloud-lab-postgres", "s3:hybridcloud-lab-file-share", "sgw-08D989CF", "share-A77A6E36"],
    "On-premises": ["mi-1", "mi-2", "mi-3"],
    "Backup": ["vault:us-west-2:hybridcloud-lab-dr", "backup-plan:hybridcloud", "vault:us-east-1:hybridcloud-lab"],
}


def edges_of(graph):
    return {(edge["source"], edge["target"]): edge for edge in graph["edges"]}


def test_one_node_per_resource_in_report_sections():
    graph = architecture_graph(FACTS)
    assert graph["sections"] == list(RESOURCES)
    for section, ids in RESOURCES.items():
        assert [node["id"] for node in graph["resources"] if node["section"] == section] == ids, section
    assert [node["id"] for node in graph["nodes"]] == ["datacenter"] + [node["id"] for node in graph["resources"]]


def test_groups_place_resources_where_they_live():
    graph = architecture_graph(FACTS)
    group = {node["id"]: node["group"] for node in graph["nodes"]}
    assert (group["subnet-pub-a"], group["nat-b"], group["vgw-0a1b2c3d"], group["rds:hybridcloud-lab-postgres"]) == (
        "zone_us-east-1a",
        "zone_us-east-1b",
        "vpc",
        "vpc",
    )
    assert {group[i] for i in ("mi-1", "mi-3", "sgw-08D989CF", "cgw-0a1b2c3d")} == {"datacenter_group"}
    assert (group["dxvif-fgq7rxfv"], group["vault:us-west-2:hybridcloud-lab-dr"]) == ("dx_location", "dr_region")
    parents = {g["id"]: g["parent"] for g in graph["groups"]}
    assert parents == {
        "region": None,
        "datacenter_group": None,
        "vpc": "region",
        "zone_us-east-1a": "vpc",
        "zone_us-east-1b": "vpc",
        "dx_location": None,
        "dr_region": None,
    }


def test_active_path_marks_its_nodes_and_edges():
    graph = architecture_graph(FACTS)
    edges = edges_of(graph)
    direct_connect = [("datacenter", "dxcon-fh6ayh1d"), ("dxcon-fh6ayh1d", "dxvif-fgq7rxfv"), ("dxvif-fgq7rxfv", "5f294f92-bafb-4011-916d-9b0bEXAMPLE")]
    direct_connect.append(("5f294f92-bafb-4011-916d-9b0bEXAMPLE", "vgw-0a1b2c3d"))
    vpn = [("datacenter", "cgw-0a1b2c3d"), ("cgw-0a1b2c3d", "vpn-0a1b2c3d"), ("vpn-0a1b2c3d", "vgw-0a1b2c3d")]
    assert [(edges[e]["path"], edges[e]["active"]) for e in direct_connect] == [("direct_connect", True)] * 4
    assert [(edges[e]["path"], edges[e]["active"]) for e in vpn] == [("vpn", False)] * 3
    assert graph["active_path"] == "direct_connect"

    failed_over = architecture_graph({**FACTS, "hybrid": active_path([down(VIF)], [VPN])})
    edges = edges_of(failed_over)
    assert [edges[e]["active"] for e in direct_connect + vpn] == [False] * 4 + [True] * 3
    active = {node["id"] for node in failed_over["nodes"] if node["active"]}
    assert active == {"cgw-0a1b2c3d", "vpn-0a1b2c3d"}
    assert '"vpn-0a1b2c3d" -> "vgw-0a1b2c3d" [color="#1a7f37", penwidth=3, class="active_path"];' in failed_over["dot"]
    assert "active path to on-premises vpn" in failed_over["dot"]


def test_services_capacity_and_placement_edges():
    edges = edges_of(architecture_graph(FACTS))
    assert ("ecs-service:web", "capacity-provider:hybridcloud-lab-ec2") in edges
    assert ("alb:hybridcloud-lab-internal", "ecs-service:web") in edges
    assert ("capacity-provider:hybridcloud-lab-ec2", "asg:hybridcloud-lab-ecs") in edges
    assert [edges[("ecs-service:onprem-web", host)]["rank"] for host in ("mi-1", "mi-2")] == [False, False]
    # mi-3 is managed by SSM but no ECS instance of the cluster: nothing is placed on it.
    assert not [pair for pair in edges if pair[1] == "mi-3"]
    assert ("share-A77A6E36", "s3:hybridcloud-lab-file-share") in edges
    assert ("vault:us-east-1:hybridcloud-lab", "vault:us-west-2:hybridcloud-lab-dr") in edges


def test_only_what_was_read_is_drawn():
    graph = architecture_graph({"region": "eu-central-1", "hybrid": active_path([], [])})
    assert (graph["resources"], graph["edges"], graph["sections"], graph["active_path"]) == ([], [], [], "none")
    assert [g["id"] for g in graph["groups"]] == ["datacenter_group"]
    # A DR vault that is not there draws no DR region; a plan's copy to it draws no edge.
    facts = copy.deepcopy(FACTS)
    facts["dr_vaults"] = []
    graph = architecture_graph(facts)
    assert "dr_region" not in [g["id"] for g in graph["groups"]]
    assert not [e for e in graph["edges"] if e["label"] == "copies"]


def test_dot_quotes_names():
    facts = {**FACTS, "title": 'lab "quoted" \\ name', "load_balancers": [{"load_balancer_name": 'odd"name', "state": {}}]}
    dot = architecture_graph(facts)["dot"]
    assert 'label="lab \\"quoted\\" \\\\ name: active path to on-premises direct_connect"' in dot
    assert '"alb:odd\\"name" [label=' in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_draws_a_node_per_resource_and_classes_the_active_path():
    dot = architecture_graph({**FACTS, "hybrid": active_path([down(VIF)], [VPN])})["dot"]
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
    titles = {html.unescape(title) for title in re.findall(r'<g id="node\d+" class="node[^"]*">\s*<title>([^<]*)</title>', svg)}
    assert titles == {"datacenter", *(i for ids in RESOURCES.values() for i in ids)}
    active_edges = {html.unescape(title) for title in re.findall(r'<g id="edge\d+" class="edge active_path">\s*<title>([^<]*)</title>', svg)}
    assert active_edges == {"datacenter->cgw-0a1b2c3d", "cgw-0a1b2c3d->vpn-0a1b2c3d", "vpn-0a1b2c3d->vgw-0a1b2c3d"}
