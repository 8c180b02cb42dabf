import Fluent
import Foundation

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

    var fields: UnitFields {
        get { UnitFields(code: code, name: name, categoryID: $category.id, parentID: $parent.id) }
        set { code = newValue.code; name = newValue.name; $category.id = newValue.categoryID; $parent.id = newValue.parentID }
    }
}

/// What a unit is, as the form and the roster import write it and the audit log records it.
struct UnitFields: Sendable, Equatable {
    var code: String
    var name: String
    var categoryID: UUID
    var parentID: UUID?

    var auditSnapshot: [String: String] {
        ["code": code, "name": name, "categoryID": categoryID.uuidString, "parentID": parentID?.uuidString ?? ""]
    }
}

/// 领导班子: the leading body of one unit, created with it.
final class Team: Model, @unchecked Sendable {
    static let schema = "teams"
    @ID(key: .id) var id: UUID?
    @Parent(key: "unit_id") var unit: Unit
    @Field(key: "name") var name: String
    init() {}

    /// The name a unit's team gets: 「单位名称」领导班子.
    static func name(ofUnit unitName: String) -> String { unitName + "领导班子" }

    static func auditSnapshot(unitID: UUID, name: String) -> [String: String] {
        ["unitID": unitID.uuidString, "name": name]
    }
}
