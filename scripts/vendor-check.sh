#!/usr/bin/env bash
# Proves that src/ can be vendored: copies it into a fresh project as vendor/promlite/, type-checks
# a small app against it under both `nodenext` and `bundler` module resolution, and runs it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/vendor/promlite"
cp -R "$repo/src/." "$work/vendor/promlite/"
cat > "$work/package.json" <<'JSON'
{ "name": "vendor-check", "private": true, "type": "module" }
JSON
cat > "$work/app.ts" <<'TS'
import { createMetricsServer, HealthChecks, Registry, render, type RegistrySnapshot } from './vendor/promlite/index.js';
import { DEFAULT_METRICS_CONFIG, type MetricsConfig } from './vendor/promlite/serve/index.js';
import { OVERFLOW_ROUTE } from './vendor/promlite/instrument/index.js';

const registry = new Registry({ prefix: 'app_' });
registry.counter({ name: 'requests_total', help: 'Requests.', labelNames: ['method'] }).inc({ method: 'GET' });
const snapshot: RegistrySnapshot = registry.snapshot();
const config: MetricsConfig = { ...DEFAULT_METRICS_CONFIG, port: 0 };
const server = await createMetricsServer({ registry, ...config, health: new HealthChecks() });
const body = await (await fetch(server.url)).text();
await server.close();
if (OVERFLOW_ROUTE.length === 0 || !body.includes('app_requests_total{method="GET"} 1') || !render(snapshot).includes('# TYPE app_requests_total counter')) {
  throw new Error('vendored promlite did not work');
}
console.log('vendored promlite works');
TS
for resolution in nodenext bundler; do
  if [ "$resolution" = nodenext ]; then module=NodeNext; else module=ESNext; fi
  cat > "$work/tsconfig.$resolution.json" <<JSON
{
  "compilerOptions": {
    "target": "ES2022", "lib": ["ES2022"], "module": "$module", "moduleResolution": "$resolution",
    "strict": true, "noEmit": true, "skipLibCheck": true,
    "types": ["node"], "typeRoots": ["$repo/node_modules/@types"]
  },
  "files": ["app.ts"]
}
JSON
  echo "vendor-check: type-checking with moduleResolution=$resolution"
  "$repo/node_modules/.bin/tsc" -p "$work/tsconfig.$resolution.json"
done
echo "vendor-check: running the app"
(cd "$work" && "$repo/node_modules/.bin/tsx" app.ts)
