import AssessmentCore
import Foundation
import OfficeDocuments
import SQLKit

/// 考核档案 (issue 12): every approved result of every campaign (the grade, the subject's name and unit as approved),
/// the earlier years' results imported from .xlsx, the evaluations of the filed 日常考核 reports and the quarterly
/// evaluations, the rectifications after feedback (issue 13) and the special reports done, searchable by name or code,
/// unit, year and grade.
enum Archive {
    struct Entry: Decodable, Sendable, Encodable {
        var year: Int; var kind: String; var subject: String; var code: String; var name: String; var unit: String
        var grade: String?; var source: String
    }

    struct Query: Sendable {
        var text = ""; var unit = ""; var year: Int?; var grade = ""
        /// One subject's history (a cadre's or a team's page).
        var subject: (kind: String, code: String)?
        /// Leave out these kinds (the export leaves out what the system derives from its own records, so that it imports
        /// back; a unit's administrator does not see the department's own records).
        var excludedKinds: [String] = []
    }

    /// Kinds read from the system's own records (not approved grades, not imported years).
    static let derivedKinds = ["regular", "quarterly", "rectification", "specialReport"]
    /// Kinds only the organisation department reads on a timeline.
    static let departmentKinds = ["quarterly", "specialReport"]

    /// Both sources as one relation: approved grades (their campaign's year, kind and title) and imported results.
    static let union: SQLQueryString = """
        SELECT c.year AS year, c.kind AS kind, g.subject AS subject, g.code AS code, COALESCE(g.name, g.code) AS name,
               COALESCE(g.unit_name, '') AS unit, g.grade AS grade, c.title AS source
        FROM approved_grades g JOIN campaigns c ON c.id = g.campaign_id
        UNION ALL
        SELECT year, kind, subject, code, name, unit_name AS unit, grade, source FROM archive_results
        UNION ALL
        SELECT CAST(SUBSTR(r.ended_on, 1, 4) AS INTEGER) AS year, 'regular' AS kind, s.subject AS subject, s.code AS code, s.name AS name,
               s.unit_name AS unit, s.evaluation AS grade, k.name || '：' || r.title AS source
        FROM regular_check_subjects s JOIN regular_checks r ON r.id = s.check_id JOIN check_kinds k ON k.id = r.kind_id
        WHERE r.filed_on IS NOT NULL AND s.evaluation IS NOT NULL
        UNION ALL
        SELECT e.year AS year, 'quarterly' AS kind, 'cadre' AS subject, c.code AS code, c.name AS name, '' AS unit, e.grade AS grade,
               CASE e.period WHEN 'Q1' THEN '第一季度' WHEN 'Q2' THEN '第二季度' WHEN 'Q3' THEN '第三季度' WHEN 'Q4' THEN '第四季度' ELSE e.period END
               || ' ' || e.source AS source
        FROM regular_evaluations e JOIN cadres c ON c.id = e.cadre_id
        UNION ALL
        SELECT c.year AS year, 'rectification' AS kind, 'team' AS subject, u.code AS code, u.name AS name, u.name AS unit,
               CASE WHEN r.closed_on IS NOT NULL THEN '已整改' WHEN r.submitted_on IS NOT NULL THEN '整改中' ELSE '待报送整改措施' END AS grade,
               c.title AS source
        FROM rectifications r JOIN campaigns c ON c.id = r.campaign_id JOIN units u ON u.id = r.unit_id
        UNION ALL
        SELECT c.year AS year, 'specialReport' AS kind,
               CASE WHEN EXISTS (SELECT 1 FROM units x WHERE x.code = t.subject) THEN 'team' ELSE 'cadre' END AS subject, t.subject AS code,
               COALESCE((SELECT k.name FROM cadres k WHERE k.code = t.subject), (SELECT x.name FROM units x WHERE x.code = t.subject), t.subject) AS name,
               '' AS unit, '已完成' AS grade, c.title || ' · ' || t.rule || '：' || COALESCE(t.summary, '') AS source
        FROM report_tasks t JOIN campaigns c ON c.id = t.campaign_id WHERE t.done_on IS NOT NULL
        """

