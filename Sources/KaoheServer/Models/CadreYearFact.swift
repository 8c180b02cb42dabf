import Fluent
import Foundation

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

    var fields: YearFactFields {
        get {
            YearFactFields(cadreID: $cadre.id, year: year, leaveDays: leaveDays, secondmentLevel: secondmentLevel,
                           secondmentHostUnitID: $secondmentHost.id, secondmentMonths: secondmentMonths)
        }
        set {
            $cadre.id = newValue.cadreID; year = newValue.year; leaveDays = newValue.leaveDays
            secondmentLevel = newValue.secondmentLevel; $secondmentHost.id = newValue.secondmentHostUnitID
            secondmentMonths = newValue.secondmentMonths
        }
    }
}

/// One cadre's facts of one year as stored and audited.
struct YearFactFields: Sendable, Equatable {
    var cadreID: UUID
    var year: Int
    var leaveDays: Int
    var secondmentLevel: String? = nil
    var secondmentHostUnitID: UUID? = nil
    var secondmentMonths: Int? = nil

    var auditSnapshot: [String: String] {
        [
            "cadreID": cadreID.uuidString, "year": String(year), "leaveDays": String(leaveDays),
            "secondmentLevel": secondmentLevel ?? "", "secondmentHostUnitID": secondmentHostUnitID?.uuidString ?? "",
            "secondmentMonths": secondmentMonths.map(String.init) ?? "",
        ]
    }
}
