"""compute_input_errors: every input problem of systems_manager, ecs_cluster and ecs_services at once, each naming the
variable and the value. The valid inputs below are the roles' defaults (as their tasks hand them over)."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridcloud.aws.plugins.filter.compute_input_errors import FilterModule
from ansible_collections.hybridcloud.aws.plugins.module_utils.compute_inputs import schedule_errors

errors = FilterModule().filters()["compute_input_errors"]

SYSTEMS_MANAGER = {
    "systems_manager_service_role_name": "hybridcloud-onprem-ssm",
    "systems_manager_service_role_policies": [],
    "systems_manager_activation_name": "hybridcloud-onprem",
    "systems_manager_activation_description": "On-premises hosts of the hybrid cloud",
    "systems_manager_registration_limit": "5",
    "systems_manager_activation_expiration_days": 7,
    "systems_manager_activation_renew_days": 2,
    "systems_manager_onprem_hosts": "3",
    "systems_manager_code_kms_key_id": "",
    "systems_manager_code_kms_key_alias": "alias/hybridcloud/activation-code",
    "systems_manager_parameter_prefix": "/hybridcloud",
    "systems_manager_region": "eu-central-1",
    "systems_manager_ecs_cluster": "hybridcloud",
    "systems_manager_onprem_parameters": {"region": "eu-central-1", "ecs/cluster-name": "hybridcloud"},
    "systems_manager_endpoints": {"ssm": "https://vpce-0abc.ssm.eu-central-1.vpce.amazonaws.com"},
    "systems_manager_association_targets": [{"key": "tag:Project", "values": ["hybridcloud"]}],
    "systems_manager_associations": [
        {"name": "hybridcloud-update-ssm-agent", "document": "AWS-UpdateSSMAgent", "schedule": "rate(14 days)", "max_concurrency": "25%", "max_errors": "10%"},
        {"name": "hybridcloud-patch-scan", "document": "AWS-RunPatchBaseline", "schedule": "cron(0 2 ? * * *)", "compliance_severity": "HIGH"},
    ],
    "systems_manager_tags": {},
}
ECS_CLUSTER = {
    "ecs_cluster_name": "hybridcloud",
    "ecs_cluster_region": "eu-central-1",
    "ecs_cluster_subnet_ids": ["subnet-0123456789abcdef0"],
    "ecs_cluster_security_group_ids": ["sg-0123456789abcdef0"],
    "ecs_cluster_ami_id": "",
    "ecs_cluster_ami_parameter": "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
    "ecs_cluster_instance_type": "t3.medium",
    "ecs_cluster_root_volume_size": 30,
    "ecs_cluster_volume_kms_key_id": "",
    "ecs_cluster_min_size": 1,
    "ecs_cluster_max_size": 4,
    "ecs_cluster_desired_capacity": None,
    "ecs_cluster_target_capacity": 100,
    "ecs_cluster_minimum_scaling_step_size": 1,
    "ecs_cluster_maximum_scaling_step_size": 2,
    "ecs_cluster_instance_warmup_period": 300,
    "ecs_cluster_managed_termination_protection": True,
    "ecs_cluster_managed_draining": True,
    "ecs_cluster_capacity_provider_name": "hybridcloud-ec2",
    "ecs_cluster_agent_config": {"ECS_CONTAINER_STOP_TIMEOUT": "60s"},
    "ecs_cluster_metrics_collection": True,
    "ecs_cluster_container_insights": "enabled",
    "ecs_cluster_protected_parameters": ["/hybridcloud/ssm/*"],
    "ecs_cluster_tags": {},
}
ECS_SERVICES = {
    "ecs_services_cluster": "hybridcloud",
    "ecs_services_cluster_name": "hybridcloud",
    "ecs_services_capacity_provider": "hybridcloud-ec2",
    "ecs_services_repository_uris": {"web": "123456789012.dkr.ecr.eu-central-1.amazonaws.com/web"},
    "ecs_services_registry_credentials_arn": "",
    "ecs_services_target_group_arns": {"web": "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/web/0123"},
    "ecs_services_load_balancer_arn": "arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/lb/0123",
    "ecs_services_execution_role_name": "hybridcloud-task-execution",
    "ecs_services_services": [
        {
            "name": "web",
            "repository": "web",
            "tag": "1.0",
            "container_port": 8080,
            "target_group": "web",
            "autoscaling": {"min_tasks": 2, "max_tasks": 6, "requests_per_target": 500},
        },
        {
            "name": "agent",
            "placement": "external",
            "image": "nginx:1.27",
            "task_role_policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]},
        },
    ],
    "ecs_services_minimum_healthy_percent": 100,
    "ecs_services_maximum_percent": 200,
    "ecs_services_circuit_breaker_rollback": True,
    "ecs_services_health_check_grace_period": 60,
    "ecs_services_tags": {},
}
VALID = {"systems_manager": SYSTEMS_MANAGER, "ecs_cluster": ECS_CLUSTER, "ecs_services": ECS_SERVICES}


@pytest.mark.parametrize("role", sorted(VALID))
def test_the_defaults_pass(role):
    assert errors(VALID[role], role) == []


@pytest.mark.parametrize(
    ("role", "changes", "expected"),
    [
        (
            "systems_manager",
            {"systems_manager_registration_limit": 2},
            "systems_manager_registration_limit: is smaller than the 3 on-premises hosts of the inventory (got 2)",
        ),
        ("systems_manager", {"systems_manager_registration_limit": True}, "systems_manager_registration_limit: must be an integer (got True)"),
        ("systems_manager", {"systems_manager_registration_limit": 1001}, "systems_manager_registration_limit: must be 1 to 1000 (got 1001)"),
        (
            "systems_manager",
            {"systems_manager_activation_renew_days": 7},
            "systems_manager_activation_renew_days: must be smaller than systems_manager_activation_expiration_days (7) (got 7)",
        ),
        (
            "systems_manager",
            {"systems_manager_parameter_prefix": "/aws/x"},
            "systems_manager_parameter_prefix: must not begin with aws or ssm (reserved by SSM) (got '/aws/x')",
        ),
        ("systems_manager", {"systems_manager_code_kms_key_id": "my key"}, "systems_manager_code_kms_key_id: must be a KMS key id"),
        ("systems_manager", {"systems_manager_region": "Frankfurt"}, "systems_manager_region: must be a region name like eu-central-1 (got 'Frankfurt')"),
        ("systems_manager", {"systems_manager_endpoints": {"ssm": "vpce.local"}}, "systems_manager_endpoints.ssm: must be an http(s) URL (got 'vpce.local')"),
        ("systems_manager", {"systems_manager_service_role_name": "r" * 65}, "systems_manager_service_role_name: must be an IAM role name"),
        (
            "systems_manager",
            {"systems_manager_associations": [{"name": "x1", "document": "AWS-RunPatchBaseline", "schedule": "rate(1 day)"}]},
            "systems_manager_associations[0].name: must be 3 to 128 of A-Z a-z 0-9 _ . - (got 'x1')",
        ),
        (
            "systems_manager",
            {
                "systems_manager_associations": [
                    {"name": "scan", "document": "AWS-RunPatchBaseline", "schedule": "rate(2 days)", "apply_only_at_cron_interval": True}
                ]
            },
            "systems_manager_associations[scan].apply_only_at_cron_interval: needs a cron() schedule (got 'rate(2 days)')",
        ),
        (
            "systems_manager",
            {
                "systems_manager_association_targets": [],
                "systems_manager_associations": [{"name": "scan", "document": "AWS-RunPatchBaseline", "schedule": "rate(1 day)"}],
            },
            "systems_manager_associations[scan].targets: no targets",
        ),
        ("systems_manager", {"systems_manager_tags": {"aws:owner": "x"}}, "systems_manager_tags: tag keys are 1 to 128 characters and do not start with aws:"),
        (
            "ecs_cluster",
            {"ecs_cluster_desired_capacity": 0},
            "ecs_cluster_desired_capacity: must lie between ecs_cluster_min_size (1) and ecs_cluster_max_size (4) (got 0)",
        ),
        ("ecs_cluster", {"ecs_cluster_capacity_provider_name": "FargateSpot"}, "ecs_cluster_capacity_provider_name: must not start with aws, ecs or fargate"),
        (
            "ecs_cluster",
            {"ecs_cluster_agent_config": {"ECS_LOGLEVEL": "debug\nECS_CLUSTER=x"}},
            "ecs_cluster_agent_config.ECS_LOGLEVEL: values are single lines",
        ),
        ("ecs_cluster", {"ecs_cluster_subnet_ids": ["10.0.0.0/24"]}, "ecs_cluster_subnet_ids: must be subnet- ids (got '10.0.0.0/24')"),
        ("ecs_cluster", {"ecs_cluster_managed_draining": "yes"}, "ecs_cluster_managed_draining: must be true or false (got 'yes')"),
        ("ecs_cluster", {"ecs_cluster_name": "c" * 60}, "makes the instance role name <name>-ecs-instance longer than 64 characters"),
        ("ecs_cluster", {"ecs_cluster_target_capacity": 0}, "ecs_cluster_target_capacity: must be 1 to 100 (got 0)"),
        ("ecs_services", {"ecs_services_maximum_percent": 50}, "ecs_services_maximum_percent: must be 100 to 2000 (got 50)"),
        ("ecs_services", {"ecs_services_capacity_provider": ""}, "ecs_services_capacity_provider: is empty"),
        (
            "ecs_services",
            {
                "ecs_services_services": [
                    {"name": "web", "image": "nginx", "task_role_arn": "arn:aws:iam::123456789012:role/app", "task_role_policy": {"Statement": []}}
                ]
            },
            "ecs_services_services[web].task_role_policy: applies to the role the role creates, not to task_role_arn",
        ),
        (
            "ecs_services",
            {"ecs_services_services": [{"name": "web", "image": "nginx"}, {"name": "web", "image": "nginx"}]},
            "ecs_services_services[web].name: is used twice (got 'web')",
        ),
        (
            "ecs_services",
            {"ecs_services_services": [{"name": "web", "image": "nginx", "memory": 4}]},
            "ecs_services_services[web].memory: must be 6 to 122880 (got 4)",
        ),
        (
            "ecs_services",
            {"ecs_services_services": [{"name": "web", "image": "nginx", "autoscaling": {"min_tasks": 1, "max_tasks": 2, "requests_per_target": 100}}]},
            "ecs_services_services[web].autoscaling.requests_per_target: needs a target_group",
        ),
        (
            "ecs_services",
            {"ecs_services_services": [{"name": "web", "repository": "api", "tag": "1"}]},
            "ecs_services_services[web].repository: must be one of ['web'] (got 'api')",
        ),
    ],
)
def test_each_problem_names_the_variable_and_the_value(role, changes, expected):
    found = errors({**VALID[role], **changes}, role)
    assert any(expected in error for error in found), found


def test_every_problem_is_reported_at_once():
    found = errors({**ECS_CLUSTER, "ecs_cluster_min_size": 5, "ecs_cluster_instance_type": "big", "ecs_cluster_root_volume_size": 8}, "ecs_cluster")
    assert [error.split(":")[0] for error in found] == ["ecs_cluster_instance_type", "ecs_cluster_root_volume_size", "ecs_cluster_min_size"]


def test_references_read_first_are_checked():
    missing_key = {"kms_keys": {"alias/nowhere": False}}
    assert errors({**SYSTEMS_MANAGER, "systems_manager_code_kms_key_id": "alias/nowhere"}, "systems_manager", missing_key) == [
        "systems_manager_code_kms_key_id: names a KMS key that does not exist (or cannot be described) (got 'alias/nowhere')"
    ]
    assert errors({**SYSTEMS_MANAGER, "systems_manager_code_kms_key_id": "alias/there"}, "systems_manager", {"kms_keys": {"alias/there": True}}) == []
    role = "arn:aws:iam::123456789012:role/app"
    service = {**ECS_SERVICES, "ecs_services_services": [{"name": "web", "image": "nginx", "task_role_arn": role}]}
    assert errors(service, "ecs_services", {"iam_roles": [role]}) == []
    assert errors(service, "ecs_services", {"iam_roles": []}) == [
        f"ecs_services_services[web].task_role_arn: names an IAM role that does not exist (got '{role}')"
    ]


def test_check_mode_accepts_what_earlier_layers_would_create():
    later = {
        **ECS_SERVICES,
        "ecs_services_repository_uris": {},
        "ecs_services_target_group_arns": {},
        "ecs_services_load_balancer_arn": "",
        "ecs_services_cluster": "",
    }
    assert errors(later, "ecs_services", {"check_mode": True}) == []
    assert len(errors(later, "ecs_services")) == 4
    assert errors({**ECS_CLUSTER, "ecs_cluster_subnet_ids": []}, "ecs_cluster", {"check_mode": True}) == []


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("rate(30 minutes)", None),
        ("rate(1 day)", None),
        ("rate(14 days)", None),
        ("cron(0 2 ? * * *)", None),
        ("cron(0 2 ? * SUN#1 *)", None),
        ("rate(10 minutes)", "a rate() schedule runs at most every 30 minutes"),
        ("rate(1 days)", "takes the unit in singular"),
        ("rate(2 hour)", "takes the unit in plural"),
        ("cron(0 2)", "a cron() schedule has 5 to 7 fields"),
        ("cron(0 2 ? * * * ; rm)", "a cron() schedule has 5 to 7 fields"),
        ("every day", "must be cron(...), rate(N minutes|hours|days) or at(...)"),
        (None, "must be a cron() or rate() expression"),
    ],
)
def test_schedules(expression, problem):
    found = schedule_errors(expression)
    assert (found is None) if problem is None else (problem in found), found


def test_unknown_role_and_bad_input_fail():
    with pytest.raises(AnsibleFilterError, match="unknown role"):
        errors({}, "network")
    with pytest.raises(AnsibleFilterError, match="takes a dict of variables"):
        errors([], "ecs_cluster")
