// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "kaohe",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kaohe", targets: ["kaohe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // xlsx read/write, docx write, CSV decoding. Foundation + ZIPFoundation only.
        .target(
            name: "OfficeDocuments",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // The Vapor application.
        .target(
            name: "KaoheServer",
            dependencies: [
                "OfficeDocuments",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                "OfficeDocuments",
            ],
            exclude: ["Commands/GradingCLI.swift"]
        ),
        .executableTarget(name: "kaohe", dependencies: ["KaoheServer"]),
        .testTarget(name: "OfficeDocumentsTests", dependencies: ["OfficeDocuments"]),
        .testTarget(
            name: "KaoheServerTests",
            dependencies: [
                "KaoheServer",
                .product(name: "VaporTesting", package: "vapor"),
            ]
        ),
    ]
)
