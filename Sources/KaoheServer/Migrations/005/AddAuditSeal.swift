import Fluent
import SQLKit

/// 005: each audit entry and the chain head get an HMAC under a key kept outside the database (`audit.key`), so that
/// whoever can write the database still cannot rewrite the chain unseen. Entries written before stay unsealed.
struct AddAuditSeal: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("ALTER TABLE audit_entries ADD COLUMN mac VARCHAR(64)").run()
        try await sql.raw("ALTER TABLE audit_head ADD COLUMN mac VARCHAR(64)").run()
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("ALTER TABLE audit_head DROP COLUMN mac").run()
        try await sql.raw("ALTER TABLE audit_entries DROP COLUMN mac").run()
    }
}
