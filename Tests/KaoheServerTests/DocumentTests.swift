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

        @Test("Charts (issue 12): vote shares on the tally page and its A4 print (by participant category), grade distribution per category on the board, score distribution on the ranking print, and PNG bars inside the 考核报告 .docx")
        func charts() async throws {
            try await withTestApp { app in
                let f = try await Workflow.fixture(app)
                let u01 = try await Workflow.unitID(app, "U01")
                #expect(try await Workflow.move(f, to: .fieldwork).status == .seeOther)
                // Open: no tally, no print.
                let early = try await f.org.get(f.session + "/tally")
                #expect(early.status != .ok && early.body.string.contains("民主测评结束后才能打印测评结果统计表"))
                try await Workflow.voteAndClose(app, f)

                let show = try await f.org.get(f.session).body.string
                #expect(show.contains("<svg") && show.contains("测评票各选项占比") && show.contains("href=\"\(f.session)/tally\""))
                let print = try await f.org.get(f.session + "/tally")
                #expect(print.status == .ok)
                let text = print.body.string
                #expect(text.contains("城关镇民主测评结果统计表") && text.contains("草稿") && text.contains("有效票 2 张"))
                // Every item by participant category (the two ballots were cast in one category), and a chart per subject.
                let category = try #require(try await app.sql.raw("SELECT category FROM ballots LIMIT 1").first()?.decode(column: "category", as: String.self))
                #expect(text.contains("\(category)（2 票）"))
                #expect(text.components(separatedBy: "<svg").count - 1 == text.components(separatedBy: "<section class=\"subject\">").count - 1)

                // The board: teams and cadres per category, as bars.
                try await app.sql.raw("UPDATE campaigns SET phase = 'grading'").run()
                let board = try await f.org.get(SiteRoute.campaignResult(f.id).path).body.string
                #expect(board.contains("领导班子等次分布（按单位类别）") && board.contains("领导干部等次分布（按单位类别）"))
                #expect(board.contains(">乡镇街道<title>乡镇街道</title></text>"))

                // The ranking print: the category's score distribution.
                let ranking = try await f.org.get(SiteRoute.campaignRanking(f.id).path + "?category=" + "乡镇街道".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!).body.string
                #expect(ranking.contains("乡镇街道领导干部测评得分分布"))

                // The 考核报告: the team's and the cadres' shares as PNG bars in a table, the legend in coloured text.
                let report = Self.body(try await f.org.get(SiteRoute.campaignReportDOCX(f.id).path + "?unit=" + u01.uuidString))
                let parts = try OfficePackage.unzip(report)
                let png = try #require(parts["word/media/image1.png"])
                #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
                let plain = try DOCXText.plainText(report)
                #expect(plain.contains("图1 领导班子民主测评总体评价") && plain.contains("图2 班子成员民主测评总体评价") && plain.contains("图例："))
                let xml = String(decoding: parts["word/document.xml"]!, as: UTF8.self)
                #expect(xml.components(separatedBy: "<w:drawing>").count - 1 >= 2)
            }
        }

        @Test("Bar segments add up to the bar exactly; shares fill every bar, counts scale to the largest; labels are escaped")
        func barChartGeometry() {
            let chart = BarChart(title: "<t>", series: ["优秀", "称职", "基本称职"],
                                 rows: [.init(label: "甲<script>", values: [1, 1, 1]), .init(label: "乙", values: [3, 0, 0]), .init(label: "丙", values: [0, 0, 0])],
                                 scale: .shares)
            #expect(chart.segments(chart.rows[0], width: 100) == [33, 34, 33])
            #expect(chart.segments(chart.rows[1], width: 100) == [100, 0, 0])
            #expect(chart.segments(chart.rows[2], width: 100) == [0, 0, 0])
            var counts = chart
            counts.scale = .counts
            #expect(counts.segments(counts.rows[0], width: 90) == [30, 30, 30])
            #expect(counts.segments(.init(label: "丁", values: [1, 0, 0]), width: 90) == [30, 0, 0])
            let svg = chart.svg()
            #expect(!svg.contains("<script>") && svg.contains("甲&lt;script&gt;") && svg.contains("<title>&lt;t&gt;</title>"))
            #expect(svg.components(separatedBy: "<rect").count - 1 == 3 + 3 + 1, "a legend square per series, a rect per non-empty segment")
        }

        @Test("Score bands: from the band of the lowest score, a score on a boundary opens the upper band; a wide range widens the step to at most 20 bands")
        func histogramBands() {
            let h = Histogram.scores([81.2, 85, 89.99, 92.5, .nan], title: "x")
            #expect(h.bins.map(\.label) == ["80–", "85–", "90–"] && h.bins.map(\.count) == [1, 2, 1])
            let wide = Histogram.scores([0, 1000], title: "x")
            #expect(wide.bins.count <= 20 && wide.bins.map(\.count).reduce(0, +) == 2)
            #expect(Histogram.scores([], title: "x").bins.isEmpty)
        }
    }
}
