"""The filters that replaced the namespace() loops of the roles network and backup: each case is checked against the
value written out here and against what the role's former Jinja (kept below, verbatim) renders for the same
variables, so the roles behave as before."""

import pytest
from ansible.errors import AnsibleFilterError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.hybridcloud.aws.plugins.filter.backup_plan_ids import FilterModule as BackupPlanIds
from ansible_collections.hybridcloud.aws.plugins.filter.backup_plan_rules import FilterModule as BackupPlanRules
from ansible_collections.hybridcloud.aws.plugins.filter.ids_by_subnet import FilterModule as IdsBySubnet
from ansible_collections.hybridcloud.aws.plugins.filter.nat_gateway_plan import FilterModule as NatGatewayPlan
from ansible_collections.hybridcloud.aws.plugins.filter.security_group_differences import FilterModule as SecurityGroupDifferences
from ansible_collections.hybridcloud.aws.plugins.filter.security_group_differences import current_rule_lines, wanted_rule_lines
from ansible_collections.hybridcloud.aws.plugins.filter.security_group_ids import FilterModule as SecurityGroupIds
from ansible_collections.hybridcloud.aws.plugins.filter.vpc_route_table_plan import FilterModule as RouteTablePlan
from ansible_collections.hybridcloud.aws.plugins.filter.vpc_subnet_cidrs import FilterModule as SubnetCidrs
from ansible_collections.hybridcloud.aws.plugins.filter.vpc_subnet_plan import FilterModule as SubnetPlan

try:  # ansible-core 2.19 and later template only trusted strings
    from ansible.template import trust_as_template
except ImportError:  # ansible-core 2.17 and 2.18

    def trust_as_template(text):
        return text


vpc_subnet_cidrs = SubnetCidrs().filters()["vpc_subnet_cidrs"]
vpc_subnet_plan = SubnetPlan().filters()["vpc_subnet_plan"]
security_group_differences = SecurityGroupDifferences().filters()["security_group_differences"]
security_group_ids = SecurityGroupIds().filters()["security_group_ids"]
vpc_route_table_plan = RouteTablePlan().filters()["vpc_route_table_plan"]
nat_gateway_plan = NatGatewayPlan().filters()["nat_gateway_plan"]
ids_by_subnet = IdsBySubnet().filters()["ids_by_subnet"]
backup_plan_rules = BackupPlanRules().filters()["backup_plan_rules"]
backup_plan_ids = BackupPlanIds().filters()["backup_plan_ids"]


def render(template, **variables):
    """What the role's former Jinja gave for these variables."""
    return Templar(loader=DataLoader(), variables=variables).template(trust_as_template(template))


# roles/network/vars/main.yml: network_derived_subnet_cidrs
SUBNET_CIDRS_JINJA = """
  {%- set address, prefix = network_vpc_cidr.split('/') -%}
  {%- set octets = address.split('.') | map('int') | list -%}
  {%- set base = octets[0] * 16777216 + octets[1] * 65536 + octets[2] * 256 + octets[3] -%}
  {%- set private_size = 2 ** (32 - (prefix | int) - 4) -%}
  {%- set public_size = 2 ** (32 - (prefix | int) - 8) -%}
  {%- set plan = namespace(public=[], private=[]) -%}
  {%- for index in range(network_az_count) -%}
  {%- set private_start = base + index * private_size -%}
  {%- set public_start = base + 15 * private_size + index * public_size -%}
  {%- set plan.private = plan.private + [[private_start // 16777216 % 256, private_start // 65536 % 256, private_start // 256 % 256, private_start % 256]
      | join('.') ~ '/' ~ ((prefix | int) + 4)] -%}
  {%- set plan.public = plan.public + [[public_start // 16777216 % 256, public_start // 65536 % 256, public_start // 256 % 256, public_start % 256]
      | join('.') ~ '/' ~ ((prefix | int) + 8)] -%}
  {%- endfor -%}
  {{ {'public': plan.public, 'private': plan.private} }}"""


