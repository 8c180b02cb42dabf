import Vapor

/// Turns every error into a Chinese page (for browsers) or plain text, at one place: the server's
/// `RequestFailure`, the domain's errors (a rejected roster, an unreadable file), Vapor's own aborts. Future-based: a
/// request that succeeds passes without a task of its own; an error is turned into its page in one.
struct KaoheErrorMiddleware: Middleware {
    /// What the user is shown.
    struct Shown: Equatable {
        var status: HTTPResponseStatus
        var message: String
        var problems: [String] = []
        /// Where to go from the error page (a form to try again); nil: the page the user came from, or home.
        var back: SiteRoute?
    }

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            request.eventLoop.makeFutureWithTask { try await Self.answer(error, to: request) }
        }
    }

    static func answer(_ error: any Error, to request: Request) async throws -> Response {
        let shown = Self.describe(error)
        if shown.status == .internalServerError {
            request.logger.report(error: error)
        }
        // Refusals are security events: a 403, or a 404 for a record (outside scope, or not there).
        if case let failure as RequestFailure = error {
            switch failure {
            case .forbidden, .staleForm: SecurityLog.event(request, "拒绝访问（\(shown.status.code)）", username: request.account?.username)
            case .notFound(let record) where record != .page:
                SecurityLog.event(request, "记录不存在或不在权限范围内（404）", username: request.account?.username)
            default: break
            }
        }
        // Browsers (and clients that say nothing) get a page; others plain text.
        let accept = request.headers.accept
        if accept.isEmpty || accept.contains(where: { $0.mediaType == .html }),
           let view = try? await request.view.render("error", ErrorPage(
               page: PageContext(request, title: "出错了"), status: Int(shown.status.code), message: shown.message,
               problems: shown.problems, back: shown.back?.path ?? Self.referringPath(request) ?? SiteRoute.home.path)) {
            return try await view.encodeResponse(status: shown.status, for: request)
        }
        let text = ([shown.message] + shown.problems).joined(separator: "\n")
        let response = Response(status: shown.status, body: .init(string: text))
        response.headers.contentType = .plainText
        return response
    }

    static func describe(_ error: any Error) -> Shown {
        switch error {
        case let failure as RequestFailure:
            switch failure {
            case .signInRequired: return Shown(status: .unauthorized, message: "请先登录。")
            case .passwordChangeRequired: return Shown(status: .forbidden, message: "请先修改初始密码。", back: .password)
            case .notFound(let record):
                return Shown(status: .notFound, message: record == .page ? "页面不存在。" : "找不到该\(record.label)。")
            case .forbidden(let denial): return Shown(status: .forbidden, message: denial.message)
            case .invalid(let problems):
                return problems.count == 1 ? Shown(status: .unprocessableEntity, message: problems[0])
                    : Shown(status: .unprocessableEntity, message: "提交的内容有 \(problems.count) 处问题：", problems: problems)
            case .staleForm(let why): return Shown(status: .forbidden, message: why.message)
            }
        case let rejected as RosterRejected:
            let n = rejected.problems.count
            let more = n >= RosterValidator.maxProblems ? "（只列出前 \(n) 处）" : ""
            return Shown(status: .unprocessableEntity,
                         message: "导入失败，数据库未做任何修改。共 \(n) 处问题\(more)，请改正后重新导入：",
                         problems: rejected.problems.map(\.description), back: .rosterImport)
        case let unreadable as RosterFile.Unreadable:
            return Shown(status: .unprocessableEntity, message: "导入失败，数据库未做任何修改：\(unreadable.description)",
                         back: .rosterImport)
        case let abort as any AbortError:
            // Only Vapor's own errors arrive here (the server throws RequestFailure): their reasons are English and
            // technical, so the user reads a Chinese sentence chosen by status.
            switch abort.status {
            case .notFound: return Shown(status: .notFound, message: "页面不存在。")
            case .forbidden: return Shown(status: .forbidden, message: "无权访问。")
            case .payloadTooLarge: return Shown(status: .payloadTooLarge, message: "提交的内容过大（表单最大 1 MB，上传文件最大 64 MB）。")
            case .methodNotAllowed: return Shown(status: .methodNotAllowed, message: "不支持此操作。")
            case .badRequest, .unprocessableEntity, .unsupportedMediaType:
                return Shown(status: abort.status, message: "提交的内容格式有误，请返回检查后重试。")
            default:
                return Shown(status: abort.status, message: abort.status.code >= 500 ? "服务器内部错误，请联系系统管理员。" : "请求无法处理（\(abort.status.code)）。")
            }
        default:
            return Shown(status: .internalServerError, message: "服务器内部错误，请联系系统管理员。")
        }
    }

    /// The same-site page the browser came from (`Referer` on this host), to return to after an error.
    static func referringPath(_ request: Request) -> String? {
        guard let referer = request.headers.first(name: .referer), let url = URLComponents(string: referer),
              let host = request.headers.first(name: .host), url.host == host.split(separator: ":").first.map(String.init)
        else { return nil }
        return SiteRoute.localPath(url.percentEncodedPath + (url.percentEncodedQuery.map { "?" + $0 } ?? ""))
    }
}

struct ErrorPage: Encodable {
    let page: PageContext
    let status: Int
    let message: String
    let problems: [String]
    let back: String
}
