import Foundation
import Testing
@testable import AssessmentCore

@Suite("Scoring (R-S*)")
struct ScoringTests {
    @Test("R-S2: composite score = weighted sum of parts; weights must sum to 100%")
    func composite() throws {
        var policy = Presets.lushan2022
        policy.composite = Composite(parts: [.init("综合考评", 50), .init("党建高质量考核", 30), .init("高质量发展考核", 20)])
        let g = try grade(policy, teams: [team("T1", parts: ["综合考评": 94, "党建高质量考核": 92, "高质量发展考核": 95])])
        // (94×50 + 92×30 + 95×20) / 100 = 93.6
        #expect(abs((g.team("T1").score ?? 0) - 93.6) < 1e-9)
        policy.composite?.parts[2].weight = 15
        #expect(policy.validate().map(\.description).contains("composite.parts: 权重之和必须为 100%（各部分等权时可写相同的权重）（现为 95%）"))
    }

    @Test("R-S2, R-Q8: equal weights are exactly equal (lushan-2022: the three parts' mean, no extra hundredth for one part)")
    func equalWeights() throws {
        #expect(Presets.lushan2022.validate().isEmpty)
        // Under 33.34/33.33/33.33, A (first part high) would lead B by 0.01; with equal weights they are equal.
        let g = try grade(Presets.lushan2022, teams: [
            team("A", parts: ["综合考评": 92, "党建高质量考核": 90, "高质量发展考核": 91]),
            team("B", parts: ["综合考评": 90, "党建高质量考核": 92, "高质量发展考核": 91]),
        ])
        #expect(g.team("A").score == 91 && g.team("B").score == 91)
        #expect(g.team("A").rank == g.team("B").rank)
    }

    @Test("R-S2: parts without a score must all be given")
    func missingPart() {
        let lines = problems {
            _ = try grade(Presets.lushan2022, teams: [team("T1", parts: ["综合考评": 94, "党建高质量考核": 92])])
        }
        #expect(lines.contains { $0.hasPrefix("teams[0].parts.高质量发展考核:") })
    }

    @Test("R-S3: vote score = Σ(points × votes) / Σ votes")
    func voteScore() throws {
        let g = try grade(Presets.county2019, teams: [team("T1", score: 90)], cadres: [
            cadre("C", team: "T1", votes: ["优秀": 30, "称职": 18, "基本称职": 2, "不称职": 0]),
        ])
        // (30×100 + 18×80 + 2×60) / 50 = 91.2
        #expect(abs((g.cadre("C").voteScore ?? 0) - 91.2) < 1e-9)
        #expect(g.cadre("C").voteShares == [0.6, 0.36, 0.04, 0])
    }

    @Test("R-S3: voter categories carry weights")
    func weightedCategories() throws {
        var policy = Presets.county2019
        policy.cadreBallot.voterCategories = [.init("班子成员", 40), .init("中层", 60)]
        let g = try grade(policy, teams: [team("T1", score: 90)], cadres: [
            cadre("C", team: "T1", votesByCategory: ["班子成员": ["优秀": 10], "中层": ["称职": 10]]),
        ])
        // 0.4 × 100 + 0.6 × 80 = 88
        #expect(abs((g.cadre("C").voteScore ?? 0) - 88) < 1e-9)
    }

    @Test("R-S5: team vote-rate bands — 优秀+合格 ≥ 90% 好, 70–89% 较好, 50–69% 一般, < 50% 差")
    func voteRateBands() throws {
        let g = try grade(Presets.cleanGovernance, teams: [
            team("A", votes: ["优秀": 150, "合格": 30, "不合格": 20]),   // 90%
            team("B", votes: ["优秀": 100, "合格": 79, "不合格": 21]),   // 89.5%
            team("C", votes: ["优秀": 50, "合格": 50, "不合格": 100]),   // 50%
            team("D", votes: ["优秀": 49, "合格": 49, "不合格": 102]),   // 49%
        ])
        #expect(g.team("A").grade == "好")
        #expect(g.team("B").grade == "较好")
        #expect(g.team("C").grade == "一般")
        #expect(g.team("D").grade == "差")
        #expect(g.teamRules("B").contains("R-S5"))
    }

    @Test("R-S7 (seed 003 §五(三)1 打分要有差异化): scores that are all (nearly) equal raise a warning, only where the seed says so")
    func differentiation() throws {
        let teams = [team("T1", score: 90), team("T2", score: 80)]
        let cadres = [
            cadre("a", team: "T1", score: 90), cadre("b", team: "T1", score: 90), cadre("c", team: "T1", score: 90.5),
            cadre("d", team: "T2", score: 90), cadre("e", team: "T2", score: 88), cadre("f", team: "T2", score: 92),
        ]
        let g = try grade(Presets.lushan2022, teams: teams, cadres: cadres)
        #expect(g.result.warnings.filter { $0.rule == "R-S7" }.map(\.scope) == ["cadres:T1"])
        #expect(Presets.lushan2022.notes.contains { $0.contains("R-S7") })
        // Seeds 001 and 002 have no such clause: their presets do not warn (issue 9 §6).
        for policy in [Presets.county2019, Presets.puyang2020] {
            #expect(policy.differentiation == nil)
            #expect(try grade(policy, teams: teams, cadres: cadres).result.warnings.allSatisfy { $0.rule != "R-S7" })
        }
    }

