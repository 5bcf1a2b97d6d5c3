"""What the internal_dns role puts behind a name, made directly in an emulator for its own tests: a CloudWatch alarm on
an ALB's healthy hosts (OK) and a Route 53 health check that follows it (CLOUDWATCH_METRIC; missing data is
unhealthy)."""

from __future__ import annotations

from typing import Any


def healthy_hosts_alarm(client: Any, region: str, name: str) -> Any:
    """An alarm NAME in REGION on HealthyHostCount below 1, set OK; returns the region's CloudWatch client."""
    cloudwatch = client("cloudwatch", region)
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/ApplicationELB",
        MetricName="HealthyHostCount",
        Statistic="Minimum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="LessThanThreshold",
    )
    cloudwatch.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="lab")
    return cloudwatch


def alarm_health_check(route53: Any, region: str, name: str, reference: str, **extra: Any) -> str:
    """A health check on the alarm NAME of REGION; returns its id."""
    config = {"Type": "CLOUDWATCH_METRIC", "AlarmIdentifier": {"Region": region, "Name": name}, "InsufficientDataHealthStatus": "Unhealthy", **extra}
    return route53.create_health_check(CallerReference=reference, HealthCheckConfig=config)["HealthCheck"]["Id"]
