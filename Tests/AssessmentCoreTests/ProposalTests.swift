import Foundation
import Testing
@testable import AssessmentCore

@Suite("Human proposals are checked, kept, and their breaches listed")
struct ProposalTests {
    @Test("R-Q2: a human 优秀 over the team's quota is a violation; the engine's grade stays")
    func overQuota() throws {
        // One 良好 team of 4 cadres → floor(1) = 1 place, taken by c0.
        let g = try grade(Presets.lushan2022, teams: [team("T1", score: 90)], cadres: [
            cadre("c0", team: "T1", score: 99), cadre("c1", team: "T1", score: 95, proposal: "优秀"),
            cadre("c2", team: "T1", score: 90), cadre("c3", team: "T1", score: 85),
        ])
        #expect(g.cadre("c1").grade == "称职")
        #expect(g.result.violations.contains { $0.subject == "c1" && $0.rule == "R-Q2" })
        #expect(!g.result.violations.contains { $0.subject == "c0" })
        #expect(String(decoding: g.json, as: UTF8.self).contains("\"proposal\": \"优秀\""))
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
        #expect(g.team("T").grade == "良好")
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

    @Test("R-Q1: a human 优秀 team over the category cap is a violation")
    func teamOverQuota() throws {
        let g = try grade(Presets.lushan2022, teams: [
            team("T1", score: 95), team("T2", score: 94, proposal: "优秀"), team("T3", score: 93), team("T4", score: 92),
        ])
        #expect(g.result.violations.map { "\($0.subject) \($0.rule)" } == ["T2 R-Q1"])
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
