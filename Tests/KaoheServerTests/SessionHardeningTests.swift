import Fluent
import Foundation
@testable import KaoheServer
import SQLKit
import Testing
import Vapor
import VaporTesting

/// Issue 7, "Login and sessions": each test fails on the code before the fix.
extension KaoheServerTests {
    @Suite("Hardening: login and sessions")
    struct SessionHardeningTests {
        @Test("After login only a same-site path is followed: no tab, CR/LF, backslash, scheme or host")
        func nextIsLocal() async throws {
            try await withTestApp { app in
                for hostile in ["/\t/evil.example", "/%09/evil.example", "/\r\nSet-Cookie: x=1", "//evil.example", "/\\evil.example",
                                "https://evil.example/", "javascript:alert(1)"] {
                    let browser = Browser(app)
                    try await browser.get("/login")
                    let res = try await browser.post("/login", ["username": "admin", "password": testAdminPassword, "next": hostile])
                    #expect(res.status == .seeOther)
                    #expect(res.headers.first(name: .location) == "/", "\(hostile.debugDescription)")
                }
                let form = try await Browser(app).get("/login?next=/%09/evil.example")
                #expect(form.body.string.contains(#"name="next" value="/""#))
                #expect(LoginController.safeNext("/cadres?page=2") == "/cadres?page=2")
            }
        }

        @Test("Guesses are recorded before the password is checked: the sixth of six simultaneous tries is refused unchecked")
        func recordBeforeVerify() async throws {
            try await withTestApp { app in
                let settings = app.kaohe.settings
                var verdicts: [LoginThrottle.Verdict] = []
                // Six tries have begun; none has finished checking its password yet.
                for _ in 0..<6 {
                    verdicts.append(try await LoginThrottle.begin(username: "admin", client: "10.0.0.1", settings: settings,
                                                                  now: app.clock.epochSeconds, on: app.db))
                }
                #expect(verdicts.prefix(5).allSatisfy { if case .allowed = $0 { true } else { false } })
                guard case .blocked(_, let byClient) = verdicts[5] else { Issue.record("sixth try allowed"); return }
                #expect(!byClient)
                // A refused try leaves no row behind, so refusals never extend the pause.
                #expect(try await app.count("login_attempts") == 5)
            }
        }

        @Test("One client guessing many usernames is paused too (per-client limit)")
        func perClientLimit() async throws {
            try await withTestApp(adjust: { $0.loginMaxFailuresPerClient = 3 }) { app in
                try await app.makeAccount("clerk01", role: .organisationDepartment)
                let browser = Browser(app)
                for name in ["amy", "bob", "cat"] {
                    #expect(try await browser.login(name, "wrong-password-1").status == .unauthorized)
                }
                // A fourth username, with its right password, from the same client: refused unchecked.
                let res = try await browser.login("clerk01", "password-1234")
                #expect(res.status == .tooManyRequests && res.body.string.contains("本机"))
            }
        }

