import Fluent
import SQLKit
import Vapor

/// 单位 create/edit and unit categories (组织部/系统管理员 only).
extension UnitController {
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
        var categories: [SelectOption]
        var parents: [SelectOption]
        var errors: [String]
        var back = SiteRoute.units.path
    }

    static func formPage(_ req: Request, _ form: UnitForm, id: UUID?, errors: [String]) async throws -> FormPage {
        let units = try await Unit.query(on: req.db).sort(\.$code).all()
        return FormPage(
            page: PageContext(req, title: id == nil ? "新建单位" : "编辑单位"), form: form,
            action: id.map { SiteRoute.unit($0).path } ?? SiteRoute.units.path,
            categories: try await UnitQueries.categoryOptions(selected: form.categoryID.flatMap(UUID.init(uuidString:)), on: req.db),
            parents: [.none("（无）", selected: (form.parentID ?? "").isEmpty)] + units.filter { $0.id != id }.map {
                SelectOption(value: $0.id!.uuidString, label: "\($0.code) \($0.name)", selected: $0.id!.uuidString == form.parentID)
            },
            errors: errors)
    }

    @Sendable static func newForm(req: Request) async throws -> View {
        try req.requireDepartmentWide()
        return try await req.view.render("units/form", formPage(req, UnitForm(code: "", name: ""), id: nil, errors: []))
    }

    /// Checks a unit form: the fields, or nil and every problem.
    static func validate(_ form: UnitForm, id: UUID?, on req: Request) async throws -> (UnitFields?, [String]) {
        var errors: [String] = []
        let code = form.code.trimmingCharacters(in: .whitespaces)
        let name = form.name.trimmingCharacters(in: .whitespaces)
        if code.isEmpty || code.count > 32 { errors.append("「单位编码」必填，最长 32 个字符。") }
        if name.isEmpty || name.count > 100 { errors.append("「单位名称」必填，最长 100 个字符。") }
        if !code.isEmpty, let other = try await Unit.query(on: req.db).filter(\.$code == code).first(), other.id != id {
            errors.append("「单位编码」\(code) 已被「\(other.name)」使用。")
        }
        var categoryID: UUID?
        if let raw = form.categoryID, let cid = UUID(uuidString: raw), try await UnitCategory.find(cid, on: req.db) != nil {
            categoryID = cid
        } else {
            errors.append("「单位类别」必选。")
        }
        var parentID: UUID?
        if let raw = form.parentID, !raw.isEmpty {
            if let pid = UUID(uuidString: raw), try await Unit.find(pid, on: req.db) != nil {
                parentID = pid
                // No cycles: walking up from the new parent must not come back to this unit.
                if let id {
                    var parents = try await UnitWrites.parents(on: req.sql)
                    parents[id] = pid
                    if UnitHierarchy.cycle(from: id, parentOf: parents) != nil {
                        errors.append("「上级单位」不能是本单位或其下级单位。")
                    }
                }
            } else {
                errors.append("「上级单位」不存在。")
            }
        }
        guard errors.isEmpty, let categoryID else { return (nil, errors) }
        return (UnitFields(code: code, name: name, categoryID: categoryID, parentID: parentID), [])
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.requireDepartmentWide()
        let form = try req.content.decode(UnitForm.self)
        let (valid, errors) = try await validate(form, id: nil, on: req)
        guard let fields = valid else { return try await formAgain(req, form, id: nil, errors: errors) }
        let now = req.clock.now
        let id = try await req.audited { tx, audit in
            let (id, records) = try await UnitWrites.create(fields, now: now, on: tx as! any SQLDatabase)
            audit.record(records)
            return id
        }
        return req.redirect(to: .unit(id), notice: .created)
    }

    /// The form again with its problems (422).
    private static func formAgain(_ req: Request, _ form: UnitForm, id: UUID?, errors: [String]) async throws -> Response {
        try await req.view.render("units/form", formPage(req, form, id: id, errors: errors))
            .encodeResponse(status: .unprocessableEntity, for: req)
    }

    @Sendable static func editForm(req: Request) async throws -> View {
        try req.requireDepartmentWide()
        let unit = try await req.scopedUnit(req.pathID(.unit))
        let form = UnitForm(code: unit.code, name: unit.name, categoryID: unit.$category.id.uuidString, parentID: unit.$parent.id?.uuidString)
        return try await req.view.render("units/form", formPage(req, form, id: unit.id, errors: []))
    }

    @Sendable static func update(req: Request) async throws -> Response {
        try req.requireDepartmentWide()
        let unit = try await req.scopedUnit(req.pathID(.unit))
        let form = try req.content.decode(UnitForm.self)
        let (valid, errors) = try await validate(form, id: unit.id, on: req)
        guard let fields = valid else { return try await formAgain(req, form, id: unit.id, errors: errors) }
        let before = unit.fields
        if fields != before {
            unit.fields = fields
            try await req.audited { tx, audit in
                try await unit.save(on: tx)
                audit.record(.init(action: .update, entity: .unit, entityID: unit.id!.uuidString, before: before.auditSnapshot,
                                   after: fields.auditSnapshot))
            }
        }
        return req.redirect(to: .unit(unit.id!), notice: .saved)
    }

    struct CategoryForm: Content { var name: String }

    /// Adds a unit category (categories are data; quotas count per category, R-Q1).
    @Sendable static func createCategory(req: Request) async throws -> Response {
        try req.requireDepartmentWide()
        let name = try req.content.decode(CategoryForm.self).name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 32 else { throw RequestFailure.invalid("「类别名称」必填，最长 32 个字符。") }
        if try await UnitCategory.query(on: req.db).filter(\.$name == name).count() > 0 {
            throw RequestFailure.invalid("「类别名称」\(name) 已存在。")
        }
        let order = (try await UnitCategory.query(on: req.db).max(\.$sortOrder) ?? 0) + 1
        let category = UnitCategory(name: name, sortOrder: order)
        try await req.audited { tx, audit in
            try await category.create(on: tx)
            audit.record(.init(action: .create, entity: .unitCategory, entityID: category.id!.uuidString, after: ["name": name]))
        }
        return req.redirect(to: .units, notice: .created)
    }
}
