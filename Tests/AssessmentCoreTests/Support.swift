import Foundation
import Testing
@testable import AssessmentCore

// Builders for small campaigns. Each test states its campaign and the expected outcome worked out by hand.

typealias JSONObject = [String: Any]

func team(_ id: String, _ category: String = "乡镇街道", score: Double? = nil, parts: [String: Double]? = nil,
          votes: [String: Int]? = nil, events: [String]? = nil, proposal: String? = nil) -> JSONObject {
    var t: JSONObject = ["id": id, "name": id, "category": category]
    if let score { t["score"] = score }
    if let parts { t["parts"] = parts }
    if let votes { t["votes"] = votes }
    if let events { t["events"] = events }
    if let proposal { t["proposal"] = proposal }
    return t
}

func cadre(_ id: String, team: String, score: Double? = nil, votes: [String: Int]? = nil, principal: Bool = false,
           regular: [String]? = nil, facts: JSONObject? = nil, proposal: String? = nil,
           separateList: Bool? = nil, entrustedBy: String? = nil, votesByCategory: [String: [String: Int]]? = nil) -> JSONObject {
    var c: JSONObject = ["id": id, "name": id, "team": team, "principal": principal]
    if let score { c["score"] = score }
    if let votes { c["votes"] = votes }
    if let regular { c["regular"] = regular }
    if let facts { c["facts"] = facts }
    if let proposal { c["proposal"] = proposal }
    if let separateList { c["separateList"] = separateList }
    if let entrustedBy { c["entrustedBy"] = entrustedBy }
    if let votesByCategory { c["votesByCategory"] = votesByCategory }
    return c
}

func campaignData(teams: [JSONObject], cadres: [JSONObject], cutoff: String = "2022-12-31", extra: JSONObject = [:]) -> Data {
    var root: JSONObject = ["year": Int(cutoff.prefix(4)) ?? 2022, "cutoff": cutoff, "teams": teams, "cadres": cadres]
    for (k, v) in extra { root[k] = v }
    return try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
}

struct Graded {
    let policy: Policy
    let dataset: Dataset
    let result: GradingResult

    func team(_ id: String) -> TeamResult { result.teams[dataset.teams.firstIndex { $0.id == id }!] }
    func cadre(_ id: String) -> CadreResult { result.cadres[dataset.cadres.firstIndex { $0.id == id }!] }
    func rules(_ id: String) -> [String] { cadre(id).reasons.map(\.rule) }
    func teamRules(_ id: String) -> [String] { team(id).reasons.map(\.rule) }
    func quota(_ scope: String, _ rule: String) -> QuotaUsage? { result.quotas.first { $0.scope == scope && $0.rule == rule } }
    func excellentCadres(in teamID: String? = nil) -> [String] {
        dataset.cadres.indices.filter { i in
            result.cadres[i].grade == policy.cadreScale.best && (teamID == nil || dataset.cadres[i].team == teamID)
        }.map { dataset.cadres[$0].id }
    }
    var json: Data { result.json(dataset: dataset, policy: policy) }
}

func grade(_ policy: Policy, teams: [JSONObject], cadres: [JSONObject] = [], cutoff: String = "2022-12-31",
           extra: JSONObject = [:]) throws -> Graded {
    let data = campaignData(teams: teams, cadres: cadres, cutoff: cutoff, extra: extra)
    let dataset = try Dataset.read(data, policy: policy)
    return Graded(policy: policy, dataset: dataset, result: GradingEngine.grade(policy: policy, dataset: dataset))
}

/// Votes giving a cadre a chosen vote score on the 100/80/60/0 ballot: `excellent` 优秀 and the rest 称职 out of 10.
func votes(excellent: Int, of total: Int = 10) -> [String: Int] { ["优秀": excellent, "称职": total - excellent] }

/// Problems of a failed read, as "path: message" lines.
func problems(_ body: () throws -> Void) -> [String] {
    do { try body() } catch let f as ValidationFailure { return f.problems.map(\.description) } catch { return ["\(error)"] }
    return []
}
