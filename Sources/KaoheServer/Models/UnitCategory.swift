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
