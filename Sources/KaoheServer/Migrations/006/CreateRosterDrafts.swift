import Fluent
import SQLKit

/// 006: roster previews awaiting confirmation — the uploaded file, the digest of what it would write, and the
/// preview itself in pages (so that a 100,000-row preview pages as fast as a small one). Deleted on confirmation,
/// on discard, and by the housekeeping after a day.
struct CreateRosterDrafts: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("roster_drafts")
            .field("id", .uuid, .identifier(auto: false))
            .field("owner", .string, .required)
            .field("filename", .string, .required)
            .field("content", .data, .required)
            .field("digest", .string, .required)
            .field("summary", .string, .required)
            .field("created_at", .double, .required)
            .create()
        try await db.schema("roster_draft_pages")
            .field("draft_id", .uuid, .required, .references("roster_drafts", "id", onDelete: .cascade))
            .field("section", .string, .required)
            .field("page", .int, .required)
            .field("body", .string, .required)
            .compositeIdentifier(over: "draft_id", "section", "page")
            .create()
        let sql = db as! any SQLDatabase
        try await sql.raw("CREATE INDEX roster_drafts_created_idx ON roster_drafts (created_at)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("roster_draft_pages").delete()
        try await db.schema("roster_drafts").delete()
    }
}
