import Fluent
import Foundation
import SQLKit
import Vapor

/// One row of the unit list.
struct UnitListRow: Codable, Sendable {
    var id: UUID; var code: String; var name: String; var category: String; var parent: String?; var cadres: Int
}

/// Queries of units: the list (search, category, scope) and the choices of unit selects.
enum UnitQueries {
    static let pageSize = 100

    /// The unit list of a scope: search by code or name, optional category; sorted by code; one page of `pageSize`
    /// when `page` is given (from 1), else all.
    static func list(q: String = "", categoryID: UUID? = nil, scopeUnits: Set<UUID>?, page: Int? = nil,
                     on sql: any SQLDatabase) async throws -> [UnitListRow] {
        if scopeUnits?.isEmpty == true { return [] }
        // The page of units first (by the code index), then their details: nothing is computed for units skipped over.
        let units = sql.select().columns("id", "code", "name", "category_id", "parent_id").from(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("u")))
        filter(units, q: q, categoryID: categoryID, scopeUnits: scopeUnits)
        units.orderBy(SQLColumn("code", table: "u"))
        if let page { units.limit(pageSize).offset((min(max(1, page), Request.maxPageNumber) - 1) * pageSize) }
        return try await sql.select()
            .column(SQLColumn("id", table: "u")).column(SQLColumn("code", table: "u")).column(SQLColumn("name", table: "u"))
            .column(SQLColumn("name", table: "k"), as: "category").column(SQLColumn("name", table: "pu"), as: "parent")
            .column(SQLQueryString("(SELECT COUNT(DISTINCT p.cadre_id) FROM posts p WHERE p.unit_id = u.id AND p.end_date IS NULL)"), as: "cadres")
            .from(SQLAlias(SQLGroupExpression(units.query), as: SQLIdentifier("u")))
            .join(SQLAlias(SQLIdentifier("unit_categories"), as: SQLIdentifier("k")), on: SQLColumn("category_id", table: "u"), .equal, SQLColumn("id", table: "k"))
            .join(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("pu")), method: SQLJoinMethod.left, on: SQLColumn("parent_id", table: "u"), .equal, SQLColumn("id", table: "pu"))
            .orderBy(SQLColumn("code", table: "u"))
            .all(decoding: UnitListRow.self)
    }

    /// How many units `list` holds with these filters.
    static func count(q: String = "", categoryID: UUID? = nil, scopeUnits: Set<UUID>?, on sql: any SQLDatabase) async throws -> Int {
        if scopeUnits?.isEmpty == true { return 0 }
        struct N: Decodable { var n: Int }
        let query = sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("u")))
        filter(query, q: q, categoryID: categoryID, scopeUnits: scopeUnits)
        return try await query.first(decoding: N.self)?.n ?? 0
    }

    private static func filter(_ query: SQLSelectBuilder, q: String, categoryID: UUID?, scopeUnits: Set<UUID>?) {
        if let scopeUnits { query.where(SQLColumn("id", table: "u"), .in, SQLBind.group(Array(scopeUnits))) }
        let term = q.trimmingCharacters(in: .whitespaces)
        if !term.isEmpty {
            let like = "%" + term + "%"
            query.where { $0.where(SQLColumn("code", table: "u"), .like, SQLBind(like)).orWhere(SQLColumn("name", table: "u"), .like, SQLBind(like)) }
        }
        if let categoryID { query.where(SQLColumn("category_id", table: "u"), .equal, SQLBind(categoryID)) }
    }

    /// Above this many units in scope a unit is chosen by typing its code: a drop-down of a province's 10,000 units
    /// would weigh a megabyte on every page that offers it.
    static let dropDownLimit = 300

    /// A chooser of one unit of a scope: a drop-down (`options`, `selected` marked, led by `none` when given) while the
    /// scope holds at most `dropDownLimit` units, else a text field for the code (`code`: the selected unit's).
    static func choice(scopeUnits: Set<UUID>?, selected: UUID? = nil, none: String? = nil,
                       on sql: any SQLDatabase) async throws -> UnitChoice {
        struct N: Decodable { var n: Int }
        var count = scopeUnits?.count ?? 0
        if scopeUnits == nil { count = try await sql.raw("SELECT COUNT(*) AS n FROM units").first(decoding: N.self)?.n ?? 0 }
        if count > dropDownLimit {
            struct Code: Decodable { var code: String }
            var code = ""
            if let selected {
                code = try await sql.select().column("code").from("units").where("id", .equal, SQLBind(selected))
                    .first(decoding: Code.self)?.code ?? ""
            }
            return UnitChoice(options: nil, code: code)
        }
        let options = try await list(scopeUnits: scopeUnits, on: sql).map {
            SelectOption(value: $0.id.uuidString, label: "\($0.code) \($0.name)", selected: $0.id == selected)
        }
        return UnitChoice(options: (none.map { [SelectOption.none($0, selected: selected == nil)] } ?? []) + options, code: "")
    }

    /// The unit a chooser sent — an id from a drop-down, or a code typed — if it exists; nil for a blank.
    static func chosen(_ raw: String?, on sql: any SQLDatabase) async throws -> UUID? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        struct ID: Decodable { var id: UUID }
        if let id = UUID(uuidString: text) {
            return try await sql.select().column("id").from("units").where("id", .equal, SQLBind(id)).first(decoding: ID.self)?.id
        }
        return try await sql.select().column("id").from("units").where("code", .equal, SQLBind(text)).first(decoding: ID.self)?.id
    }

    /// The unit categories as select options, in their order.
    static func categoryOptions(selected: UUID?, on db: any Database) async throws -> [SelectOption] {
        try await UnitCategory.query(on: db).sort(\.$sortOrder).sort(\.$name).all().map {
            SelectOption(value: $0.id!.uuidString, label: $0.name, selected: $0.id == selected)
        }
    }
}

/// A unit chooser on a page: `options` for a drop-down, or nil for a text field holding a unit code.
struct UnitChoice: Encodable, Sendable {
    var options: [SelectOption]?
    var code: String
}
