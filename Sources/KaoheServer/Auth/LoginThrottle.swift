import Fluent
import Foundation
import SQLKit

/// Password guessing is slowed per account and per client. Every try is recorded as a failure BEFORE the password
/// is checked, so parallel guesses count each other; a try that finds the account (or the client) over its limit is
/// refused unchecked and leaves no row, so refused tries never extend the pause. After N failures of one account
/// within the window (counting from its last success), or M failures from one client address, tries are refused
/// until the oldest of those failures leaves the window. Nothing is locked forever.
enum LoginThrottle {
    enum Verdict: Equatable {
        /// Go on and check the password; report a success with `succeeded(attempt:)`. The failures before this try
        /// (of the account since its last success, and of the client) tell whether a failure now starts a pause.
        case allowed(attempt: UUID, accountFailures: Int, clientFailures: Int)
        /// Refused unchecked until this time (seconds since 1970); `byClient` when the client address is over its limit.
        case blocked(until: Double, byClient: Bool)
    }

    static func begin(username: String, client: String, settings: Settings, now: Double, on db: any Database) async throws -> Verdict {
        let sql = db as! any SQLDatabase
        let window = Double(settings.loginWindowMinutes * 60)
        let id = UUID()
        try await sql.insert(into: "login_attempts").columns("id", "username", "client", "succeeded", "at")
            .values(SQLBind(id), SQLBind(username), SQLBind(client), SQLBind(false), SQLBind(now)).run()

        struct Attempt: Decodable { var id: UUID; var succeeded: Bool; var at: Double }
        let attempts = try await sql.select().columns("id", "succeeded", "at").from("login_attempts")
            .where("username", .equal, SQLBind(username)).where("at", .greaterThan, SQLBind(now - window))
            .orderBy("at", .descending).all(decoding: Attempt.self)
        var earlierFailures: [Double] = []
        for a in attempts where a.id != id {
            if a.succeeded { break }
            earlierFailures.append(a.at)
        }
        if earlierFailures.count >= settings.loginMaxFailures {
            try await sql.delete(from: "login_attempts").where("id", .equal, SQLBind(id)).run()
            // The N-th most recent failure leaving the window frees the account.
            return .blocked(until: earlierFailures[settings.loginMaxFailures - 1] + window, byClient: false)
        }

        struct At: Decodable { var at: Double }
        let fromClient = try await sql.select().column("at").from("login_attempts")
            .where("client", .equal, SQLBind(client)).where("succeeded", .equal, SQLBind(false))
            .where("at", .greaterThan, SQLBind(now - window)).where("id", .notEqual, SQLBind(id))
            .orderBy("at", .descending).limit(settings.loginMaxFailuresPerClient).all(decoding: At.self)
        if fromClient.count >= settings.loginMaxFailuresPerClient {
            try await sql.delete(from: "login_attempts").where("id", .equal, SQLBind(id)).run()
            return .blocked(until: fromClient[settings.loginMaxFailuresPerClient - 1].at + window, byClient: true)
        }
        return .allowed(attempt: id, accountFailures: earlierFailures.count, clientFailures: fromClient.count)
    }

    /// The password was right: this attempt is a success (the account's failures count again from here).
    static func succeeded(attempt: UUID, on db: any Database) async throws {
        try await (db as! any SQLDatabase).update("login_attempts").set("succeeded", to: SQLBind(true))
            .where("id", .equal, SQLBind(attempt)).run()
    }

    /// Attempts older than `age` seconds are only history: removed by the housekeeping.
    static func purge(olderThan age: Double, now: Double, on db: any Database) async throws {
        try await (db as! any SQLDatabase).delete(from: "login_attempts").where("at", .lessThan, SQLBind(now - age)).run()
    }

    /// The message for a refused try.
    static func message(_ until: Double, byClient: Bool, now: Double, settings: Settings) -> String {
        let minutes = max(1, Int((until - now) / 60.0 + 0.999))
        if byClient {
            return "本机 \(settings.loginWindowMinutes) 分钟内登录失败次数过多，已暂停登录，请约 \(minutes) 分钟后再试。"
        }
        return "该账号 \(settings.loginWindowMinutes) 分钟内连续登录失败 \(settings.loginMaxFailures) 次，已暂停登录，请约 \(minutes) 分钟后再试。"
    }
}
