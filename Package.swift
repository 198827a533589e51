// swift-tools-version:6.2
import PackageDescription

/// The applet's code sees only the members of modules its files import: swift-nio-ssh brings all
/// of Foundation in transitively, and without this `"a".contains("/")` quietly binds to Foundation's
/// overload and links Foundation and ICU into the applet customers download (87 MB instead of 41).
let appletSwiftSettings: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "lifeline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lifeline-server", targets: ["lifeline-server"]),
        .executable(name: "lifeline-applet", targets: ["lifeline-applet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The LAN connector's SSH client (F4): password login, the target's host key pinned on first use.
        .package(url: "https://github.com/apple/swift-nio-ssh.git", from: "0.12.0"),
        // The gateway's settings: flags, LIFELINE_* variables and a JSON file, one precedence. No
        // traits (as async-http-client and Hummingbird ask): its JSON trait links all of Foundation
        // into the applet through async-http-client; the gateway reads the file itself.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
        // The store: GRDB for the embedded SQLite file, postgres-nio's pooled client for PostgreSQL.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // Operating the gateway: swift-metrics in the code, Prometheus's text format at /metrics.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(name: "CX11", providers: [.apt(["libx11-dev", "libxext-dev", "libxtst-dev", "libxfixes-dev", "libxdamage-dev"])]),
        .systemLibrary(name: "CTurboJPEG", providers: [.apt(["libturbojpeg0-dev"])]),
        .systemLibrary(name: "CVPX", providers: [.apt(["libvpx-dev", "libyuv-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CQREncode", providers: [.apt(["libqrencode-dev"])]),
        // Linux calls Glibc's module leaves out (renameat2 for the file manager); header only.
        .systemLibrary(name: "CLinuxCalls"),
        .systemLibrary(name: "CSystemd", providers: [.apt(["libsystemd-dev"])]),
        // Pure domain rules: no I/O, no networking, time passed in.
        .target(name: "LifelineCore"),
        // Wire types shared by gateway, applet and (mirrored in JS) the console.
        .target(name: "LifelineProtocol", dependencies: ["LifelineCore"]),
        .target(
            name: "LifelineStore",
            dependencies: [
                "LifelineCore", "LifelineProtocol",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "LifelineGateway",
            dependencies: [
                "LifelineCore", "LifelineProtocol", "LifelineStore", "CQREncode",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                // Links between gateway nodes (issue 20).
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // The SMS provider's webhook (issue 24: the applet's client too).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The customer's screen and input (X11 today): capture, change detection, JPEG tiles.
        // libjpeg-turbo's TurboJPEG API, libvpx's VP8 decoder and libyuv linked in statically: desktops
        // have libjpeg, rarely libturbojpeg, and their libvpx's version varies.
        .target(name: "LifelineDesktop", dependencies: ["CX11", "CTurboJPEG", "CVPX", "CZlib", "LifelineProtocol"],
                linkerSettings: [.unsafeFlags(["-Xlinker", "-l:libturbojpeg.a", "-Xlinker", "-l:libvpx.a", "-Xlinker", "-l:libyuv.a"])]),
        .target(
            name: "LifelineApplet",
            dependencies: [
                "LifelineProtocol", "LifelineDesktop", "CLinuxCalls", "CSystemd",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                // Its HTTP requests (joins, Calling Card, files sent), through the card's proxy too (issue 24).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                // MD5 of files sent and received (D4, G1), hashed as async-http-client hands the bytes over.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            // The customer's language (A4): the catalogs live inside the one downloadable binary.
            resources: [.embedInCode("Catalogs")],
            swiftSettings: appletSwiftSettings
        ),
        .executableTarget(
            name: "lifeline-server",
            dependencies: [
                "LifelineGateway", "LifelineCore", "LifelineProtocol", "LifelineStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The applet's window (issue 16): GTK 4 loaded at run time, so no GTK is needed to build or run it.
        .target(
            name: "LifelineAppletWindow",
            dependencies: ["LifelineApplet", "LifelineDesktop", "LifelineProtocol", "LifelineCore",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: appletSwiftSettings
        ),
        // Answers NIOFoundationCompat's references to full Foundation in the applet only (its file says why).
        .target(name: "CFoundationStubs"),
        .executableTarget(
            name: "lifeline-applet",
            dependencies: [
                "LifelineApplet", "LifelineAppletWindow", "LifelineCore", "LifelineProtocol", "CFoundationStubs",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: appletSwiftSettings
        ),
        // Crypto only to check TOTP against the RFC's vectors with a real HMAC-SHA-1.
        .testTarget(name: "LifelineCoreTests", dependencies: ["LifelineCore", "LifelineTestSupport", .product(name: "Crypto", package: "swift-crypto")],
                    resources: [.copy("Fixtures")]),
        // The databases the suites run against (SQLite, and PostgreSQL when scripts/test.sh starts one),
        // and the programs they run (posix_spawn: Foundation's Process can crash this toolchain).
        .target(name: "LifelineTestSupport", dependencies: ["LifelineStore", .product(name: "Logging", package: "swift-log")],
                path: "Tests/LifelineTestSupport"),
        .testTarget(name: "LifelineStoreTests", dependencies: ["LifelineStore", "LifelineTestSupport"]),
        .testTarget(name: "LifelineProtocolTests", dependencies: ["LifelineProtocol"]),
        // CVPX: the tests make real VP8 frames with libvpx's encoder.
        .testTarget(name: "LifelineDesktopTests", dependencies: ["LifelineDesktop", "LifelineTestSupport", "CVPX"]),
        .testTarget(name: "LifelineAppletTests", dependencies: ["LifelineApplet", "LifelineAppletWindow", "LifelineProtocol", "LifelineTestSupport",
                                                         .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "LifelineGatewayTests",
            dependencies: [
                "LifelineGateway", "LifelineApplet", "LifelineTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Fixtures")]
        ),
    ]
)
