import AssessmentCore
import Foundation
import SQLKit

/// The count of a session's ballots (phone and paper are one tally): per category and in total, the votes of every
/// item of the ballot; then, through the grading engine, each subject's vote score (R-S3, weighted by the policy's
/// voter categories when it has them) and the special-report triggers R-T1/R-T2.
struct SessionTally: Sendable {
    var sheet: BallotSheet
    var ballots: Int
    /// Item key → votes per option, over all ballots.
    var total: [String: [Int]]
    /// Category → item key → votes per option.
    var byCategory: [String: [String: [Int]]]

    struct Row: Decodable { var session_id: UUID?; var category: String; var answers: String }

    static func load(sessionID: UUID, sheet: BallotSheet, on sql: any SQLDatabase) async throws -> SessionTally {
        let rows = try await sql.raw("SELECT category, answers FROM ballots WHERE session_id = \(bind: sessionID)").all(decoding: Row.self)
        return count(rows[...], sheet: sheet)
    }

    /// The tallies of `sessions` (a campaign's closed ones) by unit, their ballots read in one query.
    static func loadAll(_ sessions: [EvaluationSession], on sql: any SQLDatabase) async throws -> [UUID: SessionTally] {
        guard !sessions.isEmpty else { return [:] }
        let ids = try sessions.map { try $0.requireID() }
        var rows: [UUID: [Row]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[chunk..<min(chunk + 500, ids.count)])
            for row in try await sql.raw("SELECT session_id, category, answers FROM ballots WHERE session_id IN (\(binds: part))").all(decoding: Row.self) {
                if let id = row.session_id { rows[id, default: []].append(row) }
            }
        }
        var out: [UUID: SessionTally] = [:]
        for s in sessions { out[s.$unit.id] = count((rows[try s.requireID()] ?? [])[...], sheet: try s.sheet()) }
        return out
    }

    static func count(_ rows: ArraySlice<Row>, sheet: BallotSheet) -> SessionTally {
        var total = BallotSheet.Counter(sheet)
        var grouped: [String: BallotSheet.Counter] = [:]
        for row in rows {
            if row.answers.hasPrefix(Voting.storedPrefix) {
                let packed = row.answers.dropFirst(Voting.storedPrefix.count).prefix { $0 != "\n" }
                total.add(packed: packed)
                grouped[row.category, default: BallotSheet.Counter(sheet)].add(packed: packed)
            } else {
                var answers = (try? JSONDecoder().decode([String: String].self, from: Data(row.answers.utf8))) ?? [:]
                answers["comment"] = nil
                total.add(answers)
                grouped[row.category, default: BallotSheet.Counter(sheet)].add(answers)
            }
        }
        return SessionTally(sheet: sheet, ballots: rows.count, total: total.counts, byCategory: grouped.mapValues(\.counts))
    }

    /// The votes of one item as the engine takes them: by the policy's voter categories when it has them (matched by
    /// name; a session category the policy does not list is not weighted in), else the total.
    func engineVotes(_ key: String, ballot: Ballot) -> (votes: [Int]?, byCategory: [[Int]?]?) {
        if let categories = ballot.voterCategories {
            return (nil, categories.map { byCategory[$0.name]?[key] })
        }
        return (total[key], nil)
    }

    /// Vote scores and triggers of the team and the cadres on the ballot.
    struct Scores: Sendable {
        var team: Double?
        var cadres: [String: Double]
        var triggers: [Trigger]
    }

    func scores(policy: Policy, unitCode: String, category: String, year: Int, cutoff: Day) -> Scores {
        guard ballots > 0 else { return Scores(team: nil, cadres: [:], triggers: []) }
        var dataset = Dataset(year: year, cutoff: cutoff)
        var team = AssessmentCore.Team(id: unitCode, category: category)
        if sheet.team != nil { (team.votes, team.votesByCategory) = engineVotes(BallotSheet.teamKey(), ballot: policy.teamBallot) }
        dataset.teams = [team]
        dataset.cadres = sheet.cadres.enumerated().map { i, c in
            var cadre = AssessmentCore.Cadre(id: c.id, team: unitCode)
            cadre.teamIndex = 0
            cadre.name = c.name
            (cadre.votes, cadre.votesByCategory) = engineVotes(BallotSheet.cadreKey(position: i), ballot: policy.cadreBallot)
            return cadre
        }
        let result = GradingEngine.grade(policy: policy, dataset: dataset)
        var cadres: [String: Double] = [:]
        for (i, c) in sheet.cadres.enumerated() { cadres[c.id] = result.cadres[i].voteScore }
        return Scores(team: sheet.team == nil ? nil : result.teams.first?.voteScore, cadres: cadres, triggers: result.triggers)
    }
}
