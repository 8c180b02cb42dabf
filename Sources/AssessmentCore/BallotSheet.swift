import Foundation

// The democratic-evaluation ballot (民主测评票) of one unit: the team and each cadre on it, rated overall and on each
// dimension of R-S1 with the policy's options; an optional comment. Answers are a flat map of item keys to option
// labels — the same keys in the phone form, the JSON API and the stored ballot:
//   "team", "team.1" … "team.5"           the team overall and its five dimensions
//   "c1", "c1.1" … "c1.5"                 the first cadre on the ballot overall and 德能勤绩廉; "c2" … the next
// (keys by position: a cadre's code may hold any character, so it is never part of a key)

public struct BallotSheet: Codable, Equatable, Sendable {
    /// R-S1.
    public static let teamDimensions = ["政治思想建设", "领导能力", "工作实绩", "党风廉政建设", "作风建设"]
    public static let cadreDimensions = ["德", "能", "勤", "绩", "廉"]

    public struct Subject: Codable, Equatable, Sendable {
        public var id: String
        public var name: String
        public var title: String
        public init(id: String, name: String, title: String) { self.id = id; self.name = name; self.title = title }
    }

    public var team: Subject?
    public var teamOptions: [String]
    public var cadres: [Subject]
    public var cadreOptions: [String]
    /// Seed 001 §二(一): at most this many cadres of one ballot may get the best option (nil: no limit).
    public var maxBest: Int?

    public init(policy: Policy, team: Subject?, cadres: [Subject]) {
        self.team = team
        self.teamOptions = policy.teamBallot.options.map(\.label)
        self.cadres = cadres
        self.cadreOptions = policy.cadreBallot.options.map(\.label)
        self.maxBest = policy.cadreBallot.maxBest(of: cadres.count)
    }

    /// One item to answer: its key, what it asks, and its options.
    public struct Item: Equatable, Sendable {
        public var key: String
        public var subject: String
        public var aspect: String
        public var options: [String]
        /// The cadre's position on the ballot (nil: the team).
        public var cadre: Int?
    }

    public static func teamKey(_ dimension: Int? = nil) -> String { dimension.map { "team.\($0 + 1)" } ?? "team" }
    public static func cadreKey(position: Int, _ dimension: Int? = nil) -> String { "c\(position + 1)" + (dimension.map { ".\($0 + 1)" } ?? "") }
    /// The key of cadre `id`'s overall item (or a dimension's) on this ballot; nil when the cadre is not on it.
    public func cadreKey(_ id: String, _ dimension: Int? = nil) -> String? {
        cadres.firstIndex { $0.id == id }.map { Self.cadreKey(position: $0, dimension) }
    }

    /// Every item of the ballot, in the order it is printed.
    public var items: [Item] {
        var result: [Item] = []
        if let team {
            result.append(Item(key: Self.teamKey(), subject: team.name, aspect: "总体评价", options: teamOptions, cadre: nil))
            for (d, name) in Self.teamDimensions.enumerated() {
                result.append(Item(key: Self.teamKey(d), subject: team.name, aspect: name, options: teamOptions, cadre: nil))
            }
        }
        for (i, c) in cadres.enumerated() {
            result.append(Item(key: Self.cadreKey(position: i), subject: c.name, aspect: "总体评价", options: cadreOptions, cadre: i))
            for (d, name) in Self.cadreDimensions.enumerated() {
                result.append(Item(key: Self.cadreKey(position: i, d), subject: c.name, aspect: name, options: cadreOptions, cadre: i))
            }
        }
        return result
    }

    /// Why a ballot cannot be counted, in the words the voter reads.
    public enum Problem: Equatable, Sendable, CustomStringConvertible {
        case missing(key: String, subject: String, aspect: String)
        case notAnOption(key: String, value: String)
        case unknownItem(key: String)
        case tooManyBest(best: String, allowed: Int, given: Int)
        case commentTooLong(limit: Int)

