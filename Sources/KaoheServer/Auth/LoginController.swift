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
        let client = req.clientAddress
        let settings = req.settings
        let attempt: UUID
        switch try await LoginThrottle.begin(username: username, client: client, settings: settings, now: now, on: req.db) {
        case .blocked(let until, let byClient):
            SecurityLog.event(req, "登录被暂停", username: username, detail: byClient ? "按客户端地址" : "按账号")
            return try await fail(LoginThrottle.message(until, byClient: byClient, now: now, settings: settings), status: .tooManyRequests)
        case .allowed(let id, let accountFailures, let clientFailures):
            attempt = id
            let account = try await Account.query(on: req.db).filter(\.$username == username).first()
            // A password longer than bcrypt reads is never right (bcrypt would compare its first 72 bytes only).
            let checkable = form.password.utf8.count <= PasswordPolicy.maxBytes
            let verified: Bool
            if let account, checkable {
                verified = try await req.password.async.verify(form.password, created: account.passwordHash)
            } else {
                // Same cost whether or not the account exists.
                _ = try? await req.password.async.hash(String(form.password.prefix(PasswordPolicy.maxBytes)))
                verified = false
            }
            // A disabled account gets the same answer as a wrong password: the form tells nothing about accounts.
            guard let account, verified, !account.disabled else {
                SecurityLog.event(req, "登录失败", username: username)
                if accountFailures + 1 >= settings.loginMaxFailures || clientFailures + 1 >= settings.loginMaxFailuresPerClient {
                    SecurityLog.event(req, "登录开始暂停", username: username)
                    try await SecurityLog.audit(req, .lockout, account: account, username: username, actor: .system)
                }
                return try await fail("用户名或密码错误。")
            }
            try await LoginThrottle.succeeded(attempt: attempt, on: req.db)
            try await req.startSession(for: account)
            SecurityLog.event(req, "登录成功", username: username)
            try await SecurityLog.audit(req, .login, account: account, username: username, actor: req.actor)
            return account.mustChangePassword ? req.redirect(to: .password) : req.redirect(to: next)
        }
    }

    @Sendable static func logout(req: Request) async throws -> Response {
        if let account = req.account {
            SecurityLog.event(req, "退出登录", username: account.username)
            try await SecurityLog.audit(req, .logout, account: account, username: account.username, actor: req.actor)
        }
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
        // The current password is a password check like a login: throttled the same way.
        let now = req.clock.epochSeconds
        switch try await LoginThrottle.begin(username: account.username, client: req.clientAddress, settings: req.settings,
                                             now: now, on: req.db) {
        case .blocked(let until, let byClient):
            SecurityLog.event(req, "修改密码被暂停", username: account.username)
            return try await req.view.render("password", PasswordPage(
                page: PageContext(req, title: "修改密码"), forced: account.mustChangePassword,
                errors: [LoginThrottle.message(until, byClient: byClient, now: now, settings: req.settings)]))
                .encodeResponse(status: .tooManyRequests, for: req)
        case .allowed(let attempt, _, _):
            if form.current.utf8.count <= PasswordPolicy.maxBytes,
               try await req.password.async.verify(form.current, created: account.passwordHash) {
                try await LoginThrottle.succeeded(attempt: attempt, on: req.db)
            } else {
                SecurityLog.event(req, "修改密码时当前密码错误", username: account.username)
                errors.append("「当前密码」不正确。")
            }
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
        // A new password ends every session of the account, in the same transaction; a new one starts below.
        try await req.audited { tx, audit in
            try await AccountWrites.setPassword(account, hash: hash, mustChange: false, note: "（已修改）", on: tx, audit: audit)
        }
        req.sessionState = nil
        try await req.startSession(for: account)
        return req.redirect(to: .home, notice: .password)
    }

    /// Only local paths are accepted as a post-login target (no open redirect).
    static func safeNext(_ next: String?) -> String {
        SiteRoute.localPath(next) ?? SiteRoute.home.path
    }
}
