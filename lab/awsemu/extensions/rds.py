"""RDS where moto strays from AWS in ways that break amazon.aws.rds_* modules and the collection's RDS module.

- DescribeDBParameterGroups for a named group that does not exist answers DBParameterGroupNotFound (moto: empty list,
  which makes amazon.aws.rds_instance_param_group index an empty list).
- A new parameter group of a PostgreSQL family lists the family's parameters (Source engine-default or system,
  DataType, AllowedValues, ApplyType, IsModifiable), so ModifyDBParameterGroup + DescribeDBParameters round-trip:
  a modified parameter turns Source=user; unknown, unmodifiable, out-of-range parameters and `immediate` on a static
  parameter are refused as AWS does. DescribeDBParameters honours Source; DescribeEngineDefaultParameters answers
  (moto: HTTP 500).
- ModifyDBSubnetGroup keeps the group (moto drops it from its store, and its tags with it) and answers
  DBSubnetGroupNotFoundFault for a missing group.
- ModifyDBInstance ManageMasterUserPassword=true keeps the secret of an instance that already has one (moto creates a
  new secret each time and orphans the old one); MasterUserPassword is refused alongside it and on a managed instance,
  and turning management off requires a new MasterUserPassword. The managed secret holds the instance's master user
  name and a random password (moto: a fixed "admin"/"P@55w0rd!").
- Every DB instance has a DbiResourceId of its own, "db-" and 26 upper case letters and digits, as AWS gives it
  (moto gives every instance the same one: code that tells instances apart by it, such as the disaster recovery
  failback's tag, could not work).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from typing import Any

from moto.core.responses import ActionResult
from moto.rds.exceptions import DBParameterGroupNotFoundError, DBSubnetGroupNotFoundError, InvalidParameterCombination, RDSClientError
from moto.rds import urls as rds_urls
from moto.rds.models import DBInstance, DBParameterGroup, MasterUserSecret, RDSBackend, rds_backends
from moto.rds.responses import RDSResponse

from awsemu.extensions._moto_classes import urls_of, use_backend_class, use_response_class

POSTGRES_FAMILY = re.compile(r"^postgres(\d+)$")
MAX_PARAMETERS_PER_MODIFY = 20
_installed = False

BOOLEAN, ANY_COUNT, MS_OR_OFF = "0,1", "0-2147483647", "-1-2147483647"


def _parameter(data_type: str, allowed: str, description: str, **extra: Any) -> dict[str, Any]:
    """One catalog entry: ApplyType dynamic, modifiable, Source engine-default and no value unless given."""
    return {
        "DataType": data_type,
        "AllowedValues": allowed,
        "Description": description,
        "ApplyType": "dynamic",
        "IsModifiable": True,
        "Source": "engine-default",
        **extra,
    }


# The parameters a PostgreSQL group lists (a subset of AWS's, with AWS's metadata). An entry without ParameterValue is
# the engine's own default, for which AWS lists no value. `_postgres_value` adjusts the values that vary by version.
POSTGRES_PARAMETERS: dict[str, dict[str, Any]] = {
    "autovacuum": _parameter("boolean", BOOLEAN, "Starts the autovacuum subprocess."),
    "idle_in_transaction_session_timeout": _parameter("integer", ANY_COUNT, "Terminates idle-in-transaction sessions (ms)."),
    "log_autovacuum_min_duration": _parameter("integer", MS_OR_OFF, "Logs autovacuum runs longer than this (ms)."),
    "log_connections": _parameter("boolean", BOOLEAN, "Logs each successful connection."),
    "log_disconnections": _parameter("boolean", BOOLEAN, "Logs end of a session, including duration."),
    "log_lock_waits": _parameter("boolean", BOOLEAN, "Logs long lock waits."),
    "log_min_duration_statement": _parameter("integer", MS_OR_OFF, "Logs statements running longer than this (ms)."),
    "log_statement": _parameter("string", "none,ddl,mod,all", "Sets the type of statements logged."),
    "log_temp_files": _parameter("integer", MS_OR_OFF, "Logs temporary files larger than this (kB)."),
    "maintenance_work_mem": _parameter(
        "integer",
        "1024-2147483647",
        "Memory for maintenance operations (kB).",
        Source="system",
        ParameterValue="GREATEST({DBInstanceClassMemory/63963136*1024},65536)",
    ),
    "max_connections": _parameter(
        "integer",
        "6-262143",
        "Maximum number of concurrent connections.",
        ApplyType="static",
        Source="system",
        ParameterValue="LEAST({DBInstanceClassMemory/9531392},5000)",
    ),
    "password_encryption": _parameter("string", "md5,scram-sha-256", "Algorithm used to encrypt passwords.", ParameterValue="scram-sha-256"),
    "pg_stat_statements.track": _parameter("string", "none,top,all", "Statements tracked by pg_stat_statements."),
    "random_page_cost": _parameter("real", ANY_COUNT, "Planner's cost of a non-sequentially fetched page."),
    "rds.force_ssl": _parameter("boolean", BOOLEAN, "Force SSL connections.", ParameterValue="1"),
    "rds.logical_replication": _parameter("boolean", BOOLEAN, "Enables logical decoding.", ApplyType="static", Source="system", ParameterValue="0"),
    "shared_preload_libraries": _parameter(
        "list",
        "auto_explain,orafce,pg_cron,pg_hint_plan,pg_stat_statements,pgaudit",
        "Libraries preloaded into the server.",
        ApplyType="static",
        Source="system",
        ParameterValue="pg_stat_statements",
    ),
    "ssl": _parameter("boolean", BOOLEAN, "Enables SSL connections.", IsModifiable=False, Source="system", ParameterValue="1"),
    "ssl_min_protocol_version": _parameter(
        "string", "TLSv1,TLSv1.1,TLSv1.2,TLSv1.3", "Minimum SSL/TLS protocol version.", Source="system", ParameterValue="TLSv1.2"
    ),
    "statement_timeout": _parameter("integer", ANY_COUNT, "Aborts statements running longer than this (ms)."),
    "timezone": _parameter("string", "", "Time zone for displaying and interpreting time stamps."),
    "track_io_timing": _parameter("boolean", BOOLEAN, "Collects timing statistics for database I/O.", Source="system", ParameterValue="1"),
    "work_mem": _parameter("integer", "64-2147483647", "Memory for query workspaces (kB)."),
}


def _postgres_value(name: str, major: int, value: str | None) -> str | None:
    if name == "rds.force_ssl" and major < 15:
        return "0"  # TLS became the default with PostgreSQL 15 on RDS
    if name == "password_encryption" and major < 14:
        return "md5"
    return value


def family_parameters(family: str | None) -> list[dict[str, Any]]:
    """The parameters a new group of this family lists, as DescribeDBParameters returns them ([] for unknown families)."""
    match = POSTGRES_FAMILY.match(family or "")
    if not match:
        return []
    major = int(match.group(1))
    parameters = []
    for name, entry in sorted(POSTGRES_PARAMETERS.items()):
        parameter = {"ParameterName": name, **entry, "ApplyMethod": "pending-reboot"}
        if not parameter["AllowedValues"]:
            del parameter["AllowedValues"]
        value = _postgres_value(name, major, parameter.pop("ParameterValue", None))
        if value is not None:
            parameter["ParameterValue"] = value
        parameters.append(parameter)
    return parameters


def _has_catalog(group: DBParameterGroup) -> bool:
    return bool(family_parameters(group.family))


def _within(value: str, allowed: str, data_type: str) -> bool:
    if not allowed or "{" in value:  # no constraint, or a formula RDS evaluates per instance class
        return True
    if data_type in ("integer", "real"):
        bounds = re.fullmatch(r"(-?[\d.]+)-(-?[\d.]+)", allowed)
        try:
            return bounds is None or float(bounds.group(1)) <= float(value) <= float(bounds.group(2))
        except ValueError:
            return False
    choices = allowed.split(",")
    if data_type == "list":
        return all(item.strip() in choices for item in value.split(","))
    return value in choices


def validate_modification(group: DBParameterGroup, requested: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Refuse what AWS refuses; return the stored form of each change (Source user)."""
    requested = list(requested)
    if not requested:
        raise RDSClientError("InvalidParameterValue", "At least one parameter must be provided.")
    if len(requested) > MAX_PARAMETERS_PER_MODIFY:
        raise RDSClientError("InvalidParameterValue", f"A maximum of {MAX_PARAMETERS_PER_MODIFY} parameters can be modified in a single request.")
    changes = []
    for change in requested:
        name = change.get("ParameterName")
        current = group.parameters.get(name) if name in group.parameters else None
        if _has_catalog(group):
            if current is None:
                raise RDSClientError("InvalidParameterValue", f"Could not find parameter with name: {name}")
            if not current.get("IsModifiable", True):
                raise RDSClientError("InvalidParameterValue", f"The parameter {name} cannot be modified.")
            if change.get("ApplyMethod") == "immediate" and current.get("ApplyType") == "static":
                raise InvalidParameterCombination(f"cannot use immediate apply method for static parameter {name}")
            value = str(change.get("ParameterValue", ""))
            if not _within(value, current.get("AllowedValues", ""), current.get("DataType", "string")):
                raise RDSClientError("InvalidParameterValue", f"Value: {value} is outside of range: {current.get('AllowedValues')} for parameter: {name}")
        changes.append({**change, "Source": "user"})
    return changes


