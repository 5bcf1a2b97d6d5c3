"""input_problems (plugins/module_utils/input_checks.py, cidr.py): every problem of a role's input at once, each naming
the variable and the value; secrets hidden; CIDR arithmetic rather than patterns."""

import pytest

from ansible_collections.hybridcloud.aws.plugins.filter.input_problems import FilterModule
from ansible_collections.hybridcloud.aws.plugins.module_utils import cidr

input_problems = FilterModule().filters()["input_problems"]

NETWORK = {
    "network_name": "hybridcloud",
    "network_vpc_cidr": "10.40.0.0/16",
    "network_az_count": 2,
    "network_public_subnet_cidrs": [],
    "network_private_subnet_cidrs": [],
    "network_onprem_cidrs": ["192.168.10.0/24"],
    "network_onprem_app_cidrs": ["192.168.20.0/24"],
    "hybridcloud_onprem_cidrs": [],
    "network_min_source_prefix": "8",
    "network_alb_listener_ports": [80, 443],
    "network_task_port_from": 32768,
    "network_task_port_to": 65535,
    "network_rds_port": 5432,
    "network_interface_endpoints": ["ssm", "ecr.api"],
    "network_resolver_inbound_enabled": True,
    "network_nat_wait_retries": 40,
    "network_nat_wait_delay": 15,
    "network_flow_logs_enabled": True,
    "network_flow_logs_destination_type": "cloud-watch-logs",
    "network_flow_logs_log_group_name": "/hybridcloud/vpc-flow-logs",
    "network_flow_logs_retention_days": 365,
    "network_flow_logs_kms_key_arn": "",
    "network_flow_logs_role_name": "hybridcloud-vpc-flow-logs",
    "network_flow_logs_s3_bucket_arn": "",
}
HYBRID = {
    "hybrid_connectivity_name": "hybridcloud",
    "hybrid_connectivity_min_source_prefix": 8,
    "hybrid_connectivity_vgw_asn": 64513,
    "hybrid_connectivity_onprem_prefixes": ["192.168.10.0/24"],
    "hybrid_connectivity_dx_enabled": True,
    "hybrid_connectivity_dx_gateway_asn": 64512,
    "hybrid_connectivity_dx_customer_asn": 65010,
    "hybrid_connectivity_dx_create": "connection",
    "hybrid_connectivity_dx_existing_connection_id": "",
    "hybrid_connectivity_dx_location": "EqDC2",
    "hybrid_connectivity_dx_vlan": 120,
    "hybrid_connectivity_dx_lag_links": 2,
    "hybrid_connectivity_dx_amazon_address": "169.254.100.1/30",
    "hybrid_connectivity_dx_customer_address": "169.254.100.2/30",
    "hybrid_connectivity_dx_auth_key": "a-secret-bgp-key",
    "hybrid_connectivity_allowed_prefixes": ["10.40.0.0/16"],
    "hybrid_connectivity_vpn_enabled": True,
    "hybrid_connectivity_customer_gateway_ip": "198.51.100.10",
    "hybrid_connectivity_customer_gateway_asn": 65010,
    "hybrid_connectivity_vpn_routing": "static",
    "hybrid_connectivity_vpn_wait_timeout": 900,
    "hybrid_connectivity_vpn_tunnels": [{"tunnel_inside_cidr": "169.254.44.0/30", "pre_shared_key": "Secret_psk_1"}],
}
LOAD_BALANCER = {
    "load_balancer_name": "hybridcloud-internal",
    "load_balancer_target_groups": [{"name": "web", "port": 80, "health_check": {"interval": 15, "timeout": 5}}],
    "load_balancer_default_target_group": "",
    "load_balancer_rules": [{"priority": 10, "target_group": "web", "path_patterns": ["/api/*"]}],
    "load_balancer_http_port": 80,
    "load_balancer_https_port": 443,
    "load_balancer_certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/0000-1111",
    "load_balancer_ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "load_balancer_allow_plain_http": False,
    "load_balancer_idle_timeout": 60,
    "load_balancer_access_logs_bucket": "",
}
RDS = {
    "rds_postgres_min_source_prefix": 8,
    "rds_postgres_identifier": "hybridcloud-postgres",
    "rds_postgres_engine_version": "16",
    "rds_postgres_instance_class": "db.m6g.large",
    "rds_postgres_allocated_storage": 100,
    "rds_postgres_max_allocated_storage": 500,
    "rds_postgres_kms_key_id": "alias/hybridcloud",
    "rds_postgres_master_secret_kms_key_id": "",
    "rds_postgres_master_username": "dbadmin",
    "rds_postgres_db_name": "hybridcloud",
    "rds_postgres_port": 5432,
    "rds_postgres_backup_retention_days": 14,
    "rds_postgres_backup_window": "02:00-03:00",
    "rds_postgres_maintenance_window": "sun:03:30-sun:04:30",
    "rds_postgres_performance_insights_retention_days": 7,
    "rds_postgres_wait_timeout": 3600,
    "rds_postgres_wait_delay": 15,
    "rds_postgres_allowed_cidrs": ["192.168.20.0/24"],
    "rds_postgres_allowed_security_group_ids": ["sg-0123456789abcdef0"],
    "rds_postgres_security_group_ids": ["sg-0123456789abcdef1"],
    "rds_postgres_subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
}
FILE_GATEWAY = {
    "file_gateway_min_source_prefix": 8,
    "file_gateway_name": "hybridcloud-file-gateway",
    "file_gateway_bucket_name": "hybridcloud-files-123456789012",
    "file_gateway_appliance_address": "10.254.0.200",
    "file_gateway_activation_key": "",
    "file_gateway_timezone": "GMT+1:00",
    "file_gateway_log_group_arn": "",
    "file_gateway_kms_key_arn": "",
    "file_gateway_role_name": "hybridcloud-file-gateway",
    "file_gateway_archive_access_days": 90,
    "file_gateway_deep_archive_access_days": 180,
    "file_gateway_tiering_transition_days": 0,
    "file_gateway_noncurrent_version_expiration_days": 30,
    "file_gateway_abort_multipart_upload_days": 7,
    "file_gateway_client_cidrs": ["10.254.0.192/26"],
    "file_gateway_nfs_shares": [{"name": "backups"}, {"name": "media", "client_cidrs": ["10.254.0.192/27"], "prefix": "media/"}],
}
BACKUP = {
    "backup_vault_name": "hybridcloud",
    "backup_dr_vault_name": "hybridcloud-dr",
    "backup_kms_key_arn": "",
    "backup_dr_kms_key_arn": "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "backup_region": "us-east-1",
    "backup_dr_region": "us-west-2",
    "backup_service_role_name": "hybridcloud-backup",
    "backup_plans": [
        {
            "name": "hybridcloud",
            "selection_tags": {"Backup": "hybridcloud"},
            "rules": [{"name": "weekly", "schedule": "cron(0 4 ? * SUN *)", "move_to_cold_storage_after_days": 30, "delete_after_days": 180}],
        }
    ],
}
REGISTRY = {
    "container_registry_provider": "dockerhub",
    "container_registry_repositories": [{"name": "shop/orders", "keep_last_images": 10}],
    "container_registry_keep_last_images": 30,
    "container_registry_untagged_expire_days": 7,
    "container_registry_kms_key_arn": "",
    "container_registry_dockerhub_credentials": {"username": "bot", "token": "dckr_pat_secret"},
    "container_registry_dockerhub_secret_name": "hybridcloud/dockerhub",
}
# The file gateway with a DR strategy: the bucket is replicated to the DR region.
FILE_GATEWAY_DR = {
    "file_gateway_dr_strategy": "pilot_light",
    "file_gateway_dr_region": "us-west-2",
    "file_gateway_replica_bucket_name": "hybridcloud-files-123456789012-dr",
    "file_gateway_replica_kms_key_arn": "",
    "file_gateway_replication_role_name": "hybridcloud-file-gateway-replication",
}

