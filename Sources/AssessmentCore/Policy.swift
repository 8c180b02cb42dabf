import Foundation

// A policy (考核方案) as data. Every number a locality may change lives here, never in engine code.
// The JSON form is canonical: `kaohe policy show NAME` prints it, `--policy file.json` reads it back.
// Field meanings, defaults and band/rounding conventions: docs/policy-reference.md.

/// A grading scale, best grade first (等次).
public struct GradeScale: Codable, Equatable, Sendable {
    public var grades: [String]
    public init(_ grades: [String]) { self.grades = grades }
    public var best: String { grades.first ?? "" }
    public func index(of label: String) -> Int? { grades.firstIndex(of: label) }
}

/// One ballot option (测评选项) and the points it is worth (R-S3).
public struct BallotOption: Codable, Equatable, Sendable {
    public var label: String
    public var points: Double
    public init(_ label: String, _ points: Double) { self.label = label; self.points = points }
}

/// A category of voters and its weight in percent (R-S3), e.g. 班子成员 40, 中层 40, 职工代表 20.
public struct VoterCategory: Codable, Equatable, Sendable {
    public var name: String
    public var weight: Double
    public init(_ name: String, _ weight: Double) { self.name = name; self.weight = weight }
}

/// The options of a democratic-evaluation ballot (民主测评票).
public struct Ballot: Codable, Equatable, Sendable {
    public var options: [BallotOption]
    /// When present, `votesByCategory` in the input is weighted by these (weights sum to 100).
    public var voterCategories: [VoterCategory]?
    /// The most cadres one ballot may mark with the best option, as a percentage of the cadres on it (seed 001 §二(一):
    /// 年度考核测评需严格按照优秀20%比例要求开展测评); a ballot over it is refused. None: no limit.
    public var maxBestShare: Double?
    /// What a subject is rated on beside the overall item, each with the same options; nil: R-S1's five for the team,
    /// 德能勤绩廉 for a cadre; empty: the overall item only.
    public var aspects: [String]?
    /// What the ballot calls its subject beside the name (the team's: 领导班子 by default; R-P5: 选人用人工作).
    public var title: String?
    public init(options: [BallotOption], voterCategories: [VoterCategory]? = nil, maxBestShare: Double? = nil, aspects: [String]? = nil,
                title: String? = nil) {
        self.options = options
        self.voterCategories = voterCategories
        self.maxBestShare = maxBestShare
        self.aspects = aspects
        self.title = title
    }

    /// How many cadres of `count` on one ballot may be marked with the best option (rounded down, as caps are).
    public func maxBest(of count: Int) -> Int? {
        maxBestShare.map { Quota.limit(base: count, percent: $0, rounding: .floor) }
    }
    public func index(of label: String) -> Int? { options.firstIndex { $0.label == label } }
}

/// One part of the composite score (R-S2) and its weight in percent.
public struct CompositePart: Codable, Equatable, Sendable {
    public var name: String
    public var weight: Double
    public init(_ name: String, _ weight: Double) { self.name = name; self.weight = weight }
}

public struct Composite: Codable, Equatable, Sendable {
    public var parts: [CompositePart]
    public init(parts: [CompositePart]) { self.parts = parts }
}

/// A band: a value at or above `min` (and below the next better band's `min`) falls into `grade`.
public struct Band: Codable, Equatable, Sendable {
    public var grade: String
    public var min: Double
    public init(_ grade: String, min: Double) { self.grade = grade; self.min = min }
}

/// An exact fraction, compared by integer cross-multiplication ("三分之二" = 2/3).
public struct Fraction: Codable, Equatable, Sendable {
    public var numerator: Int
    public var denominator: Int
    public init(_ numerator: Int, _ denominator: Int) { self.numerator = numerator; self.denominator = denominator }
    /// part/total < self
    func isAbove(part: Int, total: Int) -> Bool { part * denominator > numerator * total }
    func isBelow(part: Int, total: Int) -> Bool { part * denominator < numerator * total }
    var text: String {
        switch (numerator, denominator) {
        case (1, 3): return "三分之一"
        case (2, 3): return "三分之二"
        case (1, 2): return "二分之一"
        default: return "\(numerator)/\(denominator)"
        }
    }
}

/// How "不超过 N%" becomes a whole number of places (R-Q8).
public enum Rounding: String, Codable, Equatable, Sendable {
    case floor, round, ceil
}

