import SQLKit
import Vapor

enum HealthController {
    /// 200 `ok` when the database answers, 503 otherwise.
    @Sendable static func check(req: Request) async throws -> Response {
        do {
            _ = try await req.sql.raw("SELECT 1 AS one").all()
            return Response(status: .ok, body: "ok")
        } catch {
            req.logger.error("healthz: database did not answer: \(error)")
            return Response(status: .serviceUnavailable, body: "database unavailable")
        }
    }
}
