import Fluent
import Foundation
@testable import KaoheServer
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    @Suite("One clock, shared rules, errors at one place")
    struct ClockAndRulesTests {
        @Test("The clock decides today: a post without a start date, the export's file name, the audit time")
        func clockDecidesToday() async throws {
            try await withTestApp { app in
                // 2026-12-31 23:30 UTC is already 2027-01-01 in Asia/Shanghai: "today" is the organisation's day.
                let instant = Date(timeIntervalSince1970: 1_798_759_800)  // 2026-12-31T23:30:00Z
                app.clock = OrganisationClock.manual(instant, timeZone: Settings.defaultTimeZone).clock
                #expect(app.clock.today.description == "2027-01-01")
                let w = try await app.makeUnit("U01", "城关镇")
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/cadres/new")  // the new session's CSRF token
                let created = try await browser.post("/cadres", ["code": "T1", "name": "钱七", "gender": "男", "unitID": w.uuidString, "title": "副镇长"])
                #expect(created.status == .seeOther)
                let id = try #require(try await app.cadreID("T1"))
                let post = try #require(try await Post.query(on: app.db).filter(\.$cadre.$id == id).first())
                #expect(post.startDate == "2027-01-01")
                let export = try await browser.get("/roster/export.xlsx")
                #expect(export.headers.first(name: .contentDisposition)?.contains("2027-01-01.xlsx") == true)
                struct At: Decodable { var at: String }
                let last = try await app.sql.raw("SELECT at FROM audit_entries ORDER BY seq DESC LIMIT 1").first(decoding: At.self)
                #expect(last?.at == "2026-12-31T23:30:00.000Z")
            }
        }

        @Test("KAOHE_TIME_ZONE sets the organisation's time zone; a wrong name is a configuration error")
        func timeZoneSetting() throws {
            #expect(try Settings.fromEnvironment([:]).timeZone.identifier == "Asia/Shanghai")
            #expect(try Settings.fromEnvironment(["KAOHE_TIME_ZONE": "Asia/Urumqi"]).timeZone.identifier == "Asia/Urumqi")
            #expect(throws: ConfigurationError.self) { try Settings.fromEnvironment(["KAOHE_TIME_ZONE": "Mars/Olympus"]) }
        }

        @Test("Sessions age by the clock: idle past the timeout, the next request goes to the login form")
        func sessionsAgeByTheClock() async throws {
            try await withTestApp { app in
                let (clock, set) = OrganisationClock.manual(Date(timeIntervalSince1970: 1_790_000_000), timeZone: Settings.defaultTimeZone)
                app.clock = clock
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                set(Date(timeIntervalSince1970: 1_790_000_000 + 29 * 60))
                #expect(try await browser.get("/").status == .ok)
                set(Date(timeIntervalSince1970: 1_790_000_000 + (29 + 31) * 60))
                let res = try await browser.get("/")
                #expect(res.status == .seeOther && res.headers.first(name: .location)?.hasPrefix("/login") == true)
            }
        }

        @Test("A request's scope is computed once and kept for the rest of the request")
        func scopeComputedOnce() async throws {
            try await withTestApp { app in
                let unit = try await app.makeUnit("U01", "城关镇")
                let member = try await app.makeAccount("member", role: .groupMember)
                let group = AssessmentGroup(name: "第一考核组")
                try await group.create(on: app.db)
                let link = AssessmentGroupUnit(); link.$group.id = group.id!; link.$unit.id = unit
                try await link.create(on: app.db)
                let gm = AssessmentGroupMember(); gm.$group.id = group.id!; gm.$account.id = member.id!
                try await gm.create(on: app.db)
                let req = Request(application: app, on: app.eventLoopGroup.next())
                req.account = member
                #expect(try await req.scope() == .units([unit]))
                // The group loses the unit during the request: the request keeps the scope it started with…
                try await link.delete(on: app.db)
                #expect(try await req.scope() == .units([unit]))
                // …and the next request sees the change.
                let next = Request(application: app, on: app.eventLoopGroup.next())
                next.account = member
                #expect(try await next.scope() == .units([]))
            }
        }

        @Test("The cadre form and the roster import say the same thing about the same bad field (CadreRules)")
        func sameMessagesFormAndImport() async throws {
            let bad: [RosterColumn: String] = [.birthDate: "1980-02-30", .gender: "未知", .retiredOn: "明年", .underInvestigation: "也许"]
            for (column, value) in bad {
                let imported = Roster.validate([Roster.cadre("M1", extra: [column: .text(value)])]).problems.map(\.description)
                var form = CadreController.CadreForm(code: "M1", name: "张三", gender: "男")
                switch column {
                case .birthDate: form.birthDate = value
                case .gender: form.gender = value
                case .retiredOn: form.retiredOn = value
                default: form.underInvestigation = value
                }
                var row = form.row
                _ = CadreRules.personal(&row)
                let fromForm = row.problems.map(\.description)
                #expect(imported.count == 1 && fromForm.count == 1)
                #expect(imported.first == "第 2 行" + (fromForm.first ?? "-"), "\(column)")
            }
        }

        @Test("The unit form refuses a parent that would make a cycle (one check with the import, UnitHierarchy)")
        func unitFormCycle() async throws {
            try await withTestApp { app in
                let top = try await app.makeUnit("P1", "上级")
                let child = try await app.makeUnit("P2", "下级")
                let category = try #require(try await UnitCategory.query(on: app.db).first()).id!
                try await app.sql.update("units").set("parent_id", to: SQLBind(top)).where("id", .equal, SQLBind(child)).run()
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/units/\(top)/edit")
                let res = try await browser.post("/units/\(top)", ["code": "P1", "name": "上级", "categoryID": category.uuidString,
                                                                   "parentID": child.uuidString])
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("「上级单位」不能是本单位或其下级单位"))
                #expect(try await Unit.find(top, on: app.db)?.$parent.id == nil)
            }
        }

        @Test("UnitHierarchy: the cycle's return point; parents before children")
        func hierarchy() {
            #expect(UnitHierarchy.cycle(from: "A", parentOf: ["A": "B", "B": "C"]) == nil)
            #expect(UnitHierarchy.cycle(from: "A", parentOf: ["A": "B", "B": "A"]) == "A")
            #expect(UnitHierarchy.cycle(from: "A", parentOf: ["A": "B", "B": "C", "C": "B"]) == "B")
            let order = UnitHierarchy.parentsFirst(["C", "A", "B"], parentOf: ["C": "B", "B": "A", "A": "X"])
            #expect(order == ["A", "B", "C"])
        }

        @Test("A new unit gets its 领导班子 from the form and from the import alike, each audited")
        func unitAndTeamAudited() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/units/new")
                let category = try #require(try await UnitCategory.query(on: app.db).first()).id!
                #expect(try await browser.post("/units", ["code": "F1", "name": "表单镇", "categoryID": category.uuidString]).status == .seeOther)
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("I1", unit: "I1U")], units: [["I1U", "导入镇", "乡镇街道", ""]]))
                let teams = try await Team.query(on: app.db).sort(\.$name).all().map(\.name)
                #expect(teams == ["导入镇领导班子", "表单镇领导班子"])
                struct E: Decodable { var entity: String; var n: Int }
                let audited = try await app.sql.raw("SELECT entity, COUNT(*) AS n FROM audit_entries WHERE entity IN ('unit', 'team') GROUP BY entity ORDER BY entity")
                    .all(decoding: E.self)
                #expect(audited.map(\.entity) == ["team", "unit"] && audited.allSatisfy { $0.n == 2 })
            }
        }

        @Test("Errors become pages at one place: status, message, every problem, a way back")
        func errorMapping() {
            let notFound = KaoheErrorMiddleware.describe(RequestFailure.notFound(.cadre))
            #expect(notFound.status == .notFound && notFound.message == "找不到该干部。")
            let denied = KaoheErrorMiddleware.describe(RequestFailure.forbidden(.registryEdit))
            #expect(denied.status == .forbidden && denied.message == "您的账号无权修改干部信息。")
            let invalid = KaoheErrorMiddleware.describe(RequestFailure.invalid(["「职务」：必填，不能为空", "「单位」必选。"]))
            #expect(invalid.status == .unprocessableEntity && invalid.problems.count == 2)
            let rejected = KaoheErrorMiddleware.describe(RosterRejected(problems: [SheetProblem(row: 3, column: "姓名", message: "必填，不能为空")]))
            #expect(rejected.status == .unprocessableEntity && rejected.back == .rosterImport)
            #expect(rejected.problems == ["第 3 行「姓名」：必填，不能为空"] && rejected.message.contains("数据库未做任何修改"))
            let unreadable = KaoheErrorMiddleware.describe(RosterFile.Unreadable(description: "不是 .xlsx 文件"))
            #expect(unreadable.status == .unprocessableEntity && unreadable.message.contains("不是 .xlsx 文件"))
            #expect(KaoheErrorMiddleware.describe(CancellationError()).status == .internalServerError)
        }
    }
}
