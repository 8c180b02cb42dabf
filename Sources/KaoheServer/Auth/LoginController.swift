import Fluent
import SQLKit
import Vapor

/// Login with throttling, logout, password change. A login always starts a NEW session id.
struct LoginController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.login, use: Self.form)
        routes.post(.login, use: Self.login)
        routes.post(.logout, use: Self.logout)
        let signedIn = routes.grouped(RequireAccount())
        signedIn.get(.password, use: Self.passwordForm)
        signedIn.post(.password, use: Self.changePassword)
    }

    struct LoginPage: Encodable {
        var page: PageContext
        var username: String
        var next: String
        var error: String?
        var action = SiteRoute.login(next: nil).path
    }

    struct LoginForm: Content {
        var username: String
        var password: String
        var next: String?
    }

    @Sendable static func form(req: Request) async throws -> View {
        _ = try await req.ensureSession()
        let next = safeNext(req.query[String.self, at: "next"])
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

        let now = req.clock.epochSeconds
        if let until = try await LoginThrottle.blockedUntil(username: username, settings: req.settings, now: now, on: req.db) {
            let minutes = max(1, Int((until - now) / 60.0 + 0.999))
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
            try await LoginThrottle.record(username: username, succeeded: false, now: now, on: req.db)
            if let account, account.disabled, verified {
                return try await fail("该账号已停用，请联系系统管理员。", status: .forbidden)
            }
            return try await fail("用户名或密码错误。")
        }
        try await LoginThrottle.record(username: username, succeeded: true, now: now, on: req.db)
        try await req.startSession(for: account)
        return account.mustChangePassword ? req.redirect(to: .password) : req.redirect(to: next)
    }

    @Sendable static func logout(req: Request) async throws -> Response {
        try await req.endSession()
        return req.redirect(to: .login(next: nil), notice: .loggedout)
    }

    struct PasswordPage: Encodable {
        var page: PageContext
        var forced: Bool
        var errors: [String]
        var action = SiteRoute.password.path
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
        try await req.audited { tx, audit in
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
        return req.redirect(to: .home, notice: .password)
    }

    /// Only local paths are accepted as a post-login target (no open redirect).
    static func safeNext(_ next: String?) -> String {
        SiteRoute.localPath(next) ?? SiteRoute.home.path
    }
}
