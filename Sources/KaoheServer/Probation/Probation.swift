import AssessmentCore
import Foundation
import SQLKit

/// R-P4 (seed 002 §二3 市管干部试用期满考核): the cadres a probation-end campaign assesses, listed by the organisation
/// department with their probation period (任职试用期, one year by the 选拔任用条例).
enum Probation {
    struct Entry: Decodable, Sendable {
        var cadre_id: UUID; var code: String; var name: String; var starts_on: String; var ends_on: String
    }

    /// Cadre id → the probation period, of the cadres listed in `campaign`.
    static func periods(campaign: UUID, on sql: any SQLDatabase) async throws -> [UUID: (starts: String, ends: String)] {
        struct Row: Decodable { var cadre_id: UUID; var starts_on: String; var ends_on: String }
        let rows = try await sql.raw("SELECT cadre_id, starts_on, ends_on FROM probation_subjects WHERE campaign_id = \(bind: campaign)")
            .all(decoding: Row.self)
        return Dictionary(rows.map { ($0.cadre_id, ($0.starts_on, $0.ends_on)) }) { a, _ in a }
    }

    /// The listed cadres, by end of probation then code.
    static func entries(campaign: UUID, on sql: any SQLDatabase) async throws -> [Entry] {
        try await sql.raw("""
            SELECT p.cadre_id, c.code, c.name, p.starts_on, p.ends_on FROM probation_subjects p JOIN cadres c ON c.id = p.cadre_id
            WHERE p.campaign_id = \(bind: campaign) ORDER BY p.ends_on, c.code
            """).all(decoding: Entry.self)
    }

    struct Candidate: Decodable, Sendable {
        var cadre_id: UUID; var code: String; var name: String; var unit: String; var title: String; var start_date: String
    }

    /// Main posts held on the cut-off date that began in the year before the campaign year, up to a year before the
    /// cut-off: a one-year probation on them ends within the campaign year. Not yet listed; at most `limit`.
    static func candidates(campaign: UUID, year: Int, cutoff: Day, limit: Int, on sql: any SQLDatabase) async throws -> [Candidate] {
        let from = Day(year: year - 1, month: 1, day: 1)!.description
        let until = oneYear(before: cutoff).description
        let day = cutoff.description
        return try await sql.raw("""
            SELECT p.cadre_id, c.code, c.name, u.name AS unit, p.title, p.start_date FROM posts p
            JOIN cadres c ON c.id = p.cadre_id JOIN units u ON u.id = p.unit_id
            WHERE p.main_duty = TRUE AND p.start_date >= \(bind: from) AND p.start_date <= \(bind: until)
              AND p.start_date <= \(bind: day) AND (p.end_date IS NULL OR p.end_date > \(bind: day))
              AND NOT EXISTS (SELECT 1 FROM probation_subjects s WHERE s.campaign_id = \(bind: campaign) AND s.cadre_id = p.cadre_id)
            ORDER BY p.start_date, c.code LIMIT \(unsafeRaw: String(limit))
            """).all(decoding: Candidate.self)
    }

    /// Lists a cadre with the period (a listed one gets the new period), inside the caller's audited transaction.
    /// Returns the period it replaced.
    @discardableResult
    static func list(campaign: UUID, cadre: UUID, starts: Day, ends: Day, on sql: any SQLDatabase) async throws -> (starts: String, ends: String)? {
        struct Row: Decodable { var starts_on: String; var ends_on: String }
        let before = try await sql.raw("SELECT starts_on, ends_on FROM probation_subjects WHERE campaign_id = \(bind: campaign) AND cadre_id = \(bind: cadre)")
            .first(decoding: Row.self)
        try await sql.raw("DELETE FROM probation_subjects WHERE campaign_id = \(bind: campaign) AND cadre_id = \(bind: cadre)").run()
        try await sql.insert(into: "probation_subjects").columns("id", "campaign_id", "cadre_id", "starts_on", "ends_on")
            .values(SQLBind(UUID()), SQLBind(campaign), SQLBind(cadre), SQLBind(starts.description), SQLBind(ends.description)).run()
        return before.map { ($0.starts_on, $0.ends_on) }
    }

    /// The same day a year later (29 February → 28 February): the end of a one-year probation.
    static func oneYear(after day: Day) -> Day {
        let (y, m, d) = day.components
        return Day(year: y + 1, month: m, day: d) ?? Day(year: y + 1, month: m, day: d - 1)!
    }

    static func oneYear(before day: Day) -> Day {
        let (y, m, d) = day.components
        return Day(year: y - 1, month: m, day: d) ?? Day(year: y - 1, month: m, day: d - 1)!
    }
}
