import AssessmentCore
import Fluent
import Foundation
import SQLKit

/// 量化考核 (R-S2; seed 003 §五(三)5 各考核责任单位按照分工提供量化考核得分): a campaign's indicators, each in a part of
/// the policy's composite (综合考评, 党建高质量考核, 高质量发展考核 in lushan-2022) or, when the policy has none, in the
/// whole score; each scored for every team by one scoring unit (考核责任单位), which sees only its own indicators.
///
/// A part's score is the team's points over the full points of the part's applicable indicators, as a percentage
/// (an indicator marked "not applicable" to a team leaves both out). It is given to the engine only when every
/// indicator of the part is scored or marked for that team; the engine combines the parts with the policy's weights.
enum Indicators {
    /// The part of a policy without composite parts: the team's whole score.
    static let wholeScore = "总分"

    struct Indicator: Codable, Sendable {
        var id: UUID
        var part: String
        var name: String
        var max_points: Double
        /// nil: scored by the organisation department itself.
        var scoring_unit_id: UUID?
        var position: Int
    }

    struct Score: Codable, Sendable {
        var indicator_id: UUID
        var unit_id: UUID
        var score: Double?
        var not_applicable: Bool
        var evidence: String
    }

    /// Who scores an indicator without a scoring unit.
    static let departmentScorer = "组织部（考核组评分）"

    static func parts(of policy: Policy) -> [String] { policy.composite?.parts.map(\.name) ?? [wholeScore] }

    static func load(campaign: UUID, on sql: any SQLDatabase) async throws -> [Indicator] {
        try await sql.raw("""
            SELECT id, part, name, max_points, scoring_unit_id, position FROM indicators WHERE campaign_id = \(bind: campaign) ORDER BY position, name
            """).all(decoding: Indicator.self)
    }

    static func scores(campaign: UUID, on sql: any SQLDatabase) async throws -> [Score] {
        try await sql.raw("""
            SELECT s.indicator_id, s.unit_id, s.score, s.not_applicable, s.evidence FROM indicator_scores s
            JOIN indicators i ON i.id = s.indicator_id WHERE i.campaign_id = \(bind: campaign)
            """).all(decoding: Score.self)
    }

    /// Each team's (unit's) part scores in the policy's part order; a part is nil until every one of its indicators is
    /// scored or marked for the team (or when it has no indicators). Units of `units` only.
    static func partScores(policy: Policy, indicators: [Indicator], scores: [Score], units: [UUID]) -> [UUID: [Double?]] {
        let byKey = Dictionary(scores.map { ("\($0.indicator_id) \($0.unit_id)", $0) }) { a, _ in a }
        let names = parts(of: policy)
        var result: [UUID: [Double?]] = [:]
        for unit in units {
            result[unit] = names.map { part in
                let mine = indicators.filter { $0.part == part }
                guard !mine.isEmpty else { return nil }
                var points = 0.0, full = 0.0
                for i in mine {
                    guard let s = byKey["\(i.id) \(unit)"] else { return nil }
                    if s.not_applicable { continue }
                    guard let v = s.score else { return nil }
                    points += v
                    full += i.max_points
                }
                return full > 0 ? points / full * 100 : nil
            }
        }
        return result
    }

    /// What keeps the teams' quantitative scores from being complete, as the 等次评定 guard names it: a score neither
    /// entered nor marked; once there are indicators, a part of the policy with none (its teams would have no composite);
    /// a team for which every indicator of a part is marked 不适用.
    static func gaps(policy: Policy, indicators: [Indicator], scores: [Score], units: [CampaignRoster.UnitPart]) -> [String] {
        guard !indicators.isEmpty else { return [] }
        var out: [String] = []
        let names = Dictionary(units.map { ($0.unitID, $0.name) }) { a, _ in a }
        for m in missing(indicators: indicators, scores: scores, units: units.map(\.unitID)) {
            let text = "\(names[m.unit] ?? "")「\(m.indicator.name)」"
            if !out.contains(text) { out.append(text) }
        }
        let notApplicable = Set(scores.filter(\.not_applicable).map { "\($0.indicator_id) \($0.unit_id)" })
        for part in parts(of: policy) {
            let mine = indicators.filter { $0.part == part }
            guard !mine.isEmpty else { out.append("组成部分「\(part)」没有指标"); continue }
            for u in units where mine.allSatisfy({ notApplicable.contains("\($0.id) \(u.unitID)") }) {
                out.append("\(u.name)「\(part)」的指标全部不适用")
            }
        }
        return out
    }

    /// (indicator, unit) pairs not yet scored nor marked, for `units`.
    static func missing(indicators: [Indicator], scores: [Score], units: [UUID]) -> [(indicator: Indicator, unit: UUID)] {
        let done = Set(scores.filter { $0.score != nil || $0.not_applicable }.map { "\($0.indicator_id) \($0.unit_id)" })
        var out: [(Indicator, UUID)] = []
        for i in indicators { for u in units where !done.contains("\(i.id) \(u)") { out.append((i, u)) } }
        return out
    }

