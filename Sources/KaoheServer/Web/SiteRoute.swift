import Foundation
import Vapor

/// The one route table. Every path the site serves is a `Pattern` here; handlers are registered from it
/// (`routes.get(.cadre, use: …)`) and every link or form action a page shows is built from a `SiteRoute`
/// (`SiteRoute.cadre(id).path`). No other file writes a path.
enum SiteRoute: Sendable, Equatable {
    case home
    case healthz
    case login(next: String?)
    case logout
    case password
    case units
    case unitNew
    case unit(UUID)
    case unitEdit(UUID)
    case unitCategories
    case cadres
    case cadreNew
    case cadre(UUID)
    case cadreEdit(UUID)
    case cadrePosts(UUID)
    case cadreFacts(UUID)
    case cadrePostEnd(cadre: UUID, post: UUID)
    case cadrePostReopen(cadre: UUID, post: UUID)
    case cadrePostDelete(cadre: UUID, post: UUID)
    case cadreDelete(UUID)
    case unitDelete(UUID)
    case groupUnitRemove(UUID)
    case groupMemberRemove(UUID)
    case rosterImport
    case rosterTemplate
    case rosterExport
    case rosterPreview(UUID)
    case rosterPreviewWorkbook(UUID)
    case rosterConfirm(UUID)
    case rosterDiscard(UUID)
    case accounts
    case accountNew
    case account(UUID)
    case accountDisable(UUID)
    case accountEnable(UUID)
    case accountResetPassword(UUID)
    case groups
    case groupUnits(UUID)
    case groupMembers(UUID)
    case audit
    case campaigns
    case campaign(UUID)
    case campaignSessions(UUID)
    case campaignResult(UUID)
    case campaignParticipation(UUID)
    case campaignDecisions(UUID)
    case campaignPhase(UUID)
    case campaignExemptions(UUID)
    case campaignTasks(UUID)
    case campaignTaskDone(campaign: UUID, task: UUID)
    case campaignApprovedInput(UUID)
    case campaignApprovedOutput(UUID)
    case campaignInterviews(UUID)
    case campaignProbation(UUID)
    case campaignRegistration(UUID)
    case campaignMaterialFile(UUID)
    case archive
    case archiveExport
    case campaignRectification(UUID)
    case campaignRectificationMeasures(UUID)
    case campaignRectificationSubmit(UUID)
    case campaignRectificationClose(UUID)
    case campaignRectificationConsequences(UUID)
    case campaignScorecards(UUID)
    case ledger
    case ledgerUnit
    case ledgerEntries
    case ledgerEntryWithdraw
    case ledgerHeadcount
    case ledgerRules
    case regularChecks
    case regularCheckNew
    case regularCheck(UUID)
    case regularCheckSubjects(UUID)
    case regularCheckFile(UUID)
    case regularCheckReport(UUID)
    case regularCheckReportDOCX(UUID)
    case regularKinds
    case regularKind(UUID)
    case regularEvaluations
    case archiveImport
    case campaignRegistrationDOCX(UUID)
    case campaignDocuments(UUID)
    case campaignProposalsXLSX(UUID)
    case campaignRankingXLSX(UUID)
    case campaignRanking(UUID)
    case campaignReportDOCX(UUID)
    case campaignSpecialReportDOCX(UUID)
    case campaignRegistrationPrint(UUID)
    case campaignProbationRemove(UUID)
    case campaignInterviewWithdraw(UUID)
    case campaignIndicators(UUID)
    case campaignIndicatorDelete(campaign: UUID, indicator: UUID)
    case campaignScores(UUID)
    case campaignScoresTemplate(UUID)
    case campaignScoresImport(UUID)
    case campaignFeedback(UUID)
    case campaignMaterials(UUID)
    case campaignPublicity(UUID)
    case results
    case sessionTallySheet(UUID)
    case sessionTallyPrint(UUID)
    case session(UUID)
    case sessionCodes(UUID)
    case sessionClose(UUID)
    case sessionReopen(UUID)
    case sessionPaper(UUID)
    case sessionPaperSheet(session: UUID, sheet: UUID)
    case vote
    case voteBallot
    case apiBallots

