#!/usr/bin/env bash
# Installs the stock heroku CLI (npm heroku@$HEROKU_CLI_VERSION, unmodified) that the acceptance tests and the CI
# smoke check drive, into $SLIPWAY_CACHE_DIR/heroku-cli-<version> (default ~/.cache/slipway). Runs before Maven,
# so no test's child process ever writes npm's output into the surefire fork's channel. Prints the prefix.
set -euo pipefail
VERSION=${HEROKU_CLI_VERSION:-11.10.0}
PREFIX="${SLIPWAY_CACHE_DIR:-$HOME/.cache/slipway}/heroku-cli-$VERSION"
if [ ! -x "$PREFIX/node_modules/.bin/heroku" ]; then
  mkdir -p "$PREFIX"
  [ -f "$PREFIX/package.json" ] || echo '{"name":"slipway-heroku-cli","private":true}' > "$PREFIX/package.json"
  echo "installing heroku@$VERSION into $PREFIX ..." >&2
  (cd "$PREFIX" && npm install --no-audit --no-fund --loglevel=error "heroku@$VERSION" </dev/null >&2)
fi
"$PREFIX/node_modules/.bin/heroku" --version >&2 </dev/null
echo "$PREFIX"
