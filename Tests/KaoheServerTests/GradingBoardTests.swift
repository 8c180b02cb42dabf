import AssessmentCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 11 (first part): the organisation department decides grades on the result page; decisions drive the rest
    /// (D14: a team's decided grade sets its cadres' caps and its principal's limit, R-Q4), and a decision that breaks
    /// a rule is saved only with a reason, the violation staying visible.
    @Suite("Grade decisions on the result page (issue 11)")
    struct GradingBoardTests {
        typealias Evaluation = EvaluationTests

        static func grade(_ app: Application, _ code: String) async throws -> String? {
            let campaign = try #require(try await Campaign.query(on: app.db).first())
            let g = try await CampaignGrading.run(campaign, on: app.db)
            if let i = g.dataset.cadres.firstIndex(where: { $0.id == code }) { return g.result.cadres[i].grade }
            if let i = g.dataset.teams.firstIndex(where: { $0.id == code }) { return g.result.teams[i].grade }
            return nil
        }

        /// Decisions are made in 等次评定 (WorkflowTests walks there through the guards).
        static func standInGrading(_ app: Application) async throws {
            try await app.sql.raw("UPDATE campaigns SET phase = 'grading'").run()
        }

        @Test("R-Q4 (seed 003 §五(四) 领导班子为较差等次的，主要负责人一般不得确定为称职及以上等次): 组织部 decides 城关镇's team 较差; its principals follow at once (基本称职); the decision is audited and shown")
        func teamDecisionDrivesPrincipals() async throws {
            try await withTestApp { app in
                let (org, _) = try await Evaluation.campaignAndSession(app)
                try await Self.standInGrading(app)
                let campaign = try #require(try await Campaign.query(on: app.db).first())
                #expect(try await Self.grade(app, "C01") == "称职")
                let result = SiteRoute.campaignResult(campaign.id!).path
                try await org.get(result)
                let audits = try await app.count("audit_entries")
                let made = try await org.post(SiteRoute.campaignDecisions(campaign.id!).path, ["subject": "team", "code": "U01", "grade": "较差"])
                #expect(made.status == .seeOther)
                #expect(try await Self.grade(app, "U01") == "较差")
                let principals = [try await Self.grade(app, "C01"), try await Self.grade(app, "C02")]
                #expect(principals == ["基本称职", "基本称职"], "the principals follow the decided team grade")
                #expect(try await Self.grade(app, "C03") == "称职", "the other cadres do not")
                #expect(try await app.count("audit_entries") == audits + 1)
                let page = try await org.get(result).body.string
                #expect(page.contains("<strong>较差</strong><div class=\"muted\">已确定</div>") && page.contains("R-Q4"))
                // 「按建议」 withdraws it: the engine's grades again.
                try await org.get(result)
                _ = try await org.post(SiteRoute.campaignDecisions(campaign.id!).path, ["subject": "team", "code": "U01", "grade": "按建议"])
                #expect(try await Self.grade(app, "C01") == "称职")
            }
        }

        @Test("The board per category (R-Q1 seed 003 §五(四)1 按类别): one category's units and its own caps, beside the caps over every unit; a decision made there comes back to the same category")
        func perCategory() async throws {
            try await withTestApp { app in
                let (org, _) = try await Evaluation.campaignAndSession(app)
                try await app.makeUnit("Z01", "县发展和改革局", category: "县直单位")
                try await Self.standInGrading(app)
                let campaign = try #require(try await Campaign.query(on: app.db).first())
                let result = SiteRoute.campaignResult(campaign.id!).path
                let all = try await org.get(result).body.string
                #expect(all.contains("城关镇") && all.contains("县发展和改革局") && all.contains("teams:乡镇街道") && all.contains("teams:县直单位"))
                let page = try await org.get(result + "?category=" + "县直单位".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!).body.string
                #expect(page.contains("县发展和改革局") && !page.contains("<h2>城关镇"))
                #expect(page.contains("teams:县直单位") && !page.contains("teams:乡镇街道") && !page.contains("cadres:U01"))
                #expect(page.contains("县直单位：共 1 个单位"))
                // An unknown category shows every unit.
                #expect(try await org.get(result + "?category=x").body.string.contains("城关镇"))
                let made = try await org.post(SiteRoute.campaignDecisions(campaign.id!).path,
                                              ["subject": "team", "code": "Z01", "grade": "一般", "category": "县直单位"])
                #expect(made.headers.first(name: .location)?.contains("category=%E5%8E%BF%E7%9B%B4%E5%8D%95%E4%BD%8D") == true)
            }
        }

        @Test("A decision that breaks a rule (a principal 称职 under a 较差 team, R-Q4) is refused without a reason, saved with one, and its violation stays on the page; a group member cannot decide; a subject not in the campaign or a grade not on the scale is refused")
        func ruleBreakingDecisionNeedsReason() async throws {
            try await withTestApp { app in
                let (org, _) = try await Evaluation.campaignAndSession(app)
                try await Self.standInGrading(app)
                let campaign = try #require(try await Campaign.query(on: app.db).first())
                let decide = SiteRoute.campaignDecisions(campaign.id!).path
                let result = SiteRoute.campaignResult(campaign.id!).path
                try await org.get(result)
                _ = try await org.post(decide, ["subject": "team", "code": "U01", "grade": "较差"])
                try await org.get(result)
                let refused = try await org.post(decide, ["subject": "cadre", "code": "C01", "grade": "称职"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("须填写原因") && refused.body.string.contains("R-Q4"))
                #expect(try await Self.grade(app, "C01") == "基本称职")
                try await org.get(result)
                let saved = try await org.post(decide, ["subject": "cadre", "code": "C01", "grade": "称职", "reason": "常委会研究，个人工作突出"])
                #expect(saved.status == .seeOther)
                #expect(try await Self.grade(app, "C01") == "称职")
                let page = try await org.get(result).body.string
                #expect(page.contains("原因：常委会研究，个人工作突出") && page.contains("R-Q4 C01"), "the violation stays visible")
                for (subject, code, grade) in [("cadre", "NOPE", "称职"), ("cadre", "C02", "特优"), ("unit", "U01", "好")] {
                    try await org.get(result)
                    #expect(try await org.post(decide, ["subject": subject, "code": code, "grade": grade]).status == .unprocessableEntity, "\(subject) \(code) \(grade)")
                }
                _ = try await app.makeAccount("member", role: .groupMember)
                let member = Browser(app)
                try await member.login("member", "password-1234")
                try await member.get(SiteRoute.campaigns.path)
                #expect(try await member.post(decide, ["subject": "cadre", "code": "C03", "grade": "优秀"]).status == .forbidden)
            }
        }
    }
}
