import AssessmentCore
import Fluent
import Foundation

/// 考核: a campaign of one kind and year, with its policy stored as it was chosen (a later change of a preset never
/// changes a running campaign).
final class Campaign: Model, @unchecked Sendable {
    static let schema = "campaigns"
    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "year") var year: Int
    @Field(key: "cutoff") var cutoff: String
    @Field(key: "title") var title: String
    @Field(key: "policy_name") var policyName: String
    @Field(key: "policy_json") var policyJSON: String
    @Field(key: "created_at") var createdAt: Double
    init() {}

    /// The stored policy (validated when the campaign was made).
    func policy() throws -> Policy { try Policy.decode(Data(policyJSON.utf8)) }

    /// The cut-off date (checked when the campaign was made; a value edited in the database is refused, not a crash).
    func cutoffDay() throws -> Day {
        guard let day = Day(cutoff) else { throw RequestFailure.invalid("考核「\(title)」的截止日期「\(cutoff)」不是日期，请联系管理员。") }
        return day
    }

    enum Kind: String, CaseIterable, Sendable {
        case annual
        /// R-P4 (seed 002 §二3): its policy assesses the cadres listed as ending their probation.
        case probation
        /// R-P5 (seed 002 §二2): 一报告两评议 of selection and appointment work and of newly appointed cadres.
        case selectionReview
        /// Seed 004: 党风廉政建设责任制检查考核, its checklist as indicators, rectification after feedback (R-R1).
        case cleanGovernance
        var label: String {
            switch self {
            case .annual: "年度考核"
            case .probation: "试用期满考核"
            case .selectionReview: "一报告两评议"
            case .cleanGovernance: "党风廉政建设责任制检查考核"
            }
        }
        /// The subjects a policy of this kind assesses.
        var subjects: AssessmentSubjects {
            switch self {
            case .annual: .teamsAndCadres
            case .probation: .probationCadres
            case .selectionReview: .selectionReview
            case .cleanGovernance: .teamsAndCadres
            }
        }
    }
}

/// 民主测评: one meeting of a unit in a campaign, with the participant categories and how many are expected of each.
final class EvaluationSession: Model, @unchecked Sendable {
    static let schema = "evaluation_sessions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "campaign_id") var campaign: Campaign
    @Parent(key: "unit_id") var unit: Unit
    @Field(key: "held_on") var heldOn: String
    @Field(key: "place") var place: String
    @Field(key: "categories_json") var categoriesJSON: String
    /// The ballot as prepared when the session was made (BallotSheet JSON).
    @Field(key: "sheet_json") var sheetJSON: String
    @Field(key: "status") var status: String
    init() {}

    /// The participant categories offered when the policy lists none (seed 003 §五(二)).
    static let defaultCategories = ["班子成员", "中层干部", "职工代表"]

    struct Category: Codable, Equatable, Sendable {
        var name: String
        var expected: Int
    }

    var categories: [Category] {
        (try? JSONDecoder().decode([Category].self, from: Data(categoriesJSON.utf8))) ?? []
    }

    var isOpen: Bool { status == "open" }

    func sheet() throws -> BallotSheet { try JSONDecoder().decode(BallotSheet.self, from: Data(sheetJSON.utf8)) }
}
