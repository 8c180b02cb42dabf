import Fluent
import Vapor

extension Request {
    /// The evaluation session of the route's `:id`, its campaign and unit — refused (404, as if absent) outside the
    /// account's units.
    func evaluationSession() async throws -> (EvaluationSession, Campaign, Unit) {
        guard let id = parameters.get("id", as: UUID.self), let session = try await EvaluationSession.find(id, on: db),
              try await scope().allowsUnit(session.$unit.id),
              let campaign = try await Campaign.find(session.$campaign.id, on: db),
              let unit = try await Unit.find(session.$unit.id, on: db) else {
            throw RequestFailure.notFound(.session)
        }
        return (session, campaign, unit)
    }
}
