#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright (c) 2026 hybridcloud.aws contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: storagegateway_nfs_file_share
version_added: 0.1.0
short_description: Manage the NFS file shares of an AWS Storage Gateway S3 File Gateway
description:
  - Creates, updates in place and deletes an NFS file share of an S3 File Gateway, which exports an S3 bucket
    (or a prefix of it) to NFS clients on premises.
  - A share is identified by its I(file_share_name) on the gateway I(gateway_arn); the module fails when several
    NFS shares of that gateway carry the name. Shares being deleted are ignored.
  - I(location_arn), I(role_arn), I(bucket_region) and I(vpc_endpoint_dns_name) are fixed when the share is created
    (UpdateNFSFileShare cannot change them). When they differ from the existing share the module fails, unless
    I(recreate=true), which deletes the share and creates it again (NFS clients lose the mount meanwhile).
  - Options that are not set are left as they are on an existing share, except I(squash) and
    I(default_storage_class), which have defaults.
  - The create request carries a ClientToken derived from the whole request (gateway and name included), so a
    create that is retried never makes a second share.
  - Upstream M(community.aws.storagegateway_info) only lists file shares; no upstream module creates or changes
    one, hence this module.
author:
  - hybridcloud.aws maintainers (@hybridcloud)
options:
  gateway_arn:
    description:
      - ARN of the S3 File Gateway that serves the share.
    required: true
    type: str
  file_share_name:
    description:
      - Name of the share on the gateway (1 to 255 characters); NFS clients mount C(GATEWAY_IP:/FILE_SHARE_NAME).
    required: true
    type: str
    aliases: [name]
  state:
    description:
      - Whether the share should exist. Deleting a share does not delete the objects in the bucket.
    choices: [present, absent]
    default: present
    type: str
  location_arn:
    description:
      - ARN of the bucket, optionally with a prefix that ends with C(/) (C(arn:aws:s3:::bucket/prefix/)), or of an
        S3 access point. Required with I(state=present).
    type: str
  role_arn:
    description:
      - ARN of the IAM role the gateway assumes to reach the bucket. Required with I(state=present).
    type: str
  client_list:
    description:
      - IPv4 or IPv6 addresses or CIDR blocks allowed to mount the share (1 to 100 entries). Required with I(state=present).
      - A CIDR must be a network address (no host bits set) and no broader than O(min_client_prefix) (IPv6 no broader
        than /32), so neither V(0.0.0.0/0) nor V([0.0.0.0/1, 128.0.0.0/1]) opens the share to everyone.
    type: list
    elements: str
  min_client_prefix:
    description:
      - The broadest IPv4 prefix O(client_list) may contain (prefix length, 0 to 32).
    type: int
    default: 8
    version_added: 0.2.0
  squash:
    description:
      - How the gateway maps the users of the NFS clients.
    choices: [RootSquash, NoSquash, AllSquash]
    default: RootSquash
    type: str
  default_storage_class:
    description:
      - Storage class of the objects the gateway writes.
    choices: [S3_STANDARD, S3_INTELLIGENT_TIERING, S3_STANDARD_IA, S3_ONEZONE_IA]
    default: S3_INTELLIGENT_TIERING
    type: str
  encryption_type:
    description:
      - How the objects are encrypted in S3. C(SseKms) and C(DsseKms) need I(kms_key).
    choices: [SseS3, SseKms, DsseKms]
    type: str
  kms_key:
    description:
      - ARN of the KMS key for I(encryption_type=SseKms) or C(DsseKms). Give the key ARN, as the API returns it.
    type: str
  object_acl:
    description:
      - Access control list the gateway gives the objects it writes.
    choices: [private, public-read, public-read-write, authenticated-read, bucket-owner-read, bucket-owner-full-control, aws-exec-read]
    type: str
  read_only:
    description:
      - Export the share read-only.
    type: bool
  guess_mime_type_enabled:
    description:
      - Set the MIME type of uploaded objects from their file extension.
    type: bool
  requester_pays:
    description:
      - Make the requester pay for the S3 requests (the bucket must be a requester-pays bucket).
    type: bool
  cache_stale_timeout:
    description:
      - Seconds after which the gateway refreshes a directory's listing from S3, 0 (never) or 300 to 2592000.
    type: int
  nfs_file_share_defaults:
    description:
      - Ownership and permissions of files and directories the gateway shows for objects that have none.
      - Fields not set keep their current values.
    type: dict
    suboptions:
      file_mode:
        description:
          - Mode of files as four octal digits, quoted in YAML (C("0644")).
        type: str
      directory_mode:
        description:
          - Mode of directories as four octal digits, quoted in YAML (C("0755")).
        type: str
      group_id:
        description:
          - Group ID of files and directories (0 to 4294967294).
        type: int
      owner_id:
        description:
          - Owner ID of files and directories (0 to 4294967294).
        type: int
  notification_policy:
    description:
      - 'File upload notification policy as a JSON object, for example C({"Upload": {"SettlingTimeInSeconds": 60}});
        C({}) turns notifications off.'
    type: json
  audit_destination_arn:
    description:
      - ARN of the CloudWatch log group that receives the share's audit logs; an empty string turns audit logs off.
    type: str
  bucket_region:
    description:
      - Region of the bucket when it is reached through a VPC endpoint or an access point in another region.
      - Fixed at creation.
    type: str
  vpc_endpoint_dns_name:
    description:
      - DNS name of the S3 interface VPC endpoint the gateway uses. Fixed at creation.
    type: str
  recreate:
    description:
      - Delete and create the share again when a field that cannot change in place differs.
    type: bool
    default: false
  client_token:
    description:
      - ClientToken of the create request (5 to 100 characters), instead of the one derived from the share.
      - Needed only to create again a share identical to one that was deleted, if AWS still remembers its token.
    type: str
  force_delete:
    description:
      - With I(state=absent), delete the share at once, abandoning the data the gateway did not upload yet.
    type: bool
    default: false
  wait:
    description:
      - Wait until the share is C(AVAILABLE) after a create or update, or gone after a delete.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait when I(wait=true) or when I(recreate) waits for the old share to go.
    type: int
    default: 300
