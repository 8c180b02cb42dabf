import AssessmentCore
import Foundation
import SQLKit

/// 日常考核 (seed 000): the checks made during the year besides the annual assessment — each of a kind (第五条, with its
/// lead and cooperating departments), ending in a special report whose 结论 evaluates the teams (好/较好/一般) and cadres
/// (优秀/良好/一般) it concerned (第六条) and suggests their handling (第八条); the report reaches the organisation
/// department within 15 days (第七条, R-A1), which files it into the team's and cadre's archives.
enum RegularChecks {
    struct SeedKind: Sendable { var code: String; var name: String; var lead: String; var cooperating: String }

    /// Seed 000 第五条, (一) to (八).
    static let seedKinds: [SeedKind] = [
        .init(code: "major-matters", name: "重大事项督查考核", lead: "党政办公室、督查和营商环境办公室", cooperating: "各部门、街道办事处（产业园）"),
        .init(code: "major-events", name: "重大事件考核", lead: "安全生产监督管理局、生态管理办公室、规划住房建设局、环境保护与城市建设局、综治信访局",
              cooperating: "党政办公室、党工委工作部、纪工委、财政金融局、街道办事处（产业园）"),
        .init(code: "democratic-centralism", name: "执行民主集中制情况考核", lead: "党工委工作部",
              cooperating: "党政办公室、督查和营商环境办公室、财政金融局、纪工委、综治信访局、街道办事处（产业园）"),
        .init(code: "democratic-life", name: "民主生活会情况考核", lead: "党工委工作部", cooperating: "纪工委、各部门、街道办事处（产业园）"),
        .init(code: "establishment", name: "机构编制管理考核", lead: "党工委工作部（编办）", cooperating: "各部门、街道办事处（产业园）"),
        .init(code: "economic-audit", name: "经济责任审计", lead: "财政金融局（审计）", cooperating: "各部门及街道办事处（产业园）"),
        .init(code: "petitions", name: "信访、举报问题查核", lead: "综治信访局", cooperating: "党工委工作部、纪工委"),
        .init(code: "transfer", name: "转任、调任考核", lead: "党工委工作部", cooperating: "各部门及街道办事处（产业园）"),
    ]

    /// Seed 000 第六条: the evaluation of a team, and of a cadre.
    static let teamScale = ["好", "较好", "一般"]
    static let cadreScale = ["优秀", "良好", "一般"]
    /// Seed 000 第八条: 谈话提醒、督促整改 for a team; 批评教育、函询、诫勉谈话 for a cadre; 组织调整 or 依纪依法查处 when needed.
    static let handlings = ["谈话提醒", "督促整改", "批评教育", "函询", "诫勉谈话", "组织调整", "依纪依法查处"]
    /// R-A1 (seed 000 第七条): the report reaches the organisation department within 15 days of the check's end.
    static let filingDays = 15

    static func due(endedOn: Day) -> Day { Day(daysSinceEpoch: endedOn.daysSinceEpoch + filingDays) }

    /// Where a check's report stands against R-A1.
    enum Filing: Equatable, Sendable {
        case filed(on: Day, late: Bool)
        case open(due: Day, overdue: Bool)

        init(endedOn: Day, filedOn: Day?, today: Day) {
            let due = RegularChecks.due(endedOn: endedOn)
            if let filedOn { self = .filed(on: filedOn, late: filedOn > due) } else { self = .open(due: due, overdue: today > due) }
        }

        var label: String {
            switch self {
            case .filed(let on, let late): "\(on) 已归档" + (late ? "（逾期，R-A1）" : "")
            case .open(let due, let overdue): overdue ? "逾期未归档（应于 \(due) 前报送，R-A1）" : "待归档（\(due) 前报送）"
            }
        }
        var isOverdue: Bool { if case .open(_, true) = self { true } else { false } }
        var isFiled: Bool { if case .filed = self { true } else { false } }
    }

    struct Kind: Codable, Sendable { var id: UUID; var code: String; var name: String; var lead: String; var cooperating: String }

    static func kinds(on sql: any SQLDatabase) async throws -> [Kind] {
        try await sql.raw("SELECT id, code, name, lead, cooperating FROM check_kinds ORDER BY seq").all(decoding: Kind.self)
    }

