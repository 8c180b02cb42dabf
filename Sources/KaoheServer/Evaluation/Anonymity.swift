import Foundation
import Logging
import SQLKit

/// What keeps a ballot from being traced to its code, beyond what the rows hold (see migration 011).
///
/// SQLite: ballots and codes live in `WITHOUT ROWID` tables keyed by a random id and by the code's hash, so neither a
/// hidden rowid nor the order of the stored rows follows the order of voting — from the first ballot on.
///
/// PostgreSQL keeps rows in the order they were written, and stamps each with the id of the transaction that wrote
/// it (`xmin`): while a session is open, a ballot and the use of its code share a transaction id. Closing the session
/// therefore rewrites its ballots and codes in one transaction, in the order of their random keys, so that all carry
/// the closing transaction's id and lie in key order; the old versions are then vacuumed away. Between the first
/// ballot and the close, someone with SQL access to the live database could link a ballot to its code's hash — which
/// still names no voter unless the slips were handed out by name. docs/decisions.md D18.
enum Anonymity {
    static func scrub(session: UUID, on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("CREATE TEMPORARY TABLE scrub_ballots ON COMMIT DROP AS SELECT * FROM ballots WHERE session_id = \(bind: session)").run()
        try await sql.raw("DELETE FROM ballots WHERE session_id = \(bind: session)").run()
        try await sql.raw("INSERT INTO ballots SELECT * FROM scrub_ballots ORDER BY id").run()
        try await sql.raw("CREATE TEMPORARY TABLE scrub_codes ON COMMIT DROP AS SELECT * FROM ballot_codes WHERE session_id = \(bind: session)").run()
        try await sql.raw("DELETE FROM ballot_codes WHERE session_id = \(bind: session)").run()
        try await sql.raw("INSERT INTO ballot_codes SELECT * FROM scrub_codes ORDER BY hash").run()
    }

    /// The rewritten rows' old versions gone (PostgreSQL; outside any transaction), or SQLite's write-ahead log, which
    /// holds each vote's pages in commit order, written back and emptied. Best effort: autovacuum and SQLite's own
    /// checkpoints do it too, later.
    static func vacuum(on sql: any SQLDatabase, logger: Logger) async {
        guard sql.dialect.name == "postgresql" else {
            _ = try? await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").all()
            return
        }
        do { try await sql.raw("VACUUM ballots, ballot_codes").run() } catch {
            logger.warning("VACUUM ballots 失败（自动清理稍后进行）：\(String(reflecting: error))")
        }
    }
}
