import Vapor

/// All routes, by feature. Paths come from the route table (`SiteRoute.Pattern`); every protected group checks
/// role on the server, and handlers check scope (unit, group, own record) for each record they load.
func routes(_ app: Application) throws {
    // Health (load balancers)
    app.get(.healthz, use: HealthController.check)

    // Voting with a one-time code (no login)
    try app.register(collection: VoteController())

    // Login, logout, password
    try app.register(collection: LoginController())

    let signedIn = app.grouped(RequireAccount())
    signedIn.get(.home, use: HomeController.show)

    // Registry: units, cadres, posts, status facts; roster import/export (role and scope checked per handler)
    try signedIn.register(collection: UnitController())
    try signedIn.register(collection: CadreController())
    try signedIn.register(collection: RosterController())

    // Accounts (系统管理员) and assessment groups (组织部)
    try signedIn.grouped(RequireRole(.admin)).register(collection: AccountController())
    try signedIn.grouped(RequireRole(.admin, .organisationDepartment)).register(collection: GroupController())

    // Campaigns (考核) and their democratic evaluations (民主测评)
    try signedIn.register(collection: CampaignController())
    try signedIn.register(collection: WorkflowController())
    try signedIn.register(collection: InterviewController())
    try signedIn.register(collection: ProbationController())
    try signedIn.register(collection: RegistrationController())
    try signedIn.register(collection: DocumentController())
    try signedIn.register(collection: ArchiveController())
    try signedIn.register(collection: RegularCheckController())
    try signedIn.register(collection: RegularEvaluationController())
    try signedIn.register(collection: RectificationController())
    try signedIn.register(collection: LedgerController())
    try signedIn.register(collection: ScorecardController())
    try signedIn.register(collection: ScoreController())
    try signedIn.register(collection: FeedbackController())
    try signedIn.register(collection: MaterialController())
    try signedIn.register(collection: SessionController())
    try signedIn.register(collection: PaperController())

    // Audit log (操作日志)
    signedIn.grouped(RequireRole(.admin, .organisationDepartment)).get(.audit, use: AuditController.index)
}
