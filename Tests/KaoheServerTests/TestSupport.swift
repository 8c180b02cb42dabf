import Fluent
import FluentPostgresDriver
import Foundation
@testable import KaoheServer
import SQLKit
import Testing
import Vapor
import VaporTesting

/// The root suite: every server test runs under it, one at a time, because on PostgreSQL they share one
/// database (`DATABASE_URL`), which each test wipes first. Without `DATABASE_URL` each test gets its own
/// SQLite file.
@Suite("Kaohe server", .serialized)
struct KaoheServerTests {}

let testAdminPassword = "admin-password-123"

/// Settings for a test: PostgreSQL when `DATABASE_URL` is set, else a fresh SQLite file.
func testSettings(_ dir: String) -> Settings {
    var settings = Settings(dataDirectory: dir, storage: .sqlite(path: dir + "/kaohe.sqlite"), adminPassword: testAdminPassword)
    if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty {
        settings.storage = .postgres(url: url)
    }
    return settings
}

var usingPostgres: Bool { !(ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "").isEmpty }

/// Wipes the shared PostgreSQL database so each test starts from an empty schema.
func resetPostgres(_ url: String) async throws {
    let app = try await Application.make(.testing)
    do {
        try app.databases.use(.postgres(configuration: .init(url: url)), as: .psql)
        let sql = app.db as! any SQLDatabase
        try await sql.raw("DROP SCHEMA public CASCADE").run()
        try await sql.raw("CREATE SCHEMA public").run()
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// configure → migrate → test → shutdown, on a clean database. The first administrator must change its password
/// at first login; most tests are about something else, so by default they start after that change
/// (`keepFirstPasswordChange: true` keeps it, as on a real first start).
func withTestApp<T>(
    adjust: (inout Settings) -> Void = { _ in },
    keepFirstPasswordChange: Bool = false,
    _ test: (Application) async throws -> T
) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kaohe-test-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var settings = testSettings(dir)
    adjust(&settings)
    if case .postgres(let url) = settings.storage { try await resetPostgres(url) }
    let app = try await Application.make(.testing)
    let result: T
    do {
        try configure(app, settings: settings)
        try await prepareDatabase(app)
        if !keepFirstPasswordChange { try await app.skipFirstPasswordChange() }
        result = try await test(app)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
    return result
}

/// A browser: keeps the session cookie, reads CSRF tokens from pages, posts forms.
final class Browser: @unchecked Sendable {
    let app: Application
    var sessionCookie: String?
    var csrf: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        let res = try await app.testing().sendRequest(.GET, path, headers: headers())
        remember(res)
        if let token = Self.csrfToken(in: res.body.string) { csrf = token }
        return res
    }

    @discardableResult
    func post(_ path: String, _ form: [String: String] = [:], withCSRF: Bool = true) async throws -> TestingHTTPResponse {
        var fields = form
        if withCSRF, let csrf { fields["_csrf"] = csrf }
        var h = headers()
        h.contentType = .urlEncodedForm
        let body = ByteBuffer(string: Self.urlEncode(fields))
        let res = try await app.testing().sendRequest(.POST, path, headers: h, body: body)
        remember(res)
        if let token = Self.csrfToken(in: res.body.string) { csrf = token }
        return res
    }

    /// Logs in through the real form; returns the response to the POST.
    @discardableResult
    func login(_ username: String, _ password: String) async throws -> TestingHTTPResponse {
        try await get("/login")
        return try await post("/login", ["username": username, "password": password])
    }

    func headers() -> HTTPHeaders {
        var h = HTTPHeaders()
        h.add(name: .accept, value: "text/html")
        if let sessionCookie { h.add(name: .cookie, value: "\(SessionStore.cookieName)=\(sessionCookie)") }
        return h
    }

    private func remember(_ res: TestingHTTPResponse) {
        for header in res.headers[.setCookie] where header.hasPrefix(SessionStore.cookieName + "=") {
            let value = header.dropFirst(SessionStore.cookieName.count + 1).prefix { $0 != ";" }
            sessionCookie = value.isEmpty ? nil : String(value)
        }
    }

    static func csrfToken(in html: String) -> String? {
        guard let r = html.range(of: #"name="_csrf" value=""#) else { return nil }
        let rest = html[r.upperBound...]
        return String(rest.prefix { $0 != "\"" })
    }

    static func urlEncode(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.sorted { $0.key < $1.key }.map { k, v in
            "\(k.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(v.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }
}

extension Application {
    /// As if the first administrator had already chosen its own password (`testAdminPassword`).
    func skipFirstPasswordChange() async throws {
        try await sql.update("accounts").set("must_change_password", to: SQLBind(false)).where("username", .equal, SQLBind("admin")).run()
    }

    /// Creates an account directly (tests only), with a password that needs no change.
    @discardableResult
    func makeAccount(_ username: String, role: Role, unitID: UUID? = nil, cadreID: UUID? = nil,
                     password: String = "password-1234") async throws -> Account {
        let account = Account(username: username, displayName: "测试\(username)", passwordHash: try password.hash(self),
                              role: role, unitID: unitID, cadreID: cadreID)
        try await account.create(on: db)
        return account
    }

    func count(_ table: String) async throws -> Int {
        struct C: Decodable { var n: Int }
        return try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decoding: C.self)!.n
    }
}

extension String {
    func hash(_ app: Application) throws -> String { try app.password.hash(self) }
}
