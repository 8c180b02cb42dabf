import Foundation

// R-S8: target-responsibility points; R-S9 / R-S4: clean-governance scorecards and their bands.

/// R-S8: one unit's points.
public struct UnitPoints: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var headcount: Int
    /// 共性工作指标 after deductions.
    public var common: Double
    /// 工作目标 after deductions.
    public var targets: Double
    /// 日常工作指标 accumulated (no cap), 工作创新 included.
    public var dailyTotal: Double
    /// `dailyTotal` / headcount.
    public var dailyPerHead: Double
    /// 工作创新 points: an item of 日常工作指标 (seed 004 text 4, 日常工作指标 5), so part of `dailyTotal`, shown apart.
    public var innovation: Double
    public var total: Double
    public var rank: Int
}

/// R-S9 / R-S4: one subject's scorecard result (months averaged).
public struct ScorecardResult: Sendable, Equatable {
    public var subject: String
    public var months: Int
    public var total: Double
    public var grade: String?
    public var rank: Int
}

enum TargetResponsibility {
    static func compute(dataset: Dataset, policy: Policy) -> [UnitPoints] {
        guard let rules = policy.targetResponsibility, !dataset.responsibilityUnits.isEmpty else { return [] }
        var items: [String: LedgerItem] = [:]
        for item in rules.items { items[item.kind] = item }
        var out: [UnitPoints] = []
        for u in dataset.responsibilityUnits {
            var common = rules.commonBase, targets = rules.targetBase, daily = 0.0, innovation = 0.0
            for e in u.ledger {
                guard let item = items[e.kind] else { continue }
                let points = (e.points ?? item.points) * e.count
                switch item.section {
                case .common: common += points
                case .target: targets += points
                case .daily: daily += points
                case .innovation: innovation += points; daily += points  // 日常工作指标 5: in the pool divided by headcount
                }
            }
            if rules.floorAtZero {
                common = max(0, common)
                targets = max(0, targets)
            }
            let perHead = u.headcount > 0 ? daily / Double(u.headcount) : 0
            let total = common + targets + perHead
            out.append(UnitPoints(id: u.id, name: u.name, headcount: u.headcount, common: common, targets: targets,
                                  dailyTotal: daily, dailyPerHead: perHead, innovation: innovation, total: total, rank: 0))
        }
        rank(&out, by: { rounded($0.total) })
        return out
    }

    /// Rounds to the output precision so that ranking agrees with what people see.
    static func rounded(_ v: Double) -> Double { (v * 100).rounded() / 100 }

    static func rank<T>(_ list: inout [T], by key: (T) -> Double) where T: RankedRow {
        let order = list.indices.sorted { a, b in
            let ka = key(list[a]), kb = key(list[b])
            return ka == kb ? a < b : ka > kb
        }
        for (pos, i) in order.enumerated() {
            if pos > 0, key(list[order[pos - 1]]) == key(list[i]) {
                list[i].rank = list[order[pos - 1]].rank
            } else {
                list[i].rank = pos + 1
            }
        }
    }
}

protocol RankedRow { var rank: Int { get set } }
extension UnitPoints: RankedRow {}
extension ScorecardResult: RankedRow {}

enum Scorecards {
    static func compute(dataset: Dataset, policy: Policy) -> [ScorecardResult] {
        guard let rules = policy.scorecard, !dataset.scorecards.isEmpty else { return [] }
        var order: [String] = []
        var sums: [String: (Double, Int)] = [:]
        for s in dataset.scorecards {
            if sums[s.subject] == nil { order.append(s.subject); sums[s.subject] = (0, 0) }
            sums[s.subject]!.0 += s.items.reduce(0, +)
            sums[s.subject]!.1 += 1
        }
        var out: [ScorecardResult] = order.map { subject in
            let (sum, months) = sums[subject]!
            let total = sum / Double(months)
            // R-S4: a fractional total falls into the band whose lower bound it reaches (94.5 → 良好).
            let grade = rules.bands.first { TargetResponsibility.rounded(total) >= $0.min }?.grade
            return ScorecardResult(subject: subject, months: months, total: total, grade: grade, rank: 0)
        }
        TargetResponsibility.rank(&out, by: { TargetResponsibility.rounded($0.total) })
        return out
    }
}
