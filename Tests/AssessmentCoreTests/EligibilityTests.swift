import Foundation
import Testing
@testable import AssessmentCore

@Suite("Eligibility (R-E*)")
struct EligibilityTests {
    func one(_ policy: Policy, _ facts: JSONObject, cutoff: String = "2022-12-31") throws -> Graded {
        try grade(policy, teams: [team("T1", score: 90)], cadres: [
            cadre("X", team: "T1", score: 95, votes: votes(excellent: 10), regular: ["优秀"], facts: facts),
            cadre("Y", team: "T1", score: 80, votes: votes(excellent: 5), regular: ["优秀"]),
        ], cutoff: cutoff)
    }

    @Test("R-E5: sick or personal leave of more than half a year → assessed, ungraded")
    func longLeave() throws {
        let g = try one(Presets.lushan2022, ["leaveDays": 183])
        #expect(g.cadre("X").status == .ungraded)
        #expect(g.cadre("X").grade == nil)
        #expect(g.rules("X") == ["R-E5"])
        #expect(g.quota("cadres:T1", "R-Q2")?.base == 2)  // still assessed: counted in the base
        let short = try one(Presets.lushan2022, ["leaveDays": 182])
        #expect(short.cadre("X").status == .graded)
    }

    @Test("R-E5 \"超过半年\" is more than half of that year's days: 183 in 2019, 184 in the leap year 2020 (issue 9 §6)")
    func halfOfTheYear() throws {
        #expect(try one(Presets.county2019, ["leaveDays": 183], cutoff: "2019-12-31").cadre("X").status == .ungraded)
        #expect(try one(Presets.county2019, ["leaveDays": 182], cutoff: "2019-12-31").cadre("X").status == .graded)
        // MUT: a leap year
        let leap = try one(Presets.county2019, ["leaveDays": 183], cutoff: "2020-12-31")
        #expect(leap.cadre("X").status == .graded)
        let over = try one(Presets.county2019, ["leaveDays": 184], cutoff: "2020-12-31")
        #expect(over.cadre("X").status == .ungraded && over.cadre("X").reasons.contains { $0.message.contains("2020 年 366 天的一半") })
    }

    @Test("R-E6: retired with less than half a year worked → not assessed (seed 003)")
    func retiredEarly() throws {
        let g = try one(Presets.lushan2022, ["retiredOn": "2022-07-01"])  // 182 days
        #expect(g.cadre("X").status == .notAssessed)
        #expect(g.rules("X") == ["R-E6"])
        #expect(g.quota("cadres:T1", "R-Q2")?.base == 1)
    }

    @Test("R-E6: retired after half a year → assessed without the democratic evaluation (seed 003)")
    func retiredLate() throws {
        let g = try one(Presets.lushan2022, ["retiredOn": "2022-07-02"])  // 183 days
        #expect(g.cadre("X").status == .graded)
        #expect(g.cadre("X").voteScore == nil)
        #expect(g.rules("X").contains("R-E6"))
    }

    @Test("R-E6: county-2019 — retired before the cut-off → not assessed; after it → assessed")
    func retiredBeforeCutoff() throws {
        let g = try one(Presets.county2019, ["retiredOn": "2022-09-30"])
        #expect(g.cadre("X").status == .notAssessed)
        #expect(g.rules("X") == ["R-E6"])
        let later = try one(Presets.county2019, ["retiredOn": "2023-01-15"])
        #expect(later.cadre("X").status == .graded)
    }

    @Test("R-E7: under investigation → assessed, grade pending")
    func investigation() throws {
        let g = try one(Presets.lushan2022, ["underInvestigation": true])
        #expect(g.cadre("X").status == .pending)
        #expect(g.cadre("X").grade == nil)
        #expect(g.rules("X") == ["R-E7"])
        #expect(g.quota("cadres:T1", "R-Q2")?.base == 2)
    }

    @Test("R-E9: resident village work team members are not assessed in their unit (seed 001)")
    func villageTeam() throws {
        let g = try one(Presets.county2019, ["villageTeam": true])
        #expect(g.cadre("X").status == .notAssessed)
        #expect(g.rules("X") == ["R-E9"])
    }

    /// X is listed in the host team T1; T0 is the original team.
    func seconded(_ policy: Policy, _ secondment: JSONObject) throws -> Graded {
        try grade(policy, teams: [team("T0", score: 92), team("T1", score: 90)], cadres: [
            cadre("X", team: "T1", score: 95, votes: votes(excellent: 10), regular: ["优秀"], facts: ["secondment": secondment]),
            cadre("Y", team: "T1", score: 80, votes: votes(excellent: 5), regular: ["优秀"]),
            cadre("Z", team: "T0", score: 85, votes: votes(excellent: 5), regular: ["优秀"]),
        ])
    }

