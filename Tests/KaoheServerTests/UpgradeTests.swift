import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import Vapor
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 14: a database written by an earlier version, with data in it, upgraded by this one — nothing lost, the
    /// audit chain intact. Fixtures: Tests/Fixtures/upgrade (how each was made is in its README).
    @Suite("Upgrades from earlier versions (issue 14)")
    struct UpgradeTests {
        static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/upgrade")

        /// The statements of an `sqlite3 .dump` (split at semicolons outside quoted text).
        static func statements(_ script: String) -> [String] {
            var result: [String] = [], current = "", quoted = false
            for ch in script {
                if ch == "'" { quoted.toggle() }
                if ch == ";" && !quoted {
                    let s = current.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !s.isEmpty { result.append(s) }
                    current = ""
                } else {
                    current.append(ch)
                }
            }
            return result
        }

        /// The fixture loaded into the test's database as the earlier version left it — on SQLite the file itself; on
        /// PostgreSQL the earlier migrations run and the rows copied in — then opened by this version as the server
        /// would (pending migrations, key, administrator).
        static func withUpgraded(_ fixture: String, _ test: (Application) async throws -> Void) async throws {
            let dir = BackupTests.emptyDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            var settings = testSettings(dir)
            settings.backupTime = nil
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent("\(fixture).key"), to: URL(fileURLWithPath: settings.auditKeyFile))
            let file = dir + "/fixture.sqlite"
            let script = try String(contentsOf: fixtures.appendingPathComponent("\(fixture).sql"), encoding: .utf8)
            let connection = try await SQLiteConnection.open(storage: .file(path: file))
            for statement in statements(script) { _ = try await connection.query(statement) }
            let earlier = try await connection.query("SELECT COUNT(*) AS n FROM _fluent_migrations")[0].column("n")!.integer!
            switch settings.storage {
            case .sqlite(let path):
                try await connection.close()
                try FileManager.default.moveItem(atPath: file, toPath: path)
            case .postgres(let url):
                try await resetPostgres(url)
                let old = try await Application.make(.testing)
                do {
                    old.databases.use(.postgres(configuration: try .init(url: url)), as: .psql)
                    old.migrations.add(Array(kaoheMigrations().prefix(earlier)))
                    try await old.autoMigrate()
                    try await old.db.transaction { tx in try await DatabaseMove.copy(from: connection, to: tx as! any SQLDatabase) }
                    try await old.asyncShutdown()
                } catch {
                    try? await old.asyncShutdown()
                    throw error
                }
                try await connection.close()
            }
            let app = try await Application.make(.testing)
            do {
                try configure(app, settings: settings)
                try await prepareDatabase(app)
                try await test(app)
                try await app.asyncShutdown()
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
        }

        @Test("A database of 5dcc4d3 (migrations 001–006, two roster imports) upgrades through 007–010: rows, history and audit chain intact, post order filled in, new fields blank")
        func fromSchema006() async throws {
            try await Self.withUpgraded("schema-006") { app in
                #expect(try await app.count("_fluent_migrations") == kaoheMigrations().count)
                #expect(try await RegistryCounts.of(app) == RegistryCounts(units: 3, teams: 3, cadres: 12, posts: 14, facts: 14, audit: 49))
                // The chain the earlier version sealed, with the head it printed, verifies after the upgrade.
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: 49))
                #expect(try await AuditChain.head(on: app.sql)?.anchor == "49:a54a1e5aa8406cb0a8fa00316ede444008e2ee56e4a704578b4ea6cd1d3d0d17")

                // 007: every post got the default rank of its title.
                struct P: Decodable { var title: String; var sort_key: Int; var order_number: Int? }
                let posts = try await app.sql.raw("SELECT title, sort_key, order_number FROM posts").all(decoding: P.self)
                let expected = ["党委书记": 100, "镇长": 200, "局长": 200, "所长": 200, "人大主席": 300, "纪委书记": 450,
                                "副镇长": 600, "副局长": 600, "副所长": 600, "委员": 700, "组织委员": 700, "科员": 900]
                #expect(posts.count == 14)
                for p in posts { #expect(p.sort_key == expected[p.title] && p.order_number == nil, "\(p)") }
                // 008: the new 审批表 fields are blank, never invented.
                struct F: Decodable { var ethnicity: String; var party_joined: String; var id_number: String }
                let fields = try await app.sql.raw("SELECT ethnicity, party_joined, id_number FROM cadres").all(decoding: F.self)
                #expect(fields.count == 12 && fields.allSatisfy { $0.ethnicity.isEmpty && $0.party_joined.isEmpty && $0.id_number.isEmpty })

                // History as the second import left it: C006's first main post ended when the new one began; C012 moved.
                let c006 = try await app.posts(of: "C006")
                #expect(c006.count == 2 && c006.contains { $0.title == "科员" && $0.end == "2026-03-01" } && c006.contains { $0.title == "副镇长" && $0.end == nil })
                struct U: Decodable { var code: String }
                let c012 = try await app.sql.raw("""
                    SELECT u.code FROM posts p JOIN units u ON u.id = p.unit_id JOIN cadres c ON c.id = p.cadre_id
                    WHERE c.code = 'C012' AND p.end_date IS NULL
                    """).all(decoding: U.self)
                #expect(c012.map(\.code) == ["U03"])

                // The upgraded database serves pages: the unit's cadres in official order, and new writes chain on.
                try await app.skipFirstPasswordChange()
                try await app.sql.update("accounts").set("password_hash", to: SQLBind(try testAdminPassword.hash(app))).run()
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let list = try await browser.get("/cadres").body.string
                let order = ["干部1", "干部2", "干部11", "干部4"].map { list.range(of: $0)?.lowerBound }
                #expect(order.allSatisfy { $0 != nil } && order.map { $0! } == order.map { $0! }.sorted(), "党委书记, 镇长, 人大主席, 纪委书记")
                try await BackupTests.write(1, app)
                let audited = try await app.count("audit_entries")  // the login and the write
                #expect(audited >= 51)
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: audited))
            }
        }
    }
}
