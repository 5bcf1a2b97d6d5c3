# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The deployed architecture as read back: which hybrid path carries the traffic, and the graph of resources."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# States in which a virtual interface or a VPN connection is gone or going: it is no path at all.
VIF_GONE = ("deleting", "deleted", "rejected")
VPN_GONE = ("deleting", "deleted")


def _first_present(items, state_key, gone):
    present = [item for item in items or [] if item.get(state_key) not in gone]
    return present[0] if present else None


def hybrid_active_path(virtual_interfaces, vpn_connections):
    """Which path to on-premises carries the traffic now, from what directconnect_virtual_interface_info and
    amazon.aws.ec2_vpc_vpn_info read: direct_connect while the virtual interface is available with a BGP peer up,
    else vpn while a tunnel is UP, else none. Carries no secret (no BGP key, no pre-shared key)."""
    vif = _first_present(virtual_interfaces, "virtual_interface_state", VIF_GONE)
    vpn = _first_present(vpn_connections, "state", VPN_GONE)
    bgp = [peer.get("bgp_status", "") for peer in (vif or {}).get("bgp_peers", [])]
    tunnels = [tunnel.get("status", "") for tunnel in (vpn or {}).get("vgw_telemetry", [])]
    dx_state = vif.get("virtual_interface_state", "unknown") if vif else "absent"
    vpn_state = vpn.get("state", "unknown") if vpn else "absent"
    if dx_state == "available" and "up" in bgp:
        active = "direct_connect"
    elif vpn_state == "available" and "UP" in tunnels:
        active = "vpn"
    else:
        active = "none"
    path = {
        "active_path": active,
        "direct_connect": {
            "virtual_interface_id": (vif or {}).get("virtual_interface_id", ""),
            "name": (vif or {}).get("virtual_interface_name", ""),
            "state": dx_state,
            "bgp": bgp,
            "connection_id": (vif or {}).get("connection_id", ""),
            "direct_connect_gateway_id": (vif or {}).get("direct_connect_gateway_id", ""),
            "virtual_gateway_id": (vif or {}).get("virtual_gateway_id", ""),
            "location": (vif or {}).get("location", ""),
            "vlan": (vif or {}).get("vlan"),
        },
        "vpn": {
            "vpn_connection_id": (vpn or {}).get("vpn_connection_id", ""),
            "state": vpn_state,
            "tunnels": tunnels,
            "customer_gateway_id": (vpn or {}).get("customer_gateway_id", ""),
            "vpn_gateway_id": (vpn or {}).get("vpn_gateway_id", ""),
            "routes": sorted(
                route.get("destination_cidr_block", "") for route in (vpn or {}).get("routes", []) if route.get("state", "available") == "available"
            ),
        },
    }
    path["summary"] = _path_summary(path)
    return path


def _path_summary(path):
    """The active path in one line, with what each path looks like now."""
    dx, vpn = path["direct_connect"], path["vpn"]
    return "Active path to on-premises: {0} (Direct Connect {1} {2}, BGP {3}; VPN {4} {5}, tunnels {6}, routes {7})".format(
        path["active_path"],
        dx["virtual_interface_id"] or "-",
        dx["state"],
        "/".join(dx["bgp"]) or "-",
        vpn["vpn_connection_id"] or "-",
        vpn["state"],
        "/".join(vpn["tunnels"]) or "-",
        ", ".join(vpn["routes"]) or "-",
    )


# ---------------------------------------------------------------- the graph of the deployed architecture

# The report's sections, in the order the Markdown lists them.
SECTIONS = ("Network", "Hybrid connectivity", "Compute", "Load balancing", "Data", "On-premises", "Backup")
# How the diagram draws each kind of resource.
SHAPES = {
    "vpc": "box3d",
    "subnet": "box",
    "nat_gateway": "octagon",
    "vpn_gateway": "doubleoctagon",
    "dx_connection": "cds",
    "virtual_interface": "rarrow",
    "dx_gateway": "doubleoctagon",
    "customer_gateway": "house",
    "vpn_connection": "rarrow",
    "ecs_cluster": "component",
    "capacity_provider": "component",
    "auto_scaling_group": "box3d",
    "container_instance": "box",
    "service": "ellipse",
    "load_balancer": "invtrapezium",
    "db_instance": "cylinder",
    "bucket": "cylinder",
    "file_gateway": "box3d",
    "file_share": "folder",
    "managed_instance": "box",
    "backup_plan": "note",
    "backup_vault": "cylinder",
}
ACTIVE_COLOR = "#1a7f37"
STANDBY_COLOR = "#8c959f"


