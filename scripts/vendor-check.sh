#!/usr/bin/env bash
# Proves that src/ can be vendored: copies it into a fresh project with the commands of
# docs/vendoring.md (run as written there), type-checks a small app against it under `nodenext`
# and `bundler` module resolution and under @tsconfig/strictest, and runs it.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The copy commands of docs/vendoring.md, exactly as a user would paste them (the path to this
# repository filled in), in a project that has no vendor/ folder yet.
copy=$(awk '/^```sh$/ { inside = 1; next } /^```$/ { inside = 0 } inside' "$repo/docs/vendoring.md" | sed "s#path/to/promlite#$repo#g")
[ -n "$copy" ] || { echo "vendor-check: no sh block in docs/vendoring.md" >&2; exit 1; }
(cd "$work" && bash -euo pipefail -c "$copy")
[ -f "$work/vendor/promlite/index.ts" ] || { echo "vendor-check: docs/vendoring.md's commands did not copy src/" >&2; exit 1; }
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
for setup in nodenext bundler strictest; do
  case "$setup" in
    nodenext) options='"module": "NodeNext", "moduleResolution": "nodenext", "strict": true'; extends='' ;;
    bundler) options='"module": "ESNext", "moduleResolution": "bundler", "strict": true'; extends='' ;;
    # What many teams use: every strict flag there is, plus the ones @tsconfig/strictest leaves out.
    strictest)
      options='"module": "NodeNext", "moduleResolution": "nodenext", "verbatimModuleSyntax": true, "exactOptionalPropertyTypes": true, "noUncheckedIndexedAccess": true, "noPropertyAccessFromIndexSignature": true'
      extends="\"extends\": \"$repo/node_modules/@tsconfig/strictest/tsconfig.json\","
      ;;
  esac
  cat > "$work/tsconfig.$setup.json" <<JSON
{
  $extends
  "compilerOptions": {
    "target": "ES2022", "lib": ["ES2022"], $options,
    "noEmit": true, "skipLibCheck": true,
    "types": ["node"], "typeRoots": ["$repo/node_modules/@types"]
  },
  "files": ["app.ts"]
}
JSON
  echo "vendor-check: type-checking under $setup"
  "$repo/node_modules/.bin/tsc" -p "$work/tsconfig.$setup.json"
done
echo "vendor-check: running the app"
(cd "$work" && "$repo/node_modules/.bin/tsx" app.ts)
