import Fluent
import SQLKit

/// 011: campaigns (考核), the democratic-evaluation sessions of their units (民主测评), one-time codes and ballots.
/// Ballots are anonymous by construction: a ballot row holds its session, the voter's category, where it came from
/// (phone or paper) and the answers — no code, no time, no address, and a random key in a table without an
/// insertion-ordered key (`WITHOUT ROWID` on SQLite, where even the hidden rowid would follow the order of voting).
/// A code row holds only the keyed hash of the code, its category and whether it was used — never when. A session
/// keeps the ballot it was prepared with (`sheet_json`): the printed paper ballots and the phone ballots are the same.
struct CreateCampaigns: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("campaigns")
            .field("id", .uuid, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("year", .int, .required)
            .field("cutoff", .string, .required)
            .field("title", .string, .required)
            .field("policy_name", .string, .required)
            .field("policy_json", .string, .required)
            .field("created_at", .double, .required)
            .create()
        try await db.schema("evaluation_sessions")
            .field("id", .uuid, .identifier(auto: false))
            .field("campaign_id", .uuid, .required, .references("campaigns", "id", onDelete: .cascade))
            .field("unit_id", .uuid, .required, .references("units", "id"))
            .field("held_on", .string, .required)
            .field("place", .string, .required)
            .field("categories_json", .string, .required)
            .field("sheet_json", .string, .required)
            .field("status", .string, .required)
            .unique(on: "campaign_id", "unit_id")
            .create()
        let sql = db as! any SQLDatabase
        let sqlite = sql.dialect.name == "sqlite"
        let withoutRowID = sqlite ? " WITHOUT ROWID" : ""
        try await sql.raw("""
            CREATE TABLE ballot_codes (
              hash TEXT PRIMARY KEY NOT NULL,
              session_id UUID NOT NULL REFERENCES evaluation_sessions (id) ON DELETE CASCADE,
              category TEXT NOT NULL,
              used BOOLEAN NOT NULL DEFAULT FALSE
            )\(unsafeRaw: withoutRowID)
            """).run()
        try await sql.raw("CREATE INDEX ballot_codes_session_idx ON ballot_codes (session_id, category, used)").run()
        try await sql.raw("""
            CREATE TABLE ballots (
              id UUID PRIMARY KEY NOT NULL,
              session_id UUID NOT NULL REFERENCES evaluation_sessions (id) ON DELETE CASCADE,
              category TEXT NOT NULL,
              source TEXT NOT NULL,
              answers TEXT NOT NULL
            )\(unsafeRaw: withoutRowID)
            """).run()
        try await sql.raw("CREATE INDEX ballots_session_idx ON ballots (session_id, id)").run()
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DROP TABLE ballots").run()
        try await sql.raw("DROP TABLE ballot_codes").run()
        try await db.schema("evaluation_sessions").delete()
        try await db.schema("campaigns").delete()
    }
}
