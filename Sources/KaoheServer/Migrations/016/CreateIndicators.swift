import Fluent
import SQLKit

/// 016: quantitative assessment (量化考核, R-S2; seed 003 §五(三)5 各考核责任单位按照分工提供量化考核得分).
/// - `indicators`: a campaign's indicators, each in a part of the policy's composite (or the whole score when the policy
///   has none), with its full points and the scoring unit (考核责任单位, a unit of the registry) that scores it; none: the
///   organisation department scores it itself (the assessment group's 综合考评).
/// - `indicator_scores`: one team's (its unit's) score of one indicator, or "not applicable", with the evidence note.
struct CreateIndicators: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("indicators")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("part", .string, .required)
            .field("name", .string, .required)
            .field("max_points", .double, .required)
            .field("scoring_unit_id", .uuid, .references("units", "id", onDelete: .setNull))
            .field("position", .int, .required)
            .unique(on: "campaign_id", "part", "name")
            .create()
        try await db.schema("indicator_scores")
            .field("id", .uuid, .identifier(auto: false))
            .field("indicator_id", .uuid, .required, .references("indicators", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("score", .double)
            .field("not_applicable", .bool, .required)
            .field("evidence", .string, .required)
            .unique(on: "indicator_id", "unit_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("indicator_scores").delete()
        try await db.schema("indicators").delete()
    }
}
