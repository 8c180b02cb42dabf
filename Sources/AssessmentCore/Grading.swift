import Foundation

// The pipeline: eligibility (R-E*) → scores (R-S2, R-S3) → ranking within category (R-Q9) → grade proposals
// under quotas and constraints (R-Q*) → triggers (R-T*) → ties (R-Q8) → check of human proposals → reasons.

public enum GradingEngine {
    /// Grades a campaign. Pure and deterministic: the same input gives the same result.
    /// From `parallelFrom` cadres on, independent parts run on two threads (the result is the same).
    public static func grade(policy: Policy, dataset: Dataset, parallelFrom: Int = 20_000) -> GradingResult {
        var run = GradingRun(policy: policy, dataset: dataset)
        run.parallel = dataset.cadres.count >= parallelFrom
        return run.run()
    }
}

/// Sort key (R-Q8, R-Q9): the score — or, without one, the vote score — as printed, in hundredths, so that scores
/// people see as equal (91.00 and 91.00) are equal whatever their binary fractions; then the policy's tie-break, if it
/// names one. Equal keys are a tie.
struct RankKey: Equatable {
    /// 2: a score; 1: only a vote score — never ranked against a score, always after; 0: neither.
    var tier: Int8
    var primary: Int64
    var secondary: Int64
    init(score: Double?, voteScore: Double?, tieBreak: TieBreak?) {
        tier = score != nil ? 2 : voteScore != nil ? 1 : 0
        primary = Self.printed(score ?? voteScore)
        secondary = tieBreak == .voteScore ? Self.printed(voteScore) : 0
    }
    /// Hundredths, rounded as `formatDecimal` prints them; nothing ranks below every value.
    static func printed(_ d: Double?) -> Int64 {
        guard let d, d.isFinite else { return .min }
        return Int64(max(-9e15, min(9e15, (d * 100).rounded(.toNearestOrAwayFromZero))))
    }
    func isBetter(than o: RankKey) -> Bool {
        tier != o.tier ? tier > o.tier : primary != o.primary ? primary > o.primary : secondary > o.secondary
    }
}

/// Sorts subject indices best first (ties by input order) and gives competition ranks (1, 2, 2, 4).
func rankOrder(_ indices: [Int], keys: [RankKey]) -> (order: [Int], ranks: [(subject: Int, rank: Int)]) {
    // Sorted as (key, subject) pairs, so that a comparison reads no other array.
    var entries = indices.map { (key: keys[$0], subject: $0) }
    entries.sort { a, b in a.key == b.key ? a.subject < b.subject : a.key.isBetter(than: b.key) }
    var ranks: [(subject: Int, rank: Int)] = []
    ranks.reserveCapacity(entries.count)
    for (pos, e) in entries.enumerated() {
        if pos > 0 && entries[pos - 1].key == e.key { ranks.append((e.subject, ranks[pos - 1].rank)) } else { ranks.append((e.subject, pos + 1)) }
    }
    return (entries.map(\.subject), ranks)
}

struct GradingRun {
    let policy: Policy
    let dataset: Dataset
    var teams: [TeamResult] = []
    var cadres: [CadreResult] = []
    var quotas: [QuotaUsage] = []
    var triggers: [Trigger] = []
    var ties: [Tie] = []
    var warnings: [Warning] = []
    var proposalLists: [ProposalList] = []
    /// Engine team grades as scale indices.
    var teamGradeIndex: [Int] = []
    var teamTally: [[Int]?] = []
    var teamKeys: [RankKey] = []
    var cadreKeys: [RankKey] = []
    var eligibility: [Eligibility] = []
    /// Cadres not allowed the best grade by R-Q4 (index of the worst-allowed max) or other rules.
    var cadreMaxGrade: [Int] = []
    var cadreUnfit: [Bool] = []
    /// The engine's cadre caps (membership and limits), reused by the proposal check.
    var cadreTable = QuotaTable()
    /// Grade people's decisions (`proposal`) first: they stand, take their places, and the engine fills the rest.
    var honourProposals = false
    /// Independent parts on two threads (a large input, where the second core pays).
    var parallel = false

    init(policy: Policy, dataset: Dataset) {
        self.policy = policy
        self.dataset = dataset
    }

    mutating func run() -> GradingResult {
        unusedFactWarnings()
        let decisions = dataset.teams.contains(where: { $0.proposal.flatMap(policy.teamScale.index(of:)) != nil })
            || dataset.cadres.contains(where: { $0.proposal.flatMap(policy.cadreScale.index(of:)) != nil })
        let inputWarnings = warnings.count
        let teamGroundwork = prepareTeams()
        gradeTeams(from: teamGroundwork)
        let groundwork = prepareCadres()
        // On a large input the rest shares the two cores. Beside this thread: the triggers and R-S7's warnings (they
        // read scores and tallies, never a grade), and with people's decisions the engine alone's cadre caps, which
        // read neither the results nor the reasons; this thread changes those in place, for the grades that stand.
        var beside = groundwork
        beside.results = []
        beside.reasons = []
        var alone = self
        alone.engineAlone = true
        let side = Beside(parallel) { [alone, beside] in
            var run = alone
            if decisions { run.gradeCadres(from: beside) }
            return (run, run.triggersAndSpread(beside))
        }
        if decisions {
            var standing = GradingRun(policy: policy, dataset: dataset)
            standing.honourProposals = true
            standing.parallel = parallel
            standing.gradeTeams(from: teamGroundwork)
            standing.gradeCadres(from: consume groundwork)
            let (engineRun, found) = side.result()
            self = engineRun
            stand(on: consume standing, keepingWarnings: inputWarnings)
            triggers = found.triggers
            warnings += found.spread
        } else {
            gradeCadres(from: consume groundwork)
            let found = side.result().1
            triggers = found.triggers
            warnings += found.spread
        }
        let violations = ProposalCheck.check(run: self)
        let points = TargetResponsibility.compute(dataset: dataset, policy: policy)
        let cards = Scorecards.compute(dataset: dataset, policy: policy)
        // R-T3 on the scorecard ranking when the check produced scorecards but no team results.
        if dataset.teams.isEmpty { triggers.append(contentsOf: Triggers.admonitions(scorecards: cards, policy: policy)) }
        return GradingResult(policy: policy.name, teams: teams, cadres: cadres, quotas: quotas, triggers: triggers,
                             ties: ties, violations: violations, warnings: warnings, proposalLists: proposalLists,
                             targetResponsibility: points, scorecards: cards)
    }

