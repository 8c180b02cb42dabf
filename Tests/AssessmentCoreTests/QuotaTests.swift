import Foundation
import Testing
@testable import AssessmentCore

@Suite("Quotas (R-Q1–R-Q3, R-Q8–R-Q10, R-E8, R-E10)")
struct QuotaTests {
    @Test("R-Q1: 优秀 teams ≤ 30% of the same category, townships separately from county departments")
    func teamCapPerCategory() throws {
        // 4 townships → floor(1.2) = 1; 3 departments → floor(0.9) = 0, even with the best scores overall.
        let g = try grade(Presets.lushan2022, teams: [
            team("T1", score: 95), team("T2", score: 94), team("T3", score: 93), team("T4", score: 92),
            team("D1", "县直单位", score: 99), team("D2", "县直单位", score: 98), team("D3", "县直单位", score: 97),
        ])
        #expect(g.team("T1").grade == "优秀")
        #expect(["T2", "T3", "T4", "D1", "D2", "D3"].allSatisfy { g.team($0).grade == "良好" })
        #expect(g.quota("teams:乡镇街道", "R-Q1").map { [$0.base, $0.limit, $0.used] } == [4, 1, 1])
        #expect(g.quota("teams:县直单位", "R-Q1").map { [$0.base, $0.limit, $0.used] } == [3, 0, 0])
        #expect(g.teamRules("D1").contains("R-Q1"))
    }

    @Test("R-Q1: county-2019 counts 30% of all teams together")
    func teamCapOverall() throws {
        // 7 teams in two categories → floor(2.1) = 2 best-scored teams overall.
        let g = try grade(Presets.county2019, teams: [
            team("T1", score: 95), team("T2", score: 91), team("T3", score: 90), team("T4", score: 80),
            team("D1", "县直单位", score: 99), team("D2", "县直单位", score: 85), team("D3", "县直单位", score: 70),
        ])
        #expect(g.result.teams.filter { $0.grade == "优秀" }.count == 2)
        #expect(g.team("D1").grade == "优秀" && g.team("T1").grade == "优秀")
        #expect(g.quota("teams:all", "R-Q1")?.limit == 2)
    }

    @Test("R-Q9: teams ranked by score overall and within category; other grades are proposals for review")
    func ranking() throws {
        let g = try grade(Presets.lushan2022, teams: [
            team("T1", score: 90), team("D1", "县直单位", score: 95), team("T2", score: 85),
        ])
        #expect(g.team("D1").rank == 1 && g.team("D1").rankInCategory == 1)
        #expect(g.team("T1").rank == 2 && g.team("T1").rankInCategory == 1)
        #expect(g.team("T2").rank == 3 && g.team("T2").rankInCategory == 2)
        let r = g.team("T2").reasons.first { $0.rule == "R-Q9" }
        #expect(r?.message.contains("待研究确定") == true)
    }

    @Test("R-Q2: cadre 优秀 cap follows the team grade (优秀 30%, 良好 25%)")
    func cadreCapByTeamGrade() throws {
        // T1 优秀 (10 cadres → 3), T2 良好 (10 cadres → 2); overall 25% of 20 = 5 is not binding.
        var cadres: [JSONObject] = []
        for k in 0..<10 { cadres.append(cadre("a\(k)", team: "T1", score: Double(100 - k))) }
        for k in 0..<10 { cadres.append(cadre("b\(k)", team: "T2", score: Double(89 - k))) }
        let g = try grade(Presets.lushan2022, teams: [
            team("T1", score: 99), team("T2", score: 90), team("T3", score: 80), team("T4", score: 70),
        ], cadres: cadres)
        #expect(g.team("T1").grade == "优秀" && g.team("T2").grade == "良好")
        #expect(g.excellentCadres(in: "T1") == ["a0", "a1", "a2"])
        #expect(g.excellentCadres(in: "T2") == ["b0", "b1"])
        #expect(g.rules("a3").contains("R-Q2"))
        let q = g.result.quotas.filter { $0.rule == "R-Q2" }
        #expect(q.allSatisfy { $0.used <= $0.limit })
    }

