import Fluent
import SQLKit
import Vapor

/// Login with throttling, logout, password change. A login always starts a NEW session id.
struct LoginController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("login", use: Self.form)
        routes.post("login", use: Self.login)
        routes.post("logout", use: Self.logout)
        let signedIn = routes.grouped(RequireAccount())
        signedIn.get("password", use: Self.passwordForm)
        signedIn.post("password", use: Self.changePassword)
    }

    struct LoginPage: Encodable {
        var page: PageContext
        var username: String
        var next: String
        var error: String?
    }

    struct LoginForm: Content {
        var username: String
        var password: String
        var next: String?
    }

    @Sendable static func form(req: Request) async throws -> View {
        _ = try await req.ensureSession()
        let next = req.query[String.self, at: "next"] ?? "/"
        return try await req.view.render("login", LoginPage(page: PageContext(req, title: "登录"), username: "", next: next))
    }

    @Sendable static func login(req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let username = form.username.trimmingCharacters(in: .whitespaces)
        let next = safeNext(form.next)
        func fail(_ message: String, status: HTTPResponseStatus = .unauthorized) async throws -> Response {
            let page = LoginPage(page: PageContext(req, title: "登录"), username: username, next: next, error: message)
            return try await req.view.render("login", page).encodeResponse(status: status, for: req)
        }

        if let until = try await LoginThrottle.blockedUntil(username: username, settings: req.settings, on: req.db) {
            let minutes = max(1, Int((until - Date().timeIntervalSince1970) / 60.0 + 0.999))
            return try await fail("该账号 \(req.settings.loginWindowMinutes) 分钟内连续登录失败 \(req.settings.loginMaxFailures) 次，已暂停登录，请约 \(minutes) 分钟后再试。", status: .tooManyRequests)
        }
        let account = try await Account.query(on: req.db).filter(\.$username == username).first()
        let verified: Bool
        if let account {
            verified = try await req.password.async.verify(form.password, created: account.passwordHash)
        } else {
            // Same cost whether or not the account exists.
            _ = try? await req.password.async.hash(form.password)
            verified = false
        }
        guard let account, verified, !account.disabled else {
            try await LoginThrottle.record(username: username, succeeded: false, on: req.db)
            if let account, account.disabled, verified {
                return try await fail("该账号已停用，请联系系统管理员。", status: .forbidden)
            }
            return try await fail("用户名或密码错误。")
        }
        try await LoginThrottle.record(username: username, succeeded: true, on: req.db)
        try await req.startSession(for: account)
        return req.redirect(to: account.mustChangePassword ? SiteRoute.password.path : next)
    }

    @Sendable static func logout(req: Request) async throws -> Response {
        try await req.endSession()
        return req.redirect(to: SiteRoute.login(next: nil).path + "?notice=loggedout")
    }

    struct PasswordPage: Encodable {
        var page: PageContext
        var forced: Bool
        var errors: [String]
    }

    struct PasswordForm: Content {
        var current: String
        var new: String
        var confirm: String
    }

    @Sendable static func passwordForm(req: Request) async throws -> View {
        try await req.view.render("password", PasswordPage(
            page: PageContext(req, title: "修改密码"), forced: req.account?.mustChangePassword ?? false, errors: []))
    }

    @Sendable static func changePassword(req: Request) async throws -> Response {
        let account = req.account!
        let form = try req.content.decode(PasswordForm.self)
        var errors: [String] = []
        if !(try await req.password.async.verify(form.current, created: account.passwordHash)) {
            errors.append("「当前密码」不正确。")
        }
        errors += PasswordPolicy.problems(form.new, username: account.username)
        if form.new != form.confirm { errors.append("两次输入的新密码不一致。") }
        if form.new == form.current { errors.append("新密码不能与当前密码相同。") }
        guard errors.isEmpty else {
            return try await req.view.render("password", PasswordPage(
                page: PageContext(req, title: "修改密码"), forced: account.mustChangePassword, errors: errors))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let hash = try await req.password.async.hash(form.new)
        let actor = req.actor
        try await AuditChain.transaction(on: req.db, actor: actor) { tx, audit in
            account.passwordHash = hash
            account.mustChangePassword = false
            try await account.save(on: tx)
            audit.record(.init(action: .passwordChange, entity: .account, entityID: account.id!.uuidString,
                               after: ["password": "（已修改）"]))
        }
        // A new password starts a new session and ends the others.
        try await SessionStore.endAll(accountID: account.requireID(), on: req.db)
        req.sessionState = nil
        try await req.startSession(for: account)
        return req.redirect(to: "/?notice=password")
    }

    /// Only local paths are accepted as a post-login target (no open redirect).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }
}

enum PasswordPolicy {
    static func problems(_ password: String, username: String) -> [String] {
        var p: [String] = []
        if password.count < Settings.minimumPasswordLength { p.append("新密码至少 \(Settings.minimumPasswordLength) 个字符。") }
        if password.lowercased() == username.lowercased() { p.append("密码不能与用户名相同。") }
        return p
    }
}

/// After N failures for one account within the window, further tries are refused until the oldest of
/// those failures leaves the window. Counting starts again after a success. Nothing is locked forever.
enum LoginThrottle {
    struct Attempt: Decodable { var succeeded: Bool; var at: Double }

    static func blockedUntil(username: String, settings: Settings, on db: any Database) async throws -> Double? {
        let window = Double(settings.loginWindowMinutes * 60)
        let now = Date().timeIntervalSince1970
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

    static func record(username: String, succeeded: Bool, on db: any Database) async throws {
        try await (db as! any SQLDatabase).insert(into: "login_attempts").columns("id", "username", "succeeded", "at")
            .values(SQLBind(UUID()), SQLBind(username), SQLBind(succeeded), SQLBind(Date().timeIntervalSince1970)).run()
    }
}