    func scorecard(_ subject: String, last: Double, month: String? = nil) -> JSONObject {
        var s: JSONObject = ["subject": subject, "items": Array(repeating: 7.0, count: 13) + [last]]
        if let month { s["month"] = month }
        return s
    }

    @Test("R-S4: scorecard bands 优秀 95–100, 良好 80–94, 合格 60–79, 不合格 ≤ 59; fractions fall by lower bound")
    func scorecardBands() throws {
        // 13 × 7 = 91 plus the last item.
        let g = try grade(Presets.cleanGovernance, teams: [], extra: ["scorecards": [
            scorecard("A", last: 4), scorecard("B", last: 3.5),
        ]])
        let byID = Dictionary(uniqueKeysWithValues: g.result.scorecards.map { ($0.subject, $0) })
        #expect(byID["A"]?.grade == "优秀")   // 95
        #expect(byID["B"]?.grade == "良好")   // 94.5
        #expect(byID["A"]?.rank == 1 && byID["B"]?.rank == 2)
    }

    @Test("R-S4: band edges 80 → 良好, 79.99 → 合格, 59 → 不合格")
    func scorecardEdges() throws {
        let items: (Double) -> JSONObject = { total in ["subject": "S\(total)", "items": Array(repeating: 0.0, count: 13) + [total]] }
        let g = try grade(Presets.cleanGovernance, teams: [], extra: ["scorecards": [items(80), items(79.99), items(59), items(60)]])
        #expect(g.result.scorecards.map { $0.grade ?? "" } == ["良好", "合格", "不合格", "合格"])
    }

    @Test("R-S9: 14 indicators, 100 points, scored monthly (months averaged)")
    func scorecardMonthly() throws {
        let g = try grade(Presets.cleanGovernance, teams: [], extra: ["scorecards": [
            ["subject": "A", "month": "2022-01", "items": Array(repeating: 0.0, count: 13) + [90.0]],
            ["subject": "A", "month": "2022-02", "items": Array(repeating: 0.0, count: 13) + [100.0]],
        ]])
        #expect(g.result.scorecards.count == 1)
        #expect(g.result.scorecards[0].months == 2 && g.result.scorecards[0].total == 95 && g.result.scorecards[0].grade == "优秀")
        let lines = problems {
            _ = try grade(Presets.cleanGovernance, teams: [], extra: ["scorecards": [["subject": "A", "items": [50.0, 60.0]]]])
        }
        #expect(lines.contains("scorecards[0].items: 必须有 14 项指标（现为 2 项）"))
        #expect(lines.contains("scorecards[0].items: 合计 110 分，超过满分 100"))
    }

    @Test("R-S8: target-responsibility points — deductions from 40 + 40, daily points (工作创新 among them, seed 004 text 4) per head")
    func targetResponsibility() throws {
        let g = try grade(Presets.targetResponsibility, teams: [], extra: ["targetResponsibility": ["units": [
            ["id": "U1", "name": "办公厅", "headcount": 4, "ledger": [
                ["kind": "studyAbsenceWithLeave", "count": 3],      // −0.6
                ["kind": "missedTarget", "count": 1],               // −5
                ["kind": "specialWorkReport", "count": 2],          // +10
                ["kind": "lawEnforcementInspection", "count": 1],   // +5
                ["kind": "otherInnovation", "count": 1, "points": 2],
            ]],
            ["id": "U2", "headcount": 10, "ledger": [["kind": "specialWorkReport", "count": 3]]],
            ["id": "U3", "headcount": 2, "ledger": [["kind": "disciplinaryCase", "count": 9]]],  // 40 − 45 → 0
        ]]])
        let u1 = g.result.targetResponsibility[0]
        #expect(abs(u1.common - 39.4) < 1e-9 && u1.targets == 35)
        // 工作创新 is item 5 of 日常工作指标: in the pool divided by headcount, (15 + 2) / 4.
        #expect(u1.dailyTotal == 17 && u1.dailyPerHead == 4.25 && u1.innovation == 2)
        #expect(abs(u1.total - 78.65) < 1e-9)
        let u2 = g.result.targetResponsibility[1]
        #expect(u2.dailyPerHead == 1.5 && u2.total == 81.5)
        #expect(u2.rank == 1 && u1.rank == 2)
        #expect(g.result.targetResponsibility[2].common == 0 && g.result.targetResponsibility[2].rank == 3)
        let lines = problems {
            _ = try grade(Presets.targetResponsibility, teams: [], extra: ["targetResponsibility": ["units": [
                ["id": "U1", "headcount": 0, "ledger": [["kind": "nonsense"]]],
            ]]])
        }
        #expect(lines.contains("targetResponsibility.units[0].headcount: 必须是正整数"))
        #expect(lines.contains("targetResponsibility.units[0].ledger[0].kind: 未知的台账事项“nonsense”"))
    }
}

@Suite("Points-only datasets")
struct PointsOnlyTests {
    @Test("R-S8: a dataset with only the ledger needs no teams or cadres")
    func ledgerOnly() throws {
        let json = #"{"year": 2022, "targetResponsibility": {"units": [{"id": "U1", "headcount": 2, "ledger": [{"kind": "lecture", "count": 3}]}]}}"#
        let d = try Dataset.read(Data(json.utf8), policy: Presets.targetResponsibility)
        let r = GradingEngine.grade(policy: Presets.targetResponsibility, dataset: d)
        #expect(r.targetResponsibility.first?.dailyPerHead == 3)  // 3 × 2 points ÷ 2 people
        #expect(r.targetResponsibility.first?.total == 83)
    }
}
