import Foundation
import Testing
@testable import AssessmentCore

@Suite("Constraints and prerequisites (R-Q4–R-Q7, R-S6)")
struct ConstraintTests {
    /// lushan-2022 with a team grade lowered by R-T1 — a mechanism a policy may ask for; the preset does not (seed 003
    /// attaches a special report to R-T1, not a grade).
    static var splitPolicy: Policy {
        var p = Presets.lushan2022
        p.teamGrading = TeamGrading(method: .triggerSplit, defaultGrade: "良好", triggeredGrade: "一般")
        return p
    }
    /// A township whose votes trigger R-T1 (10/30 好+较好) and so is proposed 一般 under `splitPolicy`.
    let weakTeam = team("T", score: 90, votes: ["好": 10, "较好": 0, "一般": 20, "差": 0])
    func members() -> [JSONObject] {
        [cadre("P", team: "T", score: 99, principal: true)] + (1...4).map { cadre("c\($0)", team: "T", score: Double(96 - $0)) }
    }

    @Test("R-Q4: principal of a 一般 team is not 优秀")
    func principalOfAverageTeam() throws {
        let g = try grade(Self.splitPolicy, teams: [weakTeam], cadres: members())
        #expect(g.team("T").grade == "一般")
        #expect(g.cadre("P").grade == "称职")
        #expect(g.rules("P").contains("R-Q4"))
        #expect(g.excellentCadres() == ["c1"])  // 一般 team: 20% of 5 = 1, to the next in rank
    }

    @Test("R-Q4: principal of a 较差 team is not 称职 or better")
    func principalOfPoorTeam() throws {
        var policy = Self.splitPolicy
        policy.teamGrading.triggeredGrade = "较差"
        let g = try grade(policy, teams: [weakTeam], cadres: members())
        #expect(g.team("T").grade == "较差")
        #expect(g.cadre("P").grade == "基本称职")
        #expect(g.rules("P").contains("R-Q4"))
        #expect(g.excellentCadres().isEmpty)  // 较差: 15% of 5 = 0
    }

    /// One county team (良好, 20% of 10 → 2 places) whose cadres all have good regular results unless stated.
    func countyTeam(_ first: [JSONObject]) -> [JSONObject] {
        first + (first.count..<10).map { cadre("x\($0)", team: "T1", score: Double(90 - $0), votes: votes(excellent: 0), regular: ["优秀"]) }
    }

    @Test("R-Q5: 优秀 needs a democratic-evaluation score of at least 90")
    func minimumVoteScore() throws {
        let g = try grade(Presets.county2019, teams: [team("T1", score: 90)], cadres: countyTeam([
            cadre("A", team: "T1", score: 99, votes: votes(excellent: 4), regular: ["优秀"]),  // (4×100+6×80)/10 = 88
            cadre("B", team: "T1", score: 98, votes: votes(excellent: 5), regular: ["优秀"]),  // 90
        ]))
        #expect(g.cadre("A").voteScore == 88)
        #expect(g.cadre("A").grade == "称职")
        #expect(g.rules("A").contains("R-Q5"))
        #expect(g.excellentCadres() == ["B"])
    }

    @Test("R-Q6: no 优秀 in any regular evaluation → not 优秀 in the annual assessment")
    func regularEvaluations() throws {
        let campaign = countyTeam([
            cadre("A", team: "T1", score: 99, votes: votes(excellent: 10), regular: ["良好", "良好", "一般"]),
            cadre("B", team: "T1", score: 98, votes: votes(excellent: 10), regular: ["良好", "优秀"]),
            cadre("C", team: "T1", score: 97, votes: votes(excellent: 10)),
        ])
        let g = try grade(Presets.county2019, teams: [team("T1", score: 90)], cadres: campaign)
        #expect(g.cadre("A").grade == "称职")
        #expect(g.rules("A").contains("R-Q6"))
        #expect(g.excellentCadres() == ["B", "C"])  // C has no record: not excluded by default
        var strict = Presets.county2019
        strict.prerequisites.regular?.missingRecordBlocks = true
        let s = try grade(strict, teams: [team("T1", score: 90)], cadres: campaign)
        #expect(s.excellentCadres() == ["B"])
        #expect(s.rules("C").contains("R-Q6"))
    }

