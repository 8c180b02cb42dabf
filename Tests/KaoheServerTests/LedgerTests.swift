import AssessmentCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 13, 目标责任考核 (seed 004 第四篇, R-S8): a ledger of events per working body through the year, totalled and
    /// ranked by the engine under the year's rule table.
    @Suite("Target-responsibility ledger (issue 13)")
    struct LedgerTests {
        static func setUp(_ app: Application) async throws -> (org: Browser, a: UUID, b: UUID) {
            app.clock = OrganisationClock.manual(testNoon("2026-12-10"), timeZone: Settings.defaultTimeZone).clock
            let a = try await app.makeUnit("J01", "法制工作委员会", category: "县直单位")
            let b = try await app.makeUnit("J02", "代表工作委员会", category: "县直单位")
            _ = try await app.makeAccount("org", role: .organisationDepartment)
            let org = Browser(app)
            try await org.login("org", "password-1234")
            return (org, a, b)
        }

        static func entry(_ org: Browser, _ unit: UUID, _ kind: String, count: String = "", points: String = "", on: String = "2026-06-01",
                          evidence: String = "机关通报") async throws -> TestingHTTPResponse {
            try await org.post(SiteRoute.ledgerEntries.path, ["unit": unit.uuidString, "year": "2026", "kind": kind, "count": count, "points": points,
                                                              "on": on, "evidence": evidence])
        }

        static func totals(_ app: Application) async throws -> [String: UnitPoints] {
            Dictionary(uniqueKeysWithValues: try await Ledger.points(year: 2026, on: app.sql).points.map { ($0.id, $0) })
        }

        @Test("R-S8: −0.2 per absence with leave, −5 per missed target and per disciplinary case; daily points and innovation divided by the headcount; ranked by total")
        func pointsAndRanking() async throws {
            try await withTestApp { app in
                let (org, a, b) = try await Self.setUp(app)
                try await org.get(SiteRoute.ledgerUnit.path + "?unit=\(a.uuidString)&year=2026")
                #expect(try await org.post(SiteRoute.ledgerHeadcount.path, ["unit": a.uuidString, "year": "2026", "headcount": "4"]).status == .seeOther)
                #expect(try await org.post(SiteRoute.ledgerHeadcount.path, ["unit": b.uuidString, "year": "2026", "headcount": "2"]).status == .seeOther)
                #expect(try await Self.entry(org, a, "studyAbsenceWithLeave", count: "3").status == .seeOther)
                #expect(try await Self.entry(org, a, "missedTarget").status == .seeOther)
                #expect(try await Self.entry(org, a, "specialWorkReport", count: "2").status == .seeOther)
                #expect(try await Self.entry(org, a, "otherInnovation", points: "6").status == .seeOther)
                #expect(try await Self.entry(org, b, "disciplinaryCase").status == .seeOther)
                #expect(try await Self.entry(org, b, "regulationFirstReading").status == .seeOther)
                var t = try await Self.totals(app)
                let ja = try #require(t["J01"]), jb = try #require(t["J02"])
                #expect(abs(ja.common - 39.4) < 1e-9 && ja.targets == 35 && ja.dailyTotal == 16 && ja.dailyPerHead == 4 && ja.innovation == 6)
                #expect(abs(ja.total - 78.4) < 1e-9 && jb.total == 80 && jb.rank == 1 && ja.rank == 2)
                let page = try await org.get(SiteRoute.ledger.path + "?year=2026").body.string
                #expect(page.contains("78.40") && page.contains("80.00"))

                // Refused, each named: innovation without its points, a count that is no number, a date outside the year, no evidence.
                #expect(try await Self.entry(org, a, "otherInnovation").body.string.contains("须填写主任会议决定的分值"))
                #expect(try await Self.entry(org, a, "missedTarget", count: "abc").body.string.contains("「次数"))
                #expect(try await Self.entry(org, a, "missedTarget", count: "1e300").status == .unprocessableEntity)
                #expect(try await Self.entry(org, a, "missedTarget", on: "2025-12-31").body.string.contains("「日期」"))
                #expect(try await Self.entry(org, a, "missedTarget", evidence: "").body.string.contains("「依据」必填"))
                #expect(try await Self.entry(org, a, "nosuch").status == .unprocessableEntity)
                #expect(try await Self.entry(org, a, "missedTarget", points: "100").body.string.contains("「分值」只用于主任会议决定分值的工作创新"))
                #expect(try await org.post(SiteRoute.ledgerHeadcount.path, ["unit": a.uuidString, "year": "2026", "headcount": "0"]).status == .unprocessableEntity)
                #expect(try await org.post(SiteRoute.ledgerHeadcount.path, ["unit": a.uuidString, "year": "2026", "headcount": ""]).status == .seeOther)
                #expect(try await Ledger.bodies(year: 2026, on: app.sql).first { $0.code == "J01" }?.headcount == 4, "a blank keeps")

                // Withdrawn with a reason: no longer counted, still listed.
                let missed = try #require(try await Ledger.entries(year: 2026, unit: a, on: app.sql).first { $0.kind == "missedTarget" })
                #expect(try await org.post(SiteRoute.ledgerEntryWithdraw.path, ["unit": a.uuidString, "year": "2026", "entry": missed.id.uuidString, "reason": ""]).status == .unprocessableEntity)
                #expect(try await org.post(SiteRoute.ledgerEntryWithdraw.path, ["unit": a.uuidString, "year": "2026", "entry": missed.id.uuidString, "reason": "目标经批准调整"]).status == .seeOther)
                t = try await Self.totals(app)
                #expect(t["J01"]?.targets == 40 && abs((t["J01"]?.total ?? 0) - 83.4) < 1e-9 && t["J01"]?.rank == 1)
                #expect(try await org.get(SiteRoute.ledgerUnit.path + "?unit=\(a.uuidString)&year=2026").body.string.contains("已撤销：目标经批准调整"))
                #expect(try await org.post(SiteRoute.ledgerEntryWithdraw.path, ["unit": a.uuidString, "year": "2026", "entry": missed.id.uuidString, "reason": "再次"]).status == .unprocessableEntity)

                // A unit's administrator has no access.
                _ = try await app.makeAccount("u", role: .unitAdmin, unitID: a)
                let unit = Browser(app)
                try await unit.login("u", "password-1234")
                #expect(try await unit.get(SiteRoute.ledger.path).status == .forbidden)
            }
        }

        @Test("The rule table is editable per year (a blank keeps); another year keeps the preset's; each change audited")
        func rulesPerYear() async throws {
            try await withTestApp { app in
                let (org, a, _) = try await Self.setUp(app)
                try await org.get(SiteRoute.ledgerRules.path + "?year=2026")
                #expect(try await org.post(SiteRoute.ledgerHeadcount.path, ["unit": a.uuidString, "year": "2026", "headcount": "4"]).status == .seeOther)
                #expect(try await Self.entry(org, a, "specialWorkReport", count: "2").status == .seeOther)
                #expect(try await Self.totals(app)["J01"]?.dailyPerHead == 2.5)
                #expect(try await org.post(SiteRoute.ledgerRules.path, ["year": "2026", "p.specialWorkReport": "6", "commonBase": "", "targetBase": "abc"]).status == .unprocessableEntity)
                #expect(try await org.post(SiteRoute.ledgerRules.path, ["year": "2026", "p.specialWorkReport": "6", "commonBase": ""]).status == .seeOther)
                let rules = try await Ledger.rules(year: 2026, on: app.sql)
                #expect(rules.items.first { $0.kind == "specialWorkReport" }?.points == 6 && rules.commonBase == 40)
                #expect(try await Self.totals(app)["J01"]?.dailyPerHead == 3)
                #expect(try await Ledger.rules(year: 2025, on: app.sql).items.first { $0.kind == "specialWorkReport" }?.points == 5)
                let logged = try await app.sql.raw("SELECT after FROM audit_entries WHERE entity = 'ledger' AND entity_id = 'rules-2026'").first()
                #expect(try logged?.decode(column: "after", as: String.self).contains("5 → 6") == true)
            }
        }
    }
}
