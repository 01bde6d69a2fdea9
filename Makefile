# Two entry points for newcomers: `make run` (index the shipped corpus and serve it) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test install-bench index bench bench-tiny stress clean dsfr translations

$(BIN)/eig-search: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(BIN)/eig-search

install-test: install
	$(BIN)/pip install --quiet -e '.[test]'

index: install
	$(BIN)/eig-search index --site corpus

run: install
	$(BIN)/eig-search serve --build-if-missing --site corpus --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest

# Benchmark (README, « Performance ») : 20 000 puis 100 000 pages ; BENCH_SIZES=20000 pour une seule taille.
BENCH_SIZES ?= 20000,100000

install-bench: install
	$(BIN)/pip install --quiet -e '.[bench]'

bench: install-bench
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES) --out bench/results/latest.md

# Le même banc sur 300 pages, en moins d'une minute (n'écrase pas latest.md).
bench-tiny: install-bench
	$(BIN)/python -m bench.run --sizes 300 --repeats 2 --http-requests 100 --out bench/results/tiny.md

clean:
	rm -rf $(VENV) instance .pytest_cache

# La partie lourde de tests/reliability (README, « Sécurité et fiabilité ») : 20 000 pages, charge,
# kill -9 de l'indexeur ; chaque test est borné dans le temps.
stress: install-test
	EIG_STRESS=1 $(BIN)/python -m pytest tests/reliability -m stress -ra -s --durations=25

# Le système de design de l'État (DSFR), copié depuis le paquet npm officiel dans searchweb/static/dsfr/
# (searchweb/static/dsfr/README.md) : `make dsfr DSFR_VERSION=1.15.3` pour changer de version.
DSFR_VERSION ?= 1.15.3

dsfr:
	sh scripts/vendor-dsfr.sh $(DSFR_VERSION)

# Catalogues de l'interface (README, « Langues de l'interface ») : extraire les messages (babel.cfg),
# mettre à jour le .po de chaque langue, compiler les .mo, versionnés (rien à construire au lancement).
POT := $(VENV)/messages.pot

translations: install
	$(BIN)/pybabel -q extract -F babel.cfg --add-comments=TRANSLATORS: --project=eig-search -o $(POT) .
	$(BIN)/pybabel -q update --ignore-obsolete --ignore-pot-creation-date -i $(POT) -d searchweb/translations
	$(BIN)/pybabel compile --statistics -d searchweb/translations
