#!/usr/bin/env bash
# A program the tests need (Chromium for the end-to-end tests, nginx in front of two instances):
# install its Debian package when it is missing and we may, else say how.
# Usage: ensure-package.sh <path of the program> <Debian package>
set -euo pipefail
program=$1
package=$2
if [ -x "$program" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq "$package" >/dev/null
else
	echo "$program is missing: install it (Debian: sudo apt-get install $package)." >&2
	exit 1
fi
