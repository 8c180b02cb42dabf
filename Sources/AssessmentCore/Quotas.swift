import Foundation

// Quota instances and allocation of the best grade in rank order under every applicable cap (R-Q1–R-Q3,
// R-E8, R-E10), never exceeding a limit and never breaking a tie at a cap boundary silently (R-Q8).

/// One concrete cap: a quota definition applied to one scope (a category, a team, the whole list …).
public struct QuotaUsage: Sendable, Equatable {
    public var scope: String
    public var rule: String
    public var grade: String
    public var percent: Double
    public var rounding: Rounding
    public var base: Int
    public var limit: Int
    public var used: Int
    /// A human-readable name of the scope for messages ("乡镇街道班子", "城关镇（班子良好）干部", "全部参加考核干部").
    var label: String
    /// Counting word for the base: 个 (teams) or 人 (cadres).
    var noun: String = "人"

    /// Places held back for a tie at the boundary (R-Q8): they go to nobody below the tied subjects.
    var reserved: Int = 0

    var room: Int { limit - used - reserved }

    /// Why the cap stopped a subject.
    var fullText: String { limit == 0 ? "无\(grade)名额" : "\(limit) 个名额已用完" }

    /// Set once the limit is known (see `QuotaTable.finalize`); shared by every subject the cap concerns.
    var capText: String = ""
    var grantedReason = Reason(rule: "", message: "")
    var blockedReason = Reason(rule: "", message: "")
    var tiedReason = Reason(rule: "R-Q8", message: "")

    func makeCapText() -> String {
        let how: String
        switch rounding {
        case .floor: how = "向下取整"
        case .round: how = "四舍五入"
        case .ceil: how = "向上取整"
        }
        return "\(label)共 \(base) \(noun)，\(grade)不超过 \(formatDecimal(percent, decimals: 2))%，上限 \(limit)（\(how)）"
    }
}

/// A tie at a cap boundary (R-Q8), left for the committee.
public struct Tie: Sendable, Equatable {
    public var scope: String
    public var rule: String
    public var subjects: [String]
    public var freeSlots: Int
    public var message: String
}

/// Maps subjects to the quota instances that cap them.
struct QuotaTable {
    var instances: [QuotaUsage] = []
    /// For each quota definition, the instance index of each subject (-1: not capped by it).
    var membership: [[Int32]] = []

    /// Computes limits (R-Q8) and the cap descriptions once the bases are counted.
    mutating func finalize(withReasons: Bool = true) {
        for i in instances.indices {
            instances[i].limit = Quota.limit(base: instances[i].base, percent: instances[i].percent, rounding: instances[i].rounding)
            let q = instances[i]
            guard withReasons else { instances[i].capText = q.makeCapText(); continue }
            let cap = q.makeCapText()
            instances[i].capText = cap
            instances[i].grantedReason = Reason(rule: q.rule, message: "\(cap)，在名额之内，建议为\(q.grade)")
            instances[i].blockedReason = Reason(rule: q.rule, message: "\(cap)，\(instances[i].fullText)，不能建议为\(q.grade)")
            instances[i].tiedReason = Reason(rule: "R-Q8", message: "\(cap)，与排序依据相同者并列争最后名额，不自动取舍，提请研究确定")
        }
    }

    /// A place taken by people's decision (a `proposal` of the best grade): counted before the engine fills any.
    mutating func charge(_ subject: Int) {
        var buffer: [Int] = []
        instances(of: subject, into: &buffer)
        for q in buffer { instances[q].used += 1 }
    }

    func instances(of subject: Int, into buffer: inout [Int]) {
        buffer.removeAll(keepingCapacity: true)
        for m in membership {
            let i = m[subject]
            if i >= 0 { buffer.append(Int(i)) }
        }
    }
}

enum Outcome: Equatable {
    case granted
    case blocked(Int)
    case tied(Int)
}

enum Allocation {
    /// Walks `order` (candidates best first); subjects with equal keys form a group. Returns the outcome per
    /// candidate and the ties; `table.instances[*].used` is updated.
    static func allocate(order: [Int], sameKey: (Int, Int) -> Bool, table: inout QuotaTable,
                         subjectCount: Int, subjectID: (Int) -> String) -> (outcomes: [Outcome?], ties: [Tie]) {
        var outcomes = [Outcome?](repeating: nil, count: subjectCount)
        var ties: [Tie] = []
        var buffer: [Int] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && sameKey(order[start], order[end]) { end += 1 }
            if end - start == 1 {
                let s = order[start]
                table.instances(of: s, into: &buffer)
                if let full = buffer.first(where: { table.instances[$0].room <= 0 }) {
                    outcomes[s] = .blocked(full)
                } else {
                    for i in buffer { table.instances[i].used += 1 }
                    outcomes[s] = .granted
                }
            } else {
                // A group of equal keys: an instance whose room cannot take every member sharing it is a tie (R-Q8).
                let group = Array(order[start..<end])
                var membersOf: [Int: [Int]] = [:]
                var instanceOrder: [Int] = []
                var perMember: [[Int]] = []
                for s in group {
                    table.instances(of: s, into: &buffer)
                    perMember.append(buffer)
                    for i in buffer {
                        if membersOf[i] == nil { instanceOrder.append(i) }
                        membersOf[i, default: []].append(s)
                    }
                }
                // Members stopped by one cap no longer compete for the others; repeat until stable.
                var stopped: [Int: Outcome] = [:]
                var tiedIn = Set<Int>()
                var changed = true
                while changed {
                    changed = false
                    for i in instanceOrder where !tiedIn.contains(i) {
                        let members = membersOf[i]!.filter { stopped[$0] == nil }
                        guard !members.isEmpty else { continue }
                        let room = table.instances[i].room
                        if room <= 0 {
                            for s in members { stopped[s] = .blocked(i) }
                            changed = true
                        } else if room < members.count {
                            for s in members { stopped[s] = .tied(i) }
                            tiedIn.insert(i)
                            table.instances[i].reserved += room
                            // Keep the committee's choice possible: hold places for the tied subjects in
                            // their other caps too (at most the free places of this one).
                            var others: [Int: Int] = [:]
                            var otherOrder: [Int] = []
                            for s in members {
                                table.instances(of: s, into: &buffer)
                                for j in buffer where j != i {
                                    if others[j] == nil { otherOrder.append(j) }
                                    others[j, default: 0] += 1
                                }
                            }
                            for j in otherOrder {
                                let hold = min(room, others[j]!, max(0, table.instances[j].room))
                                table.instances[j].reserved += hold
                            }
                            changed = true
                            let q = table.instances[i]
                            let ids = members.map(subjectID)
                            ties.append(Tie(scope: q.scope, rule: "R-Q8", subjects: ids, freeSlots: room,
                                            message: "\(q.label)\(q.grade)剩余 \(room) 个名额，\(ids.joined(separator: "、")) 排序依据相同（并列），不自动取舍，提请研究确定"))
                        }
                    }
                }
                for (k, s) in group.enumerated() {
                    if let o = stopped[s] { outcomes[s] = o; continue }
                    for i in perMember[k] { table.instances[i].used += 1 }
                    outcomes[s] = .granted
                }
            }
            start = end
        }
        return (outcomes, ties)
    }
}
