import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    @Suite("kaohe demo (issue 10)")
    struct DemoTests {
        static func runDemo(_ app: Application) async throws -> Int32 {
            var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["kaohe", "demo"]))
            context.application = app
            do {
                try await DemoCommand().run(using: context, signature: try DemoCommand.Signature(from: &context.input))
                return 0
            } catch let exit as ExitCode { return exit.code }
        }

        @Test("kaohe demo fills an empty database with a county, accounts and a campaign whose evaluations were voted with codes and closed; it refuses a database with data")
        func demo() async throws {
            try await withTestApp { app in
                #expect(try await Self.runDemo(app) == 0)
                #expect(try await app.count("units") == 12)
                #expect(try await app.count("cadres") == 150)
                #expect(try await app.count("evaluation_sessions") == 12)
                struct N: Decodable { var n: Int }
                let open = try await app.sql.raw("SELECT COUNT(*) AS n FROM evaluation_sessions WHERE status = 'open'").first(decoding: N.self)?.n
                #expect(open == 0)
                // Every ballot came with a code, and every used code has its ballot.
                let used = try await app.sql.raw("SELECT COUNT(*) AS n FROM ballot_codes WHERE used = TRUE").first(decoding: N.self)?.n
                let ballots = try await app.count("ballots")
                #expect(ballots > 300 && used == ballots)
                // Its accounts, group and codes were written as audited changes like any other.
                struct E: Decodable { var after: String? }
                let made = try await app.sql.raw("SELECT after FROM audit_entries WHERE entity IN ('account', 'assessmentGroupMember', 'evaluationSession')").all(decoding: E.self)
                #expect(made.contains { $0.after?.contains("zuzhibu") == true } && made.contains { $0.after?.contains("accountID") == true })
                #expect(made.filter { $0.after?.contains("codesIssued") == true }.count == 36)
                let entries = try await app.count("audit_entries")
                #expect(try await AuditChain.verify(on: app.sql, seal: app.auditSeal) == .intact(count: entries))
                // The result page grades the county: some 优秀 and the rules' reasons shown.
                let org = Browser(app)
                try await org.login("admin", testAdminPassword)
                let campaign = try await Campaign.query(on: app.db).filter(\.$kind == "annual").first()!
                let page = try await org.get(SiteRoute.campaignResult(campaign.id!).path).body.string
                #expect(page.contains("<strong>优秀</strong>") && page.contains("R-E6") && page.contains("R-E5") && page.contains("R-E7"))
                #expect(!page.contains("民主测评未结束"))
                // Issue 11: the campaign stands in 等次评定, with interviews (县财政局 short of 90%, R-P1), a serious lead
                // (R-T2) and special-report tasks for the triggers, one done — so approval waits for the rest.
                #expect(try await CampaignWorkflow.phase(of: campaign.id!, on: app.sql) == .grading)
                let progress = try await CampaignWorkflow.progress(of: campaign.id!, on: app.sql)
                let z03 = try await app.sql.raw("SELECT id FROM units WHERE code = 'Z03'").first()!.decode(column: "id", as: UUID.self)
                #expect(progress.filter { $0.value.interviewsShort }.map(\.key) == [z03])
                let grading = try await CampaignGrading.run(campaign, on: app.db)
                #expect(grading.result.triggers.contains { $0.rule == "R-T2" && $0.message.contains("谈话") })
                // Every team has its composite from the four indicators (R-S2), two scored by departments as scoring units.
                #expect(grading.result.teams.count == 12 && grading.result.teams.allSatisfy { $0.score != nil })
                let indicators = try await Indicators.load(campaign: campaign.id!, on: app.sql)
                #expect(indicators.count == 4 && indicators.filter { $0.scoring_unit_id != nil }.count == 2)
                let tasks = try await ReportTasks.load(campaign: campaign.id!, on: app.sql)
                #expect(tasks.count == grading.result.triggers.filter { ["R-T1", "R-T2"].contains($0.rule) }.count && tasks.filter { $0.done_on != nil }.count == 1)
                #expect(page.contains("专题报告") && page.contains("第一考核组"))
                // The special report done is in the archive (issue 12): its subject's history names it.
                let done = try #require(tasks.first { $0.done_on != nil })
                let doneKind = grading.dataset.teams.contains { $0.id == done.subject } ? "team" : "cadre"
                #expect(try await Archive.timeline(subject: doneKind, code: done.subject, on: app.sql).contains { $0.kind == "专题报告" && $0.source.contains(done.rule) })
                let show = try await org.get(SiteRoute.campaign(campaign.id!).path).body.string
                #expect(show.contains("工作阶段：等次评定") && show.contains("不足 90%"))
                // The 登记表 of 城关镇: summaries written, the unit's grades proposed (three 优秀, over its cap) on the board.
                #expect(page.contains("单位意见：优秀") && page.contains("单位意见超出"))
                let forms = try await Registration.load(campaign: campaign.id!, on: app.sql)
                #expect(forms.count >= 10 && forms.values.allSatisfy { !$0.summary.isEmpty })
                // A probation-end campaign (R-P4) in 准备 with two cadres listed.
                let probation = try #require(try await Campaign.query(on: app.db).filter(\.$kind == "probation").first())
                #expect(try await Probation.entries(campaign: probation.id!, on: app.sql).count == 2)
                #expect(try await org.get(SiteRoute.campaign(probation.id!).path).body.string.contains("试用期满干部名单"))
                // Issue 13: a year of 日常考核 — one report overdue (R-A1), on the home page — and quarterly 领导评价.
                #expect(try await app.count("regular_checks") == 4)
                #expect(try await app.count("regular_evaluations") == 2 * 13 * 3)
                let home = try await org.get(SiteRoute.home.path).body.string
                #expect(home.contains("1 份考核报告</a>逾期未归档"))
                let regular = try await org.get(SiteRoute.regularChecks.path).body.string
                #expect(regular.contains("重点项目推进情况专项督查") && regular.contains("逾期未归档") && regular.contains("已归档"))
                #expect(try await Archive.timeline(subject: "team", code: "X01", on: app.sql).contains { $0.kind == "日常考核" && $0.grade == "好" })
                // A clean-governance check: the checklist scored, the bottom two flagged (R-T3), one rectification overdue (R-R1).
                let clean = try #require(try await Campaign.query(on: app.db).filter(\.$kind == "cleanGovernance").first())
                let rectification = try await org.get(SiteRoute.campaignRectification(clean.id!).path).body.string
                #expect(rectification.components(separatedBy: "：R-T3").count - 1 == 2)
                #expect(rectification.contains("逾期未报送整改措施") && rectification.contains("其中 1 项逾期") && rectification.contains("整改完成，已销号"))
                #expect(home.contains("逾期未报送整改措施"))
                #expect(try await org.get(SiteRoute.campaignScorecards(clean.id!).path).body.string.contains("<strong>良好</strong>"))
                // The departments' target-responsibility ledgers, ranked (R-S8).
                let ledger = try await Ledger.points(year: app.clock.today.components.year, on: app.sql).points
                #expect(ledger.count == 6 && ledger.map(\.rank).min() == 1 && ledger.allSatisfy { $0.headcount > 0 })
                #expect(try await org.get(SiteRoute.ledger.path).body.string.contains("县财政局"))
                // A second run changes nothing.
                #expect(try await Self.runDemo(app) == 1)
                #expect(try await app.count("cadres") == 150)
            }
        }
    }
}
