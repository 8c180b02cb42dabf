import Foundation
import SQLKit

/// The audit log as a clerk reads it: local time, records named instead of ids, field labels in Chinese, and for a
/// change only the fields that changed, before and after.
enum AuditPresentation {
    /// One changed field of an entry.
    struct Change: Encodable, Equatable { var field: String; var before: String; var after: String }

    /// The Chinese label of a snapshot key of an entity.
    static func label(_ entity: String, _ key: String) -> String {
        if entity == AuditEntity.cadre.rawValue, let l = CadreFields.labels.first(where: { $0.key == key }) { return l.label }
        let common: [String: String] = [
            "cadreID": "干部", "unitID": "单位", "title": "职务", "principal": "主要负责人", "mainDuty": "职责", "startDate": "任职日期",
            "endDate": "结束日期", "orderNumber": "职务排序号", "year": "年度", "leaveDays": "请假天数", "secondmentLevel": "挂职层级",
            "secondmentHostUnitID": "挂职单位", "secondmentMonths": "挂职月数", "categoryID": "单位类别", "parentID": "上级单位",
            "username": "用户名", "displayName": "姓名", "role": "角色", "disabled": "停用", "mustChangePassword": "须修改密码",
            "sortOrder": "排序", "groupID": "考核组", "accountID": "账号",
        ]
        if let l = common[key] { return l }
        if key == "code" { return entity == AuditEntity.unit.rawValue ? "单位编码" : "编号" }
        if key == "name" { return entity == AuditEntity.unit.rawValue ? "单位名称" : "名称" }
        return key
    }

    /// The fields an entry changed (update), set (create) or removed (delete), in a stable order.
    static func changes(entity: String, before: [String: String]?, after: [String: String]?, names: [String: String]) -> [Change] {
        let keys = Set((before ?? [:]).keys).union((after ?? [:]).keys)
        let order = CadreFields.labels.map(\.key)
        let sorted = keys.sorted { a, b in
            let ia = order.firstIndex(of: a) ?? Int.max, ib = order.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }
        return sorted.compactMap { key in
            let old = before?[key] ?? "", new = after?[key] ?? ""
            guard old != new else { return nil }
            return Change(field: label(entity, key), before: shown(key, old, names), after: shown(key, new, names))
        }
    }

    /// A value as shown: ids by their names, roles by their labels.
    static func shown(_ key: String, _ value: String, _ names: [String: String]) -> String {
        if key == "role" { return Role(rawValue: value)?.label ?? value }
        if key.hasSuffix("ID"), let name = names[value.uppercased()] { return name }
        return value
    }

    /// Every id an entry mentions (its entity and the `…ID` values of its snapshots).
    static func ids(entityID: String, before: [String: String]?, after: [String: String]?) -> [String] {
        var out = [entityID]
        for snapshot in [before, after].compactMap({ $0 }) {
            for (k, v) in snapshot where k.hasSuffix("ID") && !v.isEmpty { out.append(v) }
        }
        return out
    }

    /// Names for ids: cadres 「张三（G001）」, units, categories, accounts, posts 「张三：城关镇 副镇长」, teams, yearly facts,
    /// assessment groups. Unknown ids (records deleted since) stay ids.
    static func names(for ids: Set<String>, on sql: any SQLDatabase) async throws -> [String: String] {
        let uuids = ids.compactMap(UUID.init(uuidString:))
        guard !uuids.isEmpty else { return [:] }
        var names: [String: String] = [:]
        struct Named: Decodable { var id: UUID; var label: String }
        func read(_ query: (SQLSelectBuilder) -> SQLSelectBuilder, table: String) async throws {
            for chunk in SQLBatch.chunks(uuids) {
                let q = query(sql.select()).where(SQLColumn("id", table: table), .in, SQLBind.group(Array(chunk)))
                for r in try await q.all(decoding: Named.self) { names[r.id.uuidString] = r.label }
            }
        }
        try await read({ $0.column("id").column(SQLRaw("name || '（' || code || '）'"), as: "label").from("cadres") }, table: "cadres")
        try await read({ $0.column("id").column("name", as: "label").from("units") }, table: "units")
        try await read({ $0.column("id").column("name", as: "label").from("unit_categories") }, table: "unit_categories")
        try await read({ $0.column("id").column("name", as: "label").from("teams") }, table: "teams")
        try await read({ $0.column("id").column("username", as: "label").from("accounts") }, table: "accounts")
        try await read({ $0.column("id").column("name", as: "label").from("assessment_groups") }, table: "assessment_groups")
        try await read({
            $0.column(SQLColumn("id", table: "posts"))
                .column(SQLRaw("cadres.name || '：' || units.name || ' ' || posts.title"), as: "label").from("posts")
                .join("cadres", on: SQLColumn("cadre_id", table: "posts"), .equal, SQLColumn("id", table: "cadres"))
                .join("units", on: SQLColumn("unit_id", table: "posts"), .equal, SQLColumn("id", table: "units"))
        }, table: "posts")
        try await read({
            $0.column(SQLColumn("id", table: "cadre_year_facts"))
                .column(SQLRaw("cadres.name || ' ' || CAST(cadre_year_facts.year AS VARCHAR(8)) || ' 年度'"), as: "label").from("cadre_year_facts")
                .join("cadres", on: SQLColumn("cadre_id", table: "cadre_year_facts"), .equal, SQLColumn("id", table: "cadres"))
        }, table: "cadre_year_facts")
        return names
    }

    /// The entries' ids of a person (干部编号 or 姓名): the cadre, its posts and yearly facts, by entity.
    static func personFilter(_ q: String, on sql: any SQLDatabase) async throws -> [(AuditEntity, [String])] {
        struct ID: Decodable { var id: UUID }
        let key = SheetText.searchKey(q)
        let cadres = try await sql.select().column("id").from("cadres")
            .where { $0.where("code", .equal, SQLBind(key)).orWhere(SQLRaw("REPLACE(name, ' ', '')"), .equal, SQLBind(key)) }
            .limit(50).all(decoding: ID.self).map(\.id)
        guard !cadres.isEmpty else { return [] }
        let posts = try await sql.select().column("id").from("posts").where("cadre_id", .in, SQLBind.group(cadres)).all(decoding: ID.self)
        let facts = try await sql.select().column("id").from("cadre_year_facts").where("cadre_id", .in, SQLBind.group(cadres))
            .all(decoding: ID.self)
        return [(.cadre, cadres.map(\.uuidString)), (.post, posts.map(\.id.uuidString)), (.cadreYearFact, facts.map(\.id.uuidString))]
    }

    /// The entries' ids of a unit: the unit, its team, and the posts held in it (history included).
    static func unitFilter(_ unit: UUID, on sql: any SQLDatabase) async throws -> [(AuditEntity, [String])] {
        struct ID: Decodable { var id: UUID }
        let teams = try await sql.select().column("id").from("teams").where("unit_id", .equal, SQLBind(unit)).all(decoding: ID.self)
        let posts = try await sql.select().column("id").from("posts").where("unit_id", .equal, SQLBind(unit)).limit(20_000)
            .all(decoding: ID.self)
        return [(.unit, [unit.uuidString]), (.team, teams.map(\.id.uuidString)), (.post, posts.map(\.id.uuidString))]
    }
}
