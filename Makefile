# dcp-kiosk: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(VENV)/bin
export LANG ?= C.UTF-8

.PHONY: demo test lint screenshots system-deps venv clean package package-test soak bench catalogues

## System packages (Qt libraries, Xvfb, fonts). As root installs what is missing.
system-deps:
	@bash packaging/system-deps.sh

# uv, when the machine has none: installed into .tools/ with the system Python.
.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet 'uv>=0.5'

## The environment in .venv, exactly as uv.lock pins it.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

venv: system-deps $(VENV)/.synced

## The translation catalogues compiled: app/locales/<code>.po -> .mo (the kiosk reads the .mo; the bundle carries them).
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard app/locales/*.po))
catalogues: $(CATALOGUES)
app/locales/%.mo: app/locales/%.po | $(VENV)/.synced
	$(RUN)/python -m tools.catalogues compile $*

## The kiosk in a window, in training mode, with the reference portal on loopback.
# With no desktop keyring, it runs in a private D-Bus session with GNOME Keyring (see the script).
DEMO_KEYRING ?= $(HOME)/.local/share/dcp-kiosk/training-keyring
demo: venv catalogues
	DCP_KIOSK_KEYRING_DIR="$(DEMO_KEYRING)" PYTHON=$(RUN)/python packaging/session-keyring.sh $(RUN)/dcp-kiosk demo

## The whole test suite, headless (Qt offscreen).
test: venv catalogues
	QT_QPA_PLATFORM=offscreen $(RUN)/pytest

## The long reliability runs (tests/reliability/, `-m reliability`): SIGKILL at random moments of submit
## and of sync, 500 times each, against the reference portal on loopback; 1,000 citizen sessions through
## the real window with the sync thread running (memory, QObjects, files, threads); the store crash test.
## About an hour on a small machine; the counts are the DCP_TEST_* variables below.
SOAK_COUNTS ?= DCP_TEST_SUBMIT_KILLS=500 DCP_TEST_SYNC_KILLS=500 DCP_TEST_UI_SESSIONS=1000 DCP_TEST_CRASH_KILLS=200
soak: venv
	$(SOAK_COUNTS) QT_QPA_PLATFORM=offscreen nice $(RUN)/pytest -m reliability -rA --show-capture=stdout -p no:cacheprovider tests/reliability

## Every benchmark in benchmarks/, one JSON line per figure (`make bench BENCH_ARGS=--quick`: a few minutes).
BENCH_ARGS ?=
bench: venv
	QT_QPA_PLATFORM=offscreen $(RUN)/python benchmarks/run_all.py $(BENCH_ARGS)

lint: venv
	$(RUN)/ruff check .
	$(RUN)/ruff format --check .
	$(RUN)/mypy
	$(RUN)/lint-imports

## Screenshots of the kiosk screens into docs/screenshots/, taken under Xvfb.
screenshots: venv
	xvfb-run -a -s "-screen 0 1280x1024x24" $(RUN)/python -m tools.screenshots docs/screenshots
	xvfb-run -a -s "-screen 0 1280x1024x24" $(RUN)/python -m tools.staff_screenshots docs/screenshots

## The kiosk bundle: dist/dcp-kiosk/ (PyInstaller, one folder, version-stamped) and its archive.
package: venv catalogues
	$(RUN)/python packaging/build.py

## Build the bundle, then smoke-test the frozen build (enrol, sync, doctor, a window under Xvfb;
## fails on any unexpected line on stderr). Runs with a private keyring when there is no desktop one.
PACKAGE_KEYRING ?= $(CURDIR)/build/smoke-keyring
package-test: package
	rm -rf "$(PACKAGE_KEYRING)"
	DCP_KIOSK_KEYRING_DIR="$(PACKAGE_KEYRING)" PYTHON=$(RUN)/python packaging/session-keyring.sh \
		env DCP_KIOSK_BUNDLE=dist/dcp-kiosk QT_QPA_PLATFORM=offscreen $(RUN)/pytest tests/packaging

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache build dist
