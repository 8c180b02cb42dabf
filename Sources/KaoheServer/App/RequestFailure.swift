/// A request that cannot be served, in the words its user reads. Handlers throw these (or the domain's own
/// errors); `KaoheErrorMiddleware` chooses the status and the page at one place. No handler writes a status.
enum RequestFailure: Error, Sendable, Equatable {
    /// 401: no session (a page GET is redirected to the login form instead).
    case signInRequired
    /// 403: the first password must be changed before anything else.
    case passwordChangeRequired
    /// 404: the record does not exist, or lies outside the account's scope (a URL reveals nothing).
    case notFound(Record)
    /// 403: the account's role may not do this.
    case forbidden(Denial)
    /// 422: every problem of a submitted form, each naming its field.
    case invalid([String])
    /// 403: a state change without a session or with a wrong CSRF token.
    case staleForm(StaleForm)

    enum Record: Sendable, Equatable {
        case page, cadre, unit, post, account, group, rosterPreview, campaign, session, reportTask, indicator, regularCheck
        var label: String {
            switch self {
            case .rosterPreview: "导入预览（可能已确认、已取消，或已超过一天失效），请重新上传文件"
            case .page: "页面"
            case .cadre: "干部"
            case .unit: "单位"
            case .post: "职务"
            case .account: "账号"
            case .group: "考核组"
            case .campaign: "考核"
            case .session: "民主测评"
            case .reportTask: "专题报告任务"
            case .indicator: "量化考核指标"
            case .regularCheck: "日常考核"
            }
        }
    }

    enum Denial: Sendable, Equatable {
        case page, registryView, registryEdit, cadreEdit, unitMaintenance, rosterImport, postOutsideScope, cadreOutsideScope
        case campaignManagement, sessionReopen, interviewNotes
        var message: String {
            switch self {
            case .page: "您的账号无权访问此页面。"
            case .registryView: "您的账号无权查看单位和干部名单。"
            case .registryEdit: "您的账号无权修改干部信息。"
            case .cadreEdit: "您的账号无权修改该干部的信息。"
            case .unitMaintenance: "只有组织部或系统管理员可以维护单位和单位类别。"
            case .rosterImport: "您的账号无权导入花名册。"
            case .postOutsideScope: "只能结束本单位的职务。"
            case .cadreOutsideScope: "该干部在其他单位有职务，只能由组织部删除。"
            case .campaignManagement: "只有组织部可以创建和修改考核。"
            case .sessionReopen: "重新开放已结束的民主测评须由组织部办理。"
            case .interviewNotes: "个别谈话记录只有考核组和组织部可以查看。"
            }
        }
    }

    enum StaleForm: Sendable, Equatable {
        case noSession, badToken
        var message: String {
            switch self {
            case .noSession: "页面已失效（会话不存在或已超时），请刷新页面后重试。"
            case .badToken: "安全校验失败（缺少或错误的 CSRF 令牌），请刷新页面后重试。"
            }
        }
    }

    /// One problem of a form field, e.g. `「单位」必选，且只能是您有权管理的单位。`
    static func invalid(_ problem: String) -> RequestFailure { .invalid([problem]) }
}
