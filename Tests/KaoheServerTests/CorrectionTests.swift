import Fluent
import Foundation
@testable import KaoheServer
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    @Suite("Delete and undo by correction; a cadre's own page (issue 8)")
    struct CorrectionTests {
        @Test("A wrongly ended post is reopened with a reason (audited); never a second current main post")
        func reopenPost() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("R1", title: "副镇长", start: "2021-01-01")]))
                let id = try #require(try await app.cadreID("R1"))
                let post = try #require(try await Post.query(on: app.db).filter(\.$cadre.$id == id).first())
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/cadres/\(id)")
                #expect(try await browser.post("/cadres/\(id)/posts/\(post.id!)/end", ["endDate": "2025-01-01", "confirm": "是"]).status == .seeOther)
                #expect(try await app.posts(of: "R1").map(\.end) == ["2025-01-01"])
                // MUT: a reason is required, then it is current again
                #expect(try await browser.post("/cadres/\(id)/posts/\(post.id!)/reopen", ["confirm": "是"]).status == .unprocessableEntity)
                #expect(try await browser.post("/cadres/\(id)/posts/\(post.id!)/reopen", ["reason": "误结束", "confirm": "是"]).status == .seeOther)
                #expect(try await app.posts(of: "R1").map(\.end) == [nil])
                struct E: Decodable { var reason: String? }
                let last = try await app.sql.raw("SELECT reason FROM audit_entries ORDER BY seq DESC LIMIT 1").first(decoding: E.self)
                #expect(last?.reason == "恢复为现任职务：误结束")
                // A later main post exists: the old one cannot become current beside it
                #expect(try await browser.post("/cadres/\(id)/posts", ["unitID": try await Unit.query(on: app.db).first()!.id!.uuidString,
                                                                       "title": "镇长", "startDate": "2025-06-01"]).status == .seeOther)
                let refused = try await browser.post("/cadres/\(id)/posts/\(post.id!)/reopen", ["reason": "再试", "confirm": "是"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("已有现任主职「镇长」（2025-06-01 起）"))
            }
        }

        @Test("A cadre entered by mistake is deleted with a reason; one with post history, facts or an account is not")
        func deleteCadre() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("D1"), Roster.cadre("D2", extra: [.year: 2025, .leaveDays: 3])]))
                let d1 = try #require(try await app.cadreID("D1")), d2 = try #require(try await app.cadreID("D2"))
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/cadres/\(d1)")
                let before = try await RegistryCounts.of(app)
                // MUT
                #expect(try await browser.post("/cadres/\(d1)/delete", ["reason": "重复录入"]).status == .unprocessableEntity)  // not confirmed
                #expect(try await browser.post("/cadres/\(d1)/delete", ["reason": "重复录入", "confirm": "是"]).status == .seeOther)
                let after = try await RegistryCounts.of(app)
                #expect(after.cadres == before.cadres - 1 && after.posts == before.posts - 1 && after.audit == before.audit + 2)
                let refused = try await browser.post("/cadres/\(d2)/delete", ["reason": "试试", "confirm": "是"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("不能删除「张三」：有年度情况记录"))
                #expect(try await app.cadreID("D2") != nil)
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: try await app.count("audit_entries")))
            }
        }

        @Test("A unit entered by mistake is deleted with its team; one with posts is not; a unit leaves an assessment group")
        func deleteUnitAndGroupRemoval() async throws {
            try await withTestApp { app in
                let used = try await app.makeUnit("U01", "城关镇")
                let wrong = try await app.makeUnit("U99", "录错的单位")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("G1")]))
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/units/\(wrong)")
                // MUT
                let refused = try await browser.post("/units/\(used)/delete", ["reason": "试试", "confirm": "是"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("有 1 条职务记录"))
                #expect(try await browser.post("/units/\(wrong)/delete", ["reason": "编码录错", "confirm": "是"]).status == .seeOther)
                #expect(try await Unit.find(wrong, on: app.db) == nil)
                #expect(try await Team.query(on: app.db).filter(\.$unit.$id == wrong).count() == 0)
                // Groups: add, then remove a unit
                try await browser.get("/groups")
                _ = try await browser.post("/groups", ["name": "第一组"])
                let group = try #require(try await AssessmentGroup.query(on: app.db).first())
                _ = try await browser.post("/groups/\(group.id!)/units", ["id": used.uuidString])
                #expect(try await AssessmentGroupUnit.query(on: app.db).count() == 1)
                #expect(try await browser.post("/groups/\(group.id!)/units/remove", ["id": used.uuidString]).status == .seeOther)
                #expect(try await AssessmentGroupUnit.query(on: app.db).count() == 0)
                // A unit administrator may not delete units
                try await app.makeAccount("unit1", role: .unitAdmin, unitID: used)
                let unit = Browser(app)
                try await unit.login("unit1", "password-1234")
                try await unit.get("/units/\(used)")
                #expect(try await unit.post("/units/\(used)/delete", ["reason": "x", "confirm": "是"]).status == .forbidden)
            }
        }

        @Test("A cadre's own page shows posts, results and materials to submit, not 立案审查 or the edit forms")
        func ownPage() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("O1", "赵六", title: "副镇长", extra: [.underInvestigation: "是"])]))
                let id = try #require(try await app.cadreID("O1"))
                try await app.makeAccount("o1", role: .cadre, cadreID: id)
                let browser = Browser(app)
                try await browser.login("o1", "password-1234")
                // MUT
                let page = try await browser.get("/cadres/\(id)").body.string
                #expect(page.contains("我的档案") && page.contains("副镇长") && page.contains("考核结果") && page.contains("需要提交的材料"))
                #expect(!page.contains("立案审查") && !page.contains("结束职务") && !page.contains("删除干部"))
            }
        }
    }
}

