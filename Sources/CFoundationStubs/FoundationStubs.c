// The downloadable applet links FoundationEssentials only: all of Foundation would bring ICU's
// 34 MB of data with it (docs/architecture.md, docs/benchmarks.md). swift-nio-ssh (the LAN
// connector, F4) needs NIOFoundationCompat, two of whose files call full Foundation — JSON
// parsing of a ByteBuffer with JSONSerialization, and waiting on a future by spinning a RunLoop —
// which the applet never runs; but SwiftPM links every object of a dependency, and their references
// alone make the linker pull Foundation and ICU in (87 MB instead of 41). These weak definitions
// answer those references so nothing is pulled; should one ever be called, the applet stops and
// says which. scripts/build-release.sh checks that no Foundation symbol made it into the applet.
#include <stdio.h>
#include <stdlib.h>

static void not_in_the_applet(const char *what) {
    fprintf(stderr, "lifeline-applet: %s is not part of the applet (FoundationEssentials only)\n", what);
    abort();
}

#define LIFELINE_FOUNDATION_STUB(name, symbol, what) \
    __attribute__((weak, used)) void name(void) __asm__(symbol); \
    void name(void) { not_in_the_applet(what); }

LIFELINE_FOUNDATION_STUB(json_object_stub, "$s10Foundation17JSONSerializationC10jsonObject4with7optionsyp0A10Essentials4DataV_AC14ReadingOptionsVtKFZ",
                         "Foundation.JSONSerialization.jsonObject")
LIFELINE_FOUNDATION_STUB(json_metadata_stub, "$s10Foundation17JSONSerializationCMa", "Foundation.JSONSerialization")
LIFELINE_FOUNDATION_STUB(run_loop_run_stub, "$s10Foundation7RunLoopC3run4mode6beforeSbAC4ModeV_0A10Essentials4DateVtF",
                         "Foundation.RunLoop.run")
LIFELINE_FOUNDATION_STUB(run_loop_current_stub, "$s10Foundation7RunLoopC7currentACvgZ", "Foundation.RunLoop.current")
LIFELINE_FOUNDATION_STUB(run_loop_metadata_stub, "$s10Foundation7RunLoopCMa", "Foundation.RunLoop")
