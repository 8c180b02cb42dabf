import AssessmentCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 11: 试用期满考核 (R-P4, seed 002 §二3) as a kind of campaign driven by its policy: the organisation
    /// department lists the cadres whose probation ends; their units' evaluations carry only them, rated 胜任/基本胜任/
    /// 不胜任; no team is graded; each outcome shows its consequence.
    @Suite("试用期满考核: a probation-end campaign (R-P4)")
    struct ProbationCampaignTests {
        typealias Evaluation = EvaluationTests

        /// U01 (six cadres since 2020, one of them C03 promoted on 2025-06-01 as far as the list says) and U02 with P01,
        /// appointed 2025-03-01; a probation-end campaign of 2026.
        static func campaign(_ app: Application) async throws -> (Browser, UUID) {
            try await Evaluation.county(app)
            try await app.makeUnit("U02", "河西镇")
            _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("P01", "新任甲", unit: "U02", title: "副镇长", start: "2025-03-01")]))
            _ = try await app.makeAccount("org", role: .organisationDepartment)
            let org = Browser(app)
            try await org.login("org", "password-1234")
            try await org.get(SiteRoute.campaigns.path)
            // The kind and the policy go together.
            let mismatch = try await org.post(SiteRoute.campaigns.path, ["title": "试用期满考核", "kind": "annual", "year": "2026",
                                                                        "cutoff": "2026-12-31", "preset": "puyang-2020-probation"])
            #expect(mismatch.status == .unprocessableEntity && mismatch.body.string.contains("只用于试用期满考核"))
            let other = try await org.post(SiteRoute.campaigns.path, ["title": "试用期满考核", "kind": "probation", "year": "2026",
                                                                     "cutoff": "2026-12-31", "preset": "lushan-2022"])
            #expect(other.status == .unprocessableEntity && other.body.string.contains("不是这一类型的办法"))
            let made = try await org.post(SiteRoute.campaigns.path, ["title": "2026年试用期满考核", "kind": "probation", "year": "2026",
                                                                    "cutoff": "2026-12-31", "preset": "puyang-2020-probation"])
            #expect(made.status == .seeOther, "\(made.body.string)")
            let id = try #require(try await Campaign.query(on: app.db).first()?.id)
            return (org, id)
        }

        @Test("R-P4 (seed 002 §二3): the list is made from posts begun a year before or by 干部编号; only listed cadres take part, in their units, and no team is graded")
        func list() async throws {
            try await withTestApp { app in
                let (org, id) = try await Self.campaign(app)
                let page = SiteRoute.campaignProbation(id).path
                let empty = try await org.get(page).body.string
                // P01 began on 2025-03-01: a one-year probation ends in 2026. C01 has held the post since 2020.
                #expect(empty.contains("新任甲") && empty.contains("2026-03-01") && !empty.contains(">C01<"))
                #expect(empty.contains("名单为空"))
                // The guard names the empty list.
                try await org.get(SiteRoute.campaign(id).path)
                _ = try await org.post(SiteRoute.campaignPhase(id).path, ["to": "fieldwork"])
                let early = try await org.post(SiteRoute.campaignPhase(id).path, ["to": "analysis"])
                #expect(early.body.string.contains("试用期满干部名单为空"))
                _ = try await org.post(SiteRoute.campaignPhase(id).path, ["to": "prepare", "reason": "补充名单"])

                try await org.get(page)
                #expect(try await org.post(page, ["code": "P01", "starts": "2025-03-01", "ends": "2026-03-01"]).status == .seeOther)
                #expect(try await org.post(page, ["code": "C03", "starts": "2025-06-01"]).status == .seeOther, "the end defaults to a year later")
                let unknown = try await org.post(page, ["code": "X99", "starts": "2025-06-01"])
                #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains("“X99”在干部名册中不存在"))
                let backwards = try await org.post(page, ["code": "C04", "starts": "2025-06-01", "ends": "2025-05-01"])
                #expect(backwards.status == .unprocessableEntity && backwards.body.string.contains("之后"))
                let listed = try await Probation.entries(campaign: id, on: app.sql)
                #expect(listed.map(\.code) == ["P01", "C03"] && listed[1].ends_on == "2026-06-01")
                let audit = try await app.sql.raw("SELECT after FROM audit_entries WHERE after LIKE \(bind: "%\"probation\":%")").all()
                #expect(audit.count == 2)

                // The campaign: U01 with C03 only, U02 with P01; no team graded.
                let campaignPage = try await org.get(SiteRoute.campaign(id).path).body.string
                #expect(campaignPage.contains("试用期满干部名单") && campaignPage.contains("（不评定班子）"))
                let grading = try await CampaignGrading.run(try #require(try await Campaign.find(id, on: app.db)), on: app.db)
                #expect(grading.roster.units.map(\.code) == ["U01", "U02"])
                #expect(grading.roster.units.flatMap { $0.cadres.map(\.code) } == ["C03", "P01"])
                #expect(grading.result.teams.allSatisfy { $0.grade == "不评定" })
                let result = try await org.get(SiteRoute.campaignResult(id).path).body.string
                #expect(result.contains("试用期 2025-06-01 至 2026-06-01") && !result.contains("name=\"subject\" value=\"team\""))
                #expect(!result.contains(">干部1<"), "C01 is not on the probation list")

                // Removed from the list: no longer assessed. Another role cannot see or change the list.
                try await org.get(page)
                #expect(try await org.post(SiteRoute.campaignProbationRemove(id).path, ["cadre": try #require(try await app.cadreID("C03")).uuidString]).status == .seeOther)
                #expect(try await Probation.entries(campaign: id, on: app.sql).map(\.code) == ["P01"])
                _ = try await app.makeAccount("member", role: .groupMember)
                let member = Browser(app)
                try await member.login("member", "password-1234")
                #expect(try await member.get(page).status == .forbidden)
                // An annual campaign has no probation list.
                try await org.get(SiteRoute.campaigns.path)
                _ = try await org.post(SiteRoute.campaigns.path, ["title": "年度", "kind": "annual", "year": "2026", "cutoff": "2026-12-31", "preset": "lushan-2022"])
                let annual = try #require(try await Campaign.query(on: app.db).filter(\.$kind == "annual").first()?.id)
                #expect(try await org.get(SiteRoute.campaignProbation(annual).path).status == .notFound)
            }
        }

        @Test("R-P4: the evaluation's ballot carries only the listed cadre, rated 胜任/基本胜任/不胜任 overall and on 德能勤绩廉, with no team item; the outcome shows its consequence; the list is fixed after 实地考核")
        func ballotAndOutcome() async throws {
            try await withTestApp { app in
                let (org, id) = try await Self.campaign(app)
                let page = SiteRoute.campaignProbation(id).path
                try await org.get(page)
                #expect(try await org.post(page, ["code": "P01", "starts": "2025-03-01"]).status == .seeOther)
                let campaign = SiteRoute.campaign(id).path
                try await org.get(campaign)
                let u02 = try #require(try await app.sql.raw("SELECT id FROM units WHERE code = 'U02'").first()?.decode(column: "id", as: UUID.self))
                let created = try await org.post(SiteRoute.campaignSessions(id).path, ["unit": u02.uuidString, "heldOn": "2026-12-20", "place": "会议室",
                                                                                     "categories": "班子成员 3\n职工代表 20"])
                #expect(created.status == .seeOther, "\(created.body.string.prefix(800))")
                let session = created.headers.first(name: .location)!.components(separatedBy: "?")[0]
                let sheet = try #require(try await EvaluationSession.query(on: app.db).first()).sheet()
                #expect(sheet.team == nil && sheet.cadres.map(\.id) == ["P01"])
                #expect(sheet.items.map(\.aspect) == ["总体评价", "德", "能", "勤", "绩", "廉"] && sheet.items[0].options == ["胜任", "基本胜任", "不胜任"])
                // Three voters: 胜任, 胜任, 基本胜任 — a vote score of 86.67, at least 80: 胜任.
                let codes = try await Evaluation.issue(org, session, count: 3)
                for (code, overall) in zip(codes, ["胜任", "胜任", "基本胜任"]) {
                    var answers: [String: String] = [:]
                    for item in sheet.items { answers[item.key] = "胜任" }
                    answers["c1"] = overall
                    let sent = try await Evaluation.api(app, try Evaluation.json(code, answers))
                    #expect(sent.status == .created, "\(sent.body.string)")
                }
                try await org.get(session)
                _ = try await org.post(session + "/close")
                let result = try await org.get(SiteRoute.campaignResult(id).path).body.string
                #expect(result.contains("86.67") && result.contains("<strong>胜任</strong>") && result.contains("正式任职，试用期满"))
                // After 实地考核 the list is fixed.
                try await org.get(campaign)
                #expect(try await org.post(SiteRoute.campaignPhase(id).path, ["to": "fieldwork"]).status == .seeOther)
                #expect(try await org.post(SiteRoute.campaignPhase(id).path, ["to": "analysis"]).status == .seeOther)
                try await org.get(page)
                let late = try await org.post(page, ["code": "C03", "starts": "2025-06-01"])
                #expect(late.status == .unprocessableEntity && late.body.string.contains("调整试用期满干部名单"))
            }
        }
    }
}
