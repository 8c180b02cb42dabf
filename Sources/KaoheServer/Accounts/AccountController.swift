import Fluent
import Vapor
import SQLKit

/// 账号管理 (系统管理员): create accounts with a role and scope, disable/enable (ending sessions), reset passwords.
struct AccountController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.accounts, use: Self.index)
        routes.get(.accountNew, use: Self.newForm)
        routes.post(.accounts, use: Self.create)
        routes.get(.account, use: Self.show)
        routes.post(.account, use: Self.update)
        routes.post(.accountDisable, use: Self.disable)
        routes.post(.accountEnable, use: Self.enable)
        routes.post(.accountResetPassword, use: Self.resetPassword)
    }

    struct Row: Encodable { var path: String; var username: String; var displayName: String; var role: String; var unit: String; var disabled: Bool }
    struct IndexPage: Encodable {
        var page: PageContext; var accounts: [Row]; var q: String; var total: Int; var pageNumber: Int; var pageCount: Int
        var previous: String?; var next: String?
        var newAccount = SiteRoute.accountNew.path; var search = SiteRoute.accounts.path
    }
    static let pageSize = 100
    struct FormPage: Encodable {
        var page: PageContext
        var account: AccountForm
        var disabled: Bool
        var roles: [SelectOption]
        var units: UnitChoice
        var errors: [String]
        var action: String
        /// Only for an existing account.
        var links: AccountLinks?
        var back = SiteRoute.accounts.path
    }
    struct AccountLinks: Encodable {
        var enable: String, disable: String, resetPassword: String
        init(_ id: UUID) {
            enable = SiteRoute.accountEnable(id).path
            disable = SiteRoute.accountDisable(id).path
            resetPassword = SiteRoute.accountResetPassword(id).path
        }
    }

    struct AccountForm: Content {
        var username: String
        var displayName: String
        var role: String
        var unitID: String?
        var cadreCode: String?
        var password: String?
    }

    @Sendable static func index(req: Request) async throws -> View {
        // Paged by user name (unique, indexed); a province has an account per unit.
        let q = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        func filtered() -> QueryBuilder<Account> {
            let query = Account.query(on: req.db)
            if !q.isEmpty { query.group(.or) { $0.filter(\.$username ~~ q).filter(\.$displayName ~~ q) } }
            return query
        }
        let total = try await filtered().count()
        let pageCount = max(1, (total + pageSize - 1) / pageSize)
        let page = min(req.pageNumber, pageCount)
        let accounts = try await filtered().with(\.$unit).sort(\.$username).range(((page - 1) * pageSize)..<(page * pageSize)).all()
        func link(_ p: Int) -> String { SiteRoute.accounts.path + listQueryString([("q", q), ("page", p > 1 ? String(p) : "")]) }
        let rows = try accounts.map {
            Row(path: SiteRoute.account(try $0.requireID()).path, username: $0.username, displayName: $0.displayName, role: $0.role.label,
                unit: $0.unit?.name ?? "", disabled: $0.disabled)
        }
        return try await req.view.render("accounts/index", IndexPage(
            page: PageContext(req, title: "账号管理"), accounts: rows, q: q, total: total, pageNumber: page, pageCount: pageCount,
            previous: page > 1 ? link(page - 1) : nil, next: page < pageCount ? link(page + 1) : nil))
    }

    static func formPage(_ req: Request, _ form: AccountForm, id: UUID?, disabled: Bool, errors: [String]) async throws -> FormPage {
        return try await FormPage(
            page: PageContext(req, title: id == nil ? "新建账号" : "编辑账号"), account: form, disabled: disabled,
            roles: Role.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.role) },
            units: UnitQueries.choice(scopeUnits: nil, selected: UnitQueries.chosen(form.unitID, on: req.sql), none: "（无）", on: req.sql),
            errors: errors, action: id.map { SiteRoute.account($0).path } ?? SiteRoute.accounts.path, links: id.map(AccountLinks.init))
    }

    @Sendable static func newForm(req: Request) async throws -> View {
        let form = AccountForm(username: "", displayName: "", role: Role.unitAdmin.rawValue)
        return try await req.view.render("accounts/form", formPage(req, form, id: nil, disabled: false, errors: []))
    }

    /// Checks the role's scope: 单位管理员/考核责任单位 need a unit; 干部 needs a cadre (by 干部编号).
    static func validate(_ form: AccountForm, isNew: Bool, on db: any Database) async throws
        -> (errors: [String], role: Role?, unitID: UUID?, cadreID: UUID?)
    {
        var errors: [String] = []
        let username = form.username.trimmingCharacters(in: .whitespaces)
        if isNew {
            if username.isEmpty || username.count > 64 { errors.append("「用户名」必填，最长 64 个字符。") }
            if try await Account.query(on: db).filter(\.$username == username).count() > 0 {
                errors.append("「用户名」\(username) 已存在。")
            }
            errors += PasswordPolicy.problems(form.password ?? "", username: username).map { "「初始密码」\($0)" }
        }
        if form.displayName.trimmingCharacters(in: .whitespaces).isEmpty { errors.append("「姓名」必填。") }
        let role = Role(rawValue: form.role)
        if role == nil { errors.append("「角色」无效。") }
        var unitID: UUID?
        if let raw = form.unitID, !raw.isEmpty {
            if let id = try await UnitQueries.chosen(raw, on: db as! any SQLDatabase) { unitID = id } else { errors.append("「单位」不存在（选择单位或填写单位编码）。") }
        }
        if (role == .unitAdmin || role == .scoringUnit) && unitID == nil { errors.append("「单位」：\(role!.label)必须指定所属单位。") }
        var cadreID: UUID?
        if role == .cadre {
            let code = (form.cadreCode ?? "").trimmingCharacters(in: .whitespaces)
            if let cadre = try await Cadre.query(on: db).filter(\.$code == code).first() { cadreID = cadre.id } else {
                errors.append("「干部编号」：干部账号必须对应一名已登记的干部（\(code.isEmpty ? "未填写" : "找不到 \(code)")）。")
            }
        }
        return (errors, role, unitID, cadreID)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let form = try req.content.decode(AccountForm.self)
        let (errors, role, unitID, cadreID) = try await validate(form, isNew: true, on: req.db)
        guard errors.isEmpty, let role else {
            return try await req.view.render("accounts/form", formPage(req, form, id: nil, disabled: false, errors: errors))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let hash = try await req.password.async.hash(form.password ?? "")
        let account = Account(username: form.username.trimmingCharacters(in: .whitespaces),
                              displayName: form.displayName.trimmingCharacters(in: .whitespaces), passwordHash: hash,
                              role: role, unitID: unitID, cadreID: cadreID, mustChangePassword: true)
        if role == .scoringUnit { account.$scoringUnit.id = unitID }
        try await req.audited { tx, audit in
            try await account.create(on: tx)
            audit.record(.init(action: .create, entity: .account, entityID: account.id!.uuidString, after: account.auditSnapshot))
        }
        return req.redirect(to: .accounts, notice: .created)
    }

    @Sendable static func show(req: Request) async throws -> View {
        let account = try await find(req)
        var cadreCode: String?
        if let cid = account.$cadre.id { cadreCode = try await Cadre.find(cid, on: req.db)?.code }
        let form = AccountForm(username: account.username, displayName: account.displayName, role: account.role.rawValue,
                               unitID: account.$unit.id?.uuidString, cadreCode: cadreCode)
        return try await req.view.render("accounts/form", formPage(req, form, id: account.id, disabled: account.disabled, errors: []))
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let account = try await find(req)
        var form = try req.content.decode(AccountForm.self)
        form.username = account.username
        let (errors, role, unitID, cadreID) = try await validate(form, isNew: false, on: req.db)
        guard errors.isEmpty, let role else {
            return try await req.view.render("accounts/form", formPage(req, form, id: account.id, disabled: account.disabled, errors: errors))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        if account.role == .admin && role != .admin { try await requireAnotherAdministrator(besides: account, on: req.db) }
        let before = account.auditSnapshot
        let scopeChanged = account.role != role || account.$unit.id != unitID || account.$cadre.id != cadreID
        let displayName = form.displayName.trimmingCharacters(in: .whitespaces)
        try await req.audited { tx, audit in
            account.displayName = displayName
            account.role = role
            account.$unit.id = unitID
            account.$cadre.id = cadreID
            account.$scoringUnit.id = role == .scoringUnit ? unitID : nil
            try await account.save(on: tx)
            audit.record(.init(action: .update, entity: .account, entityID: account.id!.uuidString,
                               before: before, after: account.auditSnapshot))
            // A change of role or scope takes effect at once, in the same transaction: the account logs in again.
            if scopeChanged { try await SessionStore.endAll(accountID: account.requireID(), on: tx) }
        }
        return req.redirect(to: .account(account.id!), notice: .saved)
    }

    @Sendable static func disable(req: Request) async throws -> Response {
        try await setDisabled(req, true)
    }

    @Sendable static func enable(req: Request) async throws -> Response {
        try await setDisabled(req, false)
    }

    static func setDisabled(_ req: Request, _ disabled: Bool) async throws -> Response {
        let account = try await find(req)
        if disabled && account.id == req.account?.id {
            throw RequestFailure.invalid("不能停用自己正在使用的账号。")
        }
        if disabled && account.role == .admin { try await requireAnotherAdministrator(besides: account, on: req.db) }
        let before = account.auditSnapshot
        try await req.audited { tx, audit in
            account.disabled = disabled
            try await account.save(on: tx)
            audit.record(.init(action: disabled ? .disable : .update, entity: .account, entityID: account.id!.uuidString,
                               before: before, after: account.auditSnapshot))
            // Disabling an account ends all of its sessions, in the same transaction.
            if disabled { try await SessionStore.endAll(accountID: account.requireID(), on: tx) }
        }
        return req.redirect(to: .account(account.id!), notice: disabled ? .disabled : .enabled)
    }

    struct ResetForm: Content { var password: String }

    @Sendable static func resetPassword(req: Request) async throws -> Response {
        let account = try await find(req)
        let form = try req.content.decode(ResetForm.self)
        let problems = PasswordPolicy.problems(form.password, username: account.username)
        guard problems.isEmpty else { throw RequestFailure.invalid(problems.map { "「新密码」" + $0 }) }
        let hash = try await req.password.async.hash(form.password)
        try await req.audited { tx, audit in
            try await AccountWrites.setPassword(account, hash: hash, mustChange: true, note: "（管理员重置，须在下次登录时修改）",
                                                on: tx, audit: audit)
        }
        return req.redirect(to: .account(account.id!), notice: .reset)
    }

    /// The system keeps at least one enabled 系统管理员: the last one cannot be disabled or given another role.
    static func requireAnotherAdministrator(besides account: Account, on db: any Database) async throws {
        let others = try await Account.query(on: db).filter(\.$role == .admin).filter(\.$disabled == false)
            .filter(\.$id != account.requireID()).count()
        guard others > 0 else { throw RequestFailure.invalid("这是最后一个可用的系统管理员账号，不能停用或改为其他角色。") }
    }

    static func find(_ req: Request) async throws -> Account {
        guard let id = req.parameters.get("id", as: UUID.self), let account = try await Account.find(id, on: req.db) else {
            throw RequestFailure.notFound(.account)
        }
        return account
    }
}
