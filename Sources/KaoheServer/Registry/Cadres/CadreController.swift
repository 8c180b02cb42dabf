import Fluent
import SQLKit
import Vapor

/// 干部: list (search, filters, 50 per page) and detail (current posts, post history, yearly facts). The forms are in
/// `CadreController+Edit.swift`, posts in `+Posts`, yearly facts in `+Facts`. Every handler checks scope:
/// out-of-scope records are 404 by URL; writes need `canEditRegistry` and an in-scope unit.
struct CadreController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.cadres, use: Self.index)
        routes.get(.cadreNew, use: Self.newForm)
        routes.post(.cadres, use: Self.create)
        routes.get(.cadre, use: Self.show)
        routes.get(.cadreEdit, use: Self.editForm)
        routes.post(.cadre, use: Self.update)
        routes.post(.cadrePosts, use: Self.addPost)
        routes.post(.cadrePostEnd, use: Self.endPost)
        routes.post(.cadrePostReopen, use: Self.reopenPost)
        routes.post(.cadrePostDelete, use: Self.deletePost)
        routes.post(.cadreFacts, use: Self.saveFacts)
        routes.post(.cadreDelete, use: Self.deleteCadre)
    }

    // MARK: List

    struct IndexPage: Encodable {
        var page: PageContext
        var q: String
        var ranks: [SelectOption]
        var units: UnitChoice
        /// The unit typed in the filter is unknown (or out of scope).
        var unitNote: String?
        var categories: [SelectOption]
        var statuses: [SelectOption]
        var cadres: [CadreListItem]
        var total: Int
        var pageNumber: Int
        var pageCount: Int
        var pageSize = CadreQueries.pageSize
        var previous: String?
        var next: String?
        var exportPath: String
        var canEdit: Bool
        var search = SiteRoute.cadres.path
        var newCadre = SiteRoute.cadreNew.path
    }

    @Sendable static func index(req: Request) async throws -> View {
        let scope = try await req.requireRegistryScope()
        var f = CadreFilter(query: req.query)
        // A unit typed by its code (the filter is a text field when the scope holds many units).
        var unitNote: String?
        if f.unitID == nil, let typed = req.query[String.self, at: "unit"]?.trimmingCharacters(in: .whitespaces), !typed.isEmpty {
            f.unitID = try await UnitQueries.chosen(typed, on: req.sql)
            if f.unitID == nil || !scope.allowsUnit(f.unitID!) {
                unitNote = "没有编码为「\(typed)」的单位（或不在您的管理范围内）。"
                f.unitID = UUID()  // matches nothing
            }
        } else if let id = f.unitID, !scope.allowsUnit(id) {
            // An id from elsewhere: nothing listed, and nothing told about the unit (not even its code in the field).
            unitNote = "没有该单位（或不在您的管理范围内）。"
            f.unitID = UUID()
        }
        let today = req.clock.today.description
        var (rows, total) = try await CadreQueries.list(f, scopeUnits: scope.unitIDs, page: req.pageNumber, today: today,
                                                        cache: req.application.cadreListCache, on: req.sql)
        let pageCount = max(1, (total + CadreQueries.pageSize - 1) / CadreQueries.pageSize)
        let page = min(req.pageNumber, pageCount)
        if page < req.pageNumber {  // past the end: the last page
            rows = try await CadreQueries.list(f, scopeUnits: scope.unitIDs, page: page, today: today,
                                               cache: req.application.cadreListCache, on: req.sql).rows
        }
        let ranks = try await CadreQueries.ranks(on: req.sql)
        return try await req.view.render("cadres/index", IndexPage(
            page: PageContext(req, title: "干部"), q: f.q,
            ranks: [.none("全部职级", selected: f.rank.isEmpty)] + ranks.map { SelectOption(value: $0, label: $0, selected: $0 == f.rank) },
            units: UnitQueries.choice(scopeUnits: scope.unitIDs, selected: f.unitID, none: "全部单位", on: req.sql), unitNote: unitNote,
            categories: [.none("全部类别", selected: f.categoryID == nil)] + UnitQueries.categoryOptions(selected: f.categoryID, on: req.db),
            statuses: [.none("全部状态", selected: f.status == nil)]
                + CadreFilter.Status.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == f.status) },
            cadres: rows.map(CadreListItem.init), total: total, pageNumber: page, pageCount: pageCount,
            previous: page > 1 ? SiteRoute.cadres.path + f.queryString(page: page - 1) : nil,
            next: page < pageCount ? SiteRoute.cadres.path + f.queryString(page: page + 1) : nil,
            exportPath: SiteRoute.rosterExport.path + f.queryString(), canEdit: req.canEditRegistry))
    }

    // MARK: Detail

    struct PostView: Encodable {
        var unit: String; var title: String; var principal: Bool; var mainDuty: Bool
        var startDate: String; var endDate: String?; var endPath: String; var reopenPath: String; var deletePath: String
    }
    struct FactView: Encodable {
        var year: Int; var leaveDays: Int; var secondmentLevel: String; var secondmentHost: String; var secondmentMonths: String
    }
    struct ShowPage: Encodable {
        var page: PageContext
        var cadre: CadreForm
        /// The 干部任免审批表 fields as shown (身份证号 masked but to the organisation department).
        var record: [LabelledValue]
        var flags: FormPage.Flags
        var currentPosts: [PostView]
        var history: [PostView]
        var facts: [FactView]
        var canEdit: Bool
        var editPath: String
        var postsPath: String
        var factsPath: String
        var deletePath: String
        var units: UnitChoice?
        var levels: [String]
        var clearMarker = CadreRules.clearMarker
        var today: String
        var thisYear: Int
        var back = SiteRoute.cadres.path
        /// 考核档案: the cadre's results year by year, newest first.
        var timeline: [Archive.Entry] = []
    }

    struct LabelledValue: Encodable { var label: String; var value: String }

    @Sendable static func show(req: Request) async throws -> View {
        let cadre = try await req.scopedCadre(req.pathID(.cadre))
        let id = try cadre.requireID()
        let posts = try await Post.query(on: req.db).filter(\.$cadre.$id == id).with(\.$unit)
            .sort(\.$startDate, .descending).all()
        let views = posts.map {
            PostView(unit: "\($0.unit.code) \($0.unit.name)", title: $0.title, principal: $0.principal,
                     mainDuty: $0.mainDuty, startDate: $0.startDate, endDate: $0.endDate,
                     endPath: SiteRoute.cadrePostEnd(cadre: id, post: $0.id!).path,
                     reopenPath: SiteRoute.cadrePostReopen(cadre: id, post: $0.id!).path,
                     deletePath: SiteRoute.cadrePostDelete(cadre: id, post: $0.id!).path)
        }
        let facts = try await CadreYearFact.query(on: req.db).filter(\.$cadre.$id == id).with(\.$secondmentHost)
            .sort(\.$year, .descending).all()
        let canEdit = try await req.mayEditCadre(id)
        let units = canEdit ? try await UnitQueries.choice(scopeUnits: req.scope().unitIDs, on: req.sql) : nil
        let today = req.clock.today
        let timeline = try await Archive.timeline(subject: "cadre", code: cadre.code, departmentWide: req.isDepartmentWide, on: req.sql)
        // A cadre reading its own record sees its posts and what concerns it, not internal flags (立案审查…).
        let template = req.account?.role == .cadre ? "cadres/own" : "cadres/show"
        return try await req.view.render(template, ShowPage(
            page: PageContext(req, title: "\(cadre.name)（\(cadre.code)）"), cadre: CadreForm(cadre),
            record: CadreFields.recordFields.map { [fields = cadre.fields] f in
                let v = fields[keyPath: f.path]
                switch f.kind {
                case .idNumber: return LabelledValue(label: f.label, value: req.isDepartmentWide ? v : IDNumber.masked(v))
                case .monthDate: return LabelledValue(label: f.label, value: SheetText.shownDate(v))
                case .text: return LabelledValue(label: f.label, value: v)
                }
            },
            flags: .init(underInvestigation: cadre.underInvestigation, villageTeam: cadre.villageTeam,
                         awaitingAssignment: cadre.awaitingAssignment, principal: false, concurrent: false),
            currentPosts: views.filter { $0.endDate == nil }, history: views.filter { $0.endDate != nil },
            facts: facts.map {
                FactView(year: $0.year, leaveDays: $0.leaveDays, secondmentLevel: $0.secondmentLevel ?? "",
                         secondmentHost: $0.secondmentHost.map { "\($0.code) \($0.name)" } ?? "",
                         secondmentMonths: $0.secondmentMonths.map(String.init) ?? "")
            },
            canEdit: canEdit, editPath: SiteRoute.cadreEdit(id).path, postsPath: SiteRoute.cadrePosts(id).path,
            factsPath: SiteRoute.cadreFacts(id).path, deletePath: SiteRoute.cadreDelete(id).path, units: units, levels: CadreRules.secondmentLevels,
            today: today.description, thisYear: today.components.year, timeline: timeline))
    }
}
