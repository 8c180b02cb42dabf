import Foundation
import Testing
@testable import AssessmentCore

@Suite("试用期满考核 (R-P4) as a policy")
struct ProbationTests {
    let policy = Presets.puyangProbation2020

    @Test("R-P4 (seed 002 §二3 市管干部试用期满考核): 胜任 at a vote score of 80 or more, 不胜任 over a third of 不胜任 votes, else 基本胜任 — as the notes assume; each with its consequence")
    func outcomes() throws {
        let g = try grade(policy, teams: [team("U1")], cadres: [
            cadre("A", team: "U1", votes: ["胜任": 20, "基本胜任": 5, "不胜任": 0]),      // 92
            cadre("B", team: "U1", votes: ["胜任": 10, "基本胜任": 10, "不胜任": 0]),     // 80: the boundary is 胜任
            cadre("C", team: "U1", votes: ["胜任": 9, "基本胜任": 11, "不胜任": 0]),      // 78
            cadre("D", team: "U1", votes: ["胜任": 5, "基本胜任": 5, "不胜任": 11]),      // 11/21 > 1/3
            cadre("E", team: "U1", votes: ["胜任": 12, "基本胜任": 2, "不胜任": 7]),      // 7/21 = 1/3, not over
            cadre("F", team: "U1"),                                                        // no evaluation
        ])
        #expect(["A", "B", "C", "D", "E", "F"].map { g.cadre($0).grade } == ["胜任", "胜任", "基本胜任", "不胜任", "基本胜任", "基本胜任"])
        #expect(g.rules("D").contains("R-S6"))
        #expect(policy.consequence(ofCadreGrade: "胜任") == "正式任职，试用期满")
        #expect(policy.consequence(ofCadreGrade: "不胜任")?.contains("免去试任职务") == true)
        #expect(policy.consequence(ofCadreGrade: "优秀") == nil)
        // Teams are not graded: one grade, no ranking, no quota.
        #expect(g.team("U1").grade == "不评定")
        #expect(g.team("U1").reasons.map(\.message) == ["本方案班子等次只有“不评定”一项，不评定班子"])
        #expect(g.result.quotas.isEmpty)
        // R-T2 read for probation (the notes): 胜任 below two thirds asks for a special report.
        let reported = Set(g.result.triggers.filter { $0.rule == "R-T2" }.map(\.subject))
        #expect(reported == ["B", "C", "D", "E"])   // B: 胜任 10/20 is a half
    }

    @Test("The probation ballot rates each cadre overall and on 德能勤绩廉 with 胜任/基本胜任/不胜任; there is no team item")
    func ballot() {
        let sheet = BallotSheet(policy: policy, team: nil, cadres: [.init(id: "A", name: "甲", title: "副局长")])
        #expect(sheet.items.map(\.aspect) == ["总体评价", "德", "能", "勤", "绩", "廉"])
        #expect(sheet.items.allSatisfy { $0.options == ["胜任", "基本胜任", "不胜任"] })
        #expect(sheet.maxBest == nil)
    }

    @Test("A ballot's aspects come from the policy: named ones in order, none for the overall item only; a sheet stored before aspects were data reads as R-S1's")
    func aspects() throws {
        var custom = Presets.lushan2022
        custom.teamBallot.aspects = ["执行政策", "选人用人风气"]
        custom.cadreBallot.aspects = []
        let sheet = BallotSheet(policy: custom, team: BallotSheetTests.team, cadres: BallotSheetTests.cadres(2))
        #expect(sheet.items.map(\.key) == ["team", "team.1", "team.2", "c1", "c2"])
        #expect(sheet.items.map(\.aspect) == ["总体评价", "执行政策", "选人用人风气", "总体评价", "总体评价"])
        // Round trip, and the old stored form (no aspects) reads as R-S1's.
        let encoded = try JSONEncoder().encode(sheet)
        #expect(try JSONDecoder().decode(BallotSheet.self, from: encoded) == sheet)
        let old = #"{"team":{"id":"U01","name":"班子","title":"领导班子"},"teamOptions":["好","差"],"cadres":[],"cadreOptions":["优秀"]}"#
        let read = try JSONDecoder().decode(BallotSheet.self, from: Data(old.utf8))
        #expect(read.teamAspects == BallotSheet.teamDimensions && read.cadreAspects == BallotSheet.cadreDimensions)
        #expect(read.items.count == 6)
    }

