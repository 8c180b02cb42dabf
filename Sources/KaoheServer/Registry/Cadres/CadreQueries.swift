import Foundation
import SQLKit
import Vapor

/// The filters of the cadre list (also used by the roster export). Empty strings mean "no filter".
struct CadreFilter: Sendable, Hashable {
    var q: String = ""
    var unitID: UUID?
    var categoryID: UUID?
    var rank: String = ""
    var status: Status?

    /// A filter on the cadre itself (search, 职级, 状态), as opposed to one on units (unit, category).
    var isOnCadre: Bool { !SheetText.searchKey(q).isEmpty || !rank.isEmpty || status != nil }

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
        listQueryString([("q", q), ("unit", unitID?.uuidString ?? ""), ("category", categoryID?.uuidString ?? ""), ("rank", rank),
                         ("status", status?.rawValue ?? ""), ("page", page.map { $0 > 1 ? String($0) : "" } ?? "")])
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
/// appointment date, 干部编号), then cadres without one, by 干部编号. How a page is found depends on the filter:
/// - none, or only on units (unit, category, scope): the first part is read from the units in code order through the
///   partial index of open main posts (009), so a page stops after its rows; a deep page (without a scope, which is a
///   condition on the cadre) starts at its unit, found from that index counted per unit (`unitStarts`, memoised too).
/// - on the cadre (search, 职级, 状态): the matching cadres' order is computed in one query (`orderedIDs`) — memoised
///   per filter and data version by `CadreListCache` in the server — and a page reads its 50 rows by id.
/// On SQLite the join order is fixed with CROSS JOIN; PostgreSQL plans it itself.
enum CadreQueries {
    static let pageSize = 50
    /// From this offset on, a page of the first part finds its starting unit by counting instead of stepping over rows.
    static let unitSkipOffset = 1_000

    enum Part { case withMainPost, withoutMainPost }

    /// An open main-duty post of the post alias `p`, literal as in the partial indexes of migration 009.
    static func openMain(_ p: String) -> String { "\(p).end_date IS NULL AND \(p).main_duty = TRUE" }

    /// One page of the list and the total. `nil` scope units: everything; otherwise only cadres holding an open post in
    /// those units. `page` from 1; past the end: empty rows (the caller bounds it with the total).
    static func list(
        _ filter: CadreFilter, scopeUnits: Set<UUID>?, page: Int, pageSize: Int = pageSize, today: String,
        cache: CadreListCache? = nil, unitSkipOffset: Int = unitSkipOffset, on sql: any SQLDatabase
    ) async throws -> (rows: [CadreListRow], total: Int) {
        let offset = (min(max(1, page), Request.maxPageNumber) - 1) * pageSize
        if filter.isOnCadre {
            let order = try await cachedOrder(filter, scopeUnits: scopeUnits, today: today, cache: cache, on: sql)
            let ids = offset < order.ids.count ? Array(order.ids[offset..<min(order.ids.count, offset + pageSize)]) : []
            return (try await rows(ids: ids, on: sql), order.ids.count)
        }
        let counts = try await partCounts(filter, scopeUnits: scopeUnits, today: today, on: sql)
        var rows: [CadreListRow] = []
        if offset < counts.withMainPost {
            var start: (code: String, before: Int)? = nil
            // A scope is a condition on the cadre (an open post, main or concurrent, in its units): no skipping by unit.
            if offset >= unitSkipOffset, scopeUnits == nil {
                let starts = if let cache {
                    try await cache.unitStarts.value(for: filter, version: CadreListCache.version(on: sql)) { try await unitStarts(filter, on: sql) }
                } else {
                    try await unitStarts(filter, on: sql)
                }
                start = starts.start(forOffset: offset)
            }
            let q = part(.withMainPost, filter, scopeUnits: scopeUnits, today: today, on: sql)!
            if let start { q.where(SQLColumn("code", table: "u"), .greaterThanOrEqual, SQLBind(start.code)) }
            rows = try await q.limit(pageSize).offset(offset - (start?.before ?? 0)).all(decoding: CadreListRow.self)
        }
        if rows.count < pageSize, offset + rows.count < counts.withMainPost + counts.withoutMainPost, let b = part(.withoutMainPost, filter, scopeUnits: scopeUnits, today: today, on: sql) {
            rows += try await b.limit(pageSize - rows.count).offset(max(0, offset - counts.withMainPost)).all(decoding: CadreListRow.self)
        }
        return (rows, counts.withMainPost + counts.withoutMainPost)
    }

