import Fluent
import Foundation
@testable import KaoheServer
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    @Suite("Registry access and pages")
    struct RegistryAccessTests {
        /// Two units with two cadres each; accounts: 单位管理员 of U01, 考核组成员 of a group assessing U02, 干部 K11.
        struct World {
            var u1: UUID, u2: UUID
            var k11: UUID, k12: UUID, k21: UUID, k22: UUID
        }

        static func world(_ app: Application) async throws -> World {
            let u1 = try await app.makeUnit("U01", "城关镇")
            let u2 = try await app.makeUnit("U02", "河口乡")
            _ = try await app.importRoster(try Roster.xlsx([
                Roster.cadre("K11", "城一", unit: "U01", title: "党委书记", principal: "是"), Roster.cadre("K12", "城二", unit: "U01"),
                Roster.cadre("K21", "河一", unit: "U02", title: "乡长", principal: "是"), Roster.cadre("K22", "河二", unit: "U02"),
            ]))
            let w = World(u1: u1, u2: u2, k11: try await app.cadreID("K11")!, k12: try await app.cadreID("K12")!,
                          k21: try await app.cadreID("K21")!, k22: try await app.cadreID("K22")!)
            try await app.makeAccount("unit1", role: .unitAdmin, unitID: u1)
            let member = try await app.makeAccount("member", role: .groupMember)
            let group = AssessmentGroup(name: "第一考核组")
            try await group.create(on: app.db)
            let gu = AssessmentGroupUnit(); gu.$group.id = group.id!; gu.$unit.id = u2
            try await gu.create(on: app.db)
            let gm = AssessmentGroupMember(); gm.$group.id = group.id!; gm.$account.id = member.id!
            try await gm.create(on: app.db)
            try await app.makeAccount("k11", role: .cadre, cadreID: w.k11)
            return w
        }

        static func exportedCodes(_ res: TestingHTTPResponse) throws -> [String] {
            let data = Data(buffer: res.body)
            let sheet = try #require(try XLSXReader.read(data, sheet: "干部"))
            return sheet.rows.dropFirst().map { $0[0].textValue }
        }

        @Test("单位管理员: 404 for another unit's cadre and unit by URL; lists and export show only the own unit")
        func unitAdminScope() async throws {
            try await withTestApp { app in
                let w = try await Self.world(app)
                let browser = Browser(app)
                try await browser.login("unit1", "password-1234")
                // MUT / validate
                #expect(try await browser.get("/cadres/\(w.k21)").status == .notFound)
                #expect(try await browser.get("/cadres/\(w.k21)/edit").status == .notFound)
                #expect(try await browser.get("/units/\(w.u2)").status == .notFound)
                #expect(try await browser.get("/cadres/\(w.k11)").status == .ok)
                let list = try await browser.get("/cadres")
                #expect(list.status == .ok)
                #expect(list.body.string.contains("城一") && list.body.string.contains("城二"))
                #expect(!list.body.string.contains("河一") && !list.body.string.contains("河二"))
                #expect(list.body.string.contains("共 2 人"))
                let units = try await browser.get("/units")
                #expect(units.body.string.contains("城关镇") && !units.body.string.contains("河口乡"))
                let export = try await browser.get("/roster/export.xlsx")
                #expect(export.status == .ok)
                #expect(try Self.exportedCodes(export) == ["K11", "K12"])
                // filter by another unit: still nothing of it
                let sneaky = try await browser.get("/roster/export.xlsx?unit=\(w.u2)")
                #expect(try Self.exportedCodes(sneaky) == [])
                // writes on another unit's cadre: 404, no change
                let before = try await RegistryCounts.of(app)
                #expect(try await browser.post("/cadres/\(w.k21)", ["code": "K21", "name": "改名", "gender": "男"]).status == .notFound)
                #expect(try await browser.post("/cadres/\(w.k21)/facts", ["year": "2025", "leaveDays": "3"]).status == .notFound)
                // may not create units, nor cadres in another unit
                #expect(try await browser.post("/units", ["code": "U09", "name": "新单位"]).status == .forbidden)
                let other = try await browser.post("/cadres", ["code": "N1", "name": "新人", "gender": "男", "unitID": w.u2.uuidString, "title": "科员"])
                #expect(other.status == .unprocessableEntity)
                #expect(other.body.string.contains("只能是您有权管理的单位"))
                #expect(try await RegistryCounts.of(app) == before)
                // own unit: allowed
                let own = try await browser.post("/cadres/\(w.k12)", ["code": "K12", "name": "城二改", "gender": "女"])
                #expect(own.status == .seeOther)
                #expect(try await Cadre.find(w.k12, on: app.db)?.name == "城二改")
            }
        }

        @Test("考核组成员 sees only the units of their groups, read-only; 干部 sees only their own record")
        func groupMemberAndCadreScope() async throws {
            try await withTestApp { app in
                let w = try await Self.world(app)
                let member = Browser(app)
                try await member.login("member", "password-1234")
                let list = try await member.get("/cadres")
                #expect(list.body.string.contains("河一") && !list.body.string.contains("城一"))
                #expect(try await member.get("/cadres/\(w.k11)").status == .notFound)
                #expect(try await member.get("/cadres/\(w.k21)").status == .ok)
                #expect(try await member.get("/units/\(w.u2)").status == .ok)
                #expect(try await member.get("/units/\(w.u1)").status == .notFound)
                #expect(try Self.exportedCodes(try await member.get("/roster/export.xlsx")) == ["K21", "K22"])
                #expect(try await member.post("/cadres/\(w.k21)", ["code": "K21", "name": "改", "gender": "男"]).status == .forbidden)
                #expect(try await member.get("/roster/import").status == .forbidden)

                let cadre = Browser(app)
                try await cadre.login("k11", "password-1234")
                #expect(try await cadre.get("/cadres/\(w.k11)").status == .ok)
                #expect(try await cadre.get("/cadres/\(w.k12)").status == .notFound)
                #expect(try await cadre.get("/cadres").status == .forbidden)
                #expect(try await cadre.get("/roster/export.xlsx").status == .forbidden)
            }
        }

        @Test("Registry writes without the CSRF token are rejected and change nothing")
        func csrf() async throws {
            try await withTestApp { app in
                let w = try await Self.world(app)
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let categoryID = try await UnitCategory.query(on: app.db).first()!.id!.uuidString
                let before = try await RegistryCounts.of(app)
                #expect(try await browser.post("/units", ["code": "U09", "name": "新单位", "categoryID": categoryID], withCSRF: false).status == .forbidden)
                #expect(try await browser.post("/cadres/\(w.k11)", ["code": "K11", "name": "改", "gender": "男"], withCSRF: false).status == .forbidden)
                #expect(try await browser.post("/cadres/\(w.k11)/posts", ["unitID": w.u2.uuidString, "title": "x"], withCSRF: false).status == .forbidden)
                #expect(try await RegistryCounts.of(app) == before)
            }
        }

        @Test("Units: creating a unit creates its 领导班子 and audit entries; edit; categories are data")
        func unitPages() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                #expect(try await browser.get("/units/new").status == .ok)
                let categoryID = try await UnitCategory.query(on: app.db).filter(\.$name == "县直单位").first()!.id!.uuidString
                let before = try await RegistryCounts.of(app)
                // MUT
                let res = try await browser.post("/units", ["code": "U10", "name": "县教育局", "categoryID": categoryID])
                // validate
                #expect(res.status == .seeOther)
                let unit = try #require(try await Unit.query(on: app.db).filter(\.$code == "U10").first())
                #expect(try await Team.query(on: app.db).filter(\.$unit.$id == unit.id!).first()?.name == "县教育局领导班子")
                let after = try await RegistryCounts.of(app)
                #expect(after.units == before.units + 1 && after.teams == before.teams + 1 && after.audit == before.audit + 2)
                // duplicate code refused
                let dup = try await browser.post("/units", ["code": "U10", "name": "重复", "categoryID": categoryID])
                #expect(dup.status == .unprocessableEntity && dup.body.string.contains("已被「县教育局」使用"))
                // edit; a unit cannot be its own parent
                let selfParent = try await browser.post("/units/\(unit.id!)", ["code": "U10", "name": "县教育局", "categoryID": categoryID, "parentID": unit.id!.uuidString])
                #expect(selfParent.status == .unprocessableEntity)
                #expect(try await browser.post("/units/\(unit.id!)", ["code": "U10", "name": "县教育体育局", "categoryID": categoryID]).status == .seeOther)
                #expect(try await Unit.find(unit.id, on: app.db)?.name == "县教育体育局")
                #expect(try await browser.get("/units/\(unit.id!)").body.string.contains("县教育体育局"))
                #expect(try await browser.get("/units/\(unit.id!)/edit").status == .ok)
                // categories
                #expect(try await browser.post("/units/categories", ["name": "开发区"]).status == .seeOther)
                #expect(try await UnitCategory.query(on: app.db).filter(\.$name == "开发区").count() == 1)
                #expect(try await browser.get("/units?q=教育").body.string.contains("县教育体育局"))
            }
        }

        @Test("Cadres: create, edit status facts, new main post ends the old one (history kept), end a post, yearly facts")
        func cadrePages() async throws {
            try await withTestApp { app in
                let w = try await Self.world(app)
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                #expect(try await browser.get("/cadres/new").status == .ok)
                // create with a bad date: every problem named
                let bad = try await browser.post("/cadres", ["code": "", "name": "钱七", "gender": "男", "birthDate": "1980-02-30",
                                                             "unitID": w.u1.uuidString, "title": "副镇长"])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("「干部编号」：必填，不能为空") && bad.body.string.contains("「出生日期」：「1980-02-30」不是有效日期"))
                let created = try await browser.post("/cadres", ["code": "Q1", "name": "钱七", "gender": "男", "birthDate": "1980/2/3",
                                                                 "unitID": w.u1.uuidString, "title": "副镇长", "startDate": "2023-01-01"])
                #expect(created.status == .seeOther)
                let q1 = try #require(try await app.cadreID("Q1"))
                // edit: status facts
                let edit = try await browser.post("/cadres/\(q1)", ["code": "Q1", "name": "钱七", "gender": "男", "birthDate": "1980-02-03",
                                                                    "retiredOn": "2040-02-03", "underInvestigation": "是", "awaitingAssignment": "是"])
                #expect(edit.status == .seeOther)
                let c = try #require(try await Cadre.find(q1, on: app.db))
                #expect(c.underInvestigation && c.awaitingAssignment && !c.villageTeam && c.retiredOn == "2040-02-03")
                // new main post in U02 from 2025-05-01: the old main post ends that day
                #expect(try await browser.post("/cadres/\(q1)/posts", ["unitID": w.u2.uuidString, "title": "乡长", "principal": "是",
                                                                       "mainDuty": "主职", "startDate": "2025-05-01"]).status == .seeOther)
                // a concurrent post does not end the main post
                #expect(try await browser.post("/cadres/\(q1)/posts", ["unitID": w.u1.uuidString, "title": "联络员",
                                                                       "mainDuty": "兼职", "startDate": "2025-06-01"]).status == .seeOther)
                var posts = try await Post.query(on: app.db).filter(\.$cadre.$id == q1).sort(\.$startDate).all()
                #expect(posts.map(\.title) == ["副镇长", "乡长", "联络员"])
                #expect(posts.map(\.endDate) == ["2025-05-01", nil, nil])
                // end the concurrent post
                let concurrent = posts[2]
                #expect(try await browser.post("/cadres/\(q1)/posts/\(concurrent.id!)/end", ["endDate": "2025-12-31"]).status == .unprocessableEntity)  // not confirmed
                #expect(try await browser.post("/cadres/\(q1)/posts/\(concurrent.id!)/end", ["endDate": "2025-12-31", "confirm": "是"]).status == .seeOther)
                posts = try await Post.query(on: app.db).filter(\.$cadre.$id == q1).sort(\.$startDate).all()
                #expect(posts[2].endDate == "2025-12-31")
                // yearly facts, then update them
                #expect(try await browser.post("/cadres/\(q1)/facts", ["year": "2025", "leaveDays": "40", "secondmentLevel": "省",
                                                                       "secondmentHostUnitID": w.u2.uuidString, "secondmentMonths": "8"]).status == .seeOther)
                #expect(try await browser.post("/cadres/\(q1)/facts", ["year": "2025", "leaveDays": "41"]).status == .seeOther)
                let facts = try await CadreYearFact.query(on: app.db).filter(\.$cadre.$id == q1).all()
                // a blank field keeps the stored value (issue 8): the secondment stays
                #expect(facts.count == 1 && facts[0].leaveDays == 41 && facts[0].secondmentLevel == "省" && facts[0].secondmentMonths == 8)
                let badFact = try await browser.post("/cadres/\(q1)/facts", ["year": "2025", "secondmentLevel": "乡"])
                #expect(badFact.status == .unprocessableEntity)
                #expect(try await browser.get("/cadres/\(q1)/edit").status == .ok)
                // detail page shows current posts, history and facts
                let page = try await browser.get("/cadres/\(q1)")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("职务历史") && page.body.string.contains("副镇长") && page.body.string.contains("2025-05-01"))
                // every change is in the audit chain
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: try await app.count("audit_entries")))
            }
        }

        @Test("Paging on 10,500 cadres: 50 per page with counts, in official order (unit code, post order, appointment, 干部编号)")
        func paging() async throws {
            try await withTestApp { app in
                // setup: 10,500 cadres and their posts in three units, by bulk SQL insert
                let units = [try await app.makeUnit("A01", "甲镇"), try await app.makeUnit("B02", "乙镇"), try await app.makeUnit("C03", "丙镇")]
                var cadres: [[any SQLExpression]] = []
                var posts: [[any SQLExpression]] = []
                let now = Date()
                for i in 0..<10_500 {
                    let id = UUID()
                    cadres.append([SQLBind(id), SQLBind(String(format: "C%05d", i)), SQLBind(String(format: "干部%05d", 10_500 - i)),
                                   SQLBind("男"), SQLBind(String?.none), SQLBind("群众"), SQLBind(""), SQLBind(i % 2 == 0 ? "正科" : "副科"),
                                   SQLBind(String?.none), SQLBind(i == 7), SQLBind(false), SQLBind(false), SQLBind(now), SQLBind(now)])
                    posts.append([SQLBind(UUID()), SQLBind(id), SQLBind(units[i % 3]), SQLBind("科员"), SQLBind(i == 10_499),
                                  SQLBind(true), SQLBind("2020-01-01"), SQLBind(String?.none),
                                  SQLBind(PostOrder.sortKey(title: "科员", principal: i == 10_499, orderNumber: nil))])
                }
                try await SQLBatch.insert(app.sql, "cadres", ["id", "code", "name", "gender", "birth_date", "political_status", "education",
                                                                      "rank", "retired_on", "under_investigation", "village_team", "awaiting_assignment",
                                                                      "created_at", "updated_at"], cadres)
                try await SQLBatch.insert(app.sql, "posts", ["id", "cadre_id", "unit_id", "title", "principal", "main_duty", "start_date", "end_date", "sort_key"], posts)
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                // MUT
                let started = Date()
                let first = try await browser.get("/cadres")
                let elapsed = Date().timeIntervalSince(started)
                // validate
                #expect(first.status == .ok)
                #expect(first.body.string.contains("共 10500 人，第 1 / 210 页"))
                #expect(elapsed < 3, "first page took \(elapsed) s")
                let last = try await browser.get("/cadres?page=210")
                #expect(last.body.string.contains("第 210 / 210 页"))
                let rows = try await CadreQueries.list(CadreFilter(), scopeUnits: nil, page: 1, today: "2026-11-24", on: app.sql)
                #expect(rows.total == 10_500 && rows.rows.count == 50)
                // unit A01 first; its principal (i = 10499 → A01? 10499 % 3 == 2 → C03) — A01 has none: all 科员 appointed the
                // same day, so by 干部编号 (never by name)
                #expect(rows.rows.allSatisfy { $0.unit_code == "A01" })
                #expect(rows.rows.map(\.code) == rows.rows.map(\.code).sorted())
                let c03 = try await CadreQueries.list(CadreFilter(unitID: units[2]), scopeUnits: nil, page: 1, today: "2026-11-24", on: app.sql)
                #expect(c03.total == 3_500 && c03.rows.first?.code == "C10499" && c03.rows.first?.principal == true)
                let page3 = try await CadreQueries.list(CadreFilter(), scopeUnits: nil, page: 3, today: "2026-11-24", on: app.sql)
                #expect(Set(page3.rows.map(\.id)).isDisjoint(with: rows.rows.map(\.id)))
                // filters: rank, status, search, and scope
                let investigation = try await CadreQueries.list(CadreFilter(status: .investigation), scopeUnits: nil, page: 1, today: "2026-11-24", on: app.sql)
                #expect(investigation.rows.map(\.code) == ["C00007"])
                let rank = try await CadreQueries.count(CadreFilter(rank: "正科"), scopeUnits: nil, today: "2026-11-24", on: app.sql)
                #expect(rank == 5_250)
                let search = try await CadreQueries.list(CadreFilter(q: "C0012"), scopeUnits: nil, page: 1, today: "2026-11-24", on: app.sql)
                #expect(search.total == 10)
                let scoped = try await CadreQueries.count(CadreFilter(), scopeUnits: [units[1]], today: "2026-11-24", on: app.sql)
                #expect(scoped == 3_500)
                #expect(try await browser.get("/cadres?q=C0012&rank=%E6%AD%A3%E7%A7%91").body.string.contains("共 5 人"))
            }
        }

        @Test("Export → re-import: the exported roster imports back unchanged (Excel/WPS-readable .xlsx, template layout)")
        func exportRoundTrip() async throws {
            try await withTestApp { app in
                _ = try await Self.world(app)
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let export = try await browser.get("/roster/export.xlsx")
                #expect(export.status == .ok)
                #expect(export.headers.first(name: .contentType) == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                #expect(export.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''") == true)
                let data = Data(buffer: export.body)
                #expect(try Self.exportedCodes(export) == ["K11", "K12", "K21", "K22"])  // unit code, principal first, name
                let before = try await RegistryCounts.of(app)
                // MUT
                let summary = try await app.importRoster(data)
                // validate
                #expect(summary == RosterImportSummary(unchanged: 4))
                #expect(try await RegistryCounts.of(app) == before)
                // filters apply to the export too
                let filtered = try await browser.get("/roster/export.xlsx?q=%E6%B2%B3")  // 河
                #expect(try Self.exportedCodes(filtered) == ["K21", "K22"])
                let template = try await browser.get("/roster/template.xlsx")
                #expect(try XLSXReader.sheetNames(Data(buffer: template.body)) == ["干部", "单位", "说明"])
            }
        }
    }
}
