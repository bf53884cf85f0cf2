"""Is this a catalog the kiosk can use? Its JSON Schema (``assets/catalog/schema.json``, checked
with the jsonschema library) and the cross-checks a schema cannot express.

Run on every catalog the platform sends (on the connectivity thread, before it replaces the
copy in use), by the index builder, and in CI on the shipped catalog; not at start-up, where
the installed catalog is only parsed (see ``docs/catalog.md`` for the timing).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .fields import date_bound

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from .model import Catalog
    from .site import Site

MAX_FIELDS_PER_PAGE = 5
MAX_PROBLEMS = 20


class CatalogInvalidError(ValueError):
    """A catalog document the kiosk refuses; the message is the first problem, ``problems``
    lists them all (at most :data:`MAX_PROBLEMS`)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "invalid catalog")
        self.problems = problems


SCHEMAS = {"catalog": ("catalog", "schema.json"), "site": ("sites", "schema.json"),
           "regions": ("regions", "schema.json"),
           "questions": ("catalog", "questions.schema.json")}


def schema_document(name: str = "catalog") -> dict[str, Any]:
    folder, file = SCHEMAS[name]
    return json.loads((resources.files("assets") / folder / file).read_text("utf-8"))


def inline_references(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with each local ``{"$ref": "#/$defs/NAME"}`` replaced by its definition: the
    same rules, validated about a quarter faster (the schemas here have no recursion)."""
    defs = schema.get("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema)


@cache
def _validator(name: str) -> Validator:
    from jsonschema import Draft202012Validator

    schema = schema_document(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(inline_references(schema))


def schema_problems(doc: Any, name: str = "catalog") -> list[str]:
    """What the JSON Schema ``name`` refuses in ``doc``, each with where it is: in document
    order, the most precise place first."""
    def order(e: Any) -> tuple[Any, ...]:
        path = [f"{p:06d}" if isinstance(p, int) else str(p) for p in e.absolute_path]
        return (path[:2], -len(path), path)

    errors = sorted(_validator(name).iter_errors(doc), key=order)
    return [f"{_where(e.absolute_path)}: {_short(e.message)}" for e in errors[:MAX_PROBLEMS]]


def _short(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _where(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out or "(document)"


def cross_check_problems(doc: dict[str, Any], site: Site | None = None) -> list[str]:
    """Unique codes; departments, life events, site keys and show_if targets that resolve; form
    pages that stay short. ``doc`` must already pass the schema."""
    problems: list[str] = []
    for group in ("departments", "life_events"):
        repeated = _repeated(item["code"] for item in doc.get(group, []))
        problems += [f"{group}: code {code!r} appears more than once" for code in repeated]
    problems += [f"services: code {code!r} appears more than once"
                 for code in _repeated(s["code"] for s in doc["services"])]
    departments = {d["code"] for d in doc["departments"]}
    events = {e["code"] for e in doc.get("life_events", [])}
    site_refs = site.references() if site is not None else None
    for i, s in enumerate(doc["services"]):
        where = f"services[{i}] ({s['code']})"
        if s["department"] not in departments:
            problems.append(f"{where}: unknown department {s['department']!r}")
        problems += [f"{where}: unknown life event {e!r}" for e in s.get("life_events", [])
                     if e not in events]
        if site is not None and site_refs is not None:
            problems += [f"{where}: site {site.code!r} has no {ref!r}" for ref in s["where"]
                         if ref not in site_refs]
        if "min_age" in s and "max_age" in s and s["min_age"] > s["max_age"]:
            problems.append(f"{where}: min_age is above max_age")
        problems += [f"{where}: {p}" for p in _form_problems(s.get("form", []))]
    return problems[:MAX_PROBLEMS]


def _repeated(codes: Any) -> list[str]:
    return [code for code, n in Counter(codes).items() if n > 1]


def _form_problems(items: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    seen: dict[str, dict[str, Any]] = {}
    on_page = 0
    for item in items:
        if item["kind"] == "page_break":
            if on_page == 0:
                problems.append("a page break with no field before it")
            on_page = 0
            continue
        key = item["key"]
        if key in seen:
            problems.append(f"field {key!r} appears more than once")
        on_page += 1
        if on_page == MAX_FIELDS_PER_PAGE + 1:
            problems.append(f"more than {MAX_FIELDS_PER_PAGE} fields on one page (at {key!r})")
        problems += [f"field {key!r}: {p}" for p in _field_problems(item, seen)]
        seen[key] = item
    if items and on_page == 0:
        problems.append("the form ends with a page break")
    return problems


def _field_problems(f: dict[str, Any], earlier: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    values = [o["value"] for o in f.get("options", [])]
    if len(set(values)) != len(values):
        problems.append("two options have the same value")
    show_if = f.get("show_if")
    if show_if is not None:
        target = earlier.get(show_if["field"])
        if target is None:
            problems.append(f"show_if names {show_if['field']!r}, which is not an earlier field")
        else:
            problems += _show_if_problems(show_if, target)
    if f["kind"] == "date":
        problems += _date_bound_problems(f)
    if f["kind"] in ("amount", "count") and "min" in f and "max" in f and f["min"] > f["max"]:
        problems.append("min is above max")
    if f["kind"] == "multi_choice":
        low, high = f.get("min_selected", 0), f.get("max_selected", len(values))
        if low > high or high > len(values):
            problems.append("min_selected / max_selected do not fit the options")
    return problems


def _show_if_problems(show_if: dict[str, Any], target: dict[str, Any]) -> list[str]:
    wanted = [show_if["equals"]] if "equals" in show_if else list(show_if.get("in", []))
    if "includes" in show_if:
        if target["kind"] != "multi_choice":
            return ["show_if includes works on a multi_choice field only"]
        wanted = [show_if["includes"]]
    if target["kind"] == "yes_no":
        allowed = {"yes", "no"}
    elif target["kind"] in ("choice", "multi_choice"):
        allowed = {o["value"] for o in target["options"]}
    else:
        return [f"show_if needs a choice, multi_choice or yes_no field, not {target['kind']}"]
    return [f"show_if value {v!r} is not an answer of {target['key']!r}" for v in wanted
            if v not in allowed]


def _date_bound_problems(f: dict[str, Any]) -> list[str]:
    from datetime import date

    today = date(2026, 1, 31)  # any day: relative bounds keep their order
    try:
        low = date_bound(f["min"], today) if "min" in f else None
        high = date_bound(f["max"], today) if "max" in f else None
    except ValueError as exc:
        return [f"date bound is not a date: {exc}"]
    if low is not None and high is not None and low > high:
        return ["min is after max"]
    return []


def check_catalog(doc: Any, site: Site | None = None) -> None:
    """Raise CatalogInvalidError unless ``doc`` passes the schema and the cross-checks."""
    problems = schema_problems(doc)
    if not problems:
        problems = cross_check_problems(doc, site)
    if problems:
        raise CatalogInvalidError(problems)


_VERSION = re.compile(r'"version"\s*:\s*"([^"]{1,64})"')


def check_downloaded(data: bytes) -> Catalog:
    """The catalog in ``data`` if the kiosk can use it, else CatalogInvalidError with the reason."""
    from .loader import parse_catalog

    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CatalogInvalidError([f"not UTF-8 JSON: {exc}"]) from exc
    check_catalog(doc)
    return parse_catalog(doc)


def version_of(data: bytes) -> str | None:
    """The version a catalog's bytes claim, for messages about one that could not be read."""
    found = _VERSION.search(data[:4096].decode("utf-8", "replace"))
    return found.group(1) if found else None