    static func filter(_ q: Query) -> SQLQueryString {
        var parts: [SQLQueryString] = ["1 = 1"]
        if !q.text.isEmpty { parts.append("(a.name LIKE \(bind: "%\(q.text)%") OR a.code = \(bind: q.text))") }
        if !q.unit.isEmpty { parts.append("a.unit LIKE \(bind: "%\(q.unit)%")") }
        if let year = q.year { parts.append("a.year = \(bind: year)") }
        if !q.grade.isEmpty { parts.append("a.grade = \(bind: q.grade)") }
        if let s = q.subject { parts.append("a.subject = \(bind: s.kind) AND a.code = \(bind: s.code)") }
        if !q.excludedKinds.isEmpty { parts.append("a.kind NOT IN (\(binds: q.excludedKinds))") }
        return parts.dropFirst().reduce(parts[0]) { "\($0) AND \($1)" }
    }

    static func search(_ q: Query, limit: Int, offset: Int, on sql: any SQLDatabase) async throws -> (entries: [Entry], total: Int) {
        struct N: Decodable { var n: Int }
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM (\(union)) a WHERE \(filter(q))").first(decoding: N.self)?.n ?? 0
        let entries = try await sql.raw("""
            SELECT a.year, a.kind, a.subject, a.code, a.name, a.unit, a.grade, a.source FROM (\(union)) a WHERE \(filter(q))
            ORDER BY a.year DESC, a.unit, a.subject DESC, a.name, a.code LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
            """).all(decoding: Entry.self)
        return (entries, total)
    }

    /// A cadre's or a team's history, newest first, each kind named (年度考核 …), for their page's timeline.
    static func timeline(subject: String, code: String, departmentWide: Bool = true, on sql: any SQLDatabase) async throws -> [Entry] {
        let query = Query(subject: (subject, code), excludedKinds: departmentWide ? [] : departmentKinds)
        var entries = try await search(query, limit: 100, offset: 0, on: sql).entries
        for i in entries.indices { entries[i].kind = kindLabel(entries[i].kind) }
        return entries
    }

    /// The label of a kind: a campaign's (年度考核 …) or an imported one as written.
    static func kindLabel(_ kind: String) -> String {
        switch kind {
        case "annual": "年度考核"
        case "probation": "试用期满考核"
        case "selectionReview": "一报告两评议"
        case "cleanGovernance": "党风廉政建设责任制检查考核"
        case "rectification": "整改"
        case "specialReport": "专题报告"
        case "regular": "日常考核"
        case "quarterly": "季度评价"
        default: kind
        }
    }

    // MARK: Import of earlier years

    static let columns = ["年度", "考核类型", "对象", "编号", "姓名或班子名称", "单位", "等次"]
    static let subjects = ["干部": "cadre", "班子": "team", "领导班子": "team"]

    struct Row: Sendable { var year: Int; var kind, subject, code, name, unit, grade: String }

