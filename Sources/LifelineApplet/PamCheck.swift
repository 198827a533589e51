#if canImport(Glibc)
import Glibc
#endif
import CLinuxCalls

/// A user name and password checked by the system's own sign-in rules (PAM), for an unattended
/// connection whose customer chose "credentials at each connection" (F5): libpam.so.0 opened with
/// dlopen, the service `lifeline-unattended` (PAM's `other` rules — the usual password check —
/// unless an administrator writes /etc/pam.d/lifeline-unattended). An agent running in the
/// customer's account can check that account's password only (pam_unix's helper refuses others);
/// the system agent, as root, any account's. Nothing is kept: the password lives in this call.
enum PamCheck {
    static let service = "lifeline-unattended"

    enum Verdict: Equatable {
        case accepted
        case refused(String)
        case unavailable(String)
    }

    private typealias Start = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<lifeline_pam_conv>?,
                                              UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    private typealias Step = @convention(c) (OpaquePointer?, Int32) -> Int32
    private typealias Describe = @convention(c) (OpaquePointer?, Int32) -> UnsafePointer<CChar>?

    /// Blocks (PAM waits a moment after a wrong password): call it off Swift's cooperative threads.
    static func verify(username: String, password: String) -> Verdict {
        let library: DynamicLibrary
        do throws(DynamicLibrary.Unavailable) {
            library = try DynamicLibrary("libpam.so.0", placeholder: "pam_start")
        } catch {
            return .unavailable("PAM is not installed on this computer (\(error))")
        }
        let start: Start = library.required("pam_start")
        let authenticate: Step = library.required("pam_authenticate")
        let account: Step = library.required("pam_acct_mgmt")
        let end: Step = library.required("pam_end")
        let describe: Describe = library.required("pam_strerror")
        guard library.missing.isEmpty else { return .unavailable("libpam lacks \(library.missing.joined(separator: ", "))") }

        let answers = Answers(username: username, password: password)
        defer { answers.forget() }
        var conversation = lifeline_pam_conv(conv: converse, appdata_ptr: Unmanaged.passUnretained(answers).toOpaque())
        var handle: OpaquePointer?
        let started = withUnsafePointer(to: &conversation) { start(service, username, $0, &handle) }
        guard started == 0, let handle else { return .unavailable("PAM could not start (\(started))") }
        var status = authenticate(handle, 0)
        if status == 0 { status = account(handle, 0) }
        let words = describe(handle, status).map { String(cString: $0) } ?? "code \(status)"
        _ = end(handle, status)
        return status == 0 ? .accepted : .refused(words)
    }

    /// What the conversation answers: the password to hidden prompts, the user name to visible ones.
    private final class Answers {
        let username: UnsafeMutablePointer<CChar>
        let password: UnsafeMutablePointer<CChar>

        init(username: String, password: String) {
            self.username = strdup(username)
            self.password = strdup(password)
        }

        /// The password's bytes are overwritten before they are freed.
        func forget() {
            memset(password, 0, strlen(password))
            free(password)
            free(username)
        }
    }

    private static let converse: lifeline_pam_conversation = { count, messages, responses, data in
        guard count > 0, let messages, let responses, let data else { return 19 /* PAM_CONV_ERR */ }
        let answers = Unmanaged<Answers>.fromOpaque(data).takeUnretainedValue()
        guard let replies = calloc(Int(count), MemoryLayout<lifeline_pam_response>.stride)?
            .bindMemory(to: lifeline_pam_response.self, capacity: Int(count)) else { return 5 /* PAM_BUF_ERR */ }
        for index in 0..<Int(count) {
            switch messages[index]?.pointee.msg_style {
            case 1: replies[index].resp = strdup(answers.password)  // PAM_PROMPT_ECHO_OFF
            case 2: replies[index].resp = strdup(answers.username)  // PAM_PROMPT_ECHO_ON
            default: replies[index].resp = nil  // Information and errors need no answer.
            }
        }
        responses.pointee = replies
        return 0
    }
}