extension KaoheServerTests {
    @Suite("Review fixes: old files, scope of deletions, dates, search (issue 8)")
    struct ReviewFixTests {
        @Test("An old file's same-post correction or yearly facts after a later edit are warned; a blank 主要负责人 keeps the flag")
        func staleCorrectionsAndFacts() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let file = try KaoheServerTests.RosterPreviewTests.xlsx(
                    [Roster.cadre("S1", title: "镇长", principal: "是", start: "2021-09-01", extra: [.year: 2025, .leaveDays: 3])],
                    saved: testNoon("2026-11-01"))
                _ = try await app.importRoster(file)  // (the helper's clock: 2026-11-24)
                // After the file was saved: the start date is corrected, leave days edited (the record's time moves on).
                let id = try #require(try await app.cadreID("S1"))
                try await app.sql.update("posts").set("start_date", to: SQLBind("2021-10-08")).where("cadre_id", .equal, SQLBind(id)).run()
                try await app.sql.update("cadre_year_facts").set("leave_days", to: SQLBind(5)).where("cadre_id", .equal, SQLBind(id)).run()
                // MUT
                let plan = try await app.previewRoster(file)
                #expect(plan.warnings.count == 1)
                let message = try #require(plan.warnings.first?.message)
                #expect(message.contains("职务「镇长」任职日期 2021-10-08 → 2021-09-01") && message.contains("2025 年度请假天数 5 → 3"))
                // A blank 主要负责人 keeps the stored flag (a blank never erases)
                let blank = try await app.previewRoster(try Roster.xlsx([Roster.cadre("S1", title: "镇长", principal: "", start: "2021-10-08",
                                                                                       extra: [.year: 2025, .leaveDays: 5])]))
                #expect(blank.isEmpty)
            }
        }

        @Test("A row without 任职日期 naming an ended post is not imported (no post reopened, no current post ended)")
        func blankStartDateAndEndedPost() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("B1", title: "副镇长", start: "2021-01-01")]))
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("B1", title: "镇长", start: "2024-01-01")]))
                // MUT
                let plan = try await app.previewRoster(try Roster.xlsx([Roster.cadre("B1", title: "副镇长", start: .empty)]))
                #expect(plan.isEmpty && plan.warnings.first?.message.contains("如确为重新任职，请填写任职日期") == true)
            }
        }

        @Test("A unit administrator cannot delete a cadre whose main post is in another unit")
        func deleteOutsideScope() async throws {
            try await withTestApp { app in
                let u1 = try await app.makeUnit("U01", "城关镇")
                try await app.makeUnit("U02", "河口乡")
                _ = try await app.importRoster(try Roster.xlsx([
                    Roster.cadre("X1", unit: "U02", title: "乡长"),
                    Roster.cadre("X1", unit: "U01", title: "联络员", extra: [.mainDuty: "兼职"]),
                ]))
                try await app.makeAccount("unit1", role: .unitAdmin, unitID: u1)
                let id = try #require(try await app.cadreID("X1"))
                let browser = Browser(app)
                try await browser.login("unit1", "password-1234")
                try await browser.get("/cadres/\(id)")
                // MUT
                #expect(try await browser.post("/cadres/\(id)/delete", ["reason": "误录", "confirm": "是"]).status == .forbidden)
                #expect(try await app.cadreID("X1") != nil)
            }
        }

        @Test("Reopening a post that a later main post followed is refused (two main posts would overlap)")
        func reopenOverlap() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("L1", title: "副镇长", start: "2015-01-01")]))
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("L1", title: "镇长", start: "2020-01-01")]))
                let id = try #require(try await app.cadreID("L1"))
                let current = try #require(try await Post.query(on: app.db).filter(\.$cadre.$id == id).filter(\.$endDate == nil).first())
                try await app.sql.update("posts").set("end_date", to: SQLBind("2023-01-01")).where("id", .equal, SQLBind(current.id!)).run()
                let first = try #require(try await Post.query(on: app.db).filter(\.$cadre.$id == id).filter(\.$title == "副镇长").first())
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/cadres/\(id)")
                // MUT
                let refused = try await browser.post("/cadres/\(id)/posts/\(first.id!)/reopen", ["reason": "误结束", "confirm": "是"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("还任过主职「镇长」（2020-01-01 起）"))
            }
        }

        @Test("Dates: 1978.05 as an Excel number; 1978.1 is ambiguous; a time after 日; no garbage after a separator")
        func moreDates() {
            #expect(SheetCell.date(.number(1978.05), monthAllowed: true) == .value("1978-05"))
            #expect(SheetCell.date(.number(1978.12), monthAllowed: true) == .value("1978-12"))
            guard case .invalid(let why) = SheetCell.date(.number(1978.1), monthAllowed: true) else { Issue.record("1978.1 accepted"); return }
            #expect(why.contains("分不清 1 月还是 10 月"))
            #expect(SheetCell.date("2022年3月5日 10:00") == .value("2022-03-05"))
            #expect(SheetCell.date("2022-03-05T08:00:00") == .value("2022-03-05"))
            for bad: CellValue in ["2022-03- xyz", "2022年3月5日5", "- 2022"] {
                guard case .invalid = SheetCell.date(bad, monthAllowed: true) else { Issue.record("\(bad) accepted"); continue }
            }
        }

        @Test("Search finds names with a space between words and names stored with spaces before normalisation")
        func searchWithSpaces() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("N1", "Ahmat Tursun"), Roster.cadre("N2", "李娜")]))
                try await app.sql.update("cadres").set("name", to: SQLBind("李 娜")).where("code", .equal, SQLBind("N2")).run()
                for (q, code) in [("Ahmat Tursun", "N1"), ("李娜", "N2"), ("李 娜", "N2")] {
                    let rows = try await CadreQueries.list(CadreFilter(q: q), scopeUnits: nil, page: 1, today: "2026-11-24", on: app.sql).rows
                    #expect(rows.map(\.code) == [code], "\(q)")
                }
            }
        }

        @Test("A unit that an account has as its 考核责任单位 is not deleted (a clear refusal, not a database error)")
        func deleteScoringUnit() async throws {
            try await withTestApp { app in
                let unit = try await app.makeUnit("U09", "县考核办")
                try await app.sql.update("accounts").set("scoring_unit_id", to: SQLBind(unit)).where("username", .equal, SQLBind("admin")).run()
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/units/\(unit)")
                // MUT
                let refused = try await browser.post("/units/\(unit)/delete", ["reason": "试试", "confirm": "是"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("考核责任单位"))
            }
        }
    }
}

