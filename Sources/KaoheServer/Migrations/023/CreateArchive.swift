import Fluent
import SQLKit

/// 023: 考核档案 (issue 12). Approved grades keep the subject's name and unit as they were at approval (the registry
/// changes later); `archive_results` holds earlier years' results imported from .xlsx, one per year, kind, subject and
/// code, so the archive starts full.
struct CreateArchive: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("ALTER TABLE approved_grades ADD COLUMN name TEXT").run()
        try await sql.raw("ALTER TABLE approved_grades ADD COLUMN unit_name TEXT").run()
        try await db.schema("archive_results")
            .field("id", .uuid, .identifier(auto: false))
            .field("year", .int, .required)
            .field("kind", .string, .required)
            .field("subject", .string, .required)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("unit_name", .string, .required)
            .field("grade", .string, .required)
            .field("source", .string, .required)
            .unique(on: "year", "kind", "subject", "code")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("archive_results").delete()
        let sql = db as! any SQLDatabase
        try await sql.raw("ALTER TABLE approved_grades DROP COLUMN unit_name").run()
        try await sql.raw("ALTER TABLE approved_grades DROP COLUMN name").run()
    }
}
