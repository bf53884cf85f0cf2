"""The service catalog as typed objects: departments, life events, services, their guides and
form schemas. Parsing is in :mod:`kiosk.catalog.loader`; value checks in
:mod:`kiosk.catalog.fields`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .fields import FormError, validate_form

if TYPE_CHECKING:
    from .regions import Regions
    from .search import SearchHit, SearchIndex, ServiceSearch

__all__ = ["FormError"]  # raised by Service.validate; the catalog's public error

CHANNELS = ("kiosk", "submit", "info", "window", "payment")
COMPLETABLE_CHANNELS = frozenset({"kiosk", "submit"})
OFFLINE_POLICIES = ("queue", "cached", "unavailable")
IDENTIFICATIONS = ("ssc", "id_card", "e_code", "none")
FIELD_KINDS = ("choice", "multi_choice", "yes_no", "phone", "id_number", "date", "amount",
               "count", "region", "address", "relation", "text")
RELATIONS = ("spouse", "parent", "child", "grandparent", "grandchild", "sibling", "ward")
RELATION_TITLES: dict[str, dict[str, str]] = {  # the applicant's family member, as shown
    "spouse": {"zh_CN": "配偶", "en": "spouse"},
    "parent": {"zh_CN": "父母", "en": "parent"},
    "child": {"zh_CN": "子女", "en": "child"},
    "grandparent": {"zh_CN": "祖父母、外祖父母", "en": "grandparent"},
    "grandchild": {"zh_CN": "孙子女、外孙子女", "en": "grandchild"},
    "sibling": {"zh_CN": "兄弟姐妹", "en": "brother or sister"},
    "ward": {"zh_CN": "被监护人", "en": "person in your care"},
}


@dataclass(frozen=True)
class Option:
    value: str
    label: dict[str, str]


@dataclass(frozen=True)
class ShowIf:
    """Show a field only when another field's answer is ``equals``, one of ``any_of``, or (for a
    multi-choice) ``includes`` a value."""

    field: str
    equals: str | None = None
    any_of: tuple[str, ...] = ()
    includes: str | None = None

    def holds(self, values: dict[str, str]) -> bool:
        value = values.get(self.field, "").strip()
        if self.equals is not None:
            return value == self.equals
        if self.any_of:
            return value in self.any_of
        if self.includes is not None:
            return self.includes in value.split(",")
        return bool(value)


@dataclass(frozen=True)
class FormField:
    key: str
    kind: str  # one of FIELD_KINDS
    label: dict[str, str]
    options: tuple[Option, ...] = ()
    required: bool = True
    help: dict[str, str] | None = None
    show_if: ShowIf | None = None
    minimum: str | float | None = None  # date bound ("today-30d", "2020-01-01") or number
    maximum: str | float | None = None
    min_selected: int | None = None
    max_selected: int | None = None
    unit: dict[str, str] | None = None
    level: str | None = None  # region and address: district, street or community
    detail_max_length: int | None = None  # address: the building / room part
    relations: tuple[str, ...] = ()
    max_length: int | None = None  # text

    def shown(self, values: dict[str, str]) -> bool:
        return self.show_if is None or self.show_if.holds(values)


@dataclass(frozen=True)
class Guide:
    """What a citizen reads before starting, in one language."""

    conditions: tuple[str, ...]
    materials: tuple[str, ...]
    fee: str
    time_limit: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Department:
    code: str
    title: dict[str, str]
    agency: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LifeEvent:
    code: str
    title: dict[str, str]


@dataclass(frozen=True)
class PaymentSpec:
    """A payment service's part (channel ``payment``, docs/payments.md): the biller the
    platform asks, the digits of its account (or card) number, and for a top-up the amounts
    offered, in fen; a bill is paid in full, so it offers none."""

    biller: str  # water, electricity, gas, heating; transit for a card's top-up
    account_digits: int
    amounts: tuple[int, ...] = ()

    @property
    def top_up(self) -> bool:
        return self.biller == "transit"


@dataclass(frozen=True)
class Service:
    code: str
    category: str  # the department's code (the home screen's categories are departments)
    title: dict[str, str]
    needs_network: bool
    guide: dict[str, tuple[str, ...]]  # lines per locale, rendered from guide_detail
    form: tuple[FormField, ...]
    receipt_notes: dict[str, tuple[str, ...]]
    min_age: int | None = None
    max_age: int | None = None
    channel: str = "submit"
    offline: str = "queue"
    identification: tuple[str, ...] = ("ssc", "id_card")
    life_events: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    where: tuple[str, ...] = ()  # site references: window:KEY, place:KEY, online:KEY, hotline
    guide_detail: dict[str, Guide] = field(default_factory=dict)
    pages: tuple[tuple[str, ...], ...] = ()  # field keys per page of the form
    payment: PaymentSpec | None = None  # channel "payment" only

    @property
    def department(self) -> str:
        return self.category

    @property
    def completable(self) -> bool:
        """Finished at the kiosk or submitted here: the citizen leaves with a receipt."""
        return self.channel in COMPLETABLE_CHANNELS and bool(self.form)

    def text(self, locale: str) -> str:
        return localized(self.title, locale)

    def has_guide_in(self, locale: str) -> bool:
        """False where the guide exists only in Chinese (English mode shows it with a note)."""
        return locale in self.guide_detail

    def validate(
        self, values: dict[str, str], today: date | None = None, regions: Regions | None = None
    ) -> dict[str, str]:
        """Return the cleaned values of the fields shown, or raise FormError for the first bad
        field."""
        return validate_form(self.form, values, today or date.today(), regions)


def localized(texts: dict[str, Any], locale: str) -> Any:
    return texts.get(locale) or texts.get("zh_CN") or next(iter(texts.values()))


@dataclass(frozen=True)
class Catalog:
    version: str
    categories: dict[str, dict[str, str]]  # department code -> title
    services: tuple[Service, ...]
    departments: dict[str, Department] = field(default_factory=dict)
    life_events: dict[str, LifeEvent] = field(default_factory=dict)
    index: SearchIndex | None = None  # pinyin the catalog carries, over the installed index

    def get(self, code: str) -> Service:
        for s in self.services:
            if s.code == code:
                return s
        raise KeyError(code)

    def in_department(self, code: str) -> tuple[Service, ...]:
        return tuple(s for s in self.services if s.category == code)

    def for_life_event(self, code: str) -> tuple[Service, ...]:
        return tuple(s for s in self.services if code in s.life_events)

    @cached_property
    def _search(self) -> ServiceSearch:
        from .search import ServiceSearch, installed_index

        index = installed_index()
        return ServiceSearch(self, index if self.index is None else index.merged(self.index))

    def prepare_search(self) -> None:
        """Build the matcher now (the search screen opens) rather than at the first letter."""
        self._search  # noqa: B018 (a cached property: reading it builds it)

    def search(self, query: str, limit: int | None = None) -> list[SearchHit]:
        """Services matching Chinese text, full pinyin or pinyin initials, best first.

        The matcher is prepared on the first search, not when the catalog loads."""
        return self._search.search(query, limit)
