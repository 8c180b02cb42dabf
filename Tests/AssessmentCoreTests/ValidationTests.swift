import Foundation
import Testing
@testable import AssessmentCore

@Suite("Bad input and broken policies are rejected with every problem listed by path")
struct ValidationTests {
    @Test("A broken policy lists every problem by path")
    func brokenPolicy() {
        var p = Presets.lushan2022
        p.quotas[0].percent = 120
        p.quotas[2].grade = "特优"
        p.teamGrading.defaultGrade = "很好"
        p.principalConstraints[0].maxGrade = "合格"
        let lines = p.validate().map(\.description)
        #expect(lines.contains("quotas[0].percent: 必须在 0 到 100 之间"))
        #expect(lines.contains { $0.hasPrefix("quotas[2].grade:") })
        #expect(lines.contains { $0.hasPrefix("teamGrading.defaultGrade:") })
        #expect(lines.contains { $0.hasPrefix("principalConstraints[0].maxGrade:") })
        #expect(lines.count == 4)
    }

    @Test("Every preset is valid and cites its seed")
    func presetsValid() {
        #expect(Presets.all.map(\.name) == ["lushan-2022", "county-2019", "puyang-2020", "puyang-2020-probation", "puyang-2020-selection", "regular-2019", "clean-governance", "target-responsibility"])
        for p in Presets.all {
            #expect(p.validate().isEmpty, "\(p.name): \(p.validate())")
            #expect(p.source.hasPrefix("seed 00"))
        }
    }

