import Vapor

/// All routes, by feature. Paths come from `SiteRoute`; every protected group checks role on the server,
/// and handlers check scope (unit, group, own record) for each record they load.
func routes(_ app: Application) throws {
    // Health (load balancers)
    app.get("healthz", use: HealthController.check)

    // Login, logout, password
    try app.register(collection: LoginController())

    let signedIn = app.grouped(RequireAccount())
    signedIn.get(use: HomeController.show)

    // Registry: units, cadres, posts, status facts; roster import/export
    try registerRegistryRoutes(signedIn)

    // Accounts and assessment groups (系统管理员)
    try signedIn.grouped(RequireRole(.admin)).register(collection: AccountController())
    try signedIn.grouped(RequireRole(.admin, .organisationDepartment)).register(collection: GroupController())

    // Audit log (操作日志)
    signedIn.grouped(RequireRole(.admin, .organisationDepartment)).get("audit", use: AuditController.index)
}
