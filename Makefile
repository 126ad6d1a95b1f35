# vrhub: two commands for a newcomer, `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The demo's admins and signatories skip the second factor unless this is 0 (honoured only with DEBUG on).
VRHUB_DEMO_SKIP_2FA ?= 1

.PHONY: mutation lock run test test-sqlite test-postgres test-smoke lint venv system-deps assets clean serve worker

# Every package, transitive ones too, is pinned with its hashes (requirements*.txt, made by `make lock`).
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

## Set up .venv, migrate, load demo data and serve on http://127.0.0.1:$(PORT)
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py load_areas
	$(PY) manage.py load_boundaries data/boundaries --quiet
	$(PY) manage.py load_police_uk data/police-uk --quiet
	$(PY) manage.py generate_police_uk --force "West Midlands Police" --months 12 --seed 1 --out var/police-uk-synthetic
	$(PY) manage.py load_police_uk --synthetic var/police-uk-synthetic --quiet
	$(PY) manage.py load_mps data/mps --quiet
	$(PY) manage.py load_imd data/imd/imd2025_england_lsoa21.csv data/imd/imd2019_england_lsoa11.csv --quiet
	$(PY) manage.py load_population data/population --quiet
	$(PY) manage.py generate_istv --out var/istv-synthetic.csv --months 24 --seed 1
	$(PY) manage.py load_istv var/istv-synthetic.csv --vru VRU-LDN --quiet
	@echo "vrhub: http://127.0.0.1:$(PORT)  (demo users and password: see README); background jobs run in a worker beside it"
	$(PY) manage.py db_worker --no-startup-delay & WORKER=$$!; trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	VRHUB_DEMO_SKIP_2FA=$(VRHUB_DEMO_SKIP_2FA) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## Install what the tests need, then run the whole suite on SQLite and on a throwaway PostgreSQL (at once)
test: system-deps venv lint
	scripts/test-all.sh
	scripts/smoke-production.sh

## Production: gunicorn (WEB_CONCURRENCY workers, default 4) with the production settings on DATABASE_URL
PROD := DJANGO_SETTINGS_MODULE=vrhub.settings.production
serve: venv
	@test -n "$$DATABASE_URL" || { echo "make serve: set DATABASE_URL (postgres://user:password@host/db), SECRET_KEY and ALLOWED_HOSTS; see README, Deploying" >&2; exit 2; }
	$(PROD) $(PY) manage.py collectstatic --noinput -v0
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) $(PY) manage.py check --deploy --fail-level ERROR
	$(PROD) exec $(VENV)/bin/gunicorn -c gunicorn.conf.py vrhub.wsgi

## Production: the background job worker (evidence loads, reports, reminders); run one or more beside `serve`
worker: venv
	$(PROD) exec $(PY) manage.py db_worker

test-smoke: venv
	scripts/smoke-production.sh

system-deps:
	scripts/system-deps.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports .importlinter
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=vrhub.settings.test $(PY) manage.py check

test-sqlite: venv
	scripts/test-sqlite.sh

test-postgres: venv
	scripts/test-postgres.sh

## Mutation testing of completeness, the plan cycle and the permission selectors (two hours or more; docs/mutation-testing.md)
mutation: venv
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 1
	$(PY) scripts/mutation_score.py

## Re-pin every dependency with hashes after editing requirements.in or requirements-dev.in
lock:
	$(PYTHON) -m venv /tmp/vrhub-pip-tools && /tmp/vrhub-pip-tools/bin/pip install --quiet pip-tools==7.6.2
	/tmp/vrhub-pip-tools/bin/pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -q -o requirements.txt requirements.in
	/tmp/vrhub-pip-tools/bin/pip-compile --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -q -o requirements-dev.txt requirements-dev.in

## Rebuild the GOV.UK Frontend CSS/JS in vrhub/static/vrhub (needs node; output is committed)
assets:
	cd assets && npm ci && npm run build

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
