#!/usr/bin/env bash
# Installs the system packages rehearse needs, when they are missing.
# Usage: scripts/setup-system.sh [--test]   (--test adds what the test suite needs)
set -euo pipefail

# pulseaudio-utils gives paplay, the voice's most reliable player where a sound server runs.
runtime=(espeak-ng libportaudio2 alsa-utils libasound2-plugins pulseaudio-utils)
testing=(pulseaudio tmux)
brew_runtime=(espeak-ng portaudio)

want=("${runtime[@]}")
[ "${1:-}" = "--test" ] && want+=("${testing[@]}")
# A fresh Debian python3 lacks venv support until python3-venv is installed.
python3 -c 'import ensurepip, venv' 2>/dev/null || want+=(python3-venv)

if [ "$(uname -s)" = "Darwin" ]; then
    missing=()
    for p in "${brew_runtime[@]}"; do brew list "$p" >/dev/null 2>&1 || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "rehearse needs: brew install ${missing[*]}" >&2
        exit 2
    fi
    exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "Not a Debian or Ubuntu system: install these yourself: ${want[*]} (Homebrew: ${brew_runtime[*]})" >&2
    exit 0
fi

missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    apt=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    apt=(sudo apt-get)
else
    echo "rehearse needs these system packages; please run:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    echo "(on macOS: brew install ${brew_runtime[*]})" >&2
    exit 2
fi
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}"
