import Foundation
import SQLKit
import Vapor

/// The filters of the cadre list (also used by the roster export). Empty strings mean "no filter".
struct CadreFilter: Sendable, Equatable {
    var q: String = ""
    var unitID: UUID?
    var categoryID: UUID?
    var rank: String = ""
    var status: Status?

    /// 状态 filter values, as they appear in the URL.
    enum Status: String, CaseIterable, Sendable {
        case investigation, villageTeam = "village", awaiting, retired, noPost = "nopost"
        var label: String {
            switch self {
            case .investigation: "立案审查"
            case .villageTeam: "驻村工作队"
            case .awaiting: "免职待安排"
            case .retired: "已退休"
            case .noPost: "无现任主职"
            }
        }
    }
}

extension CadreFilter {
    /// The filters of a list URL's query string (the list and its export read the same).
    init(query: URLQueryContainer) {
        q = query[String.self, at: "q"] ?? ""
        unitID = query[String.self, at: "unit"].flatMap(UUID.init(uuidString:))
        categoryID = query[String.self, at: "category"].flatMap(UUID.init(uuidString:))
        rank = (query[String.self, at: "rank"] ?? "").trimmingCharacters(in: .whitespaces)
        status = query[String.self, at: "status"].flatMap(Status.init(rawValue:))
    }

    /// The query string of these filters (and a page after the first), `""` when there is none.
    func queryString(page: Int? = nil) -> String {
        var items: [URLQueryItem] = []
        if !q.isEmpty { items.append(.init(name: "q", value: q)) }
        if let unitID { items.append(.init(name: "unit", value: unitID.uuidString)) }
        if let categoryID { items.append(.init(name: "category", value: categoryID.uuidString)) }
        if !rank.isEmpty { items.append(.init(name: "rank", value: rank)) }
        if let status { items.append(.init(name: "status", value: status.rawValue)) }
        if let page, page > 1 { items.append(.init(name: "page", value: String(page))) }
        var c = URLComponents()
        c.queryItems = items
        return items.isEmpty ? "" : (c.percentEncodedQuery.map { "?" + $0.replacingOccurrences(of: "+", with: "%2B") } ?? "")
    }
}

/// One row of the cadre list: the cadre and the current main-duty post.
struct CadreListRow: Decodable, Sendable, Equatable {
    var id: UUID
    var code: String
    var name: String
    var gender: String
    var birth_date: String?
    var political_status: String
    var education: String
    var rank: String
    var retired_on: String?
    var under_investigation: Bool
    var village_team: Bool
    var awaiting_assignment: Bool
    var unit_id: UUID?
    var unit_code: String?
    var unit_name: String?
    var title: String?
    var principal: Bool?
    var start_date: String?
    var order_number: Int?
    var ethnicity: String; var native_place: String; var birth_place: String; var work_start: String; var party_joined: String
    var rank_since: String; var full_time_education: String; var full_time_degree: String; var part_time_education: String
    var part_time_degree: String; var id_number: String

    /// A 干部任免审批表 field by its column.
    func record(_ column: RosterColumn) -> String? {
        switch column {
        case .ethnicity: ethnicity
        case .nativePlace: native_place
        case .birthPlace: birth_place
        case .workStart: work_start
        case .partyJoined: party_joined
        case .rankSince: rank_since
        case .fullTimeEducation: full_time_education
        case .fullTimeDegree: full_time_degree
        case .partTimeEducation: part_time_education
        case .partTimeDegree: part_time_degree
        case .idNumber: id_number
        default: nil
        }
    }
}

/// A cadre in a list page (the cadre list, a unit's cadres).
struct CadreListItem: Encodable {
    var code: String; var name: String; var gender: String; var birthDate: String; var rank: String
    var unit: String; var title: String; var principal: Bool; var status: String; var path: String
    init(_ r: CadreListRow) {
        code = r.code; name = r.name; gender = r.gender; birthDate = SheetText.shownDate(r.birth_date ?? ""); rank = r.rank
        unit = r.unit_name ?? "（无现任主职）"; title = r.title ?? ""; principal = r.principal ?? false
        var s: [String] = []
        if r.under_investigation { s.append("立案审查") }
        if r.village_team { s.append("驻村工作队") }
        if r.awaiting_assignment { s.append("免职待安排") }
        if let ret = r.retired_on { s.append("退休 \(ret)") }
        status = s.joined(separator: "、")
        path = SiteRoute.cadre(r.id).path
    }
}

/// Queries of the cadre list: SQLKit joins, paged in the database, scope applied in SQL.
///
/// The list is in two parts: cadres holding a current main post, in official order (unit code, post order,
/// appointment date, 干部编号), then cadres without one, by 干部编号. The first part is read from the units in code order
/// through the posts index (unit_id, sort_key), so a page stops after its rows instead of sorting the whole registry
/// (on SQLite the join order is fixed with CROSS JOIN; PostgreSQL plans it itself).
enum CadreQueries {
    static let pageSize = 50

    enum Part { case withMainPost, withoutMainPost }