    /// People's decisions stand (contract: `proposal`): the result is the `standing` run's, and what the engine alone
    /// proposed (this run) is kept as `engineGrade` (with its reasons) where the two differ.
    /// The first `keepingWarnings` warnings are about the input; the rest came from grading and are replaced by the
    /// standing run's.
    mutating func stand(on standing: consuming GradingRun, keepingWarnings: Int) {
        for i in teams.indices where standing.teams[i].grade != teams[i].grade {
            standing.teams[i].engineGrade = teams[i].grade
            standing.teams[i].engineReasons = teams[i].reasons
        }
        var differing: [Int] = []
        for i in standing.cadres.indices where standing.cadreGradeIndex[i] != cadreGradeIndex[i] {
            let g = cadreGradeIndex[i]
            standing.cadres[i].engineGrade = g >= 0 ? policy.cadreScale.grades[Int(g)] : nil
            differing.append(i)
        }
        let engineReasons = engineCadreReasons(differing) { standing.cadres[$0].voteScore }
        for (k, i) in differing.enumerated() { standing.cadres[i].engineReasons = engineReasons[k] }
        teams = standing.teams
        cadres = standing.cadres
        quotas = standing.quotas
        ties = standing.ties
        proposalLists = standing.proposalLists
        warnings = Array(warnings.prefix(keepingWarnings)) + standing.warnings
        teamGradeIndex = standing.teamGradeIndex
        cadreMaxGrade = standing.cadreMaxGrade
        cadreTable = standing.cadreTable
    }

    /// The grade people decided for a subject, as a scale index, when proposals stand.
    func decided(_ proposal: String?, _ scale: GradeScale) -> Int? {
        guard honourProposals, let proposal else { return nil }
        return scale.index(of: proposal)
    }

    static func decidedReason(_ grade: String) -> Reason {
        Reason(rule: "R-Q9", message: "等次由人工确定为\(grade)（proposal），其他规则按此计算")
    }

    // MARK: Teams

    /// The band (scale index) a value falls into: the first band whose lower bound it reaches (bands best first).
    static func band(_ value: Double, _ bands: [Band], _ scale: GradeScale) -> Int? {
        for b in bands where value >= b.min { return scale.index(of: b.grade) }
        return nil
    }

    /// R-S5: the band of a vote share, compared exactly: part/total ≥ min% ⇔ part × 10000 ≥ total × (min × 100).
    static func rateBand(part: Int, total: Int, _ bands: [Band], _ scale: GradeScale) -> Int? {
        for b in bands {
            let basisPoints = Int((b.min * 100).rounded())
            if part * 10_000 >= total * basisPoints { return scale.index(of: b.grade) }
        }
        return nil
    }

    /// What the team phase computes before any cap: scores, tallies, keys, ranks and what the policy's method says
    /// of each team. The same with people's decisions or without: the run with decisions starts from the engine's.
    struct TeamGroundwork: Sendable {
        var results: [TeamResult] = []
        var tally: [[Int]?] = []
        var keys: [RankKey] = []
        /// Every team, best key first (ties by input order).
        var order: [Int] = []
        var candidate: [Bool] = []
        var other: [Int] = []
        var methodReason: [Reason?] = []
        var warnings: [Warning] = []
    }

    func prepareTeams() -> TeamGroundwork {
        var g = TeamGroundwork()
        let scale = policy.teamScale
        let n = dataset.teams.count
        g.results.reserveCapacity(n)
        for t in dataset.teams {
            let score = Scoring.composite(score: t.score, parts: t.parts, policy: policy)
            let tally = Scoring.tally(votes: t.votes, byCategory: t.votesByCategory, optionCount: policy.teamBallot.options.count)
            let vs = Scoring.voteScore(votes: t.votes, byCategory: t.votesByCategory, ballot: policy.teamBallot)
            g.tally.append(tally)
            g.keys.append(RankKey(score: score, voteScore: vs, tieBreak: policy.tieBreak))
            g.results.append(TeamResult(grade: nil, rank: 0, rankInCategory: 0, score: score, voteScore: vs, tally: tally))
        }
        if policy.composite == nil, dataset.teams.contains(where: { $0.score == nil && $0.parts != nil }) {
            g.warnings.append(Warning(rule: "R-S2", scope: "teams",
                                      message: "方案未规定综合得分各组成部分的权重，未给 score 的班子按各部分等权平均计算综合得分，请核对"))
        }
        // R-Q9: rank overall and within category.
        let all = rankOrder(Array(0..<n), keys: g.keys)
        for (s, r) in all.ranks { g.results[s].rank = r }
        g.order = all.order
        var byCategory: [String: [Int]] = [:]
        var categoryOrder: [String] = []
        for (i, t) in dataset.teams.enumerated() {
            if byCategory[t.category] == nil { categoryOrder.append(t.category) }
            byCategory[t.category, default: []].append(i)
        }
        for c in categoryOrder {
            for (s, r) in rankOrder(byCategory[c]!, keys: g.keys).ranks { g.results[s].rankInCategory = r }
        }

        // Which teams may get the best grade, and what the others get (policy method).
        let tg = policy.teamGrading
        let defaultIndex = scale.index(of: tg.defaultGrade) ?? max(0, scale.grades.count - 1)
        let second = min(1, scale.grades.count - 1)
        g.candidate = [Bool](repeating: false, count: n)
        g.other = [Int](repeating: defaultIndex, count: n)
        g.methodReason = [Reason?](repeating: nil, count: n)
        for i in 0..<n {
            switch tg.method {
            case .fixed:
                g.candidate[i] = true
            case .triggerSplit:
                if Triggers.teamMessage(tally: g.tally[i], policy: policy) != nil {
                    g.other[i] = scale.index(of: tg.triggeredGrade ?? "") ?? defaultIndex
                    let why = Triggers.teamMessage(tally: g.tally[i], policy: policy) ?? ""
                    g.methodReason[i] = Reason(rule: "R-T1", message: "\(why)；不建议为\(scale.best)，建议为\(scale.grades[g.other[i]])（建议，待研究确定）")
                } else {
                    g.candidate[i] = true
                }
            case .scoreBands:
                if let s = g.results[i].score, let band = GradingRun.band(s, tg.scoreBands ?? [], scale) {
                    g.candidate[i] = band == 0
                    g.other[i] = band == 0 ? second : band
                    if band != 0 {
                        g.methodReason[i] = Reason(rule: "R-Q9", message: "得分 \(formatDecimal(s, decimals: 2))，按分档属\(scale.grades[band])（建议，待研究确定）")
                    }
                } else {
                    g.methodReason[i] = Reason(rule: "R-Q9", message: "无量化得分，不能按分档评定，建议为\(scale.grades[defaultIndex])（建议，待研究确定）")
                }
            case .voteRateBands:
                let vr = tg.voteRate ?? VoteRateBands(options: [], bands: [])
                let idx = vr.options.compactMap { policy.teamBallot.index(of: $0) }
                if let tally = g.tally[i], case let total = tally.reduce(0, +), total > 0 {
                    let part = Scoring.sum(tally, idx)
                    let band = GradingRun.rateBand(part: part, total: total, vr.bands, scale) ?? defaultIndex
                    g.candidate[i] = band == 0
                    g.other[i] = band == 0 ? second : band
                    let pct = formatDecimal(Double(part) * 100 / Double(total), decimals: 2)
                    let r = Reason(rule: "R-S5", message: "“\(vr.options.joined(separator: "”“"))”得票率 \(pct)%，按得票率分档属\(scale.grades[band])")
                    g.methodReason[i] = r
                } else {
                    g.methodReason[i] = Reason(rule: "R-S5", message: "无民主测评得票，不能按得票率评定，建议为\(scale.grades[defaultIndex])（建议，待研究确定）")
                }
            }
        }

        // A scale of one grade (R-P4's 不评定): teams are not graded, so nothing is ranked.
        if scale.grades.count == 1 {
            for i in 0..<n {
                g.candidate[i] = false
                g.methodReason[i] = Reason(rule: "R-Q9", message: "本方案班子等次只有“\(scale.best)”一项，不评定班子")
            }
        }
        // R-Q9: a team with neither a score nor votes cannot be ranked, so it is no candidate.
        for i in 0..<n where g.candidate[i] && g.results[i].score == nil && g.results[i].voteScore == nil {
            g.candidate[i] = false
            g.other[i] = max(g.other[i], second)
            g.methodReason[i] = Reason(rule: "R-Q9", message: "无量化得分和民主测评得分，无法排序，不建议为\(scale.best)")
        }
        // R-Q8/R-Q9: a team with only a vote score is not ranked against teams with a score, so not a candidate.
        if g.results.contains(where: { $0.score != nil }) {
            let voteOnly = (0..<n).filter { g.results[$0].score == nil && g.results[$0].voteScore != nil }
            for i in voteOnly where g.candidate[i] {
                g.candidate[i] = false
                g.other[i] = max(g.other[i], second)
                g.methodReason[i] = Reason(rule: "R-Q9", message: "只有民主测评得分，不与有量化得分的班子比较排序，不建议为\(scale.best)（请补充量化得分或研究确定）")
            }
            if !voteOnly.isEmpty {
                g.warnings.append(Warning(rule: "R-Q9", scope: "teams", message: "\(voteOnly.map { dataset.teams[$0].id }.joined(separator: "、")) 只有民主测评得分，未与有量化得分的班子比较排序"))
            }
        }
        return g
    }

