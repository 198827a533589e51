#!/usr/bin/env bash
# Release builds of the gateway and of the applet customers download, both with the Swift libraries
# linked in statically (nothing of Swift needed where they run; one build folder for both, so the
# modules they share are compiled once). The applet is stripped into .build/applet/lifeline-applet;
# its size and SHA-256 are printed (the PIN and link pages show the same). Beside it goes the gzip
# copy the gateway sends to browsers and `curl --compressed` (a third of the bytes on the wire).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --static-swift-stdlib --product lifeline-server
swift build -c release --static-swift-stdlib --product lifeline-applet
mkdir -p .build/applet
strip -o .build/applet/lifeline-applet "$(swift build -c release --static-swift-stdlib --show-bin-path)/lifeline-applet"
size=$(stat -c %s .build/applet/lifeline-applet)
gzip -9 -n -k -f .build/applet/lifeline-applet
wire=$(stat -c %s .build/applet/lifeline-applet.gz)
echo ".build/applet/lifeline-applet: $size bytes ($((size / 1000000)) MB), SHA-256 $(sha256sum .build/applet/lifeline-applet | cut -d' ' -f1)"
echo ".build/applet/lifeline-applet.gz: $wire bytes ($((wire / 1000000)) MB) on the wire with gzip"
# The applet must not link all of Foundation (ICU's data doubles it: docs/architecture.md). A
# dependency's trait or a bare `import Foundation` does that without a compile error; stop here.
# Foundation's own code or ICU's data, that is: the weak stand-ins of CFoundationStubs (W) and
# NIOFoundationCompat's extensions of Foundation's types do not count. (Counted, not `grep -q`:
# under pipefail, grep leaving early makes nm fail and the check pass.)
foundation_symbols=$(nm "$(swift build -c release --static-swift-stdlib --show-bin-path)/lifeline-applet" \
  | grep ' [TtDdRrBb] \$s10Foundation\| icudt[0-9]*_dat' | grep -vc 'NIOFoundationCompat' || true)
if [ "$foundation_symbols" -gt 0 ]; then
  echo "lifeline-applet links all of Foundation (it must use FoundationEssentials only): find the module or trait that brings it in." >&2
  exit 1
fi
