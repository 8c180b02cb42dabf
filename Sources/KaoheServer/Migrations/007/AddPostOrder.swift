import Fluent
import SQLKit

/// 007: official post order. `order_number` is the 职务排序号 a clerk gives (nullable); `sort_key` is what lists sort by:
/// the number when given, else the default rank of the title. Existing posts get their default rank here, computed
/// by the rules as they stood when this migration was written (literal below; later changes to the ranking apply
/// to posts written after them).
struct AddPostOrder: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("ALTER TABLE posts ADD COLUMN order_number INTEGER").run()
        try await sql.raw("ALTER TABLE posts ADD COLUMN sort_key INTEGER NOT NULL DEFAULT 900").run()
        try await Self.backfill(sql)
        try await sql.raw("CREATE INDEX posts_unit_order_idx ON posts (unit_id, sort_key)").run()
    }

    /// Sets every post's `sort_key` to the default rank of its title (007's ranking).
    static func backfill(_ sql: any SQLDatabase) async throws {
        let heads = "'镇长','乡长','县长','区长','市长','局长','主任','院长','校长','行长','所长','站长','馆长','社长','处长','科长','总经理','董事长'"
        // The title without spaces, as PostOrder reads it.
        let t = "REPLACE(title, ' ', '')"
        func endsWithHead(_ suffixes: String) -> String {
            suffixes.split(separator: ",").map { "\(t) LIKE '%' || \($0)" }.joined(separator: " OR ")
        }
        let admin = endsWithHead(heads)
        let party = endsWithHead("'党委书记','党组书记','党工委书记','总支书记','支部书记','书记'")
        try await sql.raw(SQLQueryString("""
            UPDATE posts SET sort_key = CASE
              WHEN \(unsafeRaw: t) LIKE '%纪委书记%' OR \(unsafeRaw: t) LIKE '%纪工委书记%' OR \(unsafeRaw: t) LIKE '%纪检%' THEN 450
              WHEN \(unsafeRaw: t) NOT LIKE '%副%' AND \(unsafeRaw: t) NOT LIKE '%委员%' AND (\(unsafeRaw: party)) THEN 100
              WHEN \(unsafeRaw: t) LIKE '%人大%' THEN CASE WHEN \(unsafeRaw: t) LIKE '%副%' THEN 650 ELSE 300 END
              WHEN \(unsafeRaw: t) LIKE '%政协%' THEN CASE WHEN \(unsafeRaw: t) LIKE '%副%' THEN 650 ELSE 310 END
              WHEN \(unsafeRaw: t) LIKE '%副书记%' THEN 400
              WHEN \(unsafeRaw: t) LIKE '常务副%' THEN 500
              WHEN \(unsafeRaw: t) LIKE '%副%' AND (\(unsafeRaw: admin)) THEN 600
              WHEN (\(unsafeRaw: admin)) THEN 200
              WHEN principal THEN 250
              WHEN \(unsafeRaw: t) LIKE '%委员' OR \(unsafeRaw: t) LIKE '%武装部长' THEN 700
              WHEN \(unsafeRaw: t) LIKE '%副%' THEN 800
              ELSE 900 END
            """)).run()
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DROP INDEX posts_unit_order_idx").run()
        try await sql.raw("ALTER TABLE posts DROP COLUMN sort_key").run()
        try await sql.raw("ALTER TABLE posts DROP COLUMN order_number").run()
    }
}
