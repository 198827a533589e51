import Hummingbird

/// Every error code the gateway gives, on HTTP and on its WebSockets, each with the one HTTP
/// status it goes with. Clients key on the code (`docs/openapi.yaml` lists them all; a test
/// holds the list and this enum equal), so a code is named once here and nowhere spelled by hand.
public enum ErrorCode: String, CaseIterable, Sendable {
    case accountDisabled = "account_disabled"
    case administratorsOnly = "administrators_only"
    case alreadyConnected = "already_connected"
    case alreadyCollaborating = "already_collaborating"
    case alreadyMonitoring = "already_monitoring"
    case alreadyElevated = "already_elevated"
    case alreadyRecording = "already_recording"
    case alreadyTaken = "already_taken"
    case appletRunning = "applet_running"
    case appletUnavailable = "applet_unavailable"
    case browserViewOnly = "browser_view_only"
    case auditUnavailable = "audit_unavailable"
    case badAnswer = "bad_answer"
    case badCredentials = "bad_credentials"
    case badRepliesFile = "bad_replies_file"
    case badRequest = "bad_request"
    case badScriptsFile = "bad_scripts_file"
    case callingCardNotFound = "calling_card_not_found"
    case challengeExpired = "challenge_expired"
    case channelLimit = "channel_limit"
    case channelNotFound = "channel_not_found"
    case chatDisabled = "chat_disabled"
    case chatOnly = "chat_only"
    case chatUnavailable = "chat_unavailable"
    case collaboratorNotFound = "collaborator_not_found"
    case computerNotAnswering = "computer_not_answering"
    case computerOffline = "computer_offline"
    case credentialsRefused = "credentials_refused"
    case customerNotConnected = "customer_not_connected"
    case earlierSessionNotFound = "earlier_session_not_found"
    case emailFailed = "email_failed"
    case emailNotConfigured = "email_not_configured"
    case emailTaken = "email_taken"
    case fileInterrupted = "file_interrupted"
    case lanHostKeyChanged = "lan_host_key_changed"
    case lanStartFailed = "lan_start_failed"
    case leadOfferPending = "lead_offer_pending"
    case leadOnHold = "lead_on_hold"
    case lanUnreachable = "lan_unreachable"
    case fileManagerInUse = "file_manager_in_use"
    case fileManagerNotOpen = "file_manager_not_open"
    case fileNotAccepted = "file_not_accepted"
    case fileNotFound = "file_not_found"
    case fileNotSaved = "file_not_saved"
    case fileTooLarge = "file_too_large"
    case fileTransferRunning = "file_transfer_running"
    case foreignOrigin = "foreign_origin"
    case gatewayFull = "gateway_full"
    case draining = "draining"
    case groupInUse = "group_in_use"
    case groupNotFound = "group_not_found"
    case headersTooLarge = "headers_too_large"
    case helloExpected = "hello_expected"
    case internalError = "internal_error"
    case invalidState = "invalid_state"
    case invitationUnavailable = "invitation_unavailable"
    case lengthRequired = "length_required"
    case malformedMessage = "malformed_message"
    case masterAdministratorOnly = "master_administrator_only"
    case messageTooLarge = "message_too_large"
    case methodNotAllowed = "method_not_allowed"
    case noDatabase = "no_database"
    case noDirectPath = "no_direct_path"
    case noEnrolment = "no_enrolment"
    case monitoringNotFound = "monitoring_not_found"
    case noLogo = "no_logo"
    case noTechnicianAvailable = "no_technician_available"
    case notFound = "not_found"
    case notInBrowser = "not_in_browser"
    case notInControl = "not_in_control"
    case notViewing = "not_viewing"
    case notSharing = "not_sharing"
    case screenSharedByOther = "screen_shared_by_other"
    case notLead = "not_lead"
    case noLeadOffer = "no_lead_offer"
    case notLanConnector = "not_lan_connector"
    case notStarted = "not_started"
    case outsideApprovedHours = "outside_approved_hours"
    case outsideScope = "outside_scope"
    case permissionDenied = "permission_denied"
    case pieceTooLarge = "piece_too_large"
    case pinExpired = "pin_expired"
    case pinUsed = "pin_used"
    case queueTransfer = "queue_transfer"
    case recordingFinished = "recording_finished"
    case recordingNotFound = "recording_not_found"
    case recordingNotSaved = "recording_not_saved"
    case recordingTooLarge = "recording_too_large"
    case remoteAlreadyRunning = "remote_already_running"
    case remoteNotRunning = "remote_not_running"
    case replyNotFound = "reply_not_found"
    case scriptNotFound = "script_not_found"
    case scriptRunning = "script_running"
    case sessionClosed = "session_closed"
    case sessionNotActive = "session_not_active"
    case sessionNotFound = "session_not_found"
    case setupClosed = "setup_closed"
    case slowDown = "slow_down"
    case smsFailed = "sms_failed"
    case smsNotConfigured = "sms_not_configured"
    case smsTooSoon = "sms_too_soon"
    case smsUnavailable = "sms_unavailable"
    case storageError = "storage_error"
    case surveyAlreadySent = "survey_already_sent"
    case surveyAnswered = "survey_answered"
    case surveyDisabled = "survey_disabled"
    case surveyScopeNotFound = "survey_scope_not_found"
    case technicianHasSessions = "technician_has_sessions"
    case technicianNotFound = "technician_not_found"
    case technicianUnavailable = "technician_unavailable"
    case tooLarge = "too_large"
    case tooManyActiveSessions = "too_many_active_sessions"
    case anotherLensActive = "another_lens_active"
    case notForLens = "not_for_lens"
    case tooManyAttempts = "too_many_attempts"
    case tooManyConnections = "too_many_connections"
    case tooManyCollaborators = "too_many_collaborators"
    case tooManyFavourites = "too_many_favourites"
    case tooManyReplies = "too_many_replies"
    case tooManyScripts = "too_many_scripts"
    case transferPending = "transfer_pending"
    case twoStepEnabled = "two_step_enabled"
    case twoStepKeyMismatch = "two_step_key_mismatch"
    case twoStepOff = "two_step_off"
    case twoStepRequired = "two_step_required"
    case unauthenticated
    case unexpectedFrame = "unexpected_frame"
    case unknownAppletToken = "unknown_applet_token"
    case unknownCollaboratorToken = "unknown_collaborator_token"
    case unknownInvitation = "unknown_invitation"
    case unknownLink = "unknown_link"
    case unknownPin = "unknown_pin"
    case unknownSurvey = "unknown_survey"
    case upgradeRequired = "upgrade_required"
    case viewOnly = "view_only"
    case weakPassword = "weak_password"
    case wrongCode = "wrong_code"

