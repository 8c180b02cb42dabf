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

    /// Uses the code and stores the ballot; returns when committed, or throws `Voting.Refusal` (used, closed).
    func cast(_ item: Item) async throws {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((item, continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(Self.batchLimit))
            waiting.removeFirst(batch.count)
            let outcomes: [Result<Void, any Error>]
            do {
                outcomes = try await database().transaction { tx in try await Self.write(batch.map(\.0), on: tx as! any SQLDatabase) }
            } catch {
                // Rolled back: every code of the batch is still unused, and each voter is asked to submit again.
                logger.error("测评票未能保存（\(batch.count) 张，已回滚）：\(String(reflecting: error))")
                outcomes = Array(repeating: .failure(Voting.Refusal.unavailable), count: batch.count)
            }
            for ((_, continuation), outcome) in zip(batch, outcomes) { continuation.resume(with: outcome) }
            checkpointNow(after: batch.count)
        }
        writing = false
    }

    /// SQLite: the batches take no checkpoint when they commit (a large one held every voter waiting behind it for
    /// up to 0.8 s); every `checkpointEvery` ballots a passive checkpoint runs beside them on another connection,
    /// copying the log into the database without waiting for or blocking anyone.
    static let checkpointEvery = 2_000
    private var sinceCheckpoint = 0
    private var checkpointing = false

    private func checkpointNow(after ballots: Int) {
        sinceCheckpoint += ballots
        guard sinceCheckpoint >= Self.checkpointEvery, !checkpointing,
              let sql = database() as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        sinceCheckpoint = 0
        checkpointing = true
        Task {
            do { try await sql.raw("PRAGMA wal_checkpoint(PASSIVE)").run() } catch { logger.warning("checkpoint: \(error)") }
            self.checkpointed()
        }
    }
    private func checkpointed() { checkpointing = false }

    /// A batch inside its transaction, in three statements whatever its size: the codes used (those still unused, of
    /// open sessions), then the ballots of those codes. A code twice in the batch counts once (the first); a refusal
    /// writes nothing for its ballot.
    static func write(_ items: [Item], on sql: any SQLDatabase) async throws -> [Result<Void, any Error>] {
        // SQLite: this connection keeps 64 MB of pages (the default 2 MB rereads the codes' index from the file), and
        // takes no checkpoint when it commits (`checkpointNow`).
        if sql.dialect.name == "sqlite" {
            try await sql.raw("PRAGMA cache_size = -65536").run()
            try await sql.raw("PRAGMA wal_autocheckpoint = 0").run()
        }
        var open = Set<UUID>()
        var closed = Set<UUID>()
        for session in Set(items.map(\.session)) {
            do {
                try await Voting.holdOpen(session, on: sql)
                open.insert(session)
            } catch Voting.Refusal.closed {
                closed.insert(session)
            }
        }
        let hashes = Set(items.filter { open.contains($0.session) }.map(\.hash))
        var usedNow = Set<String>()
        if !hashes.isEmpty {
            struct Used: Decodable { var hash: String }
            usedNow = Set(try await sql.raw("""
                UPDATE ballot_codes SET used = TRUE
                WHERE hash IN (\(binds: Array(hashes))) AND used = FALSE
                  AND session_id IN (SELECT id FROM evaluation_sessions WHERE status = \(bind: EvaluationSession.open))
                RETURNING hash
                """).all(decoding: Used.self).map(\.hash))
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

extension Application {
    private struct BallotBoxKey: StorageKey { typealias Value = BallotBox }
    /// Set by `configure` (it needs the database).
    var ballotBox: BallotBox {
        get { storage[BallotBoxKey.self]! }
        set { storage[BallotBoxKey.self] = newValue }
    }
}