    static func count(_ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String, on sql: any SQLDatabase) async throws -> Int {
        if filter.isOnCadre { return try await orderedIDs(filter, scopeUnits: scopeUnits, today: today, on: sql).ids.count }
        let c = try await partCounts(filter, scopeUnits: scopeUnits, today: today, on: sql)
        return c.withMainPost + c.withoutMainPost
    }

    /// How many rows each part has, for filters on units only. Without filters and scope: two cheap counts (a cadre
    /// holds at most one current main post: a new one ends the old, and a reopened one may not overlap).
    private static func partCounts(_ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String,
                                   on sql: any SQLDatabase) async throws -> (withMainPost: Int, withoutMainPost: Int) {
        struct N: Decodable { var n: Int }
        if filter == CadreFilter(), scopeUnits == nil {
            let all = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("cadres")
                .first(decoding: N.self)?.n ?? 0
            let holding = try await sql.raw("SELECT COUNT(*) AS n FROM posts p WHERE \(unsafeRaw: openMain("p"))").first(decoding: N.self)?.n ?? 0
            return (holding, max(0, all - holding))
        }
        func n(_ which: Part) async throws -> Int {
            guard let q = part(which, filter, scopeUnits: scopeUnits, today: today, on: sql, counting: true) else { return 0 }
            return try await q.first(decoding: N.self)?.n ?? 0
        }
        return (try await n(.withMainPost), try await n(.withoutMainPost))
    }

    /// How many rows of the first part each unit holds (units with none left out), in code order: where a deep page
    /// starts is found here instead of by stepping over the rows before it.
    struct UnitStarts: Sendable {
        var codes: [String] = []
        /// Rows before each unit (a running sum).
        var before: [Int] = []
        var total = 0

        /// The unit holding the row at `offset`, and how many rows come before that unit.
        func start(forOffset offset: Int) -> (code: String, before: Int)? {
            guard offset >= 0, offset < total else { return nil }
            var lo = 0, hi = codes.count - 1  // the last unit whose first row is at or before `offset`
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if before[mid] <= offset { lo = mid } else { hi = mid - 1 }
            }
            return (codes[lo], before[lo])
        }
    }

