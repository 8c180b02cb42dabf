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
    }

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
        return try await req.view.render("home", HomePage(
            page: PageContext(req, title: "首页"), unitCount: units, cadreCount: cadres, accountCount: accounts, backup: backup))
    }
}
