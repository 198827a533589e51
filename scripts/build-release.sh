#!/usr/bin/env bash
# Release builds of the gateway and of the applet customers download, both with the Swift libraries
# linked in statically (nothing of Swift needed where they run; one build folder for both, so the
# modules they share are compiled once). The applet is stripped into .build/applet/lifeline-applet;
# its size and SHA-256 are printed (the PIN and link pages show the same).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --product lifeline-server
swift build -c release --static-swift-stdlib --product lifeline-applet
mkdir -p .build/applet
strip -o .build/applet/lifeline-applet "$(swift build -c release --static-swift-stdlib --show-bin-path)/lifeline-applet"
size=$(stat -c %s .build/applet/lifeline-applet)
echo ".build/applet/lifeline-applet: $size bytes ($((size / 1000000)) MB), SHA-256 $(sha256sum .build/applet/lifeline-applet | cut -d' ' -f1)"
