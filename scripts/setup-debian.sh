#!/usr/bin/env bash
# Installs what the build needs on Debian 12 (bookworm): a JDK 17+, Maven, the software TPM (swtpm, swtpm-tools,
# which brings certtool from gnutls-bin) that provider-tpm's tests start, and MIT Kerberos with PKINIT (krb5-kdc,
# krb5-pkinit, krb5-admin-server, krb5-user) for the KDC that sdk-testkit's MitKdc harness starts for the PKINIT
# tests. Non-interactive, and only when something is missing, so it is a no-op on a prepared machine. Runs apt-get
# as root, or through sudo otherwise.
#
# Kerberos and debconf: krb5-user pulls in krb5-config, whose debconf questions (default realm, KDC and admin server
# names) would stop apt at a prompt, and krb5-kdc asks whether to write /etc/krb5kdc. DEBIAN_FRONTEND=noninteractive
# alone would take the defaults, but krb5-config's default realm is a guess from DNS; the answers are preseeded with
# debconf-set-selections instead, so the run is non-interactive and predictable: default realm WHFB.TEST (a test
# realm), no server stanza added. krb5-config only writes /etc/krb5.conf if it does not exist yet, and the tests
# never read /etc/krb5.conf or /etc/krb5kdc (each KDC gets its own profiles in a temporary directory). The system
# krb5kdc/kadmind services do not run: there is no database in /var/lib/krb5kdc (and containers have policy-rc.d).
#
# Respects JAVA_HOME: when it is set, that JDK is checked instead of the one on the PATH
# (e.g. JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail

javac_cmd=javac
if [ -n "${JAVA_HOME:-}" ]; then
  javac_cmd="$JAVA_HOME/bin/javac"
fi

packages=()
if ! command -v "$javac_cmd" >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
  if [ -n "${JAVA_HOME:-}" ]; then
    echo "setup-debian: JAVA_HOME=$JAVA_HOME has no bin/javac; unset JAVA_HOME or point it at a JDK 17+" >&2
    exit 1
  fi
  packages+=(openjdk-17-jdk-headless)
fi
if ! command -v mvn >/dev/null 2>&1; then
  packages+=(maven)
fi
# provider-tpm's tests (and sdk-testkit's Swtpm harness) run a software TPM: swtpm, swtpm_setup, swtpm_localca, certtool.
if ! command -v swtpm >/dev/null 2>&1 || ! command -v swtpm_setup >/dev/null 2>&1 ||
  ! command -v swtpm_localca >/dev/null 2>&1; then
  packages+=(swtpm swtpm-tools)
fi
if ! command -v certtool >/dev/null 2>&1; then
  packages+=(gnutls-bin)
fi
# provider-pkcs11's tests (and sdk-testkit's SoftHsm harness) use SoftHSM2 and OpenSC's pkcs11-tool.
if [ ! -e /usr/lib/softhsm/libsofthsm2.so ] || ! command -v softhsm2-util >/dev/null 2>&1 || ! command -v pkcs11-tool >/dev/null 2>&1; then packages+=(softhsm2 opensc); fi

# sdk-testkit's MitKdc (PKINIT tests) runs krb5kdc, kdb5_util, kadmin.local, kinit, klist, kvno and the PKINIT plugin.
# The daemons live in /usr/sbin, which a non-root PATH may lack, so that is checked too.
have_tool() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
have_pkinit_plugin() { compgen -G '/usr/lib/*/krb5/plugins/preauth/pkinit.so' >/dev/null; }
kerberos=no
if ! have_tool krb5kdc || ! have_tool kdb5_util || ! have_tool kadmin.local || ! have_tool kinit ||
  ! have_tool klist || ! have_tool kvno || ! have_pkinit_plugin; then
  packages+=(krb5-kdc krb5-pkinit krb5-admin-server krb5-user)
  kerberos=yes
fi

if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "setup-debian: need ${packages[*]} but this is not root and sudo is missing; install them and rerun" >&2
    exit 1
  fi
  echo "setup-debian: installing ${packages[*]}"
  # Slim Debian images drop /usr/share/man, and the JDK's postinst fails without man1.
  "${as_root[@]}" mkdir -p /usr/share/man/man1
  if [ "$kerberos" = yes ]; then
    # See the header: answer krb5-config's questions up front so apt never prompts.
    printf '%s\n' \
      'krb5-config krb5-config/default_realm string WHFB.TEST' \
      'krb5-config krb5-config/add_servers boolean false' \
      'krb5-config krb5-config/add_servers_realm string WHFB.TEST' \
      'krb5-config krb5-config/kerberos_servers string localhost' \
      'krb5-config krb5-config/admin_server string localhost' \
      'krb5-config krb5-config/read_conf boolean true' \
      'krb5-kdc krb5-kdc/debconf boolean false' |
      "${as_root[@]}" debconf-set-selections
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${packages[@]}" </dev/null
fi

# The build needs JDK 17 or newer (the enforcer checks this too, with a less friendly message).
if ! command -v "$javac_cmd" >/dev/null 2>&1; then
  echo "setup-debian: $javac_cmd is still missing; install a JDK 17+ (openjdk-17-jdk-headless) and rerun" >&2
  exit 1
fi
version=$("$javac_cmd" -version 2>&1 | sed -n 's/^javac \([0-9][0-9]*\).*/\1/p')
if [ -z "$version" ] || [ "$version" -lt 17 ]; then
  echo "setup-debian: $("$javac_cmd" -version 2>&1) is too old; ngc4j needs JDK 17 or newer." >&2
  echo "  apt-get install openjdk-17-jdk-headless, then JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 $0" >&2
  exit 1
fi