    /// A route as registered: its path with named parameters (`:id`). The raw value is the whole definition.
    enum Pattern: String, CaseIterable, Sendable {
        case home = "/"
        case healthz = "/healthz"
        case login = "/login"
        case logout = "/logout"
        case password = "/password"
        case units = "/units"
        case unitNew = "/units/new"
        case unit = "/units/:id"
        case unitEdit = "/units/:id/edit"
        case unitCategories = "/units/categories"
        case cadres = "/cadres"
        case cadreNew = "/cadres/new"
        case cadre = "/cadres/:id"
        case cadreEdit = "/cadres/:id/edit"
        case cadrePosts = "/cadres/:id/posts"
        case cadreFacts = "/cadres/:id/facts"
        case cadrePostEnd = "/cadres/:id/posts/:postID/end"
        case cadrePostReopen = "/cadres/:id/posts/:postID/reopen"
        case cadrePostDelete = "/cadres/:id/posts/:postID/delete"
        case cadreDelete = "/cadres/:id/delete"
        case unitDelete = "/units/:id/delete"
        case groupUnitRemove = "/groups/:id/units/remove"
        case groupMemberRemove = "/groups/:id/members/remove"
        case rosterImport = "/roster/import"
        case rosterTemplate = "/roster/template.xlsx"
        case rosterExport = "/roster/export.xlsx"
        case rosterPreview = "/roster/import/:id"
        case rosterPreviewWorkbook = "/roster/import/:id/preview.xlsx"
        case rosterConfirm = "/roster/import/:id/confirm"
        case rosterDiscard = "/roster/import/:id/discard"
        case accounts = "/accounts"
        case accountNew = "/accounts/new"
        case account = "/accounts/:id"
        case accountDisable = "/accounts/:id/disable"
        case accountEnable = "/accounts/:id/enable"
        case accountResetPassword = "/accounts/:id/reset-password"
        case groups = "/groups"
        case groupUnits = "/groups/:id/units"
        case groupMembers = "/groups/:id/members"
        case audit = "/audit"
        case campaigns = "/campaigns"
        case campaign = "/campaigns/:id"
        case campaignSessions = "/campaigns/:id/sessions"
        case campaignResult = "/campaigns/:id/result"
        case campaignParticipation = "/campaigns/:id/participation"
        case campaignDecisions = "/campaigns/:id/decisions"
        case campaignPhase = "/campaigns/:id/phase"
        case campaignExemptions = "/campaigns/:id/exemptions"
        case campaignTasks = "/campaigns/:id/tasks"
        case campaignTaskDone = "/campaigns/:id/tasks/:taskID/done"
        case campaignApprovedInput = "/campaigns/:id/approved-input.json"
        case campaignApprovedOutput = "/campaigns/:id/approved-output.json"
        case campaignInterviews = "/campaigns/:id/interviews"
        case campaignProbation = "/campaigns/:id/probation"
        case campaignRegistration = "/campaigns/:id/registration"
        case campaignMaterialFile = "/campaigns/:id/materials/file"
        case archive = "/archive"
        case campaignRectification = "/campaigns/:id/rectification"
        case campaignRectificationMeasures = "/campaigns/:id/rectification/measures"
        case campaignRectificationSubmit = "/campaigns/:id/rectification/submit"
        case campaignRectificationClose = "/campaigns/:id/rectification/close"
        case campaignRectificationConsequences = "/campaigns/:id/rectification/consequences"
        case campaignScorecards = "/campaigns/:id/scorecards"
        case ledger = "/ledger"
        case ledgerUnit = "/ledger/unit"
        case ledgerEntries = "/ledger/entries"
        case ledgerEntryWithdraw = "/ledger/entries/withdraw"
        case ledgerHeadcount = "/ledger/headcount"
        case ledgerRules = "/ledger/rules"
        case regularChecks = "/regular"
        case regularCheckNew = "/regular/new"
        case regularCheck = "/regular/:id"
        case regularCheckSubjects = "/regular/:id/subjects"
        case regularCheckFile = "/regular/:id/file"
        case regularCheckReport = "/regular/:id/report"
        case regularCheckReportDOCX = "/regular/:id/report.docx"
        case regularKinds = "/regular/kinds"
        case regularKind = "/regular/kinds/:id"
        case regularEvaluations = "/regular/evaluations"
        case archiveExport = "/archive/export.xlsx"
        case archiveImport = "/archive/import"
        case campaignRegistrationDOCX = "/campaigns/:id/registration.docx"
        case campaignDocuments = "/campaigns/:id/documents"
        case campaignProposalsXLSX = "/campaigns/:id/documents/proposals.xlsx"
        case campaignRankingXLSX = "/campaigns/:id/documents/ranking.xlsx"
        case campaignRanking = "/campaigns/:id/documents/ranking"
        case campaignReportDOCX = "/campaigns/:id/documents/report.docx"
        case campaignSpecialReportDOCX = "/campaigns/:id/documents/special-report.docx"
        case campaignRegistrationPrint = "/campaigns/:id/registration/print"
        case campaignProbationRemove = "/campaigns/:id/probation/remove"
        case campaignInterviewWithdraw = "/campaigns/:id/interviews/withdraw"
        case campaignIndicators = "/campaigns/:id/indicators"
        case campaignIndicatorDelete = "/campaigns/:id/indicators/:indicatorID/delete"
        case campaignScores = "/campaigns/:id/scores"
        case campaignScoresTemplate = "/campaigns/:id/scores/template.xlsx"
        case campaignScoresImport = "/campaigns/:id/scores/import"
        case campaignFeedback = "/campaigns/:id/feedback"
        case campaignMaterials = "/campaigns/:id/materials"
        case campaignPublicity = "/campaigns/:id/publicity"
        case results = "/results"
        case sessionTallySheet = "/sessions/:id/tally.xlsx"
        case sessionTallyPrint = "/sessions/:id/tally"
        case session = "/sessions/:id"
        case sessionCodes = "/sessions/:id/codes"
        case sessionClose = "/sessions/:id/close"
        case sessionReopen = "/sessions/:id/reopen"
        case sessionPaper = "/sessions/:id/paper"
        case sessionPaperSheet = "/sessions/:id/paper/:sheetID"
        /// Voters: the code is the credential (no login, no cookie, no CSRF token).
        case vote = "/v"
        case voteBallot = "/v/ballot"
        case apiBallots = "/api/v1/ballots"