    mutating func gradeTeams(from g: TeamGroundwork) {
        let scale = policy.teamScale
        let n = dataset.teams.count
        let defaultIndex = scale.index(of: policy.teamGrading.defaultGrade) ?? max(0, scale.grades.count - 1)
        let second = min(1, scale.grades.count - 1)
        teams = g.results
        teamTally = g.tally
        teamKeys = g.keys
        warnings += g.warnings
        var candidate = g.candidate
        var other = g.other
        let methodReason = g.methodReason
        // R-Q1: the best grade in rank order within the caps — after the places people's decisions take.
        var table = teamQuotaTable(gradeOf: nil)
        let decidedGrades = dataset.teams.map { decided($0.proposal, scale) }
        for i in 0..<n where decidedGrades[i] != nil {
            candidate[i] = false
            if decidedGrades[i] == 0 { table.charge(i) }
        }
        let candidates = g.order.filter { candidate[$0] }
        let (outcomes, teamTies) = Allocation.allocate(order: candidates, sameKey: { teamKeys[$0] == teamKeys[$1] },
                                                       table: &table, subjectCount: n, subjectID: { dataset.teams[$0].id })
        ties.append(contentsOf: teamTies)
        teamGradeIndex = [Int](repeating: defaultIndex, count: n)
        var buffer: [Int] = []
        for i in 0..<n {
            var reasons: [Reason] = []
            let rankText = "排名第 \(teams[i].rank)（\(dataset.teams[i].category)内第 \(teams[i].rankInCategory)）"
            if candidate[i], let o = outcomes[i] {
                switch o {
                case .granted:
                    teamGradeIndex[i] = 0
                    if let r = methodReason[i] { reasons.append(r) }
                    table.instances(of: i, into: &buffer)
                    for q in buffer {
                        reasons.append(Reason(rule: table.instances[q].rule, message: "\(table.instances[q].capText)，\(rankText)，建议为\(scale.best)"))
                    }
                case .blocked(let q):
                    other[i] = max(other[i], second)
                    teamGradeIndex[i] = other[i]
                    if let r = methodReason[i] { reasons.append(r) }
                    reasons.append(Reason(rule: table.instances[q].rule, message: "\(table.instances[q].capText)，\(table.instances[q].fullText)；\(rankText)，不能建议为\(scale.best)"))
                case .tied(let q):
                    other[i] = max(other[i], second)
                    teamGradeIndex[i] = other[i]
                    if let r = methodReason[i] { reasons.append(r) }
                    reasons.append(Reason(rule: "R-Q8", message: "\(table.instances[q].capText)，\(rankText)，与其他班子并列争最后名额，不自动取舍，提请研究确定；暂建议为\(scale.grades[other[i]])"))
                }
            } else {
                teamGradeIndex[i] = other[i]
                if let r = methodReason[i] { reasons.append(r) }
            }
            if let d = decidedGrades[i] {
                teamGradeIndex[i] = d
                reasons = [Self.decidedReason(scale.grades[d])]
            } else if teamGradeIndex[i] != 0 {
                reasons.append(Reason(rule: "R-Q9", message: "\(rankText)，建议为\(scale.grades[teamGradeIndex[i]])（建议，待研究确定）"))
            }
            teams[i].grade = scale.grades.isEmpty ? nil : scale.grades[teamGradeIndex[i]]
            teams[i].reasons = reasons
        }
        quotas.append(contentsOf: table.instances)
        zeroCapWarnings(table.instances)
    }

    /// R-Q8: a cap that rounding leaves at 0 for a scope that has subjects (20% of 4 cadres): the engine proposes no
    /// place there, and says so, since the organisation department decides small units.
    mutating func zeroCapWarnings(_ instances: [QuotaUsage]) {
        for q in instances where q.base > 0 && q.limit == 0 {
            warnings.append(Warning(rule: q.rule, scope: q.scope, message: "\(q.label) \(q.base) \(q.noun)，\(formatDecimal(q.percent, decimals: 2))% 取整后为 0，无\(q.grade)名额，请组织部门研究确定"))
        }
    }

