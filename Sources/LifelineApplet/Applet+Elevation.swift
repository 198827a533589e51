import LifelineProtocol

/// Administrator rights (J3) as the customer grants them: asked first, as for the screen; on a yes
/// the root copy takes the session over.
extension Applet {
    /// A technician asks for administrator rights: the consent setting answers, or the customer.
    static func elevationRequested(_ elevate: GatewayToApplet.Elevate, transcript: Transcript, restart: Restart) async {
        switch restart.consent {
        case .accept:
            await restartElevated(with: elevate.credentials, by: elevate.technicianName, transcript: transcript, restart: restart)
        case .deny:
            await refuseElevation(transcript: transcript, outgoing: restart.outgoing)
        case .ask:
            await restart.elevation.ask(elevate.credentials, technician: elevate.technicianName)
            transcript.elevationRequested(technician: elevate.technicianName)
        }
    }

    /// The customer's answer to the request that waited.
    static func answerElevation(_ request: (credentials: ElevationCredentials, technician: String), allow: Bool,
                                transcript: Transcript, restart: Restart) async {
        if allow {
            await restartElevated(with: request.credentials, by: request.technician, transcript: transcript, restart: restart)
        } else {
            await refuseElevation(transcript: transcript, outgoing: restart.outgoing)
        }
    }

    static func refuseElevation(transcript: Transcript, outgoing: OutgoingMessages) async {
        transcript.elevation("ELEVATION_REFUSED")
        await outgoing.send(.elevationFailed(.init(reason: "The customer refused administrator rights.")))
    }

    /// Restarts with administrator rights; once the root copy runs, the connection hands the session over.
    private static func restartElevated(with credentials: ElevationCredentials, by name: String, transcript: Transcript,
                                        restart: Restart) async {
        transcript.elevation("ELEVATING", detail: name)
        do throws(ElevatedRestart.Failure) {
            try await restart.elevation.restart(credentials, joined: restart.joined, arguments: restart.arguments)
        } catch {
            transcript.elevation("ELEVATION_FAILED", detail: error.description)
            await restart.outgoing.send(.elevationFailed(.init(reason: error.description)))
            return
        }
        await restart.elevation.signalHandOver()
    }
}