    /// The rows of an import file, or every problem by row and column (nothing is written when there is one).
    static func read(_ data: Data) throws -> [Row] {
        guard let sheet = try XLSXReader.read(data).first else { throw ImportProblems(["文件中没有工作表。"]) }
        guard let header = sheet.rows.first?.map({ $0.description.trimmingCharacters(in: .whitespaces) }) else { throw ImportProblems(["工作表为空。"]) }
        var index: [String: Int] = [:]
        for (i, h) in header.enumerated() where columns.contains(h) { index[h] = i }
        let missing = columns.filter { index[$0] == nil && $0 != "单位" }
        guard missing.isEmpty else { throw ImportProblems(["第 1 行缺少列：\(missing.joined(separator: "、"))（应有：\(columns.joined(separator: "、"))）。"]) }
        var rows: [Row] = [], problems: [String] = []
        var seen: [String: Int] = [:]
        for (k, cells) in sheet.rows.dropFirst().enumerated() {
            let n = k + 2
            func cell(_ c: String) -> String { index[c].flatMap { $0 < cells.count ? cells[$0].description : nil }?.trimmingCharacters(in: .whitespaces) ?? "" }
            if columns.allSatisfy({ cell($0).isEmpty }) { continue }
            var rowProblems: [String] = []
            let yearText = cell("年度")
            let year = Int(yearText.hasSuffix(".0") ? String(yearText.dropLast(2)) : yearText)
            if year == nil || !(1990...2100).contains(year!) { rowProblems.append("第 \(n) 行「年度」应为 1990 到 2100 的年份（现为“\(yearText.prefix(20))”）") }
            let subject = subjects[cell("对象")]
            if subject == nil { rowProblems.append("第 \(n) 行「对象」应为 干部 或 班子") }
            for (c, limit) in [("考核类型", 30), ("编号", 64), ("姓名或班子名称", 100), ("单位", 100), ("等次", 20)] {
                let v = cell(c)
                if v.isEmpty && c != "单位" { rowProblems.append("第 \(n) 行「\(c)」不能为空") }
                if v.count > limit { rowProblems.append("第 \(n) 行「\(c)」最多 \(limit) 字") }
                if TextChecks.hasControl(v) { rowProblems.append("第 \(n) 行「\(c)」含有控制字符") }
            }
            if rowProblems.isEmpty, let year, let subject {
                let key = "\(year) \(cell("考核类型")) \(subject) \(cell("编号"))"
                if let first = seen[key] { rowProblems.append("第 \(n) 行与第 \(first) 行是同一年度、类型和对象") } else { seen[key] = n }
                rows.append(Row(year: year, kind: cell("考核类型"), subject: subject, code: cell("编号"), name: cell("姓名或班子名称"),
                                unit: cell("单位"), grade: cell("等次")))
            }
            problems += rowProblems
            if problems.count >= 200 { problems.append("……问题过多，只列出前 200 条。"); break }
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        guard !rows.isEmpty else { throw ImportProblems(["文件中没有数据行。"]) }
        return rows
    }

    struct ImportProblems: Error { var problems: [String]; init(_ p: [String]) { problems = p } }

    /// Writes the rows inside the caller's transaction: a result already archived for the same year, kind and subject
    /// is replaced by the file's. Returns how many were new and how many replaced.
    static func write(_ rows: [Row], source: String, on sql: any SQLDatabase) async throws -> (added: Int, replaced: Int) {
        var added = 0, replaced = 0
        for r in rows {
            let gone = try await sql.raw("""
                DELETE FROM archive_results WHERE year = \(bind: r.year) AND kind = \(bind: r.kind) AND subject = \(bind: r.subject) AND code = \(bind: r.code)
                RETURNING id
                """).all()
            if gone.isEmpty { added += 1 } else { replaced += 1 }
            try await sql.insert(into: "archive_results").columns("id", "year", "kind", "subject", "code", "name", "unit_name", "grade", "source")
                .values(SQLBind(UUID()), SQLBind(r.year), SQLBind(r.kind), SQLBind(r.subject), SQLBind(r.code), SQLBind(r.name),
                        SQLBind(r.unit), SQLBind(r.grade), SQLBind(source)).run()
        }
        return (added, replaced)
    }

    static func workbook(_ entries: [Entry], title: String) -> XLSXWorkbook {
        var book = XLSXWorkbook()
        book.title = title
        book.addSheet(name: "考核档案", rows: [columns.map { .text($0) } + ["来源"]] + entries.map { e in
            [.number(Double(e.year)), .text(kindLabel(e.kind)), .text(e.subject == "team" ? "班子" : "干部"), .text(e.code), .text(e.name),
             .text(e.unit), .text(e.grade ?? "—"), .text(e.source)]
        })
        return book
    }
}