    @Test("R-Q6 (seed 001: 全年领导评价无“优秀”): only 领导评价 results count in county-2019; a result without a source counts")
    func regularSources() throws {
        var a = cadre("A", team: "T1", score: 99, votes: votes(excellent: 10))
        a["regular"] = [["grade": "优秀", "source": "群众评价"], ["grade": "良好", "source": "领导评价"]]
        var b = cadre("B", team: "T1", score: 98, votes: votes(excellent: 10))
        b["regular"] = [["grade": "良好", "source": "群众评价"], ["grade": "优秀", "source": "领导评价"]]
        let cadres = countyTeam([a, b])
        // MUT: the policy's sources
        let g = try grade(Presets.county2019, teams: [team("T1", score: 90)], cadres: cadres)
        #expect(g.cadre("A").grade == "称职" && g.rules("A").contains("R-Q6"))
        #expect(g.excellentCadres() == ["B"])
        var any = Presets.county2019
        any.prerequisites.regular?.sources = nil
        #expect(try grade(any, teams: [team("T1", score: 90)], cadres: cadres).excellentCadres() == ["A", "B"])
        // Only results of a counted source make a record: D has none of 领导评价, so (missingRecordBlocks false) no R-Q6.
        var d = cadre("D", team: "T1", score: 97, votes: votes(excellent: 10))
        d["regular"] = [["grade": "良好", "source": "日常考核"]]
        let withD = try grade(Presets.county2019, teams: [team("T1", score: 90)], cadres: countyTeam([a, b, d]))
        #expect(!withD.rules("D").contains("R-Q6") && withD.excellentCadres().contains("D"))
        var noGrade = cadre("C", team: "T1", score: 99)
        noGrade["regular"] = [["source": "领导评价"]]
        #expect((try? grade(Presets.county2019, teams: [team("T1", score: 90)], cadres: [noGrade])) == nil)
    }

    @Test("R-Q7: a mass incident keeps the township's principal from 优秀")
    func disqualifyingEvents() throws {
        let cadres = countyTeam([
            cadre("P", team: "T1", score: 99, votes: votes(excellent: 10), principal: true, regular: ["优秀"]),
            cadre("B", team: "T1", score: 98, votes: votes(excellent: 10), regular: ["优秀"]),
        ])
        let g = try grade(Presets.county2019, teams: [team("T1", score: 90, events: ["massIncident"])], cadres: cadres)
        #expect(g.cadre("P").grade == "称职")
        #expect(g.rules("P").contains("R-Q7"))
        #expect(g.excellentCadres() == ["B"])
        let other = try grade(Presets.county2019, teams: [team("T1", score: 90, events: ["somethingElse"])], cadres: cadres)
        #expect(other.excellentCadres() == ["P", "B"])
    }

    @Test("R-S6: 不称职 votes over one third → 不称职 after organisational confirmation")
    func unfit() throws {
        let g = try grade(Presets.cleanGovernance, teams: [team("T", votes: ["优秀": 10])], cadres: [
            cadre("U", team: "T", votes: ["优秀": 4, "称职": 3, "不称职": 5]),  // 5/12 > 1/3
            cadre("V", team: "T", votes: ["优秀": 4, "称职": 4, "不称职": 4]),  // exactly 1/3: not over
        ])
        #expect(g.cadre("U").grade == "不称职")
        #expect(g.rules("U").contains("R-S6"))
        #expect(g.cadre("U").reasons.contains { $0.message.contains("组织") })
        #expect(g.cadre("V").grade == "称职")
        #expect(!g.rules("V").contains("R-S6"))
    }
}