    /// Team quota instances (R-Q1). `gradeOf` is unused for teams (kept for symmetry with cadres).
    func teamQuotaTable(gradeOf: [Int]?) -> QuotaTable {
        var table = QuotaTable()
        let n = dataset.teams.count
        for q in policy.quotas where q.scope == .teamCategory || q.scope == .teamAll {
            var m = [Int32](repeating: -1, count: n)
            var index: [String: Int] = [:]
            for (i, t) in dataset.teams.enumerated() {
                let key = q.scope == .teamAll ? "all" : t.category
                let inst: Int
                if let k = index[key] { inst = k } else {
                    inst = table.instances.count
                    index[key] = inst
                    table.instances.append(QuotaUsage(scope: "teams:\(key)", rule: q.rule, grade: q.grade, percent: q.percent ?? 0,
                                                      rounding: q.rounding, base: 0, limit: 0, used: 0,
                                                      label: q.scope == .teamAll ? "全部班子" : "\(key)班子", noun: "个"))
                }
                m[i] = Int32(inst)
                table.instances[inst].base += 1
            }
            table.membership.append(m)
        }
        table.finalize()
        return table
    }

    // MARK: Cadres

    /// Cadre quota instances for given team grades (engine grades, or people's proposals when checking them).
    func cadreQuotaTable(teamGrades: [Int], withReasons: Bool = true) -> QuotaTable {
        var table = QuotaTable()
        let n = dataset.cadres.count
        let tscale = policy.teamScale
        for q in policy.quotas {
            switch q.scope {
            case .teamCategory, .teamAll: continue
            default: break
            }
            var m = [Int32](repeating: -1, count: n)
            var perTeam = [Int32](repeating: -1, count: dataset.teams.count)
            var perKey: [String: Int32] = [:]
            var single: Int32 = -1  // the one instance of an `all` or `separate` scope
            for i in 0..<n {
                let status = eligibility[i].status
                let excluded = eligibility[i].excludedFromQuota
                let separate = eligibility[i].separateList
                let t = dataset.cadres[i].teamIndex
                guard status.isAssessed, t >= 0 else { continue }
                var inst: Int32 = -1
                switch q.scope {
                case .cadreTeamByGrade, .cadreTeam:
                    guard !excluded else { continue }
                    if perTeam[t] < 0 {
                        var percent = q.percent
                        let gradeLabel = tscale.grades.isEmpty ? "" : tscale.grades[teamGrades[t]]
                        if q.scope == .cadreTeamByGrade {
                            percent = q.byTeamGrade?.first(where: { $0.teamGrade == gradeLabel })?.percent
                        }
                        guard let pc = percent else { continue }
                        perTeam[t] = Int32(table.instances.count)
                        let team = dataset.teams[t]
                        let label = q.scope == .cadreTeamByGrade
                            ? "\(team.name ?? team.id)（班子\(gradeLabel)）干部" : "\(team.name ?? team.id)干部"
                        table.instances.append(QuotaUsage(scope: "cadres:\(team.id)", rule: q.rule, grade: q.grade, percent: pc,
                                                          rounding: q.rounding, base: 0, limit: 0, used: 0, label: label))
                    }
                    inst = perTeam[t]
                case .cadreAll, .cadreSeparate, .cadreEntrusted:
                    let key: String
                    let label: String
                    if q.scope == .cadreAll {
                        guard !excluded else { continue }
                        if single >= 0 { m[i] = single; table.instances[Int(single)].base += 1; continue }
                        key = "all"; label = "全部参加考核干部"
                    } else if q.scope == .cadreSeparate {
                        guard separate else { continue }
                        if single >= 0 { m[i] = single; table.instances[Int(single)].base += 1; continue }
                        key = "separate"; label = "单列干部"
                    } else {
                        guard let by = eligibility[i].entrustedTo else { continue }
                        key = "entrusted:\(by)"; label = "\(by)委托考核干部"
                    }
                    if q.scope != .cadreEntrusted && single >= 0 { inst = single } else if let k = perKey[key] { inst = k } else {
                        inst = Int32(table.instances.count)
                        perKey[key] = inst
                        if q.scope != .cadreEntrusted { single = inst }
                        table.instances.append(QuotaUsage(scope: "cadres:\(key)", rule: q.rule, grade: q.grade, percent: q.percent ?? 0,
                                                          rounding: q.rounding, base: 0, limit: 0, used: 0, label: label))
                    }
                case .teamCategory, .teamAll: continue
                }
                m[i] = inst
                table.instances[Int(inst)].base += 1
            }
            table.membership.append(m)
        }
        table.finalize(withReasons: withReasons)
        return table
    }

    /// What one cadre's facts and scores say before any cap is applied.
    struct CadreEvaluation: Sendable {
        var eligibility: Eligibility
        var score: Double?
        var tally: [Int]?
        var voteScore: Double?
        var unfit = false
        /// Worst-allowed ceiling from R-Q4 (scale index; 0 = no limit).
        var maxGrade = 0
        var candidate = false
        var reasons: [Reason]
    }

    /// Eligibility (R-E*), scores (R-S2, R-S3) and the conditions for the best grade (R-S6, R-Q4–R-Q7, R-Q9)
    /// of cadre `i`. Pure: depends only on the dataset, the policy and the team grades.
    /// What `evaluateCadre` reads from the policy, made once per pass over the cadres; reasons that read the same for
    /// every cadre they concern are one shared string each.
    struct EvaluationInputs: Sendable {
        let unfitIdx: [Int]
        let unfitGrade: Int?
        let disqualifying: Set<String>
        let belowMinVote: Reason
        let noRegularExcellent: Reason
        init(policy: Policy) {
            let unfitRule = policy.cadreGrading.unfit
            unfitIdx = unfitRule?.options.compactMap { policy.cadreBallot.index(of: $0) } ?? []
            unfitGrade = unfitRule.flatMap { policy.cadreScale.index(of: $0.grade) }
            disqualifying = Set(policy.disqualifyingEvents)
            let best = policy.cadreScale.best
            let minVote = formatDecimal(policy.prerequisites.minVoteScore ?? 0, decimals: 2)
            belowMinVote = Reason(rule: "R-Q5", message: "民主测评得分（voteScore）低于 \(minVote) 分，不能建议为\(best)")
            let labels = (policy.prerequisites.regular?.excellentLabels ?? []).joined(separator: "”“")
            noRegularExcellent = Reason(rule: "R-Q6", message: "全年平时考核（regular）无“\(labels)”，年度考核不得评为\(best)")
        }
    }

    func evaluateCadre(_ i: Int, _ inputs: EvaluationInputs) -> CadreEvaluation {
        dataset.cadres.withUnsafeBufferPointer { evaluateCadre(i, $0.baseAddress! + i, inputs) }
    }

