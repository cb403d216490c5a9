# `make test` and `make run` install what they need on a fresh machine.
SHELL := /bin/bash
NPM_STAMP := node_modules/.promlite-installed

.PHONY: test typecheck unit consumers bench golden run

test: typecheck consumers
	npx vitest run

# npm ci again whenever the lock file is newer than the last install.
$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	touch $@

consumers:
	@scripts/ensure-consumers.sh

typecheck: $(NPM_STAMP)
	npx tsc --noEmit -p .

# Benchmarks against prom-client in the same run; prints tables, asserts nothing.
bench: $(NPM_STAMP)
	node --expose-gc --import tsx bench/run.ts
	node --import tsx bench/scrape.ts

# Rewrites the golden files in fixtures/ from the current code: review with `git diff fixtures/`.
golden: $(NPM_STAMP)
	UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts

# The demo: simulated background jobs, /metrics on 127.0.0.1:9464 (METRICS_* variables configure it).
run: $(NPM_STAMP)
	npx tsx examples/demo.ts
