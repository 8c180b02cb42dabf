import Fluent
import Foundation
import SQLKit

/// 001: the registry — unit categories, units, teams, cadres, posts, yearly status facts.
struct CreateRegistry: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("unit_categories")
            .id()
            .field("name", .string, .required)
            .field("sort_order", .int, .required)
            .unique(on: "name")
            .create()
        try await db.schema("units")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("category_id", .uuid, .required, .references("unit_categories", "id"))
            .field("parent_id", .uuid, .references("units", "id"))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await db.schema("teams")
            .id()
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .unique(on: "unit_id")
            .create()
        try await db.schema("cadres")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("gender", .string, .required)
            .field("birth_date", .string)
            .field("political_status", .string, .required)
            .field("education", .string, .required)
            .field("rank", .string, .required)
            .field("retired_on", .string)
            .field("under_investigation", .bool, .required)
            .field("village_team", .bool, .required)
            .field("awaiting_assignment", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await db.schema("posts")
            .id()
            .field("cadre_id", .uuid, .required, .references("cadres", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("title", .string, .required)
            .field("principal", .bool, .required)
            .field("main_duty", .bool, .required)
            .field("start_date", .string, .required)
            .field("end_date", .string)
            .create()
        try await db.schema("cadre_year_facts")
            .id()
            .field("cadre_id", .uuid, .required, .references("cadres", "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("leave_days", .int, .required)
            .field("secondment_level", .string)
            .field("secondment_host_unit_id", .uuid, .references("units", "id"))
            .field("secondment_months", .int)
            .unique(on: "cadre_id", "year")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX posts_cadre_idx ON posts (cadre_id)").run()
            try await sql.raw("CREATE INDEX posts_unit_open_idx ON posts (unit_id, end_date)").run()
            try await sql.raw("CREATE INDEX cadres_name_idx ON cadres (name)").run()
        }
    }

    func revert(on db: any Database) async throws {
        for table in ["cadre_year_facts", "posts", "cadres", "teams", "units", "unit_categories"] {
            try await db.schema(table).delete()
        }
    }
}

/// 001: the default unit categories of the seeds (乡镇街道 / 县直单位 / 企业 / 学校医院); more can be added as data.
/// Frozen: writes its rows with SQL, not through the model, so that a later change to a model cannot change it.
struct SeedUnitCategories: AsyncMigration {
    static let defaults = ["乡镇街道", "县直单位", "企业", "学校医院"]
    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for (i, name) in Self.defaults.enumerated() {
            try await sql.insert(into: "unit_categories").columns("id", "name", "sort_order")
                .values(SQLBind(UUID()), SQLBind(name), SQLBind(i + 1)).run()
        }
    }
    func revert(on db: any Database) async throws {
        try await (db as! any SQLDatabase).delete(from: "unit_categories")
            .where("name", .in, SQLBind.group(Self.defaults)).run()
    }
}