/// What a quota counts (its base) and caps.
public enum QuotaScope: String, Codable, Equatable, Sendable {
    /// Teams of one unit category (R-Q1, Lushan).
    case teamCategory
    /// All teams (R-Q1, seed 001 "参加考核领导班子总数的30%").
    case teamAll
    /// Cadres of one team, the percentage depending on the team's grade (R-Q2).
    case cadreTeamByGrade
    /// Cadres of one team (unit), a fixed percentage (R-Q3, seed 001 "本乡镇和部门…20%").
    case cadreTeam
    /// All assessed cadres (R-Q3, seed 003 "总人数的25%").
    case cadreAll
    /// The separate list of township principals and department heads (R-E8).
    case cadreSeparate
    /// Cadres whose assessment is entrusted to a supervising department, per department (R-E10).
    case cadreEntrusted
}

public struct TeamGradePercent: Codable, Equatable, Sendable {
    public var teamGrade: String
    public var percent: Double
    public init(_ teamGrade: String, _ percent: Double) { self.teamGrade = teamGrade; self.percent = percent }
}

/// An excellence quota (优秀比例): at most `percent`% of the base may get `grade`.
public struct Quota: Codable, Equatable, Sendable {
    public var rule: String
    public var scope: QuotaScope
    public var grade: String
    /// For every scope except `cadreTeamByGrade`.
    public var percent: Double?
    /// For `cadreTeamByGrade`: the percentage per team grade; a team grade not listed has no cap from this quota.
    public var byTeamGrade: [TeamGradePercent]?
    public var rounding: Rounding
    public init(rule: String, scope: QuotaScope, grade: String, percent: Double? = nil,
                byTeamGrade: [TeamGradePercent]? = nil, rounding: Rounding = .floor) {
        self.rule = rule; self.scope = scope; self.grade = grade; self.percent = percent
        self.byTeamGrade = byTeamGrade; self.rounding = rounding
    }

    /// The cap for a base (R-Q8): floor/round/ceil of base × percent / 100, computed exactly in hundredths of a percent.
    public static func limit(base: Int, percent: Double, rounding: Rounding) -> Int {
        let basisPoints = Int((percent * 100).rounded())
        let numerator = base * basisPoints
        switch rounding {
        case .floor: return numerator / 10_000
        case .ceil: return (numerator + 9_999) / 10_000
        case .round: return (numerator * 2 + 10_000) / 20_000
        }
    }
}

/// R-Q4: the principal of a team with `teamGrade` gets at most `maxGrade`.
public struct PrincipalConstraint: Codable, Equatable, Sendable {
    public var teamGrade: String
    public var maxGrade: String
    public init(teamGrade: String, maxGrade: String) { self.teamGrade = teamGrade; self.maxGrade = maxGrade }
}

/// R-Q6: the annual best grade needs a best grade in some regular evaluation of the year.
public struct RegularRequirement: Codable, Equatable, Sendable {
    /// Labels in `regular` that count as excellent (e.g. ["优秀"]).
    public var excellentLabels: [String]
    /// Whether a cadre with no regular record at all is blocked (true: the rule's letter) or let through.
    public var missingRecordBlocks: Bool
    /// The sources whose results count (e.g. ["领导评价"], seed 001: 全年领导评价无“优秀”等次的…); results without a
    /// source count too, read as the policy's own kind. None: every result counts.
    public var sources: [String]?
    public init(excellentLabels: [String], missingRecordBlocks: Bool, sources: [String]? = nil) {
        self.excellentLabels = excellentLabels; self.missingRecordBlocks = missingRecordBlocks; self.sources = sources
    }

    /// The results of a source that counts (a result without a source counts as the policy's own kind): only these
    /// make a record for R-Q6 — a cadre whose only results are of other kinds has no record, like one with none.
    public func counted(_ results: [RegularResult]) -> [RegularResult] {
        guard let sources else { return results }
        return results.filter { r in r.source.map(sources.contains) ?? true }
    }

    /// In one pass, without building the counted list: whether `results` make a record (some result of a source
    /// that counts), and whether that record holds a best grade.
    func check(_ results: [RegularResult]) -> (record: Bool, excellent: Bool) {
        var record = false
        for r in results where sources == nil || r.source.map(sources!.contains) ?? true {
            record = true
            if excellentLabels.contains(r.grade) { return (true, true) }
        }
        return (record, false)
    }
}

