// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Outreach",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "OutreachKit", targets: ["OutreachKit"]),
        .library(name: "OutreachServer", targets: ["OutreachServer"]),
        .executable(name: "outreach", targets: ["outreach"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "OutreachResources",
            path: "Resources",
            sources: ["OutreachResources.swift"],
            resources: [.copy("labels"), .copy("areas"), .copy("sample"), .copy("api")]
        ),
        .target(
            name: "OutreachKit",
            dependencies: [
                "OutreachResources",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        .target(
            name: "OutreachServer",
            dependencies: [
                "OutreachKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "outreach",
            dependencies: [
                "OutreachKit",
                "OutreachServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "OutreachBench",
            dependencies: ["OutreachKit", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Benchmarks/OutreachBench"
        ),
        .testTarget(
            name: "OutreachKitTests",
            dependencies: ["OutreachKit", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "OutreachServerTests",
            dependencies: ["OutreachServer", .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "outreachTests",
            dependencies: ["outreach", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)
