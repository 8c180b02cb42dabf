// The layout of a roster (花名册) file: its sheets and columns, with the help text the template carries.

/// The columns of the 干部 sheet, by their Chinese header.
enum RosterColumn: String, SheetColumn {
    case code = "干部编号"
    case name = "姓名"
    case gender = "性别"
    case idNumber = "身份证号"
    case birthDate = "出生日期"
    case ethnicity = "民族"
    case nativePlace = "籍贯"
    case birthPlace = "出生地"
    case politicalStatus = "政治面貌"
    case partyJoined = "入党时间"
    case workStart = "参加工作时间"
    case education = "学历"
    case fullTimeEducation = "全日制学历"
    case fullTimeDegree = "全日制学位"
    case partTimeEducation = "在职学历"
    case partTimeDegree = "在职学位"
    case rank = "职级"
    case rankSince = "任现职级时间"
    case unitCode = "单位编码"
    case unitName = "单位名称"
    case title = "职务"
    case orderNumber = "职务排序号"
    case principal = "主要负责人"
    case mainDuty = "职责"
    case startDate = "任职日期"
    case retiredOn = "退休日期"
    case underInvestigation = "立案审查"
    case villageTeam = "驻村工作队"
    case awaitingAssignment = "免职待安排"
    case year = "年度"
    case leaveDays = "请假天数"
    case secondmentLevel = "挂职层级"
    case secondmentHost = "挂职单位编码"
    case secondmentMonths = "挂职月数"

    static let required: [RosterColumn] = [.code, .name, .gender, .unitCode, .title]

    /// The header written in the template (with the allowed values where there are few).
    var templateHeader: String {
        switch self {
        case .principal: "主要负责人(是/否)"
        case .mainDuty: "职责(主职/兼职)"
        case .underInvestigation: "立案审查(是/否)"
        case .villageTeam: "驻村工作队(是/否)"
        case .awaitingAssignment: "免职待安排(是/否)"
        case .secondmentLevel: "挂职层级(中央/省/市/县)"
        default: rawValue
        }
    }

    /// The values the template offers as a drop-down list (nil: free text).
    var choices: [String]? {
        switch self {
        case .gender: ["男", "女"]
        case .principal, .underInvestigation, .villageTeam, .awaitingAssignment: ["是", "否"]
        case .mainDuty: ["主职", "兼职"]
        case .secondmentLevel: CadreRules.secondmentLevels + [CadreRules.clearMarker]
        default: nil
        }
    }

    /// What the 说明 sheet says about the column.
    var explanation: String {
        switch self {
        case .code: "必填。干部的唯一编号，重新导入时按此编号更新，不会重复新增。"
        case .name: "新干部必填；已有干部空白则保留原值。"
        case .gender: "新干部必填。男 或 女；已有干部空白则保留原值。"
        case .birthDate: "日期，如 1975-03-05、1975/3/5、1975.3.5、19750305、1975年3月5日，或 Excel 日期单元格；只知年月时写 1975.03、1975年3月 或 197503。"
        case .idNumber: "18 位公民身份号码（末位可为 X），校验码须正确，其中的出生日期须与「出生日期」一致。仅组织部可见全文。"
        case .ethnicity: "如 汉族、回族。"
        case .nativePlace: "如 河南濮阳。"
        case .birthPlace: "如 河南濮阳。"
        case .partyJoined: "日期或年月，如 2001.07、2001年7月1日。"
        case .workStart: "日期或年月，如 1998.08。"
        case .fullTimeEducation: "全日制教育的学历，如 大学本科。"
        case .fullTimeDegree: "全日制教育的学位，如 学士。"
        case .partTimeEducation: "在职教育的学历，如 研究生。"
        case .partTimeDegree: "在职教育的学位，如 硕士。"
        case .rankSince: "日期或年月，如 2019.12。"
        case .politicalStatus: "如 中共党员、群众、民主党派。"
        case .education: "如 大学本科、研究生。"
        case .rank: "如 正科、副科、一级主任科员。"
        case .unitCode: "必填。须为系统中已有的单位编码，或本文件「单位」工作表中的单位编码。单位管理员只能导入本单位。"
        case .unitName: "仅供核对，导入时不使用（单位名称以「单位」工作表或系统为准）。"
        case .title: "必填。现任职务，如 党委书记、局长、副镇长。"
        case .orderNumber: "可选。名单中的排列顺序（1–9999，小的在前）。空白时按职务的默认顺序：党委书记 100、镇长/乡长/局长等 200、人大主席 300、党委副书记 400、纪委书记 450、常务副职 500、副镇长/副局长等 600、人大副主席 650、委员 700、其他副职 800、其他 900；填 1–99 可排在党委书记之前。已有职务空白时保留原排序号。"
        case .principal: "是 或 否（空白为否）。是否为本单位主要负责人（党政正职）。"
        case .mainDuty: "主职 或 兼职（空白为主职）。主职变化时，原主职自动以新的任职日期结束，历史保留。"
        case .startDate: "日期。现任职务的任职日期；空白时取导入当天。"
        case .retiredOn: "日期。已退休或预定退休日期，未退休留空。"
        case .underInvestigation: "是 或 否（空白为否）。是否被立案审查且尚未结案。"
        case .villageTeam: "是 或 否（空白为否）。是否为驻村工作队队员。"
        case .awaitingAssignment: "是 或 否（空白为否）。是否免职待安排。"
        case .year: "可选。以下年度信息所属年度，如 2025；填写了请假天数或挂职信息时必填。"
        case .leaveDays: "可选。该年度病假、事假天数（0–366 的整数）。"
        case .secondmentLevel: "可选。挂职干部的派出层级：中央、省、市 或 县。"
        case .secondmentHost: "可选。挂职所在单位（接收单位）的单位编码。"
        case .secondmentMonths: "可选。该年度在挂职单位工作的月数（0–12 的整数）。"
        }
    }
}

/// The columns of the 单位 sheet.
enum RosterUnitColumn: String, SheetColumn {
    case code = "单位编码"
    case name = "单位名称"
    case category = "单位类别"
    case parentCode = "上级单位编码"

    var explanation: String {
        switch self {
        case .code: "必填。单位的唯一编码；已存在的单位按编码更新。"
        case .name: "新干部必填；已有干部空白则保留原值。"
        case .category: "新单位必填。须为系统中已有的单位类别，如 乡镇街道、县直单位、企业、学校医院。"
        case .parentCode: "可选。上级单位的单位编码（系统中已有或本工作表中的）。"
        }
    }
}

enum RosterSheet {
    static let cadres = "干部"
    static let units = "单位"
    static let help = "说明"
}
