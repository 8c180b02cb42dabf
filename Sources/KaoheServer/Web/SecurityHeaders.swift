import Vapor

/// The headers every response carries: a Content-Security-Policy that allows only this site's own files (no inline
/// script or style, no framing), nosniff, a same-origin referrer, and no caching of anything but the site's own
/// assets (pages and downloads carry personal data).
/// Future-based, as every site-wide middleware is: an `AsyncMiddleware` costs each request a task of its own.
struct SecurityHeadersMiddleware: Middleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
        "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            Self.add(to: response, path: request.url.path)
            return response
        }
    }

    static func add(to response: Response, path: String) {
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        if !SiteRoute.assetPrefixes.contains(where: path.hasPrefix) {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
    }
}
