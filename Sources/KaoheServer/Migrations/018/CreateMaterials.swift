import Fluent

/// 018: 考核材料 (seed 002 §三(一), R-P3): a team's summary and four lists (`subject` "team", `code` the unit's code), a
/// cadre's 述职述廉述学 report (`subject` "cadre", `code` the cadre's code), typed or read from an uploaded file, with
/// its length in 字; one per kind and subject in a campaign, every change audited.
struct CreateMaterials: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("materials")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("subject", .string, .required)
            .field("code", .string, .required)
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("filename", .string)
            .field("chars", .int, .required)
            .field("updated_at", .double, .required)
            .unique(on: "campaign_id", "subject", "code", "kind")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("materials").delete()
    }
}
