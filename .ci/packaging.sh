#!/usr/bin/env bash
# The packed crmkit as a user installs it. `npm pack`s the project (build dist/ first), then
# installs the tarball into fresh projects beside the test tools users already have, and runs a
# small ESM and a CommonJS script in each (.ci/packaging/: createCrm, a record, an error's code,
# crmkit/testing's ids and clocks):
#   plain          crmkit alone: no peer is installed, crmkit/testing loads without a test runner
#                  (crmkit/testing/conformance and /arbitraries fail, naming their peer),
#                  crmkit/storage shares crmkit's objects (seam.cjs)
#   vitest 3, 4    the conformance suite (crmkit/testing/conformance) runs under each (with fast-check 4)
#   fast-check 3, 4  the conformance suite's property tests run with each (under vitest 4), and
#                  crmkit/testing/arbitraries runs with each (arbitraries.mjs, arbitraries.cjs)
#   jest           crmkit and crmkit/testing under jest's own CommonJS runtime
# plus the packed examples/testing (seed once, fork per test) under node:test (plain: no runner
# installed), vitest 3 and 4, and jest (CommonJS, and ESM through Node's VM modules),
# and checks that every relative link in the packed README and guides resolves inside it.
# All projects share npm's one cache; none installs better-sqlite3 (it compiles from source here).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
fixtures="$root/.ci/packaging"

now() { date +%s.%N; }
# timed <label> <command…>: runs the command, then prints how long it took.
timed() {
  local label=$1 t0
  shift
  t0=$(now)
  "$@"
  awk -v label="$label" -v t0="$t0" -v t1="$(now)" 'BEGIN { printf "  [%s: %.1f s]\n", label, t1 - t0 }'
}

[ -f dist/index.js ] && [ -f dist/testing/conformance.js ] || { echo "packaging.sh: build first (npm run build)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pack() {
  tgz="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
  echo "packed $(basename "$tgz"): $(tar -tzf "$tgz" | wc -l) files, $(du -k "$tgz" | cut -f1) KB"
  mkdir "$work/packed" && tar -xzf "$tgz" -C "$work/packed"
}
timed "npm pack" pack

# Every relative link of the packed README and guides points at a file in the tarball.
timed "links in the packed guides" env CRMKIT_PACKED_DIR="$work/packed/package" npx vitest run test/packaging/links.test.ts

# project <name> <package…>: a fresh project with the tarball and the given packages installed.
project() {
  local dir="$work/$1"
  shift
  mkdir "$dir"
  printf '{ "name": "crmkit-try", "version": "1.0.0", "private": true, "type": "commonjs" }\n' >"$dir/package.json"
  cp "$fixtures"/* "$dir/"
  (cd "$dir" && npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tgz" "$@" >/dev/null)
  # npm ls fails on an invalid or missing (non-optional) peer.
  (cd "$dir" && npm ls --all >/dev/null)
  if [ -d "$dir/node_modules/better-sqlite3" ]; then echo "better-sqlite3 was installed in $1" >&2; exit 1; fi
}

# scripts <name>: the ESM and CommonJS scripts.
scripts() {
  (cd "$work/$1" && node smoke.mjs && node smoke.cjs)
}

version() { (cd "$work/$1" && node -p "require('$2/package.json').version"); }

# examples <name> <command>: runs <command> in the project on the examples/testing the package
# ships (copied out of node_modules, so 'crmkit' resolves to the installed package).
examples() {
  local dir="$work/$1"
  shift
  rm -rf "$dir/examples" && cp -r "$dir/node_modules/crmkit/examples/testing" "$dir/examples"
  (cd "$dir" && "$@")
}

echo
echo "--- plain: crmkit alone"
timed "install" project plain
timed "ESM and CommonJS" scripts plain
timed "crmkit/testing/conformance without vitest" sh -c "cd '$work/plain' && node no-runner.mjs"
timed "crmkit/storage, the seam for adapters (ESM and CommonJS)" sh -c "cd '$work/plain' && node seam.mjs && node seam-require.cjs"
timed "examples/testing under node:test (ESM and CommonJS)" examples plain node --test --test-reporter=dot examples/node-test.test.mjs examples/node-test.test.cjs

for major in 3 4; do
  echo
  echo "--- with vitest $major"
  timed "install" project "vitest$major" "vitest@$major" "fast-check@4"
  echo "vitest $(version "vitest$major" vitest)"
  timed "ESM and CommonJS" scripts "vitest$major"
  timed "conformance suite under vitest $major" sh -c "cd '$work/vitest$major' && NO_COLOR=1 npx vitest run conformance.test.mjs --reporter=dot"
  # The CommonJS example uses vitest's globals; the filter keeps the jest examples out.
  timed "examples/testing under vitest $major (ESM and CommonJS)" examples "vitest$major" env NO_COLOR=1 npx vitest run --globals --reporter=dot examples/vitest.test
done

for major in 3 4; do
  echo
  echo "--- with fast-check $major"
  timed "install" project "fastcheck$major" "fast-check@$major" "vitest@4"
  echo "fast-check $(version "fastcheck$major" fast-check)"
  timed "ESM and CommonJS" scripts "fastcheck$major"
  timed "conformance suite with fast-check $major" sh -c "cd '$work/fastcheck$major' && NO_COLOR=1 npx vitest run conformance.test.mjs --reporter=dot"
  timed "crmkit/testing/arbitraries with fast-check $major (ESM and CommonJS)" sh -c "cd '$work/fastcheck$major' && node arbitraries.mjs && node arbitraries.cjs"
done

echo
echo "--- with jest"
timed "install" project jest jest
echo "jest $(version jest jest)"
timed "ESM and CommonJS" scripts jest
timed "jest test" sh -c "cd '$work/jest' && npx jest --ci jest.test.js"
timed "examples/testing under jest (CommonJS)" examples jest npx jest --ci examples/jest.test.cjs
timed "examples/testing under jest (ESM, VM modules)" examples jest env NODE_OPTIONS=--experimental-vm-modules npx jest --ci --testMatch '**/*.test.mjs' --transform '{}' examples/jest.test.mjs
