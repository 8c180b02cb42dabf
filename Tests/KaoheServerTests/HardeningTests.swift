import Fluent
import Foundation
@testable import KaoheServer
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Issue 7: hostile input and scope leaks. Each test fails on the code before the fix.
extension KaoheServerTests {
    @Suite("Hardening: input and scope")
    struct HardeningTests {
        typealias World = RegistryAccessTests.World

        @Test("A page number that would overflow the offset is a page, not a crash (cadres, audit)")
        func hugePageNumbers() async throws {
            try await withTestApp { app in
                _ = try await RegistryAccessTests.world(app)
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                for path in ["/cadres?page=999999999999999999", "/cadres?page=-5", "/audit?page=999999999999999999",
                             "/cadres?page=99999999999999999999999", "/audit?page=9223372036854775807"] {
                    let res = try await browser.get(path)
                    #expect(res.status == .ok, "\(path)")
                }
                let last = try await browser.get("/cadres?page=999999999999999999")
                #expect(last.body.string.contains("第 1 / 1 页") && last.body.string.contains("城一"))
            }
        }

        @Test("Malformed ids and form fields get Chinese pages, not Vapor's English; adding a group member twice is harmless")
        func malformedInput() async throws {
            try await withTestApp { app in
                let unit = try await app.makeUnit("U01", "城关镇")
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let bad = try await browser.get("/cadres/not-a-uuid")
                #expect(bad.status == .notFound && bad.body.string.contains("找不到该干部"))
                let odd = try await browser.get("/units/%00%ff")
                #expect(odd.status == .notFound || odd.status == .badRequest, "\(odd.status)")
                #expect(!odd.body.string.contains("Bad Request"))
                try await browser.get("/groups")
                #expect(try await browser.post("/groups", ["name": "第一组"]).status == .seeOther)
                let group = try #require(try await AssessmentGroup.query(on: app.db).first()).id!
                let garbage = try await browser.post("/groups/\(group)/members", ["id": "not-a-uuid"])
                #expect(garbage.status == .badRequest && garbage.body.string.contains("提交的内容格式有误"))
                #expect(!garbage.body.string.contains("Value") && !garbage.body.string.contains("required"))
                // A unit may be typed by its code (issue 15): a string that is neither an id nor a code is an unknown unit.
                let unknown = try await browser.post("/groups/\(group)/units", ["id": "not-a-uuid"])
                #expect(unknown.body.string.contains("「单位」不存在") && !unknown.body.string.contains("Value"))
                for _ in 0..<2 {
                    #expect(try await browser.post("/groups/\(group)/units", ["id": unit.uuidString]).status == .seeOther)
                }
                #expect(try await AssessmentGroupUnit.query(on: app.db).count() == 1)
            }
        }

        @Test("A roster past its row limit is one problem and is not read further (memory stays bounded)")
        func rowLimit() throws {
            var csv = RosterColumn.required.map(\.rawValue).joined(separator: ",") + "\n"
            for i in 1...50 { csv += "R\(i),张三,男,U01,科员\n" }
            let v = try RosterFile.read(Data(csv.utf8), filename: "r.csv", maxRows: 10)
            #expect(v.problems.map(\.description) == ["「干部」：文件超过 10 行，请拆分为几个文件分别导入"])
            #expect(v.cadres.count == 10 && v.referencedCadreCodes.count == 10)
        }

        @Test("A scoped import may not touch a cadre without an open post in its scope (retired, awaiting assignment)")
        func importOverCadreWithoutPost() async throws {
            try await withTestApp { app in
                let w = try await RegistryAccessTests.world(app)
                // K22 leaves U02: no open post anywhere.
                try await app.sql.update("posts").set("end_date", to: SQLBind("2025-01-01")).where("cadre_id", .equal, SQLBind(w.k22)).run()
                let before = try await RegistryCounts.of(app)
                let problems = try await app.rejectedProblems(
                    try Roster.xlsx([Roster.cadre("K22", "冒名", unit: "U01", extra: [.underInvestigation: "是"])]), scope: .units([w.u1]))
                #expect(problems == ["第 2 行「干部编号」：干部编号「K22」不能使用（不在您的管理范围内）"])
                #expect(try await RegistryCounts.of(app) == before)
                let k22 = try #require(try await Cadre.find(w.k22, on: app.db))
                #expect(k22.name == "河二" && !k22.underInvestigation)
            }
        }