    /// The open main posts counted per unit over the partial index (009), for filters on units only.
    static func unitStarts(_ filter: CadreFilter, on sql: any SQLDatabase) async throws -> UnitStarts {
        let sqlite = sql.dialect.name == "sqlite"
        // SQLite's planner would pick an index that is not covering; CROSS JOIN keeps the units (in code order) first.
        let query = sql.select().column(SQLColumn("code", table: "u")).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("u")))
            .join(SQLRaw(sqlite ? "posts p INDEXED BY posts_open_main_idx" : "posts p"), method: SQLRaw(sqlite ? "CROSS" : "INNER"),
                  on: SQLRaw("p.unit_id = u.id AND \(openMain("p"))"))
        unitFilters(query, filter)
        query.groupBy(SQLColumn("code", table: "u")).orderBy(SQLColumn("code", table: "u"))
        var starts = UnitStarts()
        for row in try await query.all() {
            starts.codes.append(try row.decode(column: "code", as: String.self))
            starts.before.append(starts.total)
            starts.total += try row.decode(column: "n", as: Int.self)
        }
        return starts
    }

    /// The order of a list filtered on the cadre: the matching cadres' ids, the first part's then the second's.
    struct Order: Sendable { var ids: [UUID] }

    private static func cachedOrder(_ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String, cache: CadreListCache?,
                                    on sql: any SQLDatabase) async throws -> Order {
        guard let cache else { return try await orderedIDs(filter, scopeUnits: scopeUnits, today: today, on: sql) }
        return try await cache.orders.value(for: .init(filter: filter, scopeUnits: scopeUnits, today: today),
                                            version: CadreListCache.version(on: sql)) {
            try await orderedIDs(filter, scopeUnits: scopeUnits, today: today, on: sql)
        }
    }

    /// Both parts' ids in list order, each read from the cadres the filter narrows first.
    static func orderedIDs(_ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String, on sql: any SQLDatabase) async throws -> Order {
        var ids: [UUID] = []
        for p in [Part.withMainPost, .withoutMainPost] {
            guard let q = part(p, filter, scopeUnits: scopeUnits, today: today, on: sql, idsOnly: true) else { continue }
            for row in try await q.all() { ids.append(try row.decode(column: "id", as: UUID.self)) }
        }
        return Order(ids: ids)
    }

    /// The list rows of these cadres, in the order given (each with its open main post, if any).
    static func rows(ids: [UUID], on sql: any SQLDatabase) async throws -> [CadreListRow] {
        guard !ids.isEmpty else { return [] }
        let query = sql.select()
        selectRowColumns(query, withPost: true)
        query.from(SQLAlias(SQLIdentifier("cadres"), as: SQLIdentifier("c")))
            .join(SQLAlias(SQLIdentifier("posts"), as: SQLIdentifier("p")), method: SQLJoinMethod.left,
                  on: SQLRaw("p.cadre_id = c.id AND \(openMain("p"))"))
            .join(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("u")), method: SQLJoinMethod.left,
                  on: SQLColumn("unit_id", table: "p"), .equal, SQLColumn("id", table: "u"))
            .where(SQLColumn("id", table: "c"), .in, SQLBind.group(ids))
        let byID = Dictionary(try await query.all(decoding: CadreListRow.self).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return ids.compactMap { byID[$0] }
    }

    /// The whole list in official order (both parts, unpaged), as the export reads it (`forEachBatch`).
    static func all(_ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String, on sql: any SQLDatabase) async throws -> [CadreListRow] {
        var out: [CadreListRow] = []
        try await forEachBatch(filter, scopeUnits: scopeUnits, today: today, on: sql) { out += $0 }
        return out
    }

    /// The whole list in official order, a batch at a time, so that an export of a province streams with flat memory:
    /// the list's order is read once (ids — memoised with `cache` for a list filtered on the cadre), then the rows by
    /// id, `batchSize` at a time. Each cadre comes exactly once even while others edit the registry: a cadre moved
    /// meanwhile keeps its place in the order read, one deleted meanwhile is left out.
    static func forEachBatch(_ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String, cache: CadreListCache? = nil,
                             on sql: any SQLDatabase, _ body: ([CadreListRow]) async throws -> Void) async throws {
        let ids = filter.isOnCadre
            ? try await cachedOrder(filter, scopeUnits: scopeUnits, today: today, cache: cache, on: sql).ids
            : try await orderedIDs(filter, scopeUnits: scopeUnits, today: today, on: sql).ids
        for batch in SQLBatch.chunks(ids) { try await body(rows(ids: Array(batch), on: sql)) }
    }

    /// The list row's columns: the cadre's, and (`withPost`) its open main post's and unit's.
    private static func selectRowColumns(_ query: SQLSelectBuilder, withPost: Bool) {
        query.column(SQLColumn("id", table: "c")).column(SQLColumn("code", table: "c")).column(SQLColumn("name", table: "c"))
            .column(SQLColumn("gender", table: "c")).column(SQLColumn("birth_date", table: "c"))
            .column(SQLColumn("political_status", table: "c")).column(SQLColumn("education", table: "c"))
            .column(SQLColumn("rank", table: "c")).column(SQLColumn("retired_on", table: "c"))
            .column(SQLColumn("under_investigation", table: "c")).column(SQLColumn("village_team", table: "c"))
            .column(SQLColumn("awaiting_assignment", table: "c"))
        for f in CadreFields.recordFields { query.column(SQLColumn(SQLIdentifier(f.sqlColumn), table: SQLIdentifier("c"))) }
        guard withPost else { return }
        query.column(SQLColumn("id", table: "u"), as: "unit_id").column(SQLColumn("code", table: "u"), as: "unit_code")
            .column(SQLColumn("name", table: "u"), as: "unit_name")
            .column(SQLColumn("title", table: "p")).column(SQLColumn("principal", table: "p"))
            .column(SQLColumn("start_date", table: "p")).column(SQLColumn("order_number", table: "p"))
    }

    /// One part of the list with its filters, ordered — or, `counting`, as a COUNT, or, `idsOnly`, the cadres' ids read
    /// from the cadres (which a filter on them narrows first); nil when a filter empties it.
    static func part(_ part: Part, _ filter: CadreFilter, scopeUnits: Set<UUID>?, today: String, on sql: any SQLDatabase,
                     counting: Bool = false, idsOnly: Bool = false) -> SQLSelectBuilder? {
        if part == .withoutMainPost, filter.unitID != nil || filter.categoryID != nil { return nil }
        if part == .withMainPost, filter.status == .noPost { return nil }
        let query = sql.select()
        if counting {
            query.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
        } else if idsOnly {
            query.column(SQLColumn("id", table: "c"))
        } else {
            selectRowColumns(query, withPost: part == .withMainPost)
        }
        func table(_ name: String, _ alias: String) -> SQLAlias { SQLAlias(SQLIdentifier(name), as: SQLIdentifier(alias)) }
        switch part {
        case .withMainPost:
            let fixed = SQLRaw(sql.dialect.name == "sqlite" ? "CROSS" : "INNER")  // SQLKit adds JOIN; SQLite keeps CROSS JOIN's order
            if idsOnly {
                query.from(table("cadres", "c"))
                    .join(table("posts", "p"), method: fixed, on: SQLRaw("p.cadre_id = c.id AND \(openMain("p"))"))
                    .join(table("units", "u"), method: fixed, on: SQLColumn("unit_id", table: "p"), .equal, SQLColumn("id", table: "u"))
            } else {
                // From the units in code order through the partial index: a page stops after its rows.
                query.from(table("units", "u"))
                    .join(table("posts", "p"), method: fixed, on: SQLRaw("p.unit_id = u.id AND \(openMain("p"))"))
                    .join(table("cadres", "c"), method: SQLJoinMethod.inner, on: SQLColumn("cadre_id", table: "p"), .equal, SQLColumn("id", table: "c"))
            }
            unitFilters(query, filter)
            if !counting {
                query.orderBy(SQLColumn("code", table: "u")).orderBy(SQLColumn("sort_key", table: "p"))
                    .orderBy(SQLColumn("start_date", table: "p")).orderBy(SQLColumn("code", table: "c"))
            }
        case .withoutMainPost:
            query.from(table("cadres", "c"))
                .where(SQLRaw("NOT EXISTS (SELECT 1 FROM posts mp WHERE mp.cadre_id = c.id AND \(openMain("mp")))"))
            if !counting { query.orderBy(SQLColumn("code", table: "c")) }
        }
        cadreFilters(query, filter, scopeUnits: scopeUnits, today: today)
        return query
    }

    /// The filters on the main post's unit (alias `u`).
    private static func unitFilters(_ query: SQLSelectBuilder, _ filter: CadreFilter) {
        if let unitID = filter.unitID { query.where(SQLColumn("id", table: "u"), .equal, SQLBind(unitID)) }
        if let categoryID = filter.categoryID { query.where(SQLColumn("category_id", table: "u"), .equal, SQLBind(categoryID)) }
    }

    /// The ranks (职级) in use, for the list's filter: a walk over the 职级 index (009), one lookup per rank, so the cost
    /// does not grow with the number of cadres.
    static func ranks(on sql: any SQLDatabase) async throws -> [String] {
        struct R: Decodable { var rank: String }
        return try await sql.raw("""
            WITH RECURSIVE r(rank) AS (
              SELECT MIN(rank) FROM cadres WHERE rank > ''
              UNION ALL SELECT (SELECT MIN(c.rank) FROM cadres c WHERE c.rank > r.rank) FROM r WHERE r.rank IS NOT NULL)
            SELECT rank FROM r WHERE rank IS NOT NULL
            """).all(decoding: R.self).map(\.rank)
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
