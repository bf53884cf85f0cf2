# Set-up is shared by every target: system packages (as root), the venv, the project.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
PYTHON  ?= python3

.PHONY: run test bench lint setup system-deps translations deb

setup: system-deps $(STAMP)

system-deps:
	@bash .ci/system-deps

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[server,dev]"
	@touch $@

run: setup
	$(VENV)/bin/kiosk run --demo

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -p no:cacheprovider
	@echo "Date-sensitive tests again, where the machine's date is not the kiosk's:"
	TZ=Pacific/Kiritimati QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -p no:cacheprovider -q -m dates
	TZ=Etc/GMT+12 QT_QPA_PLATFORM=offscreen $(VENV)/bin/pytest -p no:cacheprovider -q -m dates
	PYTHON=$(PYTHON) bash .ci/lean-install

bench: setup
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/python -m tests.bench

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

translations: setup
	$(VENV)/bin/pyside6-lupdate -no-obsolete -extensions py ui kiosk -ts assets/i18n/kiosk_zh_CN.ts assets/i18n/kiosk_en.ts
	$(VENV)/bin/pyside6-lrelease assets/i18n/kiosk_zh_CN.ts assets/i18n/kiosk_en.ts

# The Debian package (docs/deployment.md, "The Debian package"): dist/civic-kiosk_<version>_<arch>.deb
deb: system-deps
	bash deploy/deb/build.sh
