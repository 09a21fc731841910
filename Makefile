# `make` sets everything up and builds every kit; `make test` runs the whole test suite.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all kits test check bench clean

all: kits

$(STAMP): pyproject.toml scripts/setup-system.sh
	bash scripts/setup-system.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

kits: $(STAMP)
	$(BIN)/kitbuilder build

bench: $(STAMP)
	bench/run

check: $(STAMP)
	$(BIN)/kitbuilder check

# src/'s bytecode first: the tests start dozens of `kitbuilder` processes, and where the
# environment sets PYTHONDONTWRITEBYTECODE each of them would compile the package again.
test: $(STAMP)
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m pytest

clean:
	rm -rf output .pytest_cache