def _dot_quote(value):
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _name_tag(tags):
    if isinstance(tags, dict):
        return tags.get("Name", "")
    return next((tag.get("value", tag.get("Value", "")) for tag in tags or [] if tag.get("key", tag.get("Key")) == "Name"), "")


def _last(arn, separator="/"):
    return str(arn).rsplit(separator, 1)[-1]


class _Graph:
    def __init__(self):
        self.nodes = []
        self.edges = []
        self.groups = []
        self._ids = set()

    def group(self, group_id, label, parent=None):
        self.groups.append({"id": group_id, "label": label, "parent": parent})

    def node(self, node_id, kind, section, label, *, group=None, state="", details="", active=None):
        if not node_id or node_id in self._ids:
            return
        self._ids.add(node_id)
        self.nodes.append(
            {"id": node_id, "kind": kind, "section": section, "label": label, "group": group, "state": state, "details": details, "active": active}
        )

    def edge(self, source, target, label="", *, path=None, active=None, rank=True):
        """rank=False: the edge does not pull its ends into ranks (AWS to the data center, drawn right to left)."""
        if source in self._ids and target in self._ids:
            self.edges.append({"source": source, "target": target, "label": label, "path": path, "active": active, "rank": rank})


def _network(graph, facts, vpc_group):
    vpc = facts.get("vpc") or {}
    if not vpc:
        return
    vpc_id = vpc.get("vpc_id") or vpc.get("id")
    graph.group(vpc_group, f"VPC {_name_tag(vpc.get('tags'))} {vpc.get('cidr_block', '')}", "region")
    graph.node(vpc_id, "vpc", "Network", f"VPC\n{vpc.get('cidr_block', '')}", group=vpc_group, state=vpc.get("state", ""), details=_name_tag(vpc.get("tags")))
    nats_by_subnet = {}
    for nat in facts.get("nat_gateways") or []:
        nats_by_subnet.setdefault(nat.get("subnet_id"), []).append(nat)
    for subnet in sorted(facts.get("subnets") or [], key=lambda s: (s.get("availability_zone", ""), s.get("cidr_block", ""))):
        zone = subnet.get("availability_zone", "")
        zone_group = f"zone_{zone}"
        if zone_group not in [group["id"] for group in graph.groups]:
            graph.group(zone_group, zone, vpc_group)
        tier = (subnet.get("tags") or {}).get("Tier", "") if isinstance(subnet.get("tags"), dict) else ""
        subnet_id = subnet.get("subnet_id") or subnet.get("id")
        graph.node(
            subnet_id,
            "subnet",
            "Network",
            f"{tier or 'subnet'} subnet\n{subnet.get('cidr_block', '')}",
            group=zone_group,
            state=subnet.get("state", ""),
            details=f"{zone} {tier}".strip(),
        )
        for nat in nats_by_subnet.get(subnet_id, []):
            graph.node(
                nat["nat_gateway_id"], "nat_gateway", "Network", "NAT gateway", group=zone_group, state=nat.get("state", ""), details=f"{zone}, in {subnet_id}"
            )
            graph.edge(nat["nat_gateway_id"], subnet_id, "in")
    for vgw in facts.get("vpn_gateways") or []:
        graph.node(
            vgw["vpn_gateway_id"],
            "vpn_gateway",
            "Hybrid connectivity",
            "virtual private gateway",
            group=vpc_group,
            state=vgw.get("state", ""),
            details=_name_tag(vgw.get("tags")),
        )
        graph.edge(vgw["vpn_gateway_id"], vpc_id, "attached")


