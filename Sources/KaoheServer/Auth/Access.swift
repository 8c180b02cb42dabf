import Vapor

/// Requires a logged-in account; pages redirect to the login form, other requests get 401.
/// An account with a printed first password is sent to the password form until it changes it.
struct RequireAccount: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let account = request.account else {
            if request.method == .GET {
                let next = request.url.path + (request.url.query.map { "?\($0)" } ?? "")
                return request.redirect(to: .login(next: next))
            }
            throw RequestFailure.signInRequired
        }
        if account.mustChangePassword,
           ![SiteRoute.password.path, SiteRoute.logout.path].contains(request.url.path) {
            if request.method == .GET { return request.redirect(to: .password) }
            throw RequestFailure.passwordChangeRequired
        }
        return try await next.respond(to: request)
    }
}

/// Requires one of the given roles.
struct RequireRole: AsyncMiddleware {
    let roles: Set<Role>
    init(_ roles: Role...) { self.roles = Set(roles) }
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let role = request.account?.role, roles.contains(role) else {
            throw RequestFailure.forbidden(.page)
        }
        return try await next.respond(to: request)
    }
}

/// Requires an account that may change the registry (an upload route checks this before reading the body).
struct RequireRegistryEditor: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try request.requireRegistryEditor()
        return try await next.respond(to: request)
    }
}
