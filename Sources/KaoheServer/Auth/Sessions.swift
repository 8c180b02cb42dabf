import Fluent
import NIOCore
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
    /// The cookie over plain HTTP (an intranet without TLS) …
    static let cookieName = "kaohe_session"
    /// … and over HTTPS: the `__Host-` prefix makes the browser insist on Secure, Path=/ and no Domain, so no
    /// other site or sub-domain can plant or overwrite it.
    static let secureCookieName = "__Host-kaohe_session"

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

    static func load(token: String, on db: any Database) async throws -> (SessionState, created: Double, lastSeen: Double)? {
        struct Row: Decodable { var id: String; var account_id: UUID?; var csrf_token: String; var created_at: Double; var last_seen_at: Double }
        let id = hash(token)
        guard let row = try await (db as! any SQLDatabase)
            .select().columns("id", "account_id", "csrf_token", "created_at", "last_seen_at").from("sessions")
            .where("id", .equal, SQLBind(id)).first(decoding: Row.self)
        else { return nil }
        return (SessionState(id: row.id, accountID: row.account_id, csrfToken: row.csrf_token), row.created_at, row.last_seen_at)
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

    /// Removes sessions idle past the timeout or older than the absolute lifetime, anonymous ones (login forms
    /// never submitted) included. Expiry is also checked on every read; this keeps the table small.
    static func purgeExpired(settings: Settings, now: Double, on db: any Database) async throws {
        try await (db as! any SQLDatabase).delete(from: "sessions")
            .where { $0.where("last_seen_at", .lessThan, SQLBind(now - Double(settings.sessionIdleMinutes * 60)))
                .orWhere("created_at", .lessThan, SQLBind(now - Double(settings.sessionMaxHours * 3600))) }
            .run()
    }

    /// Whether a session of these times is still alive.
    static func alive(created: Double, lastSeen: Double, now: Double, settings: Settings) -> Bool {
        now - lastSeen <= Double(settings.sessionIdleMinutes * 60) && now - created <= Double(settings.sessionMaxHours * 3600)
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
        let now = clock.epochSeconds
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

    /// Whether the browser reached us over HTTPS (directly, or as a trusted proxy says), or cookies are set to Secure.
    var isSecure: Bool {
        if settings.secureCookies || url.scheme == "https" || application.http.server.configuration.tlsConfiguration != nil {
            return true
        }
        return settings.behindProxy && headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }

    /// The client's address: the peer, or behind a trusted proxy the address that proxy appended to
    /// `X-Forwarded-For` (the last one: the ones before it are whatever the client wrote). Only an IP address.
    var clientAddress: String {
        if settings.behindProxy {
            let last = headers[.xForwardedFor].last?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces) ?? ""
            return Self.ipAddress(last) ?? "unknown"
        }
        return remoteAddress?.ipAddress.flatMap(Self.ipAddress) ?? "unknown"
    }

    /// `s` if it looks like an IPv4 or IPv6 address (hex digits, dots, colons; at most 45 characters), else nil.
    static func ipAddress(_ s: String) -> String? {
        guard !s.isEmpty, s.count <= 45, s.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else { return nil }
        return s
    }

    var sessionCookieName: String { isSecure ? SessionStore.secureCookieName : SessionStore.cookieName }

    var actor: Actor {
        guard let a = account, let id = a.id else { return .system }
        return Actor(id: id.uuidString, name: "\(a.displayName)（\(a.username)）")
    }
}

/// Loads the session from its cookie, enforces the idle timeout, the absolute lifetime and disabled accounts, and
/// writes the cookie back when the session was created, rotated or ended during the request. Future-based: a request
/// without a session cookie (a voter's, a first visit) reads nothing and passes without a task of its own.
struct DatabaseSessionMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        let name = request.sessionCookieName
        guard let token = request.cookies[name]?.string, !token.isEmpty else {
            return next.respond(to: request).map { Self.writeCookie(of: request, to: $0, name: name) }
        }
        return request.eventLoop.makeFutureWithTask {
            try await Self.load(token, into: request)
            return Self.writeCookie(of: request, to: try await next.respond(to: request).get(), name: name)
        }
    }

    private static func load(_ token: String, into request: Request) async throws {
        let settings = request.settings
        if let (state, created, lastSeen) = try await SessionStore.load(token: token, on: request.db) {
            let now = request.clock.epochSeconds
            if !SessionStore.alive(created: created, lastSeen: lastSeen, now: now, settings: settings) {
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
    }

    private static func writeCookie(of request: Request, to response: Response, name: String) -> Response {
        let secure = request.isSecure
        switch request.cookieChange {
        case .set(let token):
            response.cookies[name] = HTTPCookies.Value(
                string: token, expires: nil, maxAge: nil, domain: nil, path: "/",
                isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        case .clear:
            response.cookies[name] = HTTPCookies.Value(
                string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, domain: nil, path: "/",
                isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        case nil:
            break
        }
        return response
    }
}

/// Housekeeping on a schedule: expired sessions (anonymous ones too), login attempts and roster previews older than a day.
enum Housekeeping {
    static let interval: TimeAmount = .minutes(10)
    /// Login attempts are kept this long (the throttle needs only its window; the rest is for a look back).
    static let attemptRetention: Double = 24 * 3600

    static func purge(_ app: Application) async throws {
        let now = app.clock.epochSeconds
        try await SessionStore.purgeExpired(settings: app.kaohe.settings, now: now, on: app.db)
        try await LoginThrottle.purge(olderThan: max(attemptRetention, Double(app.kaohe.settings.loginWindowMinutes * 60)),
                                      now: now, on: app.db)
        try await RosterDrafts.purge(now: now, on: app.sql)
    }

    /// Runs `purge` every ten minutes while the server runs.
    struct Schedule: LifecycleHandler {
        final class Task: @unchecked Sendable { var repeated: RepeatedTask? }
        let task = Task()

        func didBoot(_ app: Application) throws {
            task.repeated = app.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .seconds(5), delay: interval) { _ in
                app.eventLoopGroup.next().makeFutureWithTask {
                    do { try await Housekeeping.purge(app) } catch { app.logger.warning("清理过期会话失败：\(error)") }
                }
            }
        }

        func shutdown(_ app: Application) { task.repeated?.cancel() }
    }
}
