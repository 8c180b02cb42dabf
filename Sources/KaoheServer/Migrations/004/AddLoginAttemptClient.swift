import Fluent
import SQLKit

/// 004: login attempts remember the client address, so that one client guessing many usernames is throttled too.
struct AddLoginAttemptClient: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("ALTER TABLE login_attempts ADD COLUMN client VARCHAR(64)").run()
        try await sql.raw("CREATE INDEX login_attempts_client_idx ON login_attempts (client, at)").run()
        try await sql.raw("CREATE INDEX sessions_created_idx ON sessions (created_at)").run()
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DROP INDEX sessions_created_idx").run()
        try await sql.raw("DROP INDEX login_attempts_client_idx").run()
        try await sql.raw("ALTER TABLE login_attempts DROP COLUMN client").run()
    }
}