        var pathComponents: [PathComponent] { rawValue.pathComponents }

        /// Whether a request's path is this route's (a `:parameter` matches any one segment).
        func matches(_ path: String) -> Bool {
            let want = rawValue.split(separator: "/", omittingEmptySubsequences: true)
            let have = path.split(separator: "/", omittingEmptySubsequences: true)
            return want.count == have.count && zip(want, have).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }
    }

    /// The pattern and, in order, the values of its parameters.
    var resolved: (pattern: Pattern, values: [UUID]) {
        switch self {
        case .home: (.home, [])
        case .healthz: (.healthz, [])
        case .login: (.login, [])
        case .logout: (.logout, [])
        case .password: (.password, [])
        case .units: (.units, [])
        case .unitNew: (.unitNew, [])
        case .unit(let id): (.unit, [id])
        case .unitEdit(let id): (.unitEdit, [id])
        case .unitCategories: (.unitCategories, [])
        case .cadres: (.cadres, [])
        case .cadreNew: (.cadreNew, [])
        case .cadre(let id): (.cadre, [id])
        case .cadreEdit(let id): (.cadreEdit, [id])
        case .cadrePosts(let id): (.cadrePosts, [id])
        case .cadreFacts(let id): (.cadreFacts, [id])
        case .cadrePostEnd(let cadre, let post): (.cadrePostEnd, [cadre, post])
        case .cadrePostReopen(let cadre, let post): (.cadrePostReopen, [cadre, post])
        case .cadrePostDelete(let cadre, let post): (.cadrePostDelete, [cadre, post])
        case .cadreDelete(let id): (.cadreDelete, [id])
        case .unitDelete(let id): (.unitDelete, [id])
        case .groupUnitRemove(let id): (.groupUnitRemove, [id])
        case .groupMemberRemove(let id): (.groupMemberRemove, [id])
        case .rosterImport: (.rosterImport, [])
        case .rosterTemplate: (.rosterTemplate, [])
        case .rosterExport: (.rosterExport, [])
        case .rosterPreview(let id): (.rosterPreview, [id])
        case .rosterPreviewWorkbook(let id): (.rosterPreviewWorkbook, [id])
        case .rosterConfirm(let id): (.rosterConfirm, [id])
        case .rosterDiscard(let id): (.rosterDiscard, [id])
        case .accounts: (.accounts, [])
        case .accountNew: (.accountNew, [])
        case .account(let id): (.account, [id])
        case .accountDisable(let id): (.accountDisable, [id])
        case .accountEnable(let id): (.accountEnable, [id])
        case .accountResetPassword(let id): (.accountResetPassword, [id])
        case .groups: (.groups, [])
        case .groupUnits(let id): (.groupUnits, [id])
        case .groupMembers(let id): (.groupMembers, [id])
        case .audit: (.audit, [])
        case .campaigns: (.campaigns, [])
        case .campaign(let id): (.campaign, [id])
        case .campaignSessions(let id): (.campaignSessions, [id])
        case .campaignResult(let id): (.campaignResult, [id])
        case .campaignParticipation(let id): (.campaignParticipation, [id])
        case .campaignDecisions(let id): (.campaignDecisions, [id])
        case .campaignPhase(let id): (.campaignPhase, [id])
        case .campaignExemptions(let id): (.campaignExemptions, [id])
        case .campaignTasks(let id): (.campaignTasks, [id])
        case .campaignTaskDone(let campaign, let task): (.campaignTaskDone, [campaign, task])
        case .campaignApprovedInput(let id): (.campaignApprovedInput, [id])
        case .campaignApprovedOutput(let id): (.campaignApprovedOutput, [id])
        case .campaignInterviews(let id): (.campaignInterviews, [id])
        case .campaignProbation(let id): (.campaignProbation, [id])
        case .campaignRegistration(let id): (.campaignRegistration, [id])
        case .campaignMaterialFile(let id): (.campaignMaterialFile, [id])
        case .archive: (.archive, [])
        case .campaignRectification(let id): (.campaignRectification, [id])
        case .campaignRectificationMeasures(let id): (.campaignRectificationMeasures, [id])
        case .campaignRectificationSubmit(let id): (.campaignRectificationSubmit, [id])
        case .campaignRectificationClose(let id): (.campaignRectificationClose, [id])
        case .campaignRectificationConsequences(let id): (.campaignRectificationConsequences, [id])
        case .campaignScorecards(let id): (.campaignScorecards, [id])
        case .ledger: (.ledger, [])
        case .ledgerUnit: (.ledgerUnit, [])
        case .ledgerEntries: (.ledgerEntries, [])
        case .ledgerEntryWithdraw: (.ledgerEntryWithdraw, [])
        case .ledgerHeadcount: (.ledgerHeadcount, [])
        case .ledgerRules: (.ledgerRules, [])
        case .regularChecks: (.regularChecks, [])
        case .regularCheckNew: (.regularCheckNew, [])
        case .regularCheck(let id): (.regularCheck, [id])
        case .regularCheckSubjects(let id): (.regularCheckSubjects, [id])
        case .regularCheckFile(let id): (.regularCheckFile, [id])
        case .regularCheckReport(let id): (.regularCheckReport, [id])
        case .regularCheckReportDOCX(let id): (.regularCheckReportDOCX, [id])
        case .regularKinds: (.regularKinds, [])
        case .regularKind(let id): (.regularKind, [id])
        case .regularEvaluations: (.regularEvaluations, [])
        case .archiveExport: (.archiveExport, [])
        case .archiveImport: (.archiveImport, [])
        case .campaignRegistrationDOCX(let id): (.campaignRegistrationDOCX, [id])
        case .campaignDocuments(let id): (.campaignDocuments, [id])
        case .campaignProposalsXLSX(let id): (.campaignProposalsXLSX, [id])
        case .campaignRankingXLSX(let id): (.campaignRankingXLSX, [id])
        case .campaignRanking(let id): (.campaignRanking, [id])
        case .campaignReportDOCX(let id): (.campaignReportDOCX, [id])
        case .campaignSpecialReportDOCX(let id): (.campaignSpecialReportDOCX, [id])
        case .campaignRegistrationPrint(let id): (.campaignRegistrationPrint, [id])
        case .campaignProbationRemove(let id): (.campaignProbationRemove, [id])
        case .campaignInterviewWithdraw(let id): (.campaignInterviewWithdraw, [id])
        case .campaignIndicators(let id): (.campaignIndicators, [id])
        case .campaignIndicatorDelete(let campaign, let indicator): (.campaignIndicatorDelete, [campaign, indicator])
        case .campaignScores(let id): (.campaignScores, [id])
        case .campaignScoresTemplate(let id): (.campaignScoresTemplate, [id])
        case .campaignScoresImport(let id): (.campaignScoresImport, [id])
        case .campaignFeedback(let id): (.campaignFeedback, [id])
        case .campaignMaterials(let id): (.campaignMaterials, [id])
        case .campaignPublicity(let id): (.campaignPublicity, [id])
        case .results: (.results, [])
        case .sessionTallySheet(let id): (.sessionTallySheet, [id])
        case .sessionTallyPrint(let id): (.sessionTallyPrint, [id])
        case .session(let id): (.session, [id])
        case .sessionCodes(let id): (.sessionCodes, [id])
        case .sessionClose(let id): (.sessionClose, [id])
        case .sessionReopen(let id): (.sessionReopen, [id])
        case .sessionPaper(let id): (.sessionPaper, [id])
        case .sessionPaperSheet(let session, let sheet): (.sessionPaperSheet, [session, sheet])
        case .vote: (.vote, [])
        case .voteBallot: (.voteBallot, [])
        case .apiBallots: (.apiBallots, [])
        }
    }

