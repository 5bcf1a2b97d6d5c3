"""Auto Scaling group limits as AWS checks them, where moto accepts anything.

UpdateAutoScalingGroup (AWS's API reference, and the ValidationError it answers):
- a DesiredCapacity given must lie between the group's MinSize and MaxSize after the update; otherwise the call is
  refused with ValidationError "Desired capacity:<d> must be between the specified min size:<min> and max size:<max>"
  and nothing changes. moto stored it (a group with desired 0 below min 2 stayed at 0 instances);
- without DesiredCapacity, a new MinSize above the group's desired capacity raises it to MinSize, and a new MaxSize
  below it lowers it to MaxSize (moto compared with the count of instances, not with the desired capacity);
- MinSize above MaxSize is refused: "Max bound, <max>, must be greater than or equal to min bound, <min>".

amazon.aws.autoscaling_group sends the group's current DesiredCapacity whenever its desired_capacity is omitted, so a
role that raises MinSize above the current desired capacity without sending a new one fails on AWS: the lab now fails
it the same way.
"""

from __future__ import annotations

from typing import Any

from moto.autoscaling.exceptions import ValidationError
from moto.autoscaling.models import AutoScalingBackend, FakeAutoScalingGroup, autoscaling_backends

from awsemu.extensions._moto_classes import urls_of, use_backend_class

_installed = False


def checked_sizes(group: FakeAutoScalingGroup, desired: int | None, maximum: int | None, minimum: int | None) -> int | None:
    """The desired capacity the update leaves (None: unchanged), or ValidationError as AWS answers it."""
    new_min = group.min_size if minimum is None else int(minimum)
    new_max = group.max_size if maximum is None else int(maximum)
    if new_min > new_max:
        raise ValidationError(f"Max bound, {new_max}, must be greater than or equal to min bound, {new_min}")
    if desired is not None:
        if not new_min <= int(desired) <= new_max:
            raise ValidationError(f"Desired capacity:{desired} must be between the specified min size:{new_min} and max size:{new_max}")
        return int(desired)
    current = group.desired_capacity or 0
    if current < new_min:
        return new_min
    if current > new_max:
        return new_max
    return None


class LabAutoScalingBackend(AutoScalingBackend):
    _url_module = property(lambda self: urls_of(AutoScalingBackend))

    def update_auto_scaling_group(
        self, name: str, availability_zones: Any, desired_capacity: int | None, max_size: int | None, min_size: int | None, *args: Any, **kwargs: Any
    ) -> FakeAutoScalingGroup:
        group = self.autoscaling_groups.get(name)
        if group is not None:
            desired_capacity = checked_sizes(group, desired_capacity, max_size, min_size)
        return super().update_auto_scaling_group(name, availability_zones, desired_capacity, max_size, min_size, *args, **kwargs)


def install() -> None:
    global _installed  # noqa: PLW0603 - the flag keeps install() idempotent
    if _installed:
        return
    use_backend_class(autoscaling_backends, LabAutoScalingBackend)
    _installed = True
