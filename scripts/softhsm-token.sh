#!/usr/bin/env bash
# softhsm-token.sh - create a SoftHSM2 token in a private directory for manual use with ngc4j's PKCS#11 provider.
#
#   softhsm-token.sh DIR LABEL
#
# PINs come from the environment (SOFTHSM_SO_PIN, SOFTHSM_USER_PIN), never from the command line of this script.
# Writes DIR/softhsm2.conf (token directory DIR/tokens, owner-only) and creates the token unless one with that label
# exists. Prints KEY=VALUE lines for eval: SOFTHSM2_CONF and the ngc4j system properties to use.
set -euo pipefail

LIB=/usr/lib/softhsm/libsofthsm2.so
die() { printf 'softhsm-token: %s\n' "$*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: softhsm-token.sh DIR LABEL (PINs in SOFTHSM_SO_PIN and SOFTHSM_USER_PIN)"
dir=$1
label=$2
so_pin=${SOFTHSM_SO_PIN:-}
user_pin=${SOFTHSM_USER_PIN:-}
[ -n "$so_pin" ] && [ -n "$user_pin" ] || die "set SOFTHSM_SO_PIN and SOFTHSM_USER_PIN"
[ "${#label}" -le 32 ] || die "a token label has at most 32 characters"
[ -e "$LIB" ] && command -v softhsm2-util >/dev/null 2>&1 || die "install SoftHSM2: apt-get install softhsm2 opensc"
case "$dir" in /*) ;; *) dir="$(pwd)/$dir" ;; esac

umask 077
mkdir -p "$dir/tokens"
conf="$dir/softhsm2.conf"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
  "$dir/tokens" > "$conf.tmp"
mv -f "$conf.tmp" "$conf"
export SOFTHSM2_CONF="$conf"

if ! softhsm2-util --show-slots 2>/dev/null | grep -Eq "^[[:space:]]+Label:[[:space:]]+${label}[[:space:]]*$"; then
  softhsm2-util --init-token --free --label "$label" --so-pin "$so_pin" --pin "$user_pin" >&2
fi

printf 'SOFTHSM2_CONF=%s\n' "$conf"
printf 'NGC4J_JAVA_OPTS="-Dngc4j.pkcs11.library=%s -Dngc4j.pkcs11.tokenLabel=%s"\n' "$LIB" "$label"
