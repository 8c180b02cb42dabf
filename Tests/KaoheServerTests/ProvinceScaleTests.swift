import Fluent
import Foundation
@testable import KaoheServer
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    /// Issue 15: lists at province scale keep their order and contents while finding pages differently.
    @Suite("Pages at province scale (issue 15)")
    struct ProvinceScaleTests {
        /// 12 units in 3 categories, 4 cadres each (one principal, varied titles and ranks), 2 cadres without a post.
        static func fill(_ app: Application) async throws {
            var units: [[CellValue]] = []
            var rows: [[CellValue]] = []
            let titles = ["副镇长", "党委书记", "组织委员", "科员"]
            for u in 1...12 {
                let code = String(format: "U%02d", u)
                units.append([.text(code), .text("第\(u)镇"), .text(["乡镇街道", "县直单位", "企业"][u % 3]), ""])
                for k in 0..<4 {
                    rows.append(Roster.cadre(String(format: "C%02d%d", 13 - u, k), "干部\(u)-\(k)", unit: code, title: titles[k],
                                             principal: k == 1 ? "是" : "否", start: .text("202\(k)-03-05"),
                                             extra: [.rank: k % 2 == 0 ? "正科" : "副科", .villageTeam: u % 5 == 0 ? "是" : "否"]))
                }
            }
            rows += [Roster.cadre("Z1", "无职甲", unit: "U01"), Roster.cadre("Z2", "无职乙", unit: "U02")]
            _ = try await app.importRoster(try Roster.xlsx(rows, units: units))
            for code in ["Z1", "Z2"] {
                let id = try #require(try await app.cadreID(code))
                try await app.sql.update("posts").set("end_date", to: SQLBind("2025-12-31")).where("cadre_id", .equal, SQLBind(id)).run()
            }
        }

        static func pages(_ f: CadreFilter, skipFrom: Int, cache: CadreListCache? = nil, on app: Application) async throws -> [[String]] {
            var out: [[String]] = []
            for n in 1...30 {
                let (rows, _) = try await CadreQueries.list(f, scopeUnits: nil, page: n, pageSize: 5, today: "2026-11-24",
                                                           cache: cache, unitSkipOffset: skipFrom, on: app.sql)
                if rows.isEmpty { break }
                out.append(rows.map(\.code))
            }
            return out
        }

        @Test("Deep pages found by counting units (skipping whole units) hold the rows that stepping over them finds, in official order")
        func unitSkipKeepsOrder() async throws {
            try await withTestApp { app in
                try await Self.fill(app)
                let category = try #require(try await UnitCategory.query(on: app.db).filter(\.$name == "县直单位").first()?.id)
                for f in [CadreFilter(), CadreFilter(categoryID: category)] {
                    let stepped = try await Self.pages(f, skipFrom: .max, on: app)
                    // MUT: every page after the first found through `startingUnit`
                    let skipped = try await Self.pages(f, skipFrom: 1, on: app)
                    #expect(skipped == stepped)
                    #expect(try await Self.pages(f, skipFrom: 1, cache: CadreListCache(), on: app) == stepped)
                    #expect(!stepped.isEmpty)
                }
                let all = try await Self.pages(CadreFilter(), skipFrom: 1, on: app).flatMap { $0 }
                #expect(all.count == 50)
                // Official order: U01's 党委书记 first, then its 副镇长, 组织委员, 科员; the two without a post last.
                #expect(Array(all.prefix(4)) == ["C121", "C120", "C122", "C123"])
                #expect(Array(all.suffix(2)) == ["Z1", "Z2"])
                let starts = try await CadreQueries.unitStarts(CadreFilter(), on: app.sql)
                #expect(starts.codes.count == 12 && starts.total == 48)
                #expect(starts.start(forOffset: 9)! == ("U03", 8))
                #expect(starts.start(forOffset: 0)! == ("U01", 0) && starts.start(forOffset: 47)! == ("U12", 44))
                #expect(starts.start(forOffset: 48) == nil)
            }
        }

        @Test("Lists filtered on the cadre: the memoised order is the computed one, and any audited change is seen at once")
        func cachedOrderFollowsChanges() async throws {
            try await withTestApp { app in
                try await Self.fill(app)
                let cache = CadreListCache()
                #expect(await cache.orders.count == 0)
                for f in [CadreFilter(q: "干部1"), CadreFilter(rank: "正科"), CadreFilter(status: .villageTeam), CadreFilter(status: .noPost)] {
                    let computed = try await Self.pages(f, skipFrom: .max, on: app)
                    #expect(try await Self.pages(f, skipFrom: .max, cache: cache, on: app) == computed)
                    #expect(try await Self.pages(f, skipFrom: .max, cache: cache, on: app) == computed)  // from the memo
                    #expect(!computed.isEmpty)
                }
                let before = try await CadreQueries.list(CadreFilter(rank: "正科"), scopeUnits: nil, page: 1, today: "2026-11-24",
                                                         cache: cache, on: app.sql)
                // MUT: a re-import changes one cadre's 职级 (audited): the next read sees it, not the memo.
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("C010", "干部12-0", unit: "U12", title: "副镇长",
                                                                              start: "2020-03-05", extra: [.rank: "副科"])]))
                let after = try await CadreQueries.list(CadreFilter(rank: "正科"), scopeUnits: nil, page: 1, today: "2026-11-24",
                                                        cache: cache, on: app.sql)
                #expect(after.total == before.total - 1)
                #expect(await cache.orders.count == 1)  // the older version's four orders dropped
                #expect(!after.rows.map(\.code).contains("C010"))
            }
        }

        @Test("The 职级 filter's options are the ranks in use, each once, in order")
        func ranksInUse() async throws {
            try await withTestApp { app in
                #expect(try await CadreQueries.ranks(on: app.sql).isEmpty)
                try await Self.fill(app)
                #expect(try await CadreQueries.ranks(on: app.sql) == ["副科", "正科"])
            }
        }

        @Test("Above 300 units a unit is typed by its code: list filter, new post, secondment host, 考核组, account; units and accounts are paged")
        func unitsByCode() async throws {
            try await withTestApp { app in
                try await Self.fill(app)
                for i in 13...(UnitQueries.dropDownLimit + 1) { try await app.makeUnit(String(format: "U%03d", i), "第\(i)单位") }
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let list = try await browser.get("/cadres").body.string
                #expect(list.contains("<input name=\"unit\""))
                #expect(!list.contains("第200单位"))
                let u03 = try await browser.get("/cadres?unit=U03").body.string
                #expect(u03.contains("C100") && !u03.contains("C110"))
                #expect(try await browser.get("/cadres?unit=X99").body.string.contains("没有编码为「X99」的单位"))

                let cadre = try #require(try await app.cadreID("C100"))
                let page = try await browser.get("/cadres/\(cadre)").body.string
                #expect(page.contains("<input name=\"unitID\"") && !page.contains("第200单位"))
                // MUT
                let added = try await browser.post("/cadres/\(cadre)/posts", ["unitID": "U200", "title": "兼职委员", "mainDuty": "兼职",
                                                                               "principal": "否", "startDate": "2026-01-01"])
                #expect(added.status == .seeOther)
                #expect(try await app.posts(of: "C100").contains { $0.title == "兼职委员" })
                let refused = try await browser.post("/cadres/\(cadre)/posts", ["unitID": "NOPE", "title": "委员", "mainDuty": "兼职"])
                #expect(refused.body.string.contains("选择或填写单位编码"))
                let facts = try await browser.post("/cadres/\(cadre)/facts", ["year": "2026", "secondmentLevel": "县",
                                                                                "secondmentHostUnitID": "U250", "secondmentMonths": "4"])
                #expect(facts.status == .seeOther)
                let host = try await CadreYearFact.query(on: app.db).filter(\.$cadre.$id == cadre).first()?.$secondmentHost.id
                let u250 = try await Unit.query(on: app.db).filter(\.$code == "U250").first()?.id
                #expect(host != nil && host == u250)

                // 考核组 and 账号: the same text field.
                #expect(try await browser.post("/groups", ["name": "第一考核组"]).status == .seeOther)
                let groups = try await browser.get("/groups").body.string
                #expect(groups.contains("placeholder=\"单位编码\"") && !groups.contains("第200单位"))
                let group = try #require(try await AssessmentGroup.query(on: app.db).first()?.id)
                #expect(try await browser.post("/groups/\(group)/units", ["id": "U123"]).status == .seeOther)
                #expect(try await browser.get("/groups").body.string.contains("第123单位"))
                #expect(try await browser.post("/groups/\(group)/units", ["id": "NOPE"]).body.string.contains("填写单位编码"))
                #expect(!(try await browser.get("/accounts/new").body.string.contains("第200单位")))
                let made = try await browser.post("/accounts", ["username": "clerk123", "displayName": "办事员", "role": "unit",
                                                                "unitID": "U123", "password": "clerk-password-1"])
                #expect(made.status == .seeOther)
                #expect(try await Account.query(on: app.db).filter(\.$username == "clerk123").with(\.$unit).first()?.unit?.code == "U123")
                for i in 0..<120 { try await app.makeAccount(String(format: "user%03d", i), role: .groupMember) }
                let accounts = try await browser.get("/accounts?page=2").body.string
                #expect(accounts.contains("共 122 个账号，第 2 / 2 页") && accounts.contains("user119") && !accounts.contains("user000"))
                #expect(try await browser.get("/accounts?q=user11").body.string.contains("共 10 个账号"))

                let units = try await browser.get("/units?page=2").body.string
                #expect(units.contains("共 301 个单位，第 2 / 4 页"))
                #expect(units.components(separatedBy: "<tr><td>").count - 1 == 100)
                #expect(units.contains("href=\"/units?page=3\""))
                #expect(try await browser.get("/units?page=4").body.string.components(separatedBy: "<tr><td>").count - 1 == 1)
            }
        }

        @Test("Audit pages: by number from the head, and by the next/previous links' cursors, the same entries; filtered too")
        func auditPages() async throws {
            try await withTestApp { app in
                try await Self.fill(app)
                // 250 more entries, every other one on a cadre.
                let records = (0..<250).map { i in
                    AuditRecord(action: .update, entity: i % 2 == 0 ? .cadre : .unit, entityID: UUID().uuidString, before: ["name": "甲"],
                                after: ["name": "乙\(i)"], reason: nil)
                }
                try await AuditChain.append(records, actor: .system, at: testNoon("2026-11-24"), seal: app.auditSeal, on: app.sql)
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                func seqs(_ html: String) -> [Int] {
                    html.components(separatedBy: "<td class=\"seq\">").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
                }
                func nextLink(_ html: String) -> String? {
                    guard let r = html.range(of: "\">下一页</a>"), let s = html[..<r.lowerBound].range(of: "href=\"", options: .backwards)
                    else { return nil }
                    return String(html[s.upperBound..<r.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
                }
                for filter in ["", "&entity=cadre"] {
                    let first = try await browser.get("/audit?page=1" + filter).body.string
                    let byNumber = try await browser.get("/audit?page=2" + filter).body.string
                    let next = try #require(nextLink(first))
                    #expect(next.contains("before="))
                    // MUT
                    let byCursor = try await browser.get(next).body.string
                    #expect(seqs(byCursor) == seqs(byNumber))
                    #expect(seqs(byCursor).count > 0 && seqs(first).count == AuditController.pageSize)
                    #expect(seqs(first).last! > seqs(byCursor).first!)
                    let previous = try #require(byCursor.range(of: "\">上一页</a>").flatMap { r in
                        byCursor[..<r.lowerBound].range(of: "href=\"", options: .backwards).map {
                            String(byCursor[$0.upperBound..<r.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
                        }
                    })
                    #expect(seqs(try await browser.get(previous).body.string) == seqs(first))
                }
            }
        }

        @Test("The roster export streams batch by batch (units a hundred at a time, then those without a main post) and holds the list's pages in order")
        func streamedExport() async throws {
            try await withTestApp { app in
                var units: [[CellValue]] = []
                var rows: [[CellValue]] = []
                for u in 1...130 {
                    let code = String(format: "U%03d", u)
                    units.append([.text(code), .text("第\(u)镇"), "乡镇街道", ""])
                    for k in 0..<3 {
                        rows.append(Roster.cadre(String(format: "E%03d%d", 131 - u, k), k == 0 ? "王\(u)" : "李\(u)-\(k)", unit: code,
                                                 title: k == 1 ? "党委书记" : "科员", principal: k == 1 ? "是" : "否"))
                    }
                }
                _ = try await app.importRoster(try Roster.xlsx(rows, units: units))
                for code in ["E0012", "E1300"] {  // without a main post: listed last
                    let id = try #require(try await app.cadreID(code))
                    try await app.sql.update("posts").set("end_date", to: SQLBind("2025-12-31")).where("cadre_id", .equal, SQLBind(id)).run()
                }
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                for (query, filter) in [("", CadreFilter()), ("?q=%E7%8E%8B", CadreFilter(q: "王"))] {
                    var paged: [String] = []
                    for n in 1...10 {
                        paged += try await CadreQueries.list(filter, scopeUnits: nil, page: n, today: "2026-11-24", on: app.sql).rows.map(\.code)
                    }
                    // MUT
                    let res = try await browser.get("/roster/export.xlsx" + query)
                    #expect(res.status == .ok)
                    let sheet = try #require(try XLSXReader.read(Data(buffer: res.body), sheet: RosterSheet.cadres))
                    let exported = sheet.rows.dropFirst().map { $0[0].textValue }
                    #expect(exported == paged)
                    #expect(exported.count == (filter.q.isEmpty ? 390 : 130))
                }
                let all = try await CadreQueries.all(CadreFilter(), scopeUnits: nil, today: "2026-11-24", on: app.sql).map(\.code)
                #expect(Array(all.prefix(2)) == ["E1301", "E1302"])  // U001: its 党委书记, then its 科员 (E1300 has no main post)
                #expect(Array(all.suffix(2)) == ["E0012", "E1300"])
            }
        }

        @Test("Scope: a memoised list is kept per scope, and a unit typed outside the scope lists nothing and reads as unknown")
        func memoAndTypedUnitKeepScope() async throws {
            try await withTestApp { app in
                try await Self.fill(app)
                let u1 = try #require(try await Unit.query(on: app.db).filter(\.$code == "U01").first()?.id)
                let cache = CadreListCache()
                let f = CadreFilter(rank: "正科")
                // MUT: the same filter under two scopes
                let scoped = try await CadreQueries.list(f, scopeUnits: [u1], page: 1, today: "2026-11-24", cache: cache, on: app.sql)
                let all = try await CadreQueries.list(f, scopeUnits: nil, page: 1, today: "2026-11-24", cache: cache, on: app.sql)
                #expect(scoped.total == 2 && all.total == 24)
                #expect(Set(scoped.rows.map(\.unit_code)) == ["U01"])

                _ = try await app.makeAccount("clerk01", role: .unitAdmin, unitID: u1, password: "clerk-password-01")
                let browser = Browser(app)
                try await browser.login("clerk01", "clerk-password-01")
                let other = try await browser.get("/cadres?unit=U02").body.string
                let unknown = try await browser.get("/cadres?unit=U99").body.string
                #expect(other.contains("没有编码为「U02」的单位（或不在您的管理范围内）") && other.contains("共 0 人"))
                #expect(unknown.contains("没有编码为「U99」的单位（或不在您的管理范围内）"))
                #expect(try await browser.get("/cadres?unit=U01").body.string.contains("共 4 人"))
                let u2 = try #require(try await Unit.query(on: app.db).filter(\.$code == "U02").first()?.id)
                let byID = try await browser.get("/cadres?unit=\(u2)").body.string
                #expect(byID.contains("没有该单位（或不在您的管理范围内）") && byID.contains("共 0 人") && !byID.contains("value=\"U02\""))
            }
        }
    }
}