notes:
  - Supports C(check_mode) and C(diff).
  - The NFS mount command on a client is C(mount -t nfs -o nolock,hard NFS_PATH MOUNTPOINT), with I(nfs_path) from the result.
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
  - hybridcloud.aws.attributes
  - hybridcloud.aws.attributes.aws_api
"""

EXAMPLES = r"""
- name: Export the backups prefix of the bucket to the data centre's networks
  hybridcloud.aws.storagegateway_nfs_file_share:
    gateway_arn: "{{ file_gateway.gateway_arn }}"
    file_share_name: backups
    location_arn: arn:aws:s3:::acme-file-gateway/backups/
    role_arn: arn:aws:iam::123456789012:role/file-gateway-s3-access
    client_list:
      - 10.20.0.0/16
      - 10.30.4.0/24
    encryption_type: SseKms
    kms_key: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    cache_stale_timeout: 300
    nfs_file_share_defaults:
      file_mode: "0640"
      directory_mode: "0750"
      owner_id: 1000
      group_id: 1000
    notification_policy: '{"Upload": {"SettlingTimeInSeconds": 60}}'
    tags:
      site: dc1
    wait: true
  register: backups_share

- name: Mount it on a client
  ansible.posix.mount:
    src: "{{ backups_share.nfs_path }}"
    path: /mnt/backups
    fstype: nfs
    opts: nolock,hard,_netdev,nofail
    state: mounted

- name: Point the share at another bucket (deletes and recreates it)
  hybridcloud.aws.storagegateway_nfs_file_share:
    gateway_arn: "{{ file_gateway.gateway_arn }}"
    file_share_name: backups
    location_arn: arn:aws:s3:::acme-file-gateway-v2/backups/
    role_arn: arn:aws:iam::123456789012:role/file-gateway-s3-access
    client_list: [10.20.0.0/16]
    recreate: true

- name: Remove the share
  hybridcloud.aws.storagegateway_nfs_file_share:
    gateway_arn: "{{ file_gateway.gateway_arn }}"
    file_share_name: backups
    state: absent
"""

RETURN = r"""
file_share_arn:
  description: ARN of the share; null in check mode before it is created.
  returned: when state=present
  type: str
  sample: arn:aws:storagegateway:eu-west-1:123456789012:share/share-1A2B3C4D
file_share_id:
  description: Identifier of the share.
  returned: when state=present
  type: str
  sample: share-1A2B3C4D
status:
  description: Status of the share (C(CREATING), C(UPDATING), C(AVAILABLE), ...); null in check mode before it is created.
  returned: when state=present
  type: str
  sample: AVAILABLE
path:
  description: Path the gateway exports the share as.
  returned: when state=present
  type: str
  sample: /backups
nfs_path:
  description: What NFS clients mount, C(GATEWAY_IP:PATH); null while the gateway has no IPv4 address.
  returned: when state=present
  type: str
  sample: 10.20.0.15:/backups
