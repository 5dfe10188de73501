#!/usr/bin/env bash
# The full build with every test (unit tests, provider contract tests, Wycheproof vectors, examples, Error Prone,
# NullAway, revapi, enforcer), installing the artifacts into the local Maven repository.
#
# Usage: ./scripts/test.sh [extra Maven arguments]
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./scripts/test.sh    builds and tests on JDK 25
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh

mvn -B -ntp install "$@"
