import AssessmentCore
import Foundation
import SQLKit
import Vapor

/// 操作日志: entries newest first, filtered by entity, actor, action and date; paged.
enum AuditController {
    struct Row: Decodable {
        var seq: Int64; var at: String; var actor_name: String; var action: String; var entity: String
        var entity_id: String; var before: String?; var after: String?; var reason: String?
    }
    /// One line of the page as a clerk reads it.
    struct Line: Encodable {
        var seq: Int64; var at: String; var actor: String; var action: String; var entity: String
        var subject: String; var changes: [AuditPresentation.Change]; var reason: String?
    }
    static let actionLabels: [String: String] = [
        "create": "新增", "update": "修改", "delete": "删除", "disable": "停用", "passwordChange": "修改密码",
        "importRoster": "导入花名册", "login": "登录", "logout": "退出", "loginFailed": "登录失败", "lockout": "暂停登录",
    ]
    struct IndexPage: Encodable {
        var page: PageContext
        var rows: [Line]
        var entity: String; var actor: String; var from: String; var to: String; var person: String; var unit: String
        var filterNote: String?
        var pageNumber: Int; var previous: String?; var next: String?
        var chain: String?
        var verifyLink: String
        var entities: [SelectOption]
    }

    static let pageSize = 100

    @Sendable static func index(req: Request) async throws -> View {
        func param(_ name: String) -> String { (req.query[String.self, at: name] ?? "").trimmingCharacters(in: .whitespaces) }
        let entity = param("entity"), actor = param("actor"), from = param("from"), to = param("to")
        let person = param("person"), unitQuery = param("unit")
        var pageNumber = req.pageNumber
        let sql = req.sql
        let clock = req.clock
        // Person and unit: the entries of their records (cadre, posts, yearly facts; unit, team, posts held in it).
        var scoped: [(AuditEntity, [String])]? = nil
        var filterNote: String?
        if !person.isEmpty {
            scoped = try await AuditPresentation.personFilter(person, on: sql)
            if scoped!.isEmpty { filterNote = "没有干部编号或姓名为「\(person)」的干部。" }
        }
        if !unitQuery.isEmpty {
            struct ID: Decodable { var id: UUID }
            if let unit = try await sql.select().column("id").from("units")
                .where { $0.where("code", .equal, SQLBind(unitQuery)).orWhere("name", .equal, SQLBind(unitQuery)) }.first(decoding: ID.self) {
                let unitScope = try await AuditPresentation.unitFilter(unit.id, on: sql)
                scoped = scoped.map { p in p.map { e, ids in (e, ids.filter { id in unitScope.contains { $0.0 == e && $0.1.contains(id) } }) } } ?? unitScope
            } else {
                scoped = []
                filterNote = "没有单位编码或名称为「\(unitQuery)」的单位。"
            }
        }
        // Dates are the organisation's days; entries are stamped in UTC.
        func utcBound(_ day: String, plusDays: Int) -> String? {
            guard let d = Day(day) else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = clock.timeZone
            guard let start = calendar.date(from: DateComponents(year: d.components.year, month: d.components.month, day: d.components.day)),
                  let bound = calendar.date(byAdding: .day, value: plusDays, to: start) else { return nil }
            return AuditChain.timestamp(bound)
        }
        func filtered(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            if !entity.isEmpty { query.where("entity", .equal, SQLBind(entity)) }
            if !actor.isEmpty { query.where("actor_name", .like, SQLBind("%\(actor)%")) }
            if let b = utcBound(from, plusDays: 0) { query.where("at", .greaterThanOrEqual, SQLBind(b)) }
            if let b = utcBound(to, plusDays: 1) { query.where("at", .lessThan, SQLBind(b)) }
            if let scoped {
                let groups = scoped.filter { !$0.1.isEmpty }
                if groups.isEmpty {
                    query.where(SQLRaw("1 = 0"))
                } else {
                    query.where { g in
                        for (e, ids) in groups {
                            g.orWhere { $0.where("entity", .equal, SQLBind(e.rawValue)).where("entity_id", .in, SQLBind.group(ids)) }
                        }
                        return g
                    }
                }
            }
            return query
        }
        let unfiltered = [entity, actor, from, to].allSatisfy(\.isEmpty) && scoped == nil
        // Pages are found by sequence number, never by stepping over entries: the next and previous links carry the
        // last or first entry shown (`before`, `after`); a page by number alone is counted back from the head (the
        // sequence has no gaps — `audit verify` would report one), or, filtered, stepped over.
        let before = req.query[Int64.self, at: "before"], after = req.query[Int64.self, at: "after"]
        func page(_ n: Int, before: Int64? = nil, after: Int64? = nil) async throws -> (rows: [Row], hasNext: Bool) {
            let query = filtered(sql.select()
                .columns("seq", "at", "actor_name", "action", "entity", "entity_id", "before", "after", "reason")
                .from("audit_entries"))
            if let after {
                let rows = try await query.where("seq", .greaterThan, SQLBind(after)).orderBy("seq", .ascending).limit(pageSize)
                    .all(decoding: Row.self)
                return (rows.reversed(), true)  // read backwards from the page after this one
            }
            if let before {
                query.where("seq", .lessThan, SQLBind(before))
            } else if unfiltered, n > 1 {
                let head = try await AuditChain.head(on: sql)?.seq ?? 0
                query.where("seq", .lessThanOrEqual, SQLBind(head - Int64(n - 1) * Int64(pageSize)))
            } else if n > 1 {
                // Filtered, by number: the page's entries are found by sequence number alone (an index-only walk on
                // PostgreSQL), then read — not read and thrown away for every entry skipped.
                let skipped = filtered(sql.select().column("seq").from("audit_entries"))
                    .orderBy("seq", .descending).limit(pageSize + 1).offset((n - 1) * pageSize)
                query.where(SQLColumn("seq"), .in, SQLGroupExpression(skipped.query))
            }
            let rows = try await query.orderBy("seq", .descending).limit(pageSize + 1).all(decoding: Row.self)
            return (Array(rows.prefix(pageSize)), rows.count > pageSize)
        }
        var (shown, hasNext) = try await page(pageNumber, before: before, after: after)
        if shown.isEmpty && pageNumber > 1 {
            // Past the end: the last page (counted only here; the usual page needs no count).
            struct Count: Decodable { var n: Int }
            let total = unfiltered ? Int(try await AuditChain.head(on: sql)?.seq ?? 0)
                : try await filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_entries"))
                    .first(decoding: Count.self)?.n ?? 0
            pageNumber = max(1, (total + pageSize - 1) / pageSize)
            (shown, hasNext) = try await page(pageNumber)
        }
        func link(_ p: Int, before: Int64? = nil, after: Int64? = nil) -> String {
            SiteRoute.audit.path + listQueryString([
                ("page", String(p)), ("before", before.map(String.init) ?? ""), ("after", after.map(String.init) ?? ""),
                ("entity", entity), ("actor", actor), ("from", from), ("to", to), ("person", person), ("unit", unitQuery),
            ])
        }
        // Walking the whole chain costs time proportional to its length: only on request.
        var chain: String?
        if req.query[String.self, at: "verify"] == "1" {
            switch try await AuditChain.verify(on: sql, seal: req.application.auditSeal) {
            case .intact(let count):
                let head = try await AuditChain.head(on: sql)
                chain = "哈希链完整（共 \(count) 条）；链头 \(head?.anchor ?? "")"
            case .broken(let seq, let problem): chain = "哈希链已损坏：第 \(seq) 条 — \(problem)"
            }
        }
        // Snapshots and the names of the records they mention, for this page only.
        func snapshot(_ json: String?) -> [String: String]? {
            json.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
        }
        let snapshots = shown.map { (snapshot($0.before), snapshot($0.after)) }
        var ids: Set<String> = []
        for (r, s) in zip(shown, snapshots) { ids.formUnion(AuditPresentation.ids(entityID: r.entity_id, before: s.0, after: s.1)) }
        let names = try await AuditPresentation.names(for: Set(ids.map { $0.uppercased() }), on: sql)
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return try await req.view.render("audit/index", IndexPage(
            page: PageContext(req, title: "操作日志"),
            rows: zip(shown, snapshots).map { r, s in
                Line(seq: r.seq, at: parser.date(from: r.at).map(clock.localTime) ?? r.at, actor: r.actor_name,
                     action: actionLabels[r.action] ?? r.action, entity: AuditEntity(rawValue: r.entity)?.label ?? r.entity,
                     subject: names[r.entity_id.uppercased()] ?? (UUID(uuidString: r.entity_id) == nil ? r.entity_id : "（已删除的记录）"),
                     changes: AuditPresentation.changes(entity: r.entity, before: s.0, after: s.1, names: names), reason: r.reason)
            },
            entity: entity, actor: actor, from: from, to: to, person: person, unit: unitQuery, filterNote: filterNote,
            pageNumber: pageNumber,
            previous: pageNumber > 1 ? link(pageNumber - 1, after: shown.first?.seq) : nil,
            next: hasNext ? link(pageNumber + 1, before: shown.last?.seq) : nil,
            chain: chain, verifyLink: link(pageNumber) + "&verify=1", entities: AuditEntity.allCases.map { SelectOption(value: $0.rawValue, label: $0.label) }))
    }
}
