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
    /// Issue 13, 日常考核 (seed 000): checks of the eight kinds, evaluated on the regular scales with their handling, the
    /// report filed within 15 days (R-A1) and then in the archives; quarterly 领导评价 that the annual campaign reads for
    /// R-Q6 with nothing typed again.
    @Suite("Regular assessment: checks, R-A1 filing, quarterly evaluations (issue 13)")
    struct RegularAssessmentTests {
        typealias Evaluation = EvaluationTests
        typealias Workflow = WorkflowTests

        /// 城关镇 (U01, six cadres) and 河西镇 (U02); the organisation department signed in; today 2026-12-10.
        static func county(_ app: Application) async throws -> Browser {
            app.clock = OrganisationClock.manual(testNoon("2026-12-10"), timeZone: Settings.defaultTimeZone).clock
            try await Evaluation.county(app)
            try await app.makeUnit("U02", "河西镇")
            _ = try await app.makeAccount("org", role: .organisationDepartment)
            let org = Browser(app)
            try await org.login("org", "password-1234")
            return org
        }

        static func kindID(_ app: Application, _ code: String) async throws -> String {
            try await app.sql.raw("SELECT id FROM check_kinds WHERE code = \(bind: code)").first()!.decode(column: "id", as: UUID.self).uuidString
        }

        /// A check made through the form; returns its page.
        static func makeCheck(_ org: Browser, _ app: Application, title: String, ended: String, lead: String? = nil,
                              kind: String = "economic-audit") async throws -> String {
            try await org.get(SiteRoute.regularCheckNew.path)
            var form = ["kind": try await kindID(app, kind), "title": title, "startedOn": "2026-10-01", "endedOn": ended,
                        "place": "城关镇", "scope": "党委书记任期经济责任", "methods": "查阅账目、个别谈话", "assessors": "审计组 王五、赵六",
                        "content": "财政资金使用情况", "conclusion": "总体规范，个别项目手续不全"]
            if let lead { form["leadUnit"] = lead }
            let made = try await org.post(SiteRoute.regularChecks.path, form)
            #expect(made.status == .seeOther, "\(made.body.string.prefix(600))")
            return made.headers.first(name: .location)!.components(separatedBy: "?")[0]
        }

        @Test("Seed 000 第五条: the eight kinds with their lead and cooperating departments, editable (a blank keeps)")
        func kinds() async throws {
            try await withTestApp { app in
                let org = try await Self.county(app)
                let page = try await org.get(SiteRoute.regularKinds.path).body.string
                for name in ["重大事项督查考核", "重大事件考核", "执行民主集中制情况考核", "民主生活会情况考核", "机构编制管理考核", "经济责任审计",
                             "信访、举报问题查核", "转任、调任考核"] {
                    #expect(page.contains(name), "\(name)")
                }
                let id = try await Self.kindID(app, "economic-audit")
                #expect(try await org.post(SiteRoute.regularKind(UUID(uuidString: id)!).path, ["name": "", "lead": "县审计局", "cooperating": ""]).status == .seeOther)
                let kind = try #require(try await RegularChecks.kinds(on: app.sql).first { $0.code == "economic-audit" })
                #expect(kind.name == "经济责任审计" && kind.lead == "县审计局" && kind.cooperating == "各部门及街道办事处（产业园）")
                #expect(try await org.post(SiteRoute.regularKinds.path, ["name": "经济责任审计"]).status == .unprocessableEntity)
                #expect(try await org.post(SiteRoute.regularKinds.path, ["name": "巡察", "lead": "县委巡察办"]).status == .seeOther)
                #expect(try await RegularChecks.kinds(on: app.sql).count == 9)
            }
        }

        @Test("R-A1 (seed 000 第七条): a report not filed 15 days after the check is overdue — on the list, on the organisation department's home page and on the lead unit's; filed late, it says so; another unit reads nothing")
        func filingDeadline() async throws {
            try await withTestApp { app in
                let org = try await Self.county(app)
                let u01 = try await Workflow.unitID(app, "U01"), u02 = try await Workflow.unitID(app, "U02")
                // Ended 2026-11-20: due 12-05, overdue on 12-10. Ended 2026-12-01: due 12-16, open.
                let late = try await Self.makeCheck(org, app, title: "城关镇党委书记经济责任审计", ended: "2026-11-20", lead: u01.uuidString)
                let open = try await Self.makeCheck(org, app, title: "重点项目督查", ended: "2026-12-01", lead: u01.uuidString, kind: "major-matters")
                let list = try await org.get(SiteRoute.regularChecks.path).body.string
                #expect(list.contains("有 1 份考核报告逾期未归档") && list.contains("逾期未归档（应于 2026-12-05 前报送，R-A1）")
                        && list.contains("待归档（2026-12-16 前报送）"))
                let overdueOnly = try await org.get(SiteRoute.regularChecks.path + "?status=overdue").body.string
                #expect(overdueOnly.contains("城关镇党委书记经济责任审计") && !overdueOnly.contains("重点项目督查"))
                #expect(try await org.get(SiteRoute.home.path).body.string.contains("1 份考核报告</a>逾期未归档"))

                // The lead unit's administrator: its reports owed on the home page, its checks only.
                _ = try await app.makeAccount("u01", role: .unitAdmin, unitID: u01)
                _ = try await app.makeAccount("u02", role: .unitAdmin, unitID: u02)
                let unit = Browser(app), other = Browser(app)
                try await unit.login("u01", "password-1234")
                try await other.login("u02", "password-1234")
                let home = try await unit.get(SiteRoute.home.path).body.string
                #expect(home.contains("城关镇党委书记经济责任审计") && home.contains("逾期未归档") && home.contains("重点项目督查"))
                #expect(try await other.get(late).status == .notFound)
                #expect(!(try await other.get(SiteRoute.regularChecks.path).body.string.contains("经济责任审计</a>")))
                #expect(try await other.get(SiteRoute.home.path).body.string.contains("日常考核报告") == false)
                // The lead unit cannot move its own deadline, nor register a check that has not ended.
                try await unit.get(late)
                #expect(try await unit.post(late, ["endedOn": "2026-12-01"]).body.string.contains("考核时间只能由组织部修改（R-A1）"))
                try await unit.get(SiteRoute.regularCheckNew.path)
                #expect(try await unit.post(SiteRoute.regularChecks.path, ["kind": try await Self.kindID(app, "petitions"), "title": "信访查核",
                                                                          "startedOn": "2026-12-01", "endedOn": "2026-12-20"]).body.string.contains("不能晚于今天"))
                // Adding a cadre, the lead unit gives the 姓名 with the 干部编号: the registry is not browsed by code.
                try await unit.get(open)
                #expect(try await unit.post(open + "/subjects", ["subject": "cadre", "code": "C03", "evaluation": "良好"]).body.string.contains("「干部编号」和「姓名」不符"))
                #expect(try await unit.post(open + "/subjects", ["subject": "cadre", "code": "C03", "name": "干部3", "evaluation": "良好"]).status == .seeOther)
                // Only the organisation department files.
                try await unit.get(late)
                #expect(try await unit.post(late + "/file", ["on": "2026-12-08"]).status == .forbidden)

                // Filed on 12-08, three days late: recorded so, in the audit log too.
                try await org.get(late)
                #expect(try await org.post(late + "/file", ["on": "2026-12-11"]).status == .unprocessableEntity, "not after today")
                #expect(try await org.post(late + "/file", ["on": "2026-11-19"]).status == .unprocessableEntity, "not before the check ended")
                #expect(try await org.post(late + "/file", ["on": "2026-12-08"]).status == .seeOther)
                #expect(try await org.get(late).body.string.contains("2026-12-08 已归档（逾期，R-A1）"))
                #expect(try await org.post(late + "/file", ["on": "2026-12-09"]).status == .unprocessableEntity, "filed once")
                try await org.get(open)
                #expect(try await org.post(open + "/file", [:]).status == .seeOther)
                let openPage = try await org.get(open).body.string
                #expect(openPage.contains("2026-12-10 已归档") && !openPage.contains("逾期，R-A1"))
                #expect(!(try await org.get(SiteRoute.home.path).body.string.contains("逾期未归档")))
                let audit = try await app.sql.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE entity = 'regularCheck'").first()!.decode(column: "n", as: Int.self)
                #expect(audit == 5, "two checks made, a cadre added to one, two filed")
            }
        }

        @Test("Seed 000 第六条 and 第八条: teams 好/较好/一般, cadres 优秀/良好/一般, the handling from the list; a blank keeps, 清空 clears; after filing the follow-up goes on and the evaluations join the archive; the report (print, .docx) has 概况, 内容 and 结论")
        func evaluationsAndReport() async throws {
            try await withTestApp { app in
                let org = try await Self.county(app)
                let u01 = try await Workflow.unitID(app, "U01")
                let check = try await Self.makeCheck(org, app, title: "民主生活会检查", ended: "2026-12-05", lead: u01.uuidString, kind: "democratic-life")
                let subjects = check + "/subjects"
                try await org.get(check)
                #expect(try await org.post(subjects, ["subject": "cadre", "code": "C01", "evaluation": "优秀"]).status == .seeOther)
                let wrongScale = try await org.post(subjects, ["subject": "cadre", "code": "C02", "evaluation": "称职"])
                #expect(wrongScale.status == .unprocessableEntity && wrongScale.body.string.contains("seed 000 第六条"))
                #expect(try await org.post(subjects, ["subject": "cadre", "code": "NOPE"]).body.string.contains("“NOPE”在干部名册中不存在"))
                #expect(try await org.post(subjects, ["subject": "team", "unit": u01.uuidString, "evaluation": "较好", "handling": "督促整改"]).status == .seeOther)
                #expect(try await org.post(subjects, ["subject": "team", "unit": u01.uuidString, "handling": "记过"]).body.string.contains("第八条"))
                // A blank keeps the evaluation; the handling is added.
                #expect(try await org.post(subjects, ["subject": "cadre", "code": "C01", "evaluation": "", "handling": "谈话提醒"]).status == .seeOther)
                var rows = try await RegularChecks.subjects(of: UUID(uuidString: String(check.split(separator: "/").last!))!, on: app.sql)
                #expect(rows.first { $0.code == "C01" }?.evaluation == "优秀" && rows.first { $0.code == "C01" }?.handling == "谈话提醒")
                #expect(rows.first { $0.subject == "team" }?.name == "城关镇" || rows.first { $0.subject == "team" }?.unit_name == "城关镇")
                // 清空.
                #expect(try await org.post(subjects, ["subject": "cadre", "code": "C02", "evaluation": "一般"]).status == .seeOther)
                #expect(try await org.post(subjects, ["subject": "cadre", "code": "C02", "clear": "是"]).status == .seeOther)
                rows = try await RegularChecks.subjects(of: UUID(uuidString: String(check.split(separator: "/").last!))!, on: app.sql)
                #expect(rows.first { $0.code == "C02" }?.evaluation == nil)

                // Not in the archive before filing; after, the evaluations are (kind 日常考核).
                #expect(try await Archive.timeline(subject: "cadre", code: "C01", on: app.sql).isEmpty)
                #expect(try await org.post(check + "/file", ["on": "2026-12-09"]).status == .seeOther)
                let timeline = try await Archive.timeline(subject: "cadre", code: "C01", on: app.sql)
                #expect(timeline.count == 1 && timeline[0].kind == "日常考核" && timeline[0].grade == "优秀" && timeline[0].year == 2026
                        && timeline[0].source.contains("民主生活会情况考核"))
                #expect(try await Archive.timeline(subject: "team", code: "U01", on: app.sql).first?.grade == "较好")
                #expect(try await Archive.timeline(subject: "cadre", code: "C02", on: app.sql).isEmpty, "cleared: no evaluation to archive")

                // After filing: the lead unit follows up, but changes no evaluation.
                _ = try await app.makeAccount("u01", role: .unitAdmin, unitID: u01)
                let unit = Browser(app)
                try await unit.login("u01", "password-1234")
                try await unit.get(check)
                #expect(try await unit.post(subjects, ["subject": "cadre", "code": "C01", "evaluation": "一般"]).status == .unprocessableEntity)
                #expect(try await unit.get(check).body.string.contains("登记落实情况"))
                // The row as the page sends it (the evaluation unchanged) is a follow-up, not a change of the evaluation.
                #expect(try await unit.post(subjects, ["subject": "cadre", "code": "C01", "followUp": "已进行谈话提醒", "followUpOn": "2026-12-10"]).status == .seeOther)
                #expect(try await unit.post(subjects, ["subject": "cadre", "code": "C01", "evaluation": "优秀", "followUp": "再次提醒"]).status == .seeOther)
                // The archive's export holds approved and imported results only: the check's evaluations are read from it again.
                let exported = try XLSXReader.read(Data(buffer: try await org.get(SiteRoute.archiveExport.path).body))
                #expect(exported[0].rows.count == 1, "the header only")

                // The report.
                let printed = try await org.get(check + "/report").body.string
                for part in ["关于民主生活会检查的专项考核报告", "一、考核概况", "二、考核内容", "三、考核结论", "审计组 王五、赵六", "再次提醒", "督促整改"] {
                    #expect(printed.contains(part), "\(part)")
                }
                let docx = try DOCXText.plainText(Data(buffer: try await org.get(check + "/report.docx").body))
                for part in ["一、考核概况", "2026-10-01 至 2026-12-05", "查阅账目、个别谈话", "三、考核结论", "干部1", "谈话提醒", "考核人员：审计组 王五、赵六"] {
                    #expect(docx.contains(part), "\(part)")
                }
            }
        }

        @Test("Seed 001 §一(五)5, R-Q6: quarterly 领导评价 entered by unit feed the annual campaign — without an 优秀 in the year a cadre cannot be 优秀; a blank keeps, 清空 removes; the page shows the annual vote score as the second half-year's")
        func quarterlyFeedsRQ6() async throws {
            try await withTestApp { app in
                // county-2019 (seed 001): R-Q6 counts the 领导评价.
                let (org, _) = try await Evaluation.campaignAndSession(app, preset: "county-2019")
                let campaignID = try #require(try await Campaign.query(on: app.db).first()?.id)
                let u01 = try await Workflow.unitID(app, "U01")
                let c01 = try #require(try await app.cadreID("C01")), c02 = try #require(try await app.cadreID("C02"))
                let page = SiteRoute.regularEvaluations.path + "?unit=\(u01.uuidString)&year=2026"
                #expect(try await org.get(page).body.string.contains("干部1"))
                let saved = try await org.post(SiteRoute.regularEvaluations.path, ["unit": u01.uuidString, "year": "2026",
                                                                                   "g.\(c01.uuidString).Q1": "良好", "g.\(c01.uuidString).Q2": "一般",
                                                                                   "g.\(c02.uuidString).Q3": "优秀"])
                #expect(saved.status == .seeOther)
                #expect(try await org.post(SiteRoute.regularEvaluations.path, ["unit": u01.uuidString, "year": "2026",
                                                                               "g.\(c01.uuidString).Q3": "称职"]).body.string.contains("不是 优秀、良好、一般 之一"))
                // A blank keeps; the grid shows who has an 优秀.
                #expect(try await org.post(SiteRoute.regularEvaluations.path, ["unit": u01.uuidString, "year": "2026", "g.\(c01.uuidString).Q1": ""]).status == .seeOther)
                let results = try await RegularChecks.results(year: 2026, on: app.sql)
                #expect(results["C01"]?.map(\.grade) == ["良好", "一般"] && results["C02"]?.map(\.grade) == ["优秀"])
                #expect(results["C01"]?.allSatisfy { $0.source == "领导评价" } == true)

                // A 季度综合评价 of 优秀 is another kind: seed 001 counts the 领导评价 only.
                #expect(try await org.post(SiteRoute.regularEvaluations.path, ["unit": u01.uuidString, "year": "2026", "source": "季度综合评价",
                                                                               "g.\(c01.uuidString).Q4": "优秀"]).status == .seeOther)
                #expect(try await org.get(page + "&source=季度综合评价".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!).body.string.contains("优秀 ✓"))
                #expect(try await RegularChecks.results(year: 2026, on: app.sql)["C01"]?.contains { $0.grade == "优秀" && $0.source == "季度综合评价" } == true)
                // The annual campaign reads them: C01 has records without a 领导评价 of 优秀, so R-Q6 bars 优秀; C02 has one.
                let campaign = try #require(try await Campaign.find(campaignID, on: app.db))
                let grading = try await CampaignGrading.run(campaign, on: app.db)
                let i1 = try #require(grading.dataset.cadres.firstIndex { $0.id == "C01" })
                let i2 = try #require(grading.dataset.cadres.firstIndex { $0.id == "C02" })
                // The 季度综合评价 is not passed on: county-2019 counts the 领导评价 only.
                #expect(grading.dataset.cadres[i1].regular?.count == 2 && grading.dataset.cadres[i2].regular?.first?.grade == "优秀")
                let policy = try campaign.policy()
                var trial = grading.dataset
                trial.cadres[i1].proposal = "优秀"
                trial.cadres[i2].proposal = "优秀"
                let result = GradingEngine.grade(policy: policy, dataset: trial)
                #expect(result.violations.contains { $0.rule == "R-Q6" && $0.subject == "C01" })
                #expect(!result.violations.contains { $0.rule == "R-Q6" && $0.subject == "C02" })

                // Only the counted kind makes a record for R-Q6: a 季度综合评价 alone is no record (county-2019 does not block a cadre without one).
                let c04 = try #require(try await app.cadreID("C04"))
                #expect(try await org.post(SiteRoute.regularEvaluations.path, ["unit": u01.uuidString, "year": "2026", "source": "季度综合评价",
                                                                               "g.\(c04.uuidString).Q1": "良好"]).status == .seeOther)
                let regraded = try await CampaignGrading.run(campaign, on: app.db)
                #expect(regraded.dataset.cadres.first { $0.id == "C04" }?.regular == nil)
                // 清空 removes C02's 优秀; the archive lists the quarterly evaluations.
                #expect(try await Archive.timeline(subject: "cadre", code: "C01", on: app.sql).map(\.source).contains("第一季度 领导评价"))
                #expect(try await org.post(SiteRoute.regularEvaluations.path, ["unit": u01.uuidString, "year": "2026", "g.\(c02.uuidString).Q3": "清空"]).status == .seeOther)
                #expect(try await RegularChecks.results(year: 2026, on: app.sql)["C02"] == nil)
                // Only the organisation department enters them.
                _ = try await app.makeAccount("u01", role: .unitAdmin, unitID: u01)
                let unit = Browser(app)
                try await unit.login("u01", "password-1234")
                #expect(try await unit.get(page).status == .forbidden)
                // Nor do they appear on a unit administrator's view of the cadre's history.
                let cadrePage = try await unit.get(SiteRoute.cadre(c01).path).body.string
                #expect(cadrePage.contains("考核档案") && !cadrePage.contains("领导评价"))
                #expect(try await org.get(SiteRoute.cadre(c01).path).body.string.contains("第一季度 领导评价"))
            }
        }
    }
}