/// Conditions a cadre must meet to be proposed for the best grade.
public struct Prerequisites: Codable, Equatable, Sendable {
    /// R-Q5: minimum vote score (R-S3) for the best grade.
    public var minVoteScore: Double?
    /// R-Q6.
    public var regular: RegularRequirement?
    public init(minVoteScore: Double? = nil, regular: RegularRequirement? = nil) {
        self.minVoteScore = minVoteScore; self.regular = regular
    }
}

/// How retirement during the year affects assessment (R-E6).
public enum RetirementRule: String, Codable, Equatable, Sendable {
    /// Seeds 002/003: worked < half year → not assessed; otherwise assessed.
    case halfYear
    /// Seed 001 §10: retired on or before the cut-off date → not assessed.
    case beforeCutoff
}

/// R-E4 / R-E3: secondment.
public struct SecondmentRule: Codable, Equatable, Sendable {
    /// Levels whose secondees are graded at the host but excluded from its base and quota (R-E4, R-Q10).
    public var excludedLevels: [String]
    /// Minimum months in the host for other secondees to be assessed there (R-E4 county level, R-E3).
    public var minMonthsInHost: Double
    public init(excludedLevels: [String], minMonthsInHost: Double) {
        self.excludedLevels = excludedLevels; self.minMonthsInHost = minMonthsInHost
    }
}

/// Who is assessed and graded (R-E*).
public struct EligibilityRules: Codable, Equatable, Sendable {
    /// "Half a year worked" in days (R-E6, R-E3): a period of at least this many days is "满半年". R-E5's leave
    /// "超过半年" is more than half of that year's days instead (183 in 2019, 184 in 2020).
    public var halfYearDays: Int
    /// R-E5: leave of at least half a year → ungraded.
    public var leaveUngraded: Bool
    /// R-E6.
    public var retirement: RetirementRule
    /// R-E6 (seed 003): assessed retirees take no part in the democratic evaluation (their votes are not used).
    public var retireesWithoutVotes: Bool
    /// R-E7: under investigation → pending.
    public var investigationPending: Bool
    /// R-E9: members of resident village work teams are not assessed in their unit.
    public var villageTeamNotAssessed: Bool
    /// R-E4 / R-E3.
    public var secondment: SecondmentRule
    /// R-E8: cadres marked `separateList` are graded in a separate list, outside their unit's base and quota.
    public var separateList: Bool
    public init(halfYearDays: Int = 183, leaveUngraded: Bool = true, retirement: RetirementRule = .halfYear,
                retireesWithoutVotes: Bool = false, investigationPending: Bool = true, villageTeamNotAssessed: Bool = true,
                secondment: SecondmentRule = SecondmentRule(excludedLevels: ["central", "province", "city"], minMonthsInHost: 6),
                separateList: Bool = true) {
        self.halfYearDays = halfYearDays; self.leaveUngraded = leaveUngraded; self.retirement = retirement
        self.retireesWithoutVotes = retireesWithoutVotes; self.investigationPending = investigationPending
        self.villageTeamNotAssessed = villageTeamNotAssessed; self.secondment = secondment; self.separateList = separateList
    }
}

/// How teams not given the best grade through the quota are proposed (R-Q9).
public enum TeamGradingMethod: String, Codable, Equatable, Sendable {
    /// Every other team gets `defaultGrade`.
    case fixed
    /// Teams with an R-T1 trigger get `triggeredGrade`, the others `defaultGrade`; triggered teams are not candidates for the best grade.
    case triggerSplit
    /// By `scoreBands` over the composite score.
    case scoreBands
    /// By `voteRate` bands (R-S5) over the share of some ballot options.
    case voteRateBands
}

/// R-S5: the share (percent) of votes for `options` falls into `bands`.
public struct VoteRateBands: Codable, Equatable, Sendable {
    public var options: [String]
    public var bands: [Band]
    public init(options: [String], bands: [Band]) { self.options = options; self.bands = bands }
}

public struct TeamGrading: Codable, Equatable, Sendable {
    public var method: TeamGradingMethod
    public var defaultGrade: String
    public var triggeredGrade: String?
    public var scoreBands: [Band]?
    public var voteRate: VoteRateBands?
    public init(method: TeamGradingMethod, defaultGrade: String, triggeredGrade: String? = nil,
                scoreBands: [Band]? = nil, voteRate: VoteRateBands? = nil) {
        self.method = method; self.defaultGrade = defaultGrade; self.triggeredGrade = triggeredGrade
        self.scoreBands = scoreBands; self.voteRate = voteRate
    }
}