# Responses ------------------------------------------------------------------------------------------------------
def modify_db_parameter_group(self: RDSResponse) -> ActionResult:
    name = self.params.get("DBParameterGroupName")
    group = self.backend.db_parameter_groups.get(name)
    if group is None:
        raise DBParameterGroupNotFoundError(name)
    requested = [parameter.original_dict() for parameter in self.params.get("Parameters", [])]
    self.backend.modify_db_parameter_group(name, validate_modification(group, requested))
    return ActionResult({"DBParameterGroupName": group.name})


def describe_db_parameters(self: RDSResponse) -> ActionResult:
    name = self.params.get("DBParameterGroupName")
    if not name:
        raise RDSClientError("InvalidParameterValue", "The parameter DBParameterGroupName must be provided and must not be blank.")
    [group] = self.backend.describe_db_parameter_groups({"db_parameter_group_name": name})
    source = self.params.get("Source")
    parameters = sorted(group.parameters.values(), key=lambda parameter: parameter.get("ParameterName", ""))
    return ActionResult({"Parameters": [parameter for parameter in parameters if not source or parameter.get("Source") == source]})


def describe_engine_default_parameters(self: RDSResponse) -> ActionResult:
    family = self.params.get("DBParameterGroupFamily")
    if not family:
        raise RDSClientError("InvalidParameterValue", "The parameter DBParameterGroupFamily must be provided and must not be blank.")
    return ActionResult({"EngineDefaults": {"DBParameterGroupFamily": family, "Parameters": family_parameters(family)}})


