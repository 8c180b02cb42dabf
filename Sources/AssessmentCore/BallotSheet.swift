import Foundation

// The democratic-evaluation ballot (民主测评票) of one unit: the team and each cadre on it, rated overall and on each
// aspect the policy names (R-S1's by default) with the policy's options; an optional comment. Answers are a flat map of item keys to option
// labels — the same keys in the phone form, the JSON API and the stored ballot:
//   "team", "team.1" … "team.5"           the team overall and its aspects (R-S1's five by default)
//   "c1", "c1.1" … "c1.5"                 the first cadre on the ballot overall and its aspects (德能勤绩廉); "c2" …
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
    /// What the team is rated on beside the overall item (the policy's `teamBallot.aspects`; R-S1 by default).
    public var teamAspects: [String]
    public var cadres: [Subject]
    public var cadreOptions: [String]
    /// What each cadre is rated on beside the overall item (the policy's `cadreBallot.aspects`; 德能勤绩廉 by default).
    public var cadreAspects: [String]
    /// Seed 001 §二(一): at most this many cadres of one ballot may get the best option (nil: no limit).
    public var maxBest: Int?

    public init(policy: Policy, team: Subject?, cadres: [Subject]) {
        self.team = team
        self.teamOptions = policy.teamBallot.options.map(\.label)
        self.teamAspects = policy.teamBallot.aspects ?? Self.teamDimensions
        self.cadres = cadres
        self.cadreOptions = policy.cadreBallot.options.map(\.label)
        self.cadreAspects = policy.cadreBallot.aspects ?? Self.cadreDimensions
        self.maxBest = policy.cadreBallot.maxBest(of: cadres.count)
    }

    enum CodingKeys: String, CodingKey { case team, teamOptions, teamAspects, cadres, cadreOptions, cadreAspects, maxBest }

    /// Sheets stored before ballots had their aspects in the policy were rated on R-S1's: read them so.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        team = try c.decodeIfPresent(Subject.self, forKey: .team)
        teamOptions = try c.decode([String].self, forKey: .teamOptions)
        teamAspects = try c.decodeIfPresent([String].self, forKey: .teamAspects) ?? Self.teamDimensions
        cadres = try c.decode([Subject].self, forKey: .cadres)
        cadreOptions = try c.decode([String].self, forKey: .cadreOptions)
        cadreAspects = try c.decodeIfPresent([String].self, forKey: .cadreAspects) ?? Self.cadreDimensions
        maxBest = try c.decodeIfPresent(Int.self, forKey: .maxBest)
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
            for (d, name) in teamAspects.enumerated() {
                result.append(Item(key: Self.teamKey(d), subject: team.name, aspect: name, options: teamOptions, cadre: nil))
            }
        }
        for (i, c) in cadres.enumerated() {
            result.append(Item(key: Self.cadreKey(position: i), subject: c.name, aspect: "总体评价", options: cadreOptions, cadre: i))
            for (d, name) in cadreAspects.enumerated() {
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
        /// A control character other than a line break (a NUL cannot be stored).
        case commentUnreadable

        public var description: String {
            switch self {
            case .missing(_, let subject, let aspect): "「\(subject)」的「\(aspect)」未选择"
            case .notAnOption(let key, let value): "「\(key)」的选项「\(value)」不在本测评票的选项中"
            case .unknownItem(let key): "本测评票没有「\(key)」这一项"
            case .tooManyBest(let best, let allowed, let given):
                "评为「\(best)」的干部最多 \(allowed) 人（本票干部人数的规定比例），现选了 \(given) 人"
            case .commentTooLong(let limit): "意见建议最多 \(limit) 字"
            case .commentUnreadable: "意见建议中含有无法保存的控制字符，请删去后再提交"
            }
        }

        public var key: String? {
            switch self {
            case .missing(let key, _, _), .notAnOption(let key, _), .unknownItem(let key): key
            case .tooManyBest, .commentTooLong, .commentUnreadable: nil
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
        if comment.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !"\n\r\t".unicodeScalars.contains($0) }) {
            problems.append(.commentUnreadable)
        }
        return problems
    }

    /// Counts per option of every item over `ballots` (answers maps): item key → counts in option order.
    public func tally(_ ballots: [[String: String]]) -> [String: [Int]] {
        var counter = Counter(self)
        for answers in ballots { counter.add(answers) }
        return counter.counts
    }

    // MARK: Stored form

    /// Option positions as stored: "0"…"9", then "a"…"z".
    static let packDigits = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)

    /// A counted ballot as stored: one character per item, in the order of `items`, for the position of the option
    /// chosen (78 bytes for a team and 12 cadres, against 1.3 kB as JSON). Nil when the answers are not a complete
    /// ballot or an item has more than 36 options.
    public func packed(_ answers: [String: String]) -> String? {
        var out: [UInt8] = []
        for item in items {
            guard let value = answers[item.key], let i = item.options.firstIndex(of: value), i < Self.packDigits.count else { return nil }
            out.append(Self.packDigits[i])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The answers of a packed ballot; nil when it is not a ballot of this sheet.
    public func unpacked(_ packed: Substring) -> [String: String]? {
        let digits = Array(packed.utf8), items = self.items
        guard digits.count == items.count else { return nil }
        var answers: [String: String] = [:]
        for (item, d) in zip(items, digits) {
            guard let i = Self.packDigits.firstIndex(of: d), i < item.options.count else { return nil }
            answers[item.key] = item.options[i]
        }
        return answers
    }

    /// Counts ballots as answers maps or in their packed form.
    public struct Counter: Sendable {
        let items: [Item]
        let index: [String: Int]
        /// Item key → counts in option order.
        public private(set) var counts: [String: [Int]] = [:]

        public init(_ sheet: BallotSheet) {
            items = sheet.items
            index = Dictionary(items.enumerated().map { ($1.key, $0) }) { first, _ in first }
            for item in items { counts[item.key] = Array(repeating: 0, count: item.options.count) }
        }

        /// Unknown items and options are not counted.
        public mutating func add(_ answers: [String: String]) {
            for (key, value) in answers {
                if let k = index[key], let i = items[k].options.firstIndex(of: value) { counts[key]![i] += 1 }
            }
        }

        /// False (and nothing counted) when `packed` is not a ballot of this sheet.
        @discardableResult
        public mutating func add(packed: Substring) -> Bool {
            let digits = Array(packed.utf8)
            guard digits.count == items.count else { return false }
            var positions: [Int] = []
            positions.reserveCapacity(digits.count)
            for (k, d) in digits.enumerated() {
                guard let i = BallotSheet.packDigits.firstIndex(of: d), i < items[k].options.count else { return false }
                positions.append(i)
            }
            for (k, i) in positions.enumerated() { counts[items[k].key]![i] += 1 }
            return true
        }
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
