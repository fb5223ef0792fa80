#!/usr/bin/env bash
# Starts a PulseAudio daemon with a null sink whose monitor is the default source,
# so what is played into the sink is what a recorder hears. Idempotent.
set -euo pipefail
sink=rehearse_sink
if ! pactl info >/dev/null 2>&1; then
    # Root needs -n and explicit modules: the default.pa refuses to run system-less as root.
    pulseaudio --daemonize=yes --exit-idle-time=-1 -n \
        --load=module-native-protocol-unix \
        --load="module-null-sink sink_name=$sink" 2>/dev/null || true
    for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
fi
pactl list short sinks | grep -q "$sink" || pactl load-module module-null-sink sink_name=$sink >/dev/null
pactl set-default-sink "$sink"
pactl set-default-source "$sink.monitor"
