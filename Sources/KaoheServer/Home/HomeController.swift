import Fluent
import Vapor

enum HomeController {
    struct HomePage: Encodable {
        var page: PageContext
        var unitCount: Int
        var cadreCount: Int
        var accountCount: Int
        /// For the administrator: the last backup, or a warning.
        var backup: BackupLog.Notice?
        /// For a scoring unit (考核责任单位): the campaigns with indicators it scores.
        var scoring: [ScoringLink] = []
        /// For a unit's administrator: the campaigns taking materials now.
        var materials: [ScoringLink] = []
        /// For a cadre and a unit's administrator: the campaigns taking 考核登记表 now.
        var registration: [ScoringLink] = []
        /// 日常考核 reports owed (R-A1): a unit's administrator's own; for the organisation department, the overdue count.
        var owedReports: [OwedReport] = []
        var overdueReports = 0
        var overdueLink = SiteRoute.regularChecks.path + "?status=overdue"
        /// 整改 (R-R1): a unit's administrator's open rectifications; for the organisation department, the overdue ones.
        var rectifications: [OwedReport] = []
    }
    struct OwedReport: Encodable { var title: String; var link: String; var filing: String; var overdue: Bool }
    struct ScoringLink: Encodable { var title: String; var count: Int; var link: String }

    @Sendable static func show(req: Request) async throws -> View {
        let scope = try await req.scope()
        var units = 0, cadres = 0, accounts = 0
        switch scope {
        case .all:
            units = try await Unit.query(on: req.db).count()
            cadres = try await Cadre.query(on: req.db).count()
            accounts = try await Account.query(on: req.db).count()
        case .units(let ids):
            units = ids.count
            cadres = try await Post.query(on: req.db).filter(\.$unit.$id ~~ ids).filter(\.$endDate == nil)
                .unique().all(\.$cadre.$id).count
        default:
            break
        }
        let backup = req.account?.role == .admin
            ? try await BackupLog.notice(on: req.sql, clock: req.clock, settings: req.settings) : nil
        var scoring: [ScoringLink] = []
        if req.account?.role == .scoringUnit, let unit = req.account?.$unit.id {
            struct Row: Decodable { var id: UUID; var title: String; var n: Int }
            scoring = try await req.sql.raw("""
                SELECT c.id, c.title, COUNT(*) AS n FROM indicators i JOIN campaigns c ON c.id = i.campaign_id
                WHERE i.scoring_unit_id = \(bind: unit) GROUP BY c.id, c.title, c.year ORDER BY c.year DESC, c.title
                """).all(decoding: Row.self).map { ScoringLink(title: $0.title, count: $0.n, link: SiteRoute.campaignScores($0.id).path) }
        }
        var materials: [ScoringLink] = []
        if req.account?.role == .unitAdmin, req.account?.$unit.id != nil {
            struct Row: Decodable { var id: UUID; var title: String }
            let phases = CampaignChange.materials.phases.map(\.rawValue)
            materials = try await req.sql.raw("SELECT id, title FROM campaigns WHERE phase IN (\(binds: phases)) ORDER BY year DESC, title")
                .all(decoding: Row.self).map { ScoringLink(title: $0.title, count: 0, link: SiteRoute.campaignMaterials($0.id).path) }
        }
        var registration: [ScoringLink] = []
        if req.account?.role == .cadre || req.account?.role == .unitAdmin {
            struct Row: Decodable { var id: UUID; var title: String }
            let phases = CampaignChange.registration.phases.map(\.rawValue)
            registration = try await req.sql.raw("SELECT id, title FROM campaigns WHERE phase IN (\(binds: phases)) ORDER BY year DESC, title LIMIT 20")
                .all(decoding: Row.self).map { ScoringLink(title: $0.title, count: 0, link: SiteRoute.campaignRegistration($0.id).path) }
        }
        let today = req.clock.today
        var owed: [OwedReport] = []
        var overdue = 0
        if req.account?.role == .unitAdmin, let ids = scope.unitIDs {
            owed = try await RegularChecks.owed(by: ids, today: today, on: req.sql).map { c in
                let filing = c.filing(today: today)
                return OwedReport(title: c.title, link: SiteRoute.regularCheck(c.id).path, filing: filing.label, overdue: filing.isOverdue)
            }
        } else if req.account?.role.isDepartmentWide == true {
            overdue = try await RegularChecks.overdueCount(today: today, on: req.sql)
        }
        var rectifications: [OwedReport] = []
        if req.account?.role == .unitAdmin || req.account?.role.isDepartmentWide == true {
            let open = try await Rectifications.open(units: req.account?.role == .unitAdmin ? scope.unitIDs ?? [] : nil, on: req.sql)
            let measures = try await Rectifications.measures(of: open.map(\.row.id), on: req.sql)
            for (r, title) in open {
                let state = Rectifications.state(r, measures: measures[r.id] ?? [], today: today)
                // The organisation department is reminded of what is overdue; a unit of everything it still owes.
                guard req.account?.role == .unitAdmin || state.isOverdue else { continue }
                rectifications.append(OwedReport(title: "\(title) · \(r.unit_name)",
                                                 link: SiteRoute.campaignRectification(r.campaign_id).path + "?unit=" + r.unit_id.uuidString,
                                                 filing: state.label, overdue: state.isOverdue))
            }
        }
        return try await req.view.render("home", HomePage(
            page: PageContext(req, title: "首页"), unitCount: units, cadreCount: cadres, accountCount: accounts, backup: backup,
            scoring: scoring, materials: materials, registration: registration, owedReports: owed, overdueReports: overdue,
            rectifications: rectifications))
    }
}
