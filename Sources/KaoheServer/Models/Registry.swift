import Fluent
import Foundation

/// 单位类别: quotas are counted per category (R-Q1). Categories are data.
final class UnitCategory: Model, @unchecked Sendable {
    static let schema = "unit_categories"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "sort_order") var sortOrder: Int
    init() {}
    init(id: UUID? = nil, name: String, sortOrder: Int) {
        self.id = id; self.name = name; self.sortOrder = sortOrder
    }
}

/// 单位: township, street, county department, enterprise, school…
final class Unit: Model, @unchecked Sendable {
    static let schema = "units"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Parent(key: "category_id") var category: UnitCategory
    @OptionalParent(key: "parent_id") var parent: Unit?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
    init(id: UUID? = nil, code: String, name: String, categoryID: UUID, parentID: UUID? = nil) {
        self.id = id; self.code = code; self.name = name
        self.$category.id = categoryID; self.$parent.id = parentID
    }
    var auditSnapshot: [String: String] {
        ["code": code, "name": name, "categoryID": $category.id.uuidString, "parentID": $parent.id?.uuidString ?? ""]
    }
}

/// 领导班子: the leading body of one unit.
final class Team: Model, @unchecked Sendable {
    static let schema = "teams"
    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: Unit
    @Field(key: "name") var name: String
    init() {}
    init(id: UUID? = nil, unitID: UUID, name: String) {
        self.id = id; self.$unit.id = unitID; self.name = name
    }
}

/// 领导干部. `code` (干部编号) is the stable key used by roster re-imports.
final class Cadre: Model, @unchecked Sendable {
    static let schema = "cadres"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "gender") var gender: String
    @OptionalField(key: "birth_date") var birthDate: String?
    @Field(key: "political_status") var politicalStatus: String
    @Field(key: "education") var education: String
    @Field(key: "rank") var rank: String
    // Status facts (DOMAIN.md §3) that are not per year.
    @OptionalField(key: "retired_on") var retiredOn: String?
    @Field(key: "under_investigation") var underInvestigation: Bool
    @Field(key: "village_team") var villageTeam: Bool
    @Field(key: "awaiting_assignment") var awaitingAssignment: Bool
    @Children(for: \.$cadre) var posts: [Post]
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}

    var auditSnapshot: [String: String] {
        [
            "code": code, "name": name, "gender": gender, "birthDate": birthDate ?? "",
            "politicalStatus": politicalStatus, "education": education, "rank": rank,
            "retiredOn": retiredOn ?? "", "underInvestigation": underInvestigation ? "是" : "否",
            "villageTeam": villageTeam ? "是" : "否", "awaitingAssignment": awaitingAssignment ? "是" : "否",
        ]
    }
}

/// 职务: history is kept; a change of post closes the old one (end date) and opens a new one.
final class Post: Model, @unchecked Sendable {
    static let schema = "posts"
    @ID(key: .id) var id: UUID?
    @Parent(key: "cadre_id") var cadre: Cadre
    @Parent(key: "unit_id") var unit: Unit
    @Field(key: "title") var title: String
    @Field(key: "principal") var principal: Bool
    @Field(key: "main_duty") var mainDuty: Bool
    @Field(key: "start_date") var startDate: String
    @OptionalField(key: "end_date") var endDate: String?
    init() {}

    var auditSnapshot: [String: String] {
        [
            "cadreID": $cadre.id.uuidString, "unitID": $unit.id.uuidString, "title": title,
            "principal": principal ? "是" : "否", "mainDuty": mainDuty ? "主职" : "兼职",
            "startDate": startDate, "endDate": endDate ?? "",
        ]
    }
}

/// Per-year status facts: leave days and secondment (R-E3, R-E4, R-E5).
final class CadreYearFact: Model, @unchecked Sendable {
    static let schema = "cadre_year_facts"
    @ID(key: .id) var id: UUID?
    @Parent(key: "cadre_id") var cadre: Cadre
    @Field(key: "year") var year: Int
    @Field(key: "leave_days") var leaveDays: Int
    @OptionalField(key: "secondment_level") var secondmentLevel: String?
    @OptionalParent(key: "secondment_host_unit_id") var secondmentHost: Unit?
    @OptionalField(key: "secondment_months") var secondmentMonths: Int?
    init() {}

    var auditSnapshot: [String: String] {
        [
            "cadreID": $cadre.id.uuidString, "year": String(year), "leaveDays": String(leaveDays),
            "secondmentLevel": secondmentLevel ?? "", "secondmentHostUnitID": $secondmentHost.id?.uuidString ?? "",
            "secondmentMonths": secondmentMonths.map(String.init) ?? "",
        ]
    }
}

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

final class AssessmentGroupUnit: Model, @unchecked Sendable {
    static let schema = "assessment_group_units"
    @ID(key: .id) var id: UUID?
    @Parent(key: "group_id") var group: AssessmentGroup
    @Parent(key: "unit_id") var unit: Unit
    init() {}
}

final class AssessmentGroupMember: Model, @unchecked Sendable {
    static let schema = "assessment_group_members"
    @ID(key: .id) var id: UUID?
    @Parent(key: "group_id") var group: AssessmentGroup
    @Parent(key: "account_id") var account: Account
    init() {}
}
