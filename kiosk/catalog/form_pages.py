"""Which fields of a form are shown for the answers so far, and on which page (no Qt).

A field is shown when its condition holds on the answers of the fields shown before it, as
:func:`kiosk.catalog.fields.validate_form` decides; pages come from the catalogue's
``page_break`` items, each split further by ``split`` when the screen cannot hold it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .model import FormField, Service

Split = Callable[[Sequence[FormField]], list[list[FormField]]]


def shown_fields(form: Sequence[FormField], values: dict[str, str]) -> list[FormField]:
    seen: dict[str, str] = {}
    shown = []
    for f in form:
        if f.shown(seen):
            shown.append(f)
            if values.get(f.key, "").strip():
                seen[f.key] = values[f.key]
    return shown


def _one_page(fields: Sequence[FormField]) -> list[list[FormField]]:
    return [list(fields)]


def form_pages(
    service: Service, values: dict[str, str], split: Split = _one_page
) -> list[list[FormField]]:
    """The pages of shown fields, none empty; a form of no shown field has no page."""
    shown = {f.key: f for f in shown_fields(service.form, values)}
    catalogue_pages = service.pages or (tuple(f.key for f in service.form),)
    pages: list[list[FormField]] = []
    for keys in catalogue_pages:
        fields = [shown[k] for k in keys if k in shown]
        if fields:
            pages.extend(p for p in split(fields) if p)
    return pages


def page_of(pages: Sequence[Sequence[FormField]], key: str) -> int | None:
    for i, page in enumerate(pages):
        if any(f.key == key for f in page):
            return i
    return None
