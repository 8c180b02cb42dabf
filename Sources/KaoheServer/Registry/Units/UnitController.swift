import Fluent
import SQLKit
import Vapor

/// 单位: list (search by code/name, category filter) and detail (team and current cadres); the forms are in
/// `UnitController+Edit.swift`. Lists show in-scope units only; other units are 404 by URL.
struct UnitController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.units, use: Self.index)
        routes.get(.unitNew, use: Self.newForm)
        routes.post(.units, use: Self.create)
        routes.post(.unitCategories, use: Self.createCategory)
        routes.get(.unit, use: Self.show)
        routes.get(.unitEdit, use: Self.editForm)
        routes.post(.unit, use: Self.update)
        routes.post(.unitDelete, use: Self.deleteUnit)
    }

    // MARK: List

    struct Row: Encodable {
        var code: String; var name: String; var path: String; var category: String; var parent: String?; var cadres: Int
        init(_ r: UnitListRow) {
            code = r.code; name = r.name; path = SiteRoute.unit(r.id).path; category = r.category; parent = r.parent; cadres = r.cadres
        }
    }
    struct IndexPage: Encodable {
        var page: PageContext
        var q: String
        var categories: [SelectOption]
        var units: [Row]
        var total: Int
        var pageNumber: Int
        var pageCount: Int
        var previous: String?
        var next: String?
        var canManage: Bool
        var search = SiteRoute.units.path
        var newUnit = SiteRoute.unitNew.path
        var createCategory = SiteRoute.unitCategories.path
    }

    @Sendable static func index(req: Request) async throws -> View {
        let scope = try await req.requireRegistryScope()
        let q = req.query[String.self, at: "q"] ?? ""
        let categoryID = (req.query[String.self, at: "category"]).flatMap(UUID.init(uuidString:))
        let total = try await UnitQueries.count(q: q, categoryID: categoryID, scopeUnits: scope.unitIDs, on: req.sql)
        let pageCount = max(1, (total + UnitQueries.pageSize - 1) / UnitQueries.pageSize)
        let page = min(req.pageNumber, pageCount)
        let rows = try await UnitQueries.list(q: q, categoryID: categoryID, scopeUnits: scope.unitIDs, page: page, on: req.sql)
        func link(_ p: Int) -> String {
            SiteRoute.units.path + listQueryString([("q", q), ("category", categoryID?.uuidString ?? ""), ("page", p > 1 ? String(p) : "")])
        }
        return try await req.view.render("units/index", IndexPage(
            page: PageContext(req, title: "单位"), q: q,
            categories: [.none("全部类别", selected: categoryID == nil)]
                + UnitQueries.categoryOptions(selected: categoryID, on: req.db),
            units: rows.map(Row.init), total: total, pageNumber: page, pageCount: pageCount,
            previous: page > 1 ? link(page - 1) : nil, next: page < pageCount ? link(page + 1) : nil, canManage: req.isDepartmentWide))
    }

    // MARK: Detail

    struct ShowPage: Encodable {
        var page: PageContext
        var unit: UnitView
        var team: String
        var cadres: [CadreListItem]
        var total: Int
        /// Two 主要负责人 of the same kind (党组织 or 行政) in the team: worth a look.
        var principalWarnings: [String]
        var canManage: Bool
        var canAddCadre: Bool
        var editPath: String
        var deletePath: String
        var newCadrePath: String
        var cadreListPath: String
        var back = SiteRoute.units.path
        /// The team's 考核档案, newest first.
        var timeline: [Archive.Entry]
    }
    struct UnitView: Encodable { var code: String; var name: String; var category: String; var parent: String?; var parentPath: String? }

    /// 「本单位有 2 位党组织主要负责人：…」 for each kind held by more than one cadre.
    static func principalWarnings(_ rows: [CadreListRow]) -> [String] {
        var byKind: [String: [String]] = [:]
        var kinds: [String] = []
        for r in rows where r.principal == true {
            let kind = PostOrder.principalKind(r.title ?? "")
            if byKind[kind] == nil { kinds.append(kind) }
            byKind[kind, default: []].append("\(r.name)（\(r.title ?? "")）")
        }
        return kinds.compactMap { kind in
            let who = byKind[kind]!
            return who.count > 1 ? "本单位有 \(who.count) 位\(kind)主要负责人：\(who.joined(separator: "、"))，请核对。" : nil
        }
    }

    @Sendable static func show(req: Request) async throws -> View {
        let unit = try await req.scopedUnit(req.pathID(.unit))
        let id = try unit.requireID()
        let category = try await UnitCategory.find(unit.$category.id, on: req.db)
        var parentName: String?, parentPath: String?
        if let pid = unit.$parent.id, let parent = try await Unit.find(pid, on: req.db) {
            parentName = "\(parent.code) \(parent.name)"
            if try await req.scope().allowsUnit(pid) { parentPath = SiteRoute.unit(pid).path }
        }
        let team = try await Team.query(on: req.db).filter(\.$unit.$id == id).first()
        let (rows, total) = try await CadreQueries.list(CadreFilter(unitID: id), scopeUnits: nil, page: 1, pageSize: 500,
                                                        today: req.clock.today.description, on: req.sql)
        let unitQuery = "?unit=" + id.uuidString
        return try await req.view.render("units/show", ShowPage(
            page: PageContext(req, title: unit.name),
            unit: UnitView(code: unit.code, name: unit.name, category: category?.name ?? "", parent: parentName, parentPath: parentPath),
            team: team?.name ?? "（无）", cadres: rows.map(CadreListItem.init), total: total,
            principalWarnings: principalWarnings(rows),
            canManage: req.isDepartmentWide, canAddCadre: req.canEditRegistry, editPath: SiteRoute.unitEdit(id).path, deletePath: SiteRoute.unitDelete(id).path,
            newCadrePath: SiteRoute.cadreNew.path + unitQuery, cadreListPath: SiteRoute.cadres.path + unitQuery,
            timeline: try await Archive.timeline(subject: "team", code: unit.code, departmentWide: req.isDepartmentWide, on: req.sql)))
    }
}
