import Fluent
import SQLKit

/// 009: indexes for lists at province scale (100,000 cadres, 10,000 units). Partial indexes hold only the open main-duty
/// posts (one per cadre at most): by unit in official order — the cadre list walks it unit by unit and counts it to skip
/// whole units on deep pages — and by cadre, to find cadres without one. `posts_unit_order_idx` (007) is replaced by
/// the first. The 职级 index lets the list's filter read the ranks in use without a scan; the audit log's (entity, seq)
/// index pages an entity's entries newest first without a sort. Both databases understand
/// `TRUE` (SQLite from 3.23), and the queries repeat the predicate literally so the planner can use the indexes.
struct AddListIndexes: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DROP INDEX posts_unit_order_idx").run()
        try await sql.raw("""
            CREATE INDEX posts_open_main_idx ON posts (unit_id, sort_key, start_date) WHERE end_date IS NULL AND main_duty = TRUE
            """).run()
        try await sql.raw("CREATE INDEX posts_open_main_cadre_idx ON posts (cadre_id) WHERE end_date IS NULL AND main_duty = TRUE").run()
        try await sql.raw("CREATE INDEX cadres_rank_idx ON cadres (rank)").run()
        try await sql.raw("CREATE INDEX audit_entity_seq_idx ON audit_entries (entity, seq)").run()
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DROP INDEX audit_entity_seq_idx").run()
        try await sql.raw("DROP INDEX cadres_rank_idx").run()
        try await sql.raw("DROP INDEX posts_open_main_cadre_idx").run()
        try await sql.raw("DROP INDEX posts_open_main_idx").run()
        try await sql.raw("CREATE INDEX posts_unit_order_idx ON posts (unit_id, sort_key)").run()
    }
}
