import Foundation

// Special-report triggers (R-T1 team, R-T2 cadre) and admonition talks (R-T3). Fractions are compared
// exactly by integer cross-multiplication.

enum Triggers {
    static func percent(_ part: Int, _ total: Int) -> String {
        formatDecimal(Double(part) * 100 / Double(total), decimals: 2) + "%"
    }

    /// R-T1: 好+较好 share below 2/3, or 一般 share above 1/3 (as the policy states them).
    static func teamMessage(tally: [Int]?, policy: Policy) -> String? {
        guard let rule = policy.triggers.team, let tally else { return nil }
        return voteMessages(tally: tally, rule: rule, ballot: policy.teamBallot, subject: "领导班子").first
    }

    /// R-T2: 优秀+称职 below 2/3, 不称职 above 1/3, or a serious lead found in interviews.
    static func cadreMessages(tally: [Int]?, interviewLead: Bool, policy: Policy) -> [String] {
        var out: [String] = []
        if let rule = policy.triggers.cadre, let tally {
            out.append(contentsOf: voteMessages(tally: tally, rule: rule, ballot: policy.cadreBallot, subject: "领导干部"))
        }
        if policy.triggers.interviewLead && interviewLead {
            out.append("个别谈话中发现重要问题线索，考核组与相关部门沟通后深入调查了解，写出专题报告")
        }
        return out.isEmpty ? [] : [out.joined(separator: "；")]
    }

    static func voteMessages(tally: [Int], rule: VoteTrigger, ballot: Ballot, subject: String) -> [String] {
        let total = tally.reduce(0, +)
        guard total > 0 else { return [] }
        let pos = Scoring.sum(tally, rule.positiveOptions.compactMap { ballot.index(of: $0) })
        let neg = Scoring.sum(tally, rule.negativeOptions.compactMap { ballot.index(of: $0) })
        var parts: [String] = []
        if rule.positiveBelow.isBelow(part: pos, total: total) {
            parts.append("“\(rule.positiveOptions.joined(separator: "”和“"))”得票率 \(percent(pos, total))（\(pos)/\(total)），达不到\(rule.positiveBelow.text)")
        }
        if rule.negativeAbove.isAbove(part: neg, total: total) {
            parts.append("“\(rule.negativeOptions.joined(separator: "”和“"))”得票率 \(percent(neg, total))（\(neg)/\(total)），超过\(rule.negativeAbove.text)")
        }
        guard !parts.isEmpty else { return [] }
        return ["\(subject)总体评价" + parts.joined(separator: "；") + "，须写出专题报告"]
    }

    /// R-T3: the `bottom` last-ranked teams (all teams tied with the last of them included) get an admonition talk.
    static func admonitions(teams: [Team], keys: [RankKey], results: [TeamResult], policy: Policy) -> [Trigger] {
        guard let rule = policy.triggers.admonition, !teams.isEmpty else { return [] }
        let (order, _) = rankOrder(Array(teams.indices), keys: keys)
        let worstFirst = Array(order.reversed())
        guard rule.bottom < worstFirst.count else {
            return []
        }
        let boundary = keys[worstFirst[rule.bottom - 1]]
        var chosen: [Int] = []
        for i in worstFirst {
            if chosen.count < rule.bottom || keys[i] == boundary { chosen.append(i) } else { break }
        }
        let n = teams.count
        return chosen.sorted().map { i in
            let tie = chosen.count > rule.bottom ? "（与其他单位并列，一并列入）" : ""
            return Trigger(rule: "R-T3", subject: teams[i].id,
                           message: "考核排名第 \(results[i].rank)（共 \(n) 个），排名后 \(rule.bottom) 位\(tie)，由上级党委（党组）或纪检监察机关实施约谈")
        }
    }
}
