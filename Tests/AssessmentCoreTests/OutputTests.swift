import Foundation
import Testing
import PropertyBased
@testable import AssessmentCore

@Suite("Output: contract fields, determinism, policy round trip")
struct OutputTests {
    func example() throws -> (Policy, Dataset) {
        let data = campaignData(teams: [
            team("T1", score: 92.5, votes: ["好": 40, "较好": 8, "一般": 2, "差": 0]),
            team("T2", score: 88, votes: ["好": 20, "较好": 8, "一般": 20, "差": 2]),
            team("T3", score: 80), team("T4", score: 70),
        ], cadres: [
            cadre("C1", team: "T1", score: 93.1, votes: ["优秀": 30, "称职": 18, "基本称职": 2], principal: true),
            cadre("C2", team: "T2", score: 90, votes: ["优秀": 5, "称职": 5, "不称职": 10]),
            cadre("C3", team: "T2", score: 85, facts: ["leaveDays": 200]),
        ])
        return (Presets.lushan2022, try Dataset.read(data, policy: Presets.lushan2022))
    }

    @Test("Output is byte-identical for the same input")
    func deterministic() throws {
        let (p, d) = try example()
        let a = GradingEngine.grade(policy: p, dataset: d).json(dataset: d, policy: p)
        let b = GradingEngine.grade(policy: p, dataset: try Dataset.read(campaignDataCopy(d), policy: p)).json(dataset: d, policy: p)
        #expect(a == b)
    }

    func campaignDataCopy(_ d: Dataset) -> Data {
        campaignData(teams: [
            team("T1", score: 92.5, votes: ["好": 40, "较好": 8, "一般": 2, "差": 0]),
            team("T2", score: 88, votes: ["好": 20, "较好": 8, "一般": 20, "差": 2]),
            team("T3", score: 80), team("T4", score: 70),
        ], cadres: [
            cadre("C1", team: "T1", score: 93.1, votes: ["优秀": 30, "称职": 18, "基本称职": 2], principal: true),
            cadre("C2", team: "T2", score: 90, votes: ["优秀": 5, "称职": 5, "不称职": 10]),
            cadre("C3", team: "T2", score: 85, facts: ["leaveDays": 200]),
        ])
    }

    @Test("JSON output has the contract's fields in order, with rounded numbers")
    func contractShape() throws {
        let (p, d) = try example()
        let r = GradingEngine.grade(policy: p, dataset: d)
        let out = r.json(dataset: d, policy: p)
        let obj = try JSONSerialization.jsonObject(with: out) as! [String: Any]
        for key in ["policy", "teams", "cadres", "quotas", "triggers", "ties", "violations", "warnings"] {
            #expect(obj[key] != nil, "missing \(key)")
        }
        let text = String(decoding: out, as: UTF8.self)
        let order = ["\"policy\"", "\"teams\"", "\"cadres\"", "\"quotas\"", "\"triggers\"", "\"ties\"", "\"violations\"", "\"warnings\""]
            .map { text.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        let t1 = (obj["teams"] as! [[String: Any]])[0]
        #expect(t1["grade"] as? String == "优秀")
        #expect((t1["voteShares"] as! [String: Any])["好"] as? Double == 0.8)
        let c1 = (obj["cadres"] as! [[String: Any]])[0]
        #expect(c1["voteScore"] as? Double == 91.2)
        #expect(c1["status"] as? String == "graded")
        let c3 = (obj["cadres"] as! [[String: Any]])[2]
        #expect(c3["status"] as? String == "ungraded")
        #expect(c3["grade"] is NSNull)
        #expect(text.contains("\"rule\": \"R-E5\""))
    }

    @Test("Every grade below the best carries at least one reason")
    func reasonsPresent() throws {
        let (p, d) = try example()
        let r = GradingEngine.grade(policy: p, dataset: d)
        for t in r.teams where t.grade != p.teamScale.best { #expect(!t.reasons.isEmpty) }
        for c in r.cadres where c.grade != p.cadreScale.best { #expect(!c.reasons.isEmpty) }
    }

    @Test("`policy show` JSON reads back identically for every preset")
    func roundTrip() throws {
        for p in Presets.all {
            let data = p.encodedJSON()
            let back = try Policy.decode(data)
            #expect(back == p)
            #expect(back.encodedJSON() == data)
        }
    }

    @Test("Table output aligns CJK text by display width")
    func table() throws {
        #expect(displayWidth("乡镇街道") == 8)
        #expect(displayWidth("T1") == 2)
        let (p, d) = try example()
        let text = GradingEngine.grade(policy: p, dataset: d).table(dataset: d)
        #expect(text.contains("【班子】") && text.contains("【干部】") && text.contains("【指标使用】") && text.contains("【预警】"))
    }

    @Test("Numbers are printed rounded without trailing noise")
    func numbers() {
        #expect(formatDecimal(92.5, decimals: 2) == "92.5")
        #expect(formatDecimal(0.1 + 0.2, decimals: 4) == "0.3")
        #expect(formatDecimal(93.666666, decimals: 2) == "93.67")
        #expect(formatDecimal(0, decimals: 2) == "0")
        #expect(formatDecimal(-1.005, decimals: 1) == "-1")
    }
}

@Suite("Large outputs")
struct LargeOutputTests {
    @Test("The two-thread block writer gives the same bytes as the plain one")
    func parallelWriterSameBytes() throws {
        let (teams, cadres) = randomCampaign(seed: 42)
        let g = try grade(Presets.lushan2022, teams: teams, cadres: cadres)
        #expect(g.dataset.cadres.count > 3)
        var plain: [UInt8] = []
        g.result.writeJSON(dataset: g.dataset, policy: g.policy, pretty: true, parallelFrom: .max, block: 8192) { plain += $0 }
        for block in [1, 2, 3, 7] {
            var split: [UInt8] = []
            g.result.writeJSON(dataset: g.dataset, policy: g.policy, pretty: true, parallelFrom: 0, block: block) { split += $0 }
            #expect(split == plain, "block \(block)")
        }
        #expect((try? JSONSerialization.jsonObject(with: Data(plain))) != nil)
    }

    @Test("Grading with its parts on two threads gives the same bytes as on one (with and without people's decisions)")
    func parallelGradingSameResult() async throws {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000), Gen.int(in: 0...2)) { seed, p in
            let policy = propertyPolicies[p]
            var (teams, cadres) = randomCampaign(seed: seed)
            // People's decisions on some seeds: a team and a few cadres.
            if seed % 2 == 0, !teams.isEmpty {
                teams[seed % teams.count]["proposal"] = seed % 4 == 0 ? "优秀" : "较差"
                for k in stride(from: seed % 3, to: cadres.count, by: 3) { cadres[k]["proposal"] = k % 2 == 0 ? "优秀" : "称职" }
            }
            let data = campaignData(teams: teams, cadres: cadres, cutoff: "2022-12-31", extra: [:])
            guard let dataset = try? Dataset.read(data, policy: policy) else { Issue.record("invalid campaign"); return }
            func bytes(_ parallelFrom: Int) -> [UInt8] {
                var out: [UInt8] = []
                GradingEngine.grade(policy: policy, dataset: dataset, parallelFrom: parallelFrom)
                    .writeJSON(dataset: dataset, policy: policy) { out += $0 }
                return out
            }
            #expect(bytes(0) == bytes(.max), "seed \(seed), \(policy.name)")
        }
    }
}

