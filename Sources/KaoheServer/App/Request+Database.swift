import SQLKit
import Vapor

extension Request {
    /// The request's database as SQLKit, for queries that Fluent's query builder does not express well.
    var sql: any SQLDatabase { db as! any SQLDatabase }
}

extension Application {
    var sql: any SQLDatabase { db as! any SQLDatabase }
}

/// Statements over many rows, within the bound-parameter limits of SQLite and PostgreSQL.
enum SQLBatch {
    /// Slices for `IN (…)` lists.
    static func chunks<T>(_ items: [T], _ size: Int = 900) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: size).map { items[$0..<min($0 + size, items.count)] }
    }

    /// From this many ids on, reading a whole table once (and keeping the wanted rows) is cheaper than IN lists.
    static let wholeTableThreshold = 5_000

    /// The rows of `query()` whose `column` is one of `ids`: by chunked IN lists, or for many ids one pass over the
    /// table. Rows are handed to `body` one at a time.
    static func rows<Key: Hashable & Codable & Sendable, Row: Decodable>(
        of ids: [Key], column: String, decoding: Row.Type, on sql: any SQLDatabase,
        _ query: () -> SQLSelectBuilder, _ body: (Row) -> Void
    ) async throws {
        guard !ids.isEmpty else { return }
        if ids.count >= wholeTableThreshold {
            let wanted = Set(ids)
            for row in try await query().all() where wanted.contains(try row.decode(column: column, as: Key.self)) {
                body(try row.decode(model: Row.self))
            }
        } else {
            for chunk in chunks(ids) {
                for r in try await query().where(SQLIdentifier(column), .in, SQLBind.group(Array(chunk))).all(decoding: Row.self) { body(r) }
            }
        }
    }

    /// Multi-row INSERTs of at most ~10,000 bound values each.
    static func insert(_ sql: any SQLDatabase, _ table: String, _ columns: [String], _ rows: [[any SQLExpression]]) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, 10_000 / columns.count)
        for start in stride(from: 0, to: rows.count, by: perStatement) {
            let insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(start + perStatement, rows.count)] { insert.values(row) }
            try await insert.run()
        }
    }
}
