import Fluent
import Foundation
@testable import KaoheServer
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    /// Runs only with DATABASE_URL (CI starts PostgreSQL from Debian packages and sets it).
    @Suite("Several instances on one PostgreSQL", .enabled(if: usingPostgres))
    struct PostgresTests {
        @Test("Two instances start together (migrations do not race) and share one login")
        func twoInstancesShareLogin() async throws {
            let url = ProcessInfo.processInfo.environment["DATABASE_URL"]!
            try await resetPostgres(url)
            let settings = Settings(dataDirectory: NSTemporaryDirectory(), storage: .postgres(url: url), adminPassword: testAdminPassword)
            let first = try await Application.make(.testing)
            let second = try await Application.make(.testing)
            do {
                // MUT: both run migrations and first-start bootstrap at the same time
                try configure(first, settings: settings)
                try configure(second, settings: settings)
                async let a: Void = prepareDatabase(first)
                async let b: Void = prepareDatabase(second)
                _ = try await (a, b)
                try await first.skipFirstPasswordChange()
                #expect(try await Account.query(on: first.db).filter(\.$username == "admin").count() == 1)
                struct C: Decodable { var n: Int }
                let migrations = try await first.sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first(decoding: C.self)!.n
                #expect(migrations == 29)  // 001 (two), 002–028: each once, whichever instance ran it

                // Log in on the first instance…
                let browser = Browser(first)
                try await browser.login("admin", testAdminPassword)
                #expect(try await browser.get("/").status == .ok)
                // …and use the same cookie and CSRF token on the second.
                let onSecond = Browser(second)
                onSecond.sessionCookie = browser.sessionCookie
                onSecond.csrf = browser.csrf
                let home = try await onSecond.get("/")
                #expect(home.status == .ok)
                #expect(home.body.string.contains("系统管理员"))
                let created = try await onSecond.post("/accounts", [
                    "username": "clerk09", "displayName": "办事员", "role": "org", "password": "clerk-password-9",
                ])
                #expect(created.status == .seeOther)
                // Logging out on the second ends the session on the first too.
                try await onSecond.post("/logout")
                #expect(try await browser.get("/").status == .seeOther)
                // first admin, its login, the new account, the logout
                #expect(try await AuditChain.verify(on: first.sql, seal: first.auditSeal) == .intact(count: 4))
            } catch {
                try? await first.asyncShutdown(); try? await second.asyncShutdown()
                throw error
            }
            try await first.asyncShutdown()
            try await second.asyncShutdown()
        }
    }
}
