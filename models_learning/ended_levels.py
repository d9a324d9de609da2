"""Files waiting at a level that ended move on to the next level of their chain that exists.

A file proposed before 1 July 2025 and waiting at a district (districts ended then) could be
decided by no one: the province's approvers were refused ("waiting at Huyện …") and no one
can be given a role on an ended unit. From the day after a level's unit ends, each file
waiting there waits at the next level of its criteria set's chain whose unit exists that day
(the province), with a history step saying why; the files keep everything else.

`pass_on` takes the model classes it works on, so that the data migration that moved the
files already stuck (migration `pass_on_from_ended_levels`) runs on its historical models the
same code as the service `pass_on_from_ended_levels` and the daily command
`pass_on_waiting_files`.
"""

from django.utils.translation import gettext as _

PASS_ON = "pass_on"
PROPOSED = "proposed"


def _there_on(unit, day):
    return (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_to is None or unit.valid_to >= day
    )


def _ancestors(unit_model, commune):
    ids = [int(part) for part in commune.path.strip("/").split("/") if part]
    return {unit.level: unit for unit in unit_model.objects.filter(pk__in=ids)}


def pass_on(day, *, registrations, events, units):
    """Move every file proposed and waiting at a unit ended before `day` to the next level of
    its chain whose unit exists on `day`, each with one event row (no actor: the rule acted).
    Returns how many moved. The rows are locked (select_for_update) while they move."""
    waiting = (
        registrations.objects.select_for_update(of=("self",))
        .filter(status=PROPOSED, awaiting_unit__valid_to__lt=day)
        .select_related("awaiting_unit", "unit", "criteria_set")
        .order_by("pk")
    )
    moved = 0
    for registration in waiting:
        ancestors = _ancestors(units, registration.unit)
        levels = registration.criteria_set.approval_levels
        step = next(
            (
                (index, ancestors[level])
                for index, level in enumerate(levels)
                if index > registration.current_level
                and level in ancestors
                and _there_on(ancestors[level], day)
            ),
            None,
        )
        if step is None:
            continue  # nowhere to go: left waiting, as before
        ended = registration.awaiting_unit
        registration.current_level, registration.awaiting_unit = step
        registration.save(update_fields=["current_level", "awaiting_unit", "updated_at"])
        events.objects.create(
            registration=registration,
            action=PASS_ON,
            from_status=PROPOSED,
            to_status=PROPOSED,
            level=step[1].level,
            unit=step[1],
            actor=None,
            reason=_(
                "%(ended)s ended on %(day)s: the file now waits at %(unit)s, the next level"
                " of its approval chain."
            )
            % {
                "ended": ended.name,
                "day": ended.valid_to.strftime("%d/%m/%Y"),
                "unit": step[1].name,
            },
            data={"ended_unit": ended.pk, "ended_on": ended.valid_to.isoformat()},
        )
        moved += 1
    return moved
