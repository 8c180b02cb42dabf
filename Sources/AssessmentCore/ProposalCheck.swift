import Foundation

// Checks the grades people proposed (`proposal`): the proposal stands, every breach of a rule is listed. Runs on the
// grades that stand (the engine filled only the places people's decisions left), so a cap is reported broken only
// when people's decisions alone break it.

enum ProposalCheck {
    static func check(run: GradingRun) -> [Violation] {
        var out: [Violation] = []
        let policy = run.policy
        let data = run.dataset
        let tscale = policy.teamScale
        let cscale = policy.cadreScale
        guard !tscale.grades.isEmpty, !cscale.grades.isEmpty else { return [] }

        // Effective team grades: people's proposal where given, else the engine's.
        var teamGrades = run.teamGradeIndex
        for (i, t) in data.teams.enumerated() {
            if let p = t.proposal, let g = tscale.index(of: p) { teamGrades[i] = g }
        }
        // R-Q1 with people's team proposals.
        let teamTable = run.teamQuotaTable(gradeOf: nil)
        var teamUsed = [Int](repeating: 0, count: teamTable.instances.count)
        var buffer: [Int] = []
        for i in data.teams.indices where teamGrades[i] == 0 {
            teamTable.instances(of: i, into: &buffer)
            for q in buffer { teamUsed[q] += 1 }
        }
        for (i, t) in data.teams.enumerated() where t.proposal == tscale.best {
            teamTable.instances(of: i, into: &buffer)
            for q in buffer where teamUsed[q] > teamTable.instances[q].limit {
                let inst = teamTable.instances[q]
                out.append(Violation(subject: t.id, rule: inst.rule,
                                     message: "人工建议为\(tscale.best)：\(inst.capText)，按人工建议共 \(teamUsed[q]) 个，超过上限"))
            }
        }

        // Cadres.
        var effective = [Int?](repeating: nil, count: data.cadres.count)
        for (i, c) in data.cadres.enumerated() {
            effective[i] = c.proposal.flatMap { cscale.index(of: $0) } ?? run.cadres[i].grade.flatMap { cscale.index(of: $0) }
        }
        // Caps can only be broken by people's best grades (the engine fills only the places they leave).
        let capsAtStake = data.cadres.indices.contains { data.cadres[$0].proposal == cscale.best }
        let cadreTable = !capsAtStake ? QuotaTable()
            : teamGrades == run.teamGradeIndex ? run.cadreTable : run.cadreQuotaTable(teamGrades: teamGrades, withReasons: false)
        var cadreUsed = [Int](repeating: 0, count: cadreTable.instances.count)
        if capsAtStake {
            for i in data.cadres.indices where effective[i] == 0 && run.cadres[i].status == .graded {
                cadreTable.instances(of: i, into: &buffer)
                for q in buffer { cadreUsed[q] += 1 }
            }
        }
        let minVote = policy.prerequisites.minVoteScore
        let regular = policy.prerequisites.regular
        let disqualifying = Set(policy.disqualifyingEvents)
        for (i, c) in data.cadres.enumerated() {
            guard let p = c.proposal, let g = cscale.index(of: p) else { continue }
            let result = run.cadres[i]
            if result.status != .graded {
                let rule = run.eligibility[i].reasons.last?.rule ?? "R-E5"
                let what: String
                switch result.status {
                case .ungraded: what = "不确定等次"
                case .pending: what = "受审查期间不确定等次，待结案后确定"
                case .notAssessed: what = "不参加本单位年度考核"
                case .graded: what = ""
                }
                out.append(Violation(subject: c.id, rule: rule, message: "人工建议为\(p)，但该干部\(what)"))
                continue
            }
            guard c.teamIndex >= 0 else { continue }
            // R-Q4 with the (possibly proposed) team grade.
            if c.principal {
                let tLabel = tscale.grades[teamGrades[c.teamIndex]]
                for pc in policy.principalConstraints where pc.teamGrade == tLabel {
                    if let m = cscale.index(of: pc.maxGrade), g < m {
                        out.append(Violation(subject: c.id, rule: "R-Q4",
                                             message: "班子等次为\(tLabel)，主要负责人一般不得确定为\(cscale.grades[m - 1])\(m - 1 == 0 ? "" : "及以上")等次，人工建议为\(p)"))
                    }
                }
            }
            // R-S6: organisationally unfit, proposed better.
            if run.cadreUnfit[i], let u = policy.cadreGrading.unfit, let ug = cscale.index(of: u.grade), g < ug {
                out.append(Violation(subject: c.id, rule: "R-S6", message: "“\(u.options.joined(separator: "”“"))”票超过\(u.moreThan.text)，应经组织认定为\(u.grade)，人工建议为\(p)"))
            }
            guard g == 0 else { continue }
            if c.principal {
                let hits = data.teams[c.teamIndex].events.filter { disqualifying.contains($0) }
                if !hits.isEmpty {
                    out.append(Violation(subject: c.id, rule: "R-Q7", message: "本年度出现\(hits.map { GradingRun.eventLabels[$0] ?? $0 }.joined(separator: "、"))，主要领导不能评优，人工建议为\(p)"))
                }
            }
            if let minVote {
                let vs = result.voteScore
                if vs == nil || vs! < minVote {
                    out.append(Violation(subject: c.id, rule: "R-Q5", message: "民主测评得分\(vs.map { " " + formatDecimal($0, decimals: 2) } ?? "缺失")，低于 \(formatDecimal(minVote, decimals: 2)) 分，人工建议为\(p)"))
                }
            }
            if let regular {
                let (record, excellent) = regular.check(c.regular ?? [])
                if !excellent && (record || regular.missingRecordBlocks) {
                    out.append(Violation(subject: c.id, rule: "R-Q6", message: "全年平时考核无“\(regular.excellentLabels.joined(separator: "”“"))”，年度考核不得评为\(p)"))
                }
            }
            if capsAtStake {
                cadreTable.instances(of: i, into: &buffer)
                for q in buffer where cadreUsed[q] > cadreTable.instances[q].limit {
                    let inst = cadreTable.instances[q]
                    out.append(Violation(subject: c.id, rule: inst.rule,
                                         message: "人工建议为\(p)：\(inst.capText)，按人工建议共 \(cadreUsed[q]) 人，超过上限"))
                }
            }
        }
        return out
    }
}
