import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// The campaign's documents (issue 12): a page linking each, and the files — 考核等次建议表 (a unit's or the county's),
/// ranking tables per category (.xlsx and print), the 考核报告 draft per unit and the 专题报告 template per trigger.
/// The organisation department reads all; a group member its units'; a unit's administrator its own 等次建议表.
struct DocumentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireRole(.admin, .organisationDepartment, .groupMember, .unitAdmin))
        staff.get(.campaignDocuments, use: Self.index)
        staff.get(.campaignProposalsXLSX, use: Self.proposals)
        staff.get(.campaignRankingXLSX, use: Self.rankingXLSX)
        staff.get(.campaignRanking, use: Self.rankingPage)
        staff.get(.campaignReportDOCX, use: Self.report)
        staff.get(.campaignSpecialReportDOCX, use: Self.specialReport)
    }

    /// The campaign's board and stamp, as every document reads them.
    static func board(_ req: Request) async throws -> (Campaign, CampaignDocuments.Board, DocumentStamp) {
        let campaign = try await req.campaign()
        let campaignID = try campaign.requireID()
        let grading = try await CampaignGrading.current(campaign, on: req)
        let board = CampaignDocuments.Board(grading: grading, decisions: try await GradeDecisions.load(campaign: campaignID, on: req.sql),
                                            unitGrades: try await Registration.unitGrades(campaign: campaignID, on: req.sql), policy: try campaign.policy())
        let phase = try await CampaignWorkflow.phase(of: campaignID, on: req.sql)
        return (campaign, board, stamp(campaign, grading: grading, phase: phase, today: req.clock.today))
    }

    static func stamp(_ campaign: Campaign, grading: CampaignGrading, phase: CampaignPhase, today: Day) -> DocumentStamp {
        DocumentStamp(campaign: campaign.title, dataDay: today, approved: grading.approval.map { "\($0.approved_on) \($0.meeting)审定" }, phase: phase.label)
    }

    /// The unit of `?unit=` if the account may read its documents (a unit's administrator: its own; 404 otherwise).
    static func unit(_ req: Request, _ board: CampaignDocuments.Board) async throws -> CampaignRoster.UnitPart {
        let scope = try await req.scope()
        guard let id = req.query[String.self, at: "unit"].flatMap(UUID.init(uuidString:)),
              let unit = board.grading.roster.units.first(where: { $0.unitID == id }), scope.allowsUnit(id) else {
            throw RequestFailure.notFound(.unit)
        }
        return unit
    }

    static func requireGroup(_ req: Request) throws {
        guard req.account?.role != .unitAdmin else { throw RequestFailure.forbidden(.campaignManagement) }
    }

    struct UnitRow: Encodable { var name: String; var proposals: String; var report: String?; var registration: String; var registrationPrint: String }
    struct TriggerRow: Encodable { var rule: String; var name: String; var link: String }
    struct CategoryRow: Encodable { var name: String; var xlsx: String; var print: String }
    struct IndexPage: Encodable {
        var page: PageContext
        var title: String; var back: String; var stamp: String
        var county: String?; var categories: [CategoryRow]; var units: [UnitRow]; var triggers: [TriggerRow]
    }

    @Sendable static func index(req: Request) async throws -> View {
        let (campaign, board, stamp) = try await board(req)
        let campaignID = try campaign.requireID()
        let scope = try await req.scope()
        let wide = req.account?.role.isDepartmentWide == true
        let group = req.account?.role != .unitAdmin
        let units = board.grading.roster.units.filter { scope.allowsUnit($0.unitID) }
        func link(_ route: SiteRoute, _ query: [(String, String)]) -> String { route.path + listQueryString(query) }
        var categories: [String] = []
        for u in board.grading.roster.units where !categories.contains(u.category) { categories.append(u.category) }
        var names: [String: String] = [:]
        for u in units { names[u.code] = u.teamName ?? u.name; for p in u.cadres { names[p.code] = "\(p.name)（\(u.name)）" } }
        let triggers = group ? board.grading.result.triggers.filter { CampaignWorkflow.specialReportRules.contains($0.rule) && names[$0.subject] != nil } : []
        return try await req.view.render("documents/index", IndexPage(
            page: PageContext(req, title: "考核文书 · \(campaign.title)"), title: campaign.title, back: SiteRoute.campaign(campaignID).path,
            stamp: stamp.line,
            county: wide ? SiteRoute.campaignProposalsXLSX(campaignID).path : nil,
            categories: wide ? categories.map { CategoryRow(name: $0, xlsx: link(.campaignRankingXLSX(campaignID), [("category", $0)]),
                                                            print: link(.campaignRanking(campaignID), [("category", $0)])) } : [],
            units: units.prefix(500).map { u in
                UnitRow(name: u.name, proposals: link(.campaignProposalsXLSX(campaignID), [("unit", u.unitID.uuidString)]),
                        report: group ? link(.campaignReportDOCX(campaignID), [("unit", u.unitID.uuidString)]) : nil,
                        registration: link(.campaignRegistrationDOCX(campaignID), [("unit", u.unitID.uuidString)]),
                        registrationPrint: link(.campaignRegistrationPrint(campaignID), [("unit", u.unitID.uuidString)]))
            },
            triggers: triggers.prefix(500).map { t in
                TriggerRow(rule: t.rule, name: names[t.subject] ?? t.subject,
                           link: link(.campaignSpecialReportDOCX(campaignID), [("rule", t.rule), ("subject", t.subject)]))
            }))
    }

    /// 考核等次建议表: a unit's (`?unit=`), or the county's summary (the organisation department).
    @Sendable static func proposals(req: Request) async throws -> Response {
        let (campaign, board, stamp) = try await board(req)
        let units: [CampaignRoster.UnitPart], name: String
        if req.query[String.self, at: "unit"] != nil {
            let unit = try await unit(req, board)
            (units, name) = ([unit], unit.name)
        } else {
            guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
            (units, name) = (board.grading.roster.units, "全县汇总")
        }
        let title = "\(campaign.title) 考核等次建议表（\(name)）"
        let book = CampaignDocuments.proposals(board, units: units, stamp: stamp, title: title)
        return Response.xlsx(try book.data(), filename: "\(name)-考核等次建议表.xlsx")
    }

    static func category(_ req: Request, _ board: CampaignDocuments.Board) throws -> String {
        guard req.account?.role.isDepartmentWide == true else { throw RequestFailure.forbidden(.campaignManagement) }
        guard let c = req.query[String.self, at: "category"], board.grading.roster.units.contains(where: { $0.category == c }) else {
            throw RequestFailure.notFound(.page)
        }
        return c
    }

    @Sendable static func rankingXLSX(req: Request) async throws -> Response {
        let (_, board, stamp) = try await board(req)
        let category = try category(req, board)
        return Response.xlsx(try CampaignDocuments.rankingWorkbook(board, category: category, stamp: stamp).data(), filename: "\(category)-排名表.xlsx")
    }

    struct RankingPage: Encodable {
        var page: PageContext
        var category: String; var stamp: String; var back: String
        var teamHeader: [String]; var teams: [[String]]; var cadreHeader: [String]; var cadres: [[String]]
        var charts: [String]
    }

    @Sendable static func rankingPage(req: Request) async throws -> View {
        let (campaign, board, stamp) = try await board(req)
        let category = try category(req, board)
        let (teams, cadres) = CampaignDocuments.ranking(board, category: category)
        return try await req.view.render("documents/ranking", RankingPage(
            page: PageContext(req, title: "\(category)排名表"), category: category, stamp: stamp.line,
            back: SiteRoute.campaignDocuments(try campaign.requireID()).path,
            teamHeader: CampaignDocuments.rankingTeamHeader, teams: board.policy.subjects == .teamsAndCadres ? teams : [],
            cadreHeader: CampaignDocuments.rankingCadreHeader, cadres: cadres,
            charts: CampaignDocuments.rankingCharts(board, category: category).map { $0.svg() }))
    }

    /// 考核报告 draft of a unit, for its assessment group and the organisation department.
    @Sendable static func report(req: Request) async throws -> Response {
        try requireGroup(req)
        let (campaign, board, stamp) = try await board(req)
        let unit = try await unit(req, board)
        let campaignID = try campaign.requireID()
        let progress = try await CampaignWorkflow.progress(of: campaignID, on: req.sql)[unit.unitID] ?? .init()
        let session = try await EvaluationSession.query(on: req.db).filter(\.$campaign.$id == campaignID).filter(\.$unit.$id == unit.unitID).first()
        let facts = CampaignDocuments.UnitFacts(heldOn: session?.heldOn, progress: progress,
                                                expected: try session?.categories.map(\.expected).reduce(0, +) ?? 0)
        let doc = CampaignDocuments.report(board, unit: unit, facts: facts, stamp: stamp, year: campaign.year)
        return Response.docx(try doc.data(), filename: "\(unit.name)-考核报告（\(stamp.isDraft ? "草稿" : "审定")）.docx")
    }

    /// 专题报告 template of one trigger (R-T1, R-T2) of the account's units.
    @Sendable static func specialReport(req: Request) async throws -> Response {
        try requireGroup(req)
        let (_, board, stamp) = try await board(req)
        let scope = try await req.scope()
        let rule = req.query[String.self, at: "rule"] ?? "", subject = req.query[String.self, at: "subject"] ?? ""
        guard let trigger = board.grading.result.triggers.first(where: { $0.rule == rule && $0.subject == subject && CampaignWorkflow.specialReportRules.contains($0.rule) }) else {
            throw RequestFailure.notFound(.page)
        }
        for u in board.grading.roster.units where scope.allowsUnit(u.unitID) {
            if u.code == subject {
                let doc = CampaignDocuments.specialReport(board, trigger: trigger, subjectName: u.teamName ?? u.name, unitName: u.name, stamp: stamp)
                return Response.docx(try doc.data(), filename: "\(u.teamName ?? u.name)-专题报告.docx")
            }
            if let p = u.cadres.first(where: { $0.code == subject }) {
                let doc = CampaignDocuments.specialReport(board, trigger: trigger, subjectName: p.name, unitName: "\(u.name) \(p.title)", stamp: stamp)
                return Response.docx(try doc.data(), filename: "\(p.name)-专题报告.docx")
            }
        }
        throw RequestFailure.notFound(.page)
    }
}
