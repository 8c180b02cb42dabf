import AssessmentCore
import Foundation
import SQLKit

/// 整改 (seed 004 第一篇第十二条、第十六条; R-R1): after a check's written feedback the checked unit submits its
/// measures within one month; each measure has an owner, a due date, evidence and a state, and is followed up until
/// the organisation department closes the whole; the consequences the texts name are recorded beside it.
enum Rectifications {
    /// 第二篇四、第一篇第十七条、第十八条.
    static let consequenceKinds = ["取消评先评优资格", "取消年终奖励", "书面说明", "限期整改", "约谈", "责任追究"]

    /// R-R1: one month after the feedback was received — the same day of the next month, or that month's last day.
    static func submissionDue(feedbackOn: Day) -> Day {
        let (y, m, d) = feedbackOn.components
        let (ny, nm) = m == 12 ? (y + 1, 1) : (y, m + 1)
        var day = d
        while Day(year: ny, month: nm, day: day) == nil && day > 28 { day -= 1 }
        return Day(year: ny, month: nm, day: day)!
    }

    struct Row: Codable, Sendable {
        var id: UUID; var campaign_id: UUID; var unit_id: UUID; var unit_code: String; var unit_name: String
        var feedback_on: String; var feedback: String; var methods: String; var submitted_on: String?; var closed_on: String?
    }

    struct Measure: Codable, Sendable {
        var id: UUID; var rectification_id: UUID; var problem: String; var measure: String; var owner: String; var due_on: String
        var evidence: String?; var done_on: String?; var position: Int
        func isOverdue(today: Day) -> Bool { done_on == nil && (Day(due_on).map { today > $0 } ?? false) }
    }

    struct Consequence: Codable, Sendable { var id: UUID; var rectification_id: UUID; var kind: String; var note: String; var on_day: String }

    /// Where one unit's rectification stands.
    enum State: Equatable, Sendable {
        case awaitingMeasures(due: Day, overdue: Bool)
        case inProgress(open: Int, overdue: Int)
        case closed(on: String)

        var label: String {
            switch self {
            case .awaitingMeasures(let due, let overdue):
                overdue ? "逾期未报送整改措施（应于 \(due) 前报送，R-R1）" : "待报送整改措施（\(due) 前，R-R1）"
            case .inProgress(let open, let overdue): "整改中：未完成 \(open) 项" + (overdue > 0 ? "，其中 \(overdue) 项逾期" : "")
            case .closed(let on): "\(on) 整改完成，已销号"
            }
        }
        var isOverdue: Bool {
            switch self {
            case .awaitingMeasures(_, let overdue): overdue
            case .inProgress(_, let overdue): overdue > 0
            case .closed: false
            }
        }
    }

    static func state(_ r: Row, measures: [Measure], today: Day) -> State {
        if let closed = r.closed_on { return .closed(on: closed) }
        guard r.submitted_on != nil else {
            let due = submissionDue(feedbackOn: Day(r.feedback_on) ?? today)
            return .awaitingMeasures(due: due, overdue: today > due)
        }
        let open = measures.filter { $0.done_on == nil }
        return .inProgress(open: open.count, overdue: open.filter { $0.isOverdue(today: today) }.count)
    }

    static let rowColumns: SQLQueryString = """
        r.id, r.campaign_id, r.unit_id, u.code AS unit_code, u.name AS unit_name, r.feedback_on, r.feedback, r.methods, r.submitted_on,
        r.closed_on FROM rectifications r JOIN units u ON u.id = r.unit_id
        """

    /// The rectifications of a campaign (`units`: only these; nil: all), by unit code.
    static func rows(campaign: UUID, units: Set<UUID>?, on sql: any SQLDatabase) async throws -> [Row] {
        let filter: SQLQueryString = units.map { $0.isEmpty ? "AND 1 = 0" : "AND r.unit_id IN (\(binds: Array($0)))" } ?? ""
        return try await sql.raw("SELECT \(rowColumns) WHERE r.campaign_id = \(bind: campaign) \(filter) ORDER BY u.code").all(decoding: Row.self)
    }

    /// Every open rectification of `units` (nil: all), across campaigns: the reminders.
    static func open(units: Set<UUID>?, on sql: any SQLDatabase) async throws -> [(row: Row, title: String)] {
        struct R: Decodable {
            var id: UUID; var campaign_id: UUID; var unit_id: UUID; var unit_code: String; var unit_name: String
            var feedback_on: String; var feedback: String; var methods: String; var submitted_on: String?; var closed_on: String?; var title: String
        }
        let filter: SQLQueryString = units.map { $0.isEmpty ? "AND 1 = 0" : "AND r.unit_id IN (\(binds: Array($0)))" } ?? ""
        return try await sql.raw("""
            SELECT c.title, r.id, r.campaign_id, r.unit_id, u.code AS unit_code, u.name AS unit_name, r.feedback_on, r.feedback, r.methods,
                   r.submitted_on, r.closed_on
            FROM rectifications r JOIN units u ON u.id = r.unit_id JOIN campaigns c ON c.id = r.campaign_id
            WHERE r.closed_on IS NULL \(filter) ORDER BY r.feedback_on LIMIT 200
            """).all(decoding: R.self).map {
            (Row(id: $0.id, campaign_id: $0.campaign_id, unit_id: $0.unit_id, unit_code: $0.unit_code, unit_name: $0.unit_name,
                 feedback_on: $0.feedback_on, feedback: $0.feedback, methods: $0.methods, submitted_on: $0.submitted_on, closed_on: $0.closed_on),
             $0.title)
        }
    }

    static func measures(of ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [Measure]] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(grouping: try await sql.raw("""
            SELECT id, rectification_id, problem, measure, owner, due_on, evidence, done_on, position FROM rectification_measures
            WHERE rectification_id IN (\(binds: ids)) ORDER BY position
            """).all(decoding: Measure.self), by: \.rectification_id)
    }

    static func consequences(of ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [Consequence]] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(grouping: try await sql.raw("""
            SELECT id, rectification_id, kind, note, on_day FROM rectification_consequences WHERE rectification_id IN (\(binds: ids)) ORDER BY on_day, kind
            """).all(decoding: Consequence.self), by: \.rectification_id)
    }
}
