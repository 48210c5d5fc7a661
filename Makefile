# Two commands do everything on a fresh machine: `make extract` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: extract test samples setup clean bench lint

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,ocr]'
	touch $(STAMP)

setup: $(STAMP)

extract: $(STAMP)
	$(BIN)/disclosure-etl extract samples --out output

test: $(STAMP)
	@bash scripts/system-deps.sh
	$(BIN)/python -m pytest -q

# Lint (ruff) and types (mypy on the package); CI runs this before the tests.
lint: $(STAMP)
	$(BIN)/ruff check src samplegen tests
	$(BIN)/mypy src/disclosure_etl

# Rebuild the sample PDFs from samplegen/ (needs the CJK font from Debian's
# fonts-wqy-microhei; installed here when missing and apt-get is available):
# the foundation sample, then one document per layout family.
samples: $(STAMP)
	@bash scripts/system-deps.sh
	$(BIN)/python -m samplegen samples
	$(BIN)/python -m samplegen samples --family seed
	$(BIN)/python -m samplegen samples --family jiangsu
	$(BIN)/python -m samplegen samples --family central
	$(BIN)/python -m samplegen tests/data/planted --variant planted
	$(BIN)/python -m samplegen tests/data/planted --variant planted --family jiangsu
	$(BIN)/python -m samplegen tests/data/planted --variant planted --family central
	$(BIN)/python -m samplegen tests/data/scanned --variant scanned

CORPUS ?= $(or $(DISCLOSURE_CORPUS),../shared/corpus)

SCANNED := tests/data/scanned/dh_2024_department_budget_scanned.pdf

# Our pipeline against pdfplumber, camelot (slow, ~2 min on the corpus) and raw PDFium over
# every corpus family (its folders are searched recursively: corpus/, jiangsu/, central/, the
# published documents the targets are set on; samples/ without the corpus); OCR of the scanned
# sample with and without page-wide detection; batch scaling and the batch checks over 1,000
# and 10,000 documents. Ratios only mean something within one run: the engines take turns,
# best of 5 passes each (camelot at most 2); the two OCR ways take turns, best of 3 fresh processes.
bench: $(STAMP)
	$(BIN)/disclosure-etl bench $(or $(wildcard $(CORPUS)),samples) --out output --repeats 5 --scaling \
		--ocr $(SCANNED) --ocr-truth samples/dh_2024_department_budget.truth.csv --ocr-repeats 3

clean:
	rm -rf output .pytest_cache