        @Test("The password form's current-password check is throttled like a login")
        func passwordChangeThrottled() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/password")
                for _ in 0..<5 {
                    let res = try await browser.post("/password", ["current": "wrong-guess-123", "new": "Zq8-long-new-pass", "confirm": "Zq8-long-new-pass"])
                    #expect(res.status == .unprocessableEntity)
                }
                let res = try await browser.post("/password", ["current": testAdminPassword, "new": "Zq8-long-new-pass", "confirm": "Zq8-long-new-pass"])
                #expect(res.status == .tooManyRequests)
                let admin = try #require(try await Account.query(on: app.db).filter(\.$username == "admin").first())
                #expect(try app.password.verify(testAdminPassword, created: admin.passwordHash))
            }
        }

        @Test("A session ends after its absolute lifetime, however busy (default 12 hours)")
        func absoluteLifetime() async throws {
            try await withTestApp { app in
                let start = Date(timeIntervalSince1970: 1_790_000_000)
                let (clock, set) = OrganisationClock.manual(start, timeZone: Settings.defaultTimeZone)
                app.clock = clock
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                // Busy all day: a request every 20 minutes keeps it from idling…
                for step in 1...35 {
                    set(start.addingTimeInterval(Double(step) * 20 * 60))
                    #expect(try await browser.get("/").status == .ok, "step \(step)")
                }
                // …but at 12 h 20 min it is over.
                set(start.addingTimeInterval(37 * 20 * 60))
                let res = try await browser.get("/")
                #expect(res.status == .seeOther && res.headers.first(name: .location)?.hasPrefix("/login") == true)
            }
        }

        @Test("Housekeeping removes expired sessions (anonymous ones too) and old login attempts")
        func housekeeping() async throws {
            try await withTestApp { app in
                let start = Date(timeIntervalSince1970: 1_790_000_000)
                let (clock, set) = OrganisationClock.manual(start, timeZone: Settings.defaultTimeZone)
                app.clock = clock
                for _ in 0..<5 { _ = try await app.testing().sendRequest(.GET, "/login") }  // cookieless: anonymous sessions
                #expect(try await Browser(app).login("nobody", "wrong-password-1").status == .unauthorized)
                #expect(try await app.count("sessions") >= 5)
                #expect(try await app.count("login_attempts") == 1)
                set(start.addingTimeInterval(25 * 3600))
                try await Housekeeping.purge(app)
                #expect(try await app.count("sessions") == 0)
                #expect(try await app.count("login_attempts") == 0)
            }
        }

        @Test("Behind a trusted proxy that says HTTPS, the cookie is __Host- and Secure; an untrusted header changes nothing")
        func cookieOverHTTPS() async throws {
            var headers = HTTPHeaders()
            headers.add(name: "X-Forwarded-Proto", value: "https")
            try await withTestApp(adjust: { $0.behindProxy = true }) { app in
                let res = try await app.testing().sendRequest(.GET, "/login", headers: headers)
                let cookie = try #require(res.headers[.setCookie].first)
                #expect(cookie.hasPrefix(SessionStore.secureCookieName + "=") && cookie.contains("Secure"))
            }
            try await withTestApp { app in
                let res = try await app.testing().sendRequest(.GET, "/login", headers: headers)
                let cookie = try #require(res.headers[.setCookie].first)
                #expect(cookie.hasPrefix(SessionStore.cookieName + "=") && !cookie.contains("Secure"))
            }
        }

        @Test("Behind a proxy the client is the address the proxy appended, not what the client wrote")
        func forwardedFor() async throws {
            try await withTestApp(adjust: { $0.behindProxy = true }) { app in
                let req = Request(application: app, on: app.eventLoopGroup.next())
                req.headers.add(name: .xForwardedFor, value: "10.1.1.1, 192.0.2.7")
                #expect(req.clientAddress == "192.0.2.7")
                req.headers.replaceOrAdd(name: .xForwardedFor, value: String(repeating: "x", count: 200))
                #expect(req.clientAddress == "unknown")
            }
        }

        @Test("Passwords: longer than bcrypt's 72 bytes refused with a message; common ones refused")
        func passwordPolicy() {
            #expect(PasswordPolicy.problems(String(repeating: "长", count: 25), username: "clerk").contains { $0.contains("72 个字节") })
            for common in ["1234567890", "Password123", "woaini1314", "qwertyuiop", "aaaaaaaaaaaa", "3456789012", "admin@12345",
                           "clerk-2026-01", "kaohe20261125"] {
                #expect(PasswordPolicy.problems(common, username: "clerk").contains { $0.contains("常见") }, "\(common)")
            }
            #expect(PasswordPolicy.problems("Zq8-long-new-pass", username: "clerk").isEmpty)
            #expect(PasswordPolicy.problems("秋水共长天一色2026", username: "clerk").isEmpty)
        }

        @Test("A login password past 72 bytes never matches (bcrypt would compare its first 72 bytes only)")
        func longLoginPassword() async throws {
            try await withTestApp { app in
                let long = String(repeating: "x", count: 72)
                let account = try await app.makeAccount("clerk01", role: .organisationDepartment, password: long)
                #expect(account.id != nil)
                #expect(try await Browser(app).login("clerk01", long + "anything").status == .unauthorized)
                #expect(try await Browser(app).login("clerk01", long).status == .seeOther)
            }
        }

        @Test("The last enabled 系统管理员 cannot be disabled or given another role")
        func lastAdministrator() async throws {
            try await withTestApp { app in
                let admin = try #require(try await Account.query(on: app.db).filter(\.$username == "admin").first())
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/accounts/\(admin.id!)")
                let demote = try await browser.post("/accounts/\(admin.id!)", ["username": "admin", "displayName": "系统管理员", "role": "org"])
                #expect(demote.status == .unprocessableEntity && demote.body.string.contains("最后一个可用的系统管理员"))
                #expect(try await Account.find(admin.id, on: app.db)?.role == .admin)
                // With a second administrator, the first may become 组织部.
                let second = try await app.makeAccount("admin2", role: .admin)
                #expect(try await browser.post("/accounts/\(admin.id!)", ["username": "admin", "displayName": "系统管理员", "role": "org"]).status == .seeOther)
                // …and then the second, now the last, cannot be disabled by anyone.
                let other = Browser(app)
                try await other.login("admin2", "password-1234")
                try await other.get("/accounts")
                #expect(try await other.post("/accounts/\(second.id!)/disable").status == .unprocessableEntity)
            }
        }

        @Test("Logins, logouts and the start of a pause are in the audit log, with the client address")
        func securityEventsAudited() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/")
                try await browser.post("/logout")
                for _ in 0..<5 { _ = try await Browser(app).login("admin", "wrong-password-1") }
                struct Row: Decodable { var action: String; var after: String? }
                let rows = try await app.sql.raw("SELECT action, after FROM audit_entries WHERE action IN ('login', 'logout', 'lockout') ORDER BY seq")
                    .all(decoding: Row.self)
                #expect(rows.map(\.action) == ["login", "logout", "lockout"])
                #expect(rows.allSatisfy { $0.after?.contains("client") == true })
                #expect(rows.allSatisfy { $0.after?.contains(testAdminPassword) == false && $0.after?.contains("wrong-password") == false })
            }
        }

        @Test("An invalid DATABASE_URL is reported without its password")
        func databaseURLRedacted() {
            do {
                _ = try Settings.fromEnvironment(["DATABASE_URL": "mysql://kaohe:s3cret-pw@db.local:3306/kaohe"])
                Issue.record("accepted")
            } catch {
                #expect(!"\(error)".contains("s3cret-pw") && "\(error)".contains("***"))
            }
        }
    }
}

