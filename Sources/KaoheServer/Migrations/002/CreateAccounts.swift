import Fluent
import SQLKit

/// 002: accounts, assessment groups and their scope, database sessions and login attempts (throttling).
struct CreateAccounts: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("accounts")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("unit_id", .uuid, .references("units", "id"))
            .field("cadre_id", .uuid, .references("cadres", "id", onDelete: .setNull))
            .field("scoring_unit_id", .uuid, .references("units", "id"))
            .field("must_change_password", .bool, .required)
            .field("disabled", .bool, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .create()
        try await db.schema("assessment_groups")
            .id()
            .field("name", .string, .required)
            .unique(on: "name")
            .create()
        try await db.schema("assessment_group_units")
            .id()
            .field("group_id", .uuid, .required, .references("assessment_groups", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id", onDelete: .cascade))
            .unique(on: "group_id", "unit_id")
            .create()
        try await db.schema("assessment_group_members")
            .id()
            .field("group_id", .uuid, .required, .references("assessment_groups", "id", onDelete: .cascade))
            .field("account_id", .uuid, .required, .references("accounts", "id", onDelete: .cascade))
            .unique(on: "group_id", "account_id")
            .create()
        // Sessions are stored by the SHA-256 of their cookie token, never the token itself.
        try await db.schema("sessions")
            .field("id", .string, .identifier(auto: false))
            .field("account_id", .uuid, .references("accounts", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .double, .required)
            .field("last_seen_at", .double, .required)
            .create()
        try await db.schema("login_attempts")
            .id()
            .field("username", .string, .required)
            .field("succeeded", .bool, .required)
            .field("at", .double, .required)
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.raw("CREATE INDEX sessions_account_idx ON sessions (account_id)").run()
            try await sql.raw("CREATE INDEX login_attempts_user_idx ON login_attempts (username, at)").run()
        }
    }

    func revert(on db: any Database) async throws {
        for table in ["login_attempts", "sessions", "assessment_group_members", "assessment_group_units",
                      "assessment_groups", "accounts"] {
            try await db.schema(table).delete()
        }
    }
}
