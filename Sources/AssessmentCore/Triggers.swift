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
    static func cadreMessages(tally: [Int]?, interviewLead: Bool, policy: Policy, compiled: Compiled?) -> [String] {
        var out: [String] = []
        if let compiled, let tally {
            out.append(contentsOf: voteMessages(tally: tally, compiled: compiled, subject: "领导干部"))
        }
        if policy.triggers.interviewLead && interviewLead {
            out.append("个别谈话中发现重要问题线索，考核组与相关部门沟通后深入调查了解，写出专题报告")
        }
        return out.isEmpty ? [] : [out.joined(separator: "；")]
    }

    /// A trigger's option lists as ballot indices, looked up once per run.
    struct Compiled {
        let rule: VoteTrigger
        let positive: [Int]
        let negative: [Int]
        init(_ rule: VoteTrigger, _ ballot: Ballot) {
            self.rule = rule
            positive = rule.positiveOptions.compactMap { ballot.index(of: $0) }
            negative = rule.negativeOptions.compactMap { ballot.index(of: $0) }
        }
    }

    static func voteMessages(tally: [Int], rule: VoteTrigger, ballot: Ballot, subject: String) -> [String] {
        voteMessages(tally: tally, compiled: Compiled(rule, ballot), subject: subject)
    }

    static func voteMessages(tally: [Int], compiled: Compiled, subject: String) -> [String] {
        let rule = compiled.rule
        let total = tally.reduce(0, +)
        guard total > 0 else { return [] }
        let pos = Scoring.sum(tally, compiled.positive)
        let neg = Scoring.sum(tally, compiled.negative)
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
                           message: "考核排名第 \(results[i].rank)（共 \(n) 个），排名后 \(rule.bottom) 位\(tie)，对该单位领导班子和领导干部由上级党委（党组）或纪检监察机关实施约谈")
        }
    }

    /// R-T3 on scorecards: the `bottom` lowest totals (ties with the last of them included).
    static func admonitions(scorecards: [ScorecardResult], policy: Policy) -> [Trigger] {
        guard let rule = policy.triggers.admonition, rule.bottom < scorecards.count else { return [] }
        let worstRanks = scorecards.map(\.rank).sorted(by: >)
        let boundary = worstRanks[rule.bottom - 1]
        let n = scorecards.count
        return scorecards.filter { $0.rank >= boundary }.map { s in
            Trigger(rule: "R-T3", subject: s.subject,
                    message: "廉政建设考核得分 \(formatDecimal(s.total, decimals: 2))，排名第 \(s.rank)（共 \(n) 个），排名后 \(rule.bottom) 位，对该单位领导班子和领导干部由上级党委（党组）或纪检监察机关实施约谈")
        }
    }
}
