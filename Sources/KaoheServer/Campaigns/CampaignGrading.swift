import AssessmentCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// The campaign graded as it stands: the registry on the cut-off date (every unit, for the quotas) with the votes of
/// the closed democratic evaluations, through the grading engine. A unit whose evaluation is still open or not held
/// is graded without votes, and says so.
struct CampaignGrading: Sendable {
    var roster: CampaignRoster
    var dataset: Dataset
    var result: GradingResult
    /// Unit ids whose evaluation is closed (its votes are in).
    var votedUnits: Set<UUID>
    /// The committee's approval, when the campaign is approved: `dataset` and `result` are then the approved ones.
    var approval: CampaignWorkflow.Approval? = nil

    /// The grading for the current data version (the last audit entry that is not about accounts — logins and logouts
    /// change no grade; every change of the registry, a participation, a decision, a paper sheet or a session's
    /// closing or reopening is audited, and the ballots of a closed session do not change): a province's campaign is
    /// graded once per change, not on every view of its pages.
    static func current(_ campaign: Campaign, on req: Request) async throws -> CampaignGrading {
        let db = req.db
        struct V: Decodable { var seq: Int64 }
        let version = try await (db as! any SQLDatabase).raw("""
            SELECT seq FROM audit_entries WHERE entity <> \(bind: AuditEntity.account.rawValue) ORDER BY seq DESC LIMIT 1
            """).first(decoding: V.self)?.seq ?? 0
        return try await req.application.campaignGradings.value(for: try campaign.requireID(), version: version) {
            try await run(campaign, on: db)
        }
    }

    /// This grading with one decision as if it were made (to see what rules it would break before it is saved): the
    /// same input with that subject's `proposal` changed, graded again — nothing read from the database. Nil when the
    /// subject is not graded in this campaign.
    func trying(_ subject: GradeDecisions.Subject, code: String, grade: String?, policy: Policy) -> CampaignGrading? {
        var trial = self
        switch subject {
        case .team:
            guard let i = dataset.teams.firstIndex(where: { $0.id == code }) else { return nil }
            trial.dataset.teams[i].proposal = grade
        case .cadre:
            guard let i = dataset.cadres.firstIndex(where: { $0.id == code }) else { return nil }
            trial.dataset.cadres[i].proposal = grade
        }
        trial.result = GradingEngine.grade(policy: policy, dataset: trial.dataset)
        return trial
    }