    /// Cadre `i`'s fields read through a pointer: a whole cadre passed on, even borrowed from a buffer, is copied,
    /// retaining every string and array in it.
    func evaluateCadre(_ i: Int, _ c: UnsafePointer<Cadre>, _ inputs: EvaluationInputs) -> CadreEvaluation {
        let unfitIdx = inputs.unfitIdx, unfitGrade = inputs.unfitGrade
        let yearStart = dataset.yearStart
        let scale = policy.cadreScale
        let tscale = policy.teamScale
        let best = 0
        let optionCount = policy.cadreBallot.options.count
        let unfitRule = policy.cadreGrading.unfit
        let minVote = policy.prerequisites.minVoteScore
        let regular = policy.prerequisites.regular
        let e = Eligibility.of(c, policy: policy, cutoff: dataset.cutoff, yearStart: yearStart)
        let score = Scoring.composite(score: c.pointee.score, parts: c.pointee.parts, policy: policy)
        let tally = e.votesIgnored ? nil : Scoring.tally(votes: c.pointee.votes, byCategory: c.pointee.votesByCategory, optionCount: optionCount)
        let vs = e.votesIgnored ? nil : Scoring.voteScore(votes: c.pointee.votes, byCategory: c.pointee.votesByCategory, ballot: policy.cadreBallot)
        var ev = CadreEvaluation(eligibility: e, score: score, tally: tally, voteScore: vs, reasons: e.reasons)
        guard e.status == .graded, c.pointee.teamIndex >= 0 else { return ev }
        ev.reasons.reserveCapacity(ev.reasons.count + 3)

        var ok = true
        // R-S6: more than a third 不称职 → 不称职 after organisational confirmation.
        if let rule = unfitRule, let g = unfitGrade, let tally {
            let total = tally.reduce(0, +)
            let part = Scoring.sum(tally, unfitIdx)
            if total > 0 && rule.moreThan.isAbove(part: part, total: total) {
                ev.unfit = true
                ok = false
                ev.reasons.append(Reason(rule: "R-S6", message: "民主测评“\(rule.options.joined(separator: "”“"))”票 \(part)/\(total)，超过\(rule.moreThan.text)，经组织考核认定为\(scale.grades[g])（建议，待组织认定）"))
            }
        }
        let teamGrade = teamGradeIndex[c.pointee.teamIndex]
        // R-Q4: principal of a weak team.
        if c.pointee.principal, !tscale.grades.isEmpty {
            let tLabel = tscale.grades[teamGrade]
            for pc in policy.principalConstraints where pc.teamGrade == tLabel {
                if let m = scale.index(of: pc.maxGrade), m > ev.maxGrade {
                    ev.maxGrade = m
                }
            }
            if ev.maxGrade > best {
                ok = false
                let better = scale.grades[ev.maxGrade - 1]
                ev.reasons.append(Reason(rule: "R-Q4", message: "班子建议等次为\(tLabel)，主要负责人一般不得确定为\(better)\(ev.maxGrade - 1 == 0 ? "" : "及以上")等次，最高为\(scale.grades[ev.maxGrade])"))
            }
        }
        // R-Q7: events in the principal's area or unit.
        if c.pointee.principal {
            let team = dataset.teams[c.pointee.teamIndex]
            let hits = team.events.filter { inputs.disqualifying.contains($0) }
            if !hits.isEmpty {
                ok = false
                ev.reasons.append(Reason(rule: "R-Q7", message: "本年度\(team.name ?? team.id)出现\(hits.map { eventNames[$0] ?? $0 }.joined(separator: "、"))，党政主要领导不能参加评优"))
            }
        }
        // R-Q5: minimum vote score.
        if let minVote {
            if let vs {
                if vs < minVote {
                    ok = false
                    ev.reasons.append(inputs.belowMinVote)
                }
            } else {
                ok = false
                ev.reasons.append(Reason(rule: "R-Q5", message: "无民主测评得分，不能确认不低于 \(formatDecimal(minVote, decimals: 2)) 分，不能建议为\(scale.best)"))
            }
        }
        // R-Q6: needs a best grade in some regular evaluation.
        if let regular {
            let (record, excellent) = c.pointee.regular.map(regular.check) ?? (false, false)
            if record {
                if !excellent {
                    ok = false
                    ev.reasons.append(inputs.noRegularExcellent)
                }
            } else if regular.missingRecordBlocks {
                ok = false
                ev.reasons.append(Reason(rule: "R-Q6", message: "无平时考核记录，不能确认全年有“\(regular.excellentLabels.joined(separator: "”“"))”，年度考核不得评为\(scale.best)"))
            }
        }
        // R-Q9: without a score or a vote score there is nothing to rank by.
        if ok && score == nil && vs == nil {
            ok = false
            ev.reasons.append(Reason(rule: "R-Q9", message: "无量化得分和民主测评得分，无法排序，不建议为\(scale.best)"))
        }
        ev.candidate = ok
        return ev
    }

    /// What the cadre phase computes before any cap: eligibility, scores, keys, ranks and the conditions for the best
    /// grade. Only the conditions depend on the team grades, so the run with people's decisions starts from the
    /// engine-alone run's and evaluates again only the cadres whose team's grade changed.
    struct CadreGroundwork {
        var eligibility: [Eligibility] = []
        var keys: [RankKey] = []
        /// Results with status, scores and ranks; no grade or reasons yet.
        var results: [CadreResult] = []
        /// The same scores and tallies, for the work beside the run that changes the results.
        var scores: [Double?] = []
        var voteScores: [Double?] = []
        var tallies: [[Int]?] = []
        var reasons: [[Reason]] = []
        var candidate: [Bool] = []
        var unfit: [Bool] = []
        var maxGrade: [Int] = []
        /// R-Q8/R-Q9: only a vote score, in a list ranked by scores — never a candidate.
        var voteOnly: [Bool] = []
        var voteOnlyWarning: Warning?
        /// Lists graded outside the units (R-E8, R-E10) and each one's cadres in rank order.
        var outside: [(scope: String, rule: String, label: String)] = []
        var outsideOrders: [[Int]] = []
        /// The team grades the conditions were evaluated with.
        var teamGrades: [Int] = []
        /// Every graded cadre with a team, best key first (ties by input order): each run's candidates are a part of it.
        var rankOrder: [Int] = []
    }
    /// The engine-alone run beside a run with people's decisions (which starts from the same groundwork): it makes
    /// reasons only where the two grades differ (`engineCadreReasons`), and keeps for them what it decided.
    var engineAlone = false
    var cadreOutcomes: [Outcome?] = []
    var cadreCandidate: [Bool] = []
    var cadreVoteOnly: [Bool] = []
    /// Each cadre's grade as a scale index (-1: none).
    var cadreGradeIndex: [Int32] = []