VALID = {
    "network": NETWORK,
    "hybrid_connectivity": HYBRID,
    "load_balancer": LOAD_BALANCER,
    "rds_postgres": RDS,
    "file_gateway": FILE_GATEWAY,
    "backup": BACKUP,
    "container_registry": REGISTRY,
}


@pytest.mark.parametrize("role", sorted(VALID))
def test_valid_input_has_no_problem(role):
    assert input_problems(VALID[role], role) == []


@pytest.mark.parametrize(
    ("role", "bad", "expected"),
    [
        ("network", {"network_onprem_cidrs": ["0.0.0.0/1", "128.0.0.0/1"]}, "network_onprem_cidrs: '128.0.0.0/1' is broader than /8"),
        (
            "network",
            {"network_onprem_app_cidrs": ["192.168.20.5/24"]},
            "network_onprem_app_cidrs: '192.168.20.5/24' has host bits set; the network is 192.168.20.0/24",
        ),
        ("network", {"network_vpc_cidr": "169.254.0.0/16"}, "network_vpc_cidr: '169.254.0.0/16' overlaps 169.254.0.0/16, link-local"),
        ("network", {"network_vpc_cidr": "172.17.0.0/16"}, "Docker's default bridge"),
        ("network", {"network_vpc_cidr": "192.168.0.0/16"}, "network_vpc_cidr: '192.168.0.0/16' overlaps the on-premises range '192.168.10.0/24'"),
        ("network", {"hybridcloud_onprem_cidrs": ["10.40.128.0/17"]}, "overlaps the on-premises range '10.40.128.0/17'"),
        (
            "network",
            {"network_public_subnet_cidrs": ["10.40.240.0/24", "10.41.0.0/24"], "network_private_subnet_cidrs": ["10.40.0.0/20", "10.40.16.0/20"]},
            "network_public_subnet_cidrs: '10.41.0.0/24' is not inside network_vpc_cidr 10.40.0.0/16",
        ),
        (
            "network",
            {"network_public_subnet_cidrs": ["10.40.0.0/24", "10.40.241.0/24"], "network_private_subnet_cidrs": ["10.40.0.0/20", "10.40.16.0/20"]},
            "'10.40.0.0/24' overlaps '10.40.0.0/20'",
        ),
        ("network", {"network_alb_listener_ports": [443, 70000]}, "network_alb_listener_ports: 70000 must be 1 to 65535"),
        (
            "network",
            {"network_task_port_from": 40000, "network_task_port_to": 30000},
            "network_task_port_from (40000) must be at most network_task_port_to (30000)",
        ),
        ("network", {"network_vpc_cidr": "10.40.0.0/24"}, "must be /16 to /20 when the subnets are derived"),
        ("network", {"network_flow_logs_retention_days": 366}, "network_flow_logs_retention_days: 366 must be one of CloudWatch Logs' retention values"),
        ("network", {"network_flow_logs_log_group_name": "flow logs"}, "network_flow_logs_log_group_name: 'flow logs' must be 1 to 512 of"),
        ("network", {"network_flow_logs_kms_key_arn": "alias/logs"}, "network_flow_logs_kms_key_arn: 'alias/logs' must be a KMS key ARN"),
        ("network", {"network_flow_logs_role_name": "x" * 65}, "network_flow_logs_role_name: '" + "x" * 65 + "' must be an IAM role name"),
        ("network", {"network_flow_logs_destination_type": "s3"}, "network_flow_logs_destination_type is s3, so network_flow_logs_s3_bucket_arn must name"),
        (
            "network",
            {"network_flow_logs_destination_type": "s3", "network_flow_logs_s3_bucket_arn": "acme-flow-logs"},
            "network_flow_logs_s3_bucket_arn: 'acme-flow-logs' must be an S3 bucket ARN",
        ),
        (
            "hybrid_connectivity",
            {"hybrid_connectivity_allowed_prefixes": ["10.40.0.1/16"]},
            "hybrid_connectivity_allowed_prefixes: '10.40.0.1/16' has host bits set",
        ),
        ("hybrid_connectivity", {"hybrid_connectivity_dx_gateway_asn": 7224}, "hybrid_connectivity_dx_gateway_asn: 7224 must be a private ASN"),
        ("hybrid_connectivity", {"hybrid_connectivity_dx_customer_address": "169.254.101.2/30"}, "must be two addresses of one /29 to /31"),
        ("hybrid_connectivity", {"hybrid_connectivity_vpn_tunnels": [{"tunnel_inside_cidr": "169.254.169.252/30"}]}, "is reserved by AWS"),
        ("load_balancer", {"load_balancer_certificate_arn": "", "load_balancer_allow_plain_http": False}, "load_balancer_allow_plain_http is false"),
        ("load_balancer", {"load_balancer_target_groups": [{"name": "web", "port": 0}]}, "load_balancer_target_groups[0].port: 0 must be 1 to 65535"),
        (
            "load_balancer",
            {"load_balancer_target_groups": [{"name": "web", "port": 80, "health_check": {"interval": 10, "timeout": 10}}]},
            "health_check.timeout (10) must be smaller than load_balancer_target_groups[0].health_check.interval (10)",
        ),
        ("rds_postgres", {"rds_postgres_instance_class": "m6g.large"}, "rds_postgres_instance_class: 'm6g.large' must be a DB instance class"),
        ("rds_postgres", {"rds_postgres_allowed_cidrs": ["0.0.0.0/0"]}, "rds_postgres_allowed_cidrs: '0.0.0.0/0' is broader than /8"),
        ("rds_postgres", {"rds_postgres_port": 80}, "rds_postgres_port: 80 must be 1150 to 65535"),
        ("rds_postgres", {"rds_postgres_master_username": "postgres"}, "rds_postgres_master_username: 'postgres' is reserved"),
        (
            "file_gateway",
            {"file_gateway_nfs_shares": [{"name": "a", "client_cidrs": ["10.0.0.0/7"]}]},
            "file_gateway_nfs_shares[0].client_cidrs: '10.0.0.0/7' is broader than /8",
        ),
        (
            "file_gateway",
            {"file_gateway_archive_access_days": 200, "file_gateway_deep_archive_access_days": 190},
            "must be smaller than file_gateway_deep_archive_access_days",
        ),
        (
            "file_gateway",
            {**FILE_GATEWAY_DR, "file_gateway_replica_bucket_name": "hybridcloud-files-123456789012"},
            "file_gateway_replica_bucket_name: 'hybridcloud-files-123456789012' must name a bucket other than file_gateway_bucket_name",
        ),
        (
            "file_gateway",
            {**FILE_GATEWAY_DR, "file_gateway_replica_bucket_name": "b" * 61 + "-dr"},
            "file_gateway_replica_bucket_name: '" + "b" * 61 + "-dr' must be a valid S3 bucket name (3-63",
        ),
        (
            "file_gateway",
            {**FILE_GATEWAY_DR, "file_gateway_replication_role_name": "hybridcloud-file-gateway"},
            "file_gateway_replication_role_name: 'hybridcloud-file-gateway' must name a role other than file_gateway_role_name",
        ),
        (
            "file_gateway",
            {**FILE_GATEWAY_DR, "file_gateway_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/abc"},
            "file_gateway_replica_kms_key_arn: '' is required when file_gateway_kms_key_arn is set",
        ),
        (
            "file_gateway",
            {**FILE_GATEWAY_DR, "file_gateway_replica_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/abc"},
            "file_gateway_replica_kms_key_arn: 'arn:aws:kms:us-east-1:123456789012:key/abc' must be a key in file_gateway_dr_region us-west-2",
        ),
        (
            "file_gateway",
            {**FILE_GATEWAY_DR, "file_gateway_replica_kms_key_arn": "alias/files-dr"},
            "file_gateway_replica_kms_key_arn: 'alias/files-dr' must be a KMS key ARN",
        ),
        ("backup", {"backup_dr_region": "us-east-1"}, "backup_dr_region: 'us-east-1' must name a region other than the primary one"),
        ("backup", {"backup_dr_region": "mars-1"}, "backup_dr_region: 'mars-1' must be a region name"),
        ("backup", {"backup_dr_kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:key/abc"}, "must be a key in backup_dr_region us-west-2"),
        (
            "container_registry",
            {"container_registry_repositories": [{"name": "Orders"}]},
            "container_registry_repositories[0].name: 'Orders' must be lowercase",
        ),
    ],
)
def test_each_problem_names_the_variable_and_the_value(role, bad, expected):
    problems = input_problems({**VALID[role], **bad}, role)
    assert any(expected in problem for problem in problems), problems


