import Foundation

/// The order in which an organisation department lists the posts of a team: the post's 职务排序号 when one is
/// given, else a default rank of common titles. People's names never decide an order (ties go by appointment date,
/// then 干部编号).
///
/// The default ranks (a 职务排序号 is on the same scale: 1–99 puts a post before a 党委书记):
///
/// | rank | titles |
/// |---|---|
/// | 100 | party principal: 党委书记, 党组书记, 党工委书记, 总支书记, 支部书记, 书记 |
/// | 200 | administrative principal: 镇长, 乡长, 县长, 区长, 市长, 局长, 主任, 院长, 校长, 行长, 所长, 站长, 馆长, 社长, 处长, 科长, 总经理, 董事长 |
/// | 250 | any other 主要负责人 |
/// | 300 | 人大主席 (人大…主任) |
/// | 310 | 政协主席 (政协…主任) |
/// | 400 | 副书记 (党委副书记, 党组副书记) |
/// | 450 | 纪委书记, 纪工委书记, 纪检组长, 纪检监察组长 |
/// | 500 | 常务副… |
/// | 600 | administrative deputies: 副镇长, 副局长, 副主任, 副院长 … |
/// | 650 | 人大副主席, 政协副主席 |
/// | 700 | committee members: 组织委员, 宣传委员, 统战委员, 政法委员, 党委委员, 武装部长 |
/// | 800 | other deputies (a title with 副) |
/// | 900 | everything else |
enum PostOrder {
    /// The range a 职务排序号 may take.
    static let numbers = 1...9999

    static let administrativeHeads = ["镇长", "乡长", "县长", "区长", "市长", "局长", "主任", "院长", "校长", "行长", "所长", "站长",
                                      "馆长", "社长", "处长", "科长", "总经理", "董事长"]
    static let partyHeads = ["党委书记", "党组书记", "党工委书记", "总支书记", "支部书记", "书记"]

    /// The rank of a title without a 职务排序号.
    static func defaultRank(title raw: String, principal: Bool) -> Int {
        let title = raw.contains(" ") ? String(raw.filter { $0 != " " }) : raw
        let deputy = title.contains("副")
        if title.contains("纪委书记") || title.contains("纪工委书记") || title.contains("纪检") { return 450 }
        if !deputy && partyHeads.contains(where: { title.hasSuffix($0) }) && !title.contains("委员") { return 100 }
        if title.contains("人大") { return deputy ? 650 : 300 }
        if title.contains("政协") { return deputy ? 650 : 310 }
        if title.contains("副书记") { return 400 }
        if title.hasPrefix("常务副") { return 500 }
        if deputy && administrativeHeads.contains(where: { title.hasSuffix($0) }) { return 600 }
        if !deputy && administrativeHeads.contains(where: { title.hasSuffix($0) }) { return 200 }
        if principal { return 250 }
        if title.hasSuffix("委员") || title.hasSuffix("武装部长") { return 700 }
        return deputy ? 800 : 900
    }

    /// The key a post is listed by.
    static func sortKey(title: String, principal: Bool, orderNumber: Int?) -> Int {
        orderNumber ?? defaultRank(title: title, principal: principal)
    }

    /// The kind of a 主要负责人 (党政正职): a team has one party principal (党委书记, 党组书记) and one administrative
    /// principal (镇长, 局长, 主任…); two of the same kind are worth a look.
    static func principalKind(_ title: String) -> String {
        title.contains("书记") ? "党组织" : "行政"
    }
}
