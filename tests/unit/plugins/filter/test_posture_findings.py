"""posture_findings: the audit's decision, one finding per broken control, none on the posture the roles build."""

import copy
import json

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.hybridcloud.aws.plugins.filter.posture_findings import DOCUMENTATION, EXAMPLES, RETURN, FilterModule
from ansible_collections.hybridcloud.aws.plugins.module_utils.activation_access import activation_access_policies
from ansible_collections.hybridcloud.aws.plugins.module_utils.backup import deny_delete_policy
from ansible_collections.hybridcloud.aws.plugins.module_utils.policy_evaluation import decide

findings_of = FilterModule().filters()["posture_findings"]

ACCOUNT = "123456789012"
PARAMETER_ARN = f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter/hybridcloud/ssm/activation"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/0f1e2d3c-4b5a-4697-8a7b-6c5d4e3f2a1b"
DEPLOYER = f"arn:aws:iam::{ACCOUNT}:role/deploy"
CORE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParameters", "ssm:DescribeAssociation"], "Resource": "*"}],
}
SETTINGS = {"min_source_prefix": 8, "max_registrations": 5, "max_expiration_days": 7, "allow_plain_http": False}


def sound_facts():
    """The posture the roles build: every control in place."""
    policies = activation_access_policies(
        {
            "account_id": ACCOUNT,
            "region": "us-east-1",
            "caller_arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/awx",
            "code_parameters": ["/hybridcloud/ssm/activation"],
            "key_arn": KEY_ARN,
            "ecs_cluster": "hybridcloud",
        }
    )
    return {
        "security_groups": [
            {
                "group_id": "sg-1",
                "group_name": "alb",
                "ip_permissions": [{"ip_protocol": "tcp", "from_port": 80, "to_port": 80, "ip_ranges": [{"cidr_ip": "10.0.0.0/8"}], "ipv6_ranges": []}],
            },
            {"group_id": "sg-2", "group_name": "default", "ip_permissions": [{"ip_protocol": "-1", "user_id_group_pairs": [{"group_id": "sg-2"}]}]},
        ],
        "db_instances": [{"db_instance_identifier": "db", "publicly_accessible": False, "storage_encrypted": True}],
        "buckets": [
            {
                "name": "files",
                "bucket_encryption": {"ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}},
                "public_access_block": {
                    "PublicAccessBlockConfiguration": dict.fromkeys(["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"], True)
                },
            }
        ],
        "launch_templates": [
            {
                "launch_template_name": "hybridcloud-ecs",
                "default_version_number": 2,
                "latest_version_number": 2,
                "versions": [
                    # An old version is not used: not judged.
                    {"version_number": 1, "launch_template_data": {"metadata_options": {"http_tokens": "optional", "http_put_response_hop_limit": 2}}},
                    {"version_number": 2, "launch_template_data": {"metadata_options": {"http_tokens": "required", "http_put_response_hop_limit": 1}}},
                ],
            }
        ],
        "vpcs": [{"id": "vpc-1"}],
        "flow_logs": [{"resource_id": "vpc-1", "flow_log_status": "ACTIVE"}],
        "backup_vaults": [{"backup_vault_name": "hybridcloud", "locked": True}, {"backup_vault_name": "hybridcloud-dr", "locked": True}],
        "backup_vault_policies": [
            {"backup_vault_name": "hybridcloud", "region": "us-east-1", "policy": deny_delete_policy()},
            {"backup_vault_name": "hybridcloud-dr", "region": "us-west-2", "policy": deny_delete_policy()},
        ],
        "activations": [
            {
                "activation_id": "act-1",
                "default_instance_name": "hybridcloud-onprem",
                "registration_limit": 5,
                "created_date": "2026-12-01T10:00:00+00:00",
                "expiration_date": "2026-12-08T10:00:00+00:00",
                "expired": False,
            }
        ],
        "activation_code": {
            "parameter_arn": PARAMETER_ARN,
            "key_arn": KEY_ARN,
            "key_manager": "CUSTOMER",
            "key_policy": policies["key_policy"],
            "account_id": ACCOUNT,
            "partition": "aws",
        },
        "roles": [
            # AmazonSSMManagedInstanceCore attached on top: the explicit denies still hold.
            {"name": "ecs-instance", "arn": f"arn:aws:iam::{ACCOUNT}:role/ecs-instance", "documents": [policies["instance_role_policy"], CORE]},
            {"name": "onprem", "arn": f"arn:aws:iam::{ACCOUNT}:role/onprem", "documents": [policies["onprem_role_policy"]]},
        ],
        "load_balancers": [
            {
                "load_balancer_name": "internal",
                "scheme": "internal",
                "listeners": [
                    {"port": 443, "protocol": "HTTPS", "default_actions": [{"type": "forward"}]},
                    {"port": 80, "protocol": "HTTP", "default_actions": [{"type": "redirect", "redirect_config": {"protocol": "HTTPS", "port": "443"}}]},
                ],
            }
        ],
    }


def kinds(result):
    return [(finding["kind"], finding["resource"]) for finding in result["findings"]]


def test_the_posture_the_roles_build_has_no_finding():
    result = findings_of(sound_facts(), SETTINGS)
    assert result["findings"] == []
    assert set(result["counts"].values()) == {0} and len(result["counts"]) == 14


def test_nothing_read_is_no_finding():
    assert findings_of({}, {})["findings"] == []


@pytest.mark.parametrize(
    "sources, message",
    [
        (["0.0.0.0/0"], "0.0.0.0/0, broader than /8"),
        (["0.0.0.0/1", "128.0.0.0/1"], "ingress from 0.0.0.0/1, 128.0.0.0/1 (together 0.0.0.0/0), broader than /8"),
        (["10.0.0.0/7"], "10.0.0.0/7, broader than /8"),
        # Each /9 is narrow enough; together they are 10.0.0.0/8 and 11.0.0.0/8 -> 10.0.0.0/7.
        (["10.0.0.0/9", "10.128.0.0/9", "11.0.0.0/9", "11.128.0.0/9"], "together cover 10.0.0.0/7, broader than /8"),
        # 256 /8s, each allowed, are the whole internet.
        ([f"{n}.0.0.0/8" for n in range(256)], "together cover 0.0.0.0/0"),
    ],
)
def test_security_group_sources_broader_than_the_minimum(sources, message):
    facts = sound_facts()
    facts["security_groups"][0]["ip_permissions"][0]["ip_ranges"] = [{"cidr_ip": source} for source in sources]
    result = findings_of(facts, SETTINGS)
    assert kinds(result) == [("security_group_source", "sg-1 (alb)")]
    assert message in result["findings"][0]["message"]


def test_ipv6_sources_and_a_configured_minimum():
    facts = sound_facts()
    facts["security_groups"][0]["ip_permissions"][0]["ipv6_ranges"] = [{"cidr_ipv6": "::/1"}, {"cidr_ipv6": "8000::/1"}]
    assert kinds(findings_of(facts, SETTINGS)) == [("security_group_source", "sg-1 (alb)")]
    # /8 is broader than a configured /16.
    assert kinds(findings_of(sound_facts(), dict(SETTINGS, min_source_prefix=16))) == [("security_group_source", "sg-1 (alb)")]


def test_a_public_or_unencrypted_database():
    facts = sound_facts()
    facts["db_instances"][0].update(publicly_accessible=True, storage_encrypted=False)
    assert kinds(findings_of(facts, SETTINGS)) == [("db_public", "db"), ("db_unencrypted", "db")]


def test_buckets_without_encryption_or_public_access_block():
    facts = sound_facts()
    facts["buckets"][0]["bucket_encryption"] = {}
    facts["buckets"][0]["public_access_block"]["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"] = False
    result = findings_of(facts, SETTINGS)
    assert kinds(result) == [("bucket_unencrypted", "files"), ("bucket_public_access", "files")]
    assert "RestrictPublicBuckets" in result["findings"][1]["message"]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"http_tokens": "optional", "http_put_response_hop_limit": 1}, "IMDSv1 is allowed"),
        ({"http_tokens": "required", "http_put_response_hop_limit": 2}, "hop limit 2"),
        ({}, "IMDSv1 is allowed"),
    ],
)
def test_launch_template_metadata_options(options, message):
    facts = sound_facts()
    template = facts["launch_templates"][0]
    template["versions"].append({"version_number": 3, "launch_template_data": {"metadata_options": options}})
    template["latest_version_number"] = 3
    result = findings_of(facts, SETTINGS)
    assert kinds(result) == [("imds", "hybridcloud-ecs version 3")]
    assert message in result["findings"][0]["message"]


