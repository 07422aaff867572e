# The two commands a fresh machine with only python3.11 needs:
#   make demo   creates .venv and runs the main job end to end on the local doubles
#   make test   creates .venv and runs every test (sanity, lint, build+install, unit, fidelity, integration)
PYTHON ?= python3.11
VENV ?= .venv
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-test.txt | cksum | cut -d' ' -f1)

.PHONY: demo test venv sanity lint build unit clean

$(STAMP): requirements.txt requirements-test.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -r requirements-test.txt
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

demo: venv
	$(VENV)/bin/python hacking/demo.py

test: venv
	VENV=$(VENV) bash hacking/test.sh

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