extension KaoheServerTests {
    @Suite("Hardening: headers and bodies")
    struct HeaderAndBodyTests {
        @Test("Every page carries CSP (no inline script or style), no framing, nosniff, same-origin referrer and no-store")
        func securityHeaders() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                for path in ["/login", "/", "/cadres", "/roster/export.xlsx", "/no-such-page"] {
                    let res = try await browser.get(path)
                    let csp = res.headers.first(name: "Content-Security-Policy") ?? ""
                    #expect(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "\(path)")
                    #expect(res.headers.first(name: "X-Frame-Options") == "DENY", "\(path)")
                    #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                    #expect(res.headers.first(name: "Referrer-Policy") == "same-origin", "\(path)")
                    #expect(res.headers.first(name: .cacheControl) == "no-store", "\(path)")
                }
                let css = try await browser.get("/css/kaohe.css")
                #expect(css.status == .ok && css.headers.first(name: .cacheControl) != "no-store")
            }
        }

        @Test("Templates have no inline script or style (the CSP would block them)")
        func noInlineScriptOrStyle() throws {
            for (path, text) in try HouseRulesTests.files("Resources/Views", ".leaf") {
                #expect(!text.contains("<script") && !text.contains(" style=\"") && !text.contains("<style"), "\(path)")
            }
        }

        static func bigBody(_ bytes: Int) -> ByteBuffer { ByteBuffer(string: "_csrf=x&pad=" + String(repeating: "a", count: bytes)) }

        @Test("A large body is read only where it may be: 1 MB for forms; the upload route checks login and role first")
        func bodyLimits() async throws {
            try await withTestApp { app in
                // A visitor with an (anonymous) session posts 2 MB to a form: refused at 1 MB.
                let visitor = Browser(app)
                try await visitor.get("/login")
                var h = visitor.headers()
                h.contentType = .urlEncodedForm
                // Through the real HTTP server (in memory the body arrives whole and no limit applies).
                let live = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
                let form = try await live.sendRequest(.POST, "/login", headers: h, body: Self.bigBody(2 << 20))
                #expect(form.status == .payloadTooLarge)
                #expect(try await live.sendRequest(.POST, "/login", headers: h, body: Self.bigBody(1000)).status != .payloadTooLarge)
                // Nobody logged in: the upload route answers 401 without reading 2 MB.
                let anonymous = try await app.testing().sendRequest(.POST, "/roster/import", headers: h, body: Self.bigBody(2 << 20))
                #expect(anonymous.status == .unauthorized)
                // Logged in without the right to import: 403, still unread.
                try await app.makeAccount("member", role: .groupMember)
                let member = Browser(app)
                try await member.login("member", "password-1234")
                var mh = member.headers()
                mh.contentType = .urlEncodedForm
                let denied = try await app.testing().sendRequest(.POST, "/roster/import", headers: mh, body: Self.bigBody(2 << 20))
                #expect(denied.status == .forbidden)
            }
        }

        @Test("An editor's upload may pass 1 MB (up to 64 MB)")
        func largeUploadAllowed() async throws {
            try await withTestApp { app in
                try await app.makeUnit("U01", "城关镇")
                let header = Roster.basicColumns.map(\.templateHeader).joined(separator: ",")
                var csv = header + "\n"
                for i in 1...15_000 {
                    csv += "L\(i),干部\(i),男,1980-01-02,中共党员,大学本科,副科,U01,城关镇,科员,否,主职,2022-03-05,,否,否,否,,,,,\n"
                }
                #expect(csv.utf8.count > 1 << 20)
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/roster/import")
                let res = try await browser.previewRoster(Data(csv.utf8), filename: "big.csv")
                #expect(res.status == .ok && res.body.string.contains("新增 15000 人"))
            }
        }
    }
}
