# Lake Avenue Recovery assistant. `make run` and `make test` are all a newcomer
# needs; the other targets are listed by `make help`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

VENV := .venv/bin
MODEL = $(shell tools/model.sh)

.PHONY: help install train run shell validate test test-conversations lint format eval-nlu eval-safety eval-language safety-thresholds content-report review callbacks purge load bench clean lock

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

install: ## Create .venv (Python 3.10) with the pinned dependencies
	@tools/venv.sh

train: install ## Train the model if config, domain or data changed
	@echo "Model: $(MODEL)"

run: install ## Start the action server and the Rasa server on 127.0.0.1
	@tools/webchat_assets.sh
	@tools/run.sh "$(MODEL)"

shell: install ## Talk to the assistant in the terminal; DEBUG=1 shows intents and the safety check
	@tools/run.sh "$(MODEL)" shell

validate: install ## Check the training data and domain (warnings fail)
	$(VENV)/rasa data validate --fail-on-warnings

lint: install ## ruff lint and format check
	$(VENV)/ruff check . && $(VENV)/ruff format --check .

format: install ## Format the Python code
	$(VENV)/ruff format . && $(VENV)/ruff check --fix .

# pytest exits non-zero when it collects no tests, so an empty run fails.
# Two workers (pytest-xdist), each with its own servers; a test file stays on
# one worker, so its module-wide servers start once. TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 2
test: install validate lint ## Everything: data, lint, unit, conversation and safety tests
	@tools/webchat_assets.sh
	@tools/test_prerequisites.sh
	@LAR_MODEL="$(MODEL)" $(VENV)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile tests

test-conversations: install ## Only the conversation tests in tests/conversations/ (test_*.yml)
	@LAR_MODEL="$(MODEL)" $(VENV)/python -m pytest -q --tb=short --show-capture=no -p no:warnings tests/dialogue/test_conversation_stories.py

eval-nlu: install ## Held-out and blind topic sets: accuracy, macro-F1, weakest topics, wrong answers; confusion matrix in reports/
	@LAR_MODEL="$(MODEL)" $(VENV)/python -m tools.eval_nlu
	@LAR_MODEL="$(MODEL)" $(VENV)/python -m tools.eval_topics

eval-safety: install ## Safety check per category and language on the red-team, validation and blind sets
	@LAR_MODEL="$(MODEL)" $(VENV)/python -m tools.eval_safety

eval-language: install ## Language detectors compared on short, misspelled messages (installs the candidates); report in reports/language/
	@$(VENV)/pip install --quiet -r benchmarks/language_candidates.txt -c constraints.txt
	@$(VENV)/python -m benchmarks.language_detection

safety-thresholds: install ## Choose the safety check's thresholds on the validation set (for config.yml)
	@$(VENV)/python -m tools.safety_thresholds

content-report: install ## HTML of every topic for clinical sign-off, in reports/
	@$(VENV)/python -m tools.content_report

review: install ## Unanswered questions, top topics, handoffs: HTML in reports/ (FROM=, TO= dates; default last 30 days)
	@$(VENV)/python -m tools.review_report $(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO))

callbacks: install ## Open call-back requests with their numbers (needs CALLBACK_KEY); DONE=<id> marks one done
	@$(VENV)/python -m tools.callbacks $(if $(DONE),--done $(DONE))

# THINK: seconds a visitor takes between messages (people read; 0 = a flood).
THINK ?= 10
load: install ## Bounded load on loopback: 50 REST conversations + 20 widget clients (THINK=10 s); errors, p50/p95/p99, msg/s
	@LAR_MODEL="$(MODEL)" $(VENV)/python -m tools.load_test --think $(THINK)

bench: install ## Speed, size and accuracy vs stock Rasa and a TF-IDF baseline (~11 min), then NLU settings compared on the blind topic sets (benchmarks/variants.py: one NLU training each); reports/bench/
	@LAR_MODEL="$(MODEL)" $(VENV)/python -m benchmarks
	@$(VENV)/python -m benchmarks.variants

DAYS ?= 30
purge: install ## Delete conversations idle for more than DAYS days (default 30)
	@$(VENV)/python -m storage.purge --days $(DAYS)

lock: install ## Rewrite constraints.txt from the installed venv
	@(echo "# Full lock of requirements.txt on Python 3.10 (pip freeze). Regenerate: make lock"; \
	  $(VENV)/pip freeze) > constraints.txt

clean: ## Remove trained models, local databases and reports
	rm -rf models var reports test-output .pytest_cache
