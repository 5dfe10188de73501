#!/usr/bin/env bash
# pkinit-kdc.sh - a lab MIT Kerberos KDC with PKINIT on loopback, for trying a PKINIT client by hand.
# The Java tests do not need it: they start their own KDC through sdk-testkit's MitKdc harness. This script runs the
# same harness (dev.ngc4j.testkit.kdc.MitKdcMain) as a background JVM, which also serves the CA's CRL over HTTP and
# stops krb5kdc when it is stopped.
#
#   pkinit-kdc.sh start  [--dir DIR] [--port N] [--realm R] [--require-freshness] [--crl-check]
#   pkinit-kdc.sh stop   [--dir DIR]          SIGTERM to the JVM (it stops krb5kdc), SIGKILL after 10 s
#   pkinit-kdc.sh status [--dir DIR]          exit 0 if running and answering, 1 if stopped, 2 if half up
#   pkinit-kdc.sh env    [--dir DIR]          print the shell exports (eval "$(pkinit-kdc.sh env)")
#
# DIR defaults to $PKINIT_KDC_DIR or /tmp/ngc4j-pkinit-kdc, PORT to $PKINIT_KDC_PORT or 60088 (UDP and TCP on
# 127.0.0.1; 0 picks a free one), REALM to WHFB.TEST. Every start recreates the realm: database, CA-issued KDC
# certificate, user alice (certificate trust: DIR/lab/alice.pem + alice-key.pem), user bob (key trust emulated with
# a self-signed CA:FALSE certificate bound by pkinit_cert_match: DIR/lab/bob-selfsigned*.pem) and host/localhost
# (keytab in DIR/keytabs). DIR/env names all of it; DIR/main.log is the JVM's output, DIR/log/krb5kdc.log the KDC's.
# Needs the Kerberos packages (./scripts/setup-debian.sh) and a build of sdk-testkit (done here if missing).
set -euo pipefail

fail() { printf 'pkinit-kdc.sh: %s\n' "$*" >&2; exit 1; }
note() { printf 'pkinit-kdc.sh: %s\n' "$*" >&2; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmd=${1:-help}
[ $# -gt 0 ] && shift
dir=${PKINIT_KDC_DIR:-/tmp/ngc4j-pkinit-kdc}
port=${PKINIT_KDC_PORT:-60088}
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --dir) [ $# -ge 2 ] || fail "--dir needs a directory"; dir=$2; shift 2 ;;
    --port) [ $# -ge 2 ] || fail "--port needs a number"; port=$2; shift 2 ;;
    --realm) [ $# -ge 2 ] || fail "--realm needs a name"; extra+=(--realm "$2"); shift 2 ;;
    --require-freshness | --crl-check) extra+=("$1"); shift ;;
    *) fail "unknown argument: $1" ;;
  esac