    @Test("R-E3 (seed 003 §二4): a secondee is assessed where they worked more than half the year — under 6 months in the host, graded in the original team")
    func secondmentHalfYear() throws {
        let away = try seconded(Presets.lushan2022, ["fromLevel": "city", "monthsInHost": 5, "fromTeam": "T0"])
        #expect(away.cadre("X").status == .graded)
        #expect(away.cadre("X").grade != nil)
        #expect(away.rules("X").first == "R-E3")
        #expect(away.cadre("X").reasons[0].message.contains("在原单位 T0 考核"))
        #expect(away.quota("cadres:T0", "R-Q2")?.base == 2)
        #expect(away.quota("cadres:T1", "R-Q2")?.base == 1)
        #expect(away.cadre("X").rankInTeam == 1)  // ranked with T0's Z (85), not T1's Y
        let json = try #require(try JSONSerialization.jsonObject(with: away.json) as? [String: Any])
        let x = try #require((json["cadres"] as? [[String: Any]])?.first { $0["id"] as? String == "X" })
        #expect(x["team"] as? String == "T0")
        let here = try seconded(Presets.lushan2022, ["fromLevel": "city", "monthsInHost": 6, "fromTeam": "T0"])
        #expect(here.cadre("X").status == .graded)
        #expect(!here.cadre("X").excludedFromQuota)
        #expect(here.quota("cadres:T1", "R-Q2")?.base == 2)
        #expect(here.quota("cadres:T0", "R-Q2")?.base == 1)
    }

    @Test("R-E3/R-E4 (seed 001 §一(一)1 工作不满6个月的在原单位考核): a short secondee without fromTeam, or with an unknown one, is an input error naming the field — never silently not assessed")
    func secondmentFromTeamRequired() throws {
        let missing = problems { _ = try seconded(Presets.county2019, ["fromLevel": "county", "monthsInHost": 4]) }
        #expect(missing.contains { $0.hasSuffix("cadres[0].facts.secondment.fromTeam: 必填：在挂职单位工作 4 个月，不满 6 个月，在原单位考核，须给出原单位班子编号") }, "\(missing)")
        let unknown = problems { _ = try seconded(Presets.county2019, ["fromLevel": "county", "monthsInHost": 4, "fromTeam": "T9"]) }
        #expect(unknown.contains { $0.hasSuffix("cadres[0].facts.secondment.fromTeam: 未知的班子“T9”") }, "\(unknown)")
        // Long enough in the host, or sent down from above (R-E4): no original team needed.
        #expect(try seconded(Presets.county2019, ["fromLevel": "county", "monthsInHost": 6]).cadre("X").status == .graded)
        #expect(try seconded(Presets.county2019, ["fromLevel": "province", "monthsInHost": 2]).cadre("X").status == .graded)
    }

    @Test("R-E3/R-E4 (seed 001 §一(一)1, seed 003 §二4): a secondment without monthsInHost is an input error naming the field, not 12 months")
    func secondmentMonthsRequired() throws {
        let lines = problems { _ = try one(Presets.county2019, ["secondment": ["fromLevel": "county"]]) }
        #expect(lines.contains { $0.hasSuffix("cadres[0].facts.secondment.monthsInHost: 必填：在挂职单位工作的月数（0 到 12）") }, "\(lines)")
    }

    @Test("R-E4 (seed 001 §一(一)1): county-level secondees ≥ 6 months count in the host's quota; a secondee of 4 months is graded in fromTeam; upper-level secondees are graded at the host outside its quota")
    func countySecondee() throws {
        let short = try seconded(Presets.county2019, ["fromLevel": "county", "monthsInHost": 4, "fromTeam": "T0"])
        #expect(short.cadre("X").status == .graded)
        #expect(short.rules("X").first == "R-E4")
        #expect(short.quota("cadres:T0", "R-Q2")?.base == 2)
        #expect(short.quota("cadres:T1", "R-Q2")?.base == 1)
        let long = try seconded(Presets.county2019, ["fromLevel": "county", "monthsInHost": 8, "fromTeam": "T0"])
        #expect(long.cadre("X").status == .graded)
        #expect(!long.cadre("X").excludedFromQuota)
        #expect(long.quota("cadres:T1", "R-Q2")?.base == 2)
        let city = try one(Presets.county2019, ["secondment": ["fromLevel": "province", "monthsInHost": 3]])
        #expect(city.cadre("X").status == .graded)
        #expect(city.cadre("X").excludedFromQuota)
        #expect(city.quota("cadres:T1", "R-Q2")?.base == 1)
    }

    @Test("Every non-graded status carries a reason with its rule ID")
    func nonGradedReasons() throws {
        for facts: JSONObject in [["leaveDays": 200], ["underInvestigation": true], ["retiredOn": "2022-02-01"]] {
            let g = try one(Presets.lushan2022, facts)
            #expect(g.cadre("X").status != .graded)
            #expect(g.cadre("X").reasons.contains { $0.rule.hasPrefix("R-E") })
        }
    }
}

@Suite("Cut-off date (R-E2)")
struct CutoffTests {
    @Test("R-E2: promoted or transferred after the cut-off → assessed in the original unit and post")
    func transferAfterCutoff() throws {
        let teams = [team("Old", score: 90), team("New", score: 80)]
        let later = try grade(Presets.lushan2022, teams: teams, cadres: [
            cadre("X", team: "New", score: 95, facts: ["transfer": ["on": "2023-01-10", "fromTeam": "Old"]]),
        ])
        #expect(later.dataset.cadres[0].team == "Old")
        #expect(later.quota("cadres:Old", "R-Q2")?.base == 1)
        #expect(later.quota("cadres:New", "R-Q2") == nil)
        #expect(later.rules("X").contains("R-E2"))
        let before = try grade(Presets.lushan2022, teams: teams, cadres: [
            cadre("X", team: "New", score: 95, facts: ["transfer": ["on": "2022-11-10", "fromTeam": "Old"]]),
        ])
        #expect(before.dataset.cadres[0].team == "New")
        #expect(before.quota("cadres:New", "R-Q2")?.base == 1)
    }
}
