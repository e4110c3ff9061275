#!/usr/bin/env bash
# Every JSON Schema under FOLDER... through ajv (draft 2020, strict defaults,
# ajv-formats) and Python jsonschema (check_schema, examples with formats
# asserted). The Rust jsonschema crate checks the same schemas in
# `cargo test` (tests/it/examples.rs, tests/it/meta_schema.rs).
# Installs both validators under target/ci from the committed pins (again only
# when a pin changes), and first shows that each refuses every schema of
# .ci/schemas/refused/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -gt 0 ] || { echo "usage: .ci/schemas/run.sh FOLDER..." >&2; exit 2; }

node_dir="$root/target/ci/schema-node"
if ! cmp -s "$here/package-lock.json" "$node_dir/package-lock.json" || [ ! -d "$node_dir/node_modules" ]; then
  rm -rf "$node_dir" && mkdir -p "$node_dir"
  cp "$here/package.json" "$here/package-lock.json" "$node_dir/"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
venv="$root/target/ci/schema-venv"
if ! cmp -s "$here/requirements.txt" "$venv/requirements.txt"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$venv/requirements.txt"
fi
ajv() { NODE_PATH="$node_dir/node_modules" node "$here/ajv.cjs" "$@"; }
python_jsonschema() { "$venv/bin/python" "$here/check.py" "$@"; }

# each validator is strict: it refuses every schema of refused/
ajv --refuse-each "$here"/refused/*.schema.json
python_jsonschema --refuse-each "$here"/refused/*.schema.json

ajv "$@"
python_jsonschema "$@"
