#!/usr/bin/env bash
# Builds what the demo needs and runs dev.ngc4j.examples.CloudSignInDemo.
#
# Usage: ./scripts/demo.sh [data-directory]
#   Without an argument the demo uses a fresh temporary directory and deletes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh

echo "Building the examples and what they need (the first run downloads dependencies)..."
mvn -B -q -ntp install -DskipTests -pl examples -am
if [ $# -gt 0 ]; then
  mvn -B -q -ntp -pl examples exec:java -Dexec.args="$1"
else
  mvn -B -q -ntp -pl examples exec:java
fi
