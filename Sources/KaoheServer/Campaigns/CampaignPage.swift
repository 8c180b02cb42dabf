import AssessmentCore
import Fluent
import Vapor

/// The campaign page: who takes part, unit by unit (the registry on the cut-off date, from the campaign's grading made
/// once per data version), 50 units a page with a search, the democratic evaluations, and the form that arranges one.
/// Shown by `CampaignController` and, with a refused session form's values, by `SessionController`.
enum CampaignPage {
    struct ParticipantRow: Encodable { var id: String; var code: String; var name: String; var title: String; var status: String; var onBallot: Bool; var reasons: [String] }
    struct UnitRow: Encodable {
        var name: String; var code: String; var category: String; var team: String
        var cadres: Int; var onBallot: Int; var notAssessed: Int
        var session: String?; var sessionStatus: String?
        var participants: [ParticipantRow]
    }
    struct ShowPage: Encodable {
        var page: PageContext
        var title: String; var kind: String; var year: Int; var cutoff: String
        var policyTitle: String; var policyName: String; var policySource: String; var policyNotes: [String]
        var units: [UnitRow]
        var canCreateSession: Bool
        var sessionAction: String
        var sessionUnits: [SelectOption]
        var sessionForm: SessionForm
        var sessionProblems: [String]
        var resultLink: String
        var link: String
        var canChange: Bool
        var participationAction: String
        var query: String; var unitCount: Int; var pageNumber: Int; var pageCount: Int
        var previous: String?; var next: String?
    }
    static let unitsPerPage = 50

    static func statusLabel(_ e: Eligibility) -> String {
        switch e.status {
        case .graded: e.votesIgnored ? "参加考核（不参加民主测评）" : "参加考核"
        case .ungraded: "参加考核，不确定等次"
        case .pending: "参加考核，等次待定"
        case .notAssessed: "不参加考核"
        }
    }

    /// What the session form said, shown again with its problems when it is refused (nothing typed is lost).
    struct SessionForm: Encodable, Sendable {
        var unit = ""; var heldOn = ""; var place = ""; var categories = ""
    }

    /// The campaign page; after a refused session form, with what it said and why (`status` 422).
    static func render(_ req: Request, campaign: Campaign, sessionForm: SessionForm? = nil, problems: [String] = []) async throws -> View {
        let policy = try campaign.policy()
        let scope = try await req.scope()
        // The roster as the grading read it (cached per data version: a province's is read once per change).
        let grading = try await CampaignGrading.current(campaign, on: req)
        let query = String((req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(50))
        let allowed = grading.roster.units.filter {
            scope.allowsUnit($0.unitID) && (query.isEmpty || $0.name.contains(query) || $0.code.contains(query))
        }
        let listPage = ListPage(allowed, perPage: unitsPerPage, requested: req.pageNumber) {
            SiteRoute.campaign(campaign.id!).path + listQueryString([("q", query), ("page", "\($0)")])
        }
        let shown = listPage.items
        let sessions = try await EvaluationSession.query(on: req.db).filter(\.$campaign.$id == campaign.requireID()).all()
        let byUnit = Dictionary(sessions.map { ($0.$unit.id, $0) }) { a, _ in a }
        let units = shown.map { u in
            UnitRow(name: u.name, code: u.code, category: u.category, team: u.teamName ?? "（无领导班子）",
                    cadres: u.cadres.count, onBallot: u.cadres.filter(\.onBallot).count,
                    notAssessed: u.cadres.filter { $0.eligibility.status == .notAssessed }.count,
                    session: byUnit[u.unitID].map { SiteRoute.session($0.id!).path },
                    sessionStatus: byUnit[u.unitID].map { $0.isOpen ? "进行中" : "已结束" },
                    participants: u.cadres.map {
                        ParticipantRow(id: $0.cadreID.uuidString, code: $0.code, name: $0.name, title: $0.title, status: statusLabel($0.eligibility),
                                       onBallot: $0.onBallot, reasons: $0.eligibility.reasons.map { "\($0.rule) \($0.message)" })
                    })
        }
        let categories = policy.cadreBallot.voterCategories?.map(\.name) ?? EvaluationSession.defaultCategories
        var form = sessionForm ?? SessionForm(categories: categories.map { "\($0) 0" }.joined(separator: "\n"))
        form.unit = String(form.unit.prefix(36))
        // The units of this page without a session, and the one the refused form chose (it may be on another page).
        var open = Array(shown.filter { byUnit[$0.unitID] == nil })
        if let chosen = UUID(uuidString: form.unit), !open.contains(where: { $0.unitID == chosen }),
           let unit = allowed.first(where: { $0.unitID == chosen && byUnit[chosen] == nil }) { open.insert(unit, at: 0) }
        return try await req.view.render("campaigns/show", ShowPage(
            page: PageContext(req, title: campaign.title), title: campaign.title,
            kind: Campaign.Kind(rawValue: campaign.kind)?.label ?? campaign.kind, year: campaign.year, cutoff: campaign.cutoff,
            policyTitle: policy.title, policyName: policy.name, policySource: policy.source, policyNotes: policy.notes,
            units: Array(units), canCreateSession: true, sessionAction: SiteRoute.campaignSessions(campaign.id!).path,
            sessionUnits: open.map { SelectOption(value: $0.unitID.uuidString, label: "\($0.name)（\($0.code)）", selected: $0.unitID.uuidString == form.unit) },
            sessionForm: form, sessionProblems: problems,
            resultLink: SiteRoute.campaignResult(campaign.id!).path, link: SiteRoute.campaign(campaign.id!).path,
            canChange: req.account?.role.isDepartmentWide == true, participationAction: SiteRoute.campaignParticipation(campaign.id!).path,
            query: query, unitCount: allowed.count, pageNumber: listPage.number, pageCount: listPage.count,
            previous: listPage.previous, next: listPage.next))
    }
}
