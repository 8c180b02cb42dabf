import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 试用期满考核 (R-P4): the organisation department lists the cadres whose probation ends, each with the period — from
/// the posts that began a year before, or by 干部编号 — before their units' evaluations. Every change is audited.
struct ProbationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireRole(.admin, .organisationDepartment, .groupMember))
        staff.get(.campaignProbation, use: Self.index)
        staff.post(.campaignProbation, use: Self.add)
        staff.post(.campaignProbationRemove, use: Self.remove)
    }

    struct EntryRow: Encodable { var id: String; var code: String; var name: String; var post: String; var starts: String; var ends: String; var status: String }
    struct CandidateRow: Encodable { var code: String; var name: String; var post: String; var starts: String; var ends: String }
    struct IndexPage: Encodable {
        var page: PageContext
        var title: String; var back: String; var cutoff: String
        var entries: [EntryRow]; var entryCount: Int; var candidates: [CandidateRow]; var moreCandidates: Bool
        var canChange: Bool; var phaseNote: String?
        var action: String; var removeAction: String
    }
    static let candidateLimit = 200

    /// The campaign of the route, when its policy assesses probation cadres (404 otherwise), for the organisation department.
    static func campaign(_ req: Request) async throws -> (Campaign, Policy) {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
        let campaign = try await req.campaign()
        let policy = try campaign.policy()
        guard policy.subjects == .probationCadres else { throw RequestFailure.notFound(.page) }
        return (campaign, policy)
    }

    @Sendable static func index(req: Request) async throws -> View {
        let (campaign, _) = try await campaign(req)
        let campaignID = try campaign.requireID()
        let cutoff = try campaign.cutoffDay()
        let sql = req.sql
        let roster = try await CampaignGrading.current(campaign, on: req).roster
        var posts: [UUID: (String, String)] = [:]
        for u in roster.units { for p in u.cadres { posts[p.cadreID] = ("\(u.name) \(p.title)", CampaignPage.statusLabel(p.eligibility)) } }
        let entries = try await Probation.entries(campaign: campaignID, on: sql).map { e in
            EntryRow(id: e.cadre_id.uuidString, code: e.code, name: e.name, post: posts[e.cadre_id]?.0 ?? "截止日期无主要职务",
                     starts: e.starts_on, ends: e.ends_on, status: posts[e.cadre_id]?.1 ?? "不参加考核（截止日期 \(cutoff) 无主要职务）")
        }
        let candidates = try await Probation.candidates(campaign: campaignID, year: campaign.year, cutoff: cutoff,
                                                        limit: candidateLimit + 1, on: sql)
        let phase = try await CampaignWorkflow.phase(of: campaignID, on: sql)
        return try await req.view.render("probation/index", IndexPage(
            page: PageContext(req, title: "试用期满干部 · \(campaign.title)"), title: campaign.title,
            back: SiteRoute.campaign(campaignID).path, cutoff: campaign.cutoff,
            entries: entries, entryCount: entries.count,
            candidates: candidates.prefix(candidateLimit).map { c in
                CandidateRow(code: c.code, name: c.name, post: "\(c.unit) \(c.title)", starts: c.start_date,
                             ends: Day(c.start_date).map { Probation.oneYear(after: $0).description } ?? "")
            },
            moreCandidates: candidates.count > candidateLimit,
            canChange: CampaignChange.probationList.phases.contains(phase), phaseNote: CampaignChange.probationList.note(in: phase),
            action: SiteRoute.campaignProbation(campaignID).path, removeAction: SiteRoute.campaignProbationRemove(campaignID).path))
    }

    struct AddForm: Content { var code: String?; var starts: String?; var ends: String? }

    /// Lists a cadre (by 干部编号) with the probation period; the end defaults to a year after the start. A cadre
    /// already listed gets the new period.
    @Sendable static func add(req: Request) async throws -> Response {
        let (campaign, _) = try await campaign(req)
        let campaignID = try campaign.requireID()
        let form = try req.content.decode(AddForm.self)
        let code = String((form.code ?? "").trimmingCharacters(in: .whitespaces).prefix(65))
        guard (1...64).contains(code.count), let cadre = try await Cadre.query(on: req.db).filter(\.$code == code).first() else {
            throw RequestFailure.invalid("「干部编号」\(code.isEmpty ? "必填" : "“\(code)”在干部名册中不存在")。")
        }
        guard let starts = Day((form.starts ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw RequestFailure.invalid("「试用期开始」应为日期，如 2025-03-01。")
        }
        let endText = (form.ends ?? "").trimmingCharacters(in: .whitespaces)
        guard let ends = endText.isEmpty ? Probation.oneYear(after: starts) : Day(endText) else {
            throw RequestFailure.invalid("「试用期满」应为日期，如 2026-03-01（不填为开始后一年）。")
        }
        guard starts < ends, ends.daysSinceEpoch - starts.daysSinceEpoch <= 3 * 366 else {
            throw RequestFailure.invalid("「试用期满」应在「试用期开始」之后，且试用期不超过三年。")
        }
        let cadreID = try cadre.requireID()
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            try await CampaignWorkflow.require(.probationList, campaign: campaignID, on: tx)
            let before = try await Probation.list(campaign: campaignID, cadre: cadreID, starts: starts, ends: ends, on: sql)
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                               before: before.map { ["probation": cadre.code, "startsOn": $0.starts, "endsOn": $0.ends] },
                               after: ["probation": cadre.code, "startsOn": starts.description, "endsOn": ends.description]))
        }
        return req.redirect(to: .campaignProbation(campaignID), notice: .saved)
    }

    struct RemoveForm: Content { var cadre: String? }

    @Sendable static func remove(req: Request) async throws -> Response {
        let (campaign, _) = try await campaign(req)
        let campaignID = try campaign.requireID()
        guard let cadreID = try req.content.decode(RemoveForm.self).cadre.flatMap(UUID.init(uuidString:)),
              let cadre = try await Cadre.find(cadreID, on: req.db) else { throw RequestFailure.invalid("「干部」不存在。") }
        try await req.audited { tx, audit in
            let sql = tx as! any SQLDatabase
            try await CampaignWorkflow.require(.probationList, campaign: campaignID, on: tx)
            struct Row: Decodable { var starts_on: String; var ends_on: String }
            guard let before = try await sql.raw("SELECT starts_on, ends_on FROM probation_subjects WHERE campaign_id = \(bind: campaignID) AND cadre_id = \(bind: cadreID)")
                .first(decoding: Row.self) else { throw RequestFailure.invalid("「\(cadre.name)」不在试用期满干部名单中。") }
            try await sql.raw("DELETE FROM probation_subjects WHERE campaign_id = \(bind: campaignID) AND cadre_id = \(bind: cadreID)").run()
            audit.record(.init(action: .update, entity: .campaign, entityID: campaignID.uuidString,
                               before: ["probation": cadre.code, "startsOn": before.starts_on, "endsOn": before.ends_on],
                               after: ["probation": cadre.code, "removed": "是"]))
        }
        return req.redirect(to: .campaignProbation(campaignID), notice: .saved)
    }
}
