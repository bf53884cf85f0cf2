"""A catalogue the platform publishes is checked against the schema on arrival: a malformed one
is refused, the last good copy stays in use, and the reason is in the log and in
``kiosk diagnose``. The operator's publish command refuses a file that fails the schema."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from kiosk.catalog.build_index import main as build_index_main
from kiosk.catalog.loader import installed_catalog_text
from kiosk.catalog.status import STATUS_FILE
from kiosk.diagnostics.diagnose import check_catalog
from kiosk.platform_link.downlink import catalog_dir, catalog_sync, load_current_catalog
from kiosk.platform_link.enrolment import identity_dir, platform_client
from sync.downlink.catalog import CATALOG_FILE
from tests.support.downlink import module_platform, operator, publish
from tests.support.kiosk import test_config
from tests.support.platform import PlatformProcess

__all__ = ["module_platform"]


def catalogue(version: str, **change: Any) -> dict[str, Any]:
    doc = json.loads(installed_catalog_text())
    doc["version"] = version
    doc["services"][3].update(change)
    return doc


def as_bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def test_a_malformed_catalogue_is_refused_and_the_last_good_copy_kept_with_the_reason(
    module_platform: PlatformProcess, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = test_config(tmp_path).replace("platform", url=module_platform.url)
    assert check_catalog(config)["source"] == "installed"  # nothing downloaded yet
    module_platform.enrol(config.kiosk.id, identity_dir(config), code=config.kiosk.code)
    client = platform_client(config)
    try:
        sync = catalog_sync(config, client)
        assert sync is not None
        good = as_bytes(catalogue("2026-12-02.1"))
        publish(module_platform, good)
        assert sync.sync().outcome == "updated"
        assert load_current_catalog(sync).version == "2026-12-02.1"

        publish(module_platform, as_bytes(catalogue("2026-12-02.2", channel="counter")))
        with caplog.at_level(logging.WARNING):
            result = sync.sync()
        assert (result.outcome, result.reason) == (
            "refused", "catalogue not usable: CatalogInvalidError")
        assert (catalog_dir(config) / CATALOG_FILE).read_bytes() == good
        assert load_current_catalog(sync).version == "2026-12-02.1"
        assert "services[3].channel: 'counter' is not one of" in caplog.text

        part = check_catalog(config)  # what kiosk diagnose reports, from another process
        assert part["ok"] is True
        assert (part["version"], part["source"]) == ("2026-12-02.1", "downloaded")
        assert part["last_refusal"]["version"] == "2026-12-02.2"
        assert "services[3].channel" in part["last_refusal"]["reason"]
        [warning] = part["warnings"]
        assert "catalogue 2026-12-02.2 was refused" in warning and "last good copy" in warning
        assert json.loads((catalog_dir(config) / STATUS_FILE).read_text())["loaded"]["source"] \
            == "downloaded"

        duplicate = catalogue("2026-12-02.3")
        duplicate["services"].append(dict(duplicate["services"][0]))
        publish(module_platform, as_bytes(duplicate))
        assert sync.sync().outcome == "refused"  # the cross-checks refuse too
        assert "appears more than once" in check_catalog(config)["last_refusal"]["reason"]
    finally:
        client.close()


def test_the_publish_command_refuses_a_file_that_fails_the_schema(
    module_platform: PlatformProcess, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_bytes(as_bytes(catalogue("publish.1", offline="sometimes")))
    refused = operator(module_platform, "publish-catalog", str(broken))
    assert refused.returncode == 1
    assert "does not match its schema" in refused.stderr
    assert "services/3/offline" in refused.stderr

    plain = tmp_path / "plain.json"
    plain.write_bytes(as_bytes(catalogue("publish.2")))
    done = operator(module_platform, "publish-catalog", str(plain))
    assert done.returncode == 0 and "published" in done.stdout, done.stderr
    assert "carries no search index" in done.stdout

    indexed = tmp_path / "indexed.json"
    assert build_index_main([str(plain), "--embed", "-o", str(indexed)]) == 0
    assert json.loads(indexed.read_text())["search_index"]["terms"]["养老"] == "yang lao"
    done = operator(module_platform, "publish-catalog", str(indexed))
    assert done.returncode == 0 and "search index" not in done.stdout, done.stderr


def test_the_index_builder_refuses_an_invalid_catalogue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(as_bytes(catalogue("bad.1", department="weather")))
    assert build_index_main([str(path), "--embed"]) == 1
    assert "unknown department 'weather'" in capsys.readouterr().err
    assert build_index_main(["--check"]) == 0  # the shipped index is current