/// R-S6: more than `moreThan` of the votes for `options` → `grade` (after organisational confirmation).
public struct UnfitRule: Codable, Equatable, Sendable {
    public var options: [String]
    public var moreThan: Fraction
    public var grade: String
    public init(options: [String], moreThan: Fraction, grade: String) {
        self.options = options; self.moreThan = moreThan; self.grade = grade
    }
}

public struct CadreGrading: Codable, Equatable, Sendable {
    /// The grade proposed for a graded cadre not given the best grade and not placed by a band or rule.
    public var defaultGrade: String
    /// Optional bands over the vote score for grades below the best (best first).
    public var voteScoreBands: [Band]?
    /// R-S6.
    public var unfit: UnfitRule?
    public init(defaultGrade: String, voteScoreBands: [Band]? = nil, unfit: UnfitRule? = nil) {
        self.defaultGrade = defaultGrade; self.voteScoreBands = voteScoreBands; self.unfit = unfit
    }
}

/// A vote-share trigger (R-T1, R-T2): positive share below a fraction, or negative share above one.
public struct VoteTrigger: Codable, Equatable, Sendable {
    public var positiveOptions: [String]
    public var positiveBelow: Fraction
    public var negativeOptions: [String]
    public var negativeAbove: Fraction
    public init(positiveOptions: [String], positiveBelow: Fraction, negativeOptions: [String], negativeAbove: Fraction) {
        self.positiveOptions = positiveOptions; self.positiveBelow = positiveBelow
        self.negativeOptions = negativeOptions; self.negativeAbove = negativeAbove
    }
}

/// R-T3: the `bottom` last-ranked teams get an admonition talk.
public struct AdmonitionRule: Codable, Equatable, Sendable {
    public var bottom: Int
    public init(bottom: Int) { self.bottom = bottom }
}

public struct TriggerRules: Codable, Equatable, Sendable {
    public var team: VoteTrigger?
    public var cadre: VoteTrigger?
    /// R-T2: a serious lead found in interviews (`facts.interviewLead`).
    public var interviewLead: Bool
    public var admonition: AdmonitionRule?
    public init(team: VoteTrigger? = nil, cadre: VoteTrigger? = nil, interviewLead: Bool = false, admonition: AdmonitionRule? = nil) {
        self.team = team; self.cadre = cadre; self.interviewLead = interviewLead; self.admonition = admonition
    }
}

/// R-S7: warn when a group of at least `minGroupSize` scores spreads less than `minSpread` points.
public struct Differentiation: Codable, Equatable, Sendable {
    public var minGroupSize: Int
    public var minSpread: Double
    public init(minGroupSize: Int, minSpread: Double) { self.minGroupSize = minGroupSize; self.minSpread = minSpread }
}

/// R-S9 / R-S4: the clean-governance scorecard.
public struct ScorecardRules: Codable, Equatable, Sendable {
    public var itemCount: Int
    public var maxTotal: Double
    public var bands: [Band]
    public init(itemCount: Int, maxTotal: Double, bands: [Band]) {
        self.itemCount = itemCount; self.maxTotal = maxTotal; self.bands = bands
    }
}

/// Which part of the target-responsibility score a ledger item affects (R-S8).
public enum LedgerSection: String, Codable, Equatable, Sendable {
    /// 共性工作指标: deducted from `commonBase`.
    case common
    /// 工作目标: deducted from `targetBase`.
    case target
    /// 日常工作指标: accumulated without cap, divided by the unit's headcount.
    case daily
    /// 工作创新: points decided by the meeting, entered per entry.
    case innovation
}

public struct LedgerItem: Codable, Equatable, Sendable {
    public var kind: String
    public var label: String
    public var section: LedgerSection
    /// Points per counted event (negative for deductions). For `innovation` entries give `points` in the input.
    public var points: Double
    public init(_ kind: String, _ label: String, _ section: LedgerSection, _ points: Double) {
        self.kind = kind; self.label = label; self.section = section; self.points = points
    }
}

