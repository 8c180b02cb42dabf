import Fluent
import Foundation
import SQLKit
import Vapor

/// Group commit for ballots: submissions that arrive while a transaction is being written wait for the next one, and
/// each transaction uses the codes and stores the ballots of everything waiting — one commit (one fsync) for many
/// voters, as a meeting of 300 submits at once. Each ballot is still all or nothing: its code is used and its ballot
/// stored in the same transaction, or neither; a code already used (also earlier in the same batch) is refused. On
/// PostgreSQL the ballots of a batch share one transaction id, so fewer of them can be told apart by it.
actor BallotBox {
    struct Item: Sendable {
        var hash: String
        var session: UUID
        var category: String
        var stored: String
    }

    private var waiting: [(Item, CheckedContinuation<Void, any Error>)] = []
    private var writing = false
    private let database: @Sendable () -> any Database
    private let logger: Logger
    static let batchLimit = 500

    init(logger: Logger, database: @escaping @Sendable () -> any Database) {
        self.logger = logger
        self.database = database
    }

    /// Uses the code and stores the ballot; returns when committed, or throws `Voting.Refusal` (used, closed, or
    /// unavailable when the database failed).
    func cast(_ item: Item) async throws {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((item, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    /// Writes batches while voters wait, all on one connection held for as long as there is work: on SQLite a
    /// connection's page cache is emptied whenever another connection wrote since its last transaction, so batches
    /// that took turns on the pool's connections each read the codes' index again from the file.
    private func drain() async {
        while !waiting.isEmpty {
            do {
                try await database().withConnection { connection in await self.writeWaiting(on: connection) }
            } catch {
                // No connection to be had: nothing was written, and each voter is asked to submit again.
                logger.error("测评票未能保存（无法连接数据库）：\(String(describing: error))")
                let failed = waiting
                waiting.removeAll()
                for (_, continuation) in failed { continuation.resume(throwing: Voting.Refusal.unavailable) }
            }
        }
        writing = false
    }

    /// SQLite: while the box holds its connection, that connection keeps 64 MB of pages — the codes and ballots of a
    /// large session (the default 2 MB rereads the codes' index from the file for every batch) —, and gives them back
    /// when it returns the connection to the pool.
    static let cachePages = "PRAGMA cache_size = -65536"
    static let defaultCachePages = "PRAGMA cache_size = -2000"

    private func writeWaiting(on connection: any Database) async {
        let sql = connection as! any SQLDatabase
        let sqlite = sql.dialect.name == "sqlite"
        if sqlite { try? await sql.raw(SQLQueryString(Self.cachePages)).run() }
        await writeBatches(on: sql)
        if sqlite { try? await sql.raw(SQLQueryString(Self.defaultCachePages)).run() }
    }

    private func writeBatches(on sql: any SQLDatabase) async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(Self.batchLimit))
            waiting.removeFirst(batch.count)
            let outcomes: [Result<Void, any Error>]
            do {
                outcomes = try await Self.transaction(on: sql) { try await Self.write(batch.map(\.0), on: $0) }
            } catch {
                // Rolled back: every code of the batch is still unused, and each voter is asked to submit again.
                // `describing`, never `reflecting`: PostgreSQL's errors reflect their query with its binds (answers, hashes).
                logger.error("测评票未能保存（\(batch.count) 张，已回滚）：\(String(describing: error))")
                for (_, continuation) in batch { continuation.resume(throwing: Voting.Refusal.unavailable) }
                return  // the next batch on another connection: this one may be broken
            }
            for ((_, continuation), outcome) in zip(batch, outcomes) { continuation.resume(with: outcome) }
        }
    }

    /// BEGIN … COMMIT on the held connection, ROLLBACK on any failure. Said here, not left to `Database.transaction`:
    /// FluentPostgresDriver marks a connection from `withConnection` as already in a transaction, and its
    /// `transaction` then runs the statements one by one in autocommit (a code used without its ballot).
    static func transaction<T>(on sql: any SQLDatabase, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await sql.raw("BEGIN").run()
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    /// A batch inside its transaction, one statement for each step whatever its size: the sessions held (PostgreSQL),
    /// the codes used (those still unused, of open sessions), the ballots of those codes. A code twice in the batch counts once (the first); a refusal
    /// writes nothing for its ballot.
    static func write(_ items: [Item], on sql: any SQLDatabase) async throws -> [Result<Void, any Error>] {
        let sessions = Set(items.map(\.session))
        let open = try await Voting.holdOpen(sessions, on: sql)
        let closed = sessions.subtracting(open)
        let hashes = Set(items.filter { open.contains($0.session) }.map(\.hash))
        var usedNow = Set<String>()
        if !hashes.isEmpty {
            struct Used: Decodable { var hash: String }
            usedNow = Set(try await sql.raw(useCodes(Array(hashes), sqlite: sql.dialect.name == "sqlite")).all(decoding: Used.self).map(\.hash))
        }
        // A session closed by another instance between the hold and the update (SQLite: none, one writer).
        var refused: [UUID: Voting.Refusal] = [:]
        let missed = Set(items.filter { open.contains($0.session) && !usedNow.contains($0.hash) }.map(\.session))
        if !missed.isEmpty {
            struct S: Decodable { var id: UUID; var status: String }
            for row in try await sql.raw("SELECT id, status FROM evaluation_sessions WHERE id IN (\(binds: Array(missed)))").all(decoding: S.self) {
                refused[row.id] = row.status == EvaluationSession.open ? .used : .closed
            }
        }
        var results: [Result<Void, any Error>] = []
        var stored: [Item] = []
        for item in items {
            if closed.contains(item.session) {
                results.append(.failure(Voting.Refusal.closed))
            } else if usedNow.remove(item.hash) != nil {
                stored.append(item)
                results.append(.success(()))
            } else {
                results.append(.failure(refused[item.session] ?? Voting.Refusal.used))
            }
        }
        // In no particular order: nothing in the rows follows the order of voting.
        if !stored.isEmpty {
            var insert = sql.insert(into: "ballots").columns("id", "session_id", "category", "source", "answers")
            for item in stored.shuffled() {
                insert = insert.values(SQLBind(UUID()), SQLBind(item.session), SQLBind(item.category), SQLBind("phone"), SQLBind(item.stored))
            }
            try await insert.run()
        }
        return results
    }
}

extension BallotBox {
    /// Marks the codes of `hashes` used where they are unused and their session open; returns their hashes.
    /// SQLite plans without statistics: offered a term on `session_id`, it walks every code of the session in the
    /// session's index (213–331 µs a ballot among 40,000 codes) instead of looking up each hash (30 µs). A unary +
    /// keeps a term off the indexes (PostgreSQL has no + for these types, and plans by statistics).
    static func useCodes(_ hashes: [String], sqlite: Bool) -> SQLQueryString {
        let offIndex = SQLRaw(sqlite ? "+" : "")
        return """
            UPDATE ballot_codes SET used = TRUE
            WHERE hash IN (\(binds: hashes)) AND \(offIndex)used = FALSE
              AND \(offIndex)session_id IN (SELECT id FROM evaluation_sessions WHERE status = \(bind: EvaluationSession.open))
            RETURNING hash
            """
    }
}

extension Application {
    private struct BallotBoxKey: StorageKey { typealias Value = BallotBox }
    /// Set by `configure` (it needs the database).
    var ballotBox: BallotBox {
        get { storage[BallotBoxKey.self]! }
        set { storage[BallotBoxKey.self] = newValue }
    }
}
