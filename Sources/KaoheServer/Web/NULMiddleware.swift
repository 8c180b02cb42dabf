import Vapor

/// Refuses a NUL character in a query string or a form: no text of ours contains one, PostgreSQL cannot store or
/// compare one (a bound value with NUL is a database error, i.e. a 500), and SQLite would cut strings at it.
/// A JSON body may not hold one either, raw or escaped (`\u0000`), nor a multipart form's text fields (its files hold
/// NUL bytes and are read by their own parsers). Future-based (no task per request), like every site-wide middleware.
struct NULMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        if let problem = Self.problem(request) { return request.eventLoop.makeFailedFuture(RequestFailure.invalid(problem)) }
        return next.respond(to: request)
    }

    static func problem(_ request: Request) -> String? {
        if let query = request.url.query, hasNUL(query) {
            return "请求中含有无效字符（NUL），请检查输入。"
        }
        // The ballot API takes nothing but JSON and answers in JSON; its ballot check refuses a NUL itself
        // (`BallotSheet.problems`).
        guard let body = request.body.data, request.url.path != SiteRoute.Pattern.apiBallots.rawValue,
              let type = request.headers.contentType else { return nil }
        let bytes = body.readableBytesView
        let found = if type == .urlEncodedForm {
            bytes.contains(0) || hasNUL(String(decoding: bytes, as: UTF8.self))
        } else if type == .json {
            bytes.contains(0) || String(decoding: bytes, as: UTF8.self).contains("\\u0000")
        } else if type.type == "multipart", type.subType == "form-data", let boundary = type.parameters["boundary"] {
            textFieldHasNUL(Array(bytes), boundary: boundary)
        } else {
            false
        }
        return found ? "提交的内容含有无效字符（NUL），请检查输入。" : nil
    }

    /// Whether a part of a multipart body that is not a file (no `filename` in its headers) holds a NUL byte.
    static func textFieldHasNUL(_ body: [UInt8], boundary: String) -> Bool {
        let delimiter = Array("--\(boundary)".utf8)
        let headerEnd = Array("\r\n\r\n".utf8)
        var parts: [ArraySlice<UInt8>] = []
        var rest = body[...]
        while let r = rest.firstRange(of: delimiter) {
            parts.append(rest[..<r.lowerBound])
            rest = rest[r.upperBound...]
        }
        for part in parts.dropFirst() {
            guard let end = part.firstRange(of: headerEnd) else { continue }
            let headers = String(decoding: part[..<end.lowerBound], as: UTF8.self).lowercased()
            if !headers.contains("filename="), part[end.upperBound...].contains(0) { return true }
        }
        return false
    }

    static func hasNUL(_ encoded: String) -> Bool {
        encoded.utf8.contains(0) || encoded.range(of: "%00", options: .caseInsensitive) != nil
    }
}
