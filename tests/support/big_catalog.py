"""A catalogue of any size made from the shipped one, for benchmarks at scale (2,000 services).

Each generated service is a shipped service under a new code, with its title and keywords
varied by words drawn from other services' titles (deterministic for a seed), so that search
and the pinyin index see as many distinct texts as services, not 10 copies of 202.
"""

from __future__ import annotations

import copy
import json
import random
from importlib import resources
from typing import Any


def shipped_document() -> dict[str, Any]:
    text = (resources.files("assets") / "catalog" / "services.json").read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def big_catalog(services: int = 2000, seed: int = 7) -> dict[str, Any]:
    """A catalogue document with ``services`` services (the shipped ones first)."""
    doc = shipped_document()
    shipped = doc["services"]
    rng = random.Random(seed)
    words = sorted({s["title"]["zh_CN"][i:i + 2] for s in shipped
                    for i in range(0, len(s["title"]["zh_CN"]) - 1, 2)})
    out = list(shipped)
    n = 0
    while len(out) < services:
        base = shipped[n % len(shipped)]
        n += 1
        s = copy.deepcopy(base)
        extra = rng.choice(words) + rng.choice(words)
        s["code"] = f"{base['code']}-g{n}"
        s["title"] = {"zh_CN": f"{base['title']['zh_CN']}（{extra}）",
                      "en": f"{base['title'].get('en', base['code'])} ({n})"}
        s["keywords"] = [*base.get("keywords", [])[:3], extra]
        out.append(s)
    doc["services"] = out
    doc["version"] = f"{doc['version']}-big{services}"
    doc.pop("search_index", None)
    return doc
