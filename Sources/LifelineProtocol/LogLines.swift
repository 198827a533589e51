import Foundation

/// The lines the gateway writes into a session's log about what happened. Each has a code the
/// consoles translate (`log.<code>` in their catalogs) and this English wording, which the log
/// keeps for history, exports and scripts.
extension SessionLogEvent {
    public static let english: [String: String] = [
        "invitation_sms": "{technician} sent the invitation by SMS to {phone}.",
        "invitation_email": "{technician} sent the invitation by email to {to}.",
        "link_sent": "{technician} sent the link {link}",
        "elevated": "The applet restarted with administrator rights (root) and reconnected. These rights end with the session.",
        "unelevated": "The applet runs without administrator rights again.",
        "applet_took_over": "The customer started the Lifeline app: every tool is available now.",
        "transferred": "{technician} transferred the session to {target}",
        "transferred_comment": "{technician} transferred the session to {target}: {comment}",
        "transfer_taken_back": "{technician} took the session back.",
        "transfer_taken_over": "{technician} took over the session.",
        "transfer_declined": "{technician} declined the transfer.",
        "recording_started": "{technician} started recording the screen; the customer was told.",
        "recording_stopped": "{technician} stopped recording the screen.",
        "recording_stopped_with_remote": "Screen recording stopped with the remote desktop.",
        "file_offered": "{technician} offers the file {name} ({size}).",
        "file_accepted": "The customer accepted the file {name}.",
        "file_declined": "The customer declined the file {name}.",
        "file_saved": "The customer saved the file {name} ({size}). MD5 {md5}.",
        "file_damaged": "The file {name} arrived damaged and was not kept: MD5 sent {sent}, received {received}.",
        "file_failed": "The file {name} was not transferred: {reason}",
        "file_received": "The customer sent the file {name} ({size}). MD5 {md5}.",
        "survey_sent": "The customer survey was sent to the customer.",
        "applet_invited": "{technician} invited the customer to download the Lifeline app.",
        "applet_declined": "The customer does not want to download the Lifeline app for now.",
        "card_offered": "{technician} offered to install the Calling Card {name}.",
        "card_offered_autostart": "{technician} offered to install the Calling Card {name} (launched at every start).",
        "card_installed": "The customer installed the Calling Card.",
        "card_refused": "The customer did not want the Calling Card installed.",
        "card_failed": "The Calling Card could not be installed: {reason}",
        "remote_control_requested": "{technician} asked for remote control.",
        "desktop_view_requested": "{technician} asked to view the desktop.",
        "screenshot_taken": "{technician} took a screenshot of the customer's screen.",
        "collaborator_joined": "{name} joined the session as an external technician.",
        "collaborator_left": "{name} left the session.",
        "remote_control_accepted": "The customer accepted: remote control started.",
        "desktop_view_accepted": "The customer accepted: desktop view started.",
        "screen_refused": "The customer refused to share the screen.",
        "remote_ended": "Remote desktop ended: {reason}",
        "chat_on": "{technician} turned the chat on.",
        "chat_off": "{technician} turned the chat off.",
        "taken_from_channel": "{technician} took the session from the {channel} queue.",
        "elevation_requested": "{technician} asked to restart the applet with administrator rights.",
        "elevation_failed": "The applet could not restart with administrator rights: {reason}",
    ]

    /// The English wording, placeholders filled in.
    public var englishText: String {
        var text = Self.english[code] ?? code
        for (name, value) in params { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }
}
