import Fluent
import SQLKit
import Vapor

/// The state of the current request's session, loaded by `DatabaseSessionMiddleware`.
struct SessionState: Sendable {
    var id: String            // SHA-256 of the cookie token, the row's key
    var accountID: UUID?
    var csrfToken: String
}

/// Sessions live in the database, keyed by the SHA-256 of a random cookie token, so several instances
/// on one PostgreSQL share them and a leaked table does not leak usable cookies.
enum SessionStore {
    static let cookieName = "kaohe_session"

    static func hash(_ token: String) -> String {
        AuditChain.hex(SHA256.hash(data: Data(token.utf8)))
    }

    static func randomToken() -> String {
        Data([UInt8].random(count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Creates a session row and returns its state and the cookie token.
    static func create(accountID: UUID?, now: Double, on db: any Database) async throws -> (SessionState, token: String) {
        let token = randomToken()
        let state = SessionState(id: hash(token), accountID: accountID, csrfToken: randomToken())
        try await (db as! any SQLDatabase).insert(into: "sessions")
            .columns("id", "account_id", "csrf_token", "created_at", "last_seen_at")
            .values(SQLBind(state.id), SQLBind(accountID), SQLBind(state.csrfToken), SQLBind(now), SQLBind(now))
            .run()
        return (state, token)
    }

    static func load(token: String, on db: any Database) async throws -> (SessionState, lastSeen: Double)? {
        struct Row: Decodable { var id: String; var account_id: UUID?; var csrf_token: String; var last_seen_at: Double }
        let id = hash(token)
        guard let row = try await (db as! any SQLDatabase)
            .select().columns("id", "account_id", "csrf_token", "last_seen_at").from("sessions")
            .where("id", .equal, SQLBind(id)).first(decoding: Row.self)
        else { return nil }
        return (SessionState(id: row.id, accountID: row.account_id, csrfToken: row.csrf_token), row.last_seen_at)
    }

    static func touch(_ id: String, now: Double, on db: any Database) async throws {
        try await (db as! any SQLDatabase).update("sessions")
            .set("last_seen_at", to: SQLBind(now)).where("id", .equal, SQLBind(id)).run()
    }

    static func delete(_ id: String, on db: any Database) async throws {
        try await (db as! any SQLDatabase).delete(from: "sessions").where("id", .equal, SQLBind(id)).run()
    }

    /// Ends every session of an account (account disabled, password changed by an administrator).
    static func endAll(accountID: UUID, on db: any Database) async throws {
        try await (db as! any SQLDatabase).delete(from: "sessions").where("account_id", .equal, SQLBind(accountID)).run()
    }

    /// Removes sessions idle for longer than the timeout (called now and then; expiry is also checked on read).
    static func purgeIdle(olderThan seconds: Double, now: Double, on db: any Database) async throws {
        try await (db as! any SQLDatabase).delete(from: "sessions")
            .where("last_seen_at", .lessThan, SQLBind(now - seconds)).run()
    }
}

extension Request {
    private struct SessionKey: StorageKey { typealias Value = SessionState }
    private struct AccountKey: StorageKey { typealias Value = Account }
    private struct CookieKey: StorageKey { typealias Value = CookieChange }
    enum CookieChange: Sendable { case set(String), clear }

    var sessionState: SessionState? {
        get { storage[SessionKey.self] }
        set { storage[SessionKey.self] = newValue }
    }
    /// The logged-in account, if any.
    var account: Account? {
        get { storage[AccountKey.self] }
        set { storage[AccountKey.self] = newValue }
    }
    var cookieChange: CookieChange? {
        get { storage[CookieKey.self] }
        set { storage[CookieKey.self] = newValue }
    }

    var settings: Settings { application.kaohe.settings }

    /// Ensures an (anonymous) session exists, so that a login form can carry a CSRF token.
    func ensureSession() async throws -> SessionState {
        if let s = sessionState { return s }
        let (state, token) = try await SessionStore.create(accountID: nil, now: clock.epochSeconds, on: db)
        sessionState = state
        cookieChange = .set(token)
        return state
    }

    /// Logs `account` in with a NEW session id (the old session row is deleted: no session fixation).
    func startSession(for account: Account) async throws {
        if let old = sessionState { try await SessionStore.delete(old.id, on: db) }
        // Housekeeping: sessions idle past the timeout are dead anyway (also checked on every read).
        let now = clock.epochSeconds
        try await SessionStore.purgeIdle(olderThan: Double(settings.sessionIdleMinutes * 60), now: now, on: db)
        let (state, token) = try await SessionStore.create(accountID: account.id, now: now, on: db)
        sessionState = state
        self.account = account
        cookieChange = .set(token)
    }

    func endSession() async throws {
        if let s = sessionState { try await SessionStore.delete(s.id, on: db) }
        sessionState = nil
        account = nil
        cookieChange = .clear
    }

    var actor: Actor {
        guard let a = account, let id = a.id else { return .system }
        return Actor(id: id.uuidString, name: "\(a.displayName)（\(a.username)）")
    }
}

/// Loads the session from its cookie, enforces the idle timeout and disabled accounts, and writes the
/// cookie back when the session was created, rotated or ended during the request.
struct DatabaseSessionMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let settings = request.settings
        if let token = request.cookies[SessionStore.cookieName]?.string, !token.isEmpty,
           let (state, lastSeen) = try await SessionStore.load(token: token, on: request.db) {
            let now = request.clock.epochSeconds
            let idle = Double(settings.sessionIdleMinutes * 60)
            if now - lastSeen > idle {
                try await SessionStore.delete(state.id, on: request.db)
                request.cookieChange = .clear
            } else {
                var valid = true
                if let accountID = state.accountID {
                    if let account = try await Account.find(accountID, on: request.db), !account.disabled {
                        request.account = account
                    } else {
                        try await SessionStore.endAll(accountID: accountID, on: request.db)
                        request.cookieChange = .clear
                        valid = false
                    }
                }
                if valid {
                    request.sessionState = state
                    if now - lastSeen > 30 { try await SessionStore.touch(state.id, now: now, on: request.db) }
                }
            }
        }
        let response = try await next.respond(to: request)
        switch request.cookieChange {
        case .set(let token):
            response.cookies[SessionStore.cookieName] = HTTPCookies.Value(
                string: token, expires: nil, maxAge: nil, domain: nil, path: "/",
                isSecure: settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
        case .clear:
            response.cookies[SessionStore.cookieName] = HTTPCookies.Value(
                string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, domain: nil, path: "/",
                isSecure: settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
        case nil:
            break
        }
        return response
    }
}
