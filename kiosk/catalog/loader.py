"""Reading a catalog document (format 2, ``docs/catalog.md``) into the typed model.

Parsing only: the JSON Schema and the cross-checks (:mod:`kiosk.catalog.checks`) run when a
catalog is built (CI) and when one arrives from the platform, not on the way to the first
paint."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from .model import (
    Catalog,
    Department,
    FormField,
    Guide,
    LifeEvent,
    Option,
    PaymentSpec,
    Service,
    ShowIf,
)
from .search import SearchIndex

LINE_WORDS = {
    "zh_CN": ("需要：", "；", "收费：", "办理时限：", "。"),
    "en": ("You need: ", "; ", "Fee: ", "Time limit: ", "."),
}


def installed_catalog_text() -> str:
    return (resources.files("assets") / "catalog" / "services.json").read_text("utf-8")


def load_catalog(text: str | None = None) -> Catalog:
    """The catalog in ``text``, else the one installed with the kiosk."""
    data = json.loads(installed_catalog_text() if text is None else text)
    return parse_catalog(data)


def parse_catalog(data: dict[str, Any]) -> Catalog:
    departments = {d["code"]: Department(d["code"], d["title"], d.get("agency", {}))
                   for d in data["departments"]}
    events = {e["code"]: LifeEvent(e["code"], e["title"]) for e in data.get("life_events", [])}
    services = tuple(_service(s) for s in data["services"])
    embedded = data.get("search_index")
    return Catalog(
        version=data["version"],
        categories={code: d.title for code, d in departments.items()},
        services=services,
        departments=departments,
        life_events=events,
        index=SearchIndex.from_document(embedded) if embedded else None,
    )


def _service(s: dict[str, Any]) -> Service:
    items = s.get("form", [])
    pages: list[list[str]] = [[]]
    fields = []
    for item in items:
        if item["kind"] == "page_break":
            pages.append([])
            continue
        fields.append(_field(item))
        pages[-1].append(item["key"])
    details = {locale: _guide(g) for locale, g in s["guide"].items()}
    offline = s.get("offline", "queue")
    return Service(
        code=s["code"],
        category=s["department"],
        title=s["title"],
        # needs_network (format 1) is still read: true means the same as offline "unavailable"
        needs_network=offline == "unavailable" or bool(s.get("needs_network", False)),
        guide={locale: guide_lines(g, locale) for locale, g in details.items()},
        form=tuple(fields),
        receipt_notes={k: tuple(v) for k, v in s.get("receipt_notes", {}).items()},
        min_age=s.get("min_age"),
        max_age=s.get("max_age"),
        channel=s["channel"],
        offline=offline,
        identification=tuple(s["identification"]),
        life_events=tuple(s.get("life_events", ())),
        keywords=tuple(s.get("keywords", ())),
        where=tuple(s.get("where", ())),
        guide_detail=details,
        pages=tuple(tuple(p) for p in pages if p),
        payment=_payment(s.get("payment")),
    )


def _payment(doc: dict[str, Any] | None) -> PaymentSpec | None:
    if doc is None:
        return None
    return PaymentSpec(doc["biller"], int(doc["account_digits"]),
                       tuple(int(a) for a in doc.get("amounts", ())))


def _field(f: dict[str, Any]) -> FormField:
    show_if = f.get("show_if")
    return FormField(
        key=f["key"],
        kind=f["kind"],
        label=f["label"],
        options=tuple(Option(o["value"], o["label"]) for o in f.get("options", [])),
        required=f.get("required", True),
        help=f.get("help"),
        show_if=ShowIf(show_if["field"], show_if.get("equals"), tuple(show_if.get("in", ())),
                       show_if.get("includes")) if show_if else None,
        minimum=f.get("min"),
        maximum=f.get("max"),
        min_selected=f.get("min_selected"),
        max_selected=f.get("max_selected"),
        unit=f.get("unit"),
        level=f.get("level"),
        detail_max_length=f.get("detail_max_length"),
        relations=tuple(f.get("relations", ())),
        max_length=f.get("max_length"),
    )


def _guide(g: dict[str, Any]) -> Guide:
    return Guide(tuple(g["conditions"]), tuple(g["materials"]), g["fee"], g["time_limit"],
                 tuple(g.get("notes", ())))


def guide_lines(g: Guide, locale: str) -> tuple[str, ...]:
    """The guide as the lines a screen shows and the voice reads."""
    need, sep, fee, limit, stop = LINE_WORDS.get(locale, LINE_WORDS["en"])

    def sentence(text: str) -> str:
        return text.rstrip("。.") + stop

    return (
        *g.conditions,
        sentence(need + sep.join(m.rstrip("。.") for m in g.materials)),
        sentence(fee + g.fee),
        sentence(limit + g.time_limit),
        *g.notes,
    )
