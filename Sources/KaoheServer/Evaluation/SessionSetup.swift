import AssessmentCore
import Fluent
import Foundation
import SQLKit

/// Making and closing an evaluation session, inside an audited transaction: the same steps for the staff's pages and
/// for `kaohe demo`.
enum SessionSetup {
    /// A session of `unitID` in `campaign`, its ballot computed from the registry on the cut-off date and fixed.
    static func make(campaign: Campaign, unitID: UUID, heldOn: Day, place: String, categories: [EvaluationSession.Category],
                     on db: any Database, audit: AuditRecorder) async throws -> UUID {
        let policy = try campaign.policy()
        let roster = try await CampaignRoster.read(campaign: try campaign.requireID(), policy: policy, year: campaign.year, cutoff: try campaign.cutoffDay(), unitIDs: [unitID],
                                                   on: db as! any SQLDatabase)
        guard let unit = roster.units.first else { throw RequestFailure.notFound(.unit) }
        let sheet = CampaignRoster.ballot(unit, policy: policy)
        let session = EvaluationSession()
        session.id = UUID()
        session.$campaign.id = try campaign.requireID()
        session.$unit.id = unitID
        session.heldOn = heldOn.description
        session.place = place
        session.categoriesJSON = String(decoding: try JSONEncoder().encode(categories), as: UTF8.self)
        session.sheetJSON = String(decoding: try JSONEncoder().encode(sheet), as: UTF8.self)
        session.status = EvaluationSession.open
        try await session.create(on: db)
        audit.record(.init(action: .create, entity: .evaluationSession, entityID: session.id!.uuidString, after: [
            "campaign": campaign.title, "unit": unit.name, "heldOn": heldOn.description, "place": place,
            "categories": categories.map { "\($0.name) \($0.expected)" }.joined(separator: "、"),
            "ballot": "领导班子 \(sheet.team == nil ? 0 : 1)，干部 \(sheet.cadres.count) 人",
        ]))
        return session.id!
    }

    /// Voting stops; on PostgreSQL the session's ballots and codes are rewritten (`Anonymity`). Vacuum afterwards.
    static func close(_ session: EvaluationSession, on db: any Database, audit: AuditRecorder) async throws {
        session.status = EvaluationSession.closed
        try await session.save(on: db)
        // After the status: a vote takes the session row FOR SHARE first (PostgreSQL), so none is halfway now.
        let turnout = try await BallotCodes.turnout(session, on: db as! any SQLDatabase)
        try await Anonymity.scrub(session: session.requireID(), on: db as! any SQLDatabase)
        audit.record(.init(action: .update, entity: .evaluationSession, entityID: session.id!.uuidString,
                           before: ["status": "进行中"], after: ["status": "已结束",
                                    "turnout": turnout.map { "\($0.category) 发码 \($0.issued)、手机 \($0.used)、纸质 \($0.paper)、废票 \($0.void)" }.joined(separator: "；")]))
    }
}