def test_every_problem_is_reported_at_once():
    problems = input_problems(
        {**NETWORK, "network_onprem_cidrs": ["0.0.0.0/0"], "network_rds_port": 0, "network_vpc_cidr": "10.40.0.0/8", "network_az_count": 9},
        "network",
    )
    assert len(problems) >= 4
    assert {problem.split(":")[0] for problem in problems} >= {"network_onprem_cidrs", "network_rds_port", "network_vpc_cidr", "network_az_count"}


def test_min_source_prefix_is_configurable():
    assert input_problems({**NETWORK, "network_onprem_cidrs": ["172.16.0.0/12"]}, "network") == []
    problems = input_problems({**NETWORK, "network_onprem_cidrs": ["172.16.0.0/12"], "network_min_source_prefix": 16}, "network")
    assert problems == ["network_onprem_cidrs: '172.16.0.0/12' is broader than /16, the broadest source allowed (covers 1048576 addresses)"]


def test_secrets_are_never_shown():
    problems = input_problems(
        {
            **HYBRID,
            "hybrid_connectivity_dx_auth_key": "bad key with spaces",
            "hybrid_connectivity_vpn_tunnels": [{"pre_shared_key": "0-not-a-valid-key"}],
        },
        "hybrid_connectivity",
    )
    assert len(problems) == 2
    assert all("(value hidden)" in problem for problem in problems)
    assert not any("bad key" in problem or "0-not-a-valid-key" in problem for problem in problems)
    registry = input_problems({**REGISTRY, "container_registry_dockerhub_credentials": {"token": "dckr_pat_secret"}}, "container_registry")
    assert registry == ["container_registry_dockerhub_credentials.username: the dockerhub provider needs the user name"]