@pytest.mark.parametrize(
    "vpc_cidr, az_count, expected",
    [
        ("10.40.0.0/16", 2, {"public": ["10.40.240.0/24", "10.40.241.0/24"], "private": ["10.40.0.0/20", "10.40.16.0/20"]}),
        ("10.40.0.0/16", 0, {"public": [], "private": []}),
        (
            "172.20.16.0/20",
            3,
            {"public": ["172.20.31.0/28", "172.20.31.16/28", "172.20.31.32/28"], "private": ["172.20.16.0/24", "172.20.17.0/24", "172.20.18.0/24"]},
        ),
        (
            "192.168.0.0/18",
            15,
            {
                "public": [f"192.168.{60 + index // 4}.{64 * (index % 4)}/26" for index in range(15)],
                "private": [f"192.168.{4 * index}.0/22" for index in range(15)],
            },
        ),
    ],
)
def test_vpc_subnet_cidrs(vpc_cidr, az_count, expected):
    assert vpc_subnet_cidrs(vpc_cidr, az_count) == expected
    assert render(SUBNET_CIDRS_JINJA, network_vpc_cidr=vpc_cidr, network_az_count=az_count) == expected


def test_vpc_subnet_cidrs_refuses_what_does_not_fit():
    with pytest.raises(AnsibleFilterError, match="cannot hold"):
        vpc_subnet_cidrs("10.0.0.0/28", 2)
    with pytest.raises(AnsibleFilterError, match="cannot hold"):
        vpc_subnet_cidrs("10.0.0.0/16", 16)
    with pytest.raises(AnsibleFilterError, match="vpc_subnet_cidrs"):
        vpc_subnet_cidrs("10.0.0/16", 2)


# roles/network/tasks/subnets.yml: network_subnet_plan
SUBNET_PLAN_JINJA = """
      {%- set plan = namespace(items=[]) -%}
      {%- for az in network_availability_zones -%}
      {%- set zone_index = loop.index0 -%}
      {%- for tier, cidrs in [('public', network_public_cidrs_effective), ('private', network_private_cidrs_effective)] -%}
      {%- set plan.items = plan.items + [{'az': az, 'cidr': cidrs[zone_index],
          'tags': network_resource_tags | combine({'Name': network_name ~ '-' ~ tier ~ '-' ~ az, 'Tier': tier})}] -%}
      {%- endfor -%}
      {%- endfor -%}
      {{ plan.items }}"""


@pytest.mark.parametrize(
    "zones, tags",
    [
        ([], {}),
        (["eu-west-1a", "eu-west-1b"], {"Project": "hc"}),
        # A Name or Tier in the role's tags is overridden in place.
        (["eu-west-1c"], {"Tier": "x", "Project": "hc", "Name": "y"}),
    ],
)
def test_vpc_subnet_plan(zones, tags):
    public, private = ["10.40.240.0/24", "10.40.241.0/24"], ["10.40.0.0/20", "10.40.16.0/20"]
    plan = vpc_subnet_plan(zones, public, private, tags, "hc")
    assert [(entry["az"], entry["cidr"], entry["tags"]["Name"], entry["tags"]["Tier"]) for entry in plan] == [
        (zone, cidrs[index], f"hc-{tier}-{zone}", tier) for index, zone in enumerate(zones) for tier, cidrs in (("public", public), ("private", private))
    ]
    assert all(entry["tags"].get("Project") == tags.get("Project") for entry in plan)
    rendered = render(
        SUBNET_PLAN_JINJA,
        network_availability_zones=zones,
        network_public_cidrs_effective=public,
        network_private_cidrs_effective=private,
        network_resource_tags=tags,
        network_name="hc",
    )
    assert rendered == plan
    assert [list(entry["tags"]) for entry in rendered] == [list(entry["tags"]) for entry in plan]


def test_vpc_subnet_plan_without_a_range():
    with pytest.raises(AnsibleFilterError, match="no private range for zone eu-west-1b"):
        vpc_subnet_plan(["eu-west-1a", "eu-west-1b"], ["10.0.1.0/24", "10.0.2.0/24"], ["10.0.3.0/24"], {}, "hc")