/// R-S8: target-responsibility points.
public struct TargetResponsibilityRules: Codable, Equatable, Sendable {
    public var commonBase: Double
    public var targetBase: Double
    /// Whether common and target sections stop at zero (the seed gives each section its points, nothing below).
    public var floorAtZero: Bool
    public var items: [LedgerItem]
    public init(commonBase: Double, targetBase: Double, floorAtZero: Bool, items: [LedgerItem]) {
        self.commonBase = commonBase; self.targetBase = targetBase; self.floorAtZero = floorAtZero; self.items = items
    }
}

/// A locality's assessment policy.
public struct Policy: Codable, Equatable, Sendable {
    public var name: String
    public var title: String
    /// Seed id and clause this policy follows.
    public var source: String
    /// Choices the engine makes where the seed gives no number, and why.
    public var notes: [String]
    public var teamScale: GradeScale
    public var cadreScale: GradeScale
    public var teamBallot: Ballot
    public var cadreBallot: Ballot
    /// R-S2: composite parts; when nil a subject's `score` is used as given.
    public var composite: Composite?
    public var eligibility: EligibilityRules
    public var teamGrading: TeamGrading
    public var cadreGrading: CadreGrading
    public var quotas: [Quota]
    public var principalConstraints: [PrincipalConstraint]
    public var prerequisites: Prerequisites
    /// R-Q7: team events that keep the team's principals from the best grade.
    public var disqualifyingEvents: [String]
    public var triggers: TriggerRules
    public var differentiation: Differentiation?
    public var scorecard: ScorecardRules?
    public var targetResponsibility: TargetResponsibilityRules?
    /// R-Q8: what decides between equal scores, when the policy's text names something; nil: nothing — equal scores
    /// (at the printed precision, two decimals) are a tie, reported and left to people.
    public var tieBreak: TieBreak?
    /// R-P3: how long the team's summary and the cadre's report may be.
    public var materials: MaterialRules?
    /// Who a campaign under this policy assesses (the engine grades whatever its input holds; the server reads this).
    public var subjects: AssessmentSubjects
    /// What follows from a cadre's grade, in the words shown beside the result (e.g. R-P4: 胜任 → 正式任职).
    public var cadreConsequences: [GradeConsequence]

    public init(name: String, title: String, source: String, notes: [String] = [],
                teamScale: GradeScale, cadreScale: GradeScale, teamBallot: Ballot, cadreBallot: Ballot,
                composite: Composite? = nil, eligibility: EligibilityRules = EligibilityRules(),
                teamGrading: TeamGrading, cadreGrading: CadreGrading, quotas: [Quota] = [],
                principalConstraints: [PrincipalConstraint] = [], prerequisites: Prerequisites = Prerequisites(),
                disqualifyingEvents: [String] = [], triggers: TriggerRules = TriggerRules(),
                differentiation: Differentiation? = nil, scorecard: ScorecardRules? = nil,
                targetResponsibility: TargetResponsibilityRules? = nil, tieBreak: TieBreak? = nil,
                materials: MaterialRules? = nil, subjects: AssessmentSubjects = .teamsAndCadres,
                cadreConsequences: [GradeConsequence] = []) {
        self.name = name; self.title = title; self.source = source; self.notes = notes
        self.teamScale = teamScale; self.cadreScale = cadreScale; self.teamBallot = teamBallot; self.cadreBallot = cadreBallot
        self.composite = composite; self.eligibility = eligibility; self.teamGrading = teamGrading
        self.cadreGrading = cadreGrading; self.quotas = quotas; self.principalConstraints = principalConstraints
        self.prerequisites = prerequisites; self.disqualifyingEvents = disqualifyingEvents; self.triggers = triggers
        self.differentiation = differentiation; self.scorecard = scorecard; self.targetResponsibility = targetResponsibility
        self.tieBreak = tieBreak
        self.materials = materials
        self.subjects = subjects
        self.cadreConsequences = cadreConsequences
    }

    /// What follows from cadre grade `grade` under this policy, if it says.
    public func consequence(ofCadreGrade grade: String) -> String? { cadreConsequences.first { $0.grade == grade }?.text }
}

/// Who a campaign assesses.
public enum AssessmentSubjects: String, Codable, Equatable, Sendable {
    /// 年度考核: every unit's team and the cadres holding a main post on the cut-off date.
    case teamsAndCadres
    /// R-P4 试用期满考核: only the cadres the organisation department lists as ending their probation; teams are not
    /// graded (the policy's team scale has one grade, e.g. 不评定, and each cadre's unit stands in as its team).
    case probationCadres
    /// R-P5 一报告两评议: each unit's selection and appointment work (its team's item on the ballot, not graded: one
    /// team grade) and the cadres newly appointed in the year to the cut-off (a main post begun in it).
    case selectionReview
}