extension KaoheServerTests.CorrectionTests {
    @Test("A current post entered by mistake is deleted with a reason and the main post it ended is current again; history is never deleted")
    func deleteWrongPost() async throws {
        try await withTestApp { app in
            let u1 = try await app.makeUnit("U01", "城关镇")
            _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("W1", title: "副镇长", start: "2021-01-01")]))
            let id = try #require(try await app.cadreID("W1"))
            let browser = Browser(app)
            try await browser.login("admin", testAdminPassword)
            try await browser.get("/cadres/\(id)")
            #expect(try await browser.post("/cadres/\(id)/posts", ["unitID": u1.uuidString, "title": "镇长（录错）", "startDate": "2025-03-01"]).status == .seeOther)
            #expect(try await app.posts(of: "W1").map(\.end) == ["2025-03-01", nil])
            let wrong = try #require(try await Post.query(on: app.db).filter(\.$cadre.$id == id).filter(\.$endDate == nil).first())
            let history = try #require(try await Post.query(on: app.db).filter(\.$cadre.$id == id).filter(\.$endDate != nil).first())
            // MUT
            #expect(try await browser.post("/cadres/\(id)/posts/\(wrong.id!)/delete", ["reason": "职务录错", "confirm": "是"]).status == .seeOther)
            let posts = try await app.posts(of: "W1")
            #expect(posts.map(\.title) == ["副镇长"] && posts.map(\.end) == [nil])
            // An ended post is history: not deleted
            #expect(try await browser.post("/cadres/\(id)/posts/\(history.id!)/end", ["endDate": "2026-01-01", "confirm": "是"]).status == .seeOther)
            let refused = try await browser.post("/cadres/\(id)/posts/\(history.id!)/delete", ["reason": "x", "confirm": "是"])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("已结束的职务是任免历史，不能删除"))
            #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: try await app.count("audit_entries")))
        }
    }
}

