import Fluent
import Foundation
@testable import KaoheServer
import SQLKit
import Testing
import Vapor
import VaporTesting

extension KaoheServerTests {
    @Suite("Accounts, sessions, CSRF")
    struct AuthTests {
        @Test("First start creates admin; even a configured password (KAOHE_ADMIN_PASSWORD) must be changed at first login")
        func firstStartAdmin() async throws {
            try await withTestApp(keepFirstPasswordChange: true) { app in
                // validate
                let admins = try await Account.query(on: app.db).filter(\.$username == "admin").all()
                #expect(admins.count == 1)
                #expect(admins.first?.role == .admin)
                #expect(admins.first?.mustChangePassword == true)
                let browser = Browser(app)
                let res = try await browser.login("admin", testAdminPassword)
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/password")
            }
        }

        @Test("A printed first password forces a change before anything else")
        func printedPasswordForcesChange() async throws {
            // setup: no KAOHE_ADMIN_PASSWORD, so the password is random; replace it with a known one
            try await withTestApp(adjust: { $0.adminPassword = nil }, keepFirstPasswordChange: true) { app in
                let admin = try await Account.query(on: app.db).filter(\.$username == "admin").first()!
                #expect(admin.mustChangePassword)
                admin.passwordHash = try "printed-pass-1".hash(app)
                try await admin.save(on: app.db)
                let browser = Browser(app)
                // MUT
                let login = try await browser.login("admin", "printed-pass-1")
                #expect(login.headers.first(name: .location) == "/password")
                let home = try await browser.get("/")
                #expect(home.status == .seeOther)
                #expect(home.headers.first(name: .location) == "/password")
                // too short a password is refused (the form carries the new session's token)
                #expect(try await browser.get("/password").status == .ok)
                let short = try await browser.post("/password", ["current": "printed-pass-1", "new": "short", "confirm": "short"])
                #expect(short.status == .unprocessableEntity)
                #expect(short.body.string.contains("至少 10 个字符"))
                let ok = try await browser.post("/password", ["current": "printed-pass-1", "new": "a-better-pass-1", "confirm": "a-better-pass-1"])
                #expect(ok.status == .seeOther)
                // validate
                #expect(try await browser.get("/").status == .ok)
                let reloaded = try await Account.find(admin.id, on: app.db)!
                #expect(reloaded.mustChangePassword == false)
                #expect(reloaded.passwordHash.hasPrefix("$2"))  // bcrypt
            }
        }

