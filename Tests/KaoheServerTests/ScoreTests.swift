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
    /// Issue 11, quantitative scores: the organisation department sets up indicators in the policy's parts, each scored
    /// by a scoring unit (考核责任单位) that sees only its own; scores typed or imported (.xlsx, problems by row,
    /// nothing written on a problem); a blank never erases; the parts feed the engine's composite (R-S2).
    @Suite("Quantitative scores by scoring units (issue 11)")
    struct ScoreTests {
        typealias Workflow = WorkflowTests

        struct Setup {
            var f: Workflow.Fixture
            var party: UUID, develop: UUID, green: UUID, overall: UUID
            var organisation: Browser, reform: Browser
            var u01: UUID
        }

        /// lushan-2022 (parts 综合考评, 党建高质量考核, 高质量发展考核, equal weights); scoring units 县委组织部 (Y01:
        /// 综合考评 and 党建) and 县发改委 (Y02: 发展 60 and 环保 40), each with an account.
        static func setup(_ app: Application) async throws -> Setup {
            let f = try await Workflow.fixture(app)
            let y01 = try await app.makeUnit("Y01", "县委组织部", category: "县直单位")
            let y02 = try await app.makeUnit("Y02", "县发改委", category: "县直单位")
            try await f.org.get(SiteRoute.campaignIndicators(f.id).path)
            for (part, name, max, scorer) in [("综合考评", "综合评价", "100", y01), ("党建高质量考核", "党建", "100", y01),
                                              ("高质量发展考核", "发展", "60", y02), ("高质量发展考核", "环保", "40", y02)] {
                let made = try await f.org.post(SiteRoute.campaignIndicators(f.id).path, ["part": part, "name": name, "max": max, "scorer": scorer.uuidString])
                #expect(made.status == .seeOther, "\(made.body.string.prefix(400))")
            }
            let indicators = try await Indicators.load(campaign: f.id, on: app.sql)
            func id(_ name: String) -> UUID { indicators.first { $0.name == name }!.id }
            _ = try await app.makeAccount("zzb", role: .scoringUnit, unitID: y01)
            _ = try await app.makeAccount("fgw", role: .scoringUnit, unitID: y02)
            let organisation = Browser(app), reform = Browser(app)
            try await organisation.login("zzb", "password-1234")
            try await reform.login("fgw", "password-1234")
            return Setup(f: f, party: id("党建"), develop: id("发展"), green: id("环保"), overall: id("综合评价"),
                         organisation: organisation, reform: reform, u01: try await Workflow.unitID(app, "U01"))
        }

        static func enter(_ b: Browser, _ s: Setup, indicator: UUID, _ values: [String: String]) async throws -> TestingHTTPResponse {
            let page = SiteRoute.campaignScores(s.f.id).path
            try await b.get(page + "?indicator=" + indicator.uuidString)
            return try await b.post(page, ["indicator": indicator.uuidString].merging(values) { $1 })
        }

        static func stored(_ app: Application, _ indicator: UUID, _ unit: UUID) async throws -> Indicators.Score? {
            try await Indicators.scores(campaign: try #require(try await Campaign.query(on: app.db).first()).requireID(), on: app.sql)
                .first { $0.indicator_id == indicator && $0.unit_id == unit }
        }

        @Test("A scoring unit sees and scores only its own indicators: another unit's indicator is not found by URL (page, form, template, import); the home page links its campaigns")
        func scoringUnitScope() async throws {
            try await withTestApp { app in
                let s = try await Self.setup(app)
                let page = try await s.reform.get(SiteRoute.campaignScores(s.f.id).path).body.string
                #expect(page.contains("发展") && page.contains("环保") && !page.contains("党建") && !page.contains("综合评价"))
                let path = SiteRoute.campaignScores(s.f.id).path
                #expect(try await s.reform.get(path + "?indicator=" + s.party.uuidString).status == .notFound)
                #expect(try await s.reform.get(SiteRoute.campaignScoresTemplate(s.f.id).path + "?indicator=" + s.party.uuidString).status == .notFound)
                try await s.reform.get(path)
                #expect(try await s.reform.post(path, ["indicator": s.party.uuidString, "s.\(s.u01)": "99"]).status == .notFound)
                #expect(try await s.reform.upload(SiteRoute.campaignScoresImport(s.f.id).path, filename: "x.xlsx", data: Data("x".utf8),
                                                  fields: ["indicator": s.party.uuidString]).status == .notFound)
                #expect(try await Self.stored(app, s.party, s.u01) == nil)
                // Not the indicator set-up, not the campaign pages.
                #expect(try await s.reform.get(SiteRoute.campaignIndicators(s.f.id).path).status == .forbidden)
                #expect(try await s.reform.get(s.f.campaign).status == .forbidden)
                #expect(try await s.reform.get(SiteRoute.home.path).body.string.contains("本单位负责 2 项指标"))
            }
        }

        @Test("R-S2 (seed 003 §五(三)5 各考核责任单位按照分工提供量化考核得分): scores are entered in 实地考核/汇总分析 only; out of range or not a number is refused naming the unit, nothing saved and the form kept; a blank keeps the stored score; 不适用 leaves the indicator out of its part; the parts make the engine's composite; 等次评定 waits for every score")
        func scoresDriveTheComposite() async throws {
            try await withTestApp { app in
                let s = try await Self.setup(app)
                let u = s.u01.uuidString
                // 准备: not yet.
                let early = try await Self.enter(s.reform, s, indicator: s.develop, ["s.\(u)": "48"])
                #expect(early.status == .unprocessableEntity && early.body.string.contains("实地考核"))
                #expect(try await Workflow.move(s.f, to: .fieldwork).status == .seeOther)
                // Refused whole, naming the unit, the typed values kept.
                let refused = try await Self.enter(s.reform, s, indicator: s.develop, ["s.\(u)": "61", "e.\(u)": "统计局数据"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("城关镇") && refused.body.string.contains("0 到 60"))
                #expect(refused.body.string.contains("value=\"61\"") && refused.body.string.contains("统计局数据"))
                #expect(try await Self.enter(s.reform, s, indicator: s.develop, ["s.\(u)": "四十"]).status == .unprocessableEntity)
                #expect(try await Self.enter(s.reform, s, indicator: s.develop, ["s.\(u)": "47.125"]).status == .unprocessableEntity)
                #expect(try await Self.stored(app, s.develop, s.u01) == nil)
                #expect(try await Self.enter(s.reform, s, indicator: s.develop, ["s.\(u)": "48", "e.\(u)": "统计局数据"]).status == .seeOther)
                // A blank changes nothing.
                #expect(try await Self.enter(s.reform, s, indicator: s.develop, ["s.\(u)": ""]).status == .seeOther)
                #expect(try await Self.stored(app, s.develop, s.u01)?.score == 48)
                #expect(try await Self.stored(app, s.develop, s.u01)?.evidence == "统计局数据")

                // 等次评定 waits for the scores (after the evaluation is closed).
                try await Workflow.voteAndClose(app, s.f)
                for code in ["Y01", "Y02"] {
                    try await s.f.org.get(s.f.campaign)
                    _ = try await s.f.org.post(SiteRoute.campaignExemptions(s.f.id).path, ["unit": try await Workflow.unitID(app, code).uuidString, "reason": "职能部门"])
                }
                #expect(try await Workflow.move(s.f, to: .analysis).status == .seeOther)
                let waiting = try await Workflow.move(s.f, to: .grading)
                #expect(waiting.status == .unprocessableEntity && waiting.body.string.contains("量化考核得分尚未填报完整") && waiting.body.string.contains("城关镇「党建」"))
                let campaign = try #require(try await Campaign.query(on: app.db).first())
                func teamScore() async throws -> Double? {
                    let g = try await CampaignGrading.run(campaign, on: app.db)
                    return g.result.teams[g.dataset.teams.firstIndex { $0.id == "U01" }!].score
                }
                #expect(try await teamScore() == nil, "parts incomplete: no composite")
                // Every team scored: the two departments by the organisation department, which may enter any indicator.
                let y01 = try await Workflow.unitID(app, "Y01").uuidString, y02 = try await Workflow.unitID(app, "Y02").uuidString
                for (indicator, scorer, value) in [(s.overall, s.organisation, "90"), (s.party, s.organisation, "80"), (s.green, s.reform, "36")] {
                    #expect(try await Self.enter(scorer, s, indicator: indicator, ["s.\(u)": value, "s.\(y01)": "30", "s.\(y02)": "30"]).status == .seeOther)
                }
                // Every indicator of a part 不适用 for a team leaves it without a composite: 等次评定 says so.
                #expect(try await Self.enter(s.reform, s, indicator: s.develop, ["na.\(y01)": "是", "s.\(y02)": "50"]).status == .seeOther)
                #expect(try await Self.enter(s.reform, s, indicator: s.green, ["na.\(y01)": "是"]).status == .seeOther)
                let allNA = try await Workflow.move(s.f, to: .grading)
                #expect(allNA.status == .unprocessableEntity && allNA.body.string.contains("县委组织部「高质量发展考核」的指标全部不适用"))
                #expect(try await Self.enter(s.reform, s, indicator: s.develop, ["s.\(y01)": "50"]).status == .seeOther)
                #expect(try await Workflow.move(s.f, to: .grading).status == .seeOther)
                #expect(try await Workflow.move(s.f, to: .analysis, ["reason": "核对得分"]).status == .seeOther)
                // (90 + 80 + (48 + 36) / (60 + 40) × 100) / 3 = 84.67
                #expect(try await teamScore().map { ($0 * 100).rounded() / 100 } == 84.67)
                // 不适用 for 环保: 高质量发展 = 48 / 60 × 100 = 80 → (90 + 80 + 80) / 3 = 83.33.
                #expect(try await Self.enter(s.reform, s, indicator: s.green, ["na.\(u)": "是"]).status == .seeOther)
                #expect(try await teamScore().map { ($0 * 100).rounded() / 100 } == 83.33)
                struct A: Decodable { var after: String? }
                let audit = try await app.sql.raw("SELECT after FROM audit_entries WHERE entity = 'campaign'").all(decoding: A.self)
                #expect(audit.contains { $0.after?.contains("\"score\":\"不适用\"") == true })
            }
        }

        @Test("Import (.xlsx): the template carries every team; a file with problems is refused whole with each row named and nothing written; a good file saves, blank rows keep what is stored")
        func importScores() async throws {
            try await withTestApp { app in
                let s = try await Self.setup(app)
                #expect(try await Workflow.move(s.f, to: .fieldwork).status == .seeOther)
                let template = try await s.reform.get(SiteRoute.campaignScoresTemplate(s.f.id).path + "?indicator=" + s.green.uuidString)
                #expect(template.status == .ok)
                let rows = try #require(try XLSXReader.read(Data(buffer: template.body)).first).rows
                #expect(rows[1].map(\.textValue) == ScoreController.templateHeader)
                #expect(Set(rows.dropFirst(2).map { $0[0].textValue }) == ["U01", "Y01", "Y02"])
                func file(_ body: [[CellValue]]) throws -> Data {
                    var wb = XLSXWorkbook()
                    wb.addSheet(name: "量化考核得分", rows: [["标题"], ScoreController.templateHeader.map { .text($0) }] + body)
                    return try wb.data()
                }
                let upload = SiteRoute.campaignScoresImport(s.f.id).path
                try await s.reform.get(SiteRoute.campaignScores(s.f.id).path + "?indicator=" + s.green.uuidString)
                let bad = try await s.reform.upload(upload, filename: "s.xlsx", data: try file([
                    ["U01", "城关镇", 36, "", "监测数据"], ["ZZ9", "无此单位", 10, "", ""], ["Y01", "县委组织部", 41, "", ""],
                    ["Y02", "县发改委", 5, "是", ""], ["U01", "城关镇", 30, "", ""]]), fields: ["indicator": s.green.uuidString])
                let text = bad.body.string
                #expect(bad.status == .unprocessableEntity)
                for part in ["第 4 行", "ZZ9", "第 5 行", "0 到 40", "第 6 行", "第 7 行", "重复"] {
                    #expect(text.contains(part), "\(part)")
                }
                #expect(try await Self.stored(app, s.green, s.u01) == nil, "nothing written")
                try await s.reform.get(SiteRoute.campaignScores(s.f.id).path + "?indicator=" + s.green.uuidString)
                let good = try await s.reform.upload(upload, filename: "s.xlsx", data: try file([
                    ["U01", "城关镇", 36, "", "监测数据"], ["Y02", "县发改委", .empty, "是", ""], ["Y01", "县委组织部", .empty, "", ""]]),
                    fields: ["indicator": s.green.uuidString])
                #expect(good.status == .seeOther, "\(good.body.string.prefix(600))")
                #expect(try await Self.stored(app, s.green, s.u01)?.score == 36)
                #expect(try await Self.stored(app, s.green, try await Workflow.unitID(app, "Y02"))?.not_applicable == true)
                #expect(try await Self.stored(app, s.green, try await Workflow.unitID(app, "Y01")) == nil)
                // Again with U01 blank: its 36 stays.
                try await s.reform.get(SiteRoute.campaignScores(s.f.id).path + "?indicator=" + s.green.uuidString)
                _ = try await s.reform.upload(upload, filename: "s.xlsx", data: try file([["U01", "城关镇", .empty, "", ""]]), fields: ["indicator": s.green.uuidString])
                #expect(try await Self.stored(app, s.green, s.u01)?.score == 36)
            }
        }
    }
}
