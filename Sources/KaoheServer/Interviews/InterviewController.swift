import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 个别谈话 (seed 003 §五(二)): the assessment group records each interview of a unit — the interviewee's category,
/// the date, the interviewer and notes, and whether it revealed a serious lead about one of the unit's cadres (R-T2,
/// which then calls for a special report). Coverage is counted against the people who took part in the unit's
/// democratic evaluation: at least 90% (R-P1). The notes are read only by the unit's assessment group and the
/// organisation department — not by the system administrator, not in the audit log (which keeps their SHA-256).
/// Records are not edited or deleted: a correction is a further record.
struct InterviewController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireRole(.admin, .organisationDepartment, .groupMember))
        staff.get(.campaignInterviews, use: Self.index)
        staff.post(.campaignInterviews, use: Self.record)
        staff.post(.campaignInterviewWithdraw, use: Self.withdraw)
    }

    struct Record: Codable { var id: UUID; var held_on: String; var category: String; var interviewer: String; var notes: String; var lead: String?; var withdrawn: String? }
    struct UnitLink: Encodable { var name: String; var link: String; var coverage: String; var short: Bool; var selected: Bool }
    struct Page: Encodable {
        var page: PageContext
        var title: String; var back: String
        var units: [UnitLink]
        var unit: String?; var unitID: String?
        var coverage: String; var short: Bool
        var records: [Record]
        var canRecord: Bool; var phaseNote: String?
        var action: String
        var categories: [SelectOption]
        var cadres: [SelectOption]
        var today: String
        var withdrawAction: String
    }

    /// Only the organisation department and assessment groups (for their units) read interview notes.
    static func requireReader(_ req: Request) throws {
        guard let role = req.account?.role, role == .organisationDepartment || role == .groupMember else {
            throw RequestFailure.forbidden(.interviewNotes)
        }
    }

    static func coverageText(_ p: CampaignWorkflow.UnitProgress) -> String {
        switch p.evaluation {
        case .closed: "谈话 \(p.interviews) 人 / 参加测评 \(p.participants) 人（至少 \(p.interviewsNeeded) 人）"
        case .open: "谈话 \(p.interviews) 人（民主测评进行中，结束后核对比例）"
        case .none: "谈话 \(p.interviews) 人（尚未开展民主测评）"
        case .exempt: "谈话 \(p.interviews) 人（不开展民主测评）"
        }
    }

    @Sendable static func index(req: Request) async throws -> View {
        try requireReader(req)
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let scope = try await req.scope()
        let grading = try await CampaignGrading.current(campaign, on: req)
        let allowed = grading.roster.units.filter { scope.allowsUnit($0.unitID) && grading.roster.isEvaluated($0) }
        let progress = try await CampaignWorkflow.progress(of: campaignID, on: req.sql)
        let chosen = req.query[String.self, at: "unit"].flatMap(UUID.init(uuidString:)).flatMap { id in allowed.first { $0.unitID == id } }
        let path = SiteRoute.campaignInterviews(campaignID).path
        let links = allowed.prefix(500).map { u in
            let p = progress[u.unitID] ?? .init()
            return UnitLink(name: u.name, link: path + listQueryString([("unit", u.unitID.uuidString)]), coverage: coverageText(p),
                            short: p.interviewsShort, selected: u.unitID == chosen?.unitID)
        }
        var records: [Record] = []
        var categories: [SelectOption] = []
        if let chosen {
            records = try await req.sql.raw("""
                SELECT i.id, i.held_on, i.category, i.interviewer, i.notes, c.name AS lead, i.withdrawn FROM interviews i LEFT JOIN cadres c ON c.id = i.lead_cadre_id
                WHERE i.campaign_id = \(bind: campaignID) AND i.unit_id = \(bind: chosen.unitID) ORDER BY i.held_on, i.recorded_at
                """).all(decoding: Record.self)
            let session = try await EvaluationSession.query(on: req.db).filter(\.$campaign.$id == campaignID).filter(\.$unit.$id == chosen.unitID).first()
            let policy = try campaign.policy()
            let names = session?.categories.map(\.name) ?? policy.cadreBallot.voterCategories?.map(\.name) ?? EvaluationSession.defaultCategories
            categories = (names + ["其他"]).map { SelectOption(value: $0, label: $0) }
        }
        let phase = try await CampaignWorkflow.phase(of: campaignID, on: req.sql)
        let p = chosen.map { progress[$0.unitID] ?? .init() }
        return try await req.view.render("interviews/index", Page(
            page: PageContext(req, title: "个别谈话 · \(campaign.title)"), title: campaign.title, back: SiteRoute.campaign(campaignID).path,
            units: Array(links), unit: chosen?.name, unitID: chosen?.unitID.uuidString,
            coverage: p.map(coverageText) ?? "", short: p?.interviewsShort ?? false,
            records: records,
            canRecord: CampaignChange.interviews.phases.contains(phase),
            phaseNote: CampaignChange.interviews.note(in: phase),
            action: path, categories: categories,
            cadres: [SelectOption.none("（无）", selected: true)] + (chosen?.cadres.map { SelectOption(value: $0.cadreID.uuidString, label: "\($0.name)（\($0.title)）") } ?? []),
            today: req.clock.today.description,
            withdrawAction: SiteRoute.campaignInterviewWithdraw(campaignID).path))
    }

    struct Form: Content {
        var unit: String?; var category: String?; var heldOn: String?; var interviewer: String?; var notes: String?; var lead: String?
    }

    @Sendable static func record(req: Request) async throws -> Response {
        try requireReader(req)
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(Form.self)
        let scope = try await req.scope()
        guard let unitID = form.unit.flatMap(UUID.init(uuidString:)), scope.allowsUnit(unitID),
              let unit = try await Unit.find(unitID, on: req.db) else {
            throw RequestFailure.invalid("「单位」请从列表中选择您负责的单位。")
        }
        var problems: [String] = []
        let category = (form.category ?? "").trimmingCharacters(in: .whitespaces)
        if !(1...30).contains(category.count) { problems.append("「谈话对象类别」请从列表中选择。") }
        let heldOn = Day((form.heldOn ?? "").trimmingCharacters(in: .whitespaces))
        if heldOn == nil { problems.append("「谈话日期」应为日期，如 2026-12-20。") }
        else if let day = heldOn, day > req.clock.today || day < Day(year: campaign.year, month: 1, day: 1)! {
            problems.append("「谈话日期」应在 \(campaign.year)-01-01 到今天（\(req.clock.today)）之间。")
        }
        let interviewer = (form.interviewer ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !(1...50).contains(interviewer.count) { problems.append("「谈话人」必填，最多 50 字。") }
        let notes = (form.notes ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if notes.count > 5_000 { problems.append("「谈话记录」最多 5000 字。") }
        var lead: (id: UUID, code: String)?
        if let text = form.lead, !text.isEmpty {
            let grading = try await CampaignGrading.current(campaign, on: req)
            if let id = UUID(uuidString: text), let p = grading.roster.units.first(where: { $0.unitID == unitID })?.cadres.first(where: { $0.cadreID == id }) {
                lead = (id, p.code)
                if notes.isEmpty { problems.append("「谈话记录」：反映重要问题线索的，须记录线索内容。") }
            } else {
                problems.append("「问题线索涉及的干部」请从本单位参加考核的干部中选择。")
            }
        }
        guard problems.isEmpty, let heldOn else { throw RequestFailure.invalid(problems) }
        let leadCadre = lead
        try await req.audited { tx, audit in
            try await Interviews.record(.init(unitID: unitID, unitCode: unit.code, category: category, heldOn: heldOn, interviewer: interviewer,
                                              notes: notes, lead: leadCadre), campaign: campaignID, at: req.clock.epochSeconds, db: tx, audit: audit)
        }
        return req.redirect(to: SiteRoute.campaignInterviews(campaignID).path
                            + listQueryString([("unit", unitID.uuidString), ("notice", Notice.saved.rawValue)]))
    }

    struct WithdrawForm: Content { var interview: String?; var reason: String? }

    /// A record entered by mistake (a wrong lead, a double entry) stops counting, with the reason; it stays on the page
    /// and in the log. By the organisation department or the unit's group.
    @Sendable static func withdraw(req: Request) async throws -> Response {
        try requireReader(req)
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(WithdrawForm.self)
        struct Row: Decodable { var unit_id: UUID; var withdrawn: String? }
        guard let id = form.interview.flatMap(UUID.init(uuidString:)),
              let row = try await req.sql.raw("SELECT unit_id, withdrawn FROM interviews WHERE id = \(bind: id) AND campaign_id = \(bind: campaignID)")
                .first(decoding: Row.self), try await req.scope().allowsUnit(row.unit_id) else {
            throw RequestFailure.notFound(.page)
        }
        let reason = (form.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(reason.count), !TextChecks.hasControl(reason) else { throw RequestFailure.invalid("「撤销原因」必填，最多 200 字。") }
        guard row.withdrawn == nil else { throw RequestFailure.invalid("该谈话记录已经撤销。") }
        try await req.audited { tx, audit in
            try await Interviews.withdraw(id, reason: reason, campaign: campaignID, db: tx, audit: audit)
        }
        return req.redirect(to: SiteRoute.campaignInterviews(campaignID).path
                            + listQueryString([("unit", row.unit_id.uuidString), ("notice", Notice.saved.rawValue)]))
    }
}
