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
    public internal(set) var label: String
    /// Counting word for the base: 个 (teams) or 人 (cadres).
    var noun: String = "人"

    /// Why the cap stopped a subject.
    var fullText: String { limit == 0 ? "无\(grade)名额" : "\(limit) 个名额已用完" }

    /// Set once the limit is known (see `QuotaTable.finalize`); shared by every subject the cap concerns. Without
    /// reasons (a run that needs few), each is made when asked for.
    var capText: String = ""
    var madeGranted: Reason?
    var madeBlocked: Reason?
    var grantedReason: Reason { madeGranted ?? granted() }
    var blockedReason: Reason { madeBlocked ?? blocked() }
    /// Made when asked for: a tie at a cap's boundary (R-Q8) concerns few of the caps.
    var tiedReason: Reason { tied() }

    mutating func makeReasons() { (madeGranted, madeBlocked) = (granted(), blocked()) }
    private func granted() -> Reason { Reason(rule: rule, message: "\(capText)，在名额之内，建议为\(grade)") }
    private func blocked() -> Reason { Reason(rule: rule, message: "\(capText)，\(fullText)，不能建议为\(grade)") }
    private func tied() -> Reason { Reason(rule: "R-Q8", message: "\(capText)，与排序依据相同者并列争最后名额，不自动取舍，提请研究确定") }

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
    /// Per instance while places are given (beside the instances, which are large): the limit, the places used, and
    /// the places held back for a tie at the boundary (R-Q8), which go to nobody below the tied subjects.
    /// `settle()` writes `used` back into the instances.
    var limit: [Int] = []
    var used: [Int] = []
    var reserved: [Int] = []

    func room(_ q: Int) -> Int { limit[q] - used[q] - reserved[q] }

    /// Computes limits (R-Q8) and the cap descriptions once the bases are counted; the reasons too `withReasons`.
    mutating func finalize(withReasons: Bool = true) {
        for i in instances.indices {
            instances[i].limit = Quota.limit(base: instances[i].base, percent: instances[i].percent, rounding: instances[i].rounding)
            instances[i].capText = instances[i].makeCapText()
            if withReasons { instances[i].makeReasons() }
        }
        limit = instances.map(\.limit)
        used = [Int](repeating: 0, count: instances.count)
        reserved = used
    }

    /// The instances with the places used.
    mutating func settle() {
        for i in instances.indices { instances[i].used = used[i] }
    }

    /// A place taken by people's decision (a `proposal` of the best grade): counted before the engine fills any.
    mutating func charge(_ subject: Int) {
        var buffer: [Int] = []
        instances(of: subject, into: &buffer)
        for q in buffer { used[q] += 1 }
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
        var groups = GroupScratch(instanceCount: table.instances.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && sameKey(order[start], order[end]) { end += 1 }
            if end - start == 1 {
                let s = order[start]
                table.instances(of: s, into: &buffer)
                if let full = buffer.first(where: { table.room($0) <= 0 }) {
                    outcomes[s] = .blocked(full)
                } else {
                    for i in buffer { table.used[i] += 1 }
                    outcomes[s] = .granted
                }
            } else {
                groups.allocate(order[start..<end], table: &table, outcomes: &outcomes, ties: &ties, subjectID: subjectID)
            }
            start = end
        }
        table.settle()
        return (outcomes, ties)
    }

    /// A group of equal keys: an instance whose room cannot take every member sharing it is a tie (R-Q8). Members
    /// stopped by one cap no longer compete for the others; the caps are gone through in the order the members meet
    /// them, again until nothing changes. Scratch arrays indexed by instance are kept between groups (a province's
    /// scores give hundreds of groups of hundreds of cadres).
    struct GroupScratch {
        /// Instance → its position in the group's instance list, or -1.
        var local: [Int32]
        /// Instance → count of tied members holding places in it (for the holds), reset after use.
        var holds: [Int32]
        init(instanceCount: Int) {
            local = [Int32](repeating: -1, count: instanceCount)
            holds = [Int32](repeating: 0, count: instanceCount)
        }

        mutating func allocate(_ group: ArraySlice<Int>, table: inout QuotaTable, outcomes: inout [Outcome?],
                               ties: inout [Tie], subjectID: (Int) -> String) {
            let members = Array(group)
            var buffer: [Int] = []
            // Each member's instances (flat), and the group's instances in order of first meeting.
            var memberStart = [Int](repeating: 0, count: members.count + 1)
            var memberInstances: [Int] = []
            var instanceOrder: [Int] = []
            for (k, s) in members.enumerated() {
                table.instances(of: s, into: &buffer)
                for i in buffer where local[i] < 0 {
                    local[i] = Int32(instanceOrder.count)
                    instanceOrder.append(i)
                }
                memberInstances.append(contentsOf: buffer)
                memberStart[k + 1] = memberInstances.count
            }
            // Each instance's members, in group order (flat, by counting).
            let n = instanceOrder.count
            var listStart = [Int](repeating: 0, count: n + 1)
            for i in memberInstances { listStart[Int(local[i]) + 1] += 1 }
            for l in 0..<n { listStart[l + 1] += listStart[l] }
            var fill = listStart
            var lists = [Int](repeating: 0, count: memberInstances.count)
            for k in members.indices {
                for p in memberStart[k]..<memberStart[k + 1] {
                    let l = Int(local[memberInstances[p]])
                    lists[fill[l]] = k
                    fill[l] += 1
                }
            }
            var active = (0..<n).map { listStart[$0 + 1] - listStart[$0] }
            var stopped = [Outcome?](repeating: nil, count: members.count)
            var tiedIn = [Bool](repeating: false, count: n)
            func stop(_ k: Int, _ o: Outcome) {
                stopped[k] = o
                for p in memberStart[k]..<memberStart[k + 1] { active[Int(local[memberInstances[p]])] -= 1 }
            }
            var changed = true
            while changed {
                changed = false
                for l in 0..<n where !tiedIn[l] && active[l] > 0 {
                    let i = instanceOrder[l]
                    let room = table.room(i)
                    if room <= 0 {
                        for p in listStart[l]..<listStart[l + 1] where stopped[lists[p]] == nil { stop(lists[p], .blocked(i)) }
                        changed = true
                    } else if room < active[l] {
                        let tied = (listStart[l]..<listStart[l + 1]).map { lists[$0] }.filter { stopped[$0] == nil }
                        for k in tied { stop(k, .tied(i)) }
                        tiedIn[l] = true
                        table.reserved[i] += room
                        // Keep the committee's choice possible: hold places for the tied subjects in their other
                        // caps too (at most the free places of this one).
                        var otherOrder: [Int] = []
                        for k in tied {
                            for p in memberStart[k]..<memberStart[k + 1] where memberInstances[p] != i {
                                let j = memberInstances[p]
                                if holds[j] == 0 { otherOrder.append(j) }
                                holds[j] += 1
                            }
                        }
                        for j in otherOrder {
                            let hold = min(room, Int(holds[j]), max(0, table.room(j)))
                            table.reserved[j] += hold
                            holds[j] = 0
                        }
                        changed = true
                        let q = table.instances[i]
                        let ids = tied.map { subjectID(members[$0]) }
                        ties.append(Tie(scope: q.scope, rule: "R-Q8", subjects: ids, freeSlots: room,
                                        message: "\(q.label)\(q.grade)剩余 \(room) 个名额，\(ids.joined(separator: "、")) 排序依据相同（并列），不自动取舍，提请研究确定"))
                    }
                }
            }
            for (k, s) in members.enumerated() {
                if let o = stopped[k] { outcomes[s] = o; continue }
                for p in memberStart[k]..<memberStart[k + 1] { table.used[memberInstances[p]] += 1 }
                outcomes[s] = .granted
            }
            for i in instanceOrder { local[i] = -1 }
        }
    }
}