    /// The path of this route: the pattern with its parameters filled in (plus `?next=` for the login form).
    var path: String {
        let (pattern, values) = resolved
        var remaining = values[...]
        let filled = pattern.rawValue.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            segment.hasPrefix(":") ? (remaining.popFirst()?.uuidString ?? String(segment)) : String(segment)
        }
        let base = "/" + filled.joined(separator: "/")
        if case .login(let next?) = self, next != Pattern.home.rawValue, let local = Self.localPath(next),
           let q = local.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
            return base + "?next=" + q
        }
        return base
    }

    /// Paths where a one-time code is the credential: no session, no CSRF token.
    static let codeCredentialed: Set<String> = [Pattern.vote.rawValue, Pattern.voteBallot.rawValue, Pattern.apiBallots.rawValue]

    /// Static assets (files under `Public/`), the only paths that may be cached.
    static let assetPrefixes = ["/css/", "/js/", "/img/", "/favicon"]

    /// The path with a notice for the page it leads to (shown once, by code: a URL cannot inject text).
    func path(notice: Notice) -> String { path + "?notice=" + notice.rawValue }

    /// A same-site path, or nil: starts with one `/`, no scheme or host, no backslash or control characters.
    /// Percent-encoded, it must still be one (a browser may decode `%09` or `%2F` before it follows the path).
    static func localPath(_ candidate: String?) -> String? {
        guard let s = candidate else { return nil }
        for form in [s, s.removingPercentEncoding ?? "//"] {
            guard form.hasPrefix("/"), !form.hasPrefix("//"), !form.contains("\\"),
                  !form.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { return nil }
        }
        return s
    }
}

