"""The service catalog: departments, life events, services with their guides, channels and
form schemas, read from the installed assets (or a catalog the platform published).

- :mod:`.model` — the typed catalog; :mod:`.fields` — form values checked by kind;
- :mod:`.loader` — parsing a catalog document (format 2, ``docs/catalog.md``);
- :mod:`.checks` — its JSON Schema and cross-checks; :mod:`.search` — finding a service;
- :mod:`.build_index` — the pinyin index, built with pypinyin when the catalog is built;
- :mod:`.site` — the hall's local facts; :mod:`.regions` — districts, streets, communities.
"""

from .fields import PHONE, FormError
from .loader import load_catalog
from .model import Catalog, FormField, Option, Service, localized

__all__ = ["PHONE", "Catalog", "FormError", "FormField", "Option", "Service", "load_catalog",
           "localized"]