    @Test("R-Q3: overall cadre 优秀 ≤ 25% of all assessed cadres (seed 003)")
    func overallCap() throws {
        var policy = Presets.lushan2022
        policy.quotas.removeAll { $0.rule == "R-Q2" }
        let cadres = (0..<8).map { cadre("c\($0)", team: "T1", score: Double(100 - $0)) }
        let g = try grade(policy, teams: [team("T1", score: 90)], cadres: cadres)
        #expect(g.excellentCadres() == ["c0", "c1"])
        #expect(g.quota("cadres:all", "R-Q3").map { [$0.base, $0.limit, $0.used] } == [8, 2, 2])
        #expect(g.rules("c2").contains("R-Q3"))
    }

    @Test("R-Q2: county-2019 caps 优秀 at 20% per township/department whose team is 良好 (seed 001 §一(三)5)")
    func perUnitCap() throws {
        let cadres = (0..<10).map { cadre("c\($0)", team: "T1", score: Double(100 - $0), votes: votes(excellent: 10), regular: ["优秀"]) }
        let g = try grade(Presets.county2019, teams: [team("T1", score: 90)], cadres: cadres)
        #expect(g.team("T1").grade == "良好")  // 1 team × 30% → 0 places
        #expect(g.excellentCadres() == ["c0", "c1"])
        #expect(g.quota("cadres:T1", "R-Q2")?.limit == 2)
        #expect(g.quota("cadres:T1", "R-Q3") == nil)
    }

    @Test("R-Q2: county-2019's 25% for an 优秀 team is an upward adjustment of the unit's 20%, not capped by it: 8 cadres, 2 places (seed 001 §一(三)5)")
    func excellentTeamAdjustedUp() throws {
        // 4 teams → floor(1.2) = 1 优秀 team: T1. Its 8 cadres: 25% → 2 places (20% would give 1).
        var cadres = (0..<8).map { cadre("a\($0)", team: "T1", score: Double(100 - $0), votes: votes(excellent: 10), regular: ["优秀"]) }
        cadres += (0..<8).map { cadre("b\($0)", team: "T2", score: Double(99 - $0), votes: votes(excellent: 10), regular: ["优秀"]) }
        let g = try grade(Presets.county2019, teams: [team("T1", score: 99), team("T2", score: 90), team("T3", score: 80), team("T4", score: 70)],
                          cadres: cadres)
        #expect(g.team("T1").grade == "优秀" && g.team("T2").grade == "良好")
        #expect(g.excellentCadres(in: "T1") == ["a0", "a1"])
        #expect(g.quota("cadres:T1", "R-Q2").map { [$0.base, $0.limit, $0.used] } == [8, 2, 2])
        #expect(g.excellentCadres(in: "T2") == ["b0"])  // 良好: 20% of 8 = 1
        #expect(g.rules("a2").contains("R-Q2"))
    }

    @Test("R-Q8: \"不超过 N%\" rounds down by default; rounding is a policy parameter")
    func rounding() throws {
        #expect(Quota.limit(base: 5, percent: 30, rounding: .floor) == 1)
        #expect(Quota.limit(base: 5, percent: 30, rounding: .round) == 2)
        #expect(Quota.limit(base: 5, percent: 30, rounding: .ceil) == 2)
        #expect(Quota.limit(base: 7, percent: 25, rounding: .round) == 2)
        #expect(Quota.limit(base: 10, percent: 30, rounding: .floor) == 3)
        #expect(Quota.limit(base: 10, percent: 30, rounding: .ceil) == 3)
        var policy = Presets.lushan2022
        policy.quotas[0].rounding = .ceil
        let teams = [team("T1", score: 95), team("T2", score: 94), team("T3", score: 93), team("T4", score: 92)]
        let g = try grade(policy, teams: teams)
        #expect(g.result.teams.filter { $0.grade == "优秀" }.count == 2)  // ceil(1.2) = 2
        let floor = try grade(Presets.lushan2022, teams: teams)
        #expect(floor.result.teams.filter { $0.grade == "优秀" }.count == 1)
    }