/// Short notices after a redirect, by code.
enum Notice: String, CaseIterable, Sendable {
    case saved, created, password, imported, disabled, enabled, reset, loggedout, expired, rosterChanged, discarded, deleted
    case sessionClosed, sessionReopened

    var text: String {
        switch self {
        case .saved: "已保存。"
        case .created: "已创建。"
        case .password: "密码已修改。"
        case .imported: "导入成功。"
        case .disabled: "账号已停用，其所有会话已结束。"
        case .enabled: "账号已启用。"
        case .reset: "密码已重置，该账号所有会话已结束。"
        case .loggedout: "您已退出登录。"
        case .expired: "会话已超时，请重新登录。"
        case .rosterChanged: "预览之后系统中的数据有了变化，未导入。下面是按最新数据重新生成的预览，请再次核对后确认。"
        case .discarded: "已取消导入，系统未做任何修改。"
        case .deleted: "已删除（操作日志中保留删除前的全部内容和原因）。"
        case .sessionClosed: "民主测评已结束，不再接受投票。"
        case .sessionReopened: "民主测评已重新开放（原因已记入操作日志）。"
        }
    }
}

extension Request {
    /// A redirect to a page of the site (303 after a form, so the browser GETs it).
    func redirect(to route: SiteRoute, notice: Notice? = nil) -> Response {
        redirect(to: notice.map(route.path(notice:)) ?? route.path)
    }
}

extension RoutesBuilder {
    @discardableResult
    func get<R: AsyncResponseEncodable>(
        _ pattern: SiteRoute.Pattern, use closure: @Sendable @escaping (Request) async throws -> R
    ) -> Route {
        get(pattern.pathComponents, use: closure)
    }

    @discardableResult
    func post<R: AsyncResponseEncodable>(
        _ pattern: SiteRoute.Pattern, body: HTTPBodyStreamStrategy = .collect,
        use closure: @Sendable @escaping (Request) async throws -> R
    ) -> Route {
        on(.POST, pattern.pathComponents, body: body, use: closure)
    }
}
