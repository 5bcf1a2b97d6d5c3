"""The activation path is closed: hybridcloud.aws.systems_manager and hybridcloud.aws.ecs_cluster converged together
against the emulator, their IAM and KMS policies read back (GetRolePolicy, ListAttachedRolePolicies, GetPolicyVersion,
GetKeyPolicy) and evaluated the way AWS evaluates them: neither the ECS container instances' role nor the on-premises
managed-instance role can read the activation code parameter or decrypt it with its key, the deploying principal can;
the agents keep what they need (SSM agent, ECS registration in the one cluster only). The launch template keeps the
instance metadata from containers (IMDSv2, hop limit 1). The activation allows the inventory's hosts plus 2
registrations for 7 days, and the code still registers a host.

moto implements no SimulatePrincipalPolicy and enforces IAM only process-wide (INITIAL_NO_AUTH_ACTION_COUNT), which the
shared emulator cannot switch on for one test; its own evaluator (moto.iam.access_control) ignores conditions and
turns a failed Allow condition into a Deny. So the evaluator below follows AWS's documented logic instead
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html and, for KMS,
https://docs.aws.amazon.com/kms/latest/developerguide/determining-access-key-policy.html):

- an explicit Deny in any applicable policy wins; else an Allow grants; else the request is implicitly denied;
- Action and Resource match with the * and ? wildcards, actions case-insensitively; NotAction / NotResource invert;
- a Condition holds when every operator holds; a key missing from the request context makes an operator false
  (StringEquals, StringLike, ArnEquals, ArnLike and their lists of values are what these policies use; any other
  operator fails the test rather than being guessed);
- KMS: the key policy decides first. A principal may use a key when no policy denies it and the key policy allows it
  by name, or the key policy allows the account (its root) that action and an identity policy allows it too.
"""

import fnmatch
import json
import re
import urllib.request

import pytest

REGION = "us-east-1"
ACCOUNT = "123456789012"
TAGS = {"Project": "hybridcloud", "Environment": "lab"}
PARAMETER = "/hybridcloud/ssm/activation"
PARAMETER_ARN = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{PARAMETER}"
INSTANCE_ROLE = "hybridcloud-ecs-instance"
ONPREM_ROLE = "hybridcloud-onprem-ssm"
CLUSTER_ARN = f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/hybridcloud"
ROLES = [
    {"name": "cluster", "ansible.builtin.include_role": {"name": "hybridcloud.aws.ecs_cluster"}},
    {"name": "systems manager", "ansible.builtin.include_role": {"name": "hybridcloud.aws.systems_manager"}},
]
CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"


# --- the evaluator ----------------------------------------------------------------------------------------------


def _listed(value):
    return value if isinstance(value, list) else [value]


def _wildcard(pattern, value, ignore_case=False):
    if ignore_case:
        pattern, value = pattern.lower(), value.lower()
    return re.fullmatch(fnmatch.translate(pattern), value) is not None


def _condition_holds(condition, context):
    for operator, tests in condition.items():
        for key, wanted in tests.items():
            if key not in context:
                return False
            actual = context[key]
            if operator in ("StringEquals", "ArnEquals"):
                ok = actual in _listed(wanted)
            elif operator in ("StringLike", "ArnLike"):
                ok = any(_wildcard(pattern, actual) for pattern in _listed(wanted))
            else:
                raise AssertionError(f"the evaluator does not know the condition operator {operator}")
            if not ok:
                return False
    return True


def _applies(statement, action, resource, context, principal=None):
    if "Action" in statement:
        if not any(_wildcard(pattern, action, ignore_case=True) for pattern in _listed(statement["Action"])):
            return False
    elif any(_wildcard(pattern, action, ignore_case=True) for pattern in _listed(statement["NotAction"])):
        return False
    if "Resource" in statement:
        if not any(_wildcard(pattern, resource) for pattern in _listed(statement["Resource"])):
            return False
    elif "NotResource" in statement and any(_wildcard(pattern, resource) for pattern in _listed(statement["NotResource"])):
        return False
    if principal is not None:
        named = statement.get("Principal", {})
        if named != "*" and principal not in _listed(named.get("AWS", [])) and "*" not in _listed(named.get("AWS", [])):
            return False
    return _condition_holds(statement.get("Condition", {}), context)


