import Fluent
import Foundation

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

    var fields: CadreFields {
        get {
            CadreFields(code: code, name: name, gender: gender, birthDate: birthDate, politicalStatus: politicalStatus,
                        education: education, rank: rank, retiredOn: retiredOn, underInvestigation: underInvestigation,
                        villageTeam: villageTeam, awaitingAssignment: awaitingAssignment)
        }
        set {
            code = newValue.code; name = newValue.name; gender = newValue.gender; birthDate = newValue.birthDate
            politicalStatus = newValue.politicalStatus; education = newValue.education; rank = newValue.rank
            retiredOn = newValue.retiredOn; underInvestigation = newValue.underInvestigation
            villageTeam = newValue.villageTeam; awaitingAssignment = newValue.awaitingAssignment
        }
    }
}

/// A cadre's personal data and standing status facts: what `CadreRules` produces from the form or a roster
/// row, what the database stores and what the audit log records (one snapshot shape for every writer, so a
/// re-import of unchanged data writes nothing).
struct CadreFields: Sendable, Equatable {
    var code: String
    var name: String
    var gender: String
    var birthDate: String?
    var politicalStatus: String
    var education: String
    var rank: String
    var retiredOn: String?
    var underInvestigation: Bool
    var villageTeam: Bool
    var awaitingAssignment: Bool

    var auditSnapshot: [String: String] {
        [
            "code": code, "name": name, "gender": gender, "birthDate": birthDate ?? "",
            "politicalStatus": politicalStatus, "education": education, "rank": rank,
            "retiredOn": retiredOn ?? "", "underInvestigation": underInvestigation ? "是" : "否",
            "villageTeam": villageTeam ? "是" : "否", "awaitingAssignment": awaitingAssignment ? "是" : "否",
        ]
    }
}