    struct Check: Codable, Sendable {
        var id: UUID; var kind_id: UUID; var kind_name: String; var title: String
        var lead_unit_id: UUID?; var lead_unit_name: String?
        var started_on: String; var ended_on: String; var place: String; var scope: String; var methods: String
        var assessors: String; var content: String; var conclusion: String; var written_on: String?; var filed_on: String?

        func filing(today: Day) -> Filing {
            Filing(endedOn: Day(ended_on) ?? today, filedOn: filed_on.flatMap(Day.init), today: today)
        }
    }

    static let checkColumns: SQLQueryString = """
        r.id, r.kind_id, k.name AS kind_name, r.title, r.lead_unit_id, u.name AS lead_unit_name, r.started_on, r.ended_on, r.place,
        r.scope, r.methods, r.assessors, r.content, r.conclusion, r.written_on, r.filed_on
        FROM regular_checks r JOIN check_kinds k ON k.id = r.kind_id LEFT JOIN units u ON u.id = r.lead_unit_id
        """

    static func check(_ id: UUID, on sql: any SQLDatabase) async throws -> Check? {
        try await sql.raw("SELECT \(checkColumns) WHERE r.id = \(bind: id)").first(decoding: Check.self)
    }

    struct Filter: Sendable {
        var year: Int?
        var kind: UUID?
        /// "open", "overdue", "filed" or empty.
        var status = ""
        /// A unit's administrator: the checks its unit leads.
        var leadUnits: Set<UUID>?
    }

    /// The checks of `filter`, newest first (at most `limit`), with the count of all that match.
    static func list(_ filter: Filter, today: Day, limit: Int, on sql: any SQLDatabase) async throws -> (checks: [Check], total: Int) {
        var parts: [SQLQueryString] = ["1 = 1"]
        if let year = filter.year {
            parts.append("r.ended_on >= \(bind: "\(year)-01-01") AND r.ended_on <= \(bind: "\(year)-12-31")")
        }
        if let kind = filter.kind { parts.append("r.kind_id = \(bind: kind)") }
        let overdueBefore = Day(daysSinceEpoch: today.daysSinceEpoch - filingDays).description
        switch filter.status {
        case "open": parts.append("r.filed_on IS NULL")
        case "overdue": parts.append("r.filed_on IS NULL AND r.ended_on < \(bind: overdueBefore)")
        case "filed": parts.append("r.filed_on IS NOT NULL")
        default: break
        }
        if let units = filter.leadUnits {
            parts.append(units.isEmpty ? "1 = 0" : "r.lead_unit_id IN (\(binds: Array(units)))")
        }
        let condition = parts.dropFirst().reduce(parts[0]) { "\($0) AND \($1)" }
        struct N: Decodable { var n: Int }
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM regular_checks r WHERE \(condition)").first(decoding: N.self)?.n ?? 0
        let checks = try await sql.raw("SELECT \(checkColumns) WHERE \(condition) ORDER BY r.ended_on DESC, r.title LIMIT \(unsafeRaw: String(limit))")
            .all(decoding: Check.self)
        return (checks, total)
    }