        public var description: String {
            switch self {
            case .missing(_, let subject, let aspect): "「\(subject)」的「\(aspect)」未选择"
            case .notAnOption(let key, let value): "「\(key)」的选项「\(value)」不在本测评票的选项中"
            case .unknownItem(let key): "本测评票没有「\(key)」这一项"
            case .tooManyBest(let best, let allowed, let given):
                "评为「\(best)」的干部最多 \(allowed) 人（本票干部人数的规定比例），现选了 \(given) 人"
            case .commentTooLong(let limit): "意见建议最多 \(limit) 字"
            }
        }

        public var key: String? {
            switch self {
            case .missing(let key, _, _), .notAnOption(let key, _), .unknownItem(let key): key
            case .tooManyBest, .commentTooLong: nil
            }
        }
    }

    public static let commentLimit = 2000

    /// Every problem of `answers` (empty: the ballot counts). Every item must be answered with one of its options;
    /// no other keys; the best cadre option at most `maxBest` times over the cadres' overall ratings.
    public func problems(_ answers: [String: String], comment: String = "") -> [Problem] {
        var problems: [Problem] = []
        let items = self.items
        let known = Set(items.map(\.key))
        for item in items {
            guard let value = answers[item.key], !value.isEmpty else {
                problems.append(.missing(key: item.key, subject: item.subject, aspect: item.aspect))
                continue
            }
            if !item.options.contains(value) { problems.append(.notAnOption(key: item.key, value: value)) }
        }
        for key in answers.keys.sorted() where !known.contains(key) { problems.append(.unknownItem(key: key)) }
        if let maxBest, let best = cadreOptions.first {
            let given = cadres.indices.filter { answers[Self.cadreKey(position: $0)] == best }.count
            if given > maxBest { problems.append(.tooManyBest(best: best, allowed: maxBest, given: given)) }
        }
        if comment.count > Self.commentLimit { problems.append(.commentTooLong(limit: Self.commentLimit)) }
        return problems
    }

    /// Counts per option of every item over `ballots` (answers maps): item key → counts in option order.
    public func tally(_ ballots: [[String: String]]) -> [String: [Int]] {
        var counts: [String: [Int]] = [:]
        for item in items { counts[item.key] = Array(repeating: 0, count: item.options.count) }
        let index = Dictionary(items.map { ($0.key, $0.options) }) { first, _ in first }
        for answers in ballots {
            for (key, value) in answers {
                if let options = index[key], let i = options.firstIndex(of: value) { counts[key]![i] += 1 }
            }
        }
        return counts
    }
}

/// A ballot submitted as JSON (docs/ballot-api.md): `{"code": "…", "answers": {"item": "option", …}, "comment": "…"}`.
/// Read by the pull reader straight from the request's bytes (Foundation's decoder took an eighth of the server's time
/// under load). Other members are skipped; a later member of the same name wins.
public struct BallotSubmission: Equatable, Sendable {
    public var code: String
    public var answers: [String: String]
    public var comment: String?

    /// Nil when the bytes are not such an object (no code, answers that are not strings, broken JSON).
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> BallotSubmission? {
        var code: String?
        var answers: [String: String]?
        var comment: String?
        var reader = JSONReader(bytes.bindMemory(to: UInt8.self))
        do {
            try reader.readObject { r, key in
                switch key {
                case "code": code = try r.readString()
                case "comment":
                    if try r.peekKind() == .null { try r.readNull(); comment = nil } else { comment = try r.readString() }
                case "answers":
                    var a: [String: String] = [:]
                    try r.readObject { r, item in a[item.string] = try r.readString() }
                    answers = a
                default: try r.skipValue()
                }
            }
            try reader.expectEnd()
        } catch {
            return nil
        }
        guard let code, let answers else { return nil }
        return BallotSubmission(code: code, answers: answers, comment: comment)
    }
}
