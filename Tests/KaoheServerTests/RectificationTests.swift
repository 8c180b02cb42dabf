import AssessmentCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 13, 党风廉政建设责任制检查考核 (seed 004): its checklist as the campaign's indicators, the ranking's bottom two
    /// flagged for admonition talks (R-T3), written feedback and rectification within one month (R-R1), followed up
    /// until closed, with consequences recorded and the result in the archive.
    @Suite("Clean-governance checks and rectification (issue 13)")
    struct RectificationTests {
        /// Three towns scored on the checklist (城关镇 best, 河西镇 and 东关镇 last), today 2026-12-10.
        static func cycle(_ app: Application) async throws -> (org: Browser, campaign: UUID, units: [UUID]) {
            app.clock = OrganisationClock.manual(testNoon("2026-12-10"), timeZone: Settings.defaultTimeZone).clock
            try await EvaluationTests.county(app)
            let units = [try await WorkflowTests.unitID(app, "U01"), try await app.makeUnit("U02", "河西镇"), try await app.makeUnit("U03", "东关镇")]
            _ = try await app.makeAccount("org", role: .organisationDepartment)
            let org = Browser(app)
            try await org.login("org", "password-1234")
            try await org.get(SiteRoute.campaigns.path)
            let made = try await org.post(SiteRoute.campaigns.path, ["title": "2026年党风廉政建设责任制检查考核", "kind": "cleanGovernance", "year": "2026",
                                                                     "cutoff": "2026-12-31", "preset": "clean-governance"])
            #expect(made.status == .seeOther, "\(made.body.string.prefix(500))")
            let campaign = try #require(try await Campaign.query(on: app.db).first()?.id)
            // Scores: 城关镇 every item full, 河西镇 and 东关镇 lose points.
            let indicators = try await Indicators.load(campaign: campaign, on: app.sql)
            for i in indicators {
                for (k, unit) in units.enumerated() {
                    try await app.sql.insert(into: "indicator_scores").columns("id", "indicator_id", "unit_id", "score", "not_applicable", "evidence")
                        .values(SQLBind(UUID()), SQLBind(i.id), SQLBind(unit), SQLBind(i.max_points - Double(k)), SQLBind(false), SQLBind("")).run()
                }
            }
            return (org, campaign, units)
        }

        @Test("Seed 004 第四条–第七条: a clean-governance campaign starts with the checklist — 11 main-responsibility items, 8 supervisory items, last year's rectification and the deployments — as indicators of 100 points, editable per year")
        func checklist() async throws {
            try await withTestApp { app in
                let (org, campaign, _) = try await Self.cycle(app)
                let indicators = try await Indicators.load(campaign: campaign, on: app.sql)
                #expect(indicators.count == 21 && indicators.map(\.max_points).reduce(0, +) == 100)
                #expect(indicators.filter { $0.name.hasPrefix("主体责任") }.count == 11 && indicators.filter { $0.name.hasPrefix("监督责任") }.count == 8)
                #expect(indicators.contains { $0.name == "上一年度检查考核发现问题的整改情况" })
                #expect(try await org.get(SiteRoute.campaign(campaign).path).body.string.contains("党风廉政建设责任制检查考核"))
                // An annual campaign gets no checklist.
                let annual = try await org.post(SiteRoute.campaigns.path, ["title": "年度", "kind": "annual", "year": "2026", "cutoff": "2026-12-31", "preset": "lushan-2022"])
                let annualID = UUID(uuidString: String(annual.headers.first(name: .location)!.components(separatedBy: "?")[0].split(separator: "/").last!))!
                #expect(try await Indicators.load(campaign: annualID, on: app.sql).isEmpty)
            }
        }

        @Test("R-R1 (第一篇第十二条、第十六条) and R-T3 (第十七条): feedback, measures within one month (late is recorded), follow-up of each measure until closed; the bottom two flagged for admonition; consequences; the archive; a unit sees its own only")
        func rectificationCycle() async throws {
            try await withTestApp { app in
                let (org, campaign, units) = try await Self.cycle(app)
                let page = SiteRoute.campaignRectification(campaign).path
                // R-T3: 河西镇 and 东关镇 rank last two.
                let list = try await org.get(page).body.string
                #expect(list.contains("河西镇：R-T3") && list.contains("东关镇：R-T3") && !list.contains("城关镇：R-T3"))

                // Feedback received 2026-10-31 by 河西镇: measures due 2026-11-30 (one month), overdue on 12-10.
                #expect(try await org.post(page, ["unit": units[1].uuidString, "feedbackOn": "2026-10-31", "feedback": "落实主体责任有差距",
                                                   "method0": "是", "method4": "是"]).status == .seeOther)
                #expect(try await org.post(page, ["unit": units[2].uuidString, "feedbackOn": "2026-12-01", "feedback": "廉政教育不够经常"]).status == .seeOther)
                #expect(try await org.post(page, ["unit": units[0].uuidString, "feedbackOn": "2026-12-11"]).body.string.contains("不能晚于今天"))
                #expect(Rectifications.submissionDue(feedbackOn: Day("2026-01-31")!) == Day("2026-02-28")!)
                #expect(Rectifications.submissionDue(feedbackOn: Day("2026-12-15")!) == Day("2027-01-15")!)
                let detail = page + "?unit=" + units[1].uuidString
                let first = try await org.get(detail).body.string
                #expect(first.contains("逾期未报送整改措施（应于 2026-11-30 前报送，R-R1）") && first.contains("自查自评、现场检查"))
                #expect(try await org.get(page + "?unit=" + units[2].uuidString).body.string.contains("待报送整改措施（2027-01-01 前，R-R1）"))
                #expect(try await org.get(SiteRoute.home.path).body.string.contains("逾期未报送整改措施"))

                // The unit's administrator: its own rectification on the home page; another unit's is not found.
                _ = try await app.makeAccount("u02", role: .unitAdmin, unitID: units[1])
                let unit = Browser(app)
                try await unit.login("u02", "password-1234")
                #expect(try await unit.get(SiteRoute.home.path).body.string.contains("2026年党风廉政建设责任制检查考核 · 河西镇"))
                #expect(try await unit.get(page + "?unit=" + units[2].uuidString).status == .notFound)
                try await unit.get(detail)
                #expect(try await unit.post(page, ["unit": units[1].uuidString, "feedbackOn": "2026-10-01"]).status == .forbidden)
                #expect(try await unit.post(SiteRoute.campaignRectificationSubmit(campaign).path, ["unit": units[1].uuidString]).body.string.contains("至少一项"))
                let measures = SiteRoute.campaignRectificationMeasures(campaign).path
                #expect(try await unit.post(measures, ["unit": units[1].uuidString, "problem": "学习不经常", "text": "", "owner": "张三", "due": "2026-12-05"])
                    .body.string.contains("「整改措施」必填"))
                #expect(try await unit.post(measures, ["unit": units[1].uuidString, "problem": "学习不经常", "text": "每月集中学习一次", "owner": "张三", "due": "2026-12-05"]).status == .seeOther)
                #expect(try await unit.post(measures, ["unit": units[1].uuidString, "problem": "制度不健全", "text": "修订三项制度", "owner": "李四", "due": "2027-03-31"]).status == .seeOther)
                #expect(try await unit.post(measures, ["unit": units[2].uuidString, "problem": "x", "text": "y", "owner": "z", "due": "2027-01-01"]).status == .notFound)
                #expect(try await unit.post(SiteRoute.campaignRectificationSubmit(campaign).path, ["unit": units[1].uuidString]).status == .seeOther)
                let submitted = try await app.sql.raw("SELECT after FROM audit_entries WHERE after LIKE '%submittedOn%'").first()
                #expect(try submitted?.decode(column: "after", as: String.self).contains("R-R1 逾期") == true, "submitted late: recorded so")
                // The first measure is past its due date.
                var text = try await unit.get(detail).body.string
                #expect(text.contains("整改中：未完成 2 项，其中 1 项逾期") && text.contains("已逾期"))
                let row = try #require(try await Rectifications.rows(campaign: campaign, units: [units[1]], on: app.sql).first)
                let ids = try #require(try await Rectifications.measures(of: [row.id], on: app.sql)[row.id])
                #expect(try await unit.post(measures, ["unit": units[1].uuidString, "measure": ids[0].id.uuidString, "done": "2026-12-08"]).body.string.contains("须填写「整改成效和佐证」"))
                #expect(try await unit.post(measures, ["unit": units[1].uuidString, "measure": ids[0].id.uuidString, "evidence": "已建立学习台账", "done": "2026-12-08"]).status == .seeOther)
                #expect(try await unit.post(measures, ["unit": units[1].uuidString, "measure": ids[0].id.uuidString, "evidence": "改写"]).body.string.contains("不能再修改"))
                // Not closable while a measure is open; the unit cannot close.
                try await org.get(detail)
                #expect(try await org.post(SiteRoute.campaignRectificationClose(campaign).path, ["unit": units[1].uuidString]).body.string.contains("未完成 1 项"))
                #expect(try await unit.post(measures, ["unit": units[1].uuidString, "measure": ids[1].id.uuidString, "evidence": "三项制度已印发", "done": "2026-12-09"]).status == .seeOther)
                #expect(try await unit.post(SiteRoute.campaignRectificationClose(campaign).path, ["unit": units[1].uuidString]).status == .forbidden)
                // Consequences, then closing.
                #expect(try await org.post(SiteRoute.campaignRectificationConsequences(campaign).path, ["unit": units[1].uuidString, "kind": "约谈", "note": "县纪委约谈党委书记", "on": "2026-12-09"]).status == .seeOther)
                #expect(try await org.post(SiteRoute.campaignRectificationConsequences(campaign).path, ["unit": units[1].uuidString, "kind": "记大过"]).status == .unprocessableEntity)
                #expect(try await org.post(SiteRoute.campaignRectificationClose(campaign).path, ["unit": units[1].uuidString]).status == .seeOther)
                text = try await org.get(detail).body.string
                #expect(text.contains("2026-12-10 整改完成，已销号") && text.contains("2026-12-09 约谈：县纪委约谈党委书记"))
                #expect(try await unit.post(measures, ["unit": units[1].uuidString, "problem": "a", "text": "b", "owner": "c", "due": "2027-01-01"]).body.string.contains("已销号"))
                // The archive: the team's record of the rectification.
                let history = try await Archive.timeline(subject: "team", code: "U02", on: app.sql)
                #expect(history.contains { $0.kind == "整改" && $0.grade == "已整改" && $0.source == "2026年党风廉政建设责任制检查考核" })
                #expect(!(try await unit.get(SiteRoute.home.path).body.string.contains("河西镇</a>")))
            }
        }

        @Test("R-S9 and R-S4 (seed 004 第二篇): 廉政建设考核表 scored monthly item by item; months averaged, banded (94.5 falls to 良好) and ranked, the bottom two flagged (R-T3); a partly filled row, a sum over 100 or a negative item is refused; a blank row keeps")
        func monthlyScorecards() async throws {
            try await withTestApp { app in
                let (org, campaign, units) = try await Self.cycle(app)
                let page = SiteRoute.campaignScorecards(campaign).path
                func row(_ unit: UUID, _ v: String, count: Int = 14) -> [String: String] {
                    Dictionary(uniqueKeysWithValues: (1...count).map { ("s.\(unit.uuidString).\($0)", v) })
                }
                try await org.get(page + "?month=3")
                let march = row(units[0], "7").merging(row(units[1], "6.75")) { a, _ in a }.merging(row(units[2], "4")) { a, _ in a }
                #expect(try await org.post(page, march.merging(["month": "3"]) { a, _ in a }).status == .seeOther)
                #expect(try await org.post(page, row(units[0], "6").merging(["month": "4"]) { a, _ in a }).status == .seeOther)
                let text = try await org.get(page + "?month=4").body.string
                // 城关镇 (98 + 84) / 2 = 91 良好; 河西镇 94.5 良好 (R-S4: a fraction falls to the band it reaches); 东关镇 56 不合格.
                #expect(text.contains("<td>城关镇</td><td>2</td><td>91.00</td><td><strong>良好</strong>"))
                #expect(text.contains("<td>河西镇</td><td>1</td><td>94.50</td><td><strong>良好</strong>"))
                #expect(text.contains("<td>东关镇</td><td>1</td><td>56.00</td><td><strong>不合格</strong>"))
                #expect(text.components(separatedBy: ">R-T3<").count - 1 == 2)
                // Refused, naming the unit and the item; nothing half-written.
                #expect(try await org.post(page, row(units[0], "7", count: 13).merging(["month": "5"]) { a, _ in a }).body.string.contains("须全部填写"))
                #expect(try await org.post(page, row(units[0], "8").merging(["month": "5"]) { a, _ in a }).body.string.contains("超过 100 分"))
                var negative = row(units[0], "5")
                negative["s.\(units[0].uuidString).3"] = "-1"
                #expect(try await org.post(page, negative.merging(["month": "5"]) { a, _ in a }).body.string.contains("城关镇 第 3 项"))
                let stored = try await app.sql.raw("SELECT COUNT(*) AS n FROM scorecards").first()!.decode(column: "n", as: Int.self)
                #expect(stored == 4)
                // A campaign whose policy has no scorecard has no such page.
                let annual = try await org.post(SiteRoute.campaigns.path, ["title": "年度", "kind": "annual", "year": "2026", "cutoff": "2026-12-31", "preset": "lushan-2022"])
                let annualPath = annual.headers.first(name: .location)!.components(separatedBy: "?")[0]
                #expect(try await org.get(annualPath + "/scorecards").status == .notFound)
            }
        }

        @Test("R-S5 and R-S6 (seed 004 第三篇第八条): the democratic appraisal of a clean-governance check uses the one-time codes and ballots — the team by the share of 优秀 and 合格 (75% → 较好), a cadre with more than a third 不称职 is 不称职")
        func democraticAppraisal() async throws {
            try await withTestApp { app in
                let (org, campaign, units) = try await Self.cycle(app)
                try await org.get(SiteRoute.campaign(campaign).path)
                let created = try await org.post(SiteRoute.campaignSessions(campaign).path, ["unit": units[0].uuidString, "heldOn": "2026-12-05",
                                                                                              "place": "会议室", "categories": "班子成员 4"])
                #expect(created.status == .seeOther, "\(created.body.string.prefix(400))")
                let session = created.headers.first(name: .location)!.components(separatedBy: "?")[0]
                let codes = try await EvaluationTests.issue(org, session, count: 4)
                let sheet = try #require(try await EvaluationSession.query(on: app.db).first()).sheet()
                #expect(sheet.teamOptions == ["优秀", "合格", "不合格"])
                let c03 = try #require(sheet.cadreKey("C03"))
                for (k, code) in codes.enumerated() {
                    var answers: [String: String] = [:]
                    for item in sheet.items { answers[item.key] = item.cadre == nil ? (k < 3 ? "优秀" : "不合格") : "称职" }
                    if k < 2 { answers[c03] = "不称职" }
                    #expect(try await EvaluationTests.api(app, try EvaluationTests.json(code, answers)).status == .created)
                }
                try await org.get(session)
                #expect(try await org.post(session + "/close").status == .seeOther)
                let grading = try await CampaignGrading.run(try #require(try await Campaign.find(campaign, on: app.db)), on: app.db)
                let team = try #require(grading.dataset.teams.firstIndex { $0.id == "U01" })
                #expect(grading.result.teams[team].grade == "较好")
                let cadre = try #require(grading.dataset.cadres.firstIndex { $0.id == "C03" })
                #expect(grading.result.cadres[cadre].grade == "不称职" && grading.result.cadres[cadre].reasons.contains { $0.rule == "R-S6" })
            }
        }
    }
}