    @Test("R-Q8: a tie at the cap boundary is reported, not broken, and the place goes to nobody below")
    func tieAtBoundary() throws {
        let g = try grade(Presets.lushan2022, teams: [
            team("T1", score: 95), team("T2", score: 95), team("T3", score: 90), team("T4", score: 80),
        ])
        #expect(g.result.teams.allSatisfy { $0.grade != "优秀" })
        #expect(g.result.ties.count == 1)
        #expect(g.result.ties.first?.subjects == ["T1", "T2"])
        #expect(g.result.ties.first?.freeSlots == 1)
        #expect(g.teamRules("T1").contains("R-Q8") && g.teamRules("T2").contains("R-Q8"))
        #expect(g.team("T1").reasons.contains { $0.message.contains("提请研究确定") })
    }

    @Test("R-Q8: a tie that fits within the cap is no tie")
    func tieWithinCap() throws {
        // 10 townships → 3 places; T1, T2 tied at the top both fit.
        var teams = [team("T1", score: 99), team("T2", score: 99)]
        for k in 3...10 { teams.append(team("T\(k)", score: Double(90 - k))) }
        let g = try grade(Presets.lushan2022, teams: teams)
        #expect(g.result.ties.isEmpty)
        #expect(g.result.teams.filter { $0.grade == "优秀" }.count == 3)
    }

    @Test("R-Q8: cadres tied for the last place under R-Q2 are left for the committee")
    func cadreTie() throws {
        var policy = Presets.lushan2022
        policy.quotas.removeAll { $0.rule == "R-Q3" }
        // One 良好 team of 8 cadres → floor(2) = 2 places; c1 and c2 tie for the second.
        let cadres = [cadre("c0", team: "T1", score: 99), cadre("c1", team: "T1", score: 95), cadre("c2", team: "T1", score: 95)]
            + (3..<8).map { cadre("c\($0)", team: "T1", score: Double(90 - $0)) }
        let g = try grade(policy, teams: [team("T1", score: 90)], cadres: cadres)
        #expect(g.excellentCadres() == ["c0"])
        #expect(g.result.ties.map(\.subjects) == [["c1", "c2"]])
        #expect(g.rules("c1").contains("R-Q8"))
        #expect(g.cadre("c3").grade == "称职")
    }

    @Test("R-Q10 and R-E4: city-level secondees are graded at the host outside its base and quota")
    func secondeeOutsideQuota() throws {
        // 5 cadres, one a city secondee → base 4 → floor(0.8) = 0 places for the others.
        var cadres = [cadre("S", team: "T1", score: 99, votes: votes(excellent: 10), regular: ["优秀"],
                            facts: ["secondment": ["fromLevel": "city", "monthsInHost": 9]])]
        cadres += (1..<5).map { cadre("c\($0)", team: "T1", score: Double(98 - $0), votes: votes(excellent: 10), regular: ["优秀"]) }
        let g = try grade(Presets.county2019, teams: [team("T1", score: 90)], cadres: cadres)
        #expect(g.cadre("S").grade == "优秀")
        #expect(g.cadre("S").excludedFromQuota)
        #expect(g.rules("S").contains("R-E4") && g.rules("S").contains("R-Q10"))
        #expect(g.quota("cadres:T1", "R-Q2").map { [$0.base, $0.limit, $0.used] } == [4, 0, 0])
        #expect(g.excellentCadres() == ["S"])
    }