def _hybrid(graph, facts, vpc_group):
    hybrid = facts.get("hybrid") or {}
    active = hybrid.get("active_path", "none")
    dx = hybrid.get("direct_connect") or {}
    vpn = hybrid.get("vpn") or {}
    vgw_id = vpn.get("vpn_gateway_id") or dx.get("virtual_gateway_id") or next((v["vpn_gateway_id"] for v in facts.get("vpn_gateways") or []), "")
    if vgw_id:
        graph.node(vgw_id, "vpn_gateway", "Hybrid connectivity", "virtual private gateway", group=vpc_group)
    if dx.get("virtual_interface_id"):
        on = active == "direct_connect"
        graph.group("dx_location", f"Direct Connect location {dx.get('location', '')}".strip(), None)
        graph.node(
            dx.get("connection_id"),
            "dx_connection",
            "Hybrid connectivity",
            "Direct Connect port",
            group="dx_location",
            state="",
            details=dx.get("location", ""),
            active=on,
        )
        graph.node(
            dx["virtual_interface_id"],
            "virtual_interface",
            "Hybrid connectivity",
            f"private VIF VLAN {dx.get('vlan', '')}\nBGP {','.join(dx.get('bgp') or []) or '-'}",
            group="dx_location",
            state=dx.get("state", ""),
            details=dx.get("name", ""),
            active=on,
        )
        graph.node(
            dx.get("direct_connect_gateway_id"), "dx_gateway", "Hybrid connectivity", "Direct Connect gateway", group=None, state="", details="", active=on
        )
        graph.edge("datacenter", dx.get("connection_id"), "cross-connect", path="direct_connect", active=on)
        graph.edge(dx.get("connection_id"), dx["virtual_interface_id"], "", path="direct_connect", active=on)
        graph.edge(dx["virtual_interface_id"], dx.get("direct_connect_gateway_id"), "", path="direct_connect", active=on)
        graph.edge(dx.get("direct_connect_gateway_id"), vgw_id, "association", path="direct_connect", active=on)
    if vpn.get("vpn_connection_id"):
        on = active == "vpn"
        graph.node(
            vpn.get("customer_gateway_id"),
            "customer_gateway",
            "Hybrid connectivity",
            "customer gateway (VPN device)",
            group="datacenter_group",
            state="",
            details="",
            active=on,
        )
        tunnels = " ".join(vpn.get("tunnels") or []) or "-"
        graph.node(
            vpn["vpn_connection_id"],
            "vpn_connection",
            "Hybrid connectivity",
            f"Site-to-Site VPN\ntunnels {tunnels}",
            group=None,
            state=vpn.get("state", ""),
            details=", ".join(vpn.get("routes") or []),
            active=on,
        )
        graph.edge(vpn.get("customer_gateway_id"), vpn["vpn_connection_id"], "IPsec", path="vpn", active=on)
        graph.edge(vpn["vpn_connection_id"], vpn.get("vpn_gateway_id") or vgw_id, "", path="vpn", active=on)


