import Foundation
import LifelineCore

/// The gateway's view of a rules' time zone: Foundation's (with ICU's data). The agent on the
/// customer's computer reads the same zone from the system's TZif files instead (`ZoneRules`).
struct FoundationZone: ZoneClock {
    let zone: TimeZone

    init?(_ identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.zone = zone
    }

    func secondsFromUTC(atUnixTime seconds: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
