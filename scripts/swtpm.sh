#!/usr/bin/env bash
# swtpm.sh - run a software TPM 2.0 (swtpm) by hand, for manual tests of provider-tpm and for CI debugging.
# The Java tests do not need it: they start their own swtpm through sdk-testkit's Swtpm harness.
#
#   swtpm.sh start  [--dir DIR] [--port N] [--fresh]   provision DIR once (EK + certificates), start, wait, reset DA
#   swtpm.sh stop   [--dir DIR]                         TPM2_Shutdown(CLEAR), then SIGTERM (SIGKILL after 5 s)
#   swtpm.sh status [--dir DIR]                         exit 0 if running and answering, 1 if not running, 2 if hung
#   swtpm.sh env    [--dir DIR]                         print NGC4J_TPM_DEVICE=tcp:... and friends (shell syntax)
#
# DIR defaults to $SWTPM_DIR or /tmp/ngc4j-swtpm; PORT to $SWTPM_PORT or 2321 (control channel: PORT+1). Both
# channels bind to 127.0.0.1 only. --fresh throws the TPM state away (the local CA in DIR/ca is kept, so an
# EK root pinned earlier stays valid). Needs: apt-get install swtpm swtpm-tools (./scripts/setup-debian.sh).
# Point the provider at it with -Dngc4j.tpm.device=tcp:127.0.0.1:PORT.
set -euo pipefail

fail() { printf 'swtpm.sh: %s\n' "$*" >&2; exit 1; }
note() { printf 'swtpm.sh: %s\n' "$*" >&2; }

cmd=${1:-help}
[ $# -gt 0 ] && shift
dir=${SWTPM_DIR:-/tmp/ngc4j-swtpm}
port=${SWTPM_PORT:-2321}
port_set=no
fresh=no
while [ $# -gt 0 ]; do
  case $1 in
    --dir) [ $# -ge 2 ] || fail "--dir needs a directory"; dir=$2; shift 2 ;;
    --port) [ $# -ge 2 ] || fail "--port needs a number"; port=$2; port_set=yes; shift 2 ;;
    --fresh) fresh=yes; shift ;;
    *) fail "unknown argument: $1" ;;
  esac
done
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
# Commands other than start talk to the port the last start used.
if [ "$port_set" = no ] && [ "$cmd" != start ] && [ -s "$dir/port" ]; then
  port=$(<"$dir/port")
fi
[[ $port =~ ^[0-9]+$ ]] && [ "$port" -ge 1024 ] && [ "$port" -le 65534 ] || fail "port must be 1024..65534"
pidfile=$dir/swtpm.pid

# Raw TPM 2.0 commands (Part 3), as printf escapes.
GET_RANDOM='\x80\x01\x00\x00\x00\x0c\x00\x00\x01\x7b\x00\x08'          # GetRandom(8)
SHUTDOWN='\x80\x01\x00\x00\x00\x0c\x00\x00\x01\x45\x00\x00'            # Shutdown(TPM_SU_CLEAR)
# DictionaryAttackLockReset(TPM_RH_LOCKOUT) with one empty password session.
DA_RESET='\x80\x02\x00\x00\x00\x1b\x00\x00\x01\x39\x40\x00\x00\x0a\x00\x00\x00\x09\x40\x00\x00\x09\x00\x00\x01\x00\x00'

# send BLOB: writes the command in one write() (swtpm processes a short read as a whole command, and printf
# would flush at every 0x0a byte, so dd re-blocks it) and prints the 10-byte response header in hex.
send() {
  # shellcheck disable=SC2016  # $1/$2 belong to the inner shell
  timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "$2" | dd bs=4096 count=1 iflag=fullblock status=none >&3
    head -c 10 <&3 | od -An -tx1 | tr -d " \n"' _ "$port" "$1" 2>/dev/null || true
}

answering() { [ "$(send "$GET_RANDOM")" = 80010000001400000000 ]; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# live_pid: prints the pid from the pid file if it names a live (non-zombie) swtpm process.
live_pid() {
  local pid state
  [ -s "$pidfile" ] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = swtpm ] || return 1
  state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) || return 1
  case $state in Z|X|'') return 1 ;; esac
  echo "$pid"
}