def test_unknown_role_is_an_error():
    with pytest.raises(ValueError, match="no input checks for role 'vpn'"):
        input_problems({}, "vpn")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["10.0.0.0/8", "192.168.1.0/24"], []),
        (["0.0.0.0/0"], ["c: '0.0.0.0/0' is broader than /8, the broadest source allowed (covers 4294967296 addresses)"]),
        (["10.1.2.3/16"], ["c: '10.1.2.3/16' has host bits set; the network is 10.1.0.0/16"]),
        (["10.0.0.0/24", "10.0.0.0/24"], ["c: '10.0.0.0/24' is listed twice"]),
        (["fd00::/8"], ["c: 'fd00::/8' is broader than /32, the broadest source allowed (covers 1329227995784915872903807060280344576 addresses)"]),
        ("10.0.0.0/8", ["c: must be a list of CIDRs, got 10.0.0.0/8"]),
    ],
)
def test_source_problems(values, expected):
    assert cidr.source_problems("c", values, version=None) == expected


def test_a_bare_address_is_a_host_route_only_when_not_strict():
    assert cidr.source_problems("c", ["10.0.0.1"], version=None, strict=False) == []
    assert cidr.source_problems("c", ["10.0.0.1"]) == ["c: 10.0.0.1 is not an IPv4 CIDR (a.b.c.d/n)"]


