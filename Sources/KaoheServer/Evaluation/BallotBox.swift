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
    static let batchLimit = 500

    init(database: @escaping @Sendable () -> any Database) { self.database = database }

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
                outcomes = try await database().transaction { tx in
                    let sql = tx as! any SQLDatabase
                    var results: [Result<Void, any Error>] = []
                    var held = Set<UUID>()
                    for (item, _) in batch {
                        do {
                            if !held.contains(item.session) {
                                try await Voting.holdOpen(item.session, on: sql)
                                held.insert(item.session)
                            }
                            try await Self.write(item, on: sql)
                            results.append(.success(()))
                        } catch let refusal as Voting.Refusal {
                            results.append(.failure(refusal))
                        }
                    }
                    return results
                }
            } catch {
                outcomes = Array(repeating: .failure(error), count: batch.count)
            }
            for ((_, continuation), outcome) in zip(batch, outcomes) { continuation.resume(with: outcome) }
        }
        writing = false
    }

    /// One ballot inside the batch's transaction: the code used (if it still is unused and its session open), then
    /// the ballot. A refusal writes nothing.
    static func write(_ item: Item, on sql: any SQLDatabase) async throws {
        let used = try await sql.raw("""
            UPDATE ballot_codes SET used = TRUE
            WHERE hash = \(bind: item.hash) AND used = FALSE
              AND session_id IN (SELECT id FROM evaluation_sessions WHERE status = \(bind: EvaluationSession.open))
            RETURNING category
            """).first()
        guard used != nil else {
            struct S: Decodable { var status: String }
            let status = try await sql.raw("SELECT status FROM evaluation_sessions WHERE id = \(bind: item.session)").first(decoding: S.self)
            throw status?.status == EvaluationSession.open ? Voting.Refusal.used : Voting.Refusal.closed
        }
        try await Voting.insertBallot(session: item.session, category: item.category, source: "phone", stored: item.stored, on: sql)
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