need_tools() {
  local t missing=()
  for t in swtpm swtpm_setup swtpm_localca certtool; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  [ ${#missing[@]} -eq 0 ] || fail "missing ${missing[*]}: apt-get install swtpm swtpm-tools (or ./scripts/setup-debian.sh)"
}

provision() {
  [ "$fresh" = yes ] && rm -rf "$dir/state" "$dir/ekcerts"
  [ -s "$dir/state/tpm2-00.permall" ] && return 0
  mkdir -p "$dir/conf" "$dir/ca" "$dir/state" "$dir/ekcerts"
  printf '%s\n' \
    "create_certs_tool = $(command -v swtpm_localca)" \
    "create_certs_tool_config = $dir/conf/swtpm-localca.conf" \
    "create_certs_tool_options = $dir/conf/swtpm-localca.options" \
    "active_pcr_banks = sha256" >"$dir/conf/swtpm_setup.conf"
  printf '%s\n' \
    "statedir = $dir/ca" \
    "signingkey = $dir/ca/signkey.pem" \
    "issuercert = $dir/ca/issuercert.pem" \
    "certserial = $dir/ca/certserial" >"$dir/conf/swtpm-localca.conf"
  printf '%s\n' --platform-manufacturer ngc4j-manual --platform-version 1.0 --platform-model swtpm \
    >"$dir/conf/swtpm-localca.options"
  note "provisioning $dir/state (EK RSA-2048 + certificate in NV 0x01c00002, platform certificate)"
  XDG_CONFIG_HOME=$dir/conf swtpm_setup --tpm2 --tpmstate "$dir/state" --config "$dir/conf/swtpm_setup.conf" \
    --create-ek-cert --create-platform-cert --lock-nvram --pcr-banks sha256 \
    --write-ek-cert-files "$dir/ekcerts" --overwrite --logfile "$dir/setup.log" >"$dir/setup.out" 2>&1 ||
    fail "swtpm_setup failed: see $dir/setup.log"
}

print_env() {
  printf '%s\n' \
    "NGC4J_TPM_DEVICE=tcp:127.0.0.1:$port" \
    "SWTPM_HOST=127.0.0.1" \
    "SWTPM_PORT=$port" \
    "SWTPM_CTRL_PORT=$((port + 1))" \
    "SWTPM_DIR=$dir" \
    "SWTPM_PID=$(live_pid || echo none)" \
    "SWTPM_EK_ROOT_CA=$dir/ca/swtpm-localca-rootca-cert.pem" \
    "SWTPM_EK_ISSUER_CA=$dir/ca/issuercert.pem" \
    "SWTPM_EK_CERT=$dir/ekcerts/ek-rsa2048.crt"
}

do_start() {
  need_tools
  mkdir -p "$dir"
  local pid
  if pid=$(live_pid); then
    [ "$(cat "$dir/port" 2>/dev/null)" = "$port" ] || fail "swtpm of $dir runs on port $(cat "$dir/port" 2>/dev/null); stop it first"
    if [ "$fresh" = no ]; then
      answering || fail "swtpm (pid $pid) runs but does not answer on port $port"
      note "already running (pid $pid, port $port)"
      print_env
      return 0
    fi
    do_stop
  fi
  rm -f "$pidfile"
  listening "$port" && fail "127.0.0.1:$port is taken by another process"
  listening $((port + 1)) && fail "127.0.0.1:$((port + 1)) is taken by another process"
  provision
  swtpm socket --tpm2 --daemon --tpmstate "dir=$dir/state" \
    --server "type=tcp,port=$port,bindaddr=127.0.0.1" --ctrl "type=tcp,port=$((port + 1)),bindaddr=127.0.0.1" \
    --flags not-need-init,startup-clear --pid "file=$pidfile" --log "file=$dir/swtpm.log" ||
    fail "swtpm did not start: see $dir/swtpm.log"
  echo "$port" >"$dir/port"
  local deadline=$((SECONDS + 10))
  until live_pid >/dev/null && answering; do
    [ $SECONDS -lt $deadline ] || fail "swtpm did not answer on 127.0.0.1:$port within 10 s; see $dir/swtpm.log"
    sleep 0.1
  done
  # A reused state may carry dictionary-attack failures (wrong-PIN tests, unclean stops): start clean.
  [ "$(send "$DA_RESET")" = 80020000001300000000 ] || note "warning: could not reset the dictionary-attack counter"
  note "running (pid $(live_pid), 127.0.0.1:$port)"
  print_env
}

do_stop() {
  local pid
  if ! pid=$(live_pid); then
    rm -f "$pidfile"
    note "not running"
    return 0
  fi
  send "$SHUTDOWN" >/dev/null # orderly: the next start adds no DA failure (skipped if a client holds the port)
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 5))
  while live_pid >/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
  if live_pid >/dev/null; then
    note "pid $pid ignored SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  note "stopped (pid $pid)"
}

do_status() {
  local pid
  pid=$(live_pid) || { note "not running"; return 1; }
  answering || { note "pid $pid alive but not answering on port $port (busy client or hung)"; return 2; }
  note "running (pid $pid, 127.0.0.1:$port)"
}

case $cmd in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  env) print_env ;;
  *) fail "usage: $0 {start|stop|status|env} [--dir DIR] [--port N] [--fresh]" ;;
esac