# roles/network/tasks/security_groups.yml: the task's `when`, network_current_rules and network_wanted_rules
SG_WHEN_JINJA = """{{ not network_current or network_current.tags != network_group_tags or network_current_rules != network_wanted_rules
    or (item.egress is defined and item.egress | length == 0 and network_current.ip_permissions_egress | default([]) | length > 0) }}"""
SG_CURRENT_RULES_JINJA = """
      {%- set lines = namespace(items=[]) -%}
      {%- for permission in network_current.ip_permissions | default([]) -%}
      {%- set head = [permission.ip_protocol, permission.from_port | default(''), permission.to_port | default('')] -%}
      {%- for source in permission.ip_ranges -%}
      {%- set lines.items = lines.items + [(head + [source.cidr_ip, source.description | default('')]) | join('|')] -%}
      {%- endfor -%}
      {%- for source in permission.user_id_group_pairs -%}
      {%- set lines.items = lines.items + [(head + [source.group_id, source.description | default('')]) | join('|')] -%}
      {%- endfor -%}
      {%- for source in permission.ipv6_ranges + permission.prefix_list_ids -%}
      {%- set lines.items = lines.items + ['unmanaged|' ~ source] -%}
      {%- endfor -%}
      {%- endfor -%}
      {{ lines.items | sort }}"""
SG_WANTED_RULES_JINJA = """
      {%- set lines = namespace(items=[]) -%}
      {%- for rule in item.rules -%}
      {%- set port_ranges = rule.ports | map('int') | zip(rule.ports | map('int')) | list if 'ports' in rule else [(rule.from_port, rule.to_port)] -%}
      {%- set sources = rule.cidr_ip if 'cidr_ip' in rule else [(network_groups_by_name[rule.group_name] | default({})).group_id | default('missing')] -%}
      {%- for port_range in port_ranges -%}
      {%- for source in sources -%}
      {%- set lines.items = lines.items + [[rule.proto, port_range[0], port_range[1], source, rule.rule_desc] | join('|')] -%}
      {%- endfor -%}
      {%- endfor -%}
      {%- endfor -%}
      {{ lines.items | sort }}"""

TAGS = {"Project": "hc", "Name": "hc-rds"}
GROUPS = [
    {"group_name": "hc-tasks", "group_id": "sg-tasks", "tags": {"Name": "hc-tasks"}, "ip_permissions": [], "ip_permissions_egress": []},
    {
        "group_name": "hc-rds",
        "group_id": "sg-rds",
        "tags": TAGS,
        "ip_permissions": [
            {
                "ip_protocol": "tcp",
                "from_port": 5432,
                "to_port": 5432,
                "ip_ranges": [{"cidr_ip": "192.168.10.0/24", "description": "PostgreSQL from on-premises applications"}],
                "ipv6_ranges": [],
                "prefix_list_ids": [],
                "user_id_group_pairs": [{"group_id": "sg-tasks", "user_id": "123456789012", "description": "PostgreSQL from the tasks"}],
            }
        ],
        "ip_permissions_egress": [],
    },
]
RDS_RULES = [
    {"proto": "tcp", "ports": [5432], "group_name": "hc-tasks", "rule_desc": "PostgreSQL from the tasks"},
    {"proto": "tcp", "ports": ["5432"], "cidr_ip": ["192.168.10.0/24"], "rule_desc": "PostgreSQL from on-premises applications"},
]


def _with(group, **changes):
    return [dict(group, **changes) if entry is group else entry for entry in GROUPS]


def _permission(**changes):
    return [dict(GROUPS[1]["ip_permissions"][0], **changes)]


EGRESS_ALL = [{"ip_protocol": "-1", "ip_ranges": [{"cidr_ip": "0.0.0.0/0"}], "ipv6_ranges": [], "prefix_list_ids": [], "user_id_group_pairs": []}]


