import Fluent
import SQLKit
import Vapor

/// 单位: list (search by code/name, category filter), detail (team and current cadres), create/edit and
/// unit categories (组织部/系统管理员 only). Lists show in-scope units only; other units are 404 by URL.
struct UnitController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let units = routes.grouped("units")
        units.get(use: Self.index)
        units.get("new", use: Self.newForm)
        units.post(use: Self.create)
        units.post("categories", use: Self.createCategory)
        units.get(":id", use: Self.show)
        units.get(":id", "edit", use: Self.editForm)
        units.post(":id", use: Self.update)
    }

    struct Option: Encodable { var value: String; var label: String; var selected: Bool }

    // MARK: List

    struct Row: Encodable, Decodable, Sendable {
        var id: UUID; var code: String; var name: String; var category: String; var parent: String?; var cadres: Int
    }
    struct IndexPage: Encodable {
        var page: PageContext
        var q: String
        var categories: [Option]
        var units: [Row]
        var canManage: Bool
        var newUnit: String
    }

    /// The unit list of a scope: search by code or name, optional category; sorted by code.
    static func listUnits(q: String, categoryID: UUID?, scopeUnits: Set<UUID>?, on sql: any SQLDatabase) async throws -> [Row] {
        let query = sql.select()
            .column(SQLColumn("id", table: "u")).column(SQLColumn("code", table: "u")).column(SQLColumn("name", table: "u"))
            .column(SQLColumn("name", table: "k"), as: "category").column(SQLColumn("name", table: "pu"), as: "parent")
            .column(SQLQueryString("(SELECT COUNT(DISTINCT p.cadre_id) FROM posts p WHERE p.unit_id = u.id AND p.end_date IS NULL)"), as: "cadres")
            .from(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("u")))
            .join(SQLAlias(SQLIdentifier("unit_categories"), as: SQLIdentifier("k")), on: SQLColumn("category_id", table: "u"), .equal, SQLColumn("id", table: "k"))
            .join(SQLAlias(SQLIdentifier("units"), as: SQLIdentifier("pu")), method: SQLJoinMethod.left, on: SQLColumn("parent_id", table: "u"), .equal, SQLColumn("id", table: "pu"))
        if let scopeUnits {
            if scopeUnits.isEmpty { return [] }
            query.where(SQLColumn("id", table: "u"), .in, SQLBind.group(Array(scopeUnits)))
        }
        let term = q.trimmingCharacters(in: .whitespaces)
        if !term.isEmpty {
            let like = "%" + term + "%"
            query.where { $0.where(SQLColumn("code", table: "u"), .like, SQLBind(like)).orWhere(SQLColumn("name", table: "u"), .like, SQLBind(like)) }
        }
        if let categoryID { query.where(SQLColumn("category_id", table: "u"), .equal, SQLBind(categoryID)) }
        return try await query.orderBy(SQLColumn("code", table: "u")).all(decoding: Row.self)
    }

    @Sendable static func index(req: Request) async throws -> View {
        let scope = try await req.requireRegistryScope()
        let q = req.query[String.self, at: "q"] ?? ""
        let categoryID = (req.query[String.self, at: "category"]).flatMap(UUID.init(uuidString:))
        let rows = try await listUnits(q: q, categoryID: categoryID, scopeUnits: scope.unitIDs, on: req.sql)
        let categories = try await UnitCategory.query(on: req.db).sort(\.$sortOrder).sort(\.$name).all()
        return try await req.view.render("units/index", IndexPage(
            page: PageContext(req, title: "单位"), q: q,
            categories: [Option(value: "", label: "全部类别", selected: categoryID == nil)] + categories.map {
                Option(value: $0.id!.uuidString, label: $0.name, selected: $0.id == categoryID)
            },
            units: rows, canManage: req.isDepartmentWide, newUnit: SiteRoute.unitNew.path))
    }

    // MARK: Detail

    struct ShowPage: Encodable {
        var page: PageContext
        var unit: UnitView
        var team: String
        var cadres: [CadreController.ListRow]
        var total: Int
        var canManage: Bool
        var canAddCadre: Bool
        var editPath: String
    }
    struct UnitView: Encodable { var id: UUID; var code: String; var name: String; var category: String; var parent: String?; var parentPath: String? }

    @Sendable static func show(req: Request) async throws -> View {
        let unit = try await req.scopedUnit(req.parameters.require("id", as: UUID.self))
        let category = try await UnitCategory.find(unit.$category.id, on: req.db)
        var parentName: String?, parentPath: String?
        if let pid = unit.$parent.id, let parent = try await Unit.find(pid, on: req.db) {
            parentName = "\(parent.code) \(parent.name)"
            if try await req.scope().allowsUnit(pid) { parentPath = SiteRoute.unit(pid).path }
        }
        let team = try await Team.query(on: req.db).filter(\.$unit.$id == unit.requireID()).first()
        let today = RosterCommit.today()
        let (rows, total) = try await CadreQueries.list(CadreFilter(unitID: unit.id), scopeUnits: nil, page: 1, pageSize: 500,
                                                        today: today, on: req.sql)
        return try await req.view.render("units/show", ShowPage(
            page: PageContext(req, title: unit.name),
            unit: UnitView(id: unit.id!, code: unit.code, name: unit.name, category: category?.name ?? "", parent: parentName, parentPath: parentPath),
            team: team?.name ?? "（无）", cadres: rows.map(CadreController.ListRow.init), total: total,
            canManage: req.isDepartmentWide, canAddCadre: req.canEditRegistry, editPath: SiteRoute.unitEdit(unit.id!).path))
    }

    // MARK: Create / edit (组织部/系统管理员)

    struct UnitForm: Content {
        var code: String
        var name: String
        var categoryID: String?
        var parentID: String?
    }
    struct FormPage: Encodable {
        var page: PageContext
        var form: UnitForm
        var action: String
        var categories: [Option]
        var parents: [Option]
        var errors: [String]
    }

    static func formPage(_ req: Request, _ form: UnitForm, id: UUID?, errors: [String]) async throws -> FormPage {
        let categories = try await UnitCategory.query(on: req.db).sort(\.$sortOrder).sort(\.$name).all()
        let units = try await Unit.query(on: req.db).sort(\.$code).all()
        return FormPage(
            page: PageContext(req, title: id == nil ? "新建单位" : "编辑单位"), form: form,
            action: id.map { SiteRoute.unit($0).path } ?? SiteRoute.units.path,
            categories: categories.map { Option(value: $0.id!.uuidString, label: $0.name, selected: $0.id!.uuidString == form.categoryID) },
            parents: [Option(value: "", label: "（无）", selected: (form.parentID ?? "").isEmpty)] + units.filter { $0.id != id }.map {
                Option(value: $0.id!.uuidString, label: "\($0.code) \($0.name)", selected: $0.id!.uuidString == form.parentID)
            },
            errors: errors)
    }

    @Sendable static func newForm(req: Request) async throws -> View {
        try req.requireDepartmentWide()
        return try await req.view.render("units/form", formPage(req, UnitForm(code: "", name: ""), id: nil, errors: []))
    }

    /// Checks a unit form; returns the problems and the parsed references.
    static func validate(_ form: UnitForm, id: UUID?, on db: any Database) async throws -> (errors: [String], categoryID: UUID?, parentID: UUID?) {
        var errors: [String] = []
        let code = form.code.trimmingCharacters(in: .whitespaces)
        let name = form.name.trimmingCharacters(in: .whitespaces)
        if code.isEmpty || code.count > 32 { errors.append("「单位编码」必填，最长 32 个字符。") }
        if name.isEmpty || name.count > 100 { errors.append("「单位名称」必填，最长 100 个字符。") }
        if !code.isEmpty, let other = try await Unit.query(on: db).filter(\.$code == code).first(), other.id != id {
            errors.append("「单位编码」\(code) 已被「\(other.name)」使用。")
        }
        var categoryID: UUID?
        if let raw = form.categoryID, let cid = UUID(uuidString: raw), try await UnitCategory.find(cid, on: db) != nil {
            categoryID = cid
        } else {
            errors.append("「单位类别」必选。")
        }
        var parentID: UUID?
        if let raw = form.parentID, !raw.isEmpty {
            if let pid = UUID(uuidString: raw), try await Unit.find(pid, on: db) != nil {
                parentID = pid
                // No cycles: walking up from the parent must not reach this unit.
                var cursor: UUID? = pid
                var steps = 0
                while let c = cursor, steps < 100 {
                    if c == id { errors.append("「上级单位」不能是本单位或其下级单位。"); break }
                    cursor = try await Unit.find(c, on: db)?.$parent.id
                    steps += 1
                }
            } else {
                errors.append("「上级单位」不存在。")
            }
        }
        return (errors, categoryID, parentID)
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.requireDepartmentWide()
        let form = try req.content.decode(UnitForm.self)
        let (errors, categoryID, parentID) = try await validate(form, id: nil, on: req.db)
        guard errors.isEmpty, let categoryID else {
            return try await req.view.render("units/form", formPage(req, form, id: nil, errors: errors))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let unit = Unit(code: form.code.trimmingCharacters(in: .whitespaces), name: form.name.trimmingCharacters(in: .whitespaces),
                        categoryID: categoryID, parentID: parentID)
        try await AuditChain.transaction(on: req.db, actor: req.actor) { tx, audit in
            try await unit.create(on: tx)
            let team = Team(unitID: unit.id!, name: unit.name + "领导班子")
            try await team.create(on: tx)
            audit.record(.init(action: .create, entity: .unit, entityID: unit.id!.uuidString, after: unit.auditSnapshot))
            audit.record(.init(action: .create, entity: .team, entityID: team.id!.uuidString,
                               after: ["unitID": unit.id!.uuidString, "name": team.name]))
        }
        return req.redirect(to: SiteRoute.unit(unit.id!).path + "?notice=created")
    }

    @Sendable static func editForm(req: Request) async throws -> View {
        try req.requireDepartmentWide()
        let unit = try await req.scopedUnit(req.parameters.require("id", as: UUID.self))
        let form = UnitForm(code: unit.code, name: unit.name, categoryID: unit.$category.id.uuidString, parentID: unit.$parent.id?.uuidString)
        return try await req.view.render("units/form", formPage(req, form, id: unit.id, errors: []))
    }

    @Sendable static func update(req: Request) async throws -> Response {
        try req.requireDepartmentWide()
        let unit = try await req.scopedUnit(req.parameters.require("id", as: UUID.self))
        let form = try req.content.decode(UnitForm.self)
        let (errors, categoryID, parentID) = try await validate(form, id: unit.id, on: req.db)
        guard errors.isEmpty, let categoryID else {
            return try await req.view.render("units/form", formPage(req, form, id: unit.id, errors: errors))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let before = unit.auditSnapshot
        unit.code = form.code.trimmingCharacters(in: .whitespaces)
        unit.name = form.name.trimmingCharacters(in: .whitespaces)
        unit.$category.id = categoryID
        unit.$parent.id = parentID
        if unit.auditSnapshot != before {
            try await AuditChain.transaction(on: req.db, actor: req.actor) { tx, audit in
                try await unit.save(on: tx)
                audit.record(.init(action: .update, entity: .unit, entityID: unit.id!.uuidString, before: before, after: unit.auditSnapshot))
            }
        }
        return req.redirect(to: SiteRoute.unit(unit.id!).path + "?notice=saved")
    }

    struct CategoryForm: Content { var name: String }

    /// Adds a unit category (categories are data; quotas count per category, R-Q1).
    @Sendable static func createCategory(req: Request) async throws -> Response {
        try req.requireDepartmentWide()
        let name = try req.content.decode(CategoryForm.self).name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 32 else { throw Abort(.unprocessableEntity, reason: "「类别名称」必填，最长 32 个字符。") }
        if try await UnitCategory.query(on: req.db).filter(\.$name == name).count() > 0 {
            throw Abort(.unprocessableEntity, reason: "「类别名称」\(name) 已存在。")
        }
        let order = (try await UnitCategory.query(on: req.db).max(\.$sortOrder) ?? 0) + 1
        let category = UnitCategory(name: name, sortOrder: order)
        try await AuditChain.transaction(on: req.db, actor: req.actor) { tx, audit in
            try await category.create(on: tx)
            audit.record(.init(action: .create, entity: .unitCategory, entityID: category.id!.uuidString, after: ["name": name]))
        }
        return req.redirect(to: SiteRoute.units.path + "?notice=created")
    }
}

extension Request {
    var sql: any SQLDatabase { db as! any SQLDatabase }

    var isDepartmentWide: Bool { account?.role.isDepartmentWide ?? false }

    /// The scope of registry lists; 403 for accounts that see no registry (干部 see their own record only).
    func requireRegistryScope() async throws -> Scope {
        let scope = try await scope()
        guard scope.canSeeRegistry else { throw Abort(.forbidden, reason: "您的账号无权查看单位和干部名单。") }
        return scope
    }

    func requireDepartmentWide() throws {
        guard isDepartmentWide else { throw Abort(.forbidden, reason: "只有组织部或系统管理员可以维护单位和单位类别。") }
    }

    func requireRegistryEditor() throws {
        guard canEditRegistry else { throw Abort(.forbidden, reason: "您的账号无权修改干部信息。") }
    }
}
