import Testing
@testable import LifelineCore

@Suite("File manager rules (K1–K5): who may open it, what passes, what closes it")
struct FileManagerRulesTests {
    let everything = PermissionSet.all
    let browseOnly = PermissionSet([.fileManager])

    @Test("opening: the permission, an active session, one technician at a time; asking again changes nothing")
    func opening() throws {
        #expect(throws: FileManagerAccess.Refusal.notPermitted(.fileManager)) {
            try FileManagerAccess.open(by: "t1", permissions: PermissionSet([.fileManagerDownload]), sessionState: .active, current: nil)
        }
        for state in SessionState.allCases where state != .active && state != .collaboration {
            #expect(throws: FileManagerAccess.Refusal.sessionNotActive(state)) {
                try FileManagerAccess.open(by: "t1", permissions: everything, sessionState: state, current: nil)
            }
        }
        let asked = try #require(try FileManagerAccess.open(by: "t1", permissions: browseOnly, sessionState: .active, current: nil))
        #expect(asked.phase == .asking)
        #expect(try FileManagerAccess.open(by: "t1", permissions: browseOnly, sessionState: .active, current: asked) == nil)
        #expect(throws: FileManagerAccess.Refusal.inUseByOther) {
            try FileManagerAccess.open(by: "t2", permissions: everything, sessionState: .collaboration, current: asked)
        }
    }

    @Test("operations: each needs its permission, the customer's yes and the technician who opened it")
    func operations() throws {
        let asked = try #require(try FileManagerAccess.open(by: "t1", permissions: everything, sessionState: .active, current: nil))
        #expect(throws: FileManagerAccess.Refusal.waitingForCustomer) {
            try asked.check(.browse, by: "t1", permissions: everything, sessionState: .active)
        }
        let open = try #require(FileManagerAccess.accepted(asked))
        #expect(open.phase == .open)
        #expect(FileManagerAccess.accepted(open) == nil, "a second yes answers nothing")
        #expect(FileManagerAccess.accepted(nil) == nil)
        let table: [(FileManagerAccess.Operation, Permission)] = [
            (.browse, .fileManager), (.download, .fileManagerDownload), (.upload, .fileManagerUpload), (.modify, .fileManagerModify),
        ]
        for (operation, permission) in table {
            #expect(operation.permission == permission)
            try open.check(operation, by: "t1", permissions: PermissionSet([.fileManager, permission]), sessionState: .active)
            #expect(throws: FileManagerAccess.Refusal.notPermitted(.fileManager)) {
                try open.check(operation, by: "t1", permissions: PermissionSet(Permission.allCases.filter { $0 != .fileManager }), sessionState: .active)
            }
            #expect(throws: FileManagerAccess.Refusal.notPermitted(permission)) {
                try open.check(operation, by: "t1", permissions: PermissionSet(Permission.allCases.filter { $0 != permission }), sessionState: .active)
            }
            #expect(throws: FileManagerAccess.Refusal.inUseByOther) {
                try open.check(operation, by: "t2", permissions: everything, sessionState: .active)
            }
            #expect(throws: FileManagerAccess.Refusal.sessionNotActive(.onHold)) {
                try open.check(operation, by: "t1", permissions: everything, sessionState: .onHold)
            }
        }
    }

    @Test("only Active and Active with collaborators keep it open (a hold, a transfer, the end close it)")
    func survives() {
        for state in SessionState.allCases {
            #expect(FileManagerAccess.survives(state) == (state == .active || state == .collaboration), "\(state)")
        }
    }

    @Test("paths: names that point back, hold separators, or are too long are refused; others kept byte-exact")
    func paths() throws {
        let roots: Set<String> = ["home", "system"]
        let bad: [([[UInt8]], FileManagerPath.Problem)] = [
            ([Array("..".utf8)], .dotName), ([Array(".".utf8)], .dotName), ([[]], .emptyName),
            ([Array("a/b".utf8)], .separatorInName), ([Array("a\u{0}b".utf8)], .separatorInName),
            ([Array(repeating: 0x61, count: 256)], .nameTooLong), (Array(repeating: [0x61], count: 257), .tooDeep),
            ([Array("ok".utf8), Array("..".utf8), Array("ok".utf8)], .dotName),
        ]
        for (names, problem) in bad {
            #expect(throws: problem) { try FileManagerPath.validated(root: "home", names: names, roots: roots) }
        }
        #expect(throws: FileManagerPath.Problem.unknownRoot) { try FileManagerPath.validated(root: "mount:/x", names: [], roots: roots) }
        let odd: [UInt8] = [0x72, 0xE9, 0x73, 0x75, 0x6D, 0xFF, 0x2E, 0x74, 0x78, 0x74]
        let path = try FileManagerPath.validated(root: "home", names: [Array("..a".utf8), Array("...".utf8), odd], roots: roots)
        #expect(path.names[2] == odd)
        #expect(path.parent?.names.count == 2)
    }

    @Test("a name that is not UTF-8 shows its stray bytes as \\xNN and its valid parts as they are")
    func displayNames() {
        #expect(FileManagerPath.displayName(Array("résumé.txt".utf8)) == "résumé.txt")
        #expect(FileManagerPath.displayName([0x72, 0xE9, 0x73]) == "r\\xE9s")
        #expect(FileManagerPath.displayName([0xFF]) == "\\xFF")
        #expect(FileManagerPath.displayName([0x61] + Array("é".utf8) + [0xC3]) == "aé\\xC3")
    }

    @Test("mounted volumes: people's volumes kept, kernel and system mounts left out, octal escapes read")
    func mountTable() {
        let text = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
            23 22 0:5 / /proc rw - proc proc rw
            24 22 0:21 / /sys rw shared:2 - sysfs sysfs rw
            25 22 0:22 / /run rw - tmpfs tmpfs rw
            26 22 0:6 / /dev rw - devtmpfs udev rw
            30 22 8:2 / /home rw shared:5 - ext4 /dev/sda2 rw
            31 22 8:17 / /media/ann/USB\\040Stick rw,nosuid shared:7 master:3 - vfat /dev/sdb1 rw
            32 25 8:33 / /run/media/ann/Photos rw - exfat /dev/sdc1 rw
            33 22 0:40 / /snap/core/1 ro - squashfs /dev/loop0 ro
            34 22 8:3 / /boot/efi rw - vfat /dev/sda3 rw
            35 22 8:2 / /home rw - ext4 /dev/sda2 rw
            garbage line
            """
        let volumes = MountTable.volumes(fromMountInfo: text)
        #expect(volumes.map(\.mountPoint) == ["/home", "/media/ann/USB Stick", "/run/media/ann/Photos"])
        #expect(volumes[1].fileSystem == "vfat")
        #expect(volumes[1].source == "/dev/sdb1")
    }
}