def decide(documents, action, resource, context=None, principal=None):
    """'deny' (explicit), 'allow' or None (implicit deny) of a set of policy documents for one request."""
    decision = None
    for document in documents:
        for statement in _listed(document["Statement"]):
            if _applies(statement, action, resource, context or {}, principal):
                if statement["Effect"] == "Deny":
                    return "deny"
                decision = "allow"
    return decision


def allowed(identity_documents, action, resource, context=None):
    return decide(identity_documents, action, resource, context) == "allow"


def kms_allowed(principal, identity_documents, key_policy, action, key_arn, *, context=None):
    """Whether principal may call action on the key: see the module docstring."""
    context = context or {}
    if decide(identity_documents, action, key_arn, context) == "deny" or decide([key_policy], action, key_arn, context, principal) == "deny":
        return False
    if decide([key_policy], action, key_arn, context, principal) == "allow":
        return True
    root = f"arn:aws:iam::{ACCOUNT}:root"
    return decide([key_policy], action, key_arn, context, root) == "allow" and decide(identity_documents, action, key_arn, context) == "allow"


def identity_documents(iam, role):
    """Every identity policy of a role as the emulator holds it: inline and attached (default versions)."""
    documents = []
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
        documents.append(json.loads(document) if isinstance(document, str) else document)
    for attached in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        policy = iam.get_policy(PolicyArn=attached["PolicyArn"])["Policy"]
        version = iam.get_policy_version(PolicyArn=attached["PolicyArn"], VersionId=policy["DefaultVersionId"])["PolicyVersion"]
        document = version["Document"]
        documents.append(json.loads(document) if isinstance(document, str) else document)
    return documents


