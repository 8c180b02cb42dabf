import Vapor

/// Every state-changing request (POST, PUT, PATCH, DELETE) must carry the session's CSRF token, in the form
/// field `_csrf` or the header `X-CSRF-Token`. GET never changes state. Voting is the exception: there the one-time
/// code is the credential (`SiteRoute.codeCredentialed`) — a forged request would need the code itself.
///
/// Bodies are read only as far as they must be: the site-wide instance reads at most `maxBodySize` (1 MB) of a
/// form to find its token, and leaves the upload routes (`uploads`) alone; there a route-level instance with the
/// upload limit runs after the account and its role are known, so nobody unknown can make the server take in
/// 64 MB. Future-based: a request that needs no token (every GET, a vote) passes without a task of its own.
struct CSRFMiddleware: Middleware {
    static let formField = "_csrf"
    static let header = "X-CSRF-Token"
    let maxBodySize: Int
    /// POST routes that check the token themselves (after login and role), with a larger body limit.
    var uploads: [SiteRoute.Pattern] = []

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        switch request.method {
        case .GET, .HEAD, .OPTIONS:
            return next.respond(to: request)
        default:
            if uploads.contains(where: { $0.matches(request.url.path) }) || SiteRoute.codeCredentialed.contains(request.url.path) {
                return next.respond(to: request)
            }
        }
        return request.eventLoop.makeFutureWithTask {
            try await check(request)
            return try await next.respond(to: request).get()
        }
    }

    private func check(_ request: Request) async throws {
        guard let expected = request.sessionState?.csrfToken else {
            throw RequestFailure.staleForm(.noSession)
        }
        var presented = request.headers.first(name: Self.header)
        if presented == nil {
            _ = try await request.body.collect(max: maxBodySize).get()
            presented = try? request.content.get(String.self, at: Self.formField)
        }
        guard let token = presented, constantTimeEqual(token, expected) else {
            throw RequestFailure.staleForm(.badToken)
        }
    }

    private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
