# The two commands a fresh machine with only python3.11 needs:
#   make demo   creates .venv and runs the main job end to end on the local doubles
#   make test   creates .venv and runs every test (sanity, lint, build+install, unit, fidelity, integration)
#   make test-quick  the check while working (under a minute): unit tests, the fast fidelity tests, one role run
# The Python 3.11 the virtualenvs are made from: hacking/python.sh prefers a faster build when the machine has two.
ifndef PYTHON
PYTHON := $(or $(shell bash hacking/python.sh 3.11),python3.11)
endif
VENV ?= .venv
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-test.txt | cksum | cut -d' ' -f1)

.PHONY: demo test test-quick venv sanity lint build unit clean

$(STAMP): requirements.txt requirements-test.txt
	bash hacking/venv.sh $(VENV) $(PYTHON) -r requirements-test.txt
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

demo: venv
	$(VENV)/bin/python hacking/demo.py

test: venv
	VENV=$(VENV) bash hacking/test.sh

# The quick set is chosen in tests/conftest.py (QUICK).
test-quick: venv
	$(VENV)/bin/python -m pytest -n 2 -p no:cacheprovider -q --quick tests

sanity: venv
	VENV=$(VENV) bash hacking/sanity.sh

lint: venv
	$(VENV)/bin/ansible-lint

build: venv
	VENV=$(VENV) bash hacking/build.sh

unit: venv
	$(VENV)/bin/python -m pytest -q tests/unit

clean:
	rm -rf build tests/output .pytest_cache

# --- documentation, execution environment and release checks (docs/, meta/ee/, hacking/{docs,ee,release}-*.sh) ---
# Each tool set with clashing pins has its own virtualenv, created here so that a fresh clone gets it.
DOCS_VENV ?= .venv-docs
DOCS_STAMP := $(DOCS_VENV)/.installed-$(shell cat requirements-docs.txt | cksum | cut -d' ' -f1)
IMPORTER_VENV ?= .venv-importer
IMPORTER_STAMP := $(IMPORTER_VENV)/.installed-$(shell cat requirements-release.txt | cksum | cut -d' ' -f1)

.PHONY: docs-venv importer-venv docs docs-lint ee-context release-check

$(DOCS_STAMP): requirements-docs.txt
	bash hacking/venv.sh $(DOCS_VENV) $(PYTHON) -r requirements-docs.txt
	rm -f $(DOCS_VENV)/.installed-*
	touch $@

docs-venv: $(DOCS_STAMP)

$(IMPORTER_STAMP): requirements-release.txt
	bash hacking/venv.sh $(IMPORTER_VENV) $(PYTHON) -r requirements-release.txt
	rm -f $(IMPORTER_VENV)/.installed-*
	touch $@

importer-venv: $(IMPORTER_STAMP)

# The HTML site: build/docs-site/build/html/index.html
docs: docs-venv
	DOCS_VENV=$(DOCS_VENV) bash hacking/docs-build.sh

docs-lint: docs-venv
	DOCS_VENV=$(DOCS_VENV) bash hacking/docs-lint.sh

# The execution environment's build context in build/ee/context, checked.
ee-context: venv
	VENV=$(VENV) bash hacking/ee-check.sh

# Everything a release needs: the test command's checks plus galaxy-importer, the changelog and the docs site.
release-check: venv docs-venv importer-venv
	VENV=$(VENV) DOCS_VENV=$(DOCS_VENV) IMPORTER_VENV=$(IMPORTER_VENV) bash hacking/release-check.sh

# --- performance (hacking/bench.py, docs/performance.md) ---
# The full benchmark: requests per module run, lookups with 1,000 objects, the role against a floor playbook,
# and 10 vs 100 applications in one play. Its short form (tests/bench) runs in make test.
.PHONY: bench

bench: venv
	$(VENV)/bin/python hacking/bench.py $(BENCH_ARGS)

# --- ansible-core releases and authentik clients (hacking/test-matrix.sh, hacking/contract-clients.sh) ---
# ansible-test sanity and the role's idempotence and login test under ansible-core 2.16, 2.18 and 2.21, each in
# .venv-matrix/<core> with a Python that release supports (3.11, 3.12, 3.13: pyenv or the distribution's packages;
# the script says what is missing). MATRIX="2.16:3.11 2.21:3.13" runs the oldest and the newest only.
.PHONY: test-matrix contract-clients

test-matrix:
	bash hacking/test-matrix.sh

# The official authentik-client of each verified release, one directory each under .cache/contract-clients
# (tests/contract fills it itself when it runs).
contract-clients: venv
	VENV=$(VENV) bash hacking/contract-clients.sh
