"""The region list a form's region and address fields choose from: district, street, community.

Shipped in ``assets/regions/``; a deployment names its list in its site file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

LEVELS = ("district", "street", "community")


@dataclass(frozen=True)
class Region:
    code: str
    name: dict[str, str]
    level: str
    parent: str | None
    children: tuple[str, ...]


@dataclass(frozen=True)
class Regions:
    """A city's districts, their streets and their communities, by code."""

    city: dict[str, str]
    districts: tuple[str, ...]
    by_code: dict[str, Region]
    provenance: dict[str, Any]

    def get(self, code: str) -> Region | None:
        return self.by_code.get(code)

    def children(self, code: str) -> tuple[Region, ...]:
        return tuple(self.by_code[c] for c in self.by_code[code].children)

    def path(self, code: str) -> tuple[Region, ...]:
        """District first, down to ``code``."""
        out: list[Region] = []
        node = self.by_code.get(code)
        while node is not None:
            out.append(node)
            node = self.by_code.get(node.parent) if node.parent else None
        return tuple(reversed(out))


def parse_regions(doc: dict[str, Any]) -> Regions:
    by_code: dict[str, Region] = {}

    def add(item: dict[str, Any], depth: int, parent: str | None) -> str:
        below = ("streets", "communities", None)[depth]
        kids = tuple(add(k, depth + 1, item["code"]) for k in item.get(below, ())) if below else ()
        by_code[item["code"]] = Region(item["code"], item["name"], LEVELS[depth], parent, kids)
        return str(item["code"])

    districts = tuple(add(d, 0, None) for d in doc["districts"])
    return Regions(doc["city"]["name"], districts, by_code, doc.get("provenance", {}))


def regions_text(name: str = "harbin") -> str:
    return (resources.files("assets") / "regions" / f"{name}.json").read_text("utf-8")


@cache
def load_regions(name: str = "harbin") -> Regions:
    """The shipped region list ``name`` (read once per process)."""
    return parse_regions(json.loads(regions_text(name)))