extension KaoheServerTests.ReviewFixTests {
    @Test("Hostile values on the new inputs are answered, never a crash: huge pages and numbers, long fields, garbage dates and digests")
    func hostileInputs() async throws {
        try await withTestApp { app in
            try await app.makeUnit("U01", "城关镇")
            _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("H1")]))
            let id = try #require(try await app.cadreID("H1"))
            let post = try #require(try await Post.query(on: app.db).filter(\.$cadre.$id == id).first())
            let browser = Browser(app)
            try await browser.login("admin", testAdminPassword)
            let preview = try await browser.previewRoster(try Roster.xlsx([Roster.cadre("H2")]))
            let form = try #require(Browser.confirmForm(in: preview.body.string))
            let draft = String(form.action.dropLast("/confirm".count))
            let long = String(repeating: "长", count: 100_000)
            // MUT
            #expect(try await browser.get(draft + "?page=999999999999999999999").status == .ok)
            #expect(try await browser.get(draft + "?page=-5").status == .ok)
            #expect(try await browser.get("/audit?from=2026-99-99&to=x&person=\(String(repeating: "a", count: 5000))&unit=U").status == .ok)
            // A NUL (PostgreSQL cannot take one) in a query or a form is refused in Chinese, on both databases
            #expect(try await browser.get("/audit?unit=%00").status == .unprocessableEntity)
            #expect(try await browser.get("/cadres?q=%E7%8E%8B%00").status == .unprocessableEntity)
            let badDigest = try await browser.post(form.action, ["digest": long])
            #expect(badDigest.status == .seeOther)  // treated as changed: shown again, nothing written
            #expect(try await app.cadreID("H2") == nil)
            try await browser.get("/cadres/\(id)")
            let bigOrder = try await browser.post("/cadres/\(id)/posts", ["unitID": try await Unit.query(on: app.db).first()!.id!.uuidString,
                                                                          "title": "镇长", "startDate": "2026-01-01", "orderNumber": "99999999999999999999999"])
            #expect(bigOrder.status == .unprocessableEntity)
            let bigReason = try await browser.post("/cadres/\(id)/posts/\(post.id!)/delete", ["reason": long, "confirm": "是"])
            #expect(bigReason.status == .unprocessableEntity)
            try await browser.get("/cadres/\(id)/edit")
            let bigRecord = try await browser.post("/cadres/\(id)", ["code": "H1", "name": "张三", "gender": "男", "record[idNumber]": long,
                                                                     "record[ethnicity]": long, "record[workStart]": "-1"])
            #expect(bigRecord.status == .unprocessableEntity)
            try await browser.get("/cadres/\(id)/edit")
            #expect(try await browser.post("/cadres/\(id)", ["code": "H1", "name": "张\u{0}三", "gender": "男"]).status == .unprocessableEntity)
            #expect(try await browser.get("/healthz").status == .ok)
            #expect(try await Cadre.find(id, on: app.db)?.ethnicity == "")
        }
    }
}