def _compute(graph, facts, vpc_group):
    cluster = facts.get("cluster") or ""
    services = facts.get("services") or []
    providers = facts.get("capacity_providers") or []
    instances = facts.get("container_instances") or []
    if not (services or providers or instances):
        return
    cluster_id = f"ecs:{cluster}"
    graph.node(
        cluster_id,
        "ecs_cluster",
        "Compute",
        f"ECS cluster\n{cluster}",
        group="region",
        state="",
        details=f"{len(services)} service(s), {len(instances)} container instance(s)",
    )
    groups = {group.get("auto_scaling_group_name"): group for group in facts.get("auto_scaling_groups") or []}
    for provider in providers:
        provider_id = f"capacity-provider:{provider['name']}"
        scaling = ((provider.get("auto_scaling_group_provider") or {}).get("managed_scaling") or {}).get("status", "")
        graph.node(
            provider_id,
            "capacity_provider",
            "Compute",
            f"capacity provider\n{provider['name']}",
            group=vpc_group,
            state=provider.get("status", ""),
            details=f"managed scaling {scaling}",
        )
        graph.edge(cluster_id, provider_id, "EC2 capacity")
        group_name = _last((provider.get("auto_scaling_group_provider") or {}).get("auto_scaling_group_arn", ""), "autoScalingGroupName/")
        group = groups.get(group_name)
        if group is not None:
            bounds = f"{group.get('min_size', '?')}-{group.get('max_size', '?')}"
            size = f"{len(group.get('instances') or [])} instance(s), desired {group.get('desired_capacity', '?')} ({bounds})"
            graph.node(
                f"asg:{group_name}",
                "auto_scaling_group",
                "Compute",
                f"Auto Scaling group\n{size}",
                group=vpc_group,
                state=group.get("status") or "",
                details=group_name,
            )
            graph.edge(provider_id, f"asg:{group_name}", "scales")
    managed = {instance.get("instance_id"): instance for instance in facts.get("managed_instances") or []}
    for instance in instances:
        instance_id = instance.get("ec2_instance_id") or instance.get("container_instance_id")
        tasks = f"{instance.get('running_tasks_count', 0)} running task(s)"
        if instance.get("external"):
            host = managed.get(instance_id, {})
            graph.node(
                instance_id,
                "managed_instance",
                "On-premises",
                f"{host.get('computer_name') or 'on-prem host'}\n{tasks}",
                group="datacenter_group",
                state=instance.get("status", ""),
                details=f"ECS external instance, {tasks}; SSM {host.get('ping_status', 'not registered')}",
            )
            graph.edge(cluster_id, instance_id, "ECS Anywhere", rank=False)
        else:
            graph.node(
                instance_id,
                "container_instance",
                "Compute",
                f"EC2 container instance\n{tasks}",
                group=vpc_group,
                state=instance.get("status", ""),
                details=tasks,
            )
            graph.edge(cluster_id, instance_id, "")
    external_hosts = [i.get("ec2_instance_id") for i in instances if i.get("external") and i.get("status") == "ACTIVE"]
    for service in services:
        name = service.get("serviceName", "")
        service_id = f"ecs-service:{name}"
        strategy = [entry.get("capacityProvider") for entry in service.get("capacityProviderStrategy") or []]
        placement = service.get("launchType") or ",".join(strategy) or "-"
        counts = f"running {service.get('runningCount', 0)}/{service.get('desiredCount', 0)}"
        group = "region" if service.get("launchType") == "EXTERNAL" else vpc_group
        graph.node(
            service_id,
            "service",
            "Compute",
            f"service {name}\n{counts}",
            group=group,
            state=service.get("status", ""),
            details=f"{placement}, {counts}, pending {service.get('pendingCount', 0)}",
        )
        graph.edge(cluster_id, service_id, "")
        for provider in strategy:
            graph.edge(service_id, f"capacity-provider:{provider}", "placed on")
        if service.get("launchType") == "EXTERNAL":
            for host in external_hosts:
                graph.edge(service_id, host, "placed on", rank=False)


def _load_balancing(graph, facts, vpc_group):
    for balancer in facts.get("load_balancers") or []:
        balancer_id = f"alb:{balancer['load_balancer_name']}"
        zones = ", ".join(zone.get("zone_name", "") for zone in balancer.get("availability_zones") or [])
        graph.node(
            balancer_id,
            "load_balancer",
            "Load balancing",
            f"{balancer.get('scheme', '')} ALB\n{balancer['load_balancer_name']}",
            group=vpc_group,
            state=(balancer.get("state") or {}).get("code", ""),
            details=f"{balancer.get('dns_name', '')} ({zones})",
        )
        for service in facts.get("services") or []:
            if service.get("loadBalancers"):
                graph.edge(balancer_id, f"ecs-service:{service.get('serviceName', '')}", "target group")


