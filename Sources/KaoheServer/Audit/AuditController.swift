import SQLKit
import Vapor

/// 操作日志: entries newest first, filtered by entity, actor, action and date; paged.
enum AuditController {
    struct Row: Decodable {
        var seq: Int64; var at: String; var actor_name: String; var action: String; var entity: String
        var entity_id: String; var before: String?; var after: String?; var reason: String?
    }
    /// One line of the page: codes shown as Chinese labels.
    struct Line: Encodable {
        var seq: Int64; var at: String; var actor: String; var action: String; var entity: String
        var entityID: String; var before: String?; var after: String?; var reason: String?
    }
    static let actionLabels: [String: String] = [
        "create": "新增", "update": "修改", "delete": "删除", "disable": "停用", "passwordChange": "修改密码",
        "importRoster": "导入花名册", "login": "登录", "logout": "退出", "loginFailed": "登录失败", "lockout": "暂停登录",
    ]
    struct IndexPage: Encodable {
        var page: PageContext
        var rows: [Line]
        var entity: String; var actor: String; var from: String; var to: String
        var pageNumber: Int; var previous: String?; var next: String?
        var chain: String?
        var verifyLink: String
        var entities: [SelectOption]
    }


    static let pageSize = 100

    @Sendable static func index(req: Request) async throws -> View {
        let entity = (req.query[String.self, at: "entity"] ?? "").trimmingCharacters(in: .whitespaces)
        let actor = (req.query[String.self, at: "actor"] ?? "").trimmingCharacters(in: .whitespaces)
        let from = (req.query[String.self, at: "from"] ?? "").trimmingCharacters(in: .whitespaces)
        let to = (req.query[String.self, at: "to"] ?? "").trimmingCharacters(in: .whitespaces)
        var pageNumber = req.pageNumber
        let sql = req.sql
        func filtered(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            if !entity.isEmpty { query.where("entity", .equal, SQLBind(entity)) }
            if !actor.isEmpty { query.where("actor_name", .like, SQLBind("%\(actor)%")) }
            if !from.isEmpty { query.where("at", .greaterThanOrEqual, SQLBind(from)) }
            if !to.isEmpty { query.where("at", .lessThan, SQLBind(to + "T99")) }
            return query
        }
        func page(_ n: Int) async throws -> [Row] {
            try await filtered(sql.select()
                .columns("seq", "at", "actor_name", "action", "entity", "entity_id", "before", "after", "reason")
                .from("audit_entries"))
                .orderBy("seq", .descending).limit(pageSize + 1).offset((n - 1) * pageSize).all(decoding: Row.self)
        }
        var rows = try await page(pageNumber)
        if rows.isEmpty && pageNumber > 1 {
            // Past the end: the last page (counted only here; the usual page needs no count).
            struct Count: Decodable { var n: Int }
            let total = try await filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_entries"))
                .first(decoding: Count.self)?.n ?? 0
            pageNumber = max(1, (total + pageSize - 1) / pageSize)
            rows = try await page(pageNumber)
        }
        func link(_ p: Int) -> String {
            var items = [URLQueryItem(name: "page", value: String(p))]
            for (k, v) in [("entity", entity), ("actor", actor), ("from", from), ("to", to)] where !v.isEmpty {
                items.append(URLQueryItem(name: k, value: v))
            }
            var c = URLComponents(); c.path = SiteRoute.audit.path; c.queryItems = items
            return c.string ?? SiteRoute.audit.path
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
        return try await req.view.render("audit/index", IndexPage(
            page: PageContext(req, title: "操作日志"),
            rows: rows.prefix(pageSize).map { r in
                Line(seq: r.seq, at: r.at, actor: r.actor_name, action: actionLabels[r.action] ?? r.action,
                     entity: AuditEntity(rawValue: r.entity)?.label ?? r.entity, entityID: r.entity_id,
                     before: r.before, after: r.after, reason: r.reason)
            },
            entity: entity, actor: actor, from: from, to: to, pageNumber: pageNumber,
            previous: pageNumber > 1 ? link(pageNumber - 1) : nil, next: rows.count > pageSize ? link(pageNumber + 1) : nil,
            chain: chain, verifyLink: link(pageNumber) + "&verify=1", entities: AuditEntity.allCases.map { SelectOption(value: $0.rawValue, label: $0.label) }))
    }
}
