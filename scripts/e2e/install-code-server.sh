#!/usr/bin/env bash
# Offline install of code-server 4.100.3 (the VS Code 1.100.3 server and web workbench) that the
# e2e tests run the extension in when VS Code itself cannot be downloaded.
#
#   scripts/e2e/install-code-server.sh [DEST]
#   DEST defaults to ${XDG_CACHE_HOME:-$HOME/.cache}/lync-kst/code-server-4.100.3 (outside the repo).
#
# Why by hand and not as a devDependency: code-server's postinstall npm-installs lib/vscode, where
# @vscode/ripgrep downloads rg from api.github.com, which fails offline. So everything is installed
# with --ignore-scripts and the postinstall's work is redone here: native addons are built from
# source against the local Node headers, and rg comes from the system.
# 4.100.3 is the last code-server that runs on Node 20 (later ones need Node 22 or 24).
#
# Idempotent: DEST/.install-complete holds "code-server@4.100.3 node-abi-<ABI>". With a matching
# stamp the script does nothing; a different Node ABI (the native addons would not load) reinstalls.
# The install is built in a temporary directory next to DEST and renamed at the end, so an
# interrupted or failed install is never taken for a complete one.
set -euo pipefail

VERSION=4.100.3
# Keep this default in sync with defaultCodeServerDir() in harness.js.
DEST=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/lync-kst/code-server-$VERSION}
# The addons that code-server loads from lib/vscode. kerberos is left out on purpose: it is only
# used for Kerberos proxy authentication and needs libkrb5-dev.
NATIVE_ADDONS=(node-pty @parcel/watcher @vscode/spdlog @vscode/deviceid native-watchdog)

log() { echo "install-code-server: $*"; }
die() { echo "install-code-server: ERROR: $*" >&2; exit 1; }
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

command -v node >/dev/null || die "node is not on PATH"
STAMP="code-server@$VERSION node-abi-$(node -p process.versions.modules)"
if [ -f "$DEST/.install-complete" ] && [ "$(cat "$DEST/.install-complete")" = "$STAMP" ]; then
  log "$STAMP is already installed in $DEST"
  exit 0
fi

# Check the whole toolchain before spending half a minute on npm, so a missing piece fails at once.
command -v npm >/dev/null || die "npm is not on PATH"
command -v rg >/dev/null ||
  die "ripgrep (rg) is not installed; VS Code's search needs it (Debian: apt-get install ripgrep)"
command -v python3 >/dev/null || die "python3 is missing; node-gyp needs it to build the native addons"
command -v make >/dev/null || die "make is missing; node-gyp needs it (Debian: apt-get install build-essential)"
command -v "${CXX:-g++}" >/dev/null ||
  die "no C++ compiler (${CXX:-g++}); node-gyp needs one (Debian: apt-get install build-essential)"
# node-gyp downloads Node's headers from nodejs.org unless told where local ones are.
if [ -z "${npm_config_nodedir:-}" ] && [ "$(npm config get nodedir 2>/dev/null)" = undefined ]; then
  if [ -f /usr/include/node/node_api.h ]; then
    export npm_config_nodedir=/usr
  else
    log "warning: no local Node headers (/usr/include/node) and no npm 'nodedir' set;" \
      "node-gyp will try to download them from nodejs.org"
  fi
fi

T0=$(now)
log "installing code-server $VERSION into $DEST (first run, ~30-50 s)"
mkdir -p "$(dirname "$DEST")"
WORK="$DEST.tmp-$$"
rm -rf "$WORK"
mkdir "$WORK"
trap 'rm -rf "$WORK"' EXIT
# A package.json of its own keeps npm from walking up to some enclosing project.
echo '{ "private": true }' >"$WORK/package.json"
VSCODE="$WORK/node_modules/code-server/lib/vscode"
NPM=(npm --no-audit --no-fund --no-update-notifier)

step() {
  local name=$1 t
  shift
  t=$(now)
  log "[$name] $*"
  "$@" || die "step '$name' failed (output above); nothing was installed into $DEST"
  log "[$name] done in $(since "$t")"
}

step code-server "${NPM[@]}" install --prefix "$WORK" "code-server@$VERSION" --ignore-scripts
# argon2 (password hashing) is loaded at code-server start-up even with --auth none. Its prebuilt
# download fails offline and it falls back to a source build. jobs=max: node-gyp uses all cores.
step argon2 env npm_config_jobs=max "${NPM[@]}" rebuild --prefix "$WORK" argon2
step lib/vscode "${NPM[@]}" install --prefix "$VSCODE" --omit=dev --ignore-scripts
step ripgrep install -D "$(command -v rg)" "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"
# npm_config_yes: node-pty's post-install runs `npx node-gyp configure`; where ~/.npmrc says
# yes=false (as on this machine kind), npx cancels ("missing packages and no YES option") and the
# rebuild fails.
step native-addons env npm_config_jobs=max npm_config_yes=true \
  "${NPM[@]}" rebuild --prefix "$VSCODE" "${NATIVE_ADDONS[@]}"
# What code-server's postinstall does: the server loads its modules from node_modules.asar.
step asar-link ln -sfn node_modules "$VSCODE/node_modules.asar"
step extensions "${NPM[@]}" install --prefix "$VSCODE/extensions" --omit=dev --ignore-scripts

echo "$STAMP" >"$WORK/.install-complete"
# Another run may have finished an install meanwhile (two test runs started together): keep that one.
if [ -f "$DEST/.install-complete" ] && [ "$(cat "$DEST/.install-complete")" = "$STAMP" ]; then
  log "another run installed $STAMP meanwhile; keeping it"
  exit 0
fi
rm -rf "$DEST"
mv -T "$WORK" "$DEST"
trap - EXIT
log "installed $STAMP into $DEST in $(since "$T0") ($(du -sh "$DEST" | cut -f1))"