    @Test("R-E8 (seed 001): township principals are graded in a separate list, ranked by their unit's result, outside their unit's base; no cap unless the policy sets one")
    func separateList() throws {
        var teams: [JSONObject] = []
        var cadres: [JSONObject] = []
        for k in 1...5 {
            teams.append(team("T\(k)", score: Double(90 - k)))
            // The principals' own scores run the other way: the list follows the teams' scores (本单位考核结果).
            cadres.append(cadre("P\(k)", team: "T\(k)", score: Double(80 + k), votes: votes(excellent: 10), principal: true,
                                regular: ["优秀"], separateList: true))
            cadres.append(cadre("M\(k)", team: "T\(k)", score: 80, votes: votes(excellent: 10), regular: ["优秀"]))
        }
        let g = try grade(Presets.county2019, teams: teams, cadres: cadres)
        #expect(g.quota("cadres:separate", "R-E8") == nil)  // the seed sets no rate for the separate list
        #expect((1...5).allSatisfy { g.cadre("P\($0)").separateList && g.cadre("P\($0)").grade == "优秀" })
        #expect((1...5).map { g.cadre("P\($0)").rankInTeam } == [1, 2, 3, 4, 5])  // by T1 > T2 > … , not by own score
        #expect(g.quota("cadres:T1", "R-Q2")?.base == 1)
        // A locality that sets a rate: 20% of 5 → 1, to the principal of the best-scored unit.
        var capped = Presets.county2019
        capped.quotas.append(Quota(rule: "R-E8", scope: .cadreSeparate, grade: "优秀", percent: 20))
        let c = try grade(capped, teams: teams, cadres: cadres)
        #expect(c.quota("cadres:separate", "R-E8").map { [$0.base, $0.limit, $0.used] } == [5, 1, 1])
        #expect(c.cadre("P1").grade == "优秀" && c.cadre("P5").grade == "称职" && c.rules("P5").contains("R-E8"))
        // The summary list (县委组织部汇总): the separate list's proposals in rank order.
        #expect(g.result.proposalLists.first { $0.scope == "cadres:separate" }?.subjects == ["P1", "P2", "P3", "P4", "P5"])
        #expect(c.result.proposalLists.map(\.subjects) == [["P1"]])
    }

    @Test("R-E10: entrusted assessments propose 优秀 for at most 20% per supervising department")
    func entrusted() throws {
        var policy = Presets.county2019
        policy.quotas.removeAll { $0.rule == "R-Q2" }
        let cadres = (0..<10).map {
            cadre("s\($0)", team: "School", score: Double(100 - $0), votes: votes(excellent: 10), regular: ["优秀"], entrustedBy: "县教体局")
        }
        let g = try grade(policy, teams: [team("School", "学校", score: 90)], cadres: cadres)
        #expect(g.excellentCadres() == ["s0", "s1"])
        #expect(g.quota("cadres:entrusted:县教体局", "R-E10")?.limit == 2)
        #expect(g.rules("s2").contains("R-E10"))
    }

    @Test("R-E10 (seed 001 §一(一)4: 不计算在行政主管部门; 优秀等次建议名单按优秀程度从高到低顺序排列): entrusted cadres are outside the supervising department's R-Q2 base, ranked in their own group, and their proposals listed in rank order")
    func entrustedOutsideSupervisor() throws {
        // 县教体局's own 5 cadres score below every school cadre it is entrusted with.
        var cadres = (0..<5).map { cadre("own\($0)", team: "JTJ", score: Double(80 - $0), votes: votes(excellent: 10), regular: ["优秀"]) }
        cadres += (0..<10).map {
            cadre("s\($0)", team: "JTJ", score: Double(99 - $0), votes: votes(excellent: 10), regular: ["优秀"], entrustedBy: "县教体局")
        }
        cadres[5 + 7]["proposal"] = "优秀"  // s7: decided by people, takes a place first
        let g = try grade(Presets.county2019, teams: [team("JTJ", "县直部门", score: 90)], cadres: cadres)
        // The department's own base is its 5 cadres (20% → 1 place), not 15 (→ 3).
        #expect(g.quota("cadres:JTJ", "R-Q2").map { [$0.base, $0.limit, $0.used] } == [5, 1, 1])
        #expect(g.quota("cadres:entrusted:县教体局", "R-E10").map { [$0.base, $0.limit, $0.used] } == [10, 2, 2])
        #expect(g.excellentCadres() == ["own0", "s0", "s7"])
        #expect(g.cadre("s0").entrustedTo == "县教体局" && g.cadre("s0").excludedFromQuota)
        #expect(g.rules("s0").prefix(2) == ["R-E10", "R-Q10"])
        #expect((0..<10).map { g.cadre("s\($0)").rankInTeam } == Array(1...10))  // ranked among the entrusted only
        #expect(g.cadre("own0").rankInTeam == 1)
        let list = try #require(g.result.proposalLists.first { $0.scope == "cadres:entrusted:县教体局" })
        #expect(list.rule == "R-E10" && list.grade == "优秀" && list.size == 10)
        #expect(list.subjects == ["s0", "s7"])  // 按优秀程度从高到低
        let json = try #require(try JSONSerialization.jsonObject(with: g.json) as? [String: Any])
        let lists = try #require(json["proposalLists"] as? [[String: Any]])
        #expect(lists.first?["subjects"] as? [String] == ["s0", "s7"])
        let s0 = try #require((json["cadres"] as? [[String: Any]])?.first { $0["id"] as? String == "s0" })
        #expect(s0["entrustedBy"] as? String == "县教体局")
    }
}

