import Fluent
import SQLKit

/// 003: the hash-chained audit log (操作日志) and its head row, which serialises writers.
/// Frozen: states its own genesis hash (64 zeros) rather than reading the audit code's constant.
struct CreateAuditLog: AsyncMigration {
    static let genesisHash = String(repeating: "0", count: 64)

    func prepare(on db: any Database) async throws {
        try await db.schema("audit_entries")
            .field("seq", .int64, .identifier(auto: false))
            .field("at", .string, .required)
            .field("actor_id", .string, .required)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("entity", .string, .required)
            .field("entity_id", .string, .required)
            .field("before", .string)
            .field("after", .string)
            .field("reason", .string)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        try await db.schema("audit_head")
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int64, .required)
            .field("hash", .string, .required)
            .create()
        let sql = db as! any SQLDatabase
        try await sql.insert(into: "audit_head").columns("id", "seq", "hash")
            .values(SQLBind(1), SQLBind(Int64(0)), SQLBind(Self.genesisHash)).run()
        try await sql.raw("CREATE INDEX audit_entity_idx ON audit_entries (entity, entity_id)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("audit_head").delete()
        try await db.schema("audit_entries").delete()
    }
}
