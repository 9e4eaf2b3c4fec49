# Each target works on a fresh clone: it creates .venv and installs the project into it first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
STORE  := .communique/store

.PHONY: install test demo lod clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## make test: the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest

## make demo: build data/ into the store and lod/, then ask the store a SPARQL question
demo: $(STAMP)
	$(BIN)/communique build data/statements --out lod --store $(STORE)
	@echo
	@echo "Which statements recognize someone as the government of a country, whom, with which Wikidata id?"
	$(BIN)/communique query --store $(STORE) -f data/queries/recognitions.rq

## make lod: rebuild the committed publication lod/ from data/
lod: $(STAMP)
	$(BIN)/communique build data/statements --out lod --store $(STORE)

clean:
	rm -rf $(VENV) .communique .pytest_cache
