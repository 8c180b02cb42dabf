import Fluent
import SQLKit

/// 010: the backups made — by the schedule of `kaohe serve` and by `kaohe backup` — and the ones that failed, so the
/// administrator's home page can say when the last one was made and warn when it is old or failed. In the database,
/// so that several instances on one PostgreSQL agree on whether today's scheduled backup was made.
struct CreateBackupRuns: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("backup_runs")
            .field("id", .uuid, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("started_at", .double, .required)
            .field("finished_at", .double, .required)
            .field("ok", .bool, .required)
            .field("file", .string)
            .field("size", .int64)
            .field("sha256", .string)
            .field("audit_head", .string)
            .field("message", .string)
            .create()
        let sql = db as! any SQLDatabase
        try await sql.raw("CREATE INDEX backup_runs_started_idx ON backup_runs (started_at)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("backup_runs").delete()
    }
}