    func prepareCadres() -> CadreGroundwork {
        let n = dataset.cadres.count
        var g = CadreGroundwork()
        g.teamGrades = teamGradeIndex

        // Each cadre's evaluation is independent: on large inputs two threads share the work, each setting its
        // half of the columns.
        let snapshot = self
        let inputs = EvaluationInputs(policy: policy)
        let eligibility = Column<Eligibility>(n), keys = Column<RankKey>(n), results = Column<CadreResult>(n)
        let scores = Column<Double?>(n), voteScores = Column<Double?>(n), tallies = Column<[Int]?>(n)
        let reasons = Column<[Reason]>(n), candidate = Column<Bool>(n), unfit = Column<Bool>(n), maxGrade = Column<Int>(n)
        let parts = parallel ? 2 : 1
        DispatchQueue.concurrentPerform(iterations: parts) { k in
            let tieBreak = snapshot.policy.tieBreak
            snapshot.dataset.cadres.withUnsafeBufferPointer { cadres in
                for i in (n * k / parts)..<(n * (k + 1) / parts) {
                    let ev = snapshot.evaluateCadre(i, cadres.baseAddress! + i, inputs)
                    let e = ev.eligibility
                    // R-E8 (seed 001: 本单位考核结果作为定量考核结果): the separate list is ranked by its unit's result.
                    let t = cadres[i].teamIndex
                    keys.set(i, e.separateList && t >= 0 ? snapshot.teamKeys[t]
                                : RankKey(score: ev.score, voteScore: ev.voteScore, tieBreak: tieBreak))
                    scores.set(i, ev.score)
                    voteScores.set(i, ev.voteScore)
                    tallies.set(i, ev.tally)
                    results.set(i, CadreResult(status: e.status, grade: nil, score: ev.score, voteScore: ev.voteScore,
                                               tally: ev.tally, rankInTeam: nil,
                                               excludedFromQuota: e.excludedFromQuota, separateList: e.separateList,
                                               entrustedTo: e.entrustedTo))
                    reasons.set(i, ev.reasons)
                    unfit.set(i, ev.unfit)
                    maxGrade.set(i, ev.maxGrade)
                    candidate.set(i, ev.candidate)
                    eligibility.set(i, e)
                }
            }
        }
        g.eligibility = eligibility.array()
        g.keys = keys.array()
        g.results = results.array()
        g.scores = scores.array()
        g.voteScores = voteScores.array()
        g.tallies = tallies.array()
        g.reasons = reasons.array()
        g.unfit = unfit.array()
        g.maxGrade = maxGrade.array()
        g.candidate = candidate.array()

        // Ranks within each team, the separate list (R-E8) and each entrusted group (R-E10): lists past the teams.
        let separateIdx = dataset.teams.count
        var listOf = [Int](repeating: -1, count: n)
        var lists: [[Int]] = Array(repeating: [], count: separateIdx + 1)
        g.outside = [("cadres:separate", "R-E8", "单列干部")]
        var entrustedList: [String: Int] = [:]
        for i in 0..<n where g.results[i].status == .graded && dataset.cadres[i].teamIndex >= 0 {
            var l = dataset.cadres[i].teamIndex
            if g.eligibility[i].separateList { l = separateIdx } else if let by = g.eligibility[i].entrustedTo {
                if let k = entrustedList[by] { l = k } else {
                    l = lists.count
                    entrustedList[by] = l
                    lists.append([])
                    g.outside.append(("cadres:entrusted:\(by)", "R-E10", "\(by)委托考核干部"))
                }
            }
            listOf[i] = l
            lists[l].append(i)
        }
        // R-Q8/R-Q9: in a list where others have a score, a cadre with only a vote score is not ranked against them.
        g.voteOnly = [Bool](repeating: false, count: n)
        var voteOnlyIDs: [String] = []
        for list in lists where list.contains(where: { g.results[$0].score != nil }) {
            for i in list where g.results[i].score == nil && g.results[i].voteScore != nil {
                voteOnlyIDs.append(dataset.cadres[i].id)
                g.voteOnly[i] = true
                if g.candidate[i] {
                    g.candidate[i] = false
                    g.reasons[i].append(voteOnlyReason)
                }
            }
        }
        if !voteOnlyIDs.isEmpty {
            g.voteOnlyWarning = Warning(rule: "R-Q9", scope: "cadres", message: "\(voteOnlyIDs.prefix(20).joined(separator: "、"))\(voteOnlyIDs.count > 20 ? " 等 \(voteOnlyIDs.count) 人" : "") 只有民主测评得分，未与有量化得分的干部比较排序")
        }
        g.rankOrder = rankOrder((0..<n).filter { listOf[$0] >= 0 }, keys: g.keys).order
        // Each list in rank order is the whole order's subsequence (the same comparison): ranks without sorting again.
        var last = [Int](repeating: -1, count: lists.count)
        var position = [Int](repeating: 0, count: lists.count)
        var lastRank = [Int](repeating: 0, count: lists.count)
        g.outsideOrders = [[Int]](repeating: [], count: lists.count - separateIdx)
        for i in g.rankOrder {
            let l = listOf[i]
            position[l] += 1
            lastRank[l] = last[l] >= 0 && g.keys[last[l]] == g.keys[i] ? lastRank[l] : position[l]
            last[l] = i
            g.results[i].rankInTeam = lastRank[l]
            if l >= separateIdx { g.outsideOrders[l - separateIdx].append(i) }
        }
        return g
    }

    var voteOnlyReason: Reason {
        Reason(rule: "R-Q9", message: "只有民主测评得分，不与有量化得分的干部比较排序，不建议为\(policy.cadreScale.best)（请补充量化得分或研究确定）")
    }

    /// The conditions of the cadres whose team's grade is no longer the one `g` was evaluated with.
    func reevaluate(_ g: inout CadreGroundwork) {
        guard teamGradeIndex != g.teamGrades else { return }
        let inputs = EvaluationInputs(policy: policy)
        let voteOnlyReason = self.voteOnlyReason
        for i in dataset.cadres.indices {
            let t = dataset.cadres[i].teamIndex
            guard t >= 0 && teamGradeIndex[t] != g.teamGrades[t] else { continue }
            let ev = evaluateCadre(i, inputs)
            g.reasons[i] = ev.reasons
            g.candidate[i] = ev.candidate
            g.unfit[i] = ev.unfit
            g.maxGrade[i] = ev.maxGrade
            if g.voteOnly[i] && g.candidate[i] {
                g.candidate[i] = false
                g.reasons[i].append(voteOnlyReason)
            }
        }
        g.teamGrades = teamGradeIndex
    }

