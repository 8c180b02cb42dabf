import Foundation

// The facts of a campaign (input of `kaohe grade`): teams, cadres, and optionally the target-responsibility
// ledger (R-S8) and scorecards (R-S9). Contract: docs/grading-contract.md; additions: docs/grading-input.md.

/// A calendar day (days since 1970-01-01), parsed from "YYYY-MM-DD".
public struct Day: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var daysSinceEpoch: Int
    public init(daysSinceEpoch: Int) { self.daysSinceEpoch = daysSinceEpoch }
    public static func < (a: Day, b: Day) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        daysSinceEpoch = era * 146097 + doe - 719468
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var description: String {
        let c = components
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year)-\(two(c.month))-\(two(c.day))"
    }
}

public struct Team: Sendable {
    public var id: String
    public var name: String?
    /// Unit category (乡镇街道, 县直单位, …): quotas are counted per category (R-Q1).
    public var category: String
    public var score: Double?
    /// Composite parts by the policy's part index (R-S2); nil entries were not given.
    public var parts: [Double?]?
    /// Vote counts by the policy's team ballot option index.
    public var votes: [Int]?
    /// Vote counts per voter category (policy order) when given by category (R-S3).
    public var votesByCategory: [[Int]?]?
    public var events: [String] = []
    public var proposal: String?
    public init(id: String, category: String) { self.id = id; self.category = category }
}

public struct Secondment: Sendable {
    /// central, province, city, county, …
    public var fromLevel: String?
    public var monthsInHost: Double?
    /// R-E3/R-E4: the cadre's original team, where a secondee with too few months in the host is assessed.
    public var fromTeam: String?
    public init(fromLevel: String? = nil, monthsInHost: Double? = nil, fromTeam: String? = nil) {
        self.fromLevel = fromLevel; self.monthsInHost = monthsInHost; self.fromTeam = fromTeam
    }
}

/// R-E2: a promotion or transfer; before the cut-off the cadre is assessed in the new post (the cadre's
/// `team`), after it in the original unit (`fromTeam`).
public struct Transfer: Sendable {
    public var on: Day
    public var fromTeam: String
}

public struct CadreFacts: Sendable {
    public var transfer: Transfer?
    public var leaveDays: Int = 0
    public var retiredOn: Day?
    public var underInvestigation = false
    public var secondment: Secondment?
    public var villageTeam = false
    /// R-T2: an interview revealed a serious lead (个别谈话中发现重要问题线索).
    public var interviewLead = false
    public init() {}
}

public struct Cadre: Sendable {
    public var id: String
    public var name: String?
    public var team: String
    /// Index of the team the cadre is assessed in (resolved while reading; R-E2 may move it).
    public var teamIndex: Int = -1
    /// R-E2: the team named in the input when the cadre is assessed in the original unit instead.
    public var postAfterCutoff: String?
    /// R-E3/R-E4: the host team named in the input when a secondee is assessed in the original team instead.
    public var hostTeam: String?
    public var principal = false
    /// R-E8: graded in the separate list (乡镇党政正职、县直部门负责人单列).
    public var separateList = false
    /// R-E10: assessment entrusted to this supervising department.
    public var entrustedBy: String?
    public var score: Double?
    public var parts: [Double?]?
    public var votes: [Int]?
    public var votesByCategory: [[Int]?]?
    public var regular: [RegularResult]?
    public var facts = CadreFacts()
    public var proposal: String?
    public init(id: String, team: String) { self.id = id; self.team = team }
}

/// R-S8: one event in a unit's points ledger.
public struct LedgerEntry: Sendable {
    public var kind: String
    public var count: Double
    /// Points per event; overrides the policy's points (used for innovation points decided by the meeting).
    public var points: Double?
    public init(kind: String, count: Double, points: Double? = nil) { self.kind = kind; self.count = count; self.points = points }
}

/// R-S8: a working unit (工作机构) with its headcount and ledger.
public struct ResponsibilityUnit: Sendable {
    public var id: String
    public var name: String?
    public var headcount: Int
    public var ledger: [LedgerEntry]
    public init(id: String, name: String? = nil, headcount: Int, ledger: [LedgerEntry]) {
        self.id = id; self.name = name; self.headcount = headcount; self.ledger = ledger
    }
}

/// R-S9: one scorecard (廉政建设考核表) of a subject, possibly one per month.
public struct Scorecard: Sendable {
    public var subject: String
    public var month: String?
    public var items: [Double]
    public init(subject: String, month: String? = nil, items: [Double]) { self.subject = subject; self.month = month; self.items = items }
}

public struct Dataset: Sendable {
    public var year: Int?
    public var cutoff: Day
    public var teams: [Team] = []
    public var cadres: [Cadre] = []
    public var responsibilityUnits: [ResponsibilityUnit] = []
    public var scorecards: [Scorecard] = []
    public init(year: Int?, cutoff: Day) { self.year = year; self.cutoff = cutoff }

    /// The first day of the assessment year (January 1 of the cut-off's year).
    public var yearStart: Day { Day(year: year ?? cutoff.components.year, month: 1, day: 1) ?? cutoff }
}

/// One regular (平时/季度) evaluation result of a cadre: its grade, and where it came from when the input says
/// (`{"grade": "优秀", "source": "领导评价"}`; a bare `"优秀"` has no source). R-Q6.
public struct RegularResult: Sendable, Equatable {
    public var grade: String
    public var source: String?
    public init(grade: String, source: String? = nil) { self.grade = grade; self.source = source }
}
