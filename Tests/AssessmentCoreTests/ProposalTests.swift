import Foundation
import Testing
@testable import AssessmentCore

@Suite("Human proposals are checked, kept, and their breaches listed")
struct ProposalTests {
    @Test("A people's 优秀 stands and takes its place first; the engine fills only what is left (R-Q2, issue 9 §1)")
    func decisionTakesPlaceFirst() throws {
        // One 良好 team of 4 cadres → floor(1) = 1 place. The engine alone gives it to c0; people gave it to c1.
        let g = try grade(Presets.lushan2022, teams: [team("T1", score: 90)], cadres: [
            cadre("c0", team: "T1", score: 99), cadre("c1", team: "T1", score: 95, proposal: "优秀"),
            cadre("c2", team: "T1", score: 90), cadre("c3", team: "T1", score: 85),
        ])
        #expect(g.cadre("c1").grade == "优秀" && g.cadre("c1").engineGrade == "称职")
        #expect(g.cadre("c0").grade == "称职" && g.cadre("c0").engineGrade == "优秀")
        #expect(g.rules("c0").contains("R-Q2") && g.cadre("c0").engineReasons?.contains { $0.rule == "R-Q2" } == true)
        #expect(g.quota("cadres:T1", "R-Q2").map { [$0.limit, $0.used] } == [1, 1])
        #expect(g.result.violations.isEmpty)
        // Grading twice (alone, then with the decision) says each warning once.
        #expect(g.result.warnings.contains { $0.rule == "R-Q1" && $0.message.contains("取整后为 0") })
        #expect(Set(g.result.warnings.map(\.message)).count == g.result.warnings.count)
        let json = String(decoding: g.json, as: UTF8.self)
        #expect(json.contains("\"proposal\": \"优秀\"") && json.contains("\"engineGrade\": \"优秀\""))
    }

    @Test("People's decisions over a cap stand, each is a violation, and the engine gets no place there (R-Q2)")
    func decisionsOverCap() throws {
        let g = try grade(Presets.lushan2022, teams: [team("T1", score: 90)], cadres: [
            cadre("c0", team: "T1", score: 99), cadre("c1", team: "T1", score: 95, proposal: "优秀"),
            cadre("c2", team: "T1", score: 90, proposal: "优秀"), cadre("c3", team: "T1", score: 85),
        ])
        #expect(g.excellentCadres() == ["c1", "c2"])
        // 良好 team of 4: R-Q2 25% → 1; R-Q3 25% of all 4 → 1: both broken by the two decisions.
        #expect(Set(g.result.violations.map { "\($0.subject) \($0.rule)" }) == ["c1 R-Q2", "c2 R-Q2", "c1 R-Q3", "c2 R-Q3"])
        #expect(g.cadre("c0").grade == "称职" && g.rules("c0").contains("R-Q2"))
    }

    @Test("A people-decided 较差 team: its principal is never proposed 称职 or better, its cadres' cap is 15% (R-Q4, R-Q2; seed 003 §五(四))")
    func decidedTeamGradeDrivesCadres() throws {
        let cadres = [cadre("P", team: "Z11", score: 99, principal: true)] + (1...6).map { cadre("c\($0)", team: "Z11", score: Double(96 - $0)) }
        let g = try grade(Presets.lushan2022, teams: [team("Z11", score: 95, proposal: "较差")], cadres: cadres)
        #expect(g.team("Z11").grade == "较差" && g.team("Z11").engineGrade == "良好")
        #expect(g.cadre("P").grade == "基本称职" && g.rules("P").contains("R-Q4"))
        #expect(g.cadre("P").engineGrade == "优秀")
        #expect(g.excellentCadres() == ["c1"])  // 较差: 15% of 7 = 1 place; P (first in rank) may not have it
        #expect(g.quota("cadres:Z11", "R-Q2").map { [$0.base, $0.limit] } == [7, 1])
        #expect(g.result.violations.isEmpty)
    }

    @Test("R-Q4: principal of a 一般 team proposed 优秀 is a violation")
    func principalProposal() throws {
        let g = try grade(ConstraintTests.splitPolicy, teams: [team("T", score: 90, votes: ["好": 10, "一般": 20])], cadres: [
            cadre("P", team: "T", score: 99, principal: true, proposal: "优秀"),
        ])
        #expect(g.result.violations.contains { $0.subject == "P" && $0.rule == "R-Q4" })
    }

    @Test("R-Q4: checked against the team grade people proposed")
    func proposedTeamGrade() throws {
        let g = try grade(Presets.lushan2022, teams: [team("T", score: 90, proposal: "一般")], cadres: [
            cadre("P", team: "T", score: 99, principal: true, proposal: "优秀"),
        ])
        #expect(g.team("T").grade == "一般" && g.team("T").engineGrade == "良好")  // people's grade stands
        #expect(g.cadre("P").grade == "优秀")
        #expect(g.result.violations.contains { $0.subject == "P" && $0.rule == "R-Q4" })
        let withoutTeamProposal = try grade(Presets.lushan2022, teams: [team("T", score: 90)], cadres: [
            cadre("P", team: "T", score: 99, principal: true, proposal: "优秀"),
        ])
        #expect(!withoutTeamProposal.result.violations.contains { $0.rule == "R-Q4" })
    }

    @Test("R-E7: a grade proposed for a cadre under investigation is a violation")
    func pendingProposal() throws {
        let g = try grade(Presets.lushan2022, teams: [team("T", score: 90)], cadres: [
            cadre("X", team: "T", score: 99, facts: ["underInvestigation": true], proposal: "称职"),
        ])
        #expect(g.result.violations.map(\.rule) == ["R-E7"])
    }

    @Test("R-Q1: a people's 优秀 team takes the category's place first; over the cap, each decision is a violation")
    func teamOverQuota() throws {
        let teams = [team("T1", score: 95), team("T2", score: 94, proposal: "优秀"), team("T3", score: 93), team("T4", score: 92)]
        let g = try grade(Presets.lushan2022, teams: teams)
        #expect(g.team("T2").grade == "优秀" && g.team("T1").grade == "良好" && g.team("T1").engineGrade == "优秀")
        #expect(g.result.violations.isEmpty)
        var over = teams
        over[2] = team("T3", score: 93, proposal: "优秀")
        let o = try grade(Presets.lushan2022, teams: over)
        #expect(Set(o.result.violations.map { "\($0.subject) \($0.rule)" }) == ["T2 R-Q1", "T3 R-Q1"])
        #expect(o.team("T1").grade == "良好" && o.teamRules("T1").contains("R-Q1"))
    }

    @Test("R-Q5, R-Q6, R-Q7: human 优秀 without the prerequisites are violations")
    func prerequisites() throws {
        let g = try grade(Presets.county2019, teams: [team("T", score: 90, events: ["majorCorruption"])], cadres: [
            cadre("P", team: "T", score: 99, votes: votes(excellent: 2), principal: true, regular: ["良好"], proposal: "优秀"),
        ])
        let rules = Set(g.result.violations.map(\.rule))
        #expect(rules.isSuperset(of: ["R-Q5", "R-Q6", "R-Q7"]))
    }
}
