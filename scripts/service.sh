#!/usr/bin/env bash
# Builds and starts the ngc4j service (dev.ngc4j.server.NgcServerMain) on loopback; it prints its URL.
#
# Usage: ./scripts/service.sh [NgcServerMain options]
#   e.g. ./scripts/service.sh --data-dir /tmp/ngc-service --test-identity --tenant contoso.example \
#          --user alice@contoso.example:Passw0rd!:123456
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh

mvn -B -q -ntp install -DskipTests -pl examples -am
mvn -B -q -ntp -pl examples exec:java -Dexec.mainClass=dev.ngc4j.server.NgcServerMain -Dexec.args="$*"