@pytest.mark.parametrize(
    "groups, rules, egress, expected",
    [
        (GROUPS, RDS_RULES, [], []),
        (GROUPS, RDS_RULES, None, []),
        (GROUPS[:1], RDS_RULES, [], ["missing"]),
        ([], RDS_RULES, None, ["missing"]),
        (_with(GROUPS[1], tags={"Project": "hc"}), RDS_RULES, [], ["tags"]),
        (_with(GROUPS[1], tags=None), RDS_RULES, [], ["tags"]),
        # The tasks group gone: the wanted source becomes 'missing', which no permission read matches.
        (GROUPS[1:], RDS_RULES, [], ["rules"]),
        (GROUPS, RDS_RULES[:1], [], ["rules"]),
        (GROUPS, [dict(RDS_RULES[1], rule_desc="other"), *RDS_RULES[:1]], [], ["rules"]),
        (GROUPS, [dict(RDS_RULES[0], ports=[5432, 5433]), *RDS_RULES[1:]], [], ["rules"]),
        # The rules in another order or spelt as a port range are the same rules.
        (GROUPS, RDS_RULES[::-1], [], []),
        (
            GROUPS,
            [{"proto": "tcp", "from_port": 5432, "to_port": 5432, "group_name": "hc-tasks", "rule_desc": "PostgreSQL from the tasks"}, *RDS_RULES[1:]],
            [],
            [],
        ),
        # An IPv6 range or prefix list read is never wanted.
        (_with(GROUPS[1], ip_permissions=_permission(ipv6_ranges=[{"cidr_ipv6": "fd00::/64"}])), RDS_RULES, [], ["rules"]),
        (_with(GROUPS[1], ip_permissions=_permission(prefix_list_ids=[{"prefix_list_id": "pl-1"}])), RDS_RULES, [], ["rules"]),
        # A description AWS leaves out is an empty one.
        (_with(GROUPS[1], ip_permissions=_permission(ip_ranges=[{"cidr_ip": "192.168.10.0/24"}])), [RDS_RULES[0], dict(RDS_RULES[1], rule_desc="")], [], []),
        # Outbound rules: an empty egress list wants none; null leaves them alone.
        (_with(GROUPS[1], ip_permissions_egress=EGRESS_ALL), RDS_RULES, [], ["egress"]),
        (_with(GROUPS[1], ip_permissions_egress=EGRESS_ALL), RDS_RULES, None, []),
        (_with(GROUPS[1], tags={}, ip_permissions=[], ip_permissions_egress=EGRESS_ALL), RDS_RULES, [], ["tags", "rules", "egress"]),
    ],
)
def test_security_group_differences(groups, rules, egress, expected):
    assert security_group_differences(groups, "hc-rds", rules, TAGS, egress) == expected
    # The former Jinja: the same lines, and the task ran exactly when something differs.
    by_name = {group["group_name"]: group for group in groups}
    current = by_name.get("hc-rds", {})
    item = {"key": "rds", "rules": rules} if egress is None else {"key": "rds", "rules": rules, "egress": egress}
    current_rules = render(SG_CURRENT_RULES_JINJA, network_current=current)
    wanted_rules = render(SG_WANTED_RULES_JINJA, item=item, network_groups_by_name=by_name)
    assert current_rules == current_rule_lines(current.get("ip_permissions"))
    assert wanted_rules == wanted_rule_lines(rules, by_name)
    ran = render(
        SG_WHEN_JINJA,
        item=item,
        network_current=current,
        network_group_tags=TAGS,
        network_current_rules=current_rules,
        network_wanted_rules=wanted_rules,
    )
    assert ran is (len(expected) > 0)