    /// `nil` scope units: everything; otherwise only cadres holding an open post in those units.
    static func list(
        _ filter: CadreFilter, scopeUnits: Set<UUID>?, page: Int, pageSize: Int = pageSize, today: String, on sql: any SQLDatabase
    ) async throws -> (rows: [CadreListRow], total: Int) {
        let counts = try await partCounts(filter, scopeUnits: scopeUnits, today: today, on: sql)
        return (try await self.page(filter, scopeUnits: scopeUnits, page: page, pageSize: pageSize, today: today, counts: counts, on: sql),
                counts.withMainPost + counts.withoutMainPost)
    }

    /// One page of the list (`page` from 1; the caller bounds it, see `Request.pageNumber`).
    static func page(
        _ filter: CadreFilter, scopeUnits: Set<UUID>?, page: Int, pageSize: Int = pageSize, today: String,
        counts known: (withMainPost: Int, withoutMainPost: Int)? = nil, on sql: any SQLDatabase
    ) async throws -> [CadreListRow] {
        let offset = (min(max(1, page), Request.maxPageNumber) - 1) * pageSize
        var counts = known
        if counts == nil { counts = try await partCounts(filter, scopeUnits: scopeUnits, today: today, on: sql) }
        let withMainPost = counts!.withMainPost
        var rows: [CadreListRow] = []
        if offset < withMainPost, let a = part(.withMainPost, filter, scopeUnits: scopeUnits, today: today, on: sql) {
            rows = try await a.limit(pageSize).offset(offset).all(decoding: CadreListRow.self)
        }
        if rows.count < pageSize, let b = part(.withoutMainPost, filter, scopeUnits: scopeUnits, today: today, on: sql) {
            rows += try await b.limit(pageSize - rows.count).offset(max(0, offset - withMainPost)).all(decoding: CadreListRow.self)
        }
        return rows
    }

    static func count(_ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String, on sql: any SQLDatabase) async throws -> Int {
        let c = try await partCounts(filter, scopeUnits: scopeUnits, today: today, on: sql)
        return c.withMainPost + c.withoutMainPost
    }

    /// How many rows each part has. Without filters and scope: two cheap counts (a cadre holds at most one current
    /// main post: a new one ends the old, and a reopened one may not overlap).
    static func partCounts(_ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String,
                           on sql: any SQLDatabase) async throws -> (withMainPost: Int, withoutMainPost: Int) {
        struct N: Decodable { var n: Int }
        if filter == CadreFilter(), scopeUnits == nil {
            let all = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("cadres")
                .first(decoding: N.self)?.n ?? 0
            let holding = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("posts")
                .where("end_date", .is, SQLLiteral.null).where("main_duty", .equal, SQLBind(true)).first(decoding: N.self)?.n ?? 0
            return (holding, max(0, all - holding))
        }
        func n(_ which: Part) async throws -> Int {
            guard let q = part(which, filter, scopeUnits: scopeUnits, today: today, on: sql, counting: true) else { return 0 }
            return try await q.first(decoding: N.self)?.n ?? 0
        }
        return (try await n(.withMainPost), try await n(.withoutMainPost))
    }

    /// The whole list in official order, for the export (both parts, unpaged).
    static func all(_ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String, on sql: any SQLDatabase) async throws -> [CadreListRow] {
        var rows: [CadreListRow] = []
        for p in [Part.withMainPost, .withoutMainPost] {
            if let q = part(p, filter, scopeUnits: scopeUnits, today: today, on: sql) { rows += try await q.all(decoding: CadreListRow.self) }
        }
        return rows
    }

