import Vapor

extension Request {
    private struct ReasonForm: Content { var reason: String?; var confirm: String? }

    /// The reason a correction or deletion gives (required, at most 200 characters) with its ticked 「确认」 box: what
    /// makes a deletion or an undo deliberate without JavaScript, and what the audit entry records.
    func correctionReason() throws -> String {
        let form = try content.decode(ReasonForm.self)
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw RequestFailure.invalid("「原因」必填：请说明为什么更正或删除。") }
        guard reason.count <= 200 else { throw RequestFailure.invalid("「原因」最长 200 个字符。") }
        guard form.confirm == "是" else { throw RequestFailure.invalid("请勾选「确认」后再提交。") }
        return reason
    }
}