/// R-P4 and the like: a grade and what follows from it.
public struct GradeConsequence: Codable, Equatable, Sendable {
    public var grade: String
    public var text: String
    public init(_ grade: String, _ text: String) { self.grade = grade; self.text = text }
}

/// R-Q8: a second ranking key a policy may name.
public enum TieBreak: String, Codable, Equatable, Sendable {
    /// The democratic-evaluation score (R-S3), compared at two decimals too.
    case voteScore
}

extension Policy {
    /// The policy as pretty, stable JSON (keys sorted), which `Policy.decode` reads back identically.
    public func encodedJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain value types into JSON cannot fail.
        var data = (try? encoder.encode(self)) ?? Data()
        data.append(0x0A)
        return data
    }

    /// Reads a policy file and validates it; throws `ValidationFailure` listing every problem.
    public static func decode(_ data: Data) throws -> Policy {
        guard String(validating: data, as: UTF8.self) != nil else {
            throw ValidationFailure([ValidationProblem(path: "policy", message: "文件不是 UTF-8 编码的文本（如为 GBK 等编码，请另存为 UTF-8 后再用）")])
        }
        let policy: Policy
        do {
            policy = try JSONDecoder().decode(Policy.self, from: data)
        } catch let shape as PolicyShapeErrors {
            throw ValidationFailure(shape.errors.map(decodingProblem))
        } catch let error as DecodingError {
            throw ValidationFailure([decodingProblem(error)])
        }
        let problems = policy.validate()
        if !problems.isEmpty { throw ValidationFailure(problems) }
        return policy
    }

    static func decodingProblem(_ error: DecodingError) -> ValidationProblem {
        func path(_ keys: [CodingKey]) -> String {
            var s = ""
            for k in keys {
                if let i = k.intValue { s += "[\(i)]" } else { s += s.isEmpty ? k.stringValue : "." + k.stringValue }
            }
            return s.isEmpty ? "policy" : s
        }
        switch error {
        case let .keyNotFound(key, ctx):
            let p = path(ctx.codingPath + [key])
            return ValidationProblem(path: p, message: "缺少必填字段")
        case let .typeMismatch(_, ctx):
            return ValidationProblem(path: path(ctx.codingPath), message: "类型不正确")
        case let .valueNotFound(_, ctx):
            return ValidationProblem(path: path(ctx.codingPath), message: "不能为空")
        case let .dataCorrupted(ctx):
            if ctx.codingPath.isEmpty { return ValidationProblem(path: "policy", message: "不是有效的 JSON") }
            return ValidationProblem(path: path(ctx.codingPath), message: "取值无效")
        @unknown default:
            return ValidationProblem(path: "policy", message: "无法读取")
        }
    }
}

// Lenient reading: fields that have a default may be left out of a hand-written policy file.

/// Every shape problem of a policy file (a missing or mistyped field), one per top-level field and one per
/// element of the lists, so that a hand-edited file shows all of them at once.
struct PolicyShapeErrors: Error {
    var errors: [DecodingError]
}

