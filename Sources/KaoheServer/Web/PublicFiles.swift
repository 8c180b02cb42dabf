import Vapor

/// The files of `Public/` (the style sheet), for GET and HEAD only. Vapor's `FileMiddleware` asks the file system
/// (on its thread pool) about every request's path before the routes see it; a ballot posted to `/api/v1/ballots` or a
/// form posted anywhere is never a file, so those requests skip the look.
struct PublicFilesMiddleware: Middleware {
    let files: FileMiddleware

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory)
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET || request.method == .HEAD else { return next.respond(to: request) }
        return files.respond(to: request, chainingTo: next)
    }
}
