import Foundation

// The engine's output, in the contract's terms (docs/grading-contract.md).

public struct TeamResult: Sendable {
    /// The grade that stands: people's `proposal` where given, else the engine's.
    public var grade: String?
    /// What the engine alone (no proposals) proposes, when it differs from `grade`, and why.
    public var engineGrade: String?
    public var engineReasons: [Reason]?
    public var rank: Int
    public var rankInCategory: Int
    public var score: Double?
    public var voteScore: Double?
    /// Votes per ballot option (summed over voter categories).
    public var tally: [Int]?
    public var reasons: [Reason] = []
    /// Share of each ballot option in all votes; nil without votes.
    public var voteShares: [Double]? { tally.flatMap(Scoring.shares) }
}

public struct CadreResult: Sendable {
    public var status: CadreStatus
    /// The grade that stands: people's `proposal` where given, else the engine's.
    public var grade: String?
    /// What the engine alone (no proposals) proposes, when it differs from `grade`, and why.
    public var engineGrade: String?
    public var engineReasons: [Reason]?
    public var score: Double?
    public var voteScore: Double?
    /// Votes per ballot option (summed over voter categories); nil without votes or when not used (R-E6).
    public var tally: [Int]?
    /// Share of each ballot option in all votes.
    public var voteShares: [Double]? { tally.flatMap(Scoring.shares) }
    /// Rank among the graded cadres of the same list (team, the separate list, or an entrusted group).
    public var rankInTeam: Int?
    public var excludedFromQuota: Bool
    public var separateList: Bool
    /// R-E10: the supervising department whose entrusted group the cadre is graded in.
    public var entrustedTo: String?
    public var reasons: [Reason] = []
}

/// A special-report or admonition trigger (R-T1, R-T2, R-T3).
public struct Trigger: Sendable, Equatable {
    public var rule: String
    public var subject: String
    public var message: String
}

/// A human `proposal` that breaks a rule; the proposal is kept, the breach is listed.
public struct Violation: Sendable, Equatable {
    public var subject: String
    public var rule: String
    public var message: String
}

/// Something people should look at that does not stop grading (R-S7 …).
public struct Warning: Sendable, Equatable {
    public var rule: String
    public var scope: String
    public var message: String
}

/// A list graded outside the units — the separate list (R-E8) or a department's entrusted group (R-E10) — and its
/// best-grade proposals in rank order (seed 001 §一(一)4: 优秀等次建议名单按优秀程度从高到低顺序排列).
public struct ProposalList: Sendable, Equatable {
    /// `cadres:separate` or `cadres:entrusted:NAME`, as the quota scopes.
    public var scope: String
    public var rule: String
    public var label: String
    public var grade: String
    /// Cadre ids with `grade` (the grade that stands), best rank first.
    public var subjects: [String]
    /// Graded cadres in the list.
    public var size: Int
}

public struct GradingResult: Sendable {
    public var policy: String
    public var teams: [TeamResult]
    public var cadres: [CadreResult]
    public var quotas: [QuotaUsage]
    public var triggers: [Trigger]
    public var ties: [Tie]
    public var violations: [Violation]
    public var warnings: [Warning]
    public var proposalLists: [ProposalList]
    public var targetResponsibility: [UnitPoints]
    public var scorecards: [ScorecardResult]
}