done
case $dir in /*) ;; *) dir=$(pwd)/$dir ;; esac
[[ $port =~ ^[0-9]+$ ]] || fail "port must be a number"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

# pid_of FILE NAME: prints the pid in FILE if it is a live (non-zombie) process whose command line contains NAME.
pid_of() {
  local pid state cmdline
  [ -s "$1" ] || return 1
  pid=$(<"$1")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmdline == *"$2"* ]] || return 1
  state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$pid/stat" 2>/dev/null) || return 1
  case $state in Z | X | '') return 1 ;; esac
  echo "$pid"
}
jvm_pid() { pid_of "$dir/main.pid" dev.ngc4j.testkit.kdc.MitKdcMain; }
# krb5kdc's -P argument names $dir, and /proc/PID/comm must say krb5kdc (guards against pid reuse).
kdc_pid() {
  local pid
  pid=$(pid_of "$dir/run/krb5kdc.pid" "$dir/run/krb5kdc.pid") || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = krb5kdc ] || return 1
  echo "$pid"
}
answering() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

need_tools() {
  local t missing=()
  for t in krb5kdc kdb5_util kadmin.local kinit klist kvno; do
    command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || missing+=("$t")
  done
  compgen -G '/usr/lib/*/krb5/plugins/preauth/pkinit.so' >/dev/null || missing+=(pkinit.so)
  [ ${#missing[@]} -eq 0 ] ||
    fail "missing ${missing[*]}: install krb5-kdc krb5-pkinit krb5-admin-server krb5-user (./scripts/setup-debian.sh)"
  command -v "$java" >/dev/null 2>&1 || fail "no java: install a JDK 17+ (./scripts/setup-debian.sh)"
}

# The harness classes and their dependencies (BouncyCastle); built once, refreshed when sdk-testkit's pom changes.
classpath() {
  local classes=$root/sdk-testkit/target/classes cpfile=$root/sdk-testkit/target/pkinit-kdc.classpath
  if [ ! -f "$classes/dev/ngc4j/testkit/kdc/MitKdcMain.class" ]; then
    note "building sdk-testkit (mvn -q -pl sdk-testkit -am install -DskipTests)"
    (cd "$root" && mvn -q -pl sdk-testkit -am install -DskipTests) >&2 || fail "the build failed"
  fi
  if [ ! -s "$cpfile" ] || [ "$root/sdk-testkit/pom.xml" -nt "$cpfile" ]; then
    (cd "$root" && mvn -q -pl sdk-testkit dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$cpfile") >&2 || fail "cannot resolve sdk-testkit's classpath"
  fi
  echo "$classes:$(<"$cpfile")"
}

do_start() {
  need_tools
  if jvm_pid >/dev/null && [ -s "$dir/env" ]; then
    note "already running (JVM pid $(jvm_pid)); stop it first to recreate the realm"
    cat "$dir/env"
    return 0
  fi
  do_stop 2>/dev/null
  if [ "$port" != 0 ] && answering "$port"; then fail "127.0.0.1:$port is taken by another process"; fi
  local cp
  cp=$(classpath)
  mkdir -p "$dir"
  rm -f "$dir/env"
  nohup "$java" -cp "$cp" dev.ngc4j.testkit.kdc.MitKdcMain --dir "$dir" --port "$port" "${extra[@]}" \
    >"$dir/main.log" 2>&1 </dev/null &
  echo $! >"$dir/main.pid"
  local deadline=$((SECONDS + 90))
  until [ -s "$dir/env" ]; do
    jvm_pid >/dev/null || fail "the lab KDC did not start: $(tail -n 5 "$dir/main.log" | tr '\n' ' ')"
    [ $SECONDS -lt $deadline ] || fail "the lab KDC was not ready within 90 s; see $dir/main.log"
    sleep 0.2
  done
  note "running: realm, KDC, identities and commands below (also in $dir/env)"
  cat "$dir/env"
}

do_stop() {
  local pid
  if pid=$(jvm_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while jvm_pid >/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    if jvm_pid >/dev/null; then
      note "JVM pid $pid ignored SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    note "stopped (JVM pid $pid)"
  else
    note "not running"
  fi
  # A JVM killed hard cannot stop its krb5kdc: do it here (pid checked to be krb5kdc of this directory).
  if pid=$(kdc_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    note "stopped krb5kdc (pid $pid)"
  fi
  rm -f "$dir/main.pid" "$dir/env"
}

do_status() {
  local jvm kdc kdc_port
  jvm=$(jvm_pid) || jvm=
  kdc=$(kdc_pid) || kdc=
  if [ -z "$jvm" ] && [ -z "$kdc" ]; then note "not running"; return 1; fi
  kdc_port=$(sed -n "s/^export PKINIT_KDC_PORT='\([0-9]*\)'$/\1/p" "$dir/env" 2>/dev/null)
  if [ -n "$jvm" ] && [ -n "$kdc" ] && [ -n "$kdc_port" ] && answering "$kdc_port"; then
    note "running (JVM pid $jvm, krb5kdc pid $kdc, 127.0.0.1:$kdc_port)"
    return 0
  fi
  note "half up: JVM pid ${jvm:-none}, krb5kdc pid ${kdc:-none}, port ${kdc_port:-unknown}; run stop, then start"
  return 2
}

case $cmd in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  env) [ -s "$dir/env" ] && jvm_pid >/dev/null || fail "not running (start it first)"; cat "$dir/env" ;;
  *) fail "usage: $0 {start|stop|status|env} [--dir DIR] [--port N] [--realm R] [--require-freshness] [--crl-check]" ;;
esac
