import Fluent

/// 026: 目标责任考核 (seed 004 第四篇, R-S8): the year's rule table (bases and points per kind of event, editable per
/// year), each working body's headcount, and the ledger of events entered during the year with their evidence. An entry
/// is withdrawn with a reason, never deleted.
struct CreateLedger: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("ledger_rules")
            .field("year", .int, .identifier(auto: false))
            .field("rules_json", .string, .required)
            .create()
        try await db.schema("ledger_headcounts")
            .field("id", .uuid, .identifier(auto: false))
            .field("year", .int, .required)
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("headcount", .int, .required)
            .unique(on: "year", "unit_id")
            .create()
        try await db.schema("ledger_entries")
            .field("id", .uuid, .identifier(auto: false))
            .field("year", .int, .required)
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("count", .double, .required)
            .field("points", .double)
            .field("on_day", .string, .required)
            .field("evidence", .string, .required)
            .field("withdrawn", .string)
            .create()
    }

    func revert(on db: any Database) async throws {
        for table in ["ledger_entries", "ledger_headcounts", "ledger_rules"] { try await db.schema(table).delete() }
    }
}
