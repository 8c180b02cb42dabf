import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 季度评价 (seed 001 §二): the organisation department enters each cadre's quarterly evaluations on the regular scale —
/// the 领导评价 and the quarter's overall evaluation —, a unit at a time. The annual campaign of the year reads them (R-Q6: 全年领导评价无“优秀”等次的，年度考核不得评为“优秀”)
/// with nothing typed again; the page shows beside them the annual vote score, which is the second half-year's
/// evaluation score (seed 001 §二(一)). A blank keeps the stored grade; 清空 removes it. Every change is audited.
struct RegularEvaluationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let department = routes.grouped(RequireRole(.admin, .organisationDepartment))
        department.get(.regularEvaluations, use: Self.show)
        department.post(.regularEvaluations, use: Self.save)
    }

    static let clear = "清空"

    struct Member: Decodable { var id: UUID; var code: String; var name: String; var title: String }

    /// The cadres holding a main post in `unit` today, in the official order.
    static func members(_ unit: UUID, today: Day, on sql: any SQLDatabase) async throws -> [Member] {
        let day = today.description
        return try await sql.raw("""
            SELECT c.id, c.code, c.name, p.title FROM posts p JOIN cadres c ON c.id = p.cadre_id
            WHERE p.unit_id = \(bind: unit) AND p.main_duty = TRUE AND p.start_date <= \(bind: day) AND (p.end_date IS NULL OR p.end_date > \(bind: day))
            ORDER BY p.sort_key, p.start_date, c.code
            """).all(decoding: Member.self)
    }

    struct Stored: Decodable { var cadre_id: UUID; var period: String; var grade: String }

    static func stored(_ cadres: [UUID], year: Int, source: String, on sql: any SQLDatabase) async throws -> [UUID: [String: String]] {
        guard !cadres.isEmpty else { return [:] }
        var out: [UUID: [String: String]] = [:]
        for row in try await sql.raw("""
            SELECT cadre_id, period, grade FROM regular_evaluations
            WHERE year = \(bind: year) AND source = \(bind: source) AND cadre_id IN (\(binds: cadres))
            """).all(decoding: Stored.self) { out[row.cadre_id, default: [:]][row.period] = row.grade }
        return out
    }

    struct Cell: Encodable { var name: String; var options: [SelectOption] }
    struct Row: Encodable { var code: String; var name: String; var title: String; var cells: [Cell]; var excellent: Bool; var voteScore: String }
    struct Page: Encodable {
        var page: PageContext
        var units: UnitChoice; var years: [SelectOption]; var sources: [SelectOption]; var source: String; var unitName: String?; var year: Int
        var periods: [String]; var rows: [Row]; var action: String; var unitID: String; var back: String
        var campaign: String?
    }

    /// The kind of evaluation shown or saved (领导评价 unless another of `RegularChecks.sources` is asked for).
    static func source(_ req: Request) -> String {
        let asked = req.query[String.self, at: "source"] ?? (try? req.content.get(String.self, at: "source"))
        return asked.flatMap { RegularChecks.sources.contains($0) ? $0 : nil } ?? RegularChecks.leaderEvaluation
    }

    static func year(_ req: Request) -> Int {
        let thisYear = req.clock.today.components.year
        return req.query[Int.self, at: "year"].flatMap { (thisYear - 10...thisYear).contains($0) ? $0 : nil } ?? thisYear
    }

    @Sendable static func show(req: Request) async throws -> View {
        let year = year(req)
        let source = source(req)
        let thisYear = req.clock.today.components.year
        let unit = try await FormField.unit(req.query[String.self, at: "unit"], on: req)
        let unitID = unit?.id
        var rows: [Row] = []
        var campaignTitle: String?
        if let unit, let id = unit.id {
            let members = try await members(id, today: req.clock.today, on: req.sql)
            let grades = try await stored(members.map(\.id), year: year, source: source, on: req.sql)
            // The annual campaign of the year: its vote scores are the second half-year's (seed 001 §二(一)).
            var scores: [String: Double] = [:]
            if let campaign = try await Campaign.query(on: req.db).filter(\.$year == year).filter(\.$kind == Campaign.Kind.annual.rawValue).first() {
                campaignTitle = campaign.title
                let grading = try await CampaignGrading.current(campaign, on: req)
                for (i, c) in grading.dataset.cadres.enumerated() { if let s = grading.result.cadres[i].voteScore { scores[c.id] = s } }
            }
            rows = members.map { m in
                let mine = grades[m.id] ?? [:]
                return Row(code: m.code, name: m.name, title: m.title,
                           cells: RegularChecks.periods.map { p in
                               Cell(name: "g.\(m.id.uuidString).\(p)",
                                    options: [.none(mine[p] == nil ? "（未评）" : "（不变）", selected: true)]
                                        + RegularChecks.cadreScale.map { SelectOption(value: $0, label: $0 + (mine[p] == $0 ? " ✓" : "")) }
                                        + (mine[p] == nil ? [] : [SelectOption(value: clear, label: clear)]))
                           },
                           excellent: mine.values.contains("优秀"),
                           voteScore: scores[m.code].map { String(format: "%.2f", $0) } ?? "—")
            }
        }
        return try await req.view.render("regular/evaluations", Page(
            page: PageContext(req, title: "季度评价（\(source)）"),
            units: try await UnitQueries.choice(scopeUnits: nil, selected: unitID, none: "（选择单位）", on: req.sql),
            years: (thisYear - 4...thisYear).reversed().map { SelectOption(value: "\($0)", label: "\($0) 年", selected: $0 == year) },
            sources: RegularChecks.sources.map { SelectOption(value: $0, label: $0, selected: $0 == source) }, source: source,
            unitName: unit?.name, year: year, periods: RegularChecks.periods.map(RegularChecks.periodLabel), rows: rows,
            action: SiteRoute.regularEvaluations.path, unitID: unit?.id?.uuidString ?? "", back: SiteRoute.regularChecks.path,
            campaign: campaignTitle))
    }

    /// Saves the grid of one unit and year: each field `g.<cadre>.<period>` a grade, blank (kept) or 清空.
    @Sendable static func save(req: Request) async throws -> Response {
        let year = (try? req.content.get(Int.self, at: "year")) ?? -1
        let source = source(req)
        let thisYear = req.clock.today.components.year
        guard (thisYear - 10...thisYear).contains(year) else { throw RequestFailure.invalid("「年度」应为 \(thisYear - 10)—\(thisYear) 年。") }
        guard let unitID = (try? req.content.get(String.self, at: "unit")).flatMap(UUID.init(uuidString:)),
              try await Unit.find(unitID, on: req.db) != nil else { throw RequestFailure.invalid("「单位」不存在。") }
        let members = try await members(unitID, today: req.clock.today, on: req.sql)
        let stored = try await stored(members.map(\.id), year: year, source: source, on: req.sql)
        var problems: [String] = []
        var changes: [(member: Member, period: String, grade: String?)] = []
        for m in members {
            for p in RegularChecks.periods {
                guard let value = (try? req.content.get(String.self, at: "g.\(m.id.uuidString).\(p)"))?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { continue }
                if value == clear {
                    if stored[m.id]?[p] != nil { changes.append((m, p, nil)) }
                } else if RegularChecks.cadreScale.contains(value) {
                    if stored[m.id]?[p] != value { changes.append((m, p, value)) }
                } else {
                    problems.append("\(m.name)（\(m.code)）\(RegularChecks.periodLabel(p))：「\(value.prefix(20))」不是 \(RegularChecks.cadreScale.joined(separator: "、")) 之一。")
                }
            }
        }
        guard problems.isEmpty else { throw RequestFailure.invalid(problems) }
        if !changes.isEmpty {
            try await req.audited { [changes] tx, audit in
                let sql = tx as! any SQLDatabase
                for c in changes {
                    try await sql.raw("""
                        DELETE FROM regular_evaluations WHERE cadre_id = \(bind: c.member.id) AND year = \(bind: year) AND period = \(bind: c.period)
                          AND source = \(bind: source)
                        """).run()
                    if let grade = c.grade {
                        try await sql.insert(into: "regular_evaluations").columns("id", "cadre_id", "year", "period", "source", "grade")
                            .values(SQLBind(UUID()), SQLBind(c.member.id), SQLBind(year), SQLBind(c.period), SQLBind(source), SQLBind(grade)).run()
                    }
                    audit.record(.init(action: .update, entity: .regularEvaluation, entityID: c.member.id.uuidString,
                                       before: stored[c.member.id]?[c.period].map { ["\(year) \(c.period) \(source)": $0] },
                                       after: ["\(year) \(c.period) \(source)": c.grade ?? "（清空）", "cadre": c.member.code]))
                }
            }
        }
        return req.redirect(to: SiteRoute.regularEvaluations.path
            + listQueryString([("unit", unitID.uuidString), ("year", "\(year)"), ("source", source), ("notice", Notice.saved.rawValue)]))
    }
}
