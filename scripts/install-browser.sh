#!/bin/sh
# Install headless Chromium from Debian's packages for the browser test (tests/browser).
# Playwright drives this system browser (executable_path=/usr/bin/chromium); we never run
# `playwright install`, which would download a browser build from outside the package registry.
set -eu
if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
/usr/bin/chromium --version