    static func run(_ campaign: Campaign, on db: any Database) async throws -> CampaignGrading {
        let sql = db as! any SQLDatabase
        let policy = try campaign.policy()
        let decisions = try await GradeDecisions.load(campaign: try campaign.requireID(), on: sql)
        let cutoff = try campaign.cutoffDay()
        let roster = try await CampaignRoster.read(campaign: try campaign.requireID(), policy: policy, year: campaign.year, cutoff: cutoff, unitIDs: nil, on: sql)
        let sessions = try await EvaluationSession.query(on: db).filter(\.$campaign.$id == campaign.requireID())
            .filter(\.$status == EvaluationSession.closed).all()
        // Approved (常委会审定): the approved input, graded again — the registry may have changed since, the result not.
        if let approval = try await CampaignWorkflow.storedApproval(of: campaign.requireID(), on: sql) {
            let input = Data(approval.input_json.utf8)
            guard CampaignWorkflow.sha256(input) == approval.input_sha256 else {
                throw RequestFailure.invalid("考核「\(campaign.title)」已审定的输入数据与审定时记录的哈希不一致，可能被改动：请联系管理员核查（kaohe audit verify）。")
            }
            let dataset = try Dataset.read(input, policy: policy)
            return CampaignGrading(roster: roster, dataset: dataset, result: GradingEngine.grade(policy: policy, dataset: dataset),
                                   votedUnits: Set(sessions.map(\.$unit.id)), approval: approval)
        }
        // R-T2: an interview revealed a serious lead about these cadres.
        struct Lead: Decodable { var lead_cadre_id: UUID }
        let leads = Set(try await sql.raw("""
            SELECT DISTINCT lead_cadre_id FROM interviews WHERE campaign_id = \(bind: campaign.requireID()) AND lead_cadre_id IS NOT NULL AND withdrawn IS NULL
            """).all(decoding: Lead.self).map(\.lead_cadre_id))
        let tallies = try await SessionTally.loadAll(sessions, on: sql)
        // R-S2: the teams' quantitative scores, part by part, from the scoring units' entries.
        let indicators = try await Indicators.load(campaign: campaign.requireID(), on: sql)
        let partScores = indicators.isEmpty ? [:] : Indicators.partScores(
            policy: policy, indicators: indicators, scores: try await Indicators.scores(campaign: campaign.requireID(), on: sql),
            units: roster.units.map(\.unitID))
        // R-Q6: the year's regular results (the quarterly 领导评价, the filed checks' evaluations), never typed again.
        let regular = try await RegularChecks.results(year: campaign.year, on: sql)
        // The input keeps the kinds the policy counts (county-2019: 领导评价), as the engine reads them.
        func counted(_ list: [RegularResult]?) -> [RegularResult]? {
            let kept = list.map { policy.prerequisites.regular?.counted($0) ?? $0 }
            return kept?.isEmpty == false ? kept : nil
        }
        var dataset = Dataset(year: campaign.year, cutoff: cutoff)
        // R-P4: in a probation-end campaign each listed cadre's unit stands in as the team (its one grade is 不评定).
        for unit in roster.units where unit.teamName != nil || roster.cadresOnly {
            var team = AssessmentCore.Team(id: unit.code, category: unit.category)
            team.name = unit.teamName ?? unit.name
            team.proposal = decisions[.team]![unit.code]?.grade
            if let parts = partScores[unit.unitID] {
                if policy.composite != nil { team.parts = parts } else { team.score = parts[0] }
            }
            if let tally = tallies[unit.unitID], tally.sheet.team != nil {
                (team.votes, team.votesByCategory) = tally.engineVotes(BallotSheet.teamKey(), ballot: policy.teamBallot)
            }
            dataset.teams.append(team)
        }
        let teamIndex = Dictionary(uniqueKeysWithValues: dataset.teams.enumerated().map { ($1.id, $0) })
        for unit in roster.units {
            guard let index = teamIndex[unit.code] else { continue }
            let tally = tallies[unit.unitID]
            // A cadre people decided should not take part is not graded at all (the result page says why).
            for p in unit.cadres where p.change?.participates != false {
                var cadre = p.cadre
                cadre.teamIndex = index
                cadre.proposal = decisions[.cadre]![p.code]?.grade
                if leads.contains(p.cadreID) { cadre.facts.interviewLead = true }
                cadre.regular = counted(regular[p.code])
                if let tally, let key = tally.sheet.cadreKey(p.code) {
                    (cadre.votes, cadre.votesByCategory) = tally.engineVotes(key, ballot: policy.cadreBallot)
                }
                dataset.cadres.append(cadre)
            }
        }
        return CampaignGrading(roster: roster, dataset: dataset, result: GradingEngine.grade(policy: policy, dataset: dataset),
                               votedUnits: Set(tallies.keys))
    }
}

extension Application {
    private struct CampaignGradingsKey: StorageKey { typealias Value = VersionedMemo<UUID, CampaignGrading> }
    /// The latest gradings of two campaigns (a province's takes a few hundred megabytes).
    var campaignGradings: VersionedMemo<UUID, CampaignGrading> {
        get { storage[CampaignGradingsKey.self]! }
        set { storage[CampaignGradingsKey.self] = newValue }
    }
}

extension CadreStatus {
    /// How the board and the documents name a cadre's status in the grading.
    var label: String {
        switch self {
        case .graded: "参加考核"
        case .ungraded: "不确定等次"
        case .pending: "等次待定"
        case .notAssessed: "不参加考核"
        }
    }
}
