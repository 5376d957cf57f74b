# Linli: `make demo` sets everything up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := linli/static/vendor
PG_URL ?= postgres://postgres@127.0.0.1:5432/linli

.PHONY: setup demo serve test test-sqlite test-postgres vendor bench clean debian-packages prod prod-env

setup: $(STAMP) $(VENDOR)/.copied

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end libraries come from npm and are served by Linli itself: no CDN, works on an offline intranet.
$(VENDOR)/.copied: node_modules/.installed
	mkdir -p $(VENDOR)/htmx $(VENDOR)/pico $(VENDOR)/echarts $(VENDOR)/axe
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/pico/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe/
	touch $@

vendor: $(VENDOR)/.copied

# Optional Debian packages (as root): chromium for the browser tests; espeak-ng reads public notices aloud (收听) and
# lame makes that audio a small MP3 (without lame: WAV). Linli and its suite work without them (.ci/run installs them).
DEBIAN_OPTIONAL := chromium espeak-ng lame
# PDFs (certificates, reports) are drawn by WeasyPrint, which needs Pango, with the Noto CJK fonts embedded.
DEBIAN_PDF := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
# A real server: nginx in front of gunicorn (deploy/nginx/linli.conf; docs/deploy.md). The tests run `nginx -t` on it.
DEBIAN_PROD := nginx
debian-packages:
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PDF) $(DEBIAN_OPTIONAL) $(DEBIAN_PROD)

demo: setup
	$(BIN)/linli migrate --noinput
	$(BIN)/linli demo
	@echo "邻里 Linli: http://127.0.0.1:8000"
	$(BIN)/linli runserver 127.0.0.1:8000

serve: setup
	$(BIN)/linli runserver 127.0.0.1:8000

# Production (docs/deploy.md): `make prod-env HOST=linli.example.gov.cn` writes var/prod.env once (fresh random keys,
# mode 0600; keep a copy of the keys apart from the backups); `make prod` runs gunicorn, a Celery worker and Celery
# beat with it on PostgreSQL and Redis, stopped together by Ctrl-C. SERVE_ARGS: e.g. --migrate, --web-only, --no-beat.
PROD_ENV ?= var/prod.env
prod-env: setup
	$(BIN)/linli prod-env $(PROD_ENV) $(if $(HOST),--host $(HOST)) $(if $(DATABASE_URL),--database-url $(DATABASE_URL)) $(if $(REDIS_URL),--redis-url $(REDIS_URL))

prod: setup
	@test -f $(PROD_ENV) || { echo "没有 $(PROD_ENV)：先运行 make prod-env HOST=站点域名（见 docs/deploy.md）"; exit 2; }
	set -a && . $(abspath $(PROD_ENV)) && set +a && exec $(BIN)/linli serve $(SERVE_ARGS)

# The suite runs on the embedded SQLite database and, when it is reachable, on PostgreSQL at the same time: two
# processes for the two cores (the PostgreSQL run shows its progress; the SQLite run's output follows it).
# The PostgreSQL run takes the tests that use the database (--database-tests-only): the tests that may not touch it
# and the browser tests run once, in the SQLite run (docs/testing.md). `make test-postgres` runs everything there.
# `python -m pytest` tests the checkout it is run in (a git worktree too), not the one the venv was installed from.
# --durations: the slowest tests are listed at the end of each run (where suite time goes).
PYTEST := $(BIN)/python -m pytest --durations=25
SQLITE_LOG := var/test-sqlite.log

test: setup
	@if $(BIN)/python -c "import psycopg; psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		mkdir -p var; \
		echo "== SQLite (in the background, output in $(SQLITE_LOG)) and PostgreSQL =="; \
		$(PYTEST) >$(SQLITE_LOG) 2>&1 & sqlite=$$!; \
		DATABASE_URL=$(PG_URL) $(PYTEST) --database-tests-only; pg=$$?; \
		wait $$sqlite; lite=$$?; \
		echo "== SQLite =="; cat $(SQLITE_LOG); \
		echo "== SQLite: exit $$lite, PostgreSQL: exit $$pg =="; \
		[ $$lite -eq 0 ] && [ $$pg -eq 0 ]; \
	else $(PYTEST) || exit $$?; \
		echo "PostgreSQL is not reachable at 127.0.0.1:5432: PostgreSQL-only tests were skipped."; fi

test-sqlite: setup
	$(PYTEST)

test-postgres: setup
	DATABASE_URL=$(PG_URL) $(PYTEST)

bench: setup
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/linli_bench} $(BIN)/python bench/registry.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles
