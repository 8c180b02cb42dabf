import Fluent
import Foundation
@testable import KaoheServer
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    @Suite("Roster preview before commit (issue 8)")
    struct RosterPreviewTests {
        /// A roster workbook saved at `saved` (its core properties say so, as Excel's do).
        static func xlsx(_ rows: [[CellValue]], saved: Date, units: [[CellValue]]? = nil) throws -> Data {
            var wb = XLSXWorkbook()
            wb.modified = saved
            wb.addSheet(name: "干部", rows: [Roster.header] + rows)
            if let units { wb.addSheet(name: "单位", rows: [RosterUnitColumn.allCases.map { .text($0.rawValue) }] + units) }
            return try wb.data()
        }

        @Test("The preview lists per cadre the fields that change (old → new), posts opened and ended, units created; it writes nothing")
        func previewWritesNothing() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("A1", "甲", title: "副镇长"), Roster.cadre("A2", "乙")]))
                let before = try await RegistryCounts.of(app)
                let file = try Roster.xlsx([
                    Roster.cadre("A1", "甲", title: "镇长", principal: "是", start: "2025-11-01", extra: [.education: "研究生"]),
                    Roster.cadre("A2", "乙"),
                    Roster.cadre("A3", "丙", unit: "U09"),
                ], units: [["U09", "新河镇", "乡镇街道", ""]])
                // MUT
                let plan = try await app.previewRoster(file)
                #expect(try await RegistryCounts.of(app) == before)
                #expect(plan.summary.created == 1 && plan.summary.updated == 1 && plan.summary.unchanged == 1)
                #expect(plan.summary.unitsCreated == 1 && plan.summary.postsOpened == 2 && plan.summary.postsEnded == 1)
                let a1 = try #require(plan.items.first { $0.code == "A1" })
                #expect(a1.action == "更新" && a1.rows == [2])
                #expect(a1.changes.contains("学历：大学本科 → 研究生"))
                #expect(a1.changes.contains("结束职务：城关镇 副镇长（2022-03-05 起，至 2025-11-01）"))
                #expect(a1.changes.contains("新任职务：城关镇 镇长（主职，主要负责人，2025-11-01 起）"))
                #expect(plan.items.first { $0.code == "A2" } == nil)  // unchanged cadres are not listed
                let unit = try #require(plan.items.first { $0.kind == .unit })
                #expect(unit.code == "U09" && unit.action == "新增")
                let a3 = try #require(plan.items.first { $0.code == "A3" })
                #expect(a3.action == "新增" && a3.unit == "新河镇" && a3.changes.contains("新任职务：新河镇 科员（主职，2022-03-05 起）"))
                // The same file planned twice gives the same digest; another file another one.
                #expect(try await app.previewRoster(file).digest == plan.digest)
                #expect(try await app.previewRoster(try Roster.xlsx([Roster.cadre("A2", "乙改")])).digest != plan.digest)
            }
        }

        @Test("An old file never ends a newer post nor reopens an ended one: the row's post is left out and the preview says why")
        func staleFileKeepsPostHistory() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关乡")
                let original = try Self.xlsx([Roster.cadre("S1", "王五", title: "副乡长", start: "2021-09-01"),
                                              Roster.cadre("S2", "赵六", title: "宣传委员", start: "2020-01-01"),
                                              Roster.cadre("S3", "钱七", title: "副乡长", start: "2021-09-01")],
                                             saved: testNoon("2025-10-01"))
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("S1", "王五", title: "副乡长", start: "2021-09-01"),
                                                                Roster.cadre("S2", "赵六", title: "宣传委员", start: "2020-01-01"),
                                                                Roster.cadre("S3", "钱七", title: "乡长", start: "2025-11-01")]))
                // On the web after the file was saved: S1 promoted to 乡长 from 2025-11-01 (the old post ends that day).
                let s1 = try #require(try await app.cadreID("S1"))
                let open = try await PostHistory.openPosts(of: [s1], on: app.sql)[s1] ?? []
                let u01 = try #require(try await Unit.query(on: app.db).filter(\.$code == "U01").first()?.id)
                try await AuditChain.transaction(on: app.db, actor: .system, clock: app.clock, seal: app.auditSeal) { tx, audit in
                    let sql = tx as! any SQLDatabase
                    audit.record(try await PostHistory.endMainPosts(open, newStart: "2025-11-01", reason: "任免", on: sql))
                    audit.record(try await PostHistory.open(PostFields(cadreID: s1, unitID: u01, title: "乡长", principal: true, mainDuty: true,
                                                                       startDate: "2025-11-01"), on: sql).1)
                }
                // S2's 宣传委员 post ended on the web.
                let s2 = try #require(try await app.cadreID("S2"))
                try await app.sql.update("posts").set("end_date", to: SQLBind("2025-06-30")).where("cadre_id", .equal, SQLBind(s2)).run()
                let before = try await RegistryCounts.of(app)

                // MUT: the original file again
                let plan = try await app.previewRoster(original)
                #expect(plan.postEnds.isEmpty && plan.postOpens.isEmpty && plan.isEmpty)
                let messages = plan.warnings.map(\.description)
                #expect(messages.count == 3)
                #expect(messages.contains { $0.hasPrefix("第 2 行「S1 王五」：职务「城关乡 副乡长」在系统中已于 2025-11-01 结束（2021-09-01 起），文件中仍为现任；此行职务未导入") })
                #expect(messages.contains { $0.hasPrefix("第 3 行「S2 赵六」：职务「城关乡 宣传委员」在系统中已于 2025-06-30 结束（2020-01-01 起），文件中仍为现任；此行职务未导入") })
                #expect(messages.contains { $0.hasPrefix("第 4 行「S3 钱七」：文件中的主职「城关乡 副乡长」任职日期 2021-09-01 不晚于系统中的现任主职「城关乡 乡长」（2025-11-01 起）；此行职务未导入") })
                let summary = try await app.importRoster(original)
                #expect(summary.warnings == 3 && summary.postsOpened == 0 && summary.postsEnded == 0)
                #expect(try await RegistryCounts.of(app).posts == before.posts)
                // validate: history consistent — no post both ended and open, none of zero length
                let posts = try await app.posts(of: "S1")
                #expect(posts.map(\.title) == ["副乡长", "乡长"])
                #expect(posts[0].end == "2025-11-01" && posts[1].end == nil)
                #expect(try await app.posts(of: "S2").map(\.end) == ["2025-06-30"])
                #expect(try await app.posts(of: "S3").map(\.title) == ["乡长"])
            }
        }

        @Test("A value edited in the system after the file was saved is named in the preview, with old and new value")
        func staleValueWarned() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let file = try Self.xlsx([Roster.cadre("V1", "李四")], saved: testNoon("2026-11-10"))
                let (clock, _) = OrganisationClock.manual(testNoon("2026-11-20"), timeZone: Settings.defaultTimeZone)
                app.clock = clock
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("V1", "李四")]))
                // On the web on 2026-11-20: 学历 → 研究生.
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let id = try #require(try await app.cadreID("V1"))
                try await browser.get("/cadres/\(id)/edit")
                let saved = try await browser.post("/cadres/\(id)", [
                    "code": "V1", "name": "李四", "gender": "男", "birthDate": "1980-01-02", "politicalStatus": "中共党员",
                    "education": "研究生", "rank": "副科",
                ])
                #expect(saved.status == .seeOther)
                #expect(try await Cadre.find(id, on: app.db)?.education == "研究生")
                // MUT: the file saved on 2026-11-10 says 大学本科
                let plan = try await app.previewRoster(file, at: "2026-11-21")
                #expect(plan.warnings.map(\.description) == [
                    "第 2 行「V1 李四」：系统中该干部的信息于 2026-11-20 12:00 修改过，晚于文件的保存时间 2026-11-10 12:00；确认导入将改动：学历（研究生 → 大学本科）。请核对文件是否为最新版本。",
                ])
                // A file saved after the edit: no warning (the change is still listed).
                let newer = try await app.previewRoster(try Self.xlsx([Roster.cadre("V1", "李四")], saved: testNoon("2026-11-21")), at: "2026-11-21")
                #expect(newer.warnings.isEmpty && newer.items.first?.changes == ["学历：研究生 → 大学本科"])
            }
        }

        @Test("Warnings: a second 主要负责人 of the same kind in a team, a main post moving units")
        func principalAndMoveWarnings() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                try await app.makeUnit("U02", "河口乡")
                _ = try await app.importRoster(try Roster.xlsx([
                    Roster.cadre("P1", "书记甲", title: "党委书记", principal: "是"), Roster.cadre("P2", "镇长乙", title: "镇长", principal: "是"),
                    Roster.cadre("P3", "丙", unit: "U02", title: "副乡长"),
                ]))
                // MUT: P3 comes to U01 as 党委书记 (a second party principal); P4 new 副镇长 (no warning)
                let plan = try await app.previewRoster(try Roster.xlsx([
                    Roster.cadre("P3", "丙", title: "党委书记", principal: "是", start: "2026-01-05"), Roster.cadre("P4", "丁", title: "副镇长"),
                ]))
                let messages = plan.warnings.map(\.description)
                #expect(messages == [
                    "第 2 行「P3 丙」：主职由「河口乡」调至「城关镇」（副乡长 → 党委书记，2026-01-05 起），请核对是否为调动。",
                    "第 2 行「P3 丙」：导入后「城关镇」将有不止一位党组织主要负责人：丙（党委书记）、书记甲（党委书记），请核对。",
                ])
                // The preview page lists them above the changes
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let page = try await browser.previewRoster(try Roster.xlsx([
                    Roster.cadre("P3", "丙", title: "党委书记", principal: "是", start: "2026-01-05"), Roster.cadre("P4", "丁", title: "副镇长"),
                ]))
                #expect(page.body.string.contains("需要核对的提醒（2 条）") && page.body.string.contains("主职由「河口乡」调至「城关镇」"))
                // A 镇长 and a 党委书记 are two kinds: no warning for a new 镇长 once the old one leaves.
                let swap = try await app.previewRoster(try Roster.xlsx([
                    Roster.cadre("P2", "镇长乙", unit: "U02", title: "乡长", principal: "是", start: "2026-01-05"),
                    Roster.cadre("P4", "丁", title: "镇长", principal: "是", start: "2026-01-05"),
                ]))
                #expect(!swap.warnings.contains { $0.message.contains("不止一位") })
            }
        }

        @Test("Web: upload shows the preview (nothing written); 确认导入 commits exactly it; a past-the-end page shows the last")
        func webPreviewAndConfirm() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let before = try await RegistryCounts.of(app)
                let rows = (1...150).map { Roster.cadre("W\($0)", "干部\($0)") }
                // MUT
                let preview = try await browser.previewRoster(try Roster.xlsx(rows))
                #expect(preview.status == .ok)
                let html = preview.body.string
                #expect(html.contains("新增 150 人") && html.contains("尚未写入") && html.contains("确认导入"))
                #expect(html.contains("第 1 / 2 页"))
                #expect(try await RegistryCounts.of(app) == before)
                let form = try #require(Browser.confirmForm(in: html))
                let draftPath = String(form.action.dropLast("/confirm".count))
                #expect(try await browser.get(draftPath + "?page=99").body.string.contains("第 2 / 2 页"))
                let workbook = try await browser.get(draftPath + "/preview.xlsx")
                let sheets = try XLSXReader.read(Data(buffer: workbook.body))
                #expect(sheets.map(\.name) == ["汇总", "提醒", "变动"])
                #expect(sheets[2].rows.count > 150 && sheets[2].rows[1][1] == .text("W1"))
                // CSRF is required to confirm
                #expect(try await browser.post(form.action, ["digest": form.digest], withCSRF: false).status == .forbidden)
                #expect(try await RegistryCounts.of(app) == before)
                let done = try await browser.confirmRoster(preview)
                #expect(done.status == .ok && done.body.string.contains("导入成功：新增 150 人"))
                #expect(try await RegistryCounts.of(app).cadres == 150)
                // The draft is gone: confirming twice does nothing more
                #expect(try await browser.post(form.action, ["digest": form.digest]).status == .notFound)
                #expect(try await RegistryCounts.of(app).cadres == 150)
            }
        }

        @Test("Data changed between preview and confirm: nothing written, the new preview is shown; confirming it commits")
        func changedSincePreview() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("C1", "甲")]))
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let preview = try await browser.previewRoster(try Roster.xlsx([Roster.cadre("C1", "甲", extra: [.rank: "正科"])]))
                #expect(preview.body.string.contains("职级：副科 → 正科"))
                // Someone changes C1's 职级 meanwhile.
                let id = try #require(try await app.cadreID("C1"))
                try await app.sql.update("cadres").set("rank", to: SQLBind("一级主任科员")).where("id", .equal, SQLBind(id)).run()
                let before = try await RegistryCounts.of(app)
                // MUT
                let refused = try await browser.confirmRoster(preview)
                #expect(refused.status == .seeOther)
                #expect(try await RegistryCounts.of(app) == before)
                #expect(try await Cadre.find(id, on: app.db)?.rank == "一级主任科员")
                let again = try await browser.get(try #require(refused.headers.first(name: .location)))
                #expect(again.body.string.contains("预览之后系统中的数据有了变化") && again.body.string.contains("职级：一级主任科员 → 正科"))
                let done = try await browser.confirmRoster(again)
                #expect(done.status == .ok && done.body.string.contains("导入成功"))
                #expect(try await Cadre.find(id, on: app.db)?.rank == "正科")
            }
        }

        @Test("A re-import naming many cadres reads the registry in one pass and plans the same as by IN lists")
        func largeReimport() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let n = SQLBatch.wholeTableThreshold + 10
                let rows = (1...n).map { Roster.cadre("M\($0)", extra: [.year: 2025, .leaveDays: 1]) }
                _ = try await app.importRoster(try Roster.xlsx(rows))
                var changed = rows
                changed[7] = Roster.cadre("M8", extra: [.year: 2025, .leaveDays: 9])
                changed[n - 1] = Roster.cadre("M\(n)", title: "副镇长", start: "2026-01-01", extra: [.year: 2025, .leaveDays: 1])
                // MUT
                let plan = try await app.previewRoster(try Roster.xlsx(changed))
                #expect(plan.summary.updated == 2 && plan.summary.unchanged == n - 2 && plan.summary.postsEnded == 1)
                #expect(plan.items.map(\.code) == ["M8", "M\(n)"])
                #expect(plan.items[0].changes == ["2025 年度：请假天数 1 → 9"])
                // The same two changes planned by IN lists (a file naming few cadres)
                let small = try await app.previewRoster(try Roster.xlsx([changed[7], changed[n - 1]]))
                #expect(small.items.map(\.changes) == plan.items.map(\.changes))
            }
        }

        @Test("A draft is its uploader's: another account gets 404 for its page, workbook, confirm and discard; discard removes it")
        func draftsArePrivate() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                try await app.makeAccount("zzb2", role: .organisationDepartment)
                let owner = Browser(app)
                try await owner.login("admin", testAdminPassword)
                let preview = try await owner.previewRoster(try Roster.xlsx([Roster.cadre("D1")]))
                let form = try #require(Browser.confirmForm(in: preview.body.string))
                let draftPath = String(form.action.dropLast("/confirm".count))
                let other = Browser(app)
                try await other.login("zzb2", "password-1234")
                try await other.get("/roster/import")
                #expect(try await other.get(draftPath).status == .notFound)
                #expect(try await other.get(draftPath + "/preview.xlsx").status == .notFound)
                #expect(try await other.post(form.action, ["digest": form.digest]).status == .notFound)
                #expect(try await other.post(draftPath + "/discard").status == .notFound)
                #expect(try await app.cadreID("D1") == nil)
                // A second upload replaces the first preview (one pending import per account)
                let second = try await owner.previewRoster(try Roster.xlsx([Roster.cadre("D2")]))
                #expect(second.status == .ok)
                #expect(try await app.count("roster_drafts") == 1)
                #expect(try await owner.get(draftPath).status == .notFound)
                let secondPath = String(try #require(Browser.confirmForm(in: second.body.string)).action.dropLast("/confirm".count))
                // MUT: the owner discards
                #expect(try await owner.post(secondPath + "/discard").status == .seeOther)
                #expect(try await owner.get(secondPath).status == .notFound)
                #expect(try await app.count("roster_drafts") == 0)
                #expect(try await app.count("roster_draft_pages") == 0)
                #expect(try await app.cadreID("D1") == nil)
            }
        }

        @Test("Drafts older than a day are removed by the housekeeping")
        func draftsExpire() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let (clock, set) = OrganisationClock.manual(testNoon("2026-11-24"), timeZone: Settings.defaultTimeZone)
                app.clock = clock
                let plan = try await app.previewRoster(try Roster.xlsx([Roster.cadre("E1")]))
                let id = try await RosterDrafts.save(plan, owner: "x", filename: "r.xlsx", content: Data([1]), now: clock.epochSeconds, on: app.sql)
                #expect(try await RosterDrafts.header(id, owner: "x", now: clock.epochSeconds, on: app.sql) != nil)
                #expect(try await RosterDrafts.header(id, owner: "y", now: clock.epochSeconds, on: app.sql) == nil)
                set(testNoon("2026-11-25").addingTimeInterval(60))
                // MUT
                try await Housekeeping.purge(app)
                #expect(try await app.count("roster_drafts") == 0)
                #expect(try await app.count("roster_draft_pages") == 0)
            }
        }

        @Test("The cadre page's yearly-facts form keeps stored values where it is left blank; 清空挂职 removes the secondment")
        func factsFormKeepsValues() async throws {
            try await withTestApp { app in
                let u01 = try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("F1", extra: [
                    .year: 2025, .leaveDays: 12, .secondmentLevel: "市", .secondmentHost: "U01", .secondmentMonths: 7,
                ])]))
                let id = try #require(try await app.cadreID("F1"))
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/cadres/\(id)")
                // MUT: only the leave days
                #expect(try await browser.post("/cadres/\(id)/facts", ["year": "2025", "leaveDays": "3"]).status == .seeOther)
                var fact = try #require(try await CadreYearFact.query(on: app.db).filter(\.$cadre.$id == id).first())
                #expect(fact.leaveDays == 3 && fact.secondmentLevel == "市" && fact.$secondmentHost.id == u01 && fact.secondmentMonths == 7)
                #expect(try await browser.post("/cadres/\(id)/facts", ["year": "2025", "secondmentLevel": CadreRules.clearMarker]).status == .seeOther)
                fact = try #require(try await CadreYearFact.query(on: app.db).filter(\.$cadre.$id == id).first())
                #expect(fact.leaveDays == 3 && fact.secondmentLevel == nil && fact.$secondmentHost.id == nil && fact.secondmentMonths == nil)
            }
        }

        @Test("A new main post on the cadre page must start after the current one (no zero-length post)")
        func newMainPostStartsAfterCurrent() async throws {
            try await withTestApp { app in
                let u01 = try await app.makeUnit("U01", "城关镇")
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("N1", title: "副镇长", start: "2024-05-01")]))
                let id = try #require(try await app.cadreID("N1"))
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/cadres/\(id)")
                // MUT
                let refused = try await browser.post("/cadres/\(id)/posts", ["unitID": u01.uuidString, "title": "镇长", "startDate": "2024-05-01"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("须晚于现任主职「副镇长」的任职日期 2024-05-01"))
                try await browser.get("/cadres/\(id)")
                #expect(try await browser.post("/cadres/\(id)/posts", ["unitID": u01.uuidString, "title": "镇长", "startDate": "2025-05-01"]).status == .seeOther)
                #expect(try await app.posts(of: "N1").map(\.end) == ["2025-05-01", nil])
            }
        }
    }
}
