import Fluent
import SQLKit

/// 012: paper ballots entered twice (双人录入). A sheet is known by the number staff write on it; the first and the second
/// entry are kept, by different accounts, until they agree (or a mismatch is resolved by reading the paper again);
/// then the ballot goes into `ballots` (source `paper`) and the sheet keeps only its number and that it was counted
/// (or void: 废票). Nothing on a counted sheet points at its ballot.
struct CreatePaperSheets: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("paper_sheets")
            .field("id", .uuid, .identifier(auto: false))
            .field("session_id", .uuid, .required, .references("evaluation_sessions", "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("category", .string, .required)
            .field("status", .string, .required)
            .field("first_by", .uuid)
            .field("first_answers", .string)
            .field("second_by", .uuid)
            .field("second_answers", .string)
            .unique(on: "session_id", "number")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("paper_sheets").delete()
    }
}
