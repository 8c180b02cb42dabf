import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 考核: the organisation department makes a campaign (kind, year, cut-off date, policy from a preset or a file);
/// the campaign page shows who takes part, unit by unit, computed from the registry on the cut-off date, and the
/// democratic evaluations. Assessment-group members see their units' part.
struct CampaignController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireRole(.admin, .organisationDepartment, .groupMember))
        staff.get(.campaigns, use: Self.index)
        staff.post(.campaigns, use: Self.create)
        staff.get(.campaign, use: Self.show)
        staff.get(.campaignResult, use: Self.result)
        staff.post(.campaignParticipation, use: Self.changeParticipation)
    }

    struct Row: Encodable { var title: String; var kind: String; var year: Int; var cutoff: String; var policy: String; var link: String }
    struct IndexPage: Encodable {
        var page: PageContext
        var campaigns: [Row]
        var canCreate: Bool
        var action = SiteRoute.campaigns.path
        var kinds = Campaign.Kind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label) }
        var presets: [SelectOption]
        var form: CreateForm
        var problems: [String]
    }

    struct CreateForm: Content {
        var title: String?
        var kind: String?
        var year: String?
        var cutoff: String?
        var preset: String?
        var policyFile: File?
    }

    @Sendable static func index(req: Request) async throws -> View {
        try await indexPage(req, form: CreateForm(), problems: [])
    }

    static func indexPage(_ req: Request, form: CreateForm, problems: [String]) async throws -> View {
        let campaigns = try await Campaign.query(on: req.db).sort(\.$year, .descending).sort(\.$createdAt, .descending).all()
        let presets = Presets.all.map { SelectOption(value: $0.name, label: "\($0.title)（\($0.name)）", selected: $0.name == form.preset) }
        return try await req.view.render("campaigns/index", IndexPage(
            page: PageContext(req, title: "考核"),
            campaigns: campaigns.map {
                Row(title: $0.title, kind: Campaign.Kind(rawValue: $0.kind)?.label ?? $0.kind, year: $0.year, cutoff: $0.cutoff,
                    policy: $0.policyName, link: SiteRoute.campaign($0.id!).path)
            },
            canCreate: req.account?.role.isDepartmentWide == true,
            presets: [SelectOption.none("（上传策略文件时不选）", selected: form.preset?.isEmpty ?? true)] + presets,
            form: CreateForm(title: form.title, kind: form.kind, year: form.year, cutoff: form.cutoff, preset: form.preset),
            problems: problems))
    }

    @Sendable static func create(req: Request) async throws -> Response {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
        let form = try req.content.decode(CreateForm.self)
        var problems: [String] = []
        let title = (form.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { problems.append("「考核名称」必填。") } else if title.count > 100 { problems.append("「考核名称」最多 100 字。") }
        // This form is multipart (a policy file may come with it), which NULMiddleware does not read.
        else if title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { problems.append("「考核名称」含有控制字符，请重新输入。") }
        let kind = Campaign.Kind(rawValue: form.kind ?? "")
        if kind == nil { problems.append("「考核类型」请从列表中选择。") }
        let year = Int((form.year ?? "").trimmingCharacters(in: .whitespaces))
        if year == nil || !(2000...2100).contains(year!) { problems.append("「考核年度」应为 2000 到 2100 之间的年份，如 2026。") }
        let cutoff = Day((form.cutoff ?? "").trimmingCharacters(in: .whitespaces))
        if cutoff == nil { problems.append("「截止日期」应为日期，如 2026-12-31。") }
        var policy: Policy?
        if let file = form.policyFile, file.data.readableBytes > 0 {
            if form.preset?.isEmpty == false { problems.append("「考核办法」请选择预置办法或上传策略文件，不要两者都选。") }
            else if file.data.readableBytes > 512 * 1024 { problems.append("「策略文件」过大（最多 512 KB）。") }
            else {
                do { policy = try Policy.decode(Data(buffer: file.data)) } catch let failure as ValidationFailure {
                    problems += failure.problems.map { "策略文件：\($0.description)" }
                } catch {
                    problems.append("策略文件不是有效的 JSON：\(error)")
                }
            }
        } else if let name = form.preset, let preset = Presets.all.first(where: { $0.name == name }) {
            policy = preset
        } else {
            problems.append("「考核办法」请选择一个预置办法，或上传策略文件（kaohe policy show 的格式）。")
        }
        guard problems.isEmpty, let kind, let year, let cutoff, let policy else {
            let view = try await indexPage(req, form: form, problems: problems)
            let response = try await view.encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
        let campaign = Campaign()
        campaign.id = UUID()
        campaign.kind = kind.rawValue
        campaign.year = year
        campaign.cutoff = cutoff.description
        campaign.title = title
        campaign.policyName = policy.name
        campaign.policyJSON = String(decoding: policy.encodedJSON(), as: UTF8.self)
        campaign.createdAt = req.clock.epochSeconds
        try await req.audited { tx, audit in
            try await campaign.create(on: tx)
            audit.record(.init(action: .create, entity: .campaign, entityID: campaign.id!.uuidString,
                               after: ["title": title, "kind": kind.rawValue, "year": "\(year)", "cutoff": cutoff.description, "policy": policy.name]))
        }
        return req.redirect(to: .campaign(campaign.id!), notice: .created)
    }

    @Sendable static func show(req: Request) async throws -> View {
        try await CampaignPage.render(req, campaign: try await req.campaign())
    }

    // MARK: Participation

    struct ParticipationForm: Content { var cadre: String?; var participates: String? }

    /// 组织部 decides that a cadre takes part, or not, against the rules (「参加」/「不参加」), or goes back to the rules
    /// (「按规则」): always with a reason, audited. Sessions already prepared keep their ballot; grading follows at once.
    @Sendable static func changeParticipation(req: Request) async throws -> Response {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
        let campaign = try await req.campaign()
        let form = try req.content.decode(ParticipationForm.self)
        guard let cadreID = form.cadre.flatMap(UUID.init(uuidString:)), let cadre = try await Cadre.find(cadreID, on: req.db) else {
            throw RequestFailure.invalid("「干部」不存在。")
        }
        let choice = form.participates ?? ""
        guard ["参加", "不参加", "按规则"].contains(choice) else { throw RequestFailure.invalid("「是否参加」请选择 参加、不参加 或 按规则。") }
        let reason = try req.correctionReason()
        let campaignID = try campaign.requireID()
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            struct Row: Decodable { var participates: Bool; var reason: String }
            let before = try await sql.raw("SELECT participates, reason FROM participation_changes WHERE campaign_id = \(bind: campaignID) AND cadre_id = \(bind: cadreID)")
                .first(decoding: Row.self)
            try await sql.raw("DELETE FROM participation_changes WHERE campaign_id = \(bind: campaignID) AND cadre_id = \(bind: cadreID)").run()
            if choice != "按规则" {
                try await sql.insert(into: "participation_changes").columns("id", "campaign_id", "cadre_id", "participates", "reason")
                    .values(SQLBind(UUID()), SQLBind(campaignID), SQLBind(cadreID), SQLBind(choice == "参加"), SQLBind(reason)).run()
            }
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                               before: ["cadre": cadre.code, "participation": before.map { $0.participates ? "参加" : "不参加" } ?? "按规则"],
                               after: ["cadre": cadre.code, "participation": choice], reason: reason))
        }
        return req.redirect(to: .campaign(campaignID), notice: .saved)
    }

    // MARK: Result

    struct SubjectResult: Encodable {
        var name: String; var title: String; var status: String; var grade: String; var voteScore: String
        var reasons: [String]; var engineGrade: String?
    }
    struct UnitResult: Encodable {
        var name: String; var category: String; var voted: Bool
        var team: SubjectResult?
        var cadres: [SubjectResult]
    }
    struct QuotaRow: Encodable { var scope: String; var grade: String; var base: Int; var limit: Int; var used: Int; var rule: String }
    struct ResultPage: Encodable {
        var page: PageContext
        var title: String; var back: String; var policy: String
        var units: [UnitResult]
        var quotas: [QuotaRow]
        var notices: [String]
        /// Lists cut at `listLimit`: how many more there are.
        var moreQuotas: Int; var moreNotices: Int
        var unitCount: Int; var pageNumber: Int; var pageCount: Int
        var previous: String?; var next: String?
    }
    static let unitsPerPage = 20
    static let listLimit = 200

    /// The campaign graded as it stands (every unit, for the quotas; `CampaignGrading.current`), the account's units
    /// shown 20 to a page.
    @Sendable static func result(req: Request) async throws -> View {
        let campaign = try await req.campaign()
        let grading = try await CampaignGrading.current(campaign, on: req)
        let scope = try await req.scope()
        let result = grading.result
        func reasons(_ list: [Reason]) -> [String] { list.map { "\($0.rule) \($0.message)" } }
        func score(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "—" }
        var teamResult: [String: SubjectResult] = [:]
        for (i, t) in grading.dataset.teams.enumerated() {
            let r = result.teams[i]
            teamResult[t.id] = SubjectResult(name: t.name ?? t.id, title: "领导班子", status: "", grade: r.grade ?? "—",
                                             voteScore: score(r.voteScore), reasons: reasons(r.reasons), engineGrade: r.engineGrade)
        }
        var cadreResult: [String: SubjectResult] = [:]
        for (i, c) in grading.dataset.cadres.enumerated() {
            let r = result.cadres[i]
            cadreResult[c.id] = SubjectResult(name: c.name ?? c.id, title: "", status: statusLabel(r.status), grade: r.grade ?? "—",
                                              voteScore: score(r.voteScore), reasons: reasons(r.reasons), engineGrade: r.engineGrade)
        }
        let allowed = grading.roster.units.filter { scope.allowsUnit($0.unitID) }
        let pageCount = max(1, (allowed.count + unitsPerPage - 1) / unitsPerPage)
        let pageNumber = min(req.pageNumber, pageCount)
        let shown = allowed[min(allowed.count, (pageNumber - 1) * unitsPerPage)..<min(allowed.count, pageNumber * unitsPerPage)]
        let units = shown.map { u in
            UnitResult(name: u.name, category: u.category, voted: grading.votedUnits.contains(u.unitID), team: teamResult[u.code],
                       cadres: u.cadres.map { p in
                           if var r = cadreResult[p.code] { r.title = p.title; return r }
                           if let change = p.change, !change.participates {
                               return SubjectResult(name: p.name, title: p.title, status: "不参加考核", grade: "—", voteScore: "—",
                                                    reasons: ["调整 经组织部决定不参加本次考核：\(change.reason)"], engineGrade: nil)
                           }
                           // Not graded: a unit without a 领导班子 has nothing to grade its cadres in.
                           return SubjectResult(name: p.name, title: p.title, status: "未评定", grade: "—", voteScore: "—",
                                                reasons: ["单位没有领导班子，未纳入等次评定：请在单位信息中补充领导班子"], engineGrade: nil)
                       })
        }
        // Notices about the account's own units only; quotas and counts across units for the organisation department.
        let departmentWide = req.account?.role.isDepartmentWide == true
        let ownSubjects = Set(allowed.map(\.code) + allowed.flatMap { $0.cadres.map(\.code) })
        let notices = (result.triggers.filter { departmentWide || ownSubjects.contains($0.subject) }.map { "\($0.rule) \($0.subject)：\($0.message)" })
            + result.violations.filter { departmentWide || ownSubjects.contains($0.subject) }.map { "\($0.rule) \($0.subject)：\($0.message)" }
            + (departmentWide ? result.ties.map { "\($0.rule) \($0.scope)：\($0.message)" } + result.warnings.map { "\($0.rule) \($0.scope)：\($0.message)" } : [])
        let quotas = departmentWide ? result.quotas : []
        let path = SiteRoute.campaignResult(try campaign.requireID()).path
        return try await req.view.render("campaigns/result", ResultPage(
            page: PageContext(req, title: "等次建议 · \(campaign.title)"), title: campaign.title, back: SiteRoute.campaign(campaign.id!).path,
            policy: result.policy, units: Array(units),
            quotas: quotas.prefix(listLimit).map { QuotaRow(scope: $0.scope, grade: $0.grade, base: $0.base, limit: $0.limit, used: $0.used, rule: $0.rule) },
            notices: Array(notices.prefix(listLimit)),
            moreQuotas: max(0, quotas.count - listLimit), moreNotices: max(0, notices.count - listLimit),
            unitCount: allowed.count, pageNumber: pageNumber, pageCount: pageCount,
            previous: pageNumber > 1 ? path + listQueryString([("page", "\(pageNumber - 1)")]) : nil,
            next: pageNumber < pageCount ? path + listQueryString([("page", "\(pageNumber + 1)")]) : nil))
    }

    static func statusLabel(_ status: CadreStatus) -> String {
        switch status {
        case .graded: "参加考核"
        case .ungraded: "不确定等次"
        case .pending: "等次待定"
        case .notAssessed: "不参加考核"
        }
    }
}

extension Request {
    /// The campaign of the route's `:id`.
    func campaign() async throws -> Campaign {
        guard let id = parameters.get("id", as: UUID.self), let campaign = try await Campaign.find(id, on: db) else {
            throw RequestFailure.notFound(.campaign)
        }
        return campaign
    }
}
