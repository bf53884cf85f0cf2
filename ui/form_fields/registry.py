"""The widget for each kind of field the catalogue may hold (kiosk.catalog.model.FIELD_KINDS)."""

from __future__ import annotations

from kiosk.catalog import FormField

from .base import FieldContext, FieldWidget
from .choice import ChoiceField, MultiChoiceField, YesNoField
from .keyed import AmountField, IdNumberField, PhoneField
from .region import AddressField, RegionField
from .relation import RelationField
from .stepper import CountField, DateField
from .text import TextField

WIDGETS: dict[str, type[FieldWidget]] = {
    "choice": ChoiceField,
    "multi_choice": MultiChoiceField,
    "yes_no": YesNoField,
    "phone": PhoneField,
    "id_number": IdNumberField,
    "date": DateField,
    "amount": AmountField,
    "count": CountField,
    "region": RegionField,
    "address": AddressField,
    "relation": RelationField,
    "text": TextField,
}


def build_field(field: FormField, ctx: FieldContext) -> FieldWidget:
    """The field's widget; a kind this kiosk does not know is refused at catalogue load
    (its schema), so a KeyError here is a programming error."""
    return WIDGETS[field.kind](field, ctx)
