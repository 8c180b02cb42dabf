/// Account roles (DOMAIN.md; issue 2 "Accounts and access").
public enum Role: String, Codable, CaseIterable, Sendable {
    case admin = "admin"                 // 系统管理员
    case organisationDepartment = "org"  // 组织部
    case groupMember = "group"           // 考核组成员: scoped to the units assigned to the group
    case unitAdmin = "unit"              // 单位管理员: own unit
    case scoringUnit = "scoring"         // 考核责任单位: own indicators
    case cadre = "cadre"                 // 干部: own records

    public var label: String {
        switch self {
        case .admin: "系统管理员"
        case .organisationDepartment: "组织部"
        case .groupMember: "考核组成员"
        case .unitAdmin: "单位管理员"
        case .scoringUnit: "考核责任单位"
        case .cadre: "干部"
        }
    }

    /// Roles that see and change the whole registry.
    public var isDepartmentWide: Bool { self == .admin || self == .organisationDepartment }
}