def _data(graph, facts, vpc_group):
    for db in facts.get("db_instances") or []:
        storage = f"{db.get('allocated_storage', '?')}-{db.get('max_allocated_storage', '-')} GiB"
        graph.node(
            f"rds:{db['db_instance_identifier']}",
            "db_instance",
            "Data",
            f"RDS {db.get('engine', '')} {db.get('engine_version', '')}\n{'Multi-AZ' if db.get('multi_az') else 'Single-AZ'}",
            group=vpc_group,
            state=db.get("db_instance_status", ""),
            details=f"{db.get('db_instance_class', '')}, {storage}",
        )
    for bucket in facts.get("buckets") or []:
        graph.node(f"s3:{bucket['name']}", "bucket", "Data", f"S3 bucket\n{bucket['name']}", group="region", state="", details="")
    for gateway in facts.get("gateways") or []:
        gateway_id = gateway.get("gateway_id") or _last(gateway.get("gateway_arn", ""))
        graph.node(
            gateway_id,
            "file_gateway",
            "Data",
            f"S3 File Gateway\n{gateway.get('gateway_name', '')}",
            group="datacenter_group",
            state=gateway.get("gateway_operational_state", ""),
            details=gateway.get("gateway_name", ""),
        )
        for share in gateway.get("file_shares") or []:
            share_id = share.get("file_share_id") or _last(share.get("file_share_arn", ""))
            graph.node(
                share_id,
                "file_share",
                "Data",
                f"{share.get('file_share_type', '')} file share",
                group="datacenter_group",
                state=share.get("file_share_status", ""),
                details=gateway_id,
            )
            graph.edge(gateway_id, share_id, "exports")
            for bucket in facts.get("buckets") or []:
                graph.edge(share_id, f"s3:{bucket['name']}", "uploads to")


def _onprem(graph, facts):
    for host in facts.get("managed_instances") or []:
        graph.node(
            host["instance_id"],
            "managed_instance",
            "On-premises",
            f"{host.get('computer_name') or 'on-prem host'}\n{host.get('ip_address', '')}",
            group="datacenter_group",
            state=host.get("ping_status", ""),
            details=f"SSM managed instance {host.get('ip_address', '')}, not an ECS instance of the cluster",
        )


def _backup(graph, facts):
    dr_region = facts.get("dr_region") or ""
    dr_vaults = {vault.get("backup_vault_arn"): vault for vault in facts.get("dr_vaults") or []}
    if dr_vaults:
        graph.group("dr_region", f"AWS {dr_region} (disaster recovery)", None)
    for vault in dr_vaults.values():
        graph.node(
            f"vault:{dr_region}:{vault['backup_vault_name']}",
            "backup_vault",
            "Backup",
            f"DR backup vault\n{vault['backup_vault_name']}",
            group="dr_region",
            state="",
            details=dr_region,
        )
    for plan in facts.get("backup_plans") or []:
        plan_id = f"backup-plan:{plan.get('backup_plan_name', '')}"
        rules = (plan.get("backup_plan") or {}).get("rules") or []
        graph.node(
            plan_id,
            "backup_plan",
            "Backup",
            f"backup plan {plan.get('backup_plan_name', '')}\n{len(rules)} rule(s)",
            group="region",
            state="",
            details=", ".join(r.get("rule_name", "") for r in rules),
        )
        for rule in rules:
            vault_name = rule.get("target_backup_vault_name", "")
            vault_id = f"vault:{facts.get('region', '')}:{vault_name}"
            graph.node(vault_id, "backup_vault", "Backup", f"backup vault\n{vault_name}", group="region", state="", details=facts.get("region", ""))
            graph.edge(plan_id, vault_id, "")
            for copy in rule.get("copy_actions") or []:
                arn = copy.get("destination_backup_vault_arn", "")
                if arn in dr_vaults:
                    graph.edge(vault_id, f"vault:{dr_region}:{dr_vaults[arn]['backup_vault_name']}", "copies")


def _deduplicated_edges(edges):
    seen, kept = set(), []
    for edge in edges:
        key = (edge["source"], edge["target"], edge["label"])
        if key not in seen:
            seen.add(key)
            kept.append(edge)
    return kept


