import Foundation
import OfficeDocuments

/// The special report of a regular check (seed 000 第六条): 考核概况 (why and how: time, place, scope, methods), 考核内容,
/// 考核结论 with the evaluation of each team and cadre and the handling suggested, the assessors' names and the date
/// it was written; its filing against R-A1 in the page header.
enum RegularReport {
    static func document(_ check: RegularChecks.Check, subjects: [RegularChecks.Subject], filing: RegularChecks.Filing) -> DOCXDocument {
        var doc = DOCXDocument()
        doc.title = check.title
        doc.headerText = "\(check.kind_name) · \(filing.label)"
        doc.heading("关于\(check.title)的专项考核报告", level: 0)
        doc.heading("一、考核概况", level: 1)
        var overview = "\(check.started_on) 至 \(check.ended_on)"
        if !check.place.isEmpty { overview += "，在\(check.place)" }
        overview += "开展\(check.kind_name)"
        if let lead = check.lead_unit_name { overview += "（牵头：\(lead)）" }
        overview += "。"
        if !check.scope.isEmpty { overview += "涉及范围：\(check.scope)。" }
        if !check.methods.isEmpty { overview += "考核方法：\(check.methods)。" }
        doc.paragraph(overview, firstLineIndentChars: 2)
        doc.heading("二、考核内容", level: 1)
        for line in (check.content.isEmpty ? "【请补充】" : check.content).split(separator: "\n", omittingEmptySubsequences: true) {
            doc.paragraph(String(line), firstLineIndentChars: 2)
        }
        doc.heading("三、考核结论", level: 1)
        for line in (check.conclusion.isEmpty ? "【请补充】" : check.conclusion).split(separator: "\n", omittingEmptySubsequences: true) {
            doc.paragraph(String(line), firstLineIndentChars: 2)
        }
        if !subjects.isEmpty {
            var rows: [[DOCXCell]] = [["对象", "单位", "评价意见", "处理意见或建议", "落实情况"]]
            for s in subjects {
                rows.append([.init("\(s.name)（\(s.subject == "team" ? "领导班子" : "领导干部")）"), .init(s.unit_name), .init(s.evaluation ?? "—"),
                             .init(s.handling ?? "—"), .init([s.follow_up_on, s.follow_up].compactMap { $0 }.joined(separator: " "), fontSizePt: 10)])
            }
            doc.table(rows, columnWidthsCm: [3.6, 3.2, 2, 2.8, 4.4])
            doc.paragraph("评价意见：领导班子分为好、较好、一般，领导干部分为优秀、良好、一般（seed 000 第六条）。", alignment: .left)
        }
        doc.paragraph("考核人员：\(check.assessors.isEmpty ? "【请补充】" : check.assessors)", alignment: .left)
        doc.paragraph("成文时间：\(check.written_on ?? "    年  月  日")", alignment: .right)
        return doc
    }
}
