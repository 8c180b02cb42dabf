import Vapor

/// What every page's layout needs: title, who is logged in, the navigation they may use, the CSRF token.
struct PageContext: Encodable {
    var title: String
    var csrf: String
    var userName: String?
    var roleLabel: String?
    var nav: Nav
    var notice: String?

    struct Nav: Encodable {
        var registry = false
        var editRegistry = false
        var importRoster = false
        var accounts = false
        var audit = false
        var ownRecord: String?
    }

    /// Short notices after a redirect, by code, so that a URL cannot inject text into a page.
    static let notices: [String: String] = [
        "saved": "已保存。", "created": "已创建。", "password": "密码已修改。", "imported": "导入成功。",
        "disabled": "账号已停用，其所有会话已结束。", "enabled": "账号已启用。", "reset": "密码已重置，该账号所有会话已结束。",
        "loggedout": "您已退出登录。", "expired": "会话已超时，请重新登录。",
    ]

    init(_ req: Request, title: String) {
        self.title = title
        self.csrf = req.sessionState?.csrfToken ?? ""
        self.userName = req.account?.displayName
        self.roleLabel = req.account?.role.label
        var nav = Nav()
        if let role = req.account?.role {
            nav.registry = role.isDepartmentWide || role == .unitAdmin || role == .groupMember
            nav.editRegistry = req.canEditRegistry
            nav.importRoster = req.canEditRegistry
            nav.accounts = role == .admin
            nav.audit = role.isDepartmentWide
            if role == .cadre, let id = req.account?.$cadre.id { nav.ownRecord = SiteRoute.cadre(id).path }
        }
        self.nav = nav
        if let code = req.query[String.self, at: "notice"] { self.notice = Self.notices[code] }
    }
}