    @Test("A policy file that is not the right shape is rejected with a path for every field")
    func wrongShape() {
        let lines = problems { _ = try Policy.decode(Data(#"{"name": 3}"#.utf8)) }
        #expect(lines.contains { $0.hasPrefix("name:") })
        for missing in ["teamScale", "cadreScale", "teamBallot", "cadreBallot", "teamGrading", "cadreGrading"] {
            #expect(lines.contains("\(missing): 缺少必填字段"), "\(missing) not reported: \(lines)")
        }
        #expect(lines.count == 7)
    }

    @Test("A policy file in GBK (a clerk's editor's default) is refused with a problem that says so, never with none")
    func notUTF8() throws {
        var text = String(decoding: Presets.lushan2022.encodedJSON(), as: UTF8.self)
        text = text.replacingOccurrences(of: Presets.lushan2022.title, with: "某县考核办法")
        // "某县" in GBK: C4 B3 CF D8.
        var bytes = Array(text.utf8)
        let at = try #require(text.utf8.firstRange(of: Array("某县".utf8)))
        bytes.replaceSubrange(text.utf8.distance(from: text.utf8.startIndex, to: at.lowerBound)..<text.utf8.distance(from: text.utf8.startIndex, to: at.upperBound),
                              with: [0xC4, 0xB3, 0xCF, 0xD8])
        let lines = problems { _ = try Policy.decode(Data(bytes)) }
        #expect(lines == ["policy: 文件不是 UTF-8 编码的文本（如为 GBK 等编码，请另存为 UTF-8 后再用）"])
    }

    @Test("Several mistyped fields in an edited preset are all reported, each by its path")
    func severalShapeProblems() throws {
        var json = try #require(try JSONSerialization.jsonObject(with: Presets.lushan2022.encodedJSON()) as? [String: Any])
        var quotas = try #require(json["quotas"] as? [[String: Any]])
        quotas[1]["percent"] = "三十"
        json["quotas"] = quotas
        json["disqualifyingEvents"] = 5
        json["title"] = ["not", "a", "string"]
        let lines = problems { _ = try Policy.decode(JSONSerialization.data(withJSONObject: json)) }
        #expect(lines.contains { $0.hasPrefix("quotas[1].percent:") })
        #expect(lines.contains { $0.hasPrefix("disqualifyingEvents:") })
        #expect(lines.contains { $0.hasPrefix("title:") })
        #expect(lines.count == 3)
    }

    @Test("Bad dataset: every problem listed as path: message")
    func badDataset() {
        let data = campaignData(teams: [
            team("T1", score: 90), team("T1", "县直单位", score: 80),
        ], cadres: [
            cadre("C1", team: "T1", votes: ["优秀": 3]),
            cadre("C2", team: "T9", votes: ["优秀": -1, "很好": 2]),
            cadre("C1", team: "T1", facts: ["retiredOn": "2022-02-30"], proposal: "卓越"),
        ])
        let lines = problems { _ = try Dataset.read(data, policy: Presets.lushan2022) }
        #expect(lines.contains("teams[1].id: 重复的编号“T1”（与 teams[0] 相同）"))
        #expect(lines.contains("cadres[1].votes.优秀: 必须是非负整数"))
        #expect(lines.contains { $0.hasPrefix("cadres[1].votes.很好: 未知的测评选项“很好”") })
        #expect(lines.contains("cadres[1].team: 未知的班子“T9”"))
        #expect(lines.contains("cadres[2].id: 重复的编号“C1”（与 cadres[0] 相同）"))
        #expect(lines.contains("cadres[2].facts.retiredOn: 日期无效：“2022-02-30”（格式应为 YYYY-MM-DD）"))
        #expect(lines.contains { $0.hasPrefix("cadres[2].proposal: 未知的等次“卓越”") })
        #expect(lines.count == 7)
    }

    @Test("Fractional vote counts and missing required fields are problems")
    func fractionalVotes() {
        let json = #"{"cutoff":"2022-12-31","teams":[{"id":"T1"}],"cadres":[{"id":"C1","team":"T1","votes":{"称职":2.5}}]}"#
        let lines = problems { _ = try Dataset.read(Data(json.utf8), policy: Presets.lushan2022) }
        #expect(lines == ["teams[0].category: 缺少必填字段", "cadres[0].votes.称职: 必须是非负整数"])
    }

    @Test("Broken JSON is reported with line and column")
    func syntax() {
        let lines = problems { _ = try Dataset.read(Data("{\n \"teams\": [,]}".utf8), policy: Presets.lushan2022) }
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("第 2 行") == true)
    }
}

@Suite("Hand-written policy files")
struct HandWrittenPolicyTests {
    @Test("Fields with defaults may be left out; rounding defaults to floor (R-Q8)")
    func minimalPolicy() throws {
        let json = """
        {"name": "mini", "teamScale": {"grades": ["优秀", "良好"]}, "cadreScale": {"grades": ["优秀", "称职"]},
         "teamBallot": {"options": [{"label": "好", "points": 100}]}, "cadreBallot": {"options": [{"label": "优秀", "points": 100}]},
         "teamGrading": {"method": "fixed", "defaultGrade": "良好"}, "cadreGrading": {"defaultGrade": "称职"},
         "quotas": [{"rule": "R-Q1", "scope": "teamAll", "grade": "优秀", "percent": 50}]}
        """
        let p = try Policy.decode(Data(json.utf8))
        #expect(p.quotas[0].rounding == .floor)
        #expect(p.eligibility.halfYearDays == 183)
        let g = try grade(p, teams: [team("A", score: 90), team("B", score: 80), team("C", score: 70)])
        #expect(g.result.teams.map { $0.grade ?? "" } == ["优秀", "良好", "良好"])  // floor(1.5) = 1
    }
}

@Suite("Reading large datasets")
struct ParallelReadTests {
    @Test("Two-thread reading of the cadre list gives the same dataset and the same problems in order")
    func sameAsSequential() throws {
        let (teams, cadres) = randomCampaign(seed: 7)
        let data = campaignData(teams: teams, cadres: cadres)
        let policy = Presets.lushan2022
        let sequential = try Dataset.read(data, policy: policy, parallelFromBytes: .max)
        let parallel = try Dataset.read(data, policy: policy, parallelFromBytes: 0)
        #expect(parallel.cadres.map(\.id) == sequential.cadres.map(\.id))
        #expect(parallel.cadres.map(\.teamIndex) == sequential.cadres.map(\.teamIndex))
        let a = GradingEngine.grade(policy: policy, dataset: sequential).json(dataset: sequential, policy: policy)
        let b = GradingEngine.grade(policy: policy, dataset: parallel).json(dataset: parallel, policy: policy)
        #expect(a == b)

        // Problems in both halves come out in input order.
        var bad = (0..<40).map { cadre("C\($0)", team: "T0", votes: ["优秀": 1]) }
        bad[3]["votes"] = ["优秀": -1]
        bad[36]["votes"] = ["很好": 1]
        let badData = campaignData(teams: [team("T0", score: 90)], cadres: bad)
        let p1 = problems { _ = try Dataset.read(badData, policy: policy, parallelFromBytes: .max) }
        let p2 = problems { _ = try Dataset.read(badData, policy: policy, parallelFromBytes: 0) }
        #expect(p1 == p2)
        #expect(p1.count == 2 && p1[0].hasPrefix("cadres[3].") && p1[1].hasPrefix("cadres[36]."))

        // A syntax error in the second half is reported at its place.
        let broken = Data(String(decoding: badData, as: UTF8.self).replacingOccurrences(of: "\"C39\"", with: "\"C39\" 1").utf8)
        let p3 = problems { _ = try Dataset.read(broken, policy: policy, parallelFromBytes: 0) }
        let p4 = problems { _ = try Dataset.read(broken, policy: policy, parallelFromBytes: .max) }
        #expect(p3.last == p4.last && p3.last?.contains("JSON 语法错误") == true)
    }

    @Test("Two-thread reading agrees with one thread wherever the cut falls: none, one, a few or many cadres, with a long list of teams after them or not")
    func cutAnywhere() throws {
        let policy = Presets.lushan2022
        for count in [0, 1, 2, 3, 5, 12, 40] {
            for teamCount in [1, 60] {
                let teams = (0..<teamCount).map { team("T\($0)", score: 90) }
                let cadres = (0..<count).map { cadre("C\($0)", team: "T0", votes: ["优秀": $0 % 5, "称职": 5]) }
                let data = campaignData(teams: teams, cadres: cadres)  // keys sorted: the cadres come first
                let one = try Dataset.read(data, policy: policy, parallelFromBytes: .max)
                let two = try Dataset.read(data, policy: policy, parallelFromBytes: 0)
                #expect(two.cadres.map(\.id) == one.cadres.map(\.id), "\(count) cadres, \(teamCount) teams")
                #expect(two.cadres.map(\.votes) == one.cadres.map(\.votes))
                #expect(two.teams.count == teamCount)
            }
        }
    }
}

@Suite("Ballot limits (seed 001 §二(一), issue 9 §6)")
struct BallotLimitTests {
    @Test("county-2019: one ballot may mark at most 20% of its cadres 优秀 (rounded down); the field round-trips and is validated")
    func bestShare() throws {
        let policy = Presets.county2019
        #expect(policy.cadreBallot.maxBestShare == 20)
        #expect(policy.cadreBallot.maxBest(of: 10) == 2 && policy.cadreBallot.maxBest(of: 14) == 2 && policy.cadreBallot.maxBest(of: 4) == 0)
        #expect(Presets.lushan2022.cadreBallot.maxBest(of: 10) == nil)
        #expect(String(decoding: policy.encodedJSON(), as: UTF8.self).contains("\"maxBestShare\" : 20"))
        #expect(try Policy.decode(policy.encodedJSON()) == policy)
        var wrong = policy
        wrong.cadreBallot.maxBestShare = 150
        #expect(wrong.validate().map(\.description).contains { $0.hasSuffix("cadreBallot.maxBestShare: 必须在 0 到 100 之间且大于 0") })
    }
}

@Suite("Id index (reading 100,000 ids)")
struct IDIndexTests {
    @Test("Finds what a Dictionary finds, keeps the first position of a repeated id, also once it has turned into a Dictionary")
    func sameAsDictionary() {
        let ids = (0..<5_000).map { "C\($0 % 4_000)" } + ["", "编号一", "a\"b", String(repeating: "长", count: 40)]
        for maxProbe in [64, 1] {
            var index = IDIndex(capacity: 10, maxProbe: maxProbe)  // grows on the way
            var reference: [String: Int] = [:]
            for (i, id) in ids.enumerated() {
                let before = index.insert(id, i)
                #expect(before == reference[id], "\(id), maxProbe \(maxProbe)")
                if reference[id] == nil { reference[id] = i }
            }
            for id in reference.keys { #expect(index.find(id) == reference[id]) }
            #expect(index.find("C4000") == nil && index.find("T1") == nil)
        }
    }
}
