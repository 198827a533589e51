// Nothing to call: this target only defines symbols the linker would otherwise look for in all of
// Foundation (see FoundationStubs.c).
