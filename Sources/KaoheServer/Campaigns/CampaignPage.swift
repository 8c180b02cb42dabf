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
        var unitID: String
        /// Not holding a democratic evaluation, and why; whether it may still be marked so.
        var exemption: String?; var canExempt: Bool
        var interviews: String; var interviewsShort: Bool; var interviewsLink: String
    }
    struct PhaseStep: Encodable { var label: String; var state: String; var day: String? }
    struct HistoryRow: Encodable { var label: String; var day: String; var reason: String }
    struct Move: Encodable { var value: String; var label: String }
    struct ApprovalInfo: Encodable {
        var approvedOn: String; var meeting: String
        var policyHash: String; var inputHash: String; var outputHash: String; var decisionsHash: String
        var inputLink: String; var outputLink: String
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
        var phase: String; var steps: [PhaseStep]; var history: [HistoryRow]
        var phaseAction: String; var forward: Move?; var back: Move?; var needsMeeting: Bool; var locked: Bool
        var approval: ApprovalInfo?
        var exemptionAction: String
        var indicatorsLink: String?; var interviewsLink: String?; var feedbackLink: String?; var materialsLink: String
        /// R-P4: the list of cadres whose probation ends (a probation-end campaign, for the organisation department).
        var registrationLink: String
        var documentsLink: String
        var rectificationLink: String?
        /// 廉政建设考核表 (R-S9), when the policy has one.
        var scorecardsLink: String?
        var probationLink: String?
        var sessionNote: String?
        var today: String
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
        let campaignID = try campaign.requireID()
        let sql = req.sql
        let phase = try await CampaignWorkflow.phase(of: campaignID, on: sql)
        let progress = try await CampaignWorkflow.progress(of: campaignID, on: sql)
        let departmentWide = req.account?.role.isDepartmentWide == true
        let canExempt = departmentWide && CampaignChange.exemption.phases.contains(phase)
        let interviewsPath = SiteRoute.campaignInterviews(campaignID).path
        let units = shown.map { u in
            let p = progress[u.unitID] ?? .init()
            var exemption: String?
            if case .exempt(let reason) = p.evaluation { exemption = reason }
            return UnitRow(name: u.name, code: u.code, category: u.category,
                    team: u.teamName ?? (grading.roster.cadresOnly ? "（不评定班子）" : "（无领导班子）"),
                    cadres: u.cadres.count, onBallot: u.cadres.filter(\.onBallot).count,
                    notAssessed: u.cadres.filter { $0.eligibility.status == .notAssessed }.count,
                    session: byUnit[u.unitID].map { SiteRoute.session($0.id!).path },
                    sessionStatus: byUnit[u.unitID].map { $0.isOpen ? "进行中" : "已结束" },
                    participants: u.cadres.map {
                        ParticipantRow(id: $0.cadreID.uuidString, code: $0.code, name: $0.name, title: $0.title, status: statusLabel($0.eligibility),
                                       onBallot: $0.onBallot, reasons: $0.eligibility.reasons.map { "\($0.rule) \($0.message)" })
                    },
                    unitID: u.unitID.uuidString, exemption: exemption, canExempt: canExempt && byUnit[u.unitID] == nil && grading.roster.isEvaluated(u),
                    interviews: !grading.roster.isEvaluated(u) ? "—" : (p.evaluation == .closed ? "\(p.interviews)/\(p.interviewsNeeded)" : "\(p.interviews)"),
                    interviewsShort: p.interviewsShort, interviewsLink: interviewsPath + listQueryString([("unit", u.unitID.uuidString)]))
        }
        let history = try await CampaignWorkflow.history(of: campaignID, on: sql)
        let steps = CampaignPhase.allCases.map { ph in
            PhaseStep(label: ph.label, state: ph == phase ? "current" : (CampaignPhase.allCases.firstIndex(of: ph)! < CampaignPhase.allCases.firstIndex(of: phase)! ? "done" : "todo"),
                      day: history.last { $0.phase == ph.rawValue }?.on_day)
        }
        let approval = grading.approval.map { a in
            ApprovalInfo(approvedOn: a.approved_on, meeting: a.meeting, policyHash: a.policy_sha256, inputHash: a.input_sha256,
                         outputHash: a.output_sha256, decisionsHash: a.decisions_sha256,
                         inputLink: SiteRoute.campaignApprovedInput(campaignID).path, outputLink: SiteRoute.campaignApprovedOutput(campaignID).path)
        }
        let canArrange = CampaignChange.evaluation.phases.contains(phase)
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
            units: Array(units), canCreateSession: canArrange, sessionAction: SiteRoute.campaignSessions(campaign.id!).path,
            sessionUnits: !canArrange ? [] : open.map { SelectOption(value: $0.unitID.uuidString, label: "\($0.name)（\($0.code)）", selected: $0.unitID.uuidString == form.unit) },
            sessionForm: form, sessionProblems: problems,
            resultLink: SiteRoute.campaignResult(campaign.id!).path, link: SiteRoute.campaign(campaign.id!).path,
            canChange: req.account?.role.isDepartmentWide == true, participationAction: SiteRoute.campaignParticipation(campaign.id!).path,
            query: query, unitCount: allowed.count, pageNumber: listPage.number, pageCount: listPage.count,
            previous: listPage.previous, next: listPage.next,
            phase: phase.label, steps: steps,
            history: history.map { HistoryRow(label: CampaignPhase(rawValue: $0.phase)?.label ?? $0.phase, day: $0.on_day, reason: $0.reason) },
            phaseAction: SiteRoute.campaignPhase(campaignID).path,
            forward: departmentWide ? phase.next.map { Move(value: $0.rawValue, label: $0.label) } : nil,
            back: departmentWide ? phase.previous.map { Move(value: $0.rawValue, label: $0.label) } : nil,
            needsMeeting: phase.next == .approval, locked: phase.isLocked, approval: approval,
            exemptionAction: SiteRoute.campaignExemptions(campaignID).path,
            indicatorsLink: departmentWide ? SiteRoute.campaignIndicators(campaignID).path : nil,
            interviewsLink: req.account?.role == .admin ? nil : interviewsPath,
            feedbackLink: departmentWide && phase.isLocked ? SiteRoute.campaignFeedback(campaignID).path : nil,
            materialsLink: SiteRoute.campaignMaterials(campaignID).path,
            registrationLink: SiteRoute.campaignRegistration(campaignID).path,
            documentsLink: SiteRoute.campaignDocuments(campaignID).path,
            rectificationLink: req.account?.role.isDepartmentWide == true || req.account?.role == .unitAdmin
                ? SiteRoute.campaignRectification(campaignID).path : nil,
            scorecardsLink: (try? campaign.policy())?.scorecard != nil && req.account?.role.isDepartmentWide == true
                ? SiteRoute.campaignScorecards(campaignID).path : nil,
            probationLink: departmentWide && grading.roster.cadresOnly ? SiteRoute.campaignProbation(campaignID).path : nil,
            sessionNote: CampaignChange.evaluation.note(in: phase),
            today: req.clock.today.description))
    }
}
