import Vapor

/// What every page's layout needs: title, who is logged in, the navigation they may use (with its links from the
/// route table), the CSRF token and a notice.
struct PageContext: Encodable {
    var title: String
    var csrf: String
    var userName: String?
    var roleLabel: String?
    var nav: Nav
    var links = Links()
    var notice: String?

    struct Nav: Encodable {
        var registry = false
        var editRegistry = false
        var importRoster = false
        var accounts = false
        var audit = false
        var campaigns = false
        var archive = false
        var regular = false
        var ledger = false
        var ownRecord: String?
        /// 考核结果: a cadre's own, a unit's team's (published campaigns).
        var results: String?
    }

    /// The paths the layout and the home page link to.
    struct Links: Encodable {
        var home = SiteRoute.home.path
        var units = SiteRoute.units.path
        var cadres = SiteRoute.cadres.path
        var rosterImport = SiteRoute.rosterImport.path
        var rosterTemplate = SiteRoute.rosterTemplate.path
        var accounts = SiteRoute.accounts.path
        var groups = SiteRoute.groups.path
        var audit = SiteRoute.audit.path
        var campaigns = SiteRoute.campaigns.path
        var archive = SiteRoute.archive.path
        var regular = SiteRoute.regularChecks.path
        var ledger = SiteRoute.ledger.path
        var password = SiteRoute.password.path
        var logout = SiteRoute.logout.path
    }

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
            nav.campaigns = role.isDepartmentWide || role == .groupMember
            nav.archive = role.isDepartmentWide
            nav.regular = role.isDepartmentWide || role == .unitAdmin
            nav.ledger = role.isDepartmentWide
            if role == .cadre, let id = req.account?.$cadre.id { nav.ownRecord = SiteRoute.cadre(id).path }
            if role == .cadre || role == .unitAdmin { nav.results = SiteRoute.results.path }
        }
        self.nav = nav
        if let code = req.query[String.self, at: "notice"] { self.notice = Notice(rawValue: code)?.text }
    }
}

/// One `<option>` of a `<select>`.
struct SelectOption: Encodable, Sendable {
    var value: String
    var label: String
    var selected: Bool = false

    /// The first option of a filter or an optional field: empty value.
    static func none(_ label: String, selected: Bool) -> SelectOption { SelectOption(value: "", label: label, selected: selected) }
}
