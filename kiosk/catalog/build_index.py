"""Build the catalog's search index with pypinyin, when the catalog is built or published.

    python -m kiosk.catalog.build_index                   # the shipped catalog's index
    python -m kiosk.catalog.build_index --check           # exit 1 if it is out of date
    python -m kiosk.catalog.build_index FILE --embed -o OUT

The last form writes a catalog to publish (``kiosk server publish-catalog OUT``) with its index
inside, so kiosks find its new titles and keywords by pinyin too. pypinyin is needed here only
(the ``server`` and ``dev`` extras); the kiosk reads the index as plain JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from .checks import CatalogInvalidError, check_catalog
from .search import INDEX_FILE, SearchIndex


def index_terms(doc: dict[str, Any]) -> list[str]:
    """Every text a search looks at: titles, keywords, department and life-event titles."""
    texts: list[str] = []
    for group in ("departments", "life_events"):
        texts += [item["title"]["zh_CN"] for item in doc.get(group, [])]
    for service in doc["services"]:
        texts.append(service["title"]["zh_CN"])
        texts += service.get("keywords", [])
    return sorted(set(texts))


def _not_han(chunk: str) -> list[str]:
    """Letters and digits between the Chinese characters stay as they are (12345, 3岁)."""
    token = "".join(c for c in chunk.lower() if c.isascii() and c.isalnum())
    return [token] if token else []


def syllables(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    # pypinyin accepts a callable returning a list for ``errors``; its type hints say str only
    found = lazy_pinyin(text, style=Style.NORMAL, v_to_u=False, errors=_not_han)  # type: ignore[arg-type]
    return tuple(s for s in found if s)


def build_index(doc: dict[str, Any]) -> SearchIndex:
    generator = f"pypinyin {metadata.version('pypinyin')}"
    terms = {text: syllables(text) for text in index_terms(doc)}
    return SearchIndex(terms, catalog_version=doc["version"], generator=generator)


def index_text(index: SearchIndex) -> str:
    return json.dumps(index.to_document(), ensure_ascii=False, indent=1) + "\n"


def shipped_paths() -> tuple[Path, Path]:
    folder = Path(str(resources.files("assets") / "catalog"))
    return folder / "services.json", folder / INDEX_FILE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.catalog.build_index",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("catalog", nargs="?", type=Path, help="default: the shipped catalog")
    parser.add_argument("--check", action="store_true", help="only say whether it is current")
    parser.add_argument("--embed", action="store_true", help="write the catalog with its index")
    parser.add_argument("-o", "--output", type=Path, help="where to write")
    args = parser.parse_args(argv)
    catalog_path, index_path = shipped_paths()
    catalog_path = args.catalog or catalog_path
    doc = json.loads(catalog_path.read_text("utf-8"))
    doc.pop("search_index", None)
    try:
        check_catalog(doc)
    except CatalogInvalidError as exc:
        sys.stderr.write(f"{catalog_path}: not a valid catalog:\n  " + "\n  ".join(exc.problems)
                         + "\n")
        return 1
    index = build_index(doc)
    if args.embed:
        out = args.output or catalog_path.with_suffix(".indexed.json")
        doc["search_index"] = index.to_document()
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        sys.stdout.write(f"{out}: catalog {doc['version']} with {len(index.terms)} indexed terms\n")
        return 0
    out = args.output or index_path
    text = index_text(index)
    if args.check:
        current = out.read_text("utf-8") if out.exists() else ""
        if current != text:
            sys.stderr.write(f"{out} is out of date: run python -m kiosk.catalog.build_index\n")
            return 1
        sys.stdout.write(f"{out} is up to date\n")
        return 0
    out.write_text(text, encoding="utf-8")
    sys.stdout.write(f"{out}: {len(index.terms)} terms for catalog {doc['version']}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
