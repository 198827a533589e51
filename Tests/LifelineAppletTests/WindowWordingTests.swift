@testable import LifelineAppletWindow
import Testing

/// The identity card's initials and the sizes in dialogs, as the customer reads them.
struct WindowWordingTests {
    @Test(arguments: [("Ann Lee", "AL"), ("Jean-Pierre de la Fontaine", "JF"), ("ana", "A"), ("", "?"), ("  Zoë  Ørsted ", "ZØ")])
    func initials(name: String, expected: String) {
        #expect(IdentityCard.initials(of: name) == expected)
    }

    @Test(arguments: [(Int64(512), "512 B"), (2_048, "2.0 KB"), (52_428_800, "52 MB"), (3_500_000_000, "3.5 GB")])
    func sizes(bytes: Int64, expected: String) {
        #expect(CustomerWindow.size(bytes) == expected)
    }
}