    @Test("A policy file's aspects, consequences and subjects are checked and listed by path; a policy without them reads as before")
    func validation() throws {
        var bad = policy
        bad.cadreBallot.aspects = ["德", "德", "", String(repeating: "长", count: 21)]
        bad.cadreConsequences = [GradeConsequence("优秀", "x"), GradeConsequence("胜任", ""), GradeConsequence("胜任", "y")]
        bad.teamScale = GradeScale(["优秀", "良好"])
        bad.teamGrading.defaultGrade = "良好"
        let paths = Set(bad.validate().map(\.path))
        #expect(paths.isSuperset(of: ["cadreBallot.aspects[1]", "cadreBallot.aspects[2]", "cadreBallot.aspects[3]",
                                      "cadreConsequences[0].grade", "cadreConsequences[1].text", "cadreConsequences[2].grade", "teamScale"]))
        let read = try Policy.decode(policy.encodedJSON())
        #expect(read == policy)
        // An annual preset's JSON without the new fields reads as teams and cadres, no consequences.
        var object = try JSONSerialization.jsonObject(with: Presets.lushan2022.encodedJSON()) as! [String: Any]
        object["subjects"] = nil
        object["cadreConsequences"] = nil
        let annual = try Policy.decode(try JSONSerialization.data(withJSONObject: object))
        #expect(annual.subjects == .teamsAndCadres && annual.cadreConsequences.isEmpty && annual == Presets.lushan2022)
    }
}

@Suite("一报告两评议 (R-P5) as a policy")
struct SelectionReviewTests {
    let policy = Presets.puyangSelection2020

    @Test("R-P5 (seed 002 §二2 干部选拔任用工作“一报告两评议”): the work is appraised, not graded; a newly appointed cadre is 认可 at 80 or more, 不认可 over a third of 不认可 votes; the notes' review thresholds raise special reports")
    func appraisal() throws {
        let g = try grade(policy, teams: [
            team("U1", votes: ["好": 10, "较好": 5, "一般": 3, "差": 2]),   // 15/20 好+较好: no review
            team("U2", votes: ["好": 5, "较好": 5, "一般": 5, "差": 6]),    // 10/21 below two thirds
        ], cadres: [
            cadre("A", team: "U1", votes: ["认可": 18, "基本认可": 2]),             // 96
            cadre("B", team: "U2", votes: ["认可": 5, "基本认可": 5, "不认可": 6]),  // 6/16 over a third
            cadre("C", team: "U2", votes: ["认可": 10, "基本认可": 10]),             // 80: 认可, but 认可 10/20 below two thirds
        ])
        #expect(g.team("U1").grade == "不评定" && g.team("U2").grade == "不评定")
        #expect(["A", "B", "C"].map { g.cadre($0).grade } == ["认可", "不认可", "认可"])
        let reviews = Set(g.result.triggers.map { "\($0.rule) \($0.subject)" })
        #expect(reviews == ["R-T1 U2", "R-T2 B", "R-T2 C"])
        #expect(policy.consequence(ofCadreGrade: "不认可")?.contains("调查核实") == true)
    }

    @Test("R-P5: the ballot rates 选人用人工作 overall and on its three aspects, each newly appointed cadre once (认可/基本认可/不认可)")
    func ballot() {
        let sheet = BallotSheet(policy: policy, team: .init(id: "U1", name: "城关镇党委", title: policy.teamBallot.title ?? ""),
                                cadres: [.init(id: "A", name: "甲", title: "副镇长")])
        #expect(sheet.items.map(\.aspect) == ["总体评价", "执行干部选拔任用政策法规", "选人用人风气", "整治选人用人不正之风", "总体评价"])
        #expect(sheet.team?.title == "选人用人工作" && sheet.items.last?.options == ["认可", "基本认可", "不认可"])
    }
}
