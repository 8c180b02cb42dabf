import AssessmentCore
import Fluent
import Foundation
import OfficeDocuments
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 12: the campaign's documents, each stamped with the campaign, the data's date and 草稿 until approved —
    /// 考核等次建议表 (.xlsx), ranking per category (.xlsx, print), 考核报告 draft and 专题报告 template (.docx), and the
    /// 登记表 (.docx) — read back with our own readers, and refused beyond the account's units.
    @Suite("Campaign documents (issue 12)")
    struct DocumentTests {
        typealias Workflow = WorkflowTests

        static func body(_ r: TestingHTTPResponse) -> Data { Data(buffer: r.body) }

        @Test("Seed 001 annex 8 考核等次建议表, seed 003 §五(三)2 考核报告 and 专题报告: prefilled from the grading, the decisions, the unit's opinion and the interviews; every file says 草稿 before approval")
        func documents() async throws {
            try await withTestApp { app in
                let f = try await Workflow.fixture(app)
                let u01 = try await Workflow.unitID(app, "U01")
                #expect(try await Workflow.move(f, to: .fieldwork).status == .seeOther)
                try await Workflow.voteAndClose(app, f)
                #expect(try await Workflow.interview(f.org, f, unit: u01, lead: try await Workflow.cadreID(app, "C03"), notes: "反映其插手工程项目").status == .seeOther)
                try await app.sql.raw("UPDATE campaigns SET phase = 'grading'").run()
                try await f.org.get(SiteRoute.campaignResult(f.id).path)
                #expect(try await f.org.post(SiteRoute.campaignDecisions(f.id).path, ["subject": "team", "code": "U01", "grade": "一般"]).status == .seeOther)

                let index = try await f.org.get(SiteRoute.campaignDocuments(f.id).path).body.string
                #expect(index.contains("全县汇总") && index.contains("乡镇街道") && index.contains("R-T2") && index.contains("草稿"))

                // 考核等次建议表, the county's: the team decided 一般 (and why), the cadres with their grades.
                let county = try XLSXReader.read(Self.body(try await f.org.get(SiteRoute.campaignProposalsXLSX(f.id).path)))
                #expect(county.map(\.name) == ["领导班子", "领导干部", "优秀等次指标"])
                let teamRow = try #require(county[0].rows.first { $0.count > 2 && $0[1] == .text("城关镇") })
                #expect(teamRow[8] == .text("一般") && teamRow[10] == .text("一般"))
                #expect(county[0].rows[1][0].description.contains("草稿"))
                let cadreNames = county[1].rows.dropFirst(3).map { $0[2].description }
                #expect(cadreNames.contains("干部3") && cadreNames.contains("干部6"))

                // 考核报告 draft: the structure of seed 003 §五(三)2 and the facts.
                let report = try DOCXText.plainText(Self.body(try await f.org.get(SiteRoute.campaignReportDOCX(f.id).path + "?unit=" + u01.uuidString)))
                for part in ["（草稿）", "一、考核工作基本情况", "二、领导班子运行情况", "三、班子成员主要表现", "四、对班子工作的意见建议",
                             "实到 2 人", "个别谈话 1 人", "不足参加测评人员的 90%", "R-T2 C03", "【请考核组补充】"] {
                    #expect(report.contains(part), "\(part)")
                }
                // 专题报告 of the interview's lead.
                let special = try DOCXText.plainText(Self.body(try await f.org.get(SiteRoute.campaignSpecialReportDOCX(f.id).path + "?rule=R-T2&subject=C03")))
                #expect(special.contains("关于干部3的专题报告") && special.contains("触发情形（R-T2）") && special.contains("三、结论和处理建议"))
                #expect(try await f.org.get(SiteRoute.campaignSpecialReportDOCX(f.id).path + "?rule=R-T2&subject=C01").status == .notFound)
                // The header line of every page says what the data is.
                let raw = Self.body(try await f.org.get(SiteRoute.campaignReportDOCX(f.id).path + "?unit=" + u01.uuidString))
                #expect(raw.range(of: Data("word/header1.xml".utf8)) != nil)

                // Ranking per category: equal printed vote scores share a place (R-Q8).
                let ranking = try await f.org.get(SiteRoute.campaignRanking(f.id).path + "?category=" + "乡镇街道".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
                #expect(ranking.status == .ok && ranking.body.string.contains("乡镇街道排名表"))
                let rankBook = try XLSXReader.read(Self.body(try await f.org.get(SiteRoute.campaignRankingXLSX(f.id).path + "?category=" + "乡镇街道".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)))
                let cadreRanks = rankBook[1].rows.dropFirst(3).map { $0[0] }
                #expect(cadreRanks == Array(repeating: .number(1), count: 5) + [.text("—")], "the retiree (R-E6) has no vote score: no place")

                // 登记表 of the unit: one form per assessed cadre.
                let forms = try DOCXText.plainText(Self.body(try await f.org.get(SiteRoute.campaignRegistrationDOCX(f.id).path + "?unit=" + u01.uuidString)))
                #expect(forms.components(separatedBy: "干部2026年度考核登记表").count - 1 == 6 && forms.contains("党委（党组）确定的考核等次意见"))

                // A unit's administrator: its own 等次建议表 only; no county summary, no report, no other unit.
                let u02 = try await app.makeUnit("U02", "河西镇")
                _ = try await app.makeAccount("u01", role: .unitAdmin, unitID: u01)
                let unit = Browser(app)
                try await unit.login("u01", "password-1234")
                #expect(try await unit.get(SiteRoute.campaignProposalsXLSX(f.id).path + "?unit=" + u01.uuidString).status == .ok)
                #expect(try await unit.get(SiteRoute.campaignProposalsXLSX(f.id).path).status == .forbidden)
                #expect(try await unit.get(SiteRoute.campaignProposalsXLSX(f.id).path + "?unit=" + u02.uuidString).status == .notFound)
                #expect(try await unit.get(SiteRoute.campaignReportDOCX(f.id).path + "?unit=" + u01.uuidString).status == .forbidden)
                #expect(try await unit.get(SiteRoute.campaignRanking(f.id).path + "?category=x").status == .forbidden)
            }
        }
    }
}
