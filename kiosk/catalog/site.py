"""The local facts of one hall: its name, windows, opening hours, the offices elsewhere that
guides send citizens to, and the online channels of its city.

The catalog never holds an address or a window number: its guides name site keys
(``window:social``, ``place:vehicle_office``, ``online:city_app``, ``hotline``) that this file
resolves. A kiosk uses ``<data_dir>/site.json`` when the hall installed one, else the shipped
demo hall (``assets/sites/demo-hall.json``, marked 示例). The site file's schema is
``assets/sites/schema.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

SITE_FILE = "site.json"
DEMO_SITE = "demo-hall"


@dataclass(frozen=True)
class OpeningHours:
    days: tuple[str, ...]  # mon … sun
    opens: str  # HH:MM
    closes: str


@dataclass(frozen=True)
class Window:
    key: str
    numbers: str
    floor: str
    name: dict[str, str]
    departments: tuple[str, ...] = ()
    queue_prefix: str = ""  # the letters of this window queue's numbers (A015); "" if unset

    def ticket_prefix(self) -> str:
        """The queue's letters: the site file's, else the first letter of the window numbers
        (``A05–A10`` -> ``A``), else ``Q``."""
        if self.queue_prefix:
            return self.queue_prefix
        first = self.numbers[:1]
        return first if "A" <= first <= "Z" else "Q"


@dataclass(frozen=True)
class Place:
    """An office outside the hall (or a kind of office, such as "your local police station")."""

    key: str
    name: dict[str, str]
    address: dict[str, str] | None = None
    note: dict[str, str] | None = None


@dataclass(frozen=True)
class Site:
    code: str
    sample: bool  # a demo site: the screens say 示例
    name: dict[str, str]
    address: dict[str, str]
    region: str  # district code in the region list
    regions: str  # which region list of assets/regions the forms choose from
    opening_hours: tuple[OpeningHours, ...]
    hotline: str
    hotline_name: dict[str, str]
    windows: dict[str, Window]
    places: dict[str, Place]
    online: dict[str, dict[str, str]]
    sample_notice: dict[str, str] | None = None

    def references(self) -> frozenset[str]:
        """Every key a guide may name at this site."""
        return frozenset(
            [f"window:{k}" for k in self.windows]
            + [f"place:{k}" for k in self.places]
            + [f"online:{k}" for k in self.online]
            + ["hotline"]
        )

    def describe(self, ref: str, locale: str) -> str:
        """Where ``ref`` sends the citizen, in words (the hotline for a key this site lacks)."""
        zh = locale == "zh_CN"
        kind, _, key = ref.partition(":")
        if kind == "window" and key in self.windows:
            w = self.windows[key]
            if zh:
                return f"{_l(w.name, locale)}，{w.numbers}号窗口（{w.floor}楼）"
            return f"{_l(w.name, locale)}, windows {w.numbers} (floor {w.floor})"
        if kind == "place" and key in self.places:
            p = self.places[key]
            extra = p.address or p.note
            if extra is None:
                return _l(p.name, locale)
            return f"{_l(p.name, locale)}（{_l(extra, locale)}）" if zh else \
                f"{_l(p.name, locale)} ({_l(extra, locale)})"
        if kind == "online" and key in self.online:
            return _l(self.online[key], locale)
        return _l(self.hotline_name, locale)


def _l(texts: dict[str, str], locale: str) -> str:
    return texts.get(locale) or texts["zh_CN"]


def parse_site(doc: dict[str, Any]) -> Site:
    return Site(
        code=doc["code"],
        sample=bool(doc.get("sample", False)),
        name=doc["name"],
        address=doc["address"],
        region=doc["region"],
        regions=doc.get("regions", "harbin"),
        opening_hours=tuple(OpeningHours(tuple(h["days"]), h["open"], h["close"])
                            for h in doc["opening_hours"]),
        hotline=doc["hotline"]["number"],
        hotline_name=doc["hotline"]["name"],
        windows={w["key"]: Window(w["key"], w["numbers"], w["floor"], w["name"],
                                  tuple(w.get("departments", ())), w.get("queue_prefix", ""))
                 for w in doc["windows"]},
        places={p["key"]: Place(p["key"], p["name"], p.get("address"), p.get("note"))
                for p in doc.get("places", [])},
        online={o["key"]: o["name"] for o in doc.get("online", [])},
        sample_notice=doc.get("sample_notice"),
    )


def site_text(path: Path | None = None) -> str:
    if path is not None:
        return path.read_text("utf-8")
    return (resources.files("assets") / "sites" / f"{DEMO_SITE}.json").read_text("utf-8")


def load_site(path: Path | None = None) -> Site:
    """The site file at ``path``, else the shipped demo hall. Parsing only: a hall's file is
    checked against the schema with :func:`kiosk.catalog.checks.schema_problems` (``"site"``)
    when it is installed."""
    return parse_site(json.loads(site_text(path)))


def installed_site_path(data_dir: Path) -> Path | None:
    """The hall's own site file in the kiosk's data directory, if it has one."""
    path = data_dir / SITE_FILE
    return path if path.is_file() else None
