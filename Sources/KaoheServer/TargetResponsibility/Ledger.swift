import AssessmentCore
import Foundation
import SQLKit

/// 目标责任考核 (seed 004 第四篇, R-S8): each working body's ledger of events through the year — deductions from the
/// common indicators (40) and the targets (40, −5 per missed target), daily work points and innovation divided by the
/// headcount — totalled and ranked by the grading engine under the year's rule table (the preset's until edited).
enum Ledger {
    static let preset = Presets.targetResponsibility

    /// The year's rule table: stored when edited, else the preset's.
    static func rules(year: Int, on sql: any SQLDatabase) async throws -> TargetResponsibilityRules {
        struct R: Decodable { var rules_json: String }
        if let stored = try await sql.raw("SELECT rules_json FROM ledger_rules WHERE year = \(bind: year)").first(decoding: R.self),
           let rules = try? JSONDecoder().decode(TargetResponsibilityRules.self, from: Data(stored.rules_json.utf8)) {
            return rules
        }
        return preset.targetResponsibility!
    }

    static func save(_ rules: TargetResponsibilityRules, year: Int, on sql: any SQLDatabase) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(rules), as: UTF8.self)
        try await sql.raw("DELETE FROM ledger_rules WHERE year = \(bind: year)").run()
        try await sql.insert(into: "ledger_rules").columns("year", "rules_json").values(SQLBind(year), SQLBind(json)).run()
    }

    struct Entry: Codable, Sendable {
        var id: UUID; var unit_id: UUID; var kind: String; var count: Double; var points: Double?; var on_day: String
        var evidence: String; var withdrawn: String?
    }

    static func entries(year: Int, unit: UUID? = nil, on sql: any SQLDatabase) async throws -> [Entry] {
        let filter: SQLQueryString = unit.map { "AND unit_id = \(bind: $0)" } ?? ""
        return try await sql.raw("""
            SELECT id, unit_id, kind, count, points, on_day, evidence, withdrawn FROM ledger_entries WHERE year = \(bind: year) \(filter)
            ORDER BY on_day, kind
            """).all(decoding: Entry.self)
    }

    struct Body: Decodable, Sendable { var unit_id: UUID; var code: String; var name: String; var headcount: Int? }

    /// The working bodies of the year: those with a headcount or an entry.
    static func bodies(year: Int, on sql: any SQLDatabase) async throws -> [Body] {
        try await sql.raw("""
            SELECT u.id AS unit_id, u.code, u.name, h.headcount FROM units u
            LEFT JOIN ledger_headcounts h ON h.unit_id = u.id AND h.year = \(bind: year)
            WHERE h.headcount IS NOT NULL OR EXISTS (SELECT 1 FROM ledger_entries e WHERE e.unit_id = u.id AND e.year = \(bind: year))
            ORDER BY u.code
            """).all(decoding: Body.self)
    }

    /// The year's totals and ranking (R-S8), by the engine: withdrawn entries do not count; a body without a
    /// headcount has no daily points per head (its daily pool is shown, not divided).
    static func points(year: Int, on sql: any SQLDatabase) async throws -> (points: [UnitPoints], bodies: [Body], rules: TargetResponsibilityRules) {
        let rules = try await rules(year: year, on: sql)
        let bodies = try await bodies(year: year, on: sql)
        let entries = Dictionary(grouping: try await entries(year: year, on: sql).filter { $0.withdrawn == nil }, by: \.unit_id)
        var policy = preset
        policy.targetResponsibility = rules
        var dataset = Dataset(year: year, cutoff: Day(year: year, month: 12, day: 31)!)
        dataset.responsibilityUnits = bodies.map { b in
            ResponsibilityUnit(id: b.code, name: b.name, headcount: b.headcount ?? 0,
                               ledger: (entries[b.unit_id] ?? []).map { LedgerEntry(kind: $0.kind, count: $0.count, points: $0.points) })
        }
        return (GradingEngine.grade(policy: policy, dataset: dataset).targetResponsibility, bodies, rules)
    }

    static func sectionLabel(_ s: LedgerSection) -> String {
        switch s {
        case .common: "共性工作指标"
        case .target: "工作目标"
        case .daily: "日常工作指标"
        case .innovation: "工作创新"
        }
    }

    /// At the output precision (two decimals), as the engine ranks.
    static func hundredths(_ v: Double) -> Double { (v * 100).rounded() / 100 }

    /// A number as people write it: at most two decimals, no trailing zeros (100, 39.4, −0.25).
    static func number(_ v: Double) -> String {
        let h = hundredths(v)
        guard h.isFinite, abs(h) < 1e15 else { return String(v) }
        return h == h.rounded() ? String(Int(h)) : String(format: "%.2f", h).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}