file_share:
  description: The settings of the share, in the module's option names.
  returned: when state=present
  type: dict
  contains:
    file_share_name:
      description: Name of the share.
      type: str
    location_arn:
      description: Bucket (and prefix) of the share.
      type: str
    role_arn:
      description: Role the gateway assumes.
      type: str
    client_list:
      description: Allowed clients, sorted.
      type: list
      elements: str
    squash:
      description: User mapping.
      type: str
    default_storage_class:
      description: Storage class of new objects.
      type: str
    encryption_type:
      description: Encryption of the objects.
      type: str
    kms_key:
      description: KMS key, or null.
      type: str
    object_acl:
      description: ACL of new objects.
      type: str
    read_only:
      description: Whether the share is read-only.
      type: bool
    guess_mime_type_enabled:
      description: Whether MIME types are guessed.
      type: bool
    requester_pays:
      description: Whether the requester pays.
      type: bool
    cache_stale_timeout:
      description: Directory cache refresh in seconds, or null.
      type: int
    nfs_file_share_defaults:
      description: Default file_mode, directory_mode, group_id and owner_id.
      type: dict
    notification_policy:
      description: Notification policy as compact JSON, or null.
      type: str
    audit_destination_arn:
      description: Audit log destination, or an empty string.
      type: str
    bucket_region:
      description: Region of the bucket, or null.
      type: str
    vpc_endpoint_dns_name:
      description: VPC endpoint DNS name, or null.
      type: str
    tags:
      description: Tags of the share.
      type: dict
waited:
  description:
    - What the module's waits saw, one entry per wait in the order they ran
      (polling every 5 seconds).
    - Each poll is also written, as it happens, to the log of the host that runs the module (syslog or the journal),
      one line per poll that names what it waits for, the poll's number, the seconds since the wait began and the
      state it saw.
  returned: when the module waited, also when it failed
  type: list
  elements: dict
  contains:
    what:
      description: What the module waited for.
      type: str
      sample: file share arn:aws:storagegateway:eu-west-1:123456789012:share/share-1234ABCD to be AVAILABLE
    seconds:
      description: Seconds from the start of the wait to its last poll.
      type: float
      sample: 10.0
    polls:
      description: How many times the module read the resource.
      type: int
      sample: 3
    states:
      description: What the polls saw, in order; consecutive polls that saw the same state are one entry.
      type: list
      elements: dict
      contains:
        state:
          description: Status of the file share, or when waiting for it to go, C(still listed) and C(deleted).
          type: str
        seconds:
          description: Seconds from the start of the wait to the first poll of this entry.
          type: float
        polls:
          description: How many consecutive polls saw this state.
          type: int
      sample: [{state: CREATING, seconds: 0.0, polls: 2}, {state: AVAILABLE, seconds: 10.0, polls: 1}]
