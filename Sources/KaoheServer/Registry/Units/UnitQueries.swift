import Fluent
import Foundation
import SQLKit

/// One row of the unit list.
struct UnitListRow: Codable, Sendable {
    var id: UUID; var code: String; var name: String; var category: String; var parent: String?; var cadres: Int
}

/// Queries of units: the list (search, category, scope) and the choices of unit selects.
enum UnitQueries {
    /// The unit list of a scope: search by code or name, optional category; sorted by code.
    static func list(q: String = "", categoryID: UUID? = nil, scopeUnits: Set<UUID>?, on sql: any SQLDatabase) async throws -> [UnitListRow] {
        let query = sql.select()
            .column(SQLColumn("id", table: "u")).column(SQLColumn("code", table: "u")).column(SQLColumn("name", table: "u"))
            .column(SQLColumn("name", table: "k"), as: "category").column(SQLColumn("name", table: "pu"), as: "parent")
            .column(SQLQueryString("(SELECT COUNT(DISTINCT p.cadre_id) FROM posts p WHERE p.unit_id = u.id AND p.end_date IS NULL)"), as: "cadres")
            .from(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("u")))
            .join(SQLAlias(SQLIdentifier("unit_categories"), as: SQLIdentifier("k")), on: SQLColumn("category_id", table: "u"), .equal, SQLColumn("id", table: "k"))
            .join(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("pu")), method: SQLJoinMethod.left, on: SQLColumn("parent_id", table: "u"), .equal, SQLColumn("id", table: "pu"))
        if let scopeUnits {
            if scopeUnits.isEmpty { return [] }
            query.where(SQLColumn("id", table: "u"), .in, SQLBind.group(Array(scopeUnits)))
        }
        let term = q.trimmingCharacters(in: .whitespaces)
        if !term.isEmpty {
            let like = "%" + term + "%"
            query.where { $0.where(SQLColumn("code", table: "u"), .like, SQLBind(like)).orWhere(SQLColumn("name", table: "u"), .like, SQLBind(like)) }
        }
        if let categoryID { query.where(SQLColumn("category_id", table: "u"), .equal, SQLBind(categoryID)) }
        return try await query.orderBy(SQLColumn("code", table: "u")).all(decoding: UnitListRow.self)
    }

    /// The units of a scope as select options (`编码 名称`), `selected` marked.
    static func options(scopeUnits: Set<UUID>?, selected: String? = nil, on sql: any SQLDatabase) async throws -> [SelectOption] {
        try await list(scopeUnits: scopeUnits, on: sql).map {
            SelectOption(value: $0.id.uuidString, label: "\($0.code) \($0.name)", selected: $0.id.uuidString == selected)
        }
    }

    /// The unit categories as select options, in their order.
    static func categoryOptions(selected: UUID?, on db: any Database) async throws -> [SelectOption] {
        try await UnitCategory.query(on: db).sort(\.$sortOrder).sort(\.$name).all().map {
            SelectOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id == selected)
        }
    }
}
