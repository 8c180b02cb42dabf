import Fluent
import Foundation

final class Account: Model, @unchecked Sendable {
    static let schema = "accounts"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Enum(key: "role") var role: Role
    @OptionalParent(key: "unit_id") var unit: Unit?
    @OptionalParent(key: "cadre_id") var cadre: Cadre?
    @OptionalParent(key: "scoring_unit_id") var scoringUnit: Unit?
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @Field(key: "disabled") var disabled: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID? = nil, username: String, displayName: String, passwordHash: String, role: Role,
         unitID: UUID? = nil, cadreID: UUID? = nil, mustChangePassword: Bool = false) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.role = role
        self.$unit.id = unitID
        self.$cadre.id = cadreID
        self.$scoringUnit.id = nil
        self.mustChangePassword = mustChangePassword
        self.disabled = false
    }

    /// What the audit log records of an account: never the password hash.
    var auditSnapshot: [String: String] {
        [
            "username": username, "displayName": displayName, "role": role.rawValue,
            "unitID": $unit.id?.uuidString ?? "", "cadreID": $cadre.id?.uuidString ?? "",
            "disabled": disabled ? "是" : "否", "mustChangePassword": mustChangePassword ? "是" : "否",
        ]
    }
}
