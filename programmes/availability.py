"""Weekly availability as ten half-days, stored as a bit mask (bit 0 = Monday morning)."""

from django.utils.translation import gettext_lazy as _

WEEK_SLOTS = [
    (0, _("Monday morning")),
    (1, _("Monday afternoon")),
    (2, _("Tuesday morning")),
    (3, _("Tuesday afternoon")),
    (4, _("Wednesday morning")),
    (5, _("Wednesday afternoon")),
    (6, _("Thursday morning")),
    (7, _("Thursday afternoon")),
    (8, _("Friday morning")),
    (9, _("Friday afternoon")),
]
SLOT_LABELS = dict(WEEK_SLOTS)


def slots_to_mask(slots) -> int:
    return sum(1 << int(slot) for slot in slots)


def mask_to_slots(mask: int) -> list[int]:
    return [slot for slot, _label in WEEK_SLOTS if mask & (1 << slot)]
