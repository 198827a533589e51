import LifelineCore
import LifelineProtocol

extension Transcript {
    /// The technician asks for unattended access (F5): who, for how long, at which hours, how
    /// they will sign in; the customer answers.
    func unattendedRequested(_ offer: UnattendedOffer) {
        if machineReadable {
            return write("UNATTENDED_REQUEST technician=\(Self.quoted(offer.technician)) \(Self.machineRules(offer.rules))")
        }
        let question = text("unattended.ask", ["technician": who(offer.technician)])
        say(.unattendedRequested(details: unattendedDetails(offer.rules)), question + " " + unattendedDetails(offer.rules))
    }

    /// The rules in the customer's words: period, hours, credentials, and how to take it back.
    func unattendedDetails(_ rules: UnattendedRules) -> String {
        let period: String = switch rules.period {
        case .days(let days): text("unattended.period_days", ["days": "\(days)"])
        case .dateRange(let first, let last): text("unattended.period_range", ["first": first, "last": last])
        case .indefinite: text("unattended.period_indefinite")
        }
        let hours: String = if let start = rules.dailyStart, let end = rules.dailyEnd {
            text("unattended.hours", ["start": Self.clock(start), "end": Self.clock(end), "zone": Self.clean(rules.timeZone)])
        } else {
            text("unattended.any_hour")
        }
        let credentials = text(rules.credentials == .atEachConnection ? "unattended.credentials_each" : "unattended.credentials_customer")
        return [period, hours, credentials, text("unattended.revoke")].joined(separator: " ")
    }

    /// The customer allowed access with their own credentials: the password of their account,
    /// checked by this computer and kept nowhere. `refused` after a wrong one.
    func unattendedPasswordAsked(account: String, refused: Bool, attemptsLeft: Int) {
        if machineReadable {
            return write("\(refused ? "UNATTENDED_PASSWORD_REFUSED" : "UNATTENDED_PASSWORD") account=\(Self.quoted(account)) attempts=\(attemptsLeft)")
        }
        let values = ["account": Self.clean(account)]
        let line = refused ? text("unattended.password_refused", values) + " " + text("unattended.password", values)
                           : text("unattended.password", values)
        say(.unattendedPasswordAsked(account: account, refused: refused), line)
    }

    /// This computer gives unattended access (approved now, or before): the window lists it with
    /// a button to take it back. Nothing for a person's terminal, where the approval said how.
    func unattendedInPlace(technician: String, computerId: String) {
        if machineReadable { return write("UNATTENDED_IN_PLACE technician=\(Self.quoted(technician)) computer=\(Self.clean(computerId))") }
        events?(.unattendedInPlace(technician: technician), "")
    }

    /// Taken back by the customer; `told` false when the gateway could not be told (the computer
    /// then shows offline until someone removes it), nil when there was nothing to take back.
    func unattendedRevoked(told: Bool?) {
        if machineReadable { return write("UNATTENDED_REVOKED told=\(told.map { "\($0)" } ?? "nothing")") }
        say(.unattendedRevoked, text(told == nil ? "agent.none" : told == true ? "agent.removed" : "agent.removed_locally"))
    }

    func unattendedRefused() {
        if machineReadable { return write("UNATTENDED_REFUSED") }
        say(.unattendedAnswered, text("unattended.refused"))
    }

    func unattendedApproved(technician: String, computerId: String) {
        if machineReadable { return write("UNATTENDED_APPROVED computer=\(computerId)") }
        say(.unattendedAnswered, text("unattended.approved", ["technician": who(technician)]))
    }

    func unattendedFailed(_ reason: String) {
        if machineReadable { return write("UNATTENDED_FAILED \(Self.quoted(reason))") }
        say(.unattendedAnswered, text("unattended.failed", ["reason": Self.clean(reason)]))
    }

    /// 540 → "09:00".
    static func clock(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    static func machineRules(_ rules: UnattendedRules) -> String {
        let period: String = switch rules.period {
        case .days(let days): "days=\(days)"
        case .dateRange(let first, let last): "from=\(first) to=\(last)"
        case .indefinite: "indefinite"
        }
        let hours = rules.dailyStart.flatMap { start in rules.dailyEnd.map { " hours=\(clock(start))-\(clock($0))" } } ?? ""
        return "\(period)\(hours) zone=\(quoted(rules.timeZone)) credentials=\(rules.credentials.rawValue)"
    }
}
