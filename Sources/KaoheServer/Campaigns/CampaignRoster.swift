import AssessmentCore
import Foundation
import SQLKit

/// Who takes part in a campaign, read from the registry as it stood on the cut-off date: each unit with its team, and
/// the cadres holding a main post there on that day with their eligibility (R-E*) as the engine decides it — from
/// their status facts and the campaign year's facts. The same reading builds the ballots of the unit's evaluation.
struct CampaignRoster: Sendable {
    struct Participant: Sendable {
        var cadreID: UUID
        var code: String
        var name: String
        var title: String
        var principal: Bool
        /// The cadre as the engine takes it (facts of the campaign year).
        var cadre: AssessmentCore.Cadre
        var eligibility: Eligibility
        /// A person's decision against the rules (`participation_changes`), with its reason.
        var change: (participates: Bool, reason: String)?
        /// R-P4: the probation period, in a campaign that assesses probation cadres.
        var probation: (starts: String, ends: String)? = nil
        /// On the democratic-evaluation ballot: assessed, and not a retiree who takes no part (R-E6).
        var onBallot: Bool { eligibility.status != .notAssessed && !eligibility.votesIgnored }
    }

    struct UnitPart: Sendable {
        var unitID: UUID
        var code: String
        var name: String
        var category: String
        var teamName: String?
        var cadres: [Participant]
    }

    var units: [UnitPart]
    /// R-P4: the campaign assesses only the cadres listed as ending their probation (`Policy.subjects`); no team is
    /// assessed (`teamName` is nil) and `units` holds only the units of listed cadres.
    var cadresOnly = false
    /// The units whose 领导班子 is assessed: the ones graded, scored and reported on as teams.
    var teams: [UnitPart] { units.filter { $0.teamName != nil } }
    /// The units that hold a democratic evaluation and interviews: those with an assessed team, or (R-P4) with a listed
    /// probation cadre.
    var evaluated: [UnitPart] { cadresOnly ? units : teams }
    func isEvaluated(_ unit: UnitPart) -> Bool { cadresOnly || unit.teamName != nil }

    /// Engine levels of the registry's 挂职层级.
    static let levels = ["中央": "central", "省": "province", "市": "city", "县": "county"]