@Suite("Ranking basis (R-Q9)")
struct RankingBasisTests {
    @Test("R-Q9: a subject with neither score nor votes cannot be ranked and is not proposed 优秀")
    func nothingToRankBy() throws {
        var policy = Presets.lushan2022
        policy.quotas = []
        let g = try grade(policy, teams: [team("T1"), team("T2", score: 90)], cadres: [
            cadre("A", team: "T2"), cadre("B", team: "T2", score: 80),
        ])
        #expect(g.team("T1").grade == "良好" && g.teamRules("T1").contains("R-Q9"))
        #expect(g.team("T2").grade == "优秀")
        #expect(g.cadre("A").grade == "称职" && g.rules("A").contains("R-Q9"))
        #expect(g.cadre("B").grade == "优秀")
    }

    @Test("Facts a policy has no rule for are reported as warnings, not silently applied")
    func unusedFacts() throws {
        let g = try grade(Presets.lushan2022, teams: [team("T1", score: 90, events: ["massIncident"])], cadres: [
            cadre("A", team: "T1", score: 90, separateList: true),
        ])
        #expect(Set(g.result.warnings.filter { $0.message.contains("本方案未规定") }.map(\.rule)) == ["R-E8", "R-Q7"])
        #expect(!g.cadre("A").separateList)
    }
}

@Suite("Ties across caps")
struct TieAcrossCapsTests {
    @Test("R-Q8: places held for a tie in one cap are also held in the tied subjects' other caps")
    func tieHoldsOtherCaps() throws {
        // T1 (良好, 8 cadres → R-Q2 2 places): a0 first, a1/a2 tie for the second. T2 (4 cadres → 1 place): b0.
        let cadres = [cadre("a0", team: "T1", score: 99), cadre("a1", team: "T1", score: 95), cadre("a2", team: "T1", score: 95)]
            + (3..<8).map { cadre("a\($0)", team: "T1", score: Double(80 - $0)) }
            + [cadre("b0", team: "T2", score: 94)] + (1..<4).map { cadre("b\($0)", team: "T2", score: Double(70 - $0)) }
        var policy = Presets.lushan2022
        policy.quotas[2].percent = 17  // overall 17% of 12 = 2 places: a0 takes one, the T1 tie holds the other
        let g = try grade(policy, teams: [team("T1", score: 90), team("T2", score: 80)], cadres: cadres)
        #expect(g.team("T1").grade == "良好" && g.team("T2").grade == "良好")
        #expect(g.result.ties.map(\.subjects) == [["a1", "a2"]])
        #expect(g.excellentCadres() == ["a0"])  // b0 would take the held overall place otherwise
        #expect(g.rules("b0").contains("R-Q3"))
        #expect(g.quota("cadres:all", "R-Q3").map { [$0.limit, $0.used] } == [2, 1])
    }
}

