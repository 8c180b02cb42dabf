import Vapor

/// Registry routes: units, cadres, posts, status facts, roster import/export.
/// Every handler checks role and scope itself (lists filter by scope; records out of scope are 404).
func registerRegistryRoutes(_ signedIn: any RoutesBuilder) throws {
    try signedIn.register(collection: UnitController())
    try signedIn.register(collection: CadreController())
    try signedIn.register(collection: RosterController())
}