    /// One part of the list with its filters, ordered (or, `counting`, as a COUNT); nil when a filter empties it.
    static func part(_ part: Part, _ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String, on sql: any SQLDatabase,
                     counting: Bool = false) -> SQLSelectBuilder? {
        if part == .withoutMainPost, filter.unitID != nil || filter.categoryID != nil { return nil }
        if part == .withMainPost, filter.status == .noPost { return nil }
        let query = sql.select()
        if counting {
            query.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
        } else {
            query.column(SQLColumn("id", table: "c")).column(SQLColumn("code", table: "c")).column(SQLColumn("name", table: "c"))
                .column(SQLColumn("gender", table: "c")).column(SQLColumn("birth_date", table: "c"))
                .column(SQLColumn("political_status", table: "c")).column(SQLColumn("education", table: "c"))
                .column(SQLColumn("rank", table: "c")).column(SQLColumn("retired_on", table: "c"))
                .column(SQLColumn("under_investigation", table: "c")).column(SQLColumn("village_team", table: "c"))
                .column(SQLColumn("awaiting_assignment", table: "c"))
            for f in CadreFields.recordFields { query.column(SQLColumn(SQLIdentifier(f.sqlColumn), table: SQLIdentifier("c"))) }
            if part == .withMainPost {
                query.column(SQLColumn("id", table: "u"), as: "unit_id").column(SQLColumn("code", table: "u"), as: "unit_code")
                    .column(SQLColumn("name", table: "u"), as: "unit_name")
                    .column(SQLColumn("title", table: "p")).column(SQLColumn("principal", table: "p"))
                    .column(SQLColumn("start_date", table: "p")).column(SQLColumn("order_number", table: "p"))
            }
        }
        switch part {
        case .withMainPost:
            // Rows: from the units in code order (a page stops early). A count with a filter on the cadre (search, rank,
            // status): from the cadres, which that filter narrows first.
            let fixed = sql.dialect.name == "sqlite" ? "CROSS" : "INNER"  // SQLKit adds JOIN; SQLite keeps CROSS JOIN's order
            let cadreFiltered = !SheetText.searchKey(filter.q).isEmpty || !filter.rank.isEmpty || filter.status != nil
            if counting && cadreFiltered {
                query.from(SQLAlias(SQLIdentifier("cadres"), as: SQLIdentifier("c")))
                    .join(SQLAlias(SQLIdentifier("posts"), as: SQLIdentifier("p")), method: SQLRaw(fixed),
                          on: SQLQueryString("p.cadre_id = c.id AND p.end_date IS NULL AND p.main_duty = \(bind: true)"))
                    .join(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("u")), method: SQLRaw(fixed),
                          on: SQLColumn("unit_id", table: "p"), .equal, SQLColumn("id", table: "u"))
            } else {
                query.from(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("u")))
                    .join(SQLAlias(SQLIdentifier("posts"), as: SQLIdentifier("p")), method: SQLRaw(fixed),
                          on: SQLQueryString("p.unit_id = u.id AND p.end_date IS NULL AND p.main_duty = \(bind: true)"))
                    .join(SQLAlias(SQLIdentifier("cadres"), as: SQLIdentifier("c")), method: SQLJoinMethod.inner,
                          on: SQLColumn("cadre_id", table: "p"), .equal, SQLColumn("id", table: "c"))
            }
            if let unitID = filter.unitID { query.where(SQLColumn("id", table: "u"), .equal, SQLBind(unitID)) }
            if let categoryID = filter.categoryID { query.where(SQLColumn("category_id", table: "u"), .equal, SQLBind(categoryID)) }
            if !counting {
                query.orderBy(SQLColumn("code", table: "u")).orderBy(SQLColumn("sort_key", table: "p"))
                    .orderBy(SQLColumn("start_date", table: "p")).orderBy(SQLColumn("code", table: "c"))
            }
        case .withoutMainPost:
            query.from(SQLAlias(SQLIdentifier("cadres"), as: SQLIdentifier("c")))
                .where(SQLQueryString("NOT EXISTS (SELECT 1 FROM posts mp WHERE mp.cadre_id = c.id AND mp.end_date IS NULL AND mp.main_duty = \(bind: true))"))
            if !counting { query.orderBy(SQLColumn("code", table: "c")) }
        }
        cadreFilters(query, filter, scopeUnits: scopeUnits, today: today)
        return query
    }

    /// The ranks (职级) in use, for the list's filter.
    static func ranks(on sql: any SQLDatabase) async throws -> [String] {
        struct R: Decodable { var rank: String }
        return try await sql.raw("SELECT DISTINCT rank FROM cadres WHERE rank <> '' ORDER BY rank").all(decoding: R.self).map(\.rank)
    }

    /// The filters on the cadre itself (search, rank, status, scope), the same in both parts.
    private static func cadreFilters(_ query: SQLSelectBuilder, _ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String) {
        if let scopeUnits {
            if scopeUnits.isEmpty {
                query.where(SQLRaw("1 = 0"))
            } else {
                // In scope = holds an open post (main or concurrent) in one of the units; same rule as `Request.scopedCadre`.
                query.where(SQLQueryString(
                    "c.id IN (SELECT sp.cadre_id FROM posts sp WHERE sp.end_date IS NULL AND sp.unit_id IN (\(binds: Array(scopeUnits))))"))
            }
        }
        let q = SheetText.searchKey(filter.q)  // 「李 娜」 finds 李娜
        if !q.isEmpty {
            let like = "%" + q.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            // Names are compared without their spaces too (「Ahmat Tursun」, names stored before normalisation).
            query.where { $0.where(SQLRaw("REPLACE(c.name, ' ', '')"), .like, SQLBind(like)).orWhere(SQLColumn("code", table: "c"), .like, SQLBind(like)) }
        }
        if !filter.rank.isEmpty { query.where(SQLColumn("rank", table: "c"), .equal, SQLBind(filter.rank)) }
        switch filter.status {
        case .investigation: query.where(SQLColumn("under_investigation", table: "c"), .equal, SQLBind(true))
        case .villageTeam: query.where(SQLColumn("village_team", table: "c"), .equal, SQLBind(true))
        case .awaiting: query.where(SQLColumn("awaiting_assignment", table: "c"), .equal, SQLBind(true))
        case .retired:
            query.where(SQLColumn("retired_on", table: "c"), .isNot, SQLLiteral.null)
            query.where(SQLColumn("retired_on", table: "c"), .lessThanOrEqual, SQLBind(today))
        case .noPost, nil: break  // .noPost: the second part alone
        }
    }
}
