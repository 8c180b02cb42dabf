import Vapor

/// Turns errors into Chinese pages (for browsers) or plain text, at one place. Domain errors are mapped here.
struct KaoheErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let (status, message) = Self.describe(error)
            if status == .internalServerError {
                request.logger.report(error: error)
            }
            // Browsers (and clients that say nothing) get a page; others plain text.
            let accept = request.headers.accept
            if accept.isEmpty || accept.contains(where: { $0.mediaType == .html }),
               let view = try? await request.view.render("error", ErrorPage(
                   page: PageContext(request, title: "出错了"), status: Int(status.code), message: message)) {
                return try await view.encodeResponse(status: status, for: request)
            }
            let response = Response(status: status, body: .init(string: message))
            response.headers.contentType = .plainText
            return response
        }
    }

    static func describe(_ error: any Error) -> (HTTPResponseStatus, String) {
        switch error {
        case let abort as any AbortError:
            let message: String
            switch abort.status {
            case .notFound where abort.reason == abort.status.reasonPhrase: message = "页面不存在。"
            case .forbidden where abort.reason == abort.status.reasonPhrase: message = "无权访问。"
            default: message = abort.reason
            }
            return (abort.status, message)
        default:
            return (.internalServerError, "服务器内部错误，请联系系统管理员。")
        }
    }
}

struct ErrorPage: Encodable {
    let page: PageContext
    let status: Int
    let message: String
}