        @Test("A scoped account never ends a main post outside its scope (form and import)")
        func mainPostOutsideScope() async throws {
            try await withTestApp { app in
                let w = try await RegistryAccessTests.world(app)
                // K21 (main post in U02) also holds a concurrent post in U01: the unit administrator of U01 sees K21.
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("K21", "河一", unit: "U01", title: "联络员", extra: [.mainDuty: "兼职"])]))
                let browser = Browser(app)
                try await browser.login("unit1", "password-1234")
                #expect(try await browser.get("/cadres/\(w.k21)").status == .ok)
                let res = try await browser.post("/cadres/\(w.k21)/posts", ["unitID": w.u1.uuidString, "title": "副镇长", "mainDuty": "主职"])
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("现任主职不在您的管理范围内"))
                let problems = try await app.rejectedProblems(
                    try Roster.xlsx([Roster.cadre("K21", "河一", unit: "U01", title: "副镇长")]), scope: .units([w.u1]))
                #expect(problems == ["第 2 行「职责」：该干部的现任主职不在您的管理范围内，不能由您变更主职（可作为兼职导入，或请组织部调整）"])
                let open = try await Post.query(on: app.db).filter(\.$cadre.$id == w.k21).filter(\.$endDate == nil).all()
                #expect(open.count == 2 && open.contains { $0.$unit.id == w.u2 && $0.mainDuty })
                // A concurrent post is still the unit's to add.
                #expect(try await browser.post("/cadres/\(w.k21)/posts", ["unitID": w.u1.uuidString, "title": "协理员", "mainDuty": "兼职"]).status == .seeOther)
            }
        }

        @Test("The yearly facts' host unit must be in scope (form and import)")
        func hostUnitInScope() async throws {
            try await withTestApp { app in
                let w = try await RegistryAccessTests.world(app)
                let browser = Browser(app)
                try await browser.login("unit1", "password-1234")
                try await browser.get("/cadres/\(w.k11)")
                let res = try await browser.post("/cadres/\(w.k11)/facts", ["year": "2025", "secondmentLevel": "省",
                                                                             "secondmentHostUnitID": w.u2.uuidString, "secondmentMonths": "6"])
                #expect(res.status == .unprocessableEntity && res.body.string.contains("「挂职单位」必须是您有权管理的单位"))
                #expect(try await app.count("cadre_year_facts") == 0)
                let problems = try await app.rejectedProblems(try Roster.xlsx([Roster.cadre("K11", "城一", unit: "U01", title: "党委书记", principal: "是",
                    extra: [.year: 2025, .secondmentLevel: "省", .secondmentHost: "U02"])]), scope: .units([w.u1]))
                #expect(problems == ["第 2 行「挂职单位编码」：单位编码「U02」不能使用（只能填写本单位）"])
            }
        }

        @Test("Messages name no record outside the account's scope")
        func noNamesOutsideScope() async throws {
            try await withTestApp { app in
                let w = try await RegistryAccessTests.world(app)
                let browser = Browser(app)
                try await browser.login("unit1", "password-1234")
                try await browser.get("/cadres/new")
                let res = try await browser.post("/cadres", ["code": "K21", "name": "新人", "gender": "男", "unitID": w.u1.uuidString, "title": "科员"])
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("「干部编号」K21 不能使用") && !res.body.string.contains("河一"))
                // Inside the scope the holder is named.
                let own = try await browser.post("/cadres", ["code": "K12", "name": "新人", "gender": "男", "unitID": w.u1.uuidString, "title": "科员"])
                #expect(own.body.string.contains("已被「城二」使用"))
                // A unit code outside the scope reads the same whether it exists or not.
                let exists = try await app.rejectedProblems(try Roster.xlsx([Roster.cadre("N1", unit: "U02")]), scope: .units([w.u1]))
                let absent = try await app.rejectedProblems(try Roster.xlsx([Roster.cadre("N1", unit: "U99")]), scope: .units([w.u1]))
                #expect(exists.map { $0.replacingOccurrences(of: "U02", with: "X") } == absent.map { $0.replacingOccurrences(of: "U99", with: "X") })
            }
        }
    }
}

extension KaoheServerTests {
    @Suite("Hardening: the audit chain's anchor")
    struct AuditAnchorTests {
        /// A few audited changes.
        static func history(_ app: Application) async throws {
            for i in 1...4 {
                try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
                    let c = UnitCategory(name: "类别\(i)", sortOrder: 100 + i)
                    try await c.create(on: tx)
                    audit.record(.init(action: .create, entity: .unitCategory, entityID: c.id!.uuidString, after: ["name": c.name]))
                }
            }
        }

