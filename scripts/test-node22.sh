#!/usr/bin/env bash
# Runs every test on Node 22 (NODE_VERSION, default 22.23.3), the version the container image uses, on a machine
# whose own Node is older. Node comes from the npm registry (the node-linux-<arch> package: the official build,
# headers included) into .cache/; better-sqlite3 is compiled against those headers, so nothing is fetched from
# anywhere but the npm and Debian registries. The tests run in a clean clone of the committed tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=${NODE_VERSION:-22.23.3}
case "$(uname -m)" in x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) echo "no Node package for $(uname -m)" >&2; exit 1 ;; esac
node_dir="$root/.cache/node-$version-$arch"
if [ ! -x "$node_dir/bin/node" ]; then
  echo "fetching Node $version ($arch) from the npm registry..."
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$root/.cache" && rm -rf "$node_dir" && mv "$tmp/package" "$node_dir" && rm -rf "$tmp"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone --quiet "$root" "$work/repo"
cd "$work/repo"
export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" npm_config_build_from_source=true
echo "testing on $(node --version) in $work/repo"
npm ci --ignore-scripts --no-audit --no-fund
npm rebuild better-sqlite3
npm run postinstall
npm test