        @Test("Login issues a new session id (no fixation); logout ends the session")
        func sessionRotation() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.get("/login")
                let anonymous = try #require(browser.sessionCookie)
                // MUT
                try await browser.post("/login", ["username": "admin", "password": testAdminPassword])
                // validate
                let authenticated = try #require(browser.sessionCookie)
                #expect(anonymous != authenticated)
                #expect(try await SessionStore.load(token: anonymous, on: app.db) == nil)
                // The old cookie is worthless: a request with it is not logged in.
                let attacker = Browser(app)
                attacker.sessionCookie = anonymous
                #expect(try await attacker.get("/").status == .seeOther)
                #expect(try await browser.get("/").status == .ok)
                // logout
                try await browser.post("/logout")
                #expect(try await SessionStore.load(token: authenticated, on: app.db) == nil)
                let replay = Browser(app)
                replay.sessionCookie = authenticated
                #expect(try await replay.get("/").headers.first(name: .location)?.hasPrefix("/login") == true)
            }
        }

        @Test("Session cookie is HttpOnly, SameSite=Lax, and Secure only when configured")
        func cookieAttributes() async throws {
            try await withTestApp { app in
                let res = try await app.testing().sendRequest(.GET, "/login")
                let cookie = try #require(res.headers[.setCookie].first { $0.hasPrefix(SessionStore.cookieName) })
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Lax"))
                #expect(!cookie.contains("Secure"))
            }
            try await withTestApp(adjust: { $0.secureCookies = true }) { app in
                let res = try await app.testing().sendRequest(.GET, "/login")
                // Over HTTPS the cookie carries the __Host- prefix: Secure, Path=/, no Domain.
                let cookie = try #require(res.headers[.setCookie].first { $0.hasPrefix(SessionStore.secureCookieName + "=") })
                #expect(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"))
            }
        }

        @Test("Sessions live in the database, stored by hash, never by the cookie value")
        func sessionsStoredHashed() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let token = try #require(browser.sessionCookie)
                struct Row: Decodable { var id: String }
                let rows = try await app.sql.raw("SELECT id FROM sessions").all(decoding: Row.self)
                #expect(rows.contains { $0.id == SessionStore.hash(token) })
                #expect(!rows.contains { $0.id == token })
            }
        }

        @Test("Idle sessions expire")
        func idleTimeout() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                #expect(try await browser.get("/").status == .ok)
                // setup: pretend the last request was 31 minutes ago (idle timeout 30)
                try await app.sql.raw("UPDATE sessions SET last_seen_at = \(bind: Date().timeIntervalSince1970 - 31 * 60)").run()
                // MUT + validate
                let res = try await browser.get("/")
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location)?.hasPrefix("/login") == true)
            }
        }

        @Test("CSRF: a state-changing request without the token, or with a wrong one, is rejected")
        func csrfRequired() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let before = try await Account.query(on: app.db).count()
                let form = ["username": "clerk01", "displayName": "办事员", "role": "org", "password": "clerk-password-1"]
                // MUT: no token
                let missing = try await browser.post("/accounts", form, withCSRF: false)
                #expect(missing.status == .forbidden)
                // wrong token
                let wrong = try await browser.post("/accounts", form.merging(["_csrf": "forged"]) { $1 }, withCSRF: false)
                #expect(wrong.status == .forbidden)
                #expect(try await Account.query(on: app.db).count() == before)
                // with the page's token it works
                try await browser.get("/accounts/new")
                let ok = try await browser.post("/accounts", form)
                #expect(ok.status == .seeOther)
                #expect(try await Account.query(on: app.db).count() == before + 1)
            }
        }

        @Test("CSRF: the login form itself needs the token")
        func loginCSRF() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.get("/login")
                let res = try await browser.post("/login", ["username": "admin", "password": testAdminPassword], withCSRF: false)
                #expect(res.status == .forbidden)
                #expect(try await browser.get("/").status == .seeOther)
            }
        }

        @Test("GET never changes state: logout by GET does nothing")
        func noStateChangeOnGet() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                let res = try await browser.get("/logout")
                #expect(res.status == .notFound)
                #expect(try await browser.get("/").status == .ok)
            }
        }

        @Test("Throttling: after 5 failures in 15 minutes further tries are refused, then allowed again")
        func loginThrottling() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                for _ in 0..<5 {
                    let res = try await browser.login("admin", "wrong-password")
                    #expect(res.status == .unauthorized)
                    #expect(res.body.string.contains("用户名或密码错误"))
                }
                // MUT: the right password is refused now, with a clear message
                let blocked = try await browser.login("admin", testAdminPassword)
                #expect(blocked.status == .tooManyRequests)
                #expect(blocked.body.string.contains("已暂停登录"))
                // Another account is not affected.
                try await app.makeAccount("clerk01", role: .organisationDepartment)
                #expect(try await Browser(app).login("clerk01", "password-1234").status == .seeOther)
                // No permanent lockout: once the failures age out of the window, login works.
                try await app.sql.raw("UPDATE login_attempts SET at = at - \(bind: 16.0 * 60)").run()
                #expect(try await browser.login("admin", testAdminPassword).status == .seeOther)
            }
        }

        @Test("Disabling an account ends its sessions at once")
        func disableEndsSessions() async throws {
            try await withTestApp { app in
                let clerk = try await app.makeAccount("clerk01", role: .organisationDepartment)
                let clerkBrowser = Browser(app)
                try await clerkBrowser.login("clerk01", "password-1234")
                #expect(try await clerkBrowser.get("/").status == .ok)
                let admin = Browser(app)
                try await admin.login("admin", testAdminPassword)
                try await admin.get("/accounts/\(clerk.id!)")
                // MUT
                let res = try await admin.post("/accounts/\(clerk.id!)/disable")
                #expect(res.status == .seeOther)
                // validate
                struct C: Decodable { var n: Int }
                let n = try await app.sql.raw("SELECT COUNT(*) AS n FROM sessions WHERE account_id = \(bind: clerk.id!)").first(decoding: C.self)!.n
                #expect(n == 0)
                #expect(try await clerkBrowser.get("/").status == .seeOther)
                // The login form says no more than for a wrong password: it tells nothing about accounts.
                let again = try await Browser(app).login("clerk01", "password-1234")
                #expect(again.status == .unauthorized)
                #expect(again.body.string.contains("用户名或密码错误") && !again.body.string.contains("已停用"))
            }
        }

        @Test("Only 系统管理员 manages accounts; other roles get 403")
        func accountsNeedAdmin() async throws {
            try await withTestApp { app in
                try await app.makeAccount("clerk01", role: .organisationDepartment)
                let browser = Browser(app)
                try await browser.login("clerk01", "password-1234")
                #expect(try await browser.get("/accounts").status == .forbidden)
                let res = try await browser.post("/accounts", ["username": "x1", "displayName": "x", "role": "admin", "password": "password-1234"])
                #expect(res.status == .forbidden)
                #expect(try await Account.query(on: app.db).filter(\.$username == "x1").count() == 0)
            }
        }

        @Test("Account creation validates every field and names it")
        func accountValidation() async throws {
            try await withTestApp { app in
                let browser = Browser(app)
                try await browser.login("admin", testAdminPassword)
                try await browser.get("/accounts/new")
                let res = try await browser.post("/accounts", ["username": "admin", "displayName": "", "role": "unit", "password": "short"])
                #expect(res.status == .unprocessableEntity)
                let body = res.body.string
                #expect(body.contains("「用户名」admin 已存在"))
                #expect(body.contains("「姓名」必填"))
                #expect(body.contains("「初始密码」"))
                #expect(body.contains("必须指定所属单位"))
            }
        }

        @Test("healthz answers ok when the database answers")
        func healthz() async throws {
            try await withTestApp { app in
                let res = try await app.testing().sendRequest(.GET, "/healthz")
                #expect(res.status == .ok)
                #expect(res.body.string == "ok")
            }
        }

        @Test("Post-login redirect accepts only local paths")
        func noOpenRedirect() {
            #expect(LoginController.safeNext("/cadres?page=2") == "/cadres?page=2")
            #expect(LoginController.safeNext("//evil.example") == "/")
            #expect(LoginController.safeNext("https://evil.example") == "/")
            #expect(LoginController.safeNext(nil) == "/")
        }
    }
}
