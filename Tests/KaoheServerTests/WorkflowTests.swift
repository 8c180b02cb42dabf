import AssessmentCore
import Crypto
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 11: the campaign's phases under guards (准备 → 实地考核 → 汇总分析 → 等次评定 → 审定 → 反馈归档), the
    /// committee's approval that locks the results with the hashes of what was approved, reopening with a reason,
    /// interviews (R-P1 coverage, R-T2 serious lead) and special-report tasks.
    @Suite("Campaign workflow: phases, approval, interviews, special reports (issue 11)")
    struct WorkflowTests {
        typealias Evaluation = EvaluationTests

        struct Fixture {
            var org: Browser
            var session: String
            var campaign: String
            var id: UUID
        }

        static func fixture(_ app: Application) async throws -> Fixture {
            let (org, session) = try await Evaluation.campaignAndSession(app)
            let campaign = try #require(try await Campaign.query(on: app.db).first())
            return Fixture(org: org, session: session, campaign: SiteRoute.campaign(campaign.id!).path, id: campaign.id!)
        }

        static func phase(_ app: Application, _ id: UUID) async throws -> CampaignPhase {
            try await CampaignWorkflow.phase(of: id, on: app.sql)
        }

        /// Posts a phase move from the campaign page.
        static func move(_ f: Fixture, to: CampaignPhase, _ extra: [String: String] = [:]) async throws -> TestingHTTPResponse {
            try await f.org.get(f.campaign)
            return try await f.org.post(SiteRoute.campaignPhase(f.id).path, ["to": to.rawValue].merging(extra) { $1 })
        }

        /// Two voters take part in U01's evaluation, which is then closed.
        static func voteAndClose(_ app: Application, _ f: Fixture) async throws {
            let codes = try await Evaluation.issue(f.org, f.session, count: 2)
            for code in codes {
                #expect(try await Evaluation.api(app, try Evaluation.json(code, try await Evaluation.answers(app))).status == .created)
            }
            try await f.org.get(f.session)
            _ = try await f.org.post(f.session + "/close")
        }

        static func interview(_ browser: Browser, _ f: Fixture, unit: UUID, lead: UUID? = nil, notes: String = "了解班子运行情况") async throws -> TestingHTTPResponse {
            let page = SiteRoute.campaignInterviews(f.id).path
            try await browser.get(page + "?unit=" + unit.uuidString)
            return try await browser.post(page, ["unit": unit.uuidString, "category": "班子成员", "heldOn": "2026-11-20", "interviewer": "考核组 李明",
                                                 "notes": notes, "lead": lead?.uuidString ?? ""])
        }

        static func unitID(_ app: Application, _ code: String) async throws -> UUID {
            try await app.sql.raw("SELECT id FROM units WHERE code = \(bind: code)").first()!.decode(column: "id", as: UUID.self)
        }

        static func cadreID(_ app: Application, _ code: String) async throws -> UUID {
            try await app.sql.raw("SELECT id FROM cadres WHERE code = \(bind: code)").first()!.decode(column: "id", as: UUID.self)
        }

        @Test("Phases move one step at a time: into 汇总分析 only when every evaluation is closed or marked as not held; back only with a reason; each change is allowed in its phases only (decisions in 等次评定, evaluations before 汇总分析)")
        func phasesAndGuards() async throws {
            try await withTestApp { app in
                let f = try await Self.fixture(app)
                #expect(try await Self.phase(app, f.id) == .prepare)
                // A decision before 等次评定 is refused, naming the phase.
                try await f.org.get(SiteRoute.campaignResult(f.id).path)
                let early = try await f.org.post(SiteRoute.campaignDecisions(f.id).path, ["subject": "team", "code": "U01", "grade": "一般"])
                #expect(early.status == .unprocessableEntity && early.body.string.contains("等次评定"))
                // No skipping.
                #expect(try await Self.move(f, to: .analysis).status == .unprocessableEntity)
                let today = app.clock.today
                func daysAgo(_ n: Int) -> String { Day(daysSinceEpoch: today.daysSinceEpoch - n).description }
                #expect(try await Self.move(f, to: .fieldwork, ["on": daysAgo(5)]).status == .seeOther)
                #expect(try await Self.phase(app, f.id) == .fieldwork)
                // The evaluation is still open: refused, naming the unit.
                let refused = try await Self.move(f, to: .analysis)
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("民主测评尚未结束") && refused.body.string.contains("城关镇"))
                // A second unit with a team and no evaluation: refused until it is marked as not held.
                try await app.makeUnit("U02", "河西镇")
                let second = try await Self.move(f, to: .analysis)
                #expect(second.body.string.contains("尚未安排民主测评") && second.body.string.contains("河西镇"))
                try await f.org.get(f.campaign)
                #expect(try await f.org.post(SiteRoute.campaignExemptions(f.id).path, ["unit": try await Self.unitID(app, "U02").uuidString]).status == .unprocessableEntity, "a reason is required")
                #expect(try await f.org.post(SiteRoute.campaignExemptions(f.id).path, ["unit": try await Self.unitID(app, "U02").uuidString, "reason": "机构改革，班子调整中"]).status == .seeOther)
                #expect(try await f.org.post(SiteRoute.campaignExemptions(f.id).path, ["unit": try await Self.unitID(app, "U01").uuidString, "reason": "x"]).status == .unprocessableEntity, "U01 has its evaluation")
                #expect(try await f.org.get(f.campaign).body.string.contains("不开展：机构改革，班子调整中"))
                try await Self.voteAndClose(app, f)
                // Dates stay in order and in the past.
                let future = try await Self.move(f, to: .analysis, ["on": Day(daysSinceEpoch: today.daysSinceEpoch + 1).description])
                #expect(future.status == .unprocessableEntity && future.body.string.contains("晚于今天"))
                let before = try await Self.move(f, to: .analysis, ["on": daysAgo(6)])
                #expect(before.status == .unprocessableEntity && before.body.string.contains("早于上一阶段的日期"))
                #expect(try await Self.move(f, to: .analysis, ["on": daysAgo(3)]).status == .seeOther)
                // After 实地考核: no session is arranged or reopened.
                try await f.org.get(f.session)
                let reopen = try await f.org.post(f.session + "/reopen", ["reason": "补投", "confirm": "是"])
                #expect(reopen.status == .unprocessableEntity && reopen.body.string.contains("汇总分析"))
                #expect(try await Self.move(f, to: .grading).status == .seeOther)
                // Decisions now.
                try await f.org.get(SiteRoute.campaignResult(f.id).path)
                #expect(try await f.org.post(SiteRoute.campaignDecisions(f.id).path, ["subject": "team", "code": "U01", "grade": "一般"]).status == .seeOther)
                // Back without a reason is refused; with one it is recorded.
                #expect(try await Self.move(f, to: .analysis).status == .unprocessableEntity)
                #expect(try await Self.move(f, to: .analysis, ["reason": "补充谈话"]).status == .seeOther)
                let history = try await CampaignWorkflow.history(of: f.id, on: app.sql)
                #expect(history.map(\.phase) == ["fieldwork", "analysis", "grading", "analysis"])
                #expect(history[1].on_day == daysAgo(3) && history[3].reason == "补充谈话")
                let page = try await f.org.get(f.campaign).body.string
                #expect(page.contains("工作阶段：汇总分析") && page.contains("补充谈话"))
                // Only the organisation department moves phases.
                _ = try await app.makeAccount("member", role: .groupMember)
                let member = Browser(app)
                try await member.login("member", "password-1234")
                try await member.get(SiteRoute.campaigns.path)
                #expect(try await member.post(SiteRoute.campaignPhase(f.id).path, ["to": "grading"]).status == .forbidden)
            }
        }

        @Test("R-T2 (seed 003 §五(三)2 在个别谈话中发现领导干部重要问题线索的…写出专题报告) and the committee's approval: a serious lead raises R-T2; approval waits for its special report and needs the meeting; it stores the policy, input, output and decisions with SHA-256 (in the audit log too); the input grades again to the same output; the results are locked — a later registry change does not move them — until reopened with a reason")
        func approvalLocksResults() async throws {
            try await withTestApp { app in
                let f = try await Self.fixture(app)
                let u01 = try await Self.unitID(app, "U01")
                #expect(try await Self.move(f, to: .fieldwork).status == .seeOther)
                try await Self.voteAndClose(app, f)
                // A serious lead about C03 found in an interview.
                #expect(try await Self.interview(f.org, f, unit: u01, lead: try await Self.cadreID(app, "C03"), notes: "反映其插手工程项目").status == .seeOther)
                var grading = try await CampaignGrading.run(try #require(try await Campaign.find(f.id, on: app.db)), on: app.db)
                #expect(grading.result.triggers.contains { $0.rule == "R-T2" && $0.subject == "C03" })
                #expect(try await Self.move(f, to: .analysis).status == .seeOther)
                #expect(try await Self.move(f, to: .grading).status == .seeOther)
                try await f.org.get(SiteRoute.campaignResult(f.id).path)
                #expect(try await f.org.post(SiteRoute.campaignDecisions(f.id).path, ["subject": "team", "code": "U01", "grade": "一般"]).status == .seeOther)
                // Approval refused: the special report is not done.
                let waiting = try await Self.move(f, to: .approval, ["meeting": "县委常委会第40次会议"])
                #expect(waiting.status == .unprocessableEntity && waiting.body.string.contains("R-T2 C03"))
                try await f.org.get(SiteRoute.campaignResult(f.id).path)
                let farOff = try await f.org.post(SiteRoute.campaignTasks(f.id).path, ["rule": "R-T2", "subject": "C03", "assignee": "第一考核组", "due": "9999-01-10"])
                #expect(farOff.status == .unprocessableEntity && farOff.body.string.contains("「完成期限」应在 2026-01-01 到"))
                #expect(try await f.org.post(SiteRoute.campaignTasks(f.id).path, ["rule": "R-T2", "subject": "C03", "assignee": "第一考核组", "due": "2027-01-10"]).status == .seeOther)
                #expect(try await f.org.post(SiteRoute.campaignTasks(f.id).path, ["rule": "R-T2", "subject": "C01", "assignee": "第一考核组", "due": "2027-01-10"]).status == .unprocessableEntity, "no trigger, no task")
                let task = try #require(try await ReportTasks.load(campaign: f.id, on: app.sql).first)
                #expect(try await Self.move(f, to: .approval, ["meeting": "县委常委会第40次会议"]).status == .unprocessableEntity)
                let board = try await f.org.get(SiteRoute.campaignResult(f.id).path).body.string
                #expect(board.contains("专题报告") && board.contains("第一考核组 · 2027-01-10"))
                #expect(try await f.org.post(SiteRoute.campaignTaskDone(campaign: f.id, task: task.id).path, ["summary": "经核查，线索不实，已报县纪委备案", "on": "2027-01-05"]).status == .seeOther)
                let again = try await f.org.post(SiteRoute.campaignTaskDone(campaign: f.id, task: task.id).path, ["summary": "改写", "on": "2027-01-06"])
                #expect(again.status == .unprocessableEntity && again.body.string.contains("已经完成"))
                // The meeting is required.
                #expect(try await Self.move(f, to: .approval).status == .unprocessableEntity)
                #expect(try await Self.move(f, to: .approval, ["meeting": "县委常委会第40次会议", "on": app.clock.today.description]).status == .seeOther)

                let approval = try #require(try await CampaignWorkflow.storedApproval(of: f.id, on: app.sql))
                #expect(approval.approved_on == app.clock.today.description && approval.meeting == "县委常委会第40次会议")
                func sha(_ s: String) -> String { SHA256.hash(data: Data(s.utf8)).map { String(format: "%02x", $0) }.joined() }
                #expect(sha(approval.input_json) == approval.input_sha256 && sha(approval.output_json) == approval.output_sha256
                        && sha(approval.decisions_json) == approval.decisions_sha256)
                let campaign = try #require(try await Campaign.find(f.id, on: app.db))
                #expect(sha(campaign.policyJSON) == approval.policy_sha256)
                // The archive keeps each approved subject's name and unit as they were (issue 12).
                let history = try await Archive.search(.init(subject: ("cadre", "C03")), limit: 10, offset: 0, on: app.sql).entries
                let archived = history.filter { $0.kind == "annual" }
                #expect(archived.map(\.name) == ["干部3"] && archived.map(\.unit) == ["城关镇"] && archived.first?.year == 2026)
                // …and, beside the grade, the special report done about the cadre (issue 13's archive of special reports).
                #expect(history.contains { $0.kind == "specialReport" && $0.source.contains("R-T2") })
                #expect(approval.decisions_json.contains("\"code\":\"U01\"") && approval.decisions_json.contains("\"grade\":\"一般\""))
                // What `kaohe grade` would do with the stored input and policy: the same output, byte for byte.
                let policy = try Policy.decode(Data(campaign.policyJSON.utf8))
                let replayed = try Dataset.read(Data(approval.input_json.utf8), policy: policy)
                #expect(GradingEngine.grade(policy: policy, dataset: replayed).json(dataset: replayed, policy: policy) == Data(approval.output_json.utf8))
                #expect(replayed.cadres.first { $0.id == "C03" }?.facts.interviewLead == true)
                struct A: Decodable { var after: String? }
                let audit = try await app.sql.raw("SELECT after FROM audit_entries WHERE entity = 'campaign' ORDER BY seq DESC LIMIT 1").first(decoding: A.self)
                #expect(audit?.after?.contains(approval.output_sha256) == true && audit?.after?.contains(approval.input_sha256) == true)
                // Downloads for checking.
                let input = try await f.org.get(SiteRoute.campaignApprovedInput(f.id).path)
                #expect(input.status == .ok && input.body.string == approval.input_json)

                // Locked: decisions, participation, interviews and tasks are refused with the way out named.
                try await f.org.get(SiteRoute.campaignResult(f.id).path)
                let locked = try await f.org.post(SiteRoute.campaignDecisions(f.id).path, ["subject": "team", "code": "U01", "grade": "良好", "reason": "x"])
                #expect(locked.status == .unprocessableEntity && locked.body.string.contains("已经审定") && locked.body.string.contains("重新打开"))
                try await f.org.get(f.campaign)
                #expect(try await f.org.post(SiteRoute.campaignParticipation(f.id).path, ["cadre": try await Self.cadreID(app, "C04").uuidString, "participates": "不参加", "reason": "x", "confirm": "是"]).status == .unprocessableEntity)
                #expect(try await Self.interview(f.org, f, unit: u01).status == .unprocessableEntity)
                // A registry change after approval (C04 now under investigation) does not change the approved results.
                let before = try await GradingBoardTests.grade(app, "C04")
                try await app.sql.raw("UPDATE cadres SET under_investigation = \(bind: true) WHERE code = 'C04'").run()
                grading = try await CampaignGrading.run(campaign, on: app.db)
                #expect(grading.approval != nil)
                #expect(try await GradingBoardTests.grade(app, "C04") == before)
                let page = try await f.org.get(SiteRoute.campaignResult(f.id).path).body.string
                #expect(page.contains("经县委常委会第40次会议审定") && !page.contains("name=\"grade\""), "no decision forms on the approved board")

                // Tampering with the stored input is detected, not graded.
                try await app.sql.raw("UPDATE campaign_approvals SET input_json = REPLACE(input_json, '\"好\"', '\"较好\"')").run()
                await #expect(throws: RequestFailure.self) { _ = try await CampaignGrading.run(campaign, on: app.db) }
                try await app.sql.raw("UPDATE campaign_approvals SET input_json = \(bind: approval.input_json)").run()

                // Reopening needs a reason; it removes the stored approval (the audit log keeps its hashes).
                #expect(try await Self.move(f, to: .grading).status == .unprocessableEntity)
                #expect(try await Self.move(f, to: .grading, ["reason": "常委会要求复核 C04"]).status == .seeOther)
                #expect(try await CampaignWorkflow.storedApproval(of: f.id, on: app.sql) == nil)
                #expect(try await GradingBoardTests.grade(app, "C04") != before || before == "不确定等次", "the live registry again")
                try await f.org.get(SiteRoute.campaignResult(f.id).path)
                #expect(try await f.org.post(SiteRoute.campaignDecisions(f.id).path, ["subject": "team", "code": "U01", "grade": "良好"]).status == .seeOther)
            }
        }

        @Test("R-P1 (seed 003 §五(二) 谈话总人数…不低于参加测评人员的 90%): coverage counts against the evaluation's ballots and a shortfall shows on the campaign page; interview notes are read by the organisation department and the unit's group only — not the administrator, not another group, not the audit log")
        func interviewsCoverageAndPrivacy() async throws {
            try await withTestApp { app in
                let f = try await Self.fixture(app)
                let u01 = try await Self.unitID(app, "U01")
                #expect(try await Self.move(f, to: .fieldwork).status == .seeOther)
                try await Self.voteAndClose(app, f)  // 2 took part: 2 interviews needed (90% of 2, rounded up)
                #expect(try await Self.interview(f.org, f, unit: u01, notes: "秘密内容甲").status == .seeOther)
                var progress = try await CampaignWorkflow.progress(of: f.id, on: app.sql)[u01]!
                #expect(progress.participants == 2 && progress.interviewsNeeded == 2 && progress.interviews == 1 && progress.interviewsShort)
                #expect(try await f.org.get(f.campaign).body.string.contains("1/2 不足 90%"))
                // Bad input: each field named.
                let bad = try await f.org.post(SiteRoute.campaignInterviews(f.id).path, ["unit": u01.uuidString, "category": "", "heldOn": "昨天", "interviewer": ""])
                #expect(bad.status == .unprocessableEntity && bad.body.string.contains("谈话日期") && bad.body.string.contains("谈话人"))
                #expect(try await Self.interview(f.org, f, unit: u01, lead: try await Self.cadreID(app, "C03"), notes: "").status == .unprocessableEntity, "a lead needs its content")
                // The same form sent again (a double click) is not a second interview; dates stay within the campaign
                // year and not after today.
                let again = try await Self.interview(f.org, f, unit: u01, notes: "秘密内容甲")
                #expect(again.status == .unprocessableEntity && again.body.string.contains("重复提交"))
                #expect(try await CampaignWorkflow.progress(of: f.id, on: app.sql)[u01]!.interviews == 1)
                for day in ["9999-12-31", "2025-12-31", Day(daysSinceEpoch: app.clock.today.daysSinceEpoch + 1).description] {
                    let dated = try await f.org.post(SiteRoute.campaignInterviews(f.id).path, ["unit": u01.uuidString, "category": "班子成员", "heldOn": day,
                                                                                               "interviewer": "李明", "notes": "另一次"])
                    #expect(dated.status == .unprocessableEntity && dated.body.string.contains("2026-01-01 到今天"), "\(day)")
                }

                // The unit's group member records and reads; another group's member cannot; the administrator cannot.
                let member = try await app.makeAccount("member", role: .groupMember)
                let group = AssessmentGroup(name: "第一考核组")
                try await group.create(on: app.db)
                try await group.$units.attach(try await Unit.find(u01, on: app.db)!, on: app.db)
                try await group.$members.attach(member, on: app.db)
                let m = Browser(app)
                try await m.login("member", "password-1234")
                #expect(try await Self.interview(m, f, unit: u01, notes: "秘密内容乙").status == .seeOther)
                let memberPage = try await m.get(SiteRoute.campaignInterviews(f.id).path + "?unit=" + u01.uuidString)
                #expect(memberPage.body.string.contains("秘密内容甲"), "\(memberPage.status) \(memberPage.body.string.prefix(3000))")
                progress = try await CampaignWorkflow.progress(of: f.id, on: app.sql)[u01]!
                #expect(!progress.interviewsShort)

                _ = try await app.makeAccount("outsider", role: .groupMember)
                let o = Browser(app)
                try await o.login("outsider", "password-1234")
                let theirs = try await o.get(SiteRoute.campaignInterviews(f.id).path + "?unit=" + u01.uuidString)
                #expect(!theirs.body.string.contains("秘密内容"))
                #expect(try await Self.interview(o, f, unit: u01).status == .unprocessableEntity)

                _ = try await app.makeAccount("admin2", role: .admin)
                let a = Browser(app)
                try await a.login("admin2", "password-1234")
                let refused = try await a.get(SiteRoute.campaignInterviews(f.id).path + "?unit=" + u01.uuidString)
                #expect(refused.status == .forbidden && !refused.body.string.contains("秘密内容"))

                // A record entered by mistake (here: a wrong lead) is withdrawn with a reason: it no longer counts
                // nor raises R-T2; another group cannot withdraw it.
                #expect(try await Self.interview(f.org, f, unit: u01, lead: try await Self.cadreID(app, "C04"), notes: "误录的线索").status == .seeOther)
                let campaign = try #require(try await Campaign.find(f.id, on: app.db))
                #expect(try await CampaignGrading.run(campaign, on: app.db).result.triggers.contains { $0.rule == "R-T2" && $0.subject == "C04" })
                struct I: Decodable { var id: UUID }
                let wrong = try #require(try await app.sql.raw("SELECT id FROM interviews WHERE notes = '误录的线索'").first(decoding: I.self)).id
                let withdraw = SiteRoute.campaignInterviewWithdraw(f.id).path
                try await o.get(SiteRoute.campaignInterviews(f.id).path)
                #expect(try await o.post(withdraw, ["interview": wrong.uuidString, "reason": "误录"]).status == .notFound)
                try await f.org.get(SiteRoute.campaignInterviews(f.id).path + "?unit=" + u01.uuidString)
                #expect(try await f.org.post(withdraw, ["interview": wrong.uuidString, "reason": ""]).status == .unprocessableEntity)
                #expect(try await f.org.post(withdraw, ["interview": wrong.uuidString, "reason": "误录，线索不属实"]).status == .seeOther)
                #expect(!(try await CampaignGrading.run(campaign, on: app.db).result.triggers.contains { $0.rule == "R-T2" && $0.subject == "C04" }))
                #expect(try await CampaignWorkflow.progress(of: f.id, on: app.sql)[u01]!.interviews == 2)
                #expect(try await f.org.get(SiteRoute.campaignInterviews(f.id).path + "?unit=" + u01.uuidString).body.string.contains("已撤销：误录，线索不属实"))

                struct A: Decodable { var after: String? }
                let audit = try await app.sql.raw("SELECT after FROM audit_entries WHERE entity = 'campaign'").all(decoding: A.self)
                #expect(audit.contains { $0.after?.contains("notesSHA256") == true })
                #expect(!audit.contains { $0.after?.contains("秘密内容") == true })
            }
        }

        @Test("情况反馈 (seed 002 §三(二)7 采取适当方式向考核对象反馈年度考核情况): feedback is written after approval; in 反馈归档 each cadre sees their own grade and feedback and each unit its team's, nobody another's; the organisation department sees who has read it")
        func publicationAndFeedback() async throws {
            try await withTestApp { app in
                let f = try await Self.fixture(app)
                #expect(try await Self.move(f, to: .fieldwork).status == .seeOther)
                try await Self.voteAndClose(app, f)
                #expect(try await Self.move(f, to: .analysis).status == .seeOther)
                #expect(try await Self.move(f, to: .grading).status == .seeOther)
                let feedback = SiteRoute.campaignFeedback(f.id).path
                try await f.org.get(feedback)
                let early = try await f.org.post(feedback, ["subject": "cadre", "code": "C03", "text": "继续保持"])
                #expect(early.status == .unprocessableEntity && early.body.string.contains("等次评定"))
                #expect(try await Self.move(f, to: .approval, ["meeting": "县委常委会第40次会议"]).status == .seeOther)
                try await f.org.get(feedback)
                #expect(try await f.org.post(feedback, ["subject": "cadre", "code": "C03", "text": "工作扎实，希望在基层治理上再创佳绩"]).status == .seeOther)
                #expect(try await f.org.post(feedback, ["subject": "team", "code": "U01", "text": "班子团结，建议加强年轻干部培养"]).status == .seeOther)
                #expect(try await f.org.post(feedback, ["subject": "cadre", "code": "NOPE", "text": "x"]).status == .unprocessableEntity)

                _ = try await app.makeAccount("c03", role: .cadre, cadreID: try await Self.cadreID(app, "C03"))
                _ = try await app.makeAccount("c04", role: .cadre, cadreID: try await Self.cadreID(app, "C04"))
                _ = try await app.makeAccount("u01", role: .unitAdmin, unitID: try await Self.unitID(app, "U01"))
                let c03 = Browser(app), c04 = Browser(app), u01 = Browser(app)
                try await c03.login("c03", "password-1234")
                try await c04.login("c04", "password-1234")
                try await u01.login("u01", "password-1234")
                // Approved but not yet published: nothing to see, nothing read.
                #expect(try await c03.get(SiteRoute.results.path).body.string.contains("暂无已发布的考核结果"))
                #expect(try await app.count("feedback_reads") == 0)
                #expect(try await Self.move(f, to: .feedback).status == .seeOther)
                let own = try await c03.get(SiteRoute.results.path).body.string
                let grade = try #require(try await GradingBoardTests.grade(app, "C03"))
                #expect(own.contains("本人：<strong>\(grade)</strong>") && own.contains("工作扎实，希望在基层治理上再创佳绩") && own.contains("县委常委会第40次会议审定"))
                let other = try await c04.get(SiteRoute.results.path).body.string
                #expect(!other.contains("工作扎实") && other.contains("暂无书面反馈意见"))
                let team = try await u01.get(SiteRoute.results.path).body.string
                #expect(team.contains("本单位领导班子") && team.contains("建议加强年轻干部培养") && !team.contains("工作扎实"))
                // The department sees who has read it (C03, C04 and the team; not the others).
                let page = try await f.org.get(feedback).body.string
                #expect(page.contains("已阅 3 /"))
                #expect(try await c03.get(feedback).status == .forbidden)
                // Reading twice records once.
                _ = try await c03.get(SiteRoute.results.path)
                #expect(try await app.count("feedback_reads") == 3)
                // A blank erases nothing; a change after the reading shows as not read again; 删除 removes it.
                try await f.org.get(feedback)
                #expect(try await f.org.post(feedback, ["subject": "cadre", "code": "C03", "text": ""]).status == .unprocessableEntity)
                try await Task.sleep(for: .milliseconds(20))
                #expect(try await f.org.post(feedback, ["subject": "cadre", "code": "C03", "text": "工作扎实，望再接再厉"]).status == .seeOther)
                #expect(try await f.org.get(feedback).body.string.contains("反馈修改后未再阅"))
                #expect(try await f.org.post(feedback, ["subject": "team", "code": "U01", "text": "", "clear": "是"]).status == .seeOther)
                #expect(!(try await u01.get(SiteRoute.results.path).body.string.contains("建议加强年轻干部培养")))
            }
        }
    }
}