    /// Grades the cadres from `g` (`prepareCadres`), whose conditions are evaluated again where this run's team grades
    /// differ from those it was made with.
    mutating func gradeCadres(from groundwork: consuming CadreGroundwork) {
        let scale = policy.cadreScale
        let n = dataset.cadres.count
        var g = consume groundwork
        reevaluate(&g)
        if let w = g.voteOnlyWarning { warnings.append(w) }
        eligibility = g.eligibility
        cadreKeys = g.keys
        cadreUnfit = g.unfit
        cadreMaxGrade = g.maxGrade
        cadres = g.results
        var candidate = g.candidate
        var reasons = g.reasons
        let outside = g.outside
        let outsideOrders = g.outsideOrders
        let voteOnly = g.voteOnly
        let graded = g.rankOrder
        let voteScores = g.voteScores
        g = CadreGroundwork()  // the arrays above are the only references now: no copy when they change
        var table = cadreQuotaTable(teamGrades: teamGradeIndex, withReasons: !engineAlone)
        var decidedGrades = [Int?](repeating: nil, count: n)
        for i in 0..<n where eligibility[i].status == .graded && dataset.cadres[i].teamIndex >= 0 {
            guard let d = decided(dataset.cadres[i].proposal, scale) else { continue }
            decidedGrades[i] = d
            candidate[i] = false
            if d == 0 { table.charge(i) }
        }
        let order = graded.filter { candidate[$0] }  // still best first
        let (outcomes, cadreTies) = Allocation.allocate(order: order, sameKey: { cadreKeys[$0] == cadreKeys[$1] },
                                                        table: &table, subjectCount: n, subjectID: { dataset.cadres[$0].id })
        ties.append(contentsOf: cadreTies)
        let finisher = CadreFinisher(self)
        // The engine-alone run beside the run with people's decisions needs reasons only where the two grades
        // differ: `engineCadreReasons` gives them then.
        let withReasons = !engineAlone
        cadreGradeIndex = [Int32](repeating: -1, count: n)
        // Each cadre's step is its own: on a large input two threads take half of the cadres each.
        let parts = parallel ? 2 : 1
        let (statuses, teamIndex) = (eligibility, dataset.cadres)
        let (candidates, settled, decided) = (candidate, table, decidedGrades)
        cadres.withUnsafeMutableBufferPointer { results in
            reasons.withUnsafeMutableBufferPointer { reasons in
                cadreGradeIndex.withUnsafeMutableBufferPointer { gradeIndex in
                    nonisolated(unsafe) let (results, reasons, gradeIndex) = (results, reasons, gradeIndex)
                    DispatchQueue.concurrentPerform(iterations: parts) { k in
                        var buffer: [Int] = []
                        var none: [Reason] = []
                        for i in (n * k / parts)..<(n * (k + 1) / parts) {
                            guard statuses[i].status == .graded, teamIndex[i].teamIndex >= 0 else {
                                if withReasons { results[i].reasons = reasons[i] }
                                continue
                            }
                            if let d = decided[i] {
                                gradeIndex[i] = Int32(d)
                                results[i].grade = scale.grades[d]
                                results[i].reasons = [Self.decidedReason(scale.grades[d])]
                                continue
                            }
                            if withReasons {
                                let g = finisher.finish(i, candidate: candidates[i], outcome: outcomes[i], table: settled,
                                                        voteScore: voteScores[i], buffer: &buffer, reasons: &reasons[i],
                                                        withReasons: true)
                                results[i].reasons = reasons[i]
                                guard !scale.grades.isEmpty else { continue }
                                gradeIndex[i] = Int32(g)
                                results[i].grade = scale.grades[g]
                            } else if !scale.grades.isEmpty {
                                // The results stay as they were (shared with the groundwork): the grade goes beside them.
                                gradeIndex[i] = Int32(finisher.finish(i, candidate: candidates[i], outcome: outcomes[i],
                                                                      table: settled, voteScore: voteScores[i],
                                                                      buffer: &buffer, reasons: &none, withReasons: false))
                            }
                        }
                    }
                }
            }
        }
        if engineAlone {
            cadreOutcomes = outcomes
            cadreCandidate = candidate
            cadreVoteOnly = voteOnly
        }
        quotas.append(contentsOf: table.instances)
        zeroCapWarnings(table.instances)
        cadreTable = table
        // R-E8, R-E10: each list graded outside the units, its best-grade proposals in rank order.
        for (k, o) in outside.enumerated() where withReasons && !outsideOrders[k].isEmpty {
            let best = outsideOrders[k].filter { cadres[$0].grade == scale.best }
            proposalLists.append(ProposalList(scope: o.scope, rule: o.rule, label: o.label, grade: scale.best,
                                              subjects: best.map { dataset.cadres[$0].id }, size: outsideOrders[k].count))
        }
    }

    /// The step after the allocation for one graded cadre: its grade below the best (R-S6, R-S3 bands, R-Q4) and why.
    /// Holds what it reads, so that the loop over 100,000 cadres does not copy the whole run for each call.
    struct CadreFinisher {
        let policy: Policy
        let dataset: Dataset
        let unfit: [Bool]
        let maxGrade: [Int]
        let teamGrades: [Int]
        let defaultIdx: Int
        let unfitGrade: Int?
        let bands: [Band]?
        let minVote: Double?
        let proposalReasons: [Reason]
        init(_ run: GradingRun) {
            policy = run.policy
            dataset = run.dataset
            unfit = run.cadreUnfit
            maxGrade = run.cadreMaxGrade
            teamGrades = run.teamGradeIndex
            let scale = policy.cadreScale
            defaultIdx = scale.index(of: policy.cadreGrading.defaultGrade) ?? max(0, scale.grades.count - 1)
            unfitGrade = policy.cadreGrading.unfit.flatMap { scale.index(of: $0.grade) }
            bands = policy.cadreGrading.voteScoreBands
            minVote = policy.prerequisites.minVoteScore
            proposalReasons = scale.grades.map { Reason(rule: "R-Q9", message: "建议为\($0)（建议，待研究确定）") }
        }

        /// The engine's grade (scale index) of graded cadre `i` after the allocation; with `withReasons`, `reasons`
        /// (the evaluation's) gets why.
        func finish(_ i: Int, candidate: Bool, outcome: Outcome?, table: QuotaTable, voteScore: Double?,
                    buffer: inout [Int], reasons: inout [Reason], withReasons: Bool) -> Int {
            let scale = policy.cadreScale
            if candidate, let o = outcome {
                switch o {
                case .granted:
                    guard withReasons else { return 0 }
                    table.instances(of: i, into: &buffer)
                    for q in buffer { reasons.append(table.instances[q].grantedReason) }
                    if buffer.isEmpty, let minVote, let vs = voteScore {
                        reasons.append(Reason(rule: "R-Q5", message: "民主测评得分 \(formatDecimal(vs, decimals: 2))，不低于 \(formatDecimal(minVote, decimals: 2)) 分，建议为\(scale.best)"))
                    }
                    return 0
                case .blocked(let q):
                    if withReasons { reasons.append(table.instances[q].blockedReason) }
                case .tied(let q):
                    if withReasons { reasons.append(table.instances[q].tiedReason) }
                }
            }
            // Grades below the best.
            var g = defaultIdx
            if unfit[i], let ug = unfitGrade {
                g = ug
            } else if let bands, let vs = voteScore, let b = GradingRun.band(vs, bands, scale) {
                g = b
                if b != defaultIdx && withReasons {
                    reasons.append(Reason(rule: "R-S3", message: "民主测评得分 \(formatDecimal(vs, decimals: 2))，按测评分档属\(scale.grades[b])"))
                }
            }
            if maxGrade[i] > g {
                g = maxGrade[i]
                if withReasons {
                    reasons.append(Reason(rule: "R-Q4", message: "班子建议等次为\(policy.teamScale.grades[teamGrades[dataset.cadres[i].teamIndex]])，主要负责人建议为\(scale.grades[g])"))
                }
            }
            if withReasons && !scale.grades.isEmpty { reasons.append(proposalReasons[g]) }
            return g
        }
    }

