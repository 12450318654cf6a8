#!/usr/bin/env bash
# Install a Java runtime for the Spark tests if `java` is missing (Debian/Ubuntu, via apt).
# Spark 4 needs Java 17 or newer. Usage: scripts/install-java.sh
set -euo pipefail

if command -v java >/dev/null 2>&1; then
    java -version 2>&1 | head -n 1
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

$SUDO apt-get update -qq
for pkg in openjdk-17-jre-headless openjdk-21-jre-headless default-jre-headless; do
    if apt-cache show "$pkg" >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$pkg"
        java -version 2>&1 | head -n 1
        exit 0
    fi
done
echo "install-java.sh: no suitable JRE package found in apt" >&2
exit 1
