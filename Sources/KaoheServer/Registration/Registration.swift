import AssessmentCore
import Foundation
import SQLKit

/// 干部年度考核登记表 (seed 001 §三(一)): 由考核对象和单位政工人事部门共同填写 — the cadre writes the 个人总结; the
/// unit's personnel office writes 参加脱产培训情况 and 党委（党组）确定的考核等次意见, the unit's proposed grade, which
/// the grading board shows beside the engine's proposal. The basic facts are the registry's.
enum Registration {
    static let summaryLimit = 2000
    static let trainingLimit = 500
    static let noteLimit = 200

    struct Stored: Decodable, Sendable {
        var cadre_id: UUID; var summary: String; var summary_at: Double?; var training: String
        var unit_grade: String?; var unit_note: String; var unit_at: Double?
    }

    static func load(campaign: UUID, cadres: [UUID]? = nil, on sql: any SQLDatabase) async throws -> [UUID: Stored] {
        let filter: SQLQueryString = cadres.map { "AND cadre_id IN (\(binds: $0))" } ?? ""
        if cadres?.isEmpty == true { return [:] }
        let rows = try await sql.raw("""
            SELECT cadre_id, summary, summary_at, training, unit_grade, unit_note, unit_at FROM registration_forms
            WHERE campaign_id = \(bind: campaign) \(filter)
            """).all(decoding: Stored.self)
        return Dictionary(rows.map { ($0.cadre_id, $0) }) { a, _ in a }
    }

    /// Cadre code → the grade the unit proposed (党委（党组）确定的考核等次意见), for the grading board.
    static func unitGrades(campaign: UUID, on sql: any SQLDatabase) async throws -> [String: String] {
        struct Row: Decodable { var code: String; var unit_grade: String }
        let rows = try await sql.raw("""
            SELECT c.code, r.unit_grade FROM registration_forms r JOIN cadres c ON c.id = r.cadre_id
            WHERE r.campaign_id = \(bind: campaign) AND r.unit_grade IS NOT NULL
            """).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.code, $0.unit_grade) }) { a, _ in a }
    }

    /// What one save changes; nil fields stay as stored.
    struct Change: Sendable {
        var summary: String?
        var training: String?
        /// `.some(nil)`: the unit withdraws its opinion.
        var unitGrade: String??
        var unitNote: String?
        var isEmpty: Bool { summary == nil && training == nil && unitGrade == nil && unitNote == nil }
    }

    /// Applies `change` to the cadre's form inside the caller's audited transaction; returns the audit's before and
    /// after (the summary by its length and SHA-256: the form itself keeps the text).
    static func save(_ change: Change, campaign: UUID, cadre: UUID, at time: Double, on sql: any SQLDatabase)
        async throws -> (before: [String: String], after: [String: String]) {
        let stored = try await load(campaign: campaign, cadres: [cadre], on: sql)[cadre]
        if stored == nil {
            try await sql.insert(into: "registration_forms").columns("id", "campaign_id", "cadre_id", "summary", "training", "unit_note")
                .values(SQLBind(UUID()), SQLBind(campaign), SQLBind(cadre), SQLBind(""), SQLBind(""), SQLBind("")).run()
        }
        var before: [String: String] = [:], after: [String: String] = [:]
        func digest(_ s: String) -> String { "\(CharacterCount.count(s)) 字 · \(CampaignWorkflow.sha256(Data(s.utf8)))" }
        var update = sql.update("registration_forms").where("campaign_id", .equal, SQLBind(campaign)).where("cadre_id", .equal, SQLBind(cadre))
        if let summary = change.summary {
            before["summary"] = digest(stored?.summary ?? ""); after["summary"] = digest(summary)
            update = update.set("summary", to: SQLBind(summary)).set("summary_at", to: SQLBind(time))
        }
        if let training = change.training {
            before["training"] = stored?.training ?? ""; after["training"] = training
            update = update.set("training", to: SQLBind(training))
        }
        if let grade = change.unitGrade {
            before["unitGrade"] = stored?.unit_grade ?? "未提出"; after["unitGrade"] = grade ?? "未提出"
            update = update.set("unit_grade", to: SQLBind(grade))
        }
        if let note = change.unitNote {
            before["unitNote"] = stored?.unit_note ?? ""; after["unitNote"] = note
            update = update.set("unit_note", to: SQLBind(note))
        }
        // One assignment per column (PostgreSQL refuses two).
        if change.unitGrade != nil || change.unitNote != nil { update = update.set("unit_at", to: SQLBind(time)) }
        if !change.isEmpty { try await update.run() }
        return (before, after)
    }
}
