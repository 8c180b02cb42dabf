import Fluent
import Foundation
import SQLKit

/// After N failures for one account within the window, further tries are refused until the oldest of
/// those failures leaves the window. Counting starts again after a success. Nothing is locked forever.
enum LoginThrottle {
    struct Attempt: Decodable { var succeeded: Bool; var at: Double }

    static func blockedUntil(username: String, settings: Settings, now: Double, on db: any Database) async throws -> Double? {
        let window = Double(settings.loginWindowMinutes * 60)
        let attempts = try await (db as! any SQLDatabase).select().columns("succeeded", "at").from("login_attempts")
            .where("username", .equal, SQLBind(username)).where("at", .greaterThan, SQLBind(now - window))
            .orderBy("at", .descending).all(decoding: Attempt.self)
        var failures: [Double] = []
        for a in attempts {
            if a.succeeded { break }
            failures.append(a.at)
        }
        guard failures.count >= settings.loginMaxFailures else { return nil }
        // The N-th most recent failure leaving the window frees the account.
        return failures[settings.loginMaxFailures - 1] + window
    }

    static func record(username: String, succeeded: Bool, now: Double, on db: any Database) async throws {
        try await (db as! any SQLDatabase).insert(into: "login_attempts").columns("id", "username", "succeeded", "at")
            .values(SQLBind(UUID()), SQLBind(username), SQLBind(succeeded), SQLBind(now)).run()
    }
}
