import Foundation
import NIOConcurrencyHelpers

/// Which methods each route pattern takes, so a known address asked with another method answers
/// 405 with `Allow` (the router alone says 404). Filled once the routes are registered.
final class RouteMethods: Sendable {
    private struct Route {
        let method: String
        let segments: [Substring]
    }

    private let routes = NIOLockedValueBox<[Route]>([])

    /// Takes the router's routes as it describes them: "METHOD /path/{parameter}".
    func load(_ descriptions: [String]) {
        let parsed = descriptions.compactMap { description -> Route? in
            let parts = description.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            return Route(method: String(parts[0]), segments: parts[1].split(separator: "/"))
        }
        routes.withLockedValue { $0 = parsed }
    }

    /// The methods routes matching `path` take, sorted; empty when no route has that address.
    func allowed(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        let methods = routes.withLockedValue { routes in
            routes.filter { Self.matches($0.segments, segments) }.map(\.method)
        }
        return Set(methods).sorted()
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        if pattern.last == "**" { return path.count >= pattern.count - 1 && zip(pattern.dropLast(), path).allSatisfy(segmentMatches) }
        return pattern.count == path.count && zip(pattern, path).allSatisfy(segmentMatches)
    }

    private static func segmentMatches(_ pattern: Substring, _ segment: Substring) -> Bool {
        pattern == "*" || (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == segment
    }
}