def _dot(graph, title, active):
    lines = [
        "digraph architecture {",
        f"  graph [label={_dot_quote(f'{title}: active path to on-premises {active}')}, labelloc=t, rankdir=LR, fontname=Helvetica, compound=true];",
        "  node [fontname=Helvetica, fontsize=10, style=filled, fillcolor=white];",
        "  edge [fontname=Helvetica, fontsize=9];",
    ]
    children = {}
    for node in graph.nodes:
        children.setdefault(node["group"], []).append(node)
    subgroups = {}
    for group in graph.groups:
        subgroups.setdefault(group["parent"], []).append(group)

    def node_line(node, indent):
        text = node["label"] + "\n" + node["id"] + (" [" + node["state"] + "]" if node["state"] else "")
        attributes = ["label=" + _dot_quote(text)]
        attributes.append(f"shape={SHAPES.get(node['kind'], 'box')}")
        if node["active"] is True:
            attributes += [f'color="{ACTIVE_COLOR}"', "penwidth=3", 'class="active_path"']
        elif node["active"] is False:
            attributes += [f'color="{STANDBY_COLOR}"', 'style="filled,dashed"', 'class="standby_path"']
        return f"{indent}{_dot_quote(node['id'])} [{', '.join(attributes)}];"

    def emit(group_id, indent):
        for node in children.get(group_id, []):
            lines.append(node_line(node, indent))
        for group in subgroups.get(group_id, []):
            lines.append(f"{indent}subgraph {_dot_quote('cluster_' + group['id'])} {{")
            lines.append(f"{indent}  label={_dot_quote(group['label'])}; style=rounded;")
            emit(group["id"], indent + "  ")
            lines.append(f"{indent}}}")

    emit(None, "  ")
    for edge in graph.edges:
        attributes = [f"label={_dot_quote(edge['label'])}"] if edge["label"] else []
        if not edge["rank"]:
            attributes.append("constraint=false")
        if edge["active"] is True:
            attributes += [f'color="{ACTIVE_COLOR}"', "penwidth=3", 'class="active_path"']
        elif edge["active"] is False:
            attributes += [f'color="{STANDBY_COLOR}"', "style=dashed", 'class="standby_path"']
        lines.append(f"  {_dot_quote(edge['source'])} -> {_dot_quote(edge['target'])}" + (f" [{', '.join(attributes)}];" if attributes else ";"))
    lines.append("}")
    return "\n".join(lines) + "\n"


def architecture_graph(facts):
    """The graph of what was read back: nodes (one per resource, its id, kind, report section, label, group, state,
    details and, on the hybrid paths, whether the path is the active one), edges, the nested groups (region, VPC,
    zones, data center, Direct Connect location, DR region), the active path and the Graphviz DOT source."""
    facts = facts or {}
    graph = _Graph()
    hybrid = facts.get("hybrid") or {}
    active = hybrid.get("active_path", "none")
    graph.group("region", f"AWS {facts.get('region', '')}".strip(), None)
    graph.group("datacenter_group", "Data center", None)
    graph.node(
        "datacenter",
        "datacenter",
        "On-premises",
        "on-premises network",
        group="datacenter_group",
        state="",
        details=", ".join((hybrid.get("vpn") or {}).get("routes") or []),
    )
    vpc_group = "vpc" if facts.get("vpc") else "region"
    _network(graph, facts, vpc_group)
    _hybrid(graph, facts, vpc_group)
    if (hybrid.get("vpn") or {}).get("customer_gateway_id"):
        graph.edge("datacenter", hybrid["vpn"]["customer_gateway_id"], "", path="vpn", active=active == "vpn")
    _compute(graph, facts, vpc_group)
    _load_balancing(graph, facts, vpc_group)
    _data(graph, facts, vpc_group)
    _onprem(graph, facts)
    _backup(graph, facts)
    graph.edges = _deduplicated_edges(graph.edges)
    used_groups = {node["group"] for node in graph.nodes}
    groups = [group for group in graph.groups if group["id"] in used_groups or any(g["parent"] == group["id"] for g in graph.groups)]
    graph.groups = groups
    nodes = [node for node in graph.nodes if node["kind"] != "datacenter"]
    return {
        "active_path": active,
        "nodes": graph.nodes,
        "resources": nodes,
        "edges": graph.edges,
        "groups": groups,
        "sections": [section for section in SECTIONS if any(node["section"] == section for node in nodes)],
        "dot": _dot(graph, facts.get("title", "hybridcloud"), active),
    }
