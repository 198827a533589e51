import LifelineCore
import Testing

/// Module descriptions (L6) from what kmod's `modinfo` prints for several modules at once.
@Suite("modinfo output")
struct ModinfoOutputTests {
    /// Loadable modules (one compressed, one from an old kernel without `name:`), a built-in one, and
    /// a module modinfo did not find (nothing on standard output).
    static let output = """
        filename:       /lib/modules/6.1.0-27-amd64/kernel/drivers/nvme/host/nvme.ko.xz
        version:        1.0
        license:        GPL
        description:    NVM Express device driver
        author:         Matthew Wilcox <willy@linux.intel.com>
        alias:          pci:v*d*sv*sd*bc01sc08i02*
        depends:        nvme-core
        name:           nvme
        vermagic:       6.1.0-27-amd64 SMP preempt mod_unload modversions
        parm:           use_threaded_interrupts:int
        name:           ext4
        filename:       (builtin)
        description:    Fourth Extended Filesystem
        license:        GPL
        filename:       /lib/modules/4.19.0/kernel/drivers/hid/hid-generic.ko
        description:    HID generic driver
        description:    a second line is not the description
        filename:       /lib/modules/6.1.0-27-amd64/kernel/drivers/misc/no_words.ko.zst
        license:        GPL
        name:           no_words
        name:           8250
        filename:       (builtin)
        license:        GPL
        """

    @Test("blocks are told apart by their lines: loadable start with filename, built-in with name then filename (builtin)")
    func blocks() {
        let blocks = ModinfoOutput.blocks(Self.output)
        #expect(blocks.map(\.moduleName) == ["nvme", "ext4", "hid_generic", "no_words", "8250"])
        #expect(blocks[1] == .init(name: "ext4", filename: "(builtin)", description: "Fourth Extended Filesystem"))
    }

    @Test("descriptions by /sys/module name; modules without one left out")
    func descriptions() {
        #expect(ModinfoOutput.descriptions(Self.output) == [
            "nvme": "NVM Express device driver", "ext4": "Fourth Extended Filesystem", "hid_generic": "HID generic driver"])
        #expect(ModinfoOutput.descriptions("").isEmpty)
        #expect(ModinfoOutput.descriptions("modinfo: ERROR: Module x not found.\n").isEmpty)
    }

    @Test("a module's name from its file: compression and .ko dropped, dashes as underscores; anything else none",
          arguments: [("/m/snd-hda-intel.ko.xz", "snd_hda_intel"), ("/m/a.ko.zst", "a"), ("/m/b.ko.gz", "b"), ("/m/c.ko", "c"),
                      ("/m/readme.txt", nil), ("(builtin)", nil)] as [(String, String?)])
    func names(filename: String, expected: String?) {
        #expect(ModinfoOutput.Block(filename: filename).moduleName == expected)
    }
}