"""

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.hybridcloud.aws.plugins.module_utils.cidr import DEFAULT_MIN_SOURCE_PREFIX
from ansible_collections.hybridcloud.aws.plugins.module_utils.cidr import source_problems
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import AnsibleStorageGatewayError
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import create_nfs_file_share
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import create_only_differences
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import delete_file_share
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import describe_nfs_file_share
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import ensure_tags
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import find_gateway_ip_address
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import find_nfs_file_shares
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import nfs_file_share_create_request
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import nfs_file_share_update
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import nfs_path
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import normalize_nfs_file_share
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import update_nfs_file_share
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import wait_for_file_share
from ansible_collections.hybridcloud.aws.plugins.module_utils.waiting import Waits
from ansible_collections.hybridcloud.aws.plugins.module_utils.storagegateway import wanted_nfs_file_share

MODE = re.compile(r"^[0-7]{4}$")
MAX_ID = 4294967294
BUCKET_ARN = re.compile(r"^arn:[\w-]+:s3:::[^/]+(/.*)?$")
ACCESS_POINT_ARN = re.compile(r"^arn:[\w-]+:s3:[\w-]+:\d{12}:accesspoint/\S+$")
ROLE_ARN = re.compile(r"^arn:[\w-]+:iam::\d+:role/\S+$")


def client_list_errors(clients, min_prefix=DEFAULT_MIN_SOURCE_PREFIX):
    if not 1 <= len(clients) <= 100:
        return [f"client_list must have 1 to 100 entries, got {len(clients)}"]
    if not 0 <= min_prefix <= 32:
        return [f"min_client_prefix must be 0 to 32, got {min_prefix}"]
    return source_problems("client_list", clients, min_prefix, version=None, strict=False)


def defaults_errors(defaults):
    errors = []
    for option in ("file_mode", "directory_mode"):
        if defaults.get(option) is not None and not MODE.match(defaults[option]):
            errors.append(f"nfs_file_share_defaults.{option} must be four octal digits such as '0644' (quote it in YAML), got {defaults[option]!r}")
    for option in ("group_id", "owner_id"):
        if defaults.get(option) is not None and not 0 <= defaults[option] <= MAX_ID:
            errors.append(f"nfs_file_share_defaults.{option} must be between 0 and {MAX_ID}")
    return errors


def location_errors(location_arn):
    if ACCESS_POINT_ARN.match(location_arn):
        return []
    match = BUCKET_ARN.match(location_arn)
    if not match:
        return [f"location_arn must be a bucket ARN such as arn:aws:s3:::bucket or arn:aws:s3:::bucket/prefix/, got {location_arn!r}"]
    if match.group(1) and not location_arn.endswith("/"):
        return [f"the prefix of location_arn must end with '/', got {location_arn!r}"]
    return []


def is_json_object(text):
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def validate(module):
    params = module.params
    errors = []
    # required_if counts an option set to null as given.
    missing = [option for option in ("location_arn", "role_arn", "client_list") if params[option] is None]
    if params["state"] == "present" and missing:
        errors.append(f"state=present needs {', '.join(missing)}")
    if not 1 <= len(params["file_share_name"]) <= 255:
        errors.append("file_share_name must be 1 to 255 characters long")
    if params["client_list"] is not None:
        errors.extend(client_list_errors(params["client_list"], params["min_client_prefix"]))
    if params["location_arn"] is not None:
        errors.extend(location_errors(params["location_arn"]))
    if params["role_arn"] is not None and not ROLE_ARN.match(params["role_arn"]):
        errors.append(f"role_arn must be an IAM role ARN such as arn:aws:iam::123456789012:role/NAME, got {params['role_arn']!r}")
    if params["kms_key"] and params["encryption_type"] not in ("SseKms", "DsseKms"):
        errors.append("kms_key needs encryption_type SseKms or DsseKms")
    timeout = params["cache_stale_timeout"]
    if timeout is not None and timeout != 0 and not 300 <= timeout <= 2592000:
        errors.append(f"cache_stale_timeout must be 0 or between 300 and 2592000, got {timeout}")
    errors.extend(defaults_errors(params["nfs_file_share_defaults"] or {}))
    if params["notification_policy"] is not None and not is_json_object(params["notification_policy"]):
        errors.append(f"notification_policy must be a JSON object, got {params['notification_policy']!r}")
    token = params["client_token"]
    if token is not None and not 5 <= len(token) <= 100:
        errors.append("client_token must be 5 to 100 characters long")
    if errors:
        module.fail_json(msg="; ".join(errors))


def create(module, client, wanted, waits):
    params = module.params
    if module.check_mode:
        return None
    arn = create_nfs_file_share(client, nfs_file_share_create_request(params["gateway_arn"], wanted, params["client_token"]))
    if params["wait"]:
        wait_for_file_share(client, params["gateway_arn"], arn, params["wait_timeout"], progress=waits)
    return describe_nfs_file_share(client, arn)


def replace(module, client, info, before, wanted, *, waits):
    """Delete the share and create it again with the fields that cannot change in place."""
    params = module.params
    differences = create_only_differences(before, wanted)
    if not params["recreate"]:
        listed = ", ".join(f"{option} {old!r} -> {new!r}" for option, (old, new) in sorted(differences.items()))
        module.fail_json(
            msg=f"file share {params['file_share_name']} ({info['FileShareARN']}) cannot change in place: {listed}; "
            "set recreate=true to delete and create it again (NFS clients lose the mount meanwhile)"
        )
    if module.check_mode:
        return None
    delete_file_share(client, info["FileShareARN"], False)
    wait_for_file_share(client, params["gateway_arn"], info["FileShareARN"], params["wait_timeout"], gone=True, progress=waits)
    return create(module, client, wanted, waits)


def update(module, client, info, before, wanted, *, waits):
    """Change in place what differs; returns the share's description and whether it changed."""
    params = module.params
    changes = nfs_file_share_update(before, wanted)
    arn = info["FileShareARN"]
    if changes and not module.check_mode:
        update_nfs_file_share(client, arn, changes)
    tags_changed, _tags = ensure_tags(client, arn, before["tags"], params["tags"], purge_tags=params["purge_tags"], check_mode=module.check_mode)
    changed = bool(changes) or tags_changed
    if changed and not module.check_mode:
        if changes and params["wait"]:
            wait_for_file_share(client, params["gateway_arn"], arn, params["wait_timeout"], progress=waits)
        info = describe_nfs_file_share(client, arn)
    return info, changed


