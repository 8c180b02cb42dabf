import Foundation
import Testing
@testable import AssessmentCore

@Suite("Triggers (R-T*)")
struct TriggerTests {
    @Test("R-T1: team 好+较好 under two thirds → special report; exactly two thirds is not under")
    func teamSpecialReport() throws {
        let g = try grade(Presets.lushan2022, teams: [
            team("A", score: 90, votes: ["好": 20, "较好": 19, "一般": 20, "差": 1]),  // 39/60 < 2/3
            team("B", score: 89, votes: ["好": 30, "较好": 10, "一般": 20, "差": 0]),  // 40/60 = 2/3, 一般 = 1/3
            team("C", score: 88, votes: ["好": 50, "较好": 0, "一般": 0, "差": 0]),
        ])
        #expect(g.result.triggers.filter { $0.rule == "R-T1" }.map(\.subject) == ["A"])
        #expect(g.team("B").grade != "一般")
    }

    @Test("R-T1 (seed 003 §五(三)2) leads to a special report, not a grade: lushan-2022 does not propose 一般 for it, nor cap its principal")
    func reportNotGrade() throws {
        let weak = team("T", score: 90, votes: ["好": 10, "较好": 0, "一般": 20, "差": 0])
        let members = [cadre("P", team: "T", score: 99, principal: true)] + (1...4).map { cadre("c\($0)", team: "T", score: Double(96 - $0)) }
        // MUT: the preset's team grading
        let g = try grade(Presets.lushan2022, teams: [weak], cadres: members)
        #expect(g.result.triggers.map(\.rule) == ["R-T1"])
        #expect(g.team("T").grade == "良好")
        #expect(!g.teamRules("T").contains("R-T1"))
        #expect(!g.rules("P").contains("R-Q4"))
        #expect(g.excellentCadres() == ["P"])  // 良好 team: 25% of 5 = 1, to the first in rank
    }

    @Test("R-T1: 一般 over one third → special report")
    func teamAverageOverThird() throws {
        var policy = Presets.lushan2022
        policy.triggers.team?.positiveBelow = Fraction(0, 1)  // isolate the 一般 clause
        let g = try grade(policy, teams: [team("A", score: 90, votes: ["好": 19, "一般": 10])])  // 10/29 > 1/3
        #expect(g.result.triggers.map(\.rule) == ["R-T1"])
    }

    @Test("R-T2: cadre 优秀+称职 under two thirds, or 不称职 over one third → special report")
    func cadreSpecialReport() throws {
        let g = try grade(Presets.lushan2022, teams: [team("T", score: 90)], cadres: [
            cadre("A", team: "T", votes: ["优秀": 10, "称职": 9, "基本称职": 11]),  // 19/30 < 2/3
            cadre("B", team: "T", votes: ["优秀": 10, "称职": 10, "基本称职": 10]),  // 20/30 = 2/3
            cadre("C", team: "T", votes: ["优秀": 20, "不称职": 10]),  // 不称职 = 1/3: not over
        ])
        #expect(g.result.triggers.filter { $0.rule == "R-T2" }.map(\.subject) == ["A"])
        var policy = Presets.lushan2022
        policy.triggers.cadre?.positiveBelow = Fraction(0, 1)  // isolate the 不称职 clause
        let h = try grade(policy, teams: [team("T", score: 90)], cadres: [cadre("D", team: "T", votes: ["优秀": 20, "不称职": 11])])
        #expect(h.result.triggers.map(\.subject) == ["D"])
    }

    @Test("R-T2: a serious lead found in interviews → special report")
    func interviewLead() throws {
        let g = try grade(Presets.lushan2022, teams: [team("T", score: 90)], cadres: [
            cadre("A", team: "T", votes: ["优秀": 30], facts: ["interviewLead": true]),
        ])
        #expect(g.result.triggers.map(\.rule) == ["R-T2"])
        #expect(g.result.triggers.first?.message.contains("谈话") == true)
    }

    @Test("R-T3: the bottom two units in the clean-governance ranking get an admonition talk")
    func admonition() throws {
        let g = try grade(Presets.cleanGovernance, teams: [
            team("A", score: 95), team("B", score: 70), team("C", score: 90), team("D", score: 60), team("E", score: 85),
        ])
        #expect(g.result.triggers.filter { $0.rule == "R-T3" }.map(\.subject) == ["B", "D"])
    }
}

@Suite("Admonition on scorecards")
struct ScorecardAdmonitionTests {
    @Test("R-T3: without team results, the bottom two scorecard totals get an admonition talk")
    func scorecardBottomTwo() throws {
        let card: (String, Double) -> JSONObject = { s, last in ["subject": s, "items": Array(repeating: 5.0, count: 13) + [last]] }
        let g = try grade(Presets.cleanGovernance, teams: [], extra: ["scorecards": [
            card("A", 30), card("B", 10), card("C", 20), card("D", 5), card("E", 25),
        ]])
        #expect(g.result.triggers.map(\.subject) == ["B", "D"])
    }
}
