"""The service catalog: guides and short form schemas, read from the installed assets."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

PHONE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}\d{7,8}$")


class FormError(ValueError):
    """A form value the schema refuses; ``field`` names it, the message says why in words."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Option:
    value: str
    label: dict[str, str]


@dataclass(frozen=True)
class FormField:
    key: str
    kind: str  # "choice" or "phone"
    label: dict[str, str]
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Service:
    code: str
    category: str
    title: dict[str, str]
    needs_network: bool
    guide: dict[str, tuple[str, ...]]
    form: tuple[FormField, ...]
    receipt_notes: dict[str, tuple[str, ...]]
    min_age: int | None = None

    def text(self, locale: str) -> str:
        return localized(self.title, locale)

    def validate(self, values: dict[str, str]) -> dict[str, str]:
        """Return the cleaned values or raise FormError for the first bad field."""
        clean: dict[str, str] = {}
        for f in self.form:
            value = values.get(f.key, "").strip()
            if not value:
                raise FormError(f.key, "This field is required.")
            if f.kind == "choice" and value not in {o.value for o in f.options}:
                raise FormError(f.key, "Please choose one of the options.")
            if f.kind == "phone" and not PHONE.match(value):
                raise FormError(f.key, "Please enter an 11-digit mobile or a landline number.")
            clean[f.key] = value
        return clean


def localized(texts: dict[str, Any], locale: str) -> Any:
    return texts.get(locale) or texts.get("zh_CN") or next(iter(texts.values()))


@dataclass(frozen=True)
class Catalog:
    version: str
    categories: dict[str, dict[str, str]]
    services: tuple[Service, ...]

    def get(self, code: str) -> Service:
        for s in self.services:
            if s.code == code:
                return s
        raise KeyError(code)


def load_catalog(text: str | None = None) -> Catalog:
    if text is None:
        text = (resources.files("assets") / "catalog" / "services.json").read_text("utf-8")
    data = json.loads(text)
    services = tuple(_service(s) for s in data["services"])
    categories = {c["code"]: c["title"] for c in data["categories"]}
    return Catalog(version=data["version"], categories=categories, services=services)


def _service(s: dict[str, Any]) -> Service:
    form = tuple(
        FormField(
            key=f["key"],
            kind=f["kind"],
            label=f["label"],
            options=tuple(Option(o["value"], o["label"]) for o in f.get("options", [])),
        )
        for f in s.get("form", [])
    )
    return Service(
        code=s["code"],
        category=s["category"],
        title=s["title"],
        needs_network=bool(s.get("needs_network", False)),
        guide={k: tuple(v) for k, v in s["guide"].items()},
        form=form,
        receipt_notes={k: tuple(v) for k, v in s.get("receipt_notes", {}).items()},
        min_age=s.get("min_age"),
    )