@Suite("Ties at the printed precision (R-Q8, issue 9 §3)")
struct PrintedPrecisionTests {
    @Test("R-Q8: three composites that print 91.00 are tied for the last place, whatever their exact values")
    func printedTie() throws {
        // 4 townships → 1 place. Composites 91.004, 91 and 90.996: different numbers, all printed 91.00.
        let a = (91.012 + 91.0 + 91.0) / 3, c = (90.988 + 91.0 + 91.0) / 3
        #expect(a > 91 && c < 91 && formatDecimal(a, decimals: 2) == "91" && formatDecimal(c, decimals: 2) == "91")
        let g = try grade(Presets.lushan2022, teams: [
            team("A", parts: ["综合考评": 91.012, "党建高质量考核": 91, "高质量发展考核": 91]),
            team("B", parts: ["综合考评": 91, "党建高质量考核": 91, "高质量发展考核": 91]),
            team("C", parts: ["综合考评": 90.988, "党建高质量考核": 91, "高质量发展考核": 91]),
            team("D", score: 80),
        ])
        #expect(g.result.ties.map { Set($0.subjects) } == [["A", "B", "C"]])
        #expect(["A", "B", "C"].allSatisfy { g.team($0).grade == "良好" && g.team($0).rank == 1 })
        #expect(g.teamRules("A").contains("R-Q8"))
    }

    @Test("R-Q8: equal scores are not split by the vote score unless the policy names it (tieBreak)")
    func noSilentSecondKey() throws {
        let teams = [team("A", score: 95, votes: ["好": 30, "较好": 0, "一般": 0, "差": 0]),
                     team("B", score: 95, votes: ["好": 20, "较好": 10, "一般": 0, "差": 0]),
                     team("C", score: 90), team("D", score: 80)]
        let g = try grade(Presets.lushan2022, teams: teams)
        #expect(g.result.ties.map(\.subjects) == [["A", "B"]])
        #expect(g.team("A").grade == "良好" && g.team("A").rank == g.team("B").rank)
        var named = Presets.lushan2022
        named.tieBreak = .voteScore
        // MUT: the policy names the vote score
        let n = try grade(named, teams: teams)
        #expect(n.result.ties.isEmpty && n.team("A").grade == "优秀" && n.team("B").grade == "良好")
        #expect(try Policy.decode(named.encodedJSON()) == named)
    }

    @Test("R-Q9: a cadre with only a vote score is not ranked against cadres with scores, not a candidate, and named in a warning")
    func voteOnlyNotRanked() throws {
        var policy = Presets.lushan2022
        policy.quotas.removeAll { $0.rule == "R-Q3" }
        let g = try grade(policy, teams: [team("T1", score: 90)], cadres: [
            cadre("V", team: "T1", votes: ["优秀": 30, "称职": 0, "基本称职": 0, "不称职": 0]),
        ] + (1...7).map { cadre("c\($0)", team: "T1", score: Double(90 - $0)) })
        #expect(g.cadre("V").grade == "称职" && g.rules("V").contains("R-Q9"))
        #expect(g.cadre("V").rankInTeam == 8)  // after every cadre with a score
        #expect(g.excellentCadres() == ["c1", "c2"])  // 良好 team of 8: 25% → 2
        #expect(g.result.warnings.contains { $0.rule == "R-Q9" && $0.message.contains("V") })
        // With a decision the engine grades twice; the warning is still said once.
        let decided = try grade(policy, teams: [team("T1", score: 90)], cadres: [
            cadre("V", team: "T1", votes: ["优秀": 30, "称职": 0, "基本称职": 0, "不称职": 0]),
        ] + (1...7).map { cadre("c\($0)", team: "T1", score: Double(90 - $0), proposal: $0 == 7 ? "称职" : nil) })
        #expect(decided.result.warnings.filter { $0.rule == "R-Q9" }.count == 1)
    }

    @Test("R-Q8: a cap that rounding leaves at 0 for a scope with subjects is named in a warning")
    func zeroCapWarned() throws {
        let cadres = (0..<4).map { cadre("c\($0)", team: "T1", score: Double(99 - $0), votes: votes(excellent: 10), regular: ["优秀"]) }
        let g = try grade(Presets.county2019, teams: [team("T1", score: 90)], cadres: cadres)
        #expect(g.excellentCadres().isEmpty)  // 良好 team: 20% of 4 = 0
        #expect(g.result.warnings.contains { $0.rule == "R-Q2" && $0.scope == "cadres:T1" && $0.message.contains("取整后为 0") })
        #expect(g.result.warnings.contains { $0.rule == "R-Q1" && $0.scope == "teams:all" })  // 30% of 1 team
    }
}