    public var status: HTTPResponse.Status {
        switch self {
        case .emailFailed, .lanStartFailed, .lanUnreachable, .smsFailed:
            .badGateway
        case .computerNotAnswering:
            .gatewayTimeout
        case .badAnswer, .badRepliesFile, .badRequest, .badScriptsFile, .helloExpected, .malformedMessage, .unexpectedFrame,
             .weakPassword:
            .badRequest
        case .alreadyCollaborating, .alreadyConnected, .alreadyMonitoring, .alreadyElevated, .alreadyRecording, .alreadyTaken, .appletRunning, .browserViewOnly, .channelLimit,
             .chatDisabled, .chatOnly, .chatUnavailable, .computerOffline, .customerNotConnected, .emailNotConfigured, .emailTaken,
             .fileInterrupted, .fileManagerInUse, .fileManagerNotOpen, .fileNotAccepted, .fileTransferRunning, .groupInUse, .invalidState,
             .invitationUnavailable, .lanHostKeyChanged, .leadOfferPending, .leadOnHold, .noDirectPath, .noLeadOffer, .notLanConnector, .notViewing, .notSharing, .screenSharedByOther, .noEnrolment, .notInBrowser, .notStarted, .outsideApprovedHours, .queueTransfer,
             .recordingFinished,
             .remoteAlreadyRunning, .remoteNotRunning, .sessionClosed, .sessionNotActive, .smsNotConfigured,
             .smsUnavailable, .surveyAlreadySent, .surveyAnswered, .surveyDisabled, .technicianHasSessions,
             .technicianUnavailable, .tooManyActiveSessions, .anotherLensActive, .notForLens, .tooManyCollaborators, .tooManyFavourites, .tooManyReplies, .tooManyScripts,
             .transferPending, .scriptRunning,
             .twoStepEnabled, .twoStepOff, .twoStepRequired, .viewOnly:
            .conflict
        case .fileTooLarge, .messageTooLarge, .pieceTooLarge, .recordingTooLarge, .tooLarge:
            .contentTooLarge
        case .accountDisabled, .administratorsOnly, .foreignOrigin, .credentialsRefused, .masterAdministratorOnly, .notInControl, .notLead, .outsideScope,
             .permissionDenied, .setupClosed:
            .forbidden
        case .fileNotSaved, .internalError, .recordingNotSaved, .storageError, .twoStepKeyMismatch:
            .internalServerError
        case .lengthRequired:
            .lengthRequired
        case .methodNotAllowed:
            .methodNotAllowed
        case .appletUnavailable, .callingCardNotFound, .channelNotFound, .collaboratorNotFound,
             .earlierSessionNotFound, .fileNotFound, .groupNotFound, .monitoringNotFound, .noDatabase, .noLogo, .notFound,
             .recordingNotFound, .replyNotFound, .scriptNotFound, .sessionNotFound, .surveyScopeNotFound, .technicianNotFound,
             .unknownInvitation, .unknownLink, .unknownPin, .unknownSurvey:
            .notFound
        case .pinExpired, .pinUsed:
            .gone
        case .auditUnavailable, .draining, .gatewayFull, .noTechnicianAvailable:
            .serviceUnavailable
        case .headersTooLarge:
            .requestHeaderFieldsTooLarge
        case .slowDown, .smsTooSoon, .tooManyAttempts, .tooManyConnections:
            .tooManyRequests
        case .upgradeRequired:
            .upgradeRequired
        case .badCredentials, .challengeExpired, .unauthenticated, .unknownAppletToken, .unknownCollaboratorToken,
             .wrongCode:
            .unauthorized
        }
    }
}