def test_vpc_without_an_active_flow_log_and_vault_without_lock():
    facts = sound_facts()
    facts["flow_logs"] = [{"resource_id": "vpc-1", "flow_log_status": "FAILED"}]
    facts["backup_vaults"][1]["locked"] = False
    assert kinds(findings_of(facts, SETTINGS)) == [("flow_logs", "vpc-1"), ("vault_lock", "hybridcloud-dr")]


def test_vault_without_a_deny_delete_policy():
    """No policy, a policy denying only one of the two actions, an exemption (a condition): each a finding; without
    backup_vault_policies in the facts the check is not made."""
    facts = sound_facts()
    facts["backup_vault_policies"][0]["policy"] = None
    facts["backup_vault_policies"][1]["policy"] = deny_delete_policy(actions=["backup:DeleteRecoveryPoint"])
    result = findings_of(facts, SETTINGS)
    assert kinds(result) == [("vault_policy", "hybridcloud"), ("vault_policy", "hybridcloud-dr")]
    assert result["findings"][1]["message"].endswith("does not deny every principal backup:UpdateRecoveryPointLifecycle")
    exempting = deny_delete_policy(["arn:aws:iam::123456789012:role/x"])
    facts["backup_vault_policies"] = [{"backup_vault_name": name, "policy": exempting} for name in ("hybridcloud", "hybridcloud-dr")]
    assert kinds(findings_of(facts, SETTINGS)) == [("vault_policy", "hybridcloud"), ("vault_policy", "hybridcloud-dr")]
    facts["backup_vault_policies"] = [{"backup_vault_name": "hybridcloud", "policy": json.dumps(deny_delete_policy())}]
    assert kinds(findings_of(facts, SETTINGS)) == [("vault_policy", "hybridcloud-dr")]
    del facts["backup_vault_policies"]
    assert kinds(findings_of(facts, SETTINGS)) == []


