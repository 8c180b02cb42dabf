import Fluent
import SQLKit
import Vapor

/// 干部: list (search, filters, 50 per page), detail (current posts, post history, yearly facts),
/// create/edit (personal data + status facts), add/end posts, yearly facts. Every handler checks scope:
/// out-of-scope records are 404 by URL; writes need `canEditRegistry` and an in-scope unit.
struct CadreController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let cadres = routes.grouped("cadres")
        cadres.get(use: Self.index)
        cadres.get("new", use: Self.newForm)
        cadres.post(use: Self.create)
        cadres.get(":id", use: Self.show)
        cadres.get(":id", "edit", use: Self.editForm)
        cadres.post(":id", use: Self.update)
        cadres.post(":id", "posts", use: Self.addPost)
        cadres.post(":id", "posts", ":postID", "end", use: Self.endPost)
        cadres.post(":id", "facts", use: Self.saveFacts)
    }

    struct Option: Encodable { var value: String; var label: String; var selected: Bool }

    // MARK: List

    struct ListRow: Encodable {
        var id: UUID; var code: String; var name: String; var gender: String; var birthDate: String; var rank: String
        var unit: String; var title: String; var principal: Bool; var status: String; var path: String
        init(_ r: CadreListRow) {
            id = r.id; code = r.code; name = r.name; gender = r.gender; birthDate = r.birth_date ?? ""; rank = r.rank
            unit = r.unit_name ?? "（无现任主职）"; title = r.title ?? ""; principal = r.principal ?? false
            var s: [String] = []
            if r.under_investigation { s.append("立案审查") }
            if r.village_team { s.append("驻村工作队") }
            if r.awaiting_assignment { s.append("免职待安排") }
            if let ret = r.retired_on { s.append("退休 \(ret)") }
            status = s.joined(separator: "、")
            path = SiteRoute.cadre(r.id).path
        }
    }

    struct IndexPage: Encodable {
        var page: PageContext
        var q: String
        var ranks: [Option]
        var units: [Option]
        var categories: [Option]
        var statuses: [Option]
        var cadres: [ListRow]
        var total: Int
        var pageNumber: Int
        var pageCount: Int
        var previous: String?
        var next: String?
        var exportPath: String
        var canEdit: Bool
    }

    /// Reads the list filters from the query string (shared by the list and the export).
    static func filter(_ req: Request) -> CadreFilter {
        var f = CadreFilter()
        f.q = req.query[String.self, at: "q"] ?? ""
        f.unitID = req.query[String.self, at: "unit"].flatMap(UUID.init(uuidString:))
        f.categoryID = req.query[String.self, at: "category"].flatMap(UUID.init(uuidString:))
        f.rank = (req.query[String.self, at: "rank"] ?? "").trimmingCharacters(in: .whitespaces)
        f.status = req.query[String.self, at: "status"].flatMap(CadreFilter.Status.init(rawValue:))
        return f
    }

    static func queryString(_ f: CadreFilter, page: Int? = nil) -> String {
        var items: [URLQueryItem] = []
        if !f.q.isEmpty { items.append(.init(name: "q", value: f.q)) }
        if let u = f.unitID { items.append(.init(name: "unit", value: u.uuidString)) }
        if let c = f.categoryID { items.append(.init(name: "category", value: c.uuidString)) }
        if !f.rank.isEmpty { items.append(.init(name: "rank", value: f.rank)) }
        if let s = f.status { items.append(.init(name: "status", value: s.rawValue)) }
        if let page, page > 1 { items.append(.init(name: "page", value: String(page))) }
        var c = URLComponents()
        c.queryItems = items
        return items.isEmpty ? "" : (c.percentEncodedQuery.map { "?" + $0.replacingOccurrences(of: "+", with: "%2B") } ?? "")
    }

    @Sendable static func index(req: Request) async throws -> View {
        let scope = try await req.requireRegistryScope()
        let f = filter(req)
        let page = max(1, req.query[Int.self, at: "page"] ?? 1)
        let (rows, total) = try await CadreQueries.list(f, scopeUnits: scope.unitIDs, page: page, today: RosterCommit.today(), on: req.sql)
        let pageCount = max(1, (total + CadreQueries.pageSize - 1) / CadreQueries.pageSize)
        let units = try await UnitController.listUnits(q: "", categoryID: nil, scopeUnits: scope.unitIDs, on: req.sql)
        let categories = try await UnitCategory.query(on: req.db).sort(\.$sortOrder).all()
        let ranks = try await CadreQueries.ranks(on: req.sql)
        return try await req.view.render("cadres/index", IndexPage(
            page: PageContext(req, title: "干部"), q: f.q,
            ranks: [Option(value: "", label: "全部职级", selected: f.rank.isEmpty)]
                + ranks.map { Option(value: $0, label: $0, selected: $0 == f.rank) },
            units: [Option(value: "", label: "全部单位", selected: f.unitID == nil)]
                + units.map { Option(value: $0.id.uuidString, label: "\($0.code) \($0.name)", selected: $0.id == f.unitID) },
            categories: [Option(value: "", label: "全部类别", selected: f.categoryID == nil)]
                + categories.map { Option(value: $0.id!.uuidString, label: $0.name, selected: $0.id == f.categoryID) },
            statuses: [Option(value: "", label: "全部状态", selected: f.status == nil)]
                + CadreFilter.Status.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == f.status) },
            cadres: rows.map(ListRow.init), total: total, pageNumber: min(page, pageCount), pageCount: pageCount,
            previous: page > 1 ? SiteRoute.cadres.path + queryString(f, page: page - 1) : nil,
            next: page < pageCount ? SiteRoute.cadres.path + queryString(f, page: page + 1) : nil,
            exportPath: SiteRoute.rosterExport.path + queryString(f), canEdit: req.canEditRegistry))
    }

    // MARK: Detail

    struct PostView: Encodable {
        var id: UUID; var unit: String; var title: String; var principal: Bool; var mainDuty: Bool
        var startDate: String; var endDate: String?; var endPath: String
    }
    struct FactView: Encodable {
        var year: Int; var leaveDays: Int; var secondmentLevel: String; var secondmentHost: String; var secondmentMonths: String
    }
    struct ShowPage: Encodable {
        var page: PageContext
        var cadre: CadreForm
        var flags: FormPage.Flags
        var id: UUID
        var currentPosts: [PostView]
        var history: [PostView]
        var facts: [FactView]
        var canEdit: Bool
        var editPath: String
        var postsPath: String
        var factsPath: String
        var units: [Option]
        var levels: [String]
        var today: String
        var thisYear: Int
    }

    @Sendable static func show(req: Request) async throws -> View {
        let cadre = try await req.scopedCadre(req.parameters.require("id", as: UUID.self))
        let id = try cadre.requireID()
        let posts = try await Post.query(on: req.db).filter(\.$cadre.$id == id).with(\.$unit)
            .sort(\.$startDate, .descending).all()
        let views = posts.map {
            PostView(id: $0.id!, unit: "\($0.unit.code) \($0.unit.name)", title: $0.title, principal: $0.principal,
                     mainDuty: $0.mainDuty, startDate: $0.startDate, endDate: $0.endDate,
                     endPath: SiteRoute.cadrePostEnd(cadre: id, post: $0.id!).path)
        }
        let facts = try await CadreYearFact.query(on: req.db).filter(\.$cadre.$id == id).with(\.$secondmentHost)
            .sort(\.$year, .descending).all()
        let canEdit = try await mayEdit(req, cadreID: id)
        let scope = try await req.scope()
        let units = canEdit ? try await UnitController.listUnits(q: "", categoryID: nil, scopeUnits: scope.unitIDs, on: req.sql) : []
        let today = RosterCommit.today()
        return try await req.view.render("cadres/show", ShowPage(
            page: PageContext(req, title: "\(cadre.name)（\(cadre.code)）"), cadre: CadreForm(cadre),
            flags: .init(underInvestigation: cadre.underInvestigation, villageTeam: cadre.villageTeam,
                         awaitingAssignment: cadre.awaitingAssignment, principal: false, concurrent: false), id: id,
            currentPosts: views.filter { $0.endDate == nil }, history: views.filter { $0.endDate != nil },
            facts: facts.map {
                FactView(year: $0.year, leaveDays: $0.leaveDays, secondmentLevel: $0.secondmentLevel ?? "",
                         secondmentHost: $0.secondmentHost.map { "\($0.code) \($0.name)" } ?? "",
                         secondmentMonths: $0.secondmentMonths.map(String.init) ?? "")
            },
            canEdit: canEdit, editPath: SiteRoute.cadreEdit(id).path, postsPath: SiteRoute.cadrePosts(id).path,
            factsPath: SiteRoute.cadreFacts(id).path,
            units: units.map { Option(value: $0.id.uuidString, label: "\($0.code) \($0.name)", selected: false) },
            levels: RosterSheet.secondmentLevels, today: today, thisYear: Int(today.prefix(4)) ?? 2026))
    }

    /// Whether the account may change this cadre: an editor role, and (单位管理员) the cadre holds an open post in scope.
    static func mayEdit(_ req: Request, cadreID: UUID) async throws -> Bool {
        guard req.canEditRegistry else { return false }
        switch try await req.scope() {
        case .all: return true
        case .units(let ids) where !ids.isEmpty:
            return try await Post.query(on: req.db).filter(\.$cadre.$id == cadreID).filter(\.$endDate == nil)
                .filter(\.$unit.$id ~~ ids).count() > 0
        default: return false
        }
    }

    /// Loads a cadre for a change: 404 when out of scope, 403 when the account may not edit.
    static func editableCadre(_ req: Request) async throws -> Cadre {
        let cadre = try await req.scopedCadre(req.parameters.require("id", as: UUID.self))
        guard try await mayEdit(req, cadreID: cadre.requireID()) else {
            throw Abort(.forbidden, reason: "您的账号无权修改该干部的信息。")
        }
        return cadre
    }

    // MARK: Create / edit

    /// The single form of personal data and status facts (plus, when creating, the first post).
    struct CadreForm: Content {
        var code: String
        var name: String
        var gender: String
        var birthDate: String?
        var politicalStatus: String?
        var education: String?
        var rank: String?
        var retiredOn: String?
        var underInvestigation: String?
        var villageTeam: String?
        var awaitingAssignment: String?
        var unitID: String?
        var title: String?
        var principal: String?
        var mainDuty: String?
        var startDate: String?

        init(code: String = "", name: String = "", gender: String = "男") {
            self.code = code; self.name = name; self.gender = gender
        }

        init(_ c: Cadre) {
            code = c.code; name = c.name; gender = c.gender; birthDate = c.birthDate; politicalStatus = c.politicalStatus
            education = c.education; rank = c.rank; retiredOn = c.retiredOn
            underInvestigation = c.underInvestigation ? "是" : nil
            villageTeam = c.villageTeam ? "是" : nil
            awaitingAssignment = c.awaitingAssignment ? "是" : nil
        }

        var investigationChecked: Bool { Self.checked(underInvestigation) }
        static func checked(_ s: String?) -> Bool { ["是", "on", "true", "1"].contains(s ?? "") }
    }

    struct FormPage: Encodable {
        var page: PageContext
        var form: CadreForm
        var flags: Flags
        var action: String
        var isNew: Bool
        var units: [Option]
        var errors: [String]
        var cancel: String
        struct Flags: Encodable { var underInvestigation: Bool; var villageTeam: Bool; var awaitingAssignment: Bool; var principal: Bool; var concurrent: Bool }
    }

    static func formPage(_ req: Request, _ form: CadreForm, id: UUID?, errors: [String]) async throws -> FormPage {
        let scope = try await req.scope()
        let units = id == nil ? try await UnitController.listUnits(q: "", categoryID: nil, scopeUnits: scope.unitIDs, on: req.sql) : []
        return FormPage(
            page: PageContext(req, title: id == nil ? "新增干部" : "编辑干部信息"), form: form,
            flags: .init(underInvestigation: CadreForm.checked(form.underInvestigation), villageTeam: CadreForm.checked(form.villageTeam),
                         awaitingAssignment: CadreForm.checked(form.awaitingAssignment), principal: CadreForm.checked(form.principal),
                         concurrent: form.mainDuty == "兼职"),
            action: id.map { SiteRoute.cadre($0).path } ?? SiteRoute.cadres.path, isNew: id == nil,
            units: units.map { Option(value: $0.id.uuidString, label: "\($0.code) \($0.name)", selected: $0.id.uuidString == form.unitID) },
            errors: errors, cancel: id.map { SiteRoute.cadre($0).path } ?? SiteRoute.cadres.path)
    }

    @Sendable static func newForm(req: Request) async throws -> View {
        try req.requireRegistryEditor()
        var form = CadreForm()
        form.unitID = req.query[String.self, at: "unit"]
        return try await req.view.render("cadres/form", formPage(req, form, id: nil, errors: []))
    }

    /// Parses a date field of a form; appends `「字段」：原因` on error.
    static func date(_ raw: String?, _ label: String, _ errors: inout [String]) -> String? {
        switch RosterCell.date(.text(raw ?? "")) {
        case .empty: return nil
        case .value(let v): return v
        case .invalid(let why): errors.append("「\(label)」：\(why)。"); return nil
        }
    }

    struct ValidCadre {
        var code, name, gender: String
        var birthDate, retiredOn: String?
        var politicalStatus, education, rank: String
        var underInvestigation, villageTeam, awaitingAssignment: Bool
    }

    static func validate(_ form: CadreForm, id: UUID?, on db: any Database) async throws -> (ValidCadre?, [String]) {
        var errors: [String] = []
        let code = form.code.trimmingCharacters(in: .whitespaces)
        let name = form.name.trimmingCharacters(in: .whitespaces)
        if code.isEmpty || code.count > 64 { errors.append("「干部编号」必填，最长 64 个字符。") }
        if name.isEmpty || name.count > 64 { errors.append("「姓名」必填，最长 64 个字符。") }
        if !["男", "女"].contains(form.gender) { errors.append("「性别」应为 男 或 女。") }
        if !code.isEmpty, let other = try await Cadre.query(on: db).filter(\.$code == code).first(), other.id != id {
            errors.append("「干部编号」\(code) 已被「\(other.name)」使用。")
        }
        let birth = date(form.birthDate, "出生日期", &errors)
        let retired = date(form.retiredOn, "退休日期", &errors)
        func t(_ s: String?) -> String { (s ?? "").trimmingCharacters(in: .whitespaces) }
        guard errors.isEmpty else { return (nil, errors) }
        return (ValidCadre(code: code, name: name, gender: form.gender, birthDate: birth, retiredOn: retired,
                           politicalStatus: t(form.politicalStatus), education: t(form.education), rank: t(form.rank),
                           underInvestigation: CadreForm.checked(form.underInvestigation), villageTeam: CadreForm.checked(form.villageTeam),
                           awaitingAssignment: CadreForm.checked(form.awaitingAssignment)), [])
    }

    static func apply(_ v: ValidCadre, to c: Cadre) {
        c.code = v.code; c.name = v.name; c.gender = v.gender; c.birthDate = v.birthDate; c.retiredOn = v.retiredOn
        c.politicalStatus = v.politicalStatus; c.education = v.education; c.rank = v.rank
        c.underInvestigation = v.underInvestigation; c.villageTeam = v.villageTeam; c.awaitingAssignment = v.awaitingAssignment
    }

    @Sendable static func create(req: Request) async throws -> Response {
        try req.requireRegistryEditor()
        let form = try req.content.decode(CadreForm.self)
        var (valid, errors) = try await validate(form, id: nil, on: req.db)
        // The first post: unit in scope, title; main duty unless 兼职.
        let scope = try await req.scope()
        var unitID: UUID?
        if let raw = form.unitID, let uid = UUID(uuidString: raw), try await Unit.find(uid, on: req.db) != nil, scope.allowsUnit(uid) {
            unitID = uid
        } else {
            errors.append("「单位」必选，且只能是您有权管理的单位。")
        }
        let title = (form.title ?? "").trimmingCharacters(in: .whitespaces)
        if title.isEmpty { errors.append("「职务」必填。") }
        let start = date(form.startDate, "任职日期", &errors) ?? RosterCommit.today()
        guard errors.isEmpty, let valid, let unitID else {
            return try await req.view.render("cadres/form", formPage(req, form, id: nil, errors: errors))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let cadre = Cadre()
        apply(valid, to: cadre)
        let post = Post()
        post.$unit.id = unitID; post.title = title; post.principal = CadreForm.checked(form.principal)
        post.mainDuty = form.mainDuty != "兼职"; post.startDate = start; post.endDate = nil
        try await AuditChain.transaction(on: req.db, actor: req.actor) { tx, audit in
            try await cadre.create(on: tx)
            post.$cadre.id = cadre.id!
            try await post.create(on: tx)
            audit.record(.init(action: .create, entity: .cadre, entityID: cadre.id!.uuidString, after: cadre.auditSnapshot))
            audit.record(.init(action: .create, entity: .post, entityID: post.id!.uuidString, after: post.auditSnapshot))
        }
        return req.redirect(to: SiteRoute.cadre(cadre.id!).path + "?notice=created")
    }

    @Sendable static func editForm(req: Request) async throws -> View {
        let cadre = try await editableCadre(req)
        return try await req.view.render("cadres/form", formPage(req, CadreForm(cadre), id: cadre.id, errors: []))
    }

    @Sendable static func update(req: Request) async throws -> Response {
        let cadre = try await editableCadre(req)
        let form = try req.content.decode(CadreForm.self)
        let (valid, errors) = try await validate(form, id: cadre.id, on: req.db)
        guard let valid else {
            return try await req.view.render("cadres/form", formPage(req, form, id: cadre.id, errors: errors))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        let before = cadre.auditSnapshot
        apply(valid, to: cadre)
        if cadre.auditSnapshot != before {
            try await AuditChain.transaction(on: req.db, actor: req.actor) { tx, audit in
                try await cadre.save(on: tx)
                audit.record(.init(action: .update, entity: .cadre, entityID: cadre.id!.uuidString, before: before, after: cadre.auditSnapshot))
            }
        }
        return req.redirect(to: SiteRoute.cadre(cadre.id!).path + "?notice=saved")
    }

    // MARK: Posts (history kept: ending sets end_date; a new main-duty post ends the previous open one)

    struct PostForm: Content {
        var unitID: String
        var title: String
        var principal: String?
        var mainDuty: String?
        var startDate: String?
    }

    @Sendable static func addPost(req: Request) async throws -> Response {
        let cadre = try await editableCadre(req)
        let form = try req.content.decode(PostForm.self)
        var errors: [String] = []
        let scope = try await req.scope()
        guard let unitID = UUID(uuidString: form.unitID), try await Unit.find(unitID, on: req.db) != nil, scope.allowsUnit(unitID) else {
            throw Abort(.unprocessableEntity, reason: "「单位」必选，且只能是您有权管理的单位。")
        }
        let title = form.title.trimmingCharacters(in: .whitespaces)
        if title.isEmpty { errors.append("「职务」必填。") }
        let start = date(form.startDate, "任职日期", &errors) ?? RosterCommit.today()
        guard errors.isEmpty else { throw Abort(.unprocessableEntity, reason: errors.joined(separator: " ")) }
        let post = Post()
        post.$cadre.id = try cadre.requireID(); post.$unit.id = unitID; post.title = title
        post.principal = CadreForm.checked(form.principal); post.mainDuty = form.mainDuty != "兼职"
        post.startDate = start; post.endDate = nil
        try await AuditChain.transaction(on: req.db, actor: req.actor) { tx, audit in
            if post.mainDuty {
                let open = try await Post.query(on: tx).filter(\.$cadre.$id == cadre.id!).filter(\.$endDate == nil)
                    .filter(\.$mainDuty == true).all()
                for old in open {
                    let before = old.auditSnapshot
                    old.endDate = max(start, old.startDate)
                    try await old.save(on: tx)
                    audit.record(.init(action: .update, entity: .post, entityID: old.id!.uuidString, before: before,
                                       after: old.auditSnapshot, reason: "新任主职，原主职结束"))
                }
            }
            try await post.create(on: tx)
            audit.record(.init(action: .create, entity: .post, entityID: post.id!.uuidString, after: post.auditSnapshot))
        }
        return req.redirect(to: SiteRoute.cadre(cadre.id!).path + "?notice=saved")
    }

    struct EndForm: Content { var endDate: String? }

    @Sendable static func endPost(req: Request) async throws -> Response {
        let cadre = try await editableCadre(req)
        let postID = try req.parameters.require("postID", as: UUID.self)
        guard let post = try await Post.find(postID, on: req.db), post.$cadre.id == cadre.id else {
            throw Abort(.notFound, reason: "找不到该职务。")
        }
        guard post.endDate == nil else { throw Abort(.unprocessableEntity, reason: "该职务已于 \(post.endDate!) 结束。") }
        if case .units(let ids) = try await req.scope(), !ids.contains(post.$unit.id) {
            throw Abort(.forbidden, reason: "只能结束本单位的职务。")
        }
        var errors: [String] = []
        let end = date(try req.content.decode(EndForm.self).endDate, "结束日期", &errors) ?? RosterCommit.today()
        guard errors.isEmpty else { throw Abort(.unprocessableEntity, reason: errors.joined()) }
        guard end >= post.startDate else {
            throw Abort(.unprocessableEntity, reason: "「结束日期」不能早于任职日期 \(post.startDate)。")
        }
        let before = post.auditSnapshot
        post.endDate = end
        try await AuditChain.transaction(on: req.db, actor: req.actor) { tx, audit in
            try await post.save(on: tx)
            audit.record(.init(action: .update, entity: .post, entityID: post.id!.uuidString, before: before, after: post.auditSnapshot))
        }
        return req.redirect(to: SiteRoute.cadre(cadre.id!).path + "?notice=saved")
    }

    // MARK: Yearly facts (leave days, secondment; R-E3, R-E4, R-E5)

    struct FactForm: Content {
        var year: String
        var leaveDays: String?
        var secondmentLevel: String?
        var secondmentHostUnitID: String?
        var secondmentMonths: String?
    }

    @Sendable static func saveFacts(req: Request) async throws -> Response {
        let cadre = try await editableCadre(req)
        let form = try req.content.decode(FactForm.self)
        var errors: [String] = []
        func int(_ raw: String?, _ label: String, _ range: ClosedRange<Int>) -> Int? {
            let s = (raw ?? "").trimmingCharacters(in: .whitespaces)
            if s.isEmpty { return nil }
            guard let n = Int(s), range.contains(n) else {
                errors.append("「\(label)」应为 \(range.lowerBound)–\(range.upperBound) 的整数。"); return nil
            }
            return n
        }
        let year = int(form.year, "年度", 1990...2100)
        if year == nil && errors.isEmpty { errors.append("「年度」必填。") }
        let leave = int(form.leaveDays, "请假天数", 0...366) ?? 0
        let months = int(form.secondmentMonths, "挂职月数", 0...12)
        var level = (form.secondmentLevel ?? "").trimmingCharacters(in: .whitespaces)
        if level.isEmpty { level = "" } else if !RosterSheet.secondmentLevels.contains(level) { errors.append("「挂职层级」应为 中央、省、市 或 县。") }
        var hostID: UUID?
        if let raw = form.secondmentHostUnitID, !raw.isEmpty {
            if let id = UUID(uuidString: raw), try await Unit.find(id, on: req.db) != nil { hostID = id } else { errors.append("「挂职单位」不存在。") }
        }
        if level.isEmpty != (hostID == nil) { errors.append("「挂职层级」和「挂职单位」须同时填写（或都不填）。") }
        if months != nil && level.isEmpty { errors.append("填写「挂职月数」时须填写挂职层级和挂职单位。") }
        guard errors.isEmpty, let year else { throw Abort(.unprocessableEntity, reason: errors.joined(separator: " ")) }
        let cadreID = try cadre.requireID()
        let (secondmentLevel, hostUnitID) = (level, hostID)
        try await AuditChain.transaction(on: req.db, actor: req.actor) { tx, audit in
            let existing = try await CadreYearFact.query(on: tx).filter(\.$cadre.$id == cadreID).filter(\.$year == year).first()
            let fact = existing ?? CadreYearFact()
            let before = existing?.auditSnapshot
            fact.$cadre.id = cadreID; fact.year = year; fact.leaveDays = leave
            fact.secondmentLevel = secondmentLevel.isEmpty ? nil : secondmentLevel; fact.$secondmentHost.id = hostUnitID; fact.secondmentMonths = months
            guard fact.auditSnapshot != before else { return }
            try await fact.save(on: tx)
            audit.record(.init(action: existing == nil ? .create : .update, entity: .cadreYearFact, entityID: fact.id!.uuidString,
                               before: before, after: fact.auditSnapshot))
        }
        return req.redirect(to: SiteRoute.cadre(cadreID).path + "?notice=saved")
    }
}