        @Test("Rewriting an entry and re-hashing everything after it, head included, is found without the key")
        func rewrittenChainFound() async throws {
            try await withTestApp { app in
                try await Self.history(app)
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: 5))
                // The attack: change entry 3, recompute the hashes of 3…5 and the head (all a database writer can do).
                let rows = try await app.sql.raw("SELECT * FROM audit_entries ORDER BY seq").all(decoding: AuditChain.StoredEntry.self)
                var prev = rows[1].hash
                for row in rows[2...] {
                    var e = row.entry
                    if e.seq == 3 { e.after = #"{"name":"伪造"}"# }
                    e.prevHash = prev
                    e.hash = e.computedHash()
                    prev = e.hash
                    try await app.sql.raw("UPDATE audit_entries SET after = \(bind: e.after), prev_hash = \(bind: e.prevHash), hash = \(bind: e.hash) WHERE seq = \(bind: e.seq)").run()
                }
                try await app.sql.raw("UPDATE audit_head SET hash = \(bind: prev) WHERE id = 1").run()
                guard case .broken(let seq, let problem) = try await AuditChain.verify(on: app.sql, seal: app.auditSeal) else {
                    Issue.record("a rewritten chain verified"); return
                }
                #expect(seq == 3 && problem.contains("密钥签名不符"))
            }
        }

        @Test("Removing the seals does not help: once entries are sealed, every later one must be")
        func strippedSealsFound() async throws {
            try await withTestApp { app in
                try await Self.history(app)
                try await app.sql.raw("UPDATE audit_entries SET mac = NULL WHERE seq >= 4").run()
                guard case .broken(let seq, _) = try await AuditChain.verify(on: app.sql, seal: app.auditSeal) else {
                    Issue.record("stripped seals verified"); return
                }
                #expect(seq == 4)
                // Entries from before the key existed (no seal at the start of the chain) are fine, as long as the head is sealed…
                try await app.sql.raw("UPDATE audit_entries SET mac = NULL").run()
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: 5))
                // …but with the head's seal gone too, a rewritten chain could pass for an old one: refused.
                try await app.sql.raw("UPDATE audit_head SET mac = NULL").run()
                guard case .broken = try await AuditChain.verify(on: app.sql, seal: app.auditSeal) else {
                    Issue.record("a chain without any seal verified while a key is configured"); return
                }
            }
        }

        @Test("A forged entry outside the chain's numbering (seq 0 or less) is found")
        func entryOutsideChain() async throws {
            try await withTestApp { app in
                try await Self.history(app)
                try await app.sql.raw("""
                    INSERT INTO audit_entries (seq, at, actor_id, actor_name, action, entity, entity_id, prev_hash, hash)
                    VALUES (0, '2020-01-01T00:00:00.000Z', 'x', '伪造者', 'create', 'account', 'x', 'x', 'x')
                    """).run()
                guard case .broken(_, let problem) = try await AuditChain.verify(on: app.sql, seal: app.auditSeal) else {
                    Issue.record("a forged seq 0 entry verified"); return
                }
                #expect(problem.contains("不在哈希链中"))
            }
        }

        @Test("Another key (a forged seal) is found at the head")
        func otherKeyFound() async throws {
            try await withTestApp { app in
                try await Self.history(app)
                let other = AuditSeal(key: .init(size: .bits256))
                guard case .broken = try await AuditChain.verify(on: app.sql, seal: other) else { Issue.record("verified with another key"); return }
            }
        }

        @Test("The key lives outside the database: created at first start, mode 0600, reused at the next start")
        func keyFile() async throws {
            let dir = NSTemporaryDirectory() + "kaohe-key-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let path = dir + "/audit.key"
            // A sealed chain never gets a new key: the missing file is an error.
            #expect(throws: AuditSeal.KeyProblem.self) { _ = try AuditSeal.loadOrCreate(at: path, mayCreate: false) }
            #expect(!FileManager.default.fileExists(atPath: path))
            let first = try AuditSeal.loadOrCreate(at: path, mayCreate: true)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let again = try AuditSeal.loadOrCreate(at: path, mayCreate: false)
            #expect(first.entry("abc") == again.entry("abc"))
            try "not hex".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: AuditSeal.KeyProblem.self) { _ = try AuditSeal.load(at: path) }
        }

        @Test("The head is shown for recording outside the system; an earlier head is checked against the chain")
        func headAnchor() async throws {
            try await withTestApp { app in
                try await Self.history(app)
                let head = try #require(try await AuditChain.head(on: app.sql))
                #expect(head.seq == 5 && head.anchor.hasPrefix("5:"))
                #expect(try await AuditChain.contains(seq: 5, hash: head.hash, on: app.sql))
                #expect(try await !AuditChain.contains(seq: 5, hash: String(repeating: "0", count: 64), on: app.sql))
                #expect(try await !AuditChain.contains(seq: 9, hash: head.hash, on: app.sql))
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let page = try await browser.get("/audit?verify=1")
                let now = try #require(try await AuditChain.head(on: app.sql))  // the login was recorded too
                #expect(page.body.string.contains(now.anchor))
            }
        }
    }
}