def test_flow_log_inputs_are_not_checked_when_flow_logs_are_off():
    assert input_problems(dict(NETWORK, network_flow_logs_enabled=False, network_flow_logs_retention_days=366), "network") == []


def test_s3_flow_logs_need_no_log_group_nor_role():
    s3 = dict(
        NETWORK, network_flow_logs_destination_type="s3", network_flow_logs_s3_bucket_arn="arn:aws:s3:::acme-flow-logs/vpc/", network_flow_logs_role_name=""
    )
    assert input_problems(s3, "network") == []


def test_file_gateway_replication_is_checked_only_with_a_dr_strategy():
    """With strategy none the derived replica names are never used: a long bucket name does not fail for them."""
    long_bucket = {"file_gateway_bucket_name": "b" * 62, "file_gateway_role_name": "r" * 60}
    derived = {"file_gateway_replica_bucket_name": "b" * 62 + "-dr", "file_gateway_replication_role_name": "r" * 60 + "-replication"}
    assert input_problems({**FILE_GATEWAY, **long_bucket, **derived, "file_gateway_dr_strategy": "none"}, "file_gateway") == []
    assert input_problems({**FILE_GATEWAY, **FILE_GATEWAY_DR}, "file_gateway") == []
    keys = {
        "file_gateway_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/abc",
        "file_gateway_replica_kms_key_arn": "arn:aws:kms:us-west-2:123456789012:key/def",
    }
    assert input_problems({**FILE_GATEWAY, **FILE_GATEWAY_DR, **keys}, "file_gateway") == []
    problems = input_problems({**FILE_GATEWAY, **FILE_GATEWAY_DR, **long_bucket, **derived}, "file_gateway")
    assert [problem.split(":")[0] for problem in problems] == ["file_gateway_replica_bucket_name", "file_gateway_replication_role_name"]