def test_evaluator_follows_the_documented_logic():
    allow_all = {"Statement": [{"Effect": "Allow", "Action": "ssm:Get*", "Resource": "*"}]}
    deny_one = {"Statement": [{"Effect": "Deny", "Action": ["ssm:GetParameter"], "Resource": [PARAMETER_ARN]}]}
    assert allowed([allow_all], "ssm:getparameter", PARAMETER_ARN)
    assert not allowed([allow_all, deny_one], "ssm:GetParameter", PARAMETER_ARN)
    assert allowed([allow_all, deny_one], "ssm:GetParameter", PARAMETER_ARN + "-other")
    assert decide([deny_one], "ssm:PutParameter", PARAMETER_ARN) is None
    conditional = {"Statement": [{"Effect": "Deny", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringLike": {"k": "a*"}}}]}
    assert decide([conditional], "kms:Decrypt", "key", {"k": "abc"}) == "deny"
    assert decide([conditional], "kms:Decrypt", "key", {"k": "xbc"}) is None
    assert decide([conditional], "kms:Decrypt", "key", {}) is None


# --- the converged path ---------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def controller_aws_environment(monkeypatch, emulator_endpoint):
    """The AMI lookup runs on the controller and ignores module_defaults."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture
def converged(playbook, aws):
    ec2 = aws("ec2", region=REGION)
    vpc_id = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.40.{16 * index}.0/20", AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for index, zone in enumerate(["us-east-1a", "us-east-1b"])
    ]
    group_id = ec2.create_security_group(VpcId=vpc_id, GroupName="hybridcloud-tasks", Description="tasks")["GroupId"]
    extra_vars = {
        "aws_region": REGION,
        "hybridcloud_tags": TAGS,
        "ecs_cluster_name": "hybridcloud",
        "ecs_cluster_subnet_ids": subnets,
        "ecs_cluster_security_group_ids": [group_id],
        # What groups['onprem'] | length gives with three hosts in the inventory.
        "systems_manager_onprem_hosts": 3,
    }
    result = playbook(ROLES, extra_vars=extra_vars)
    assert result.failed == 0, result.output
    return result


def test_only_the_deploying_principal_reads_the_activation_code(converged, aws, emulator_endpoint):
    iam, kms, ssm = aws("iam"), aws("kms", region=REGION), aws("ssm", region=REGION)
    key = kms.describe_key(KeyId="alias/hybridcloud/activation-code")["KeyMetadata"]
    [parameter] = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [PARAMETER]}])["Parameters"]
    assert (parameter["Type"], parameter["KeyId"]) == ("SecureString", key["Arn"])
    key_policy = json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
    deployer = aws("sts").get_caller_identity()["Arn"]
    decrypt_context = {"kms:EncryptionContext:PARAMETER_ARN": PARAMETER_ARN, "kms:ViaService": f"ssm.{REGION}.amazonaws.com"}

    for role in (INSTANCE_ROLE, ONPREM_ROLE):
        documents = identity_documents(iam, role)
        principal = iam.get_role(RoleName=role)["Role"]["Arn"]
        for action in ("ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory", "ssm:PutParameter"):
            assert not allowed(documents, action, PARAMETER_ARN), (role, action)
        for action in ("kms:Decrypt", "kms:ReEncryptFrom", "kms:CreateGrant"):
            assert not kms_allowed(principal, documents, key_policy, action, key["Arn"], context=decrypt_context), (role, action)
        # The SSM agent still works (Session Manager, State Manager, inventory).
        for action in ("ssm:UpdateInstanceInformation", "ssm:ListInstanceAssociations", "ssmmessages:OpenDataChannel", "ec2messages:GetMessages"):
            assert allowed(documents, action, "*"), (role, action)

    # The on-premises agents register in the one cluster and in no other; they cannot create clusters.
    onprem = identity_documents(iam, ONPREM_ROLE)
    assert allowed(onprem, "ecs:RegisterContainerInstance", CLUSTER_ARN)
    assert allowed(onprem, "ecs:Poll", f"arn:aws:ecs:{REGION}:{ACCOUNT}:container-instance/hybridcloud/0123")
    assert not allowed(onprem, "ecs:RegisterContainerInstance", CLUSTER_ARN + "-other")
    assert not allowed(onprem, "ecs:Poll", f"arn:aws:ecs:{REGION}:{ACCOUNT}:container-instance/other/0123")
    assert not allowed(onprem, "ecs:CreateCluster", "*")

    # The deploying principal uses the key through the key policy by name; the account only administers it.
    assert kms_allowed(deployer, [], key_policy, "kms:Decrypt", key["Arn"], context=decrypt_context)
    assert kms_allowed(deployer, [], key_policy, "kms:Encrypt", key["Arn"], context=decrypt_context)
    root = f"arn:aws:iam::{ACCOUNT}:root"
    admin_everything = [{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]
    assert kms_allowed(root, admin_everything, key_policy, "kms:PutKeyPolicy", key["Arn"])
    assert not kms_allowed(f"arn:aws:iam::{ACCOUNT}:role/some-admin", admin_everything, key_policy, "kms:Decrypt", key["Arn"], context=decrypt_context)
    stored = json.loads(ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"])

    # Containers cannot reach the instance metadata (and the instance role's credentials): IMDSv2, one hop.
    template = aws("ec2", region=REGION).describe_launch_template_versions(LaunchTemplateName="hybridcloud-ecs", Versions=["$Default"])
    metadata = template["LaunchTemplateVersions"][0]["LaunchTemplateData"]["MetadataOptions"]
    assert (metadata["HttpTokens"], metadata["HttpPutResponseHopLimit"]) == ("required", 1)

    # A short-lived activation for the inventory's hosts plus 2, and the code the controller hands over registers a host.
    [activation] = ssm.describe_activations()["ActivationList"]
    assert (activation["ActivationId"], activation["RegistrationLimit"], activation["IamRole"]) == (stored["id"], 5, ONPREM_ROLE)
    lifetime = activation["ExpirationDate"] - activation["CreatedDate"]
    assert 6.9 * 86400 < lifetime.total_seconds() <= 7 * 86400
    payload = {"ActivationId": stored["id"], "ActivationCode": stored["code"], "PublicKey": "lab-key", "PublicKeyType": "Rsa"}
    headers = {"X-Amz-Target": "AmazonSSM.RegisterManagedInstance", "Content-Type": "application/x-amz-json-1.1"}
    request = urllib.request.Request(emulator_endpoint + "/", data=json.dumps(payload).encode(), headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.loads(answer.read())["InstanceId"].startswith("mi-")

    # Someone attaches AmazonSSMManagedInstanceCore (ssm:GetParameter on *) to both roles: the denies still hold.
    # Without the roles' inline policies (the state before this change) the same evaluation finds the code readable,
    # which is how this test fails when the denies go.
    for role in (INSTANCE_ROLE, ONPREM_ROLE):
        iam.attach_role_policy(RoleName=role, PolicyArn=CORE)
        assert not allowed(identity_documents(iam, role), "ssm:GetParameter", PARAMETER_ARN)
        for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
            iam.delete_role_policy(RoleName=role, PolicyName=name)
        assert allowed(identity_documents(iam, role), "ssm:GetParameter", PARAMETER_ARN)
