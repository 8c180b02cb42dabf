import Vapor

/// Registry routes: units, cadres, posts, status facts, roster import/export.
func registerRegistryRoutes(_ signedIn: any RoutesBuilder) throws {
}
