import Fluent
import Foundation

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
    @OptionalField(key: "order_number") var orderNumber: Int?
    /// What lists sort by (`PostOrder.sortKey`), written with every change of title, 主要负责人 or 职务排序号.
    @Field(key: "sort_key") var sortKey: Int
    init() {}

    var fields: PostFields {
        get {
            PostFields(cadreID: $cadre.id, unitID: $unit.id, title: title, principal: principal, mainDuty: mainDuty,
                       startDate: startDate, endDate: endDate, orderNumber: orderNumber)
        }
        set {
            $cadre.id = newValue.cadreID; $unit.id = newValue.unitID; title = newValue.title; principal = newValue.principal
            mainDuty = newValue.mainDuty; startDate = newValue.startDate; endDate = newValue.endDate
            orderNumber = newValue.orderNumber; sortKey = newValue.sortKey
        }
    }
}

/// One post as stored and audited.
struct PostFields: Sendable, Equatable {
    var cadreID: UUID
    var unitID: UUID
    var title: String
    var principal: Bool
    var mainDuty: Bool
    var startDate: String
    var endDate: String? = nil
    /// 职务排序号, when the clerk gave one.
    var orderNumber: Int? = nil

    /// The official order of the post in lists (`PostOrder`).
    var sortKey: Int { PostOrder.sortKey(title: title, principal: principal, orderNumber: orderNumber) }

    var auditSnapshot: [String: String] {
        var s = [
            "cadreID": cadreID.uuidString, "unitID": unitID.uuidString, "title": title,
            "principal": principal ? "是" : "否", "mainDuty": mainDuty ? "主职" : "兼职",
            "startDate": startDate, "endDate": endDate ?? "",
        ]
        if let orderNumber { s["orderNumber"] = String(orderNumber) }
        return s
    }
}