    /// The units of `unitIDs` (all when nil) in the registry's order, their cadres in official post order.
    static func read(campaign: UUID, policy: Policy, year: Int, cutoff: Day, unitIDs: Set<UUID>?, on sql: any SQLDatabase) async throws -> CampaignRoster {
        struct ChangeRow: Decodable { var cadre_id: UUID; var participates: Bool; var reason: String }
        let changes = Dictionary(try await sql.raw("SELECT cadre_id, participates, reason FROM participation_changes WHERE campaign_id = \(bind: campaign)")
            .all(decoding: ChangeRow.self).map { ($0.cadre_id, $0) }) { a, _ in a }
        let cadresOnly = policy.subjects == .probationCadres
        let probation = cadresOnly ? try await Probation.periods(campaign: campaign, on: sql) : [:]
        struct UnitRow: Decodable { var id: UUID; var code: String; var name: String; var category: String }
        struct TeamRow: Decodable { var unit_id: UUID; var name: String }
        struct PostRow: Decodable {
            var cadre_id: UUID; var unit_id: UUID; var title: String; var principal: Bool
            var code: String; var name: String; var retired_on: String?; var under_investigation: Bool; var village_team: Bool
            var start_date: String
        }
        struct FactRow: Decodable { var cadre_id: UUID; var leave_days: Int; var secondment_level: String?; var secondment_months: Int? }

        let units = try await sql.raw("""
            SELECT u.id, u.code, u.name, c.name AS category FROM units u JOIN unit_categories c ON c.id = u.category_id
            ORDER BY c.sort_order, u.code
            """).all(decoding: UnitRow.self).filter { unitIDs?.contains($0.id) ?? true }
        let teams = Dictionary(try await sql.raw("SELECT unit_id, name FROM teams").all(decoding: TeamRow.self).map { ($0.unit_id, $0.name) }) { a, _ in a }
        let day = cutoff.description
        // One unit (a session being prepared): its posts and facts only, not the whole registry's.
        let only = unitIDs?.count == 1 ? unitIDs!.first : nil
        let unitFilter: SQLQueryString = only.map { "AND p.unit_id = \(bind: $0)" } ?? ""
        let posts = try await sql.raw("""
            SELECT p.cadre_id, p.unit_id, p.title, p.principal, c.code, c.name, c.retired_on, c.under_investigation, c.village_team, p.start_date
            FROM posts p JOIN cadres c ON c.id = p.cadre_id
            WHERE p.main_duty = TRUE AND p.start_date <= \(bind: day) AND (p.end_date IS NULL OR p.end_date > \(bind: day)) \(unitFilter)
            ORDER BY p.sort_key, p.start_date, c.code
            """).all(decoding: PostRow.self)
        var factQuery = sql.select().columns("cadre_id", "leave_days", "secondment_level", "secondment_months").from("cadre_year_facts")
            .where("year", .equal, SQLBind(year))
        if only != nil { factQuery = factQuery.where("cadre_id", .in, SQLBind.group(posts.map(\.cadre_id))) }
        let factRows = only != nil && posts.isEmpty ? [] : try await factQuery.all(decoding: FactRow.self)
        let facts = Dictionary(factRows.map { ($0.cadre_id, $0) }) { a, _ in a }

        let dataset = Dataset(year: year, cutoff: cutoff)
        let byUnit = Dictionary(grouping: posts, by: \.unit_id)
        // R-P5: the cadres newly appointed in the campaign year (a main post begun in it, up to the cut-off).
        let appointedSince = policy.subjects == .selectionReview ? Day(year: year, month: 1, day: 1)!.description : nil
        let parts = units.map { unit in
            let cadres = (byUnit[unit.id] ?? []).filter { p in
                (!cadresOnly || probation[p.cadre_id] != nil) && appointedSince.map { p.start_date >= $0 } != false
            }.map { p -> Participant in
                var cadre = AssessmentCore.Cadre(id: p.code, team: unit.code)  // changed below by people's decision
                cadre.name = p.name
                cadre.principal = p.principal
                cadre.facts.retiredOn = p.retired_on.flatMap(Day.init)
                cadre.facts.underInvestigation = p.under_investigation
                cadre.facts.villageTeam = p.village_team
                if let f = facts[p.cadre_id] {
                    cadre.facts.leaveDays = f.leave_days
                    if let level = f.secondment_level {
                        cadre.facts.secondment = Secondment(fromLevel: levels[level] ?? level, monthsInHost: f.secondment_months.map(Double.init))
                    }
                }
                var eligibility = Eligibility.assess(cadre, policy: policy, in: dataset)
                let change = changes[p.cadre_id]
                if let change {
                    if change.participates {
                        // The facts that kept the cadre out no longer do: people decided otherwise.
                        if eligibility.status == .notAssessed {
                            cadre.facts.retiredOn = nil
                            cadre.facts.villageTeam = false
                            eligibility = Eligibility.assess(cadre, policy: policy, in: dataset)
                        }
                        eligibility.reasons.append(Reason(rule: "调整", message: "经组织部决定参加本次考核：\(change.reason)"))
                    } else {
                        eligibility.status = .notAssessed
                        eligibility.reasons.append(Reason(rule: "调整", message: "经组织部决定不参加本次考核：\(change.reason)"))
                    }
                }
                return Participant(cadreID: p.cadre_id, code: p.code, name: p.name, title: p.title, principal: p.principal,
                                   cadre: cadre, eligibility: eligibility, change: change.map { ($0.participates, $0.reason) },
                                   probation: probation[p.cadre_id])
            }
            return UnitPart(unitID: unit.id, code: unit.code, name: unit.name, category: unit.category,
                            teamName: cadresOnly ? nil : teams[unit.id], cadres: cadres)
        }
        return CampaignRoster(units: cadresOnly ? parts.filter { !$0.cadres.isEmpty } : parts, cadresOnly: cadresOnly)
    }

    /// The ballot of a unit: its team (when it has one) and the cadres on the ballot, in official order.
    static func ballot(_ unit: UnitPart, policy: Policy) -> BallotSheet {
        BallotSheet(policy: policy, team: unit.teamName.map { BallotSheet.Subject(id: unit.code, name: $0, title: policy.teamBallot.title ?? "领导班子") },
                    cadres: unit.cadres.filter(\.onBallot).map { BallotSheet.Subject(id: $0.code, name: $0.name, title: $0.title) })
    }
}
