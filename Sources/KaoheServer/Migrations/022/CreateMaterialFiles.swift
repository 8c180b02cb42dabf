import Fluent

/// 022: a material handed in as a PDF (R-P3, seed 002 §三(一)): the file itself, kept beside the material's typed text
/// (a PDF's 字 cannot be counted here, so its text is pasted for the count). One file per material.
struct CreateMaterialFiles: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("material_files")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("code", .string, .required)
            .field("kind", .string, .required)
            .field("filename", .string, .required)
            .field("content", .data, .required)
            .field("sha256", .string, .required)
            .unique(on: "campaign_id", "subject", "code", "kind")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("material_files").delete()
    }
}
