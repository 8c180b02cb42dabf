import Fluent
import Foundation

/// 考核组: members see the units assigned to the group.
final class AssessmentGroup: Model, @unchecked Sendable {
    static let schema = "assessment_groups"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Siblings(through: AssessmentGroupUnit.self, from: \.$group, to: \.$unit) var units: [Unit]
    @Siblings(through: AssessmentGroupMember.self, from: \.$group, to: \.$account) var members: [Account]
    init() {}
    init(id: UUID? = nil, name: String) { self.id = id; self.name = name }
}

/// A unit the group assesses.
final class AssessmentGroupUnit: Model, @unchecked Sendable {
    static let schema = "assessment_group_units"
    @ID(key: .id) var id: UUID?
    @Parent(key: "group_id") var group: AssessmentGroup
    @Parent(key: "unit_id") var unit: Unit
    init() {}
}

/// An account (考核组成员) of the group.
final class AssessmentGroupMember: Model, @unchecked Sendable {
    static let schema = "assessment_group_members"
    @ID(key: .id) var id: UUID?
    @Parent(key: "group_id") var group: AssessmentGroup
    @Parent(key: "account_id") var account: Account
    init() {}
}
