import AssessmentCore
import Foundation
import SQLKit

/// 等次评定: the organisation department decides a team's or a cadre's grade. A decision stands: the engine takes it as
/// people's `proposal` (D14), so the cadre caps and the principal limits follow a team's decided grade, places taken by
/// decisions count first, and a rule a decision breaks is reported as a violation naming it. One decision per subject
/// and campaign; every change is audited (the campaign's grading is made again at the next view).
enum GradeDecisions {
    enum Subject: String, Sendable { case team, cadre }

    struct Decision: Decodable, Sendable, Equatable {
        var subject: String
        var code: String
        var grade: String
        var reason: String
    }

    /// The campaign's decisions by subject kind and code.
    static func load(campaign: UUID, on sql: any SQLDatabase) async throws -> [Subject: [String: Decision]] {
        let rows = try await sql.raw("SELECT subject, code, grade, reason FROM grade_decisions WHERE campaign_id = \(bind: campaign)")
            .all(decoding: Decision.self)
        var out: [Subject: [String: Decision]] = [.team: [:], .cadre: [:]]
        for row in rows { if let s = Subject(rawValue: row.subject) { out[s]![row.code] = row } }
        return out
    }

    /// Sets (or, with `grade` nil, withdraws) a decision inside the caller's audited transaction; returns the one before.
    static func set(campaign: UUID, subject: Subject, code: String, grade: String?, reason: String,
                    on sql: any SQLDatabase) async throws -> Decision? {
        let before = try await sql.raw("""
            SELECT subject, code, grade, reason FROM grade_decisions
            WHERE campaign_id = \(bind: campaign) AND subject = \(bind: subject.rawValue) AND code = \(bind: code)
            """).first(decoding: Decision.self)
        try await sql.raw("""
            DELETE FROM grade_decisions WHERE campaign_id = \(bind: campaign) AND subject = \(bind: subject.rawValue) AND code = \(bind: code)
            """).run()
        if let grade {
            try await sql.insert(into: "grade_decisions").columns("id", "campaign_id", "subject", "code", "grade", "reason")
                .values(SQLBind(UUID()), SQLBind(campaign), SQLBind(subject.rawValue), SQLBind(code), SQLBind(grade), SQLBind(reason)).run()
        }
        return before
    }
}
