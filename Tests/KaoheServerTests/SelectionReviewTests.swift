import AssessmentCore
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KaoheServer

extension KaoheServerTests {
    /// Issue 11: 一报告两评议 (R-P5, seed 002 §二2) as a kind of campaign driven by its policy: each unit's selection
    /// work on the ballot as 选人用人工作, the cadres newly appointed in the year, the report as the unit's material.
    @Suite("一报告两评议: a selection-review campaign (R-P5)")
    struct SelectionReviewTests {
        typealias Evaluation = EvaluationTests

        @Test("R-P5 (seed 002 §二2): the roster holds each unit's team and only the cadres appointed this year; the ballot rates 选人用人工作 and each new cadre once; the unit hands in its selection report, not the annual summary")
        func campaign() async throws {
            try await withTestApp { app in
                try await Evaluation.county(app)   // C01–C06 in U01 since 2020
                _ = try await app.importRoster(try Roster.xlsx([Roster.cadre("P01", "新任乙", unit: "U01", title: "副镇长", start: "2026-03-01")]))
                _ = try await app.makeAccount("org", role: .organisationDepartment)
                let org = Browser(app)
                try await org.login("org", "password-1234")
                try await org.get(SiteRoute.campaigns.path)
                let wrong = try await org.post(SiteRoute.campaigns.path, ["title": "一报告两评议", "kind": "annual", "year": "2026",
                                                                         "cutoff": "2026-12-31", "preset": "puyang-2020-selection"])
                #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("只用于一报告两评议"))
                let made = try await org.post(SiteRoute.campaigns.path, ["title": "2026年一报告两评议", "kind": "selectionReview", "year": "2026",
                                                                        "cutoff": "2026-12-31", "preset": "puyang-2020-selection"])
                #expect(made.status == .seeOther, "\(made.body.string.prefix(500))")
                let campaign = try #require(try await Campaign.query(on: app.db).first())
                let grading = try await CampaignGrading.run(campaign, on: app.db)
                #expect(grading.roster.units.first?.teamName != nil)
                #expect(grading.roster.units.flatMap { $0.cadres.map(\.code) } == ["P01"])
                // The evaluation's ballot.
                let u01 = try await WorkflowTests.unitID(app, "U01")
                try await org.get(SiteRoute.campaign(campaign.id!).path)
                let session = try await org.post(SiteRoute.campaignSessions(campaign.id!).path, ["unit": u01.uuidString, "heldOn": "2026-12-20",
                                                                                              "place": "会议室", "categories": "班子成员 3"])
                #expect(session.status == .seeOther, "\(session.body.string.prefix(500))")
                let sheet = try #require(try await EvaluationSession.query(on: app.db).first()).sheet()
                #expect(sheet.team?.title == "选人用人工作" && sheet.teamAspects.count == 3)
                #expect(sheet.cadres.map(\.id) == ["P01"] && sheet.items.filter { $0.cadre != nil }.count == 1)
                // The phone ballot names the item so.
                let code = try #require(try await Evaluation.issue(org, session.headers.first(name: .location)!.components(separatedBy: "?")[0], count: 1).first)
                let ballot = try await app.testing().sendRequest(.GET, SiteRoute.vote.path + "?c=" + code).body.string
                #expect(ballot.contains("<small>选人用人工作</small>") && ballot.contains("整治选人用人不正之风"))
                // The unit's material is the selection report.
                let materials = try await org.get(SiteRoute.campaignMaterials(campaign.id!).path + "?unit=" + u01.uuidString).body.string
                #expect(materials.contains("干部选拔任用工作报告") && !materials.contains("领导班子工作总结 ·"))
                let summary = try await org.post(SiteRoute.campaignMaterials(campaign.id!).path,
                                                 ["unit": u01.uuidString, "subject": "team", "code": "U01", "kind": "summary", "text": "年度总结"])
                #expect(summary.status == .unprocessableEntity, "a kind the policy does not ask for is refused")
            }
        }
    }
}
