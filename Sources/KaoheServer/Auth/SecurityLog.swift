import Vapor

/// Security events: in the server log always (with the client address), and logins, logouts and the start of a
/// login pause also in the audit log. Never a password, a session token or a ballot code.
enum SecurityLog {
    static func event(_ req: Request, _ what: String, username: String? = nil, detail: String? = nil) {
        var line = "安全事件：\(what)"
        if let username { line += " 账号=\(quoted(username))" }
        if let detail { line += " \(detail)" }
        line += " 客户端=\(req.clientAddress) \(req.method) \(req.url.path)"
        req.logger.notice("\(line)")
    }

    /// A login, logout or pause in the audit log; the entity is the account (or, for an unknown name, the name).
    static func audit(_ req: Request, _ action: AuditRecord.Action, account: Account?, username: String, actor: Actor) async throws {
        let record = AuditRecord(action: action, entity: .account, entityID: account?.id?.uuidString ?? username,
                                 after: ["username": username, "client": req.clientAddress])
        try await AuditChain.transaction(on: req.db, actor: actor, clock: req.clock, seal: req.application.auditSeal) { _, audit in audit.record(record) }
    }

    /// A user-supplied name as it goes into a log line: no line breaks, at most 64 characters.
    static func quoted(_ s: String) -> String {
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: s.unicodeScalars.filter { $0.properties.generalCategory != .control }.prefix(64))
        return "「" + String(kept) + "」"
    }
}