extension Policy {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var errors: [DecodingError] = []
        /// Any other error is reported as the field's too (never dropped: a policy refused without a word is no help).
        func other(_ error: any Error, _ key: CodingKeys) -> DecodingError {
            .dataCorrupted(.init(codingPath: c.codingPath + [key], debugDescription: "\(error)"))
        }
        func required<T: Decodable>(_ key: CodingKeys) -> T? {
            do { return try c.decode(T.self, forKey: key) } catch let e as DecodingError { errors.append(e) } catch { errors.append(other(error, key)) }
            return nil
        }
        func optional<T: Decodable>(_ key: CodingKeys) -> T? {
            do { return try c.decodeIfPresent(T.self, forKey: key) } catch let e as DecodingError { errors.append(e) } catch { errors.append(other(error, key)) }
            return nil
        }
        /// A list read element by element: a bad element is reported and skipped, the others still read.
        func list<T: Decodable>(_ key: CodingKeys) -> [T] {
            guard c.contains(key) else { return [] }
            do {
                var items = try c.nestedUnkeyedContainer(forKey: key)
                var out: [T] = []
                while !items.isAtEnd {
                    do { out.append(try items.decode(T.self)) } catch let e as DecodingError {
                        errors.append(e)
                        _ = try? items.decode(SkippedValue.self)
                    }
                }
                return out
            } catch let e as DecodingError { errors.append(e) } catch { errors.append(other(error, key)) }
            return []
        }
        let name: String? = required(.name)
        let teamScale: GradeScale? = required(.teamScale)
        let cadreScale: GradeScale? = required(.cadreScale)
        let teamBallot: Ballot? = required(.teamBallot)
        let cadreBallot: Ballot? = required(.cadreBallot)
        let teamGrading: TeamGrading? = required(.teamGrading)
        let cadreGrading: CadreGrading? = required(.cadreGrading)
        self.title = optional(.title) ?? name ?? ""
        self.source = optional(.source) ?? ""
        self.notes = optional(.notes) ?? []
        self.composite = optional(.composite)
        self.eligibility = optional(.eligibility) ?? EligibilityRules()
        self.quotas = list(.quotas)
        self.principalConstraints = list(.principalConstraints)
        self.prerequisites = optional(.prerequisites) ?? Prerequisites()
        self.disqualifyingEvents = optional(.disqualifyingEvents) ?? []
        self.triggers = optional(.triggers) ?? TriggerRules()
        self.differentiation = optional(.differentiation)
        self.scorecard = optional(.scorecard)
        self.targetResponsibility = optional(.targetResponsibility)
        self.tieBreak = optional(.tieBreak)
        self.materials = optional(.materials)
        self.subjects = optional(.subjects) ?? .teamsAndCadres
        self.cadreConsequences = list(.cadreConsequences)
        guard errors.isEmpty, let name, let teamScale, let cadreScale, let teamBallot, let cadreBallot,
              let teamGrading, let cadreGrading else {
            throw PolicyShapeErrors(errors: errors)
        }
        self.name = name
        self.teamScale = teamScale
        self.cadreScale = cadreScale
        self.teamBallot = teamBallot
        self.cadreBallot = cadreBallot
        self.teamGrading = teamGrading
        self.cadreGrading = cadreGrading
    }
}

/// Accepts any JSON value: used to step over a bad list element.
private struct SkippedValue: Decodable {
    init(from decoder: Decoder) throws {}
}

extension EligibilityRules {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = EligibilityRules()
        halfYearDays = try c.decodeIfPresent(Int.self, forKey: .halfYearDays) ?? d.halfYearDays
        leaveUngraded = try c.decodeIfPresent(Bool.self, forKey: .leaveUngraded) ?? d.leaveUngraded
        retirement = try c.decodeIfPresent(RetirementRule.self, forKey: .retirement) ?? d.retirement
        retireesWithoutVotes = try c.decodeIfPresent(Bool.self, forKey: .retireesWithoutVotes) ?? d.retireesWithoutVotes
        investigationPending = try c.decodeIfPresent(Bool.self, forKey: .investigationPending) ?? d.investigationPending
        villageTeamNotAssessed = try c.decodeIfPresent(Bool.self, forKey: .villageTeamNotAssessed) ?? d.villageTeamNotAssessed
        secondment = try c.decodeIfPresent(SecondmentRule.self, forKey: .secondment) ?? d.secondment
        separateList = try c.decodeIfPresent(Bool.self, forKey: .separateList) ?? d.separateList
    }
}

extension TriggerRules {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        team = try c.decodeIfPresent(VoteTrigger.self, forKey: .team)
        cadre = try c.decodeIfPresent(VoteTrigger.self, forKey: .cadre)
        interviewLead = try c.decodeIfPresent(Bool.self, forKey: .interviewLead) ?? false
        admonition = try c.decodeIfPresent(AdmonitionRule.self, forKey: .admonition)
    }
}

extension Quota {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rule = try c.decode(String.self, forKey: .rule)
        scope = try c.decode(QuotaScope.self, forKey: .scope)
        grade = try c.decode(String.self, forKey: .grade)
        percent = try c.decodeIfPresent(Double.self, forKey: .percent)
        byTeamGrade = try c.decodeIfPresent([TeamGradePercent].self, forKey: .byTeamGrade)
        rounding = try c.decodeIfPresent(Rounding.self, forKey: .rounding) ?? .floor
    }
}