    /// Why the engine alone proposed its grades for graded `subjects`, on the run that kept its groundwork.
    func engineCadreReasons(_ subjects: [Int], voteScores: (Int) -> Double?) -> [[Reason]] {
        let inputs = EvaluationInputs(policy: policy)
        let finisher = CadreFinisher(self)
        let voteOnlyReason = self.voteOnlyReason
        var buffer: [Int] = []
        return subjects.map { i in
            let ev = evaluateCadre(i, inputs)
            var reasons = ev.reasons
            if cadreVoteOnly[i] && ev.candidate { reasons.append(voteOnlyReason) }
            _ = finisher.finish(i, candidate: cadreCandidate[i], outcome: cadreOutcomes[i], table: cadreTable,
                                voteScore: voteScores(i), buffer: &buffer, reasons: &reasons, withReasons: true)
            return reasons
        }
    }

    static let eventLabels: [String: String] = [
        "massIncident": "群体性事件",
        "heldAccountable": "被县委、政府问责",
        "partyBuildingLast": "党建工作排在全县后列",
        "majorCorruption": "重大腐败案件",
    ]
    var eventNames: [String: String] { GradingRun.eventLabels }

    // MARK: Triggers and warnings

    /// R-T1–R-T3, and R-S7's warnings: they read scores, tallies and ranks, never a grade, so they are the same for
    /// the engine alone and with people's decisions.
    func triggersAndSpread(_ g: CadreGroundwork) -> (triggers: [Trigger], spread: [Warning]) {
        var triggers: [Trigger] = []
        for (i, t) in dataset.teams.enumerated() {
            if let m = Triggers.teamMessage(tally: teamTally[i], policy: policy) {
                triggers.append(Trigger(rule: "R-T1", subject: t.id, message: m))
            }
        }
        let compiled = policy.triggers.cadre.map { Triggers.Compiled($0, policy.cadreBallot) }
        for i in dataset.cadres.indices where g.eligibility[i].status != .notAssessed {
            for m in Triggers.cadreMessages(tally: g.tallies[i], interviewLead: dataset.cadres[i].facts.interviewLead,
                                            policy: policy, compiled: compiled) {
                triggers.append(Trigger(rule: "R-T2", subject: dataset.cadres[i].id, message: m))
            }
        }
        triggers.append(contentsOf: Triggers.admonitions(teams: dataset.teams, keys: teamKeys, results: teams, policy: policy))
        return (triggers, differentiationWarnings(g))
    }

    /// Input facts this policy has no rule for are ignored — said once, so nobody thinks they were applied.
    mutating func unusedFactWarnings() {
        func warn(_ rule: String, _ scope: String, _ count: Int, _ what: String) {
            guard count > 0 else { return }
            warnings.append(Warning(rule: rule, scope: scope, message: "\(count) \(what)，本方案未规定相应规则，按一般情况处理"))
        }
        let e = policy.eligibility
        // Counted by index: `filter` would copy every cadre it keeps.
        func count(_ flag: (Int) -> Bool) -> Int { dataset.cadres.indices.reduce(0) { $0 + (flag($1) ? 1 : 0) } }
        warn("R-E8", "cadres", e.separateList ? 0 : count { dataset.cadres[$0].separateList }, "名干部标注为单列考核（separateList）")
        warn("R-E9", "cadres", e.villageTeamNotAssessed ? 0 : count { dataset.cadres[$0].facts.villageTeam }, "名干部标注为驻村工作队员（villageTeam）")
        let entrusted = policy.quotas.contains { $0.scope == .cadreEntrusted }
        warn("R-E10", "cadres", entrusted ? 0 : count { dataset.cadres[$0].entrustedBy != nil }, "名干部标注为委托考核（entrustedBy）")
        warn("R-Q7", "teams", policy.disqualifyingEvents.isEmpty ? dataset.teams.filter { !$0.events.isEmpty }.count : 0, "个班子有事件记录（events）")
        warn("R-T2", "cadres", policy.triggers.interviewLead ? 0 : count { dataset.cadres[$0].facts.interviewLead }, "名干部有谈话问题线索（interviewLead）")
    }

    func differentiationWarnings(_ g: CadreGroundwork) -> [Warning] {
        guard let d = policy.differentiation else { return [] }
        var warnings: [Warning] = []
        func check(_ scores: [Double], scope: String, what: String) {
            guard scores.count >= d.minGroupSize, let lo = scores.min(), let hi = scores.max() else { return }
            if hi - lo < d.minSpread {
                warnings.append(Warning(rule: "R-S7", scope: scope,
                                        message: "\(what)\(scores.count) 个得分最高 \(formatDecimal(hi, decimals: 2))、最低 \(formatDecimal(lo, decimals: 2))，相差不足 \(formatDecimal(d.minSpread, decimals: 2)) 分，打分要有差异化"))
            }
        }
        var byCategory: [String: [Double]] = [:]
        var categoryOrder: [String] = []
        for (i, t) in dataset.teams.enumerated() {
            guard let s = teams[i].score else { continue }
            if byCategory[t.category] == nil { categoryOrder.append(t.category) }
            byCategory[t.category, default: []].append(s)
        }
        for c in categoryOrder { check(byCategory[c]!, scope: "teams:\(c)", what: "\(c)班子") }
        var perTeam: [[Double]] = Array(repeating: [], count: dataset.teams.count)
        for i in dataset.cadres.indices where dataset.cadres[i].teamIndex >= 0 && g.eligibility[i].status != .notAssessed {
            if let s = g.scores[i] { perTeam[dataset.cadres[i].teamIndex].append(s) }
        }
        for (t, scores) in perTeam.enumerated() {
            check(scores, scope: "cadres:\(dataset.teams[t].id)", what: "\(dataset.teams[t].name ?? dataset.teams[t].id)干部")
        }
        return warnings
    }
}