    /// The reports `units` owe (their checks not yet filed), oldest first: a unit's administrator's reminders.
    static func owed(by units: Set<UUID>, today: Day, on sql: any SQLDatabase) async throws -> [Check] {
        guard !units.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT \(checkColumns) WHERE r.filed_on IS NULL AND r.lead_unit_id IN (\(binds: Array(units))) ORDER BY r.ended_on, r.title LIMIT 50
            """).all(decoding: Check.self)
    }

    /// How many reports are past R-A1's 15 days and not filed (the organisation department's reminder).
    static func overdueCount(today: Day, on sql: any SQLDatabase) async throws -> Int {
        struct N: Decodable { var n: Int }
        let before = Day(daysSinceEpoch: today.daysSinceEpoch - filingDays).description
        return try await sql.raw("SELECT COUNT(*) AS n FROM regular_checks WHERE filed_on IS NULL AND ended_on < \(bind: before)")
            .first(decoding: N.self)?.n ?? 0
    }

    struct NewCheck: Sendable {
        var kindID: UUID; var title: String; var leadUnit: UUID?; var started: Day; var ended: Day
        var place = "", scope = "", methods = "", assessors = "", content = "", conclusion = ""
        var written: Day?
    }

    static func insert(_ c: NewCheck, id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "regular_checks")
            .columns("id", "kind_id", "title", "lead_unit_id", "started_on", "ended_on", "place", "scope", "methods", "assessors",
                     "content", "conclusion", "written_on")
            .values(SQLBind(id), SQLBind(c.kindID), SQLBind(c.title), SQLBind(c.leadUnit), SQLBind(c.started.description), SQLBind(c.ended.description),
                    SQLBind(c.place), SQLBind(c.scope), SQLBind(c.methods), SQLBind(c.assessors), SQLBind(c.content), SQLBind(c.conclusion),
                    SQLBind(c.written?.description)).run()
    }

    static func addSubject(check: UUID, subject: String, code: String, name: String, unitName: String, evaluation: String?, handling: String?,
                           followUp: String? = nil, followUpOn: Day? = nil, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "regular_check_subjects")
            .columns("id", "check_id", "subject", "code", "name", "unit_name", "evaluation", "handling", "follow_up", "follow_up_on")
            .values(SQLBind(UUID()), SQLBind(check), SQLBind(subject), SQLBind(code), SQLBind(name), SQLBind(unitName),
                    SQLBind(evaluation), SQLBind(handling), SQLBind(followUp), SQLBind(followUpOn?.description)).run()
    }

    struct Subject: Decodable, Sendable, Encodable {
        var id: UUID; var subject: String; var code: String; var name: String; var unit_name: String
        var evaluation: String?; var handling: String?; var follow_up: String?; var follow_up_on: String?
    }

    static func subjects(of check: UUID, on sql: any SQLDatabase) async throws -> [Subject] {
        try await sql.raw("""
            SELECT id, subject, code, name, unit_name, evaluation, handling, follow_up, follow_up_on FROM regular_check_subjects
            WHERE check_id = \(bind: check) ORDER BY subject DESC, unit_name, code
            """).all(decoding: Subject.self)
    }

    // MARK: Quarterly evaluations (seed 001 §二)

    static let periods = ["Q1", "Q2", "Q3", "Q4"]
    static func periodLabel(_ p: String) -> String { ["Q1": "第一季度", "Q2": "第二季度", "Q3": "第三季度", "Q4": "第四季度"][p] ?? p }
    /// Seed 001 §一(五)5: 全年领导评价无“优秀”等次的，年度考核不得评为“优秀”等次 — the source R-Q6 reads.
    static let leaderEvaluation = "领导评价"
    /// What a quarter's evaluation of a cadre is made of: the leaders' evaluation, and the quarter's overall
    /// evaluation (seed 001 §二(二) 第四季度评价, by the county's 日常考核办法, which the seeds do not give).
    static let sources = [leaderEvaluation, "季度综合评价"]

    /// The year's regular results of every cadre, by 干部编号, as the engine reads them (R-Q6): the quarterly
    /// evaluations with their source, and the cadre evaluations of the checks filed that year (source 日常考核).
    static func results(year: Int, on sql: any SQLDatabase) async throws -> [String: [RegularResult]] {
        struct Row: Decodable { var code: String; var grade: String; var source: String }
        let quarterly = try await sql.raw("""
            SELECT c.code, e.grade, e.source FROM regular_evaluations e JOIN cadres c ON c.id = e.cadre_id
            WHERE e.year = \(bind: year) ORDER BY c.code, e.period, e.source
            """).all(decoding: Row.self)
        let checks = try await sql.raw("""
            SELECT s.code, s.evaluation AS grade, 'regularCheck' AS source FROM regular_check_subjects s JOIN regular_checks r ON r.id = s.check_id
            WHERE s.subject = 'cadre' AND s.evaluation IS NOT NULL AND r.filed_on IS NOT NULL
              AND r.ended_on >= \(bind: "\(year)-01-01") AND r.ended_on <= \(bind: "\(year)-12-31")
            ORDER BY s.code, r.ended_on
            """).all(decoding: Row.self)
        var out: [String: [RegularResult]] = [:]
        for r in quarterly { out[r.code, default: []].append(RegularResult(grade: r.grade, source: r.source)) }
        for r in checks { out[r.code, default: []].append(RegularResult(grade: r.grade, source: "日常考核")) }
        return out
    }
}
