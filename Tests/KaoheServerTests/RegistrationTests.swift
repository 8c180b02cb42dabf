import AssessmentCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 11 (the 登记表 data) and issue 12 (its print view): seed 001 §三(一) 《县管干部年度考核登记表》由考核对象和
    /// 单位政工人事部门共同填写 — the cadre the 个人总结, the unit the training and the 党委（党组）确定的考核等次意见, which
    /// the grading board shows beside the engine's proposal and counts against the team's quota.
    @Suite("考核登记表: filled by the cadre and the unit (seed 001 §三(一))")
    struct RegistrationTests {
        typealias Evaluation = EvaluationTests

        static func form(_ app: Application, _ code: String) async throws -> Registration.Stored? {
            let campaign = try #require(try await Campaign.query(on: app.db).first()?.id)
            let id = try #require(try await app.cadreID(code))
            return try await Registration.load(campaign: campaign, cadres: [id], on: app.sql)[id]
        }

        @Test("Seed 001 §三(一): the cadre writes only their own 个人总结; a blank keeps it, 清空 clears it; the audit keeps its length and hash, not the text")
        func cadreSummary() async throws {
            try await withTestApp { app in
                let (org, _) = try await Evaluation.campaignAndSession(app)
                let campaign = try #require(try await Campaign.query(on: app.db).first()?.id)
                _ = try await app.makeAccount("c03", role: .cadre, cadreID: try await app.cadreID("C03"))
                let cadre = Browser(app)
                try await cadre.login("c03", "password-1234")
                #expect(try await cadre.get(SiteRoute.home.path).body.string.contains("填写干部年度考核登记表"))
                let path = SiteRoute.campaignRegistration(campaign).path
                // Another cadre's id in the URL still shows the cadre's own form.
                let page = try await cadre.get(path + "?cadre=" + (try #require(try await app.cadreID("C04"))).uuidString).body.string
                #expect(page.contains("干部3") && !page.contains("干部4") && page.contains("个人总结"))
                let c03 = try #require(try await app.cadreID("C03")).uuidString
                let summary = "一年来，认真履行岗位职责，完成各项工作任务。"
                #expect(try await cadre.post(path, ["cadre": c03, "summary": summary]).status == .seeOther)
                #expect(try await Self.form(app, "C03")?.summary == summary)
                // The unit's part is not the cadre's: nothing else to save.
                let grade = try await cadre.post(path, ["cadre": c03, "unitGrade": "优秀"])
                #expect(grade.status == .unprocessableEntity && grade.body.string.contains("没有要保存的内容"))
                #expect(try await Self.form(app, "C03")?.unit_grade == nil)
                // A blank keeps; 清空 clears.
                #expect(try await cadre.post(path, ["cadre": c03, "summary": "  "]).status == .unprocessableEntity)
                #expect(try await Self.form(app, "C03")?.summary == summary)
                #expect(try await cadre.post(path, ["cadre": c03, "summary": "", "clearSummary": "是"]).status == .seeOther)
                #expect(try await Self.form(app, "C03")?.summary == "")
                let long = try await cadre.post(path, ["cadre": c03, "summary": String(repeating: "字", count: 2001)])
                #expect(long.status == .unprocessableEntity && long.body.string.contains("最多 2000"))
                let audit = try await app.sql.raw("SELECT after FROM audit_entries WHERE after LIKE \(bind: "%\"registration\":%")").all()
                #expect(audit.count == 2)
                for row in audit { #expect(!(try row.decode(column: "after", as: String.self)).contains("认真履行")) }
                // The print view is the cadre's own, marked as a draft.
                let print = try await cadre.get(SiteRoute.campaignRegistrationPrint(campaign).path + "?cadre=" + (try #require(try await app.cadreID("C04"))).uuidString).body.string
                #expect(print.contains("干部2026年度考核登记表") && print.contains("干部3") && !print.contains("干部4") && print.contains("草稿"))
                _ = org
            }
        }

        @Test("The unit's administrator fills training and the unit's grade for its own cadres only; the board shows the unit's opinion beside the grade and counts it against the team's quota (R-Q2)")
        func unitPart() async throws {
            try await withTestApp { app in
                let (org, _) = try await Evaluation.campaignAndSession(app)
                let campaign = try #require(try await Campaign.query(on: app.db).first()?.id)
                let u02 = try await app.makeUnit("U02", "河西镇")
                _ = try await app.makeAccount("u01", role: .unitAdmin, unitID: try await WorkflowTests.unitID(app, "U01"))
                _ = try await app.makeAccount("u02", role: .unitAdmin, unitID: u02)
                let unit = Browser(app), other = Browser(app)
                try await unit.login("u01", "password-1234")
                try await other.login("u02", "password-1234")
                let path = SiteRoute.campaignRegistration(campaign).path
                let list = try await unit.get(path).body.string
                #expect(list.contains("个人总结 0/6") && list.contains("打印本单位全部登记表"))
                for code in ["C01", "C02", "C03"] {
                    let id = try #require(try await app.cadreID(code)).uuidString
                    try await unit.get(path + "?cadre=" + id)
                    let saved = try await unit.post(path, ["cadre": id, "training": "2026年5月 县委党校中青班 1 个月", "unitGrade": "优秀"])
                    #expect(saved.status == .seeOther, "\(saved.body.string.prefix(400))")
                }
                #expect(try await Self.form(app, "C01")?.unit_grade == "优秀")
                // The cadre's summary is not the unit's to write.
                let c01 = try #require(try await app.cadreID("C01")).uuidString
                _ = try await unit.post(path, ["cadre": c01, "summary": "代写", "unitGrade": "称职"])
                let c01form = try await Self.form(app, "C01")
                #expect(c01form?.summary == "" && c01form?.unit_grade == "称职")
                let bad = try await unit.post(path, ["cadre": c01, "unitGrade": "特优"])
                #expect(bad.status == .unprocessableEntity && bad.body.string.contains("请选择"))
                // Withdrawn, then given again.
                #expect(try await unit.post(path, ["cadre": c01, "unitGrade": "撤回"]).status == .seeOther)
                #expect(try await Self.form(app, "C01")?.unit_grade == nil)
                #expect(try await unit.post(path, ["cadre": c01, "unitGrade": "优秀"]).status == .seeOther)
                // Another unit's administrator sees and changes nothing of U01's.
                #expect(try await other.get(path + "?cadre=" + c01).status == .notFound)
                try await other.get(path)
                #expect(try await other.post(path, ["cadre": c01, "training": "x"]).status == .notFound)
                #expect(try await other.get(SiteRoute.campaignRegistrationPrint(campaign).path + "?unit=" + (try await WorkflowTests.unitID(app, "U01")).uuidString).status == .notFound)
                // The board: the unit's opinion beside each grade, three 优秀 against the team's cap.
                let board = try await org.get(SiteRoute.campaignResult(campaign).path).body.string
                #expect(board.contains("单位意见：优秀") && board.contains("单位（党委、党组）等次意见：优秀 3 人"))
                #expect(board.contains("单位意见超出"))
                // The unit's print: every assessed cadre, one form each.
                let print = try await unit.get(SiteRoute.campaignRegistrationPrint(campaign).path + "?unit=" + (try await WorkflowTests.unitID(app, "U01")).uuidString).body.string
                #expect(print.components(separatedBy: "<article class=\"registration\">").count - 1 == 6)
                #expect(print.contains("县委党校中青班"))
            }
        }
    }
}