def result_of(client, module, info, view):
    """Top-level results; info is None in check mode before the share exists, view is what it would look like."""
    info = info or {}
    gateway_ip = find_gateway_ip_address(client, module.params["gateway_arn"])
    return dict(
        file_share_arn=info.get("FileShareARN"),
        file_share_id=info.get("FileShareId"),
        status=info.get("FileShareStatus"),
        path=info.get("Path") or f"/{view['file_share_name']}",
        nfs_path=nfs_path(gateway_ip, info, view["file_share_name"]),
        file_share=view,
    )


def main():
    argument_spec = dict(
        gateway_arn=dict(type="str", required=True),
        file_share_name=dict(type="str", required=True, aliases=["name"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        location_arn=dict(type="str"),
        role_arn=dict(type="str"),
        client_list=dict(type="list", elements="str"),
        min_client_prefix=dict(type="int", default=8),
        squash=dict(type="str", default="RootSquash", choices=["RootSquash", "NoSquash", "AllSquash"]),
        default_storage_class=dict(
            type="str", default="S3_INTELLIGENT_TIERING", choices=["S3_STANDARD", "S3_INTELLIGENT_TIERING", "S3_STANDARD_IA", "S3_ONEZONE_IA"]
        ),
        encryption_type=dict(type="str", choices=["SseS3", "SseKms", "DsseKms"]),
        kms_key=dict(type="str", no_log=False),
        object_acl=dict(
            type="str",
            choices=["private", "public-read", "public-read-write", "authenticated-read", "bucket-owner-read", "bucket-owner-full-control", "aws-exec-read"],
        ),
        read_only=dict(type="bool"),
        guess_mime_type_enabled=dict(type="bool"),
        requester_pays=dict(type="bool"),
        cache_stale_timeout=dict(type="int"),
        nfs_file_share_defaults=dict(
            type="dict",
            options=dict(file_mode=dict(type="str"), directory_mode=dict(type="str"), group_id=dict(type="int"), owner_id=dict(type="int")),
        ),
        notification_policy=dict(type="json"),
        audit_destination_arn=dict(type="str"),
        bucket_region=dict(type="str"),
        vpc_endpoint_dns_name=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        recreate=dict(type="bool", default=False),
        client_token=dict(type="str", no_log=False),
        force_delete=dict(type="bool", default=False),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=300),
    )
    module = AnsibleAWSModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[
            ["state", "present", ["location_arn", "role_arn", "client_list"]],
            ["encryption_type", "SseKms", ["kms_key"]],
            ["encryption_type", "DsseKms", ["kms_key"]],
        ],
    )
    validate(module)
    params = module.params
    client = module.client("storagegateway")
    waits = Waits(module.log)

    try:
        found = find_nfs_file_shares(client, params["gateway_arn"], params["file_share_name"])
        if len(found) > 1:
            arns = ", ".join(share["FileShareARN"] for share in found)
            module.fail_json(msg=f"{len(found)} NFS file shares of gateway {params['gateway_arn']} are called {params['file_share_name']}: {arns}")
        info = found[0] if found else None
        before = normalize_nfs_file_share(info)

        if params["state"] == "absent":
            if info and not module.check_mode:
                delete_file_share(client, info["FileShareARN"], params["force_delete"])
                if params["wait"]:
                    wait_for_file_share(client, params["gateway_arn"], info["FileShareARN"], params["wait_timeout"], gone=True, progress=waits)
            module.exit_json(changed=bool(info), diff={"before": before or {}, "after": {}}, **waits.returned())

        wanted = wanted_nfs_file_share(before, params)
        if info is None:
            info, changed = create(module, client, wanted, waits), True
        elif create_only_differences(before, wanted):
            info, changed = replace(module, client, info, before, wanted, waits=waits), True
        else:
            info, changed = update(module, client, info, before, wanted, waits=waits)
        after = normalize_nfs_file_share(info) if info and not module.check_mode else wanted
        result = result_of(client, module, info, after)
    except AnsibleStorageGatewayError as e:
        waits.fail(module, e)

    module.exit_json(changed=changed, diff={"before": before or {}, "after": after}, **result, **waits.returned())


if __name__ == "__main__":
    main()