# Backend behaviour moto gets wrong ------------------------------------------------------------------------------
RESOURCE_ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def new_resource_id() -> str:
    """A DbiResourceId in AWS's format: db- and 26 upper case letters and digits."""
    return "db-" + "".join(secrets.choice(RESOURCE_ID_CHARACTERS) for _ in range(26))


# moto constructs its DB instances and parameter groups inside its own code, in every path that makes one (create,
# restore, replica, CloudFormation): the models' constructors are extended once, at install, instead of every path.
_MODEL_INITS: dict[type, Any] = {}


def _instance_init(self: DBInstance, *args: Any, **kwargs: Any) -> None:
    _MODEL_INITS[DBInstance](self, *args, **kwargs)
    self.dbi_resource_id = new_resource_id()


def _parameter_group_init(self: DBParameterGroup, *args: Any, **kwargs: Any) -> None:
    _MODEL_INITS[DBParameterGroup](self, *args, **kwargs)
    for parameter in family_parameters(self.family):
        self.parameters[parameter["ParameterName"]] = parameter


def _is_managed(database: Any) -> bool:
    return bool(getattr(database, "manage_master_user_password", False)) and hasattr(database, "master_user_secret")


class LabRDSBackend(RDSBackend):
    _url_module = property(lambda self: urls_of(RDSBackend))

    def describe_db_parameter_groups(self, db_parameter_group_kwargs: dict[str, Any]) -> list[DBParameterGroup]:
        name = db_parameter_group_kwargs.get("db_parameter_group_name")
        if not name:
            return super().describe_db_parameter_groups(db_parameter_group_kwargs)
        found = [group for group in self.db_parameter_groups.values() if group.name == name.lower()]
        if not found:
            raise DBParameterGroupNotFoundError(name)
        return found

    def modify_db_subnet_group(self, subnet_name: str, description: str | None, subnets: list[Any]) -> Any:
        subnet_group = self.subnet_groups.get(subnet_name)
        if subnet_group is None:
            raise DBSubnetGroupNotFoundError(subnet_name)
        if subnets:
            subnet_group.subnets = subnets
        if description is not None:
            subnet_group.description = description
        return subnet_group

    def modify_db_instance(self, db_instance_identifier: str, db_kwargs: dict[str, Any]) -> Any:
        database = self.describe_db_instances(db_instance_identifier)[0]
        manage = db_kwargs.get("manage_master_user_password")
        password = db_kwargs.get("master_user_password")
        if manage is True and password:
            raise InvalidParameterCombination("You can't specify MasterUserPassword when ManageMasterUserPassword is turned on.")
        if _is_managed(database):
            if manage is False and not password:
                raise InvalidParameterCombination("You must specify MasterUserPassword when you turn off ManageMasterUserPassword.")
            if manage is None and password:
                raise InvalidParameterCombination("You can't specify MasterUserPassword for a DB instance whose master user password is managed by RDS.")
            if manage is True:
                # Already managed: RDS keeps the secret (and its KMS key, which cannot be changed this way).
                db_kwargs.pop("manage_master_user_password", None)
                db_kwargs.pop("master_user_secret_kms_key_id", None)
        return super().modify_db_instance(db_instance_identifier, db_kwargs)


def _secret_string(self: MasterUserSecret) -> str:
    username = getattr(self.resource, "master_username", None) or "admin"
    return json.dumps({"username": username, "password": secrets.token_urlsafe(24)})


class LabRDSResponse(RDSResponse):
    """moto's RDS answers, with parameter changes, parameter listings and engine defaults answered here."""

    modify_db_parameter_group = modify_db_parameter_group
    describe_db_parameters = describe_db_parameters
    describe_engine_default_parameters = describe_engine_default_parameters


def install() -> None:
    global _installed  # noqa: PLW0603 - the flag keeps install() idempotent (the model constructors)
    use_backend_class(rds_backends, LabRDSBackend)
    use_response_class(rds_urls, LabRDSResponse)
    if _installed:
        return
    for model, init in ((DBInstance, _instance_init), (DBParameterGroup, _parameter_group_init)):
        _MODEL_INITS[model] = model.__init__
        model.__init__ = init  # type: ignore[method-assign]
    secret_class: Any = MasterUserSecret
    secret_class._generate_secret_string = _secret_string
    _installed = True
