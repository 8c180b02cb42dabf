import Fluent

/// 027: 廉政建设考核表 (seed 004 第二篇, R-S9): each unit's monthly scorecard in a campaign whose policy has one — the
/// points of each item (14 in the preset, 100 in all), averaged over the months and banded by R-S4.
struct CreateScorecards: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("scorecards")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("month", .int, .required)
            .field("items_json", .string, .required)
            .unique(on: "campaign_id", "unit_id", "month")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("scorecards").delete()
    }
}