def test_security_group_rule_lines():
    assert current_rule_lines(GROUPS[1]["ip_permissions"]) == [
        "tcp|5432|5432|192.168.10.0/24|PostgreSQL from on-premises applications",
        "tcp|5432|5432|sg-tasks|PostgreSQL from the tasks",
    ]
    # One range as a string is one source; a rule without rule_desc has an empty description (the Jinja failed on it).
    rules = [{"proto": "udp", "ports": [53], "cidr_ip": "10.0.0.0/8", "rule_desc": "DNS"}, {"proto": "tcp", "from_port": 1, "to_port": 2, "group_name": "x"}]
    assert wanted_rule_lines(rules, {}) == ["tcp|1|2|missing|", "udp|53|53|10.0.0.0/8|DNS"]
    # A non-empty egress list is compared as the inbound rules are.
    egress = [{"proto": "tcp", "ports": [443], "cidr_ip": ["10.0.0.0/8"], "rule_desc": "HTTPS"}]
    read = [{"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "ip_ranges": [{"cidr_ip": "10.0.0.0/8", "description": "HTTPS"}]}]
    assert security_group_differences(_with(GROUPS[1], ip_permissions_egress=read), "hc-rds", RDS_RULES, TAGS, egress) == []
    assert security_group_differences(_with(GROUPS[1], ip_permissions_egress=EGRESS_ALL), "hc-rds", RDS_RULES, TAGS, egress) == ["egress"]


# roles/network/tasks/security_groups.yml: network_security_group_ids
SG_IDS_JINJA = """
      {%- set found = namespace(ids={}) -%}
      {%- for spec in network_security_group_specs if network_name ~ '-' ~ spec.key in network_ids_by_name -%}
      {%- set found.ids = found.ids | combine({spec.key: network_ids_by_name[network_name ~ '-' ~ spec.key]}) -%}
      {%- endfor -%}
      {{ found.ids }}"""
SPECS = [{"key": "alb"}, {"key": "tasks"}, {"key": "rds"}, {"key": "dns"}]


@pytest.mark.parametrize(
    "groups, expected",
    [
        ([], {}),
        (GROUPS, {"tasks": "sg-tasks", "rds": "sg-rds"}),
        # Other groups are ignored; of two groups of one name the later counts; the order is the specs' order.
        (
            [
                {"group_name": "hc-rds", "group_id": "sg-old"},
                {"group_name": "default", "group_id": "sg-d"},
                {"group_name": "alb", "group_id": "sg-x"},
                *GROUPS,
                {"group_name": "hc-alb", "group_id": "sg-alb"},
            ],
            {"alb": "sg-alb", "tasks": "sg-tasks", "rds": "sg-rds"},
        ),
    ],
)
def test_security_group_ids(groups, expected):
    ids = security_group_ids(groups, SPECS, "hc")
    assert ids == expected and list(ids) == list(expected)
    by_name = {group["group_name"]: group["group_id"] for group in groups}
    rendered = render(SG_IDS_JINJA, network_security_group_specs=SPECS, network_name="hc", network_ids_by_name=by_name)
    assert rendered == expected and list(rendered) == list(expected)
    assert _discovered(groups) == expected


# roles/network/tasks/discover.yml: network_discovered_groups_by_key and network_security_group_ids
DISCOVER_GROUPS_BY_KEY_JINJA = """
      {{ dict(network_discovered_groups.security_groups | default([]) | map(attribute='group_name')
         | map('regex_replace', '^' ~ (network_name | regex_escape) ~ '-', '')
         | zip(network_discovered_groups.security_groups | default([]))) }}"""
DISCOVER_SG_IDS_JINJA = """
      {{ dict(network_security_group_specs | map(attribute='key')
              | select('in', network_discovered_groups_by_key)
              | zip(network_security_group_specs | map(attribute='key') | select('in', network_discovered_groups_by_key)
                    | map('extract', network_discovered_groups_by_key, 'group_id'))) }}"""


def _discovered(groups):
    # strip(): YAML's folded scalar starts at the braces.
    by_key = render(DISCOVER_GROUPS_BY_KEY_JINJA.strip(), network_discovered_groups={"security_groups": groups}, network_name="hc")
    return render(DISCOVER_SG_IDS_JINJA.strip(), network_security_group_specs=SPECS, network_discovered_groups_by_key=by_key)


def test_security_group_ids_ignores_a_group_without_the_prefix():
    # The one case where discover.yml's former Jinja differed: it also took a group named just KEY.
    groups = [{"group_name": "dns", "group_id": "sg-dns"}, *GROUPS]
    assert _discovered(groups) == {"tasks": "sg-tasks", "rds": "sg-rds", "dns": "sg-dns"}
    assert security_group_ids(groups, SPECS, "hc") == {"tasks": "sg-tasks", "rds": "sg-rds"}


# roles/network/tasks/route_tables.yml: network_route_table_plan
ROUTE_TABLE_PLAN_JINJA = """
      {%- set plan = namespace(items=[{'name': network_name ~ '-public', 'subnets': network_public_subnet_ids,
          'target_key': 'gateway_id', 'target_id': network_igw.gateway_id | default('')}]) -%}
      {%- for az in network_availability_zones -%}
      {%- set plan.items = plan.items + [{'name': network_name ~ '-private-' ~ az, 'subnets': [network_private_subnet_ids[loop.index0]],
          'target_key': 'nat_gateway_id', 'target_id': network_nat_gateway_ids[loop.index0] | default('')}] -%}
      {%- endfor -%}
      {{ plan.items }}"""


@pytest.mark.parametrize(
    "zones, igw, nat_ids",
    [
        (["eu-west-1a", "eu-west-1b"], {"gateway_id": "igw-1"}, ["nat-a", "nat-b"]),
        # Check mode on an empty VPC: no gateway known yet.
        (["eu-west-1a", "eu-west-1b"], {}, []),
        (["eu-west-1a", "eu-west-1b"], {"gateway_id": "igw-1"}, ["nat-a"]),
        ([], {"gateway_id": "igw-1"}, []),
    ],
)
def test_vpc_route_table_plan(zones, igw, nat_ids):
    public, private = ["subnet-pa", "subnet-pb"], ["subnet-a", "subnet-b"]
    plan = vpc_route_table_plan(zones, "hc", public, private, igw.get("gateway_id", ""), nat_ids)
    assert plan[0] == {"name": "hc-public", "subnets": public, "target_key": "gateway_id", "target_id": igw.get("gateway_id", "")}
    assert plan[1:] == [
        {"name": f"hc-private-{zone}", "subnets": [private[index]], "target_key": "nat_gateway_id", "target_id": [*nat_ids, "", ""][index]}
        for index, zone in enumerate(zones)
    ]
    variables = {"network_name": "hc", "network_public_subnet_ids": public, "network_private_subnet_ids": private, "network_nat_gateway_ids": nat_ids}
    variables["network_availability_zones"] = zones
    if igw:
        variables["network_igw"] = igw
    assert render(ROUTE_TABLE_PLAN_JINJA, **variables) == plan


# roles/network/tasks/nat_gateways.yml: network_nat_plan
NAT_PLAN_JINJA = """
      {%- set plan = namespace(items=[]) -%}
      {%- for az in network_availability_zones -%}
      {%- set subnet_id = network_public_subnet_ids[loop.index0] -%}
      {%- set existing = network_nat_info.result | selectattr('subnet_id', 'equalto', subnet_id) | list -%}
      {%- set plan.items = plan.items + [{'az': az, 'subnet_id': subnet_id,
          'existing': (existing | first | default(None)),
          'tags': network_resource_tags | combine({'Name': network_name ~ '-nat-' ~ az})}] -%}
      {%- endfor -%}
      {{ plan.items }}"""
NATS = [
    {"nat_gateway_id": "nat-b", "subnet_id": "subnet-pb", "state": "available", "tags": {"Name": "hc-nat-eu-west-1b"}},
    {"nat_gateway_id": "nat-other", "subnet_id": "subnet-x", "state": "available", "tags": {}},
    {"nat_gateway_id": "nat-b2", "subnet_id": "subnet-pb", "state": "pending", "tags": {}},
]


@pytest.mark.parametrize("nats", [[], NATS])
def test_nat_gateway_plan(nats):
    zones, public = ["eu-west-1a", "eu-west-1b"], ["subnet-pa", "subnet-pb"]
    plan = nat_gateway_plan(zones, public, nats, {"Project": "hc"}, "hc")
    assert plan == [
        {"az": "eu-west-1a", "subnet_id": "subnet-pa", "existing": None, "tags": {"Project": "hc", "Name": "hc-nat-eu-west-1a"}},
        {"az": "eu-west-1b", "subnet_id": "subnet-pb", "existing": nats[0] if nats else None, "tags": {"Project": "hc", "Name": "hc-nat-eu-west-1b"}},
    ]
    rendered = render(
        NAT_PLAN_JINJA,
        network_availability_zones=zones,
        network_public_subnet_ids=public,
        network_nat_info={"result": nats},
        network_resource_tags={"Project": "hc"},
        network_name="hc",
    )
    assert rendered == plan


def test_nat_gateway_plan_without_a_subnet():
    with pytest.raises(AnsibleFilterError, match="no public subnet for zone eu-west-1b"):
        nat_gateway_plan(["eu-west-1a", "eu-west-1b"], ["subnet-pa"], [], {}, "hc")


# roles/network/tasks/nat_gateways_wait.yml: network_nat_gateway_ids; roles/network/tasks/resolver.yml: network_resolver_ips
NAT_IDS_JINJA = """
      {%- set found = namespace(ids=[]) -%}
      {%- for subnet_id in network_public_subnet_ids -%}
      {%- set found.ids = found.ids + (network_nats_now | selectattr('subnet_id', 'equalto', subnet_id) | map(attribute='nat_gateway_id') | list)[:1] -%}
      {%- endfor -%}
      {{ found.ids }}"""
RESOLVER_IPS_JINJA = """
      {%- set found = namespace(ips=[]) -%}
      {%- for subnet_id in network_private_subnet_ids -%}
      {%- set found.ips = found.ips + (network_resolver_addresses | selectattr('subnet_id', 'equalto', subnet_id) | map(attribute='ip') | select | list) -%}
      {%- endfor -%}
      {{ found.ips }}"""
ADDRESSES = [
    {"subnet_id": "subnet-b", "ip": "10.40.16.10", "ip_id": "rni-1"},
    {"subnet_id": "subnet-a", "ip": "10.40.0.10", "ip_id": "rni-2"},
    {"subnet_id": "subnet-a", "ip": "", "ip_id": "rni-3"},
    {"subnet_id": "subnet-x", "ip": "10.99.0.1", "ip_id": "rni-4"},
    {"subnet_id": "subnet-a", "ip": "10.40.0.11", "ip_id": "rni-5"},
]


@pytest.mark.parametrize(
    "subnets, nat_ids",
    [([], []), (["subnet-pa", "subnet-pb"], ["nat-b"]), (["subnet-pb", "subnet-x", "subnet-pc"], ["nat-b", "nat-other"])],
)
def test_nat_gateway_ids(subnets, nat_ids):
    assert ids_by_subnet(NATS, subnets, "nat_gateway_id", True) == nat_ids
    assert render(NAT_IDS_JINJA, network_public_subnet_ids=subnets, network_nats_now=NATS) == nat_ids


@pytest.mark.parametrize(
    "subnets, ips",
    [([], []), (["subnet-a", "subnet-b"], ["10.40.0.10", "10.40.0.11", "10.40.16.10"]), (["subnet-b", "subnet-c"], ["10.40.16.10"])],
)
def test_resolver_ips(subnets, ips):
    assert ids_by_subnet(ADDRESSES, subnets, "ip") == ips
    assert render(RESOLVER_IPS_JINJA, network_private_subnet_ids=subnets, network_resolver_addresses=ADDRESSES) == ips


# roles/backup/vars/main.yml: backup_plan_rules
PLAN_RULES_JINJA = """
  {%- set result = namespace(plans={}) -%}
  {%- for plan in backup_plans -%}
  {%- set built = namespace(rules=[]) -%}
  {%- for rule in plan.rules -%}
  {%- set lifecycle = {'delete_after_days': rule.delete_after_days}
        | combine({'move_to_cold_storage_after_days': rule.move_to_cold_storage_after_days}
                  if rule.move_to_cold_storage_after_days is defined else {}) -%}
  {%- set copies = [{'destination_backup_vault_arn': backup_dr_vault_arn, 'lifecycle': lifecycle}]
        if rule.copy_to_dr | default(true) else [] -%}
  {%- set built.rules = built.rules + [{
        'rule_name': rule.name,
        'target_backup_vault_name': backup_vault_name,
        'schedule_expression': rule.schedule,
        'start_window_minutes': rule.start_window_minutes | default(480),
        'completion_window_minutes': rule.completion_window_minutes | default(10080),
        'lifecycle': lifecycle,
        'copy_actions': copies}] -%}
  {%- endfor -%}
  {%- set result.plans = result.plans | combine({plan.name: built.rules}) -%}
  {%- endfor -%}
  {{ result.plans }}"""
DR = "arn:aws:backup:eu-central-1:123456789012:backup-vault:hc-dr"
PLANS = [
    {
        "name": "hc",
        "selection_tags": {"Backup": "hc"},
        "rules": [
            {"name": "daily", "schedule": "cron(0 3 ? * * *)", "delete_after_days": 35},
            {"name": "weekly", "schedule": "cron(0 4 ? * SUN *)", "move_to_cold_storage_after_days": 30, "delete_after_days": 180},
            {
                "name": "local",
                "schedule": "rate(1 hour)",
                "delete_after_days": 2,
                "copy_to_dr": False,
                "start_window_minutes": 60,
                "completion_window_minutes": 120,
            },
        ],
    },
    {"name": "empty", "rules": []},
]


@pytest.mark.parametrize("plans", [[], PLANS, PLANS[1:]])
def test_backup_plan_rules(plans):
    rules = backup_plan_rules(plans, "hc", DR)
    assert render(PLAN_RULES_JINJA, backup_plans=plans, backup_vault_name="hc", backup_dr_vault_arn=DR) == rules
    assert list(rules) == [plan["name"] for plan in plans]


def test_backup_plan_rules_values():
    rules = backup_plan_rules(PLANS, "hc", DR)
    assert rules["empty"] == []
    daily, weekly, local = rules["hc"]
    assert daily == {
        "rule_name": "daily",
        "target_backup_vault_name": "hc",
        "schedule_expression": "cron(0 3 ? * * *)",
        "start_window_minutes": 480,
        "completion_window_minutes": 10080,
        "lifecycle": {"delete_after_days": 35},
        "copy_actions": [{"destination_backup_vault_arn": DR, "lifecycle": {"delete_after_days": 35}}],
    }
    assert weekly["lifecycle"] == weekly["copy_actions"][0]["lifecycle"] == {"delete_after_days": 180, "move_to_cold_storage_after_days": 30}
    assert (local["copy_actions"], local["start_window_minutes"], local["completion_window_minutes"]) == ([], 60, 120)


# roles/backup/tasks/plans.yml: backup_plan_ids
PLAN_IDS_JINJA = """
      {%- set ids = namespace(items={}) -%}
      {%- for result in backup_plan_results.results -%}
      {%- set found = backup_plans_current.backup_plans | selectattr('backup_plan_name', 'eq', result.item.name)
                      | map(attribute='backup_plan_id') | list -%}
      {%- set ids.items = ids.items | combine({result.item.name: (found + [result.backup_plan_id | default('')]) | select | first | default(none)}) -%}
      {%- endfor -%}
      {{ ids.items }}"""
READ = [{"backup_plan_name": "hc", "backup_plan_id": "id-hc"}, {"backup_plan_name": "other", "backup_plan_id": "id-other"}]


@pytest.mark.parametrize(
    "results, expected",
    [
        ([], {}),
        # Existing plan, skipped (no difference): its id from the read.
        ([{"item": {"name": "hc"}, "skipped": True}], {"hc": "id-hc"}),
        # Existing plan the module changed: still the id read.
        ([{"item": {"name": "hc"}, "changed": True, "backup_plan_id": "id-new"}], {"hc": "id-hc"}),
        # New plan: the id the module returned; check mode: none.
        ([{"item": {"name": "new"}, "changed": True, "backup_plan_id": "id-new"}], {"new": "id-new"}),
        ([{"item": {"name": "new"}, "changed": True}, {"item": {"name": "hc"}, "skipped": True}], {"new": None, "hc": "id-hc"}),
        ([{"item": {"name": "new"}, "changed": True, "backup_plan_id": None}], {"new": None}),
    ],
)
def test_backup_plan_ids(results, expected):
    assert backup_plan_ids(results, READ) == expected
    assert render(PLAN_IDS_JINJA, backup_plan_results={"results": results}, backup_plans_current={"backup_plans": READ}) == expected
