# `make test` and `make run` install what they need on a fresh machine.
SHELL := /bin/bash
NPM_STAMP := node_modules/.promlite-installed

.PHONY: test typecheck lint format consumers bench golden run vendor-check docs pack

# Ends with a plain "N passed, N failed" line that any CI log reader understands: tests left out
# by a failed beforeAll, and files that failed to load, count as failed (scripts/test-summary-reporter.ts).
test: lint typecheck consumers vendor-check
	@mkdir -p test-artifacts
	@rm -f test-artifacts/test-summary.txt
	npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json --reporter=./scripts/test-summary-reporter.ts; \
	status=$$?; \
	cat test-artifacts/test-summary.txt 2>/dev/null || echo "0 passed, 1 failed (vitest ended without writing test-artifacts/test-summary.txt)"; \
	exit $$status

# npm ci again whenever the lock file is newer than the last install.
$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	touch $@

consumers:
	@scripts/ensure-consumers.sh

typecheck: $(NPM_STAMP)
	npx tsc --noEmit -p .

# Biome: formatting and lint rules in one dev dependency; fails on any difference or finding.
lint: $(NPM_STAMP)
	npx biome ci --reporter=summary .

# Rewrites the tree in the house format (what `make lint` checks).
format: $(NPM_STAMP)
	npx biome format --write .

# Benchmarks against prom-client and the plain-JavaScript floor (bench/floor/) in the same run;
# prints tables, asserts nothing.
bench: $(NPM_STAMP)
	@command -v wrk >/dev/null || scripts/ensure-debian-package.sh wrk wrk
	node --expose-gc --import tsx bench/run.ts
	node --import tsx bench/scrape.ts
	node --import tsx bench/http-overhead.ts
	node --import tsx bench/floor.ts

# The npm package: ESM and CommonJS builds with declarations and maps (scripts/build.mjs, run by
# npm's prepack), packed into test-artifacts/; npm prints the file list and sizes.
pack: $(NPM_STAMP)
	@mkdir -p test-artifacts
	npm pack --pack-destination test-artifacts

# Copies src/ into a fresh project and type-checks it under nodenext and bundler resolution.
vendor-check: $(NPM_STAMP)
	scripts/vendor-check.sh

# Regenerates the metric reference (docs/metrics.md) from the code.
docs: $(NPM_STAMP)
	npx tsx scripts/metric-reference.ts

# Rewrites the golden files in fixtures/ from the current code: review with `git diff fixtures/`.
golden: $(NPM_STAMP)
	UPDATE_GOLDEN=1 npx vitest run test/exposition/golden.test.ts

# The demo: simulated background jobs, /metrics on 127.0.0.1:9464 (METRICS_* variables configure it).
run: $(NPM_STAMP)
	npx tsx examples/demo.ts
