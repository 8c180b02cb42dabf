import Foundation

// Composite scores (R-S2) and vote scores and shares (R-S3).

enum Scoring {
    /// R-S2: the given score, or the weighted mean of all composite parts (Σ part × weight / Σ weight: weights that
    /// sum to 100 give the weighted sum; equal weights give exactly the mean).
    static func composite(score: Double?, parts: [Double?]?, policy: Policy) -> Double? {
        if let score { return score }
        guard let parts, !parts.isEmpty else { return nil }
        guard let composite = policy.composite else {
            // No weights in the policy: the parts count equally.
            var sum = 0.0
            for p in parts { guard let v = p else { return nil }; sum += v }
            return sum / Double(parts.count)
        }
        guard parts.count == composite.parts.count else { return nil }
        var sum = 0.0, weights = 0.0
        for (i, p) in composite.parts.enumerated() {
            guard let v = parts[i] else { return nil }
            sum += v * p.weight
            weights += p.weight
        }
        return sum / weights
    }

    /// Total votes per option: `votes`, or the sum over voter categories.
    static func tally(votes: [Int]?, byCategory: [[Int]?]?, optionCount: Int) -> [Int]? {
        if let votes { return votes }
        guard let byCategory else { return nil }
        var total = [Int](repeating: 0, count: optionCount)
        var any = false
        for case let counts? in byCategory {
            any = true
            for i in 0..<optionCount { total[i] += counts[i] }
        }
        return any ? total : nil
    }

    /// R-S3: Σ(points × votes) / Σ votes; with voter categories, each category's score weighted by the policy
    /// (weights renormalised over the categories that voted). Nil when nobody voted.
    static func voteScore(votes: [Int]?, byCategory: [[Int]?]?, ballot: Ballot) -> Double? {
        if votes == nil, let byCategory, let categories = ballot.voterCategories {
            var weighted = 0.0, weights = 0.0
            for (ci, counts) in byCategory.enumerated() {
                guard let counts, let s = plainScore(counts, ballot) else { continue }
                weighted += s * categories[ci].weight
                weights += categories[ci].weight
            }
            return weights > 0 ? weighted / weights : nil
        }
        guard let votes else { return nil }
        return plainScore(votes, ballot)
    }

    static func plainScore(_ counts: [Int], _ ballot: Ballot) -> Double? {
        var total = 0, points = 0.0
        for (i, c) in counts.enumerated() {
            total += c
            points += Double(c) * ballot.options[i].points
        }
        return total > 0 ? points / Double(total) : nil
    }

    static func shares(_ counts: [Int]) -> [Double]? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        return counts.map { Double($0) / Double(total) }
    }

    /// Number of votes for a set of options.
    static func sum(_ counts: [Int], _ options: [Int]) -> Int {
        var s = 0
        for i in options { s += counts[i] }
        return s
    }
}