    /// Adds an indicator inside the caller's audited transaction (a name already in the part is refused).
    static func add(part: String, name: String, max: Double, scorer: UUID?, scorerLabel: String, campaign: UUID,
                    db: any Database, audit: AuditRecorder) async throws {
        let sql = db as! any SQLDatabase
        try await CampaignWorkflow.require(.indicators, campaign: campaign, on: db)
        let existing = try await load(campaign: campaign, on: sql)
        guard !existing.contains(where: { $0.part == part && $0.name == name }) else {
            throw RequestFailure.invalid("「\(part)」中已有指标「\(name)」。")
        }
        guard existing.count < 500 else { throw RequestFailure.invalid("一次考核最多 500 项指标。") }
        try await sql.insert(into: "indicators").columns("id", "campaign_id", "part", "name", "max_points", "scoring_unit_id", "position")
            .values(SQLBind(UUID()), SQLBind(campaign), SQLBind(part), SQLBind(name), SQLBind(max), SQLBind(scorer),
                    SQLBind((existing.map(\.position).max() ?? 0) + 1)).run()
        audit.record(.init(action: .create, entity: .campaign, entityID: campaign.uuidString,
                           after: ["indicator": name, "part": part, "maxPoints": points(max), "scoringUnit": scorerLabel]))
    }

    /// One team's entry for an indicator: a score, or "not applicable", with the evidence note.
    struct Entry: Sendable {
        var unitID: UUID
        var unitCode: String
        var score: Double?
        var notApplicable: Bool
        var evidence: String
    }

    /// Reads a score typed by a person (or an .xlsx cell): a number from 0 to the full points with at most two
    /// decimals. The problem names the unit and the field.
    static func parseScore(_ text: String, max: Double, where place: String) -> Result<Double, ScoreProblem> {
        let t = text.trimmingCharacters(in: .whitespaces)
        // Decimal digits only: Double("0x10") is 16, Double("1e2") is 100.
        guard t.count <= 20, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }), let v = Double(t), v.isFinite else { return .failure(.init("\(place)「得分」「\(t.prefix(20))」不是数字。")) }
        guard v >= 0, v <= max else { return .failure(.init("\(place)「得分」\(t) 超出范围：应在 0 到 \(points(max)) 之间。")) }
        guard abs((v * 100).rounded() - v * 100) < 1e-6 else {
            return .failure(.init("\(place)「得分」\(t) 最多保留两位小数。"))
        }
        return .success(v)
    }

    /// Points as people write them: up to two decimals, no trailing zeros (95, 95.5, 95.25).
    static func points(_ v: Double) -> String {
        var t = String(format: "%.2f", v)
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t
    }

    struct ScoreProblem: Error, Sendable { var message: String; init(_ m: String) { message = m } }

    /// Saves entries of `indicator` inside the caller's audited transaction; each change (not an unchanged row) audited.
    /// Returns how many rows changed.
    @discardableResult
    static func save(_ entries: [Entry], indicator: Indicator, campaign: UUID, db: any Database, audit: AuditRecorder) async throws -> Int {
        let sql = db as! any SQLDatabase
        try await CampaignWorkflow.require(.scores, campaign: campaign, on: db)
        let existing = Dictionary(try await sql.raw("""
            SELECT indicator_id, unit_id, score, not_applicable, evidence FROM indicator_scores WHERE indicator_id = \(bind: indicator.id)
            """).all(decoding: Score.self).map { ($0.unit_id, $0) }) { a, _ in a }
        var changed = 0
        guard try await load(campaign: campaign, on: sql).contains(where: { $0.id == indicator.id }) else {
            throw RequestFailure.notFound(.indicator)  // deleted meanwhile
        }
        for var e in entries {
            let before = existing[e.unitID]
            // A blank note keeps the one stored (a sheet without the column, or a cell left empty).
            if e.evidence.isEmpty, let kept = before?.evidence { e.evidence = kept }
            if let before, before.score == e.score, before.not_applicable == e.notApplicable, before.evidence == e.evidence { continue }
            try await sql.raw("DELETE FROM indicator_scores WHERE indicator_id = \(bind: indicator.id) AND unit_id = \(bind: e.unitID)").run()
            try await sql.insert(into: "indicator_scores").columns("id", "indicator_id", "unit_id", "score", "not_applicable", "evidence")
                .values(SQLBind(UUID()), SQLBind(indicator.id), SQLBind(e.unitID), SQLBind(e.score), SQLBind(e.notApplicable), SQLBind(e.evidence)).run()
            func shown(_ s: Double?, _ na: Bool) -> String { na ? "不适用" : s.map(points) ?? "无" }
            audit.record(.init(action: .update, entity: .campaign, entityID: campaign.uuidString,
                               before: ["indicator": indicator.name, "unit": e.unitCode, "score": shown(before?.score, before?.not_applicable ?? false),
                                        "evidence": before?.evidence ?? ""],
                               after: ["indicator": indicator.name, "unit": e.unitCode, "score": shown(e.score, e.notApplicable), "evidence": e.evidence]))
            changed += 1
        }
        return changed
    }
}
