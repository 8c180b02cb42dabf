import Fluent
import Foundation
@testable import KaoheServer
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    @Suite("Audit log (操作日志)")
    struct AuditTests {
        /// Creates a few audited changes through the real pages.
        func makeHistory(_ app: Application) async throws {
            let browser = Browser(app)
            try await browser.login("admin", testAdminPassword)
            for i in 1...3 {
                try await browser.get("/accounts/new")
                let res = try await browser.post("/accounts", [
                    "username": "clerk0\(i)", "displayName": "办事员\(i)", "role": "org", "password": "clerk-password-\(i)",
                ])
                #expect(res.status == .seeOther)
            }
        }

        @Test("Each change writes an entry in the same transaction: who, when (UTC), what, before and after")
        func entryPerChange() async throws {
            try await withTestApp { app in
                try await makeHistory(app)
                struct Row: Decodable { var seq: Int64; var at: String; var actor_name: String; var action: String; var entity: String; var after: String? }
                let rows = try await app.sql.raw("SELECT seq, at, actor_name, action, entity, after FROM audit_entries ORDER BY seq")
                    .all(decoding: Row.self)
                // 1 = the administrator created at first start, 2 = its login (a security event), then 3 accounts
                #expect(rows.count == 5)
                #expect(rows.map(\.seq) == [1, 2, 3, 4, 5])
                #expect(rows[1].action == "login")
                let last = try #require(rows.last)
                #expect(last.action == "create")
                #expect(last.entity == "account")
                #expect(last.actor_name.contains("admin"))
                #expect(last.at.hasSuffix("Z"))
                #expect(last.after?.contains("clerk03") == true)
                #expect(last.after?.contains("password") == false)  // never the hash
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: 5))
            }
        }

        @Test("A failed change writes neither the change nor its entry")
        func rollbackTakesEntryAlong() async throws {
            try await withTestApp { app in
                let before = try await app.count("audit_entries")
                struct Boom: Error {}
                await #expect(throws: Boom.self) {
                    try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
                        let a = Account(username: "ghost", displayName: "幽灵", passwordHash: "x", role: .cadre)
                        try await a.create(on: tx)
                        audit.record(.init(action: .create, entity: .account, entityID: a.id!.uuidString, after: a.auditSnapshot))
                        throw Boom()
                    }
                }
                #expect(try await app.count("audit_entries") == before)
                #expect(try await Account.query(on: app.db).filter(\.$username == "ghost").count() == 0)
            }
        }

        @Test("Tamper detection: one changed byte is found and named")
        func changedByteDetected() async throws {
            try await withTestApp { app in
                try await makeHistory(app)
                // MUT: change one character of entry 4's stored content (clerk02's creation)
                try await app.sql.raw("UPDATE audit_entries SET after = REPLACE(after, 'clerk02', 'clerk0X') WHERE seq = 4").run()
                // validate
                guard case .broken(let seq, let problem) = try await AuditChain.verify(on: app.sql, seal: app.auditSeal) else {
                    Issue.record("tampering not detected"); return
                }
                #expect(seq == 4)
                #expect(problem.contains("被改动"))
            }
        }

        @Test("Tamper detection: a removed entry in the middle or at the end is found")
        func removedEntryDetected() async throws {
            try await withTestApp { app in
                try await makeHistory(app)
                try await app.sql.raw("DELETE FROM audit_entries WHERE seq = 2").run()
                guard case .broken(let seq, _) = try await AuditChain.verify(on: app.sql, seal: app.auditSeal) else {
                    Issue.record("removal not detected"); return
                }
                #expect(seq == 2)
            }
            try await withTestApp { app in
                try await makeHistory(app)
                try await app.sql.raw("DELETE FROM audit_entries WHERE seq = 4").run()
                guard case .broken(let seq, _) = try await AuditChain.verify(on: app.sql, seal: app.auditSeal) else {
                    Issue.record("removal of the last entry not detected"); return
                }
                #expect(seq == 4)
            }
        }

        @Test("Tamper detection: a rewritten entry with a recomputed hash breaks the next link")
        func recomputedHashDetected() async throws {
            try await withTestApp { app in
                try await makeHistory(app)
                // An attacker changes entry 2 and recomputes its own hash…
                struct Row: Decodable { var seq: Int64 }
                let rows = try await app.sql.raw("SELECT * FROM audit_entries WHERE seq = 2").all(decoding: AuditChain.StoredEntry.self)
                var e = try #require(rows.first).entry
                e.actorName = "别人"
                e.hash = e.computedHash()
                try await app.sql.raw("UPDATE audit_entries SET actor_name = \(bind: e.actorName), hash = \(bind: e.hash) WHERE seq = 2").run()
                // …but entry 3 still points at the old hash.
                guard case .broken(let seq, let problem) = try await AuditChain.verify(on: app.sql, seal: app.auditSeal) else {
                    Issue.record("not detected"); return
                }
                #expect(seq == 3)
                #expect(problem.contains("前一哈希"))
            }
        }

        @Test("Concurrent audited writes keep one unbroken chain")
        func concurrentWriters() async throws {
            try await withTestApp { app in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<20 {
                        group.addTask {
                            try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
                                let c = UnitCategory(name: "类别\(i)", sortOrder: 100 + i)
                                try await c.create(on: tx)
                                audit.record(.init(action: .create, entity: .unitCategory, entityID: c.id!.uuidString, after: ["name": c.name]))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: 21))
            }
        }

        @Test("The audit page lists entries and shows the chain state; only 组织部/管理员 see it")
        func auditPage() async throws {
            try await withTestApp { app in
                try await makeHistory(app)
                let admin = Browser(app)
                try await admin.login("admin", testAdminPassword)
                let page = try await admin.get("/audit?entity=account")
                #expect(page.status == .ok)
                #expect(!page.body.string.contains("哈希链完整"))  // verification only on request
                let verified = try await admin.get("/audit?verify=1")
                // first admin, two logins, three accounts
                #expect(verified.body.string.contains("哈希链完整（共 6 条）"))
                try await app.sql.raw("UPDATE audit_entries SET actor_name = 'x' WHERE seq = 2").run()
                #expect(try await admin.get("/audit?verify=1").body.string.contains("哈希链已损坏：第 2 条"))
                #expect(page.body.string.contains("clerk03"))
                try await app.makeAccount("unit01", role: .cadre)
                let other = Browser(app)
                try await other.login("unit01", "password-1234")
                #expect(try await other.get("/audit").status == .forbidden)
            }
        }
    }
}