def test_activation_limit_and_lifetime():
    facts = sound_facts()
    facts["activations"][0].update(registration_limit=20, expiration_date="2026-12-31T10:00:00Z")
    result = findings_of(facts, SETTINGS)
    assert kinds(result) == [("activation_limit", "act-1 (hybridcloud-onprem)"), ("activation_expiry", "act-1 (hybridcloud-onprem)")]
    assert "20 registrations, more than 5" in result["findings"][0]["message"]
    assert "30.0 days, more than 7" in result["findings"][1]["message"]
    # An expired activation registers nobody.
    facts["activations"][0]["expired"] = True
    assert findings_of(facts, SETTINGS)["findings"] == []


def test_activation_settings_are_required_when_activations_are_read():
    with pytest.raises(AnsibleFilterError, match="max_registrations"):
        findings_of(sound_facts(), {"max_expiration_days": 7})


def test_a_role_without_the_denies_reads_and_decrypts_the_code():
    facts = sound_facts()
    facts["roles"][0]["documents"] = [CORE]
    # The key policy still names only the deploying principal: the role may read the parameter but not decrypt it.
    assert [f["message"] for f in findings_of(facts, SETTINGS)["findings"]] == ["may read the activation code parameter (ssm:GetParameter, ssm:GetParameters)"]
    # A key policy that lets IAM policies grant use of the key, and a role that is granted it: both layers are open.
    facts["activation_code"]["key_policy"] = {
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}]
    }
    facts["roles"][0]["documents"] = [CORE, {"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}]
    assert [f["message"] for f in findings_of(facts, SETTINGS)["findings"]] == [
        "may decrypt the activation code (kms:Decrypt)",
        "may read the activation code parameter (ssm:GetParameter, ssm:GetParameters)",
    ]


def test_a_code_under_an_aws_managed_key():
    facts = sound_facts()
    facts["activation_code"].update(key_manager="AWS", key_policy=None)
    facts["roles"][0]["documents"] = [CORE]
    result = findings_of(facts, SETTINGS)
    assert [(f["resource"], f["message"][:40]) for f in result["findings"]] == [
        (PARAMETER_ARN, "the code is encrypted with an AWS manage"),
        ("ecs-instance", "may decrypt the activation code (kms:Dec"),
        ("ecs-instance", "may read the activation code parameter ("),
    ]


def test_an_unknown_condition_operator_is_reported_not_guessed():
    facts = sound_facts()
    facts["roles"][0]["documents"] = [
        {"Statement": [{"Effect": "Allow", "Action": "ssm:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}
    ]
    assert "IpAddress, which the audit cannot evaluate" in findings_of(facts, SETTINGS)["findings"][0]["message"]


def test_load_balancer_scheme_and_plain_http():
    facts = sound_facts()
    lb = facts["load_balancers"][0]
    lb["scheme"] = "internet-facing"
    lb["listeners"][1]["default_actions"] = [{"type": "forward"}]
    assert kinds(findings_of(facts, SETTINGS)) == [("alb_internet_facing", "internal"), ("alb_plain_http", "internal:80")]
    # Plain HTTP chosen explicitly: only the scheme is a finding.
    assert kinds(findings_of(facts, dict(SETTINGS, allow_plain_http=True))) == [("alb_internet_facing", "internal")]


def test_api_shapes_are_read_too():
    """CamelCase as the APIs return it (a caller that passes boto3 results straight through)."""
    facts = {
        "security_groups": [{"GroupId": "sg-9", "GroupName": "x", "IpPermissions": [{"IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}],
        "db_instances": [{"DBInstanceIdentifier": "db", "PubliclyAccessible": True, "StorageEncrypted": True}],
    }
    assert kinds(findings_of(facts, {})) == [("security_group_source", "sg-9 (x)"), ("db_public", "db")]


def test_bad_settings_fail_naming_them():
    with pytest.raises(AnsibleFilterError, match="min_source_prefix"):
        findings_of({}, {"min_source_prefix": 40})
    with pytest.raises(AnsibleFilterError, match="must be a dict"):
        findings_of([], {})


def test_the_evaluator_follows_the_documented_logic():
    allow_all = {"Statement": [{"Effect": "Allow", "Action": "ssm:Get*", "Resource": "*"}]}
    deny_one = {"Statement": [{"Effect": "Deny", "Action": ["ssm:GetParameter"], "Resource": [PARAMETER_ARN]}]}
    assert decide([allow_all], "ssm:getparameter", PARAMETER_ARN) == "allow"
    assert decide([allow_all, deny_one], "ssm:GetParameter", PARAMETER_ARN) == "deny"
    assert decide([allow_all, json.dumps(deny_one)], "ssm:GetParameter", PARAMETER_ARN + "-other") == "allow"
    not_action = {"Statement": [{"Effect": "Allow", "NotAction": "kms:*", "Resource": "*"}]}
    assert decide([not_action], "kms:Decrypt", KEY_ARN) is None and decide([not_action], "ssm:GetParameter", PARAMETER_ARN) == "allow"


def test_documentation_parses():
    import yaml

    assert yaml.safe_load(DOCUMENTATION)["name"] == "posture_findings"
    assert yaml.safe_load(EXAMPLES) and yaml.safe_load(RETURN)["_value"]["contains"]["findings"]


def test_facts_are_not_changed():
    facts = sound_facts()
    before = copy.deepcopy(facts)
    findings_of(facts, SETTINGS)
    assert facts == before
