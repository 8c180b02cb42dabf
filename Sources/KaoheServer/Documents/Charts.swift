import AssessmentCore
import Foundation
import OfficeDocuments

/// Charts made by the server (issue 12), with no script library: SVG for pages and print, and PNG bars inside a
/// .docx table whose text stays text (Word and WPS both show inline PNG; neither needs a font in the picture).
/// Every chart sits beside the table of its numbers, so a reader without colour or pictures loses nothing.
enum Chart {
    /// Series colours, best option first (green to red, then neutral tones); printed in colour or grey alike, each
    /// segment also carries its number.
    static let palette = ["2e7d32", "8bc34a", "f9a825", "e53935", "6a1b9a", "546e7a", "0277bd", "ff7043"]

    static func color(_ series: Int) -> String { palette[series % palette.count] }

    static func escaped(_ s: String) -> String { s.xmlEscaped }

    /// A label cut to `limit` characters (an ellipsis marks the cut; the full text is in the bar's tooltip).
    static func short(_ s: String, _ limit: Int) -> String { s.count <= limit ? s : String(s.prefix(limit - 1)) + "…" }

    /// A share as the tally pages print it ("66.7%"; "—" of nothing).
    static func percent(_ part: Int, _ total: Int) -> String {
        total > 0 ? String(format: "%.1f%%", Double(part) * 100 / Double(total)) : "—"
    }
}

/// Stacked horizontal bars: one bar per row (a subject, an aspect, a category), one segment per series (a ballot
/// option, a grade). `.shares` draws every bar at 100% (vote shares); `.counts` draws them to the largest total (grade
/// distributions, where the sizes of the categories matter).
struct BarChart: Sendable {
    enum Scale: Sendable { case shares, counts }
    struct Row: Sendable {
        var label: String
        var values: [Int]
        var total: Int { values.reduce(0, +) }
    }

    var title: String
    var series: [String]
    var rows: [Row]
    var scale: Scale

    private var largest: Int { max(1, rows.map(\.total).max() ?? 1) }

    /// The length of each segment of a row in `width` units, rounded so that a row's segments add up exactly.
    func segments(_ row: Row, width: Int) -> [Int] {
        let full = scale == .shares ? row.total : largest
        guard full > 0 else { return row.values.map { _ in 0 } }
        var out: [Int] = [], running = 0, drawn = 0
        for v in row.values {
            running += max(0, v)
            let end = Int((Double(running) * Double(width) / Double(full)).rounded())
            out.append(end - drawn)
            drawn = end
        }
        return out
    }

    private func valueText(_ row: Row, _ k: Int) -> String {
        scale == .shares ? Chart.percent(row.values[k], row.total) : "\(row.values[k])"
    }

    // MARK: SVG

    static let labelWidth = 150, barWidth = 380, totalWidth = 70, rowHeight = 24, legendHeight = 26, titleHeight = 22

    /// The chart as an inline `<svg>` (scales to its container): its title printed on top (and as `<title>`), a legend,
    /// then the bars; every segment has a tooltip.
    func svg() -> String {
        let w = Self.labelWidth + Self.barWidth + Self.totalWidth
        let top = Self.titleHeight
        let h = top + Self.legendHeight + rows.count * Self.rowHeight + 4
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" role=\"img\" font-size=\"12\">"
        s += "<title>\(Chart.escaped(title))</title>"
        s += "<text x=\"0\" y=\"15\" font-weight=\"bold\" font-size=\"13\">\(Chart.escaped(Chart.short(title, 44)))</text>"
        var x = 0
        for (k, name) in series.enumerated() {
            s += "<rect x=\"\(x)\" y=\"\(top + 6)\" width=\"12\" height=\"12\" fill=\"#\(Chart.color(k))\"/>"
            s += "<text x=\"\(x + 16)\" y=\"\(top + 16)\">\(Chart.escaped(Chart.short(name, 8)))</text>"
            x += 28 + min(8, name.count) * 12
        }
        for (r, row) in rows.enumerated() {
            let y = top + Self.legendHeight + r * Self.rowHeight
            s += "<text x=\"\(Self.labelWidth - 6)\" y=\"\(y + 16)\" text-anchor=\"end\">\(Chart.escaped(Chart.short(row.label, 12)))<title>\(Chart.escaped(row.label))</title></text>"
            var at = Self.labelWidth
            for (k, len) in segments(row, width: Self.barWidth).enumerated() where len > 0 {
                let tip = "\(row.label) · \(series.indices.contains(k) ? series[k] : "") \(row.values[k])（\(Chart.percent(row.values[k], row.total))）"
                s += "<rect x=\"\(at)\" y=\"\(y + 3)\" width=\"\(len)\" height=\"\(Self.rowHeight - 6)\" fill=\"#\(Chart.color(k))\"><title>\(Chart.escaped(tip))</title></rect>"
                let text = valueText(row, k)
                if len >= text.count * 7 + 4 {
                    s += "<text x=\"\(at + len / 2)\" y=\"\(y + 16)\" text-anchor=\"middle\" fill=\"#fff\">\(text)</text>"
                }
                at += len
            }
            s += "<text x=\"\(Self.labelWidth + Self.barWidth + 6)\" y=\"\(y + 16)\">\(scale == .shares ? "\(row.total) 票" : "共 \(row.total)")</text>"
        }
        return s + "</svg>"
    }

    // MARK: DOCX

    /// The chart added to a .docx: its title and legend (coloured squares), then a table of label, PNG bar and numbers.
    func add(to doc: inout DOCXDocument, barWidthCm: Double = 8) {
        var legend: [DOCXRun] = [DOCXRun("图例：", fontSizePt: 9)]
        for (k, name) in series.enumerated() {
            legend.append(DOCXRun("■", fontSizePt: 9, color: RGBColor(hex: Chart.color(k))))
            legend.append(DOCXRun("\(name)  ", fontSizePt: 9))
        }
        let pixels = 400
        var table: [[DOCXCell]] = []
        for row in rows {
            var image = PNGImage(width: pixels, height: 16)
            var at = 0
            for (k, len) in segments(row, width: pixels).enumerated() {
                image.fill(x: at, y: 0, width: len, height: 16, color: RGBColor(hex: Chart.color(k)) ?? .black)
                at += len
            }
            let numbers = row.values.indices.map { "\(series.indices.contains($0) ? series[$0] : "") \(valueText(row, $0))" }
            let bar = DOCXImage(png: image.data(), widthCm: barWidthCm, heightCm: 0.4)
            table.append([DOCXCell(row.label, fontSizePt: 9),
                          DOCXCell(paragraphs: [DOCXParagraph([DOCXRun(image: bar, description: "\(row.label)：\(numbers.joined(separator: "，"))")])]),
                          DOCXCell(numbers.joined(separator: " "), fontSizePt: 8)])
        }
        doc.paragraph([DOCXRun(title, bold: true, fontSizePt: 10)], alignment: .center)
        doc.paragraph(legend, alignment: .left)
        doc.table(table, columnWidthsCm: [3, barWidthCm + 0.4, 5], headerRows: 0)
    }
}

/// Vertical bars of how many fall in each band (a score distribution).
struct Histogram: Sendable {
    var title: String
    var bins: [(label: String, count: Int)]

    /// Scores in bands of `step` points from the lowest band that holds one to the highest (at most 20 bands; the
    /// step widens to fit). Scores are printed values (two decimals), so a score on a boundary opens the upper band.
    static func scores(_ values: [Double], title: String, step: Double = 5) -> Histogram {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return Histogram(title: title, bins: []) }
        var step = step
        while (hi - lo) / step > 19 { step *= 2 }
        let first = (lo / step).rounded(.down) * step
        let n = Int(((hi - first) / step).rounded(.down)) + 1
        var counts = [Int](repeating: 0, count: n)
        for v in finite { counts[min(n - 1, Int(((v - first) / step).rounded(.down)))] += 1 }
        func text(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
        return Histogram(title: title, bins: counts.enumerated().map { (text(first + Double($0) * step) + "–", $1) })
    }

    static let height = 182, barArea = 120, titleHeight = 22

    /// The bands as an inline `<svg>`, its title printed on top (and as `<title>`), each bar with its count.
    func svg() -> String {
        let slot = 36, w = max(340, max(1, bins.count) * slot + 20)
        let most = max(1, bins.map(\.count).max() ?? 1)
        let base = Self.titleHeight + Self.barArea + 14
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(w) \(Self.height)\" width=\"\(w)\" height=\"\(Self.height)\" role=\"img\" font-size=\"11\">"
        s += "<title>\(Chart.escaped(title))</title>"
        s += "<text x=\"0\" y=\"15\" font-weight=\"bold\" font-size=\"13\">\(Chart.escaped(Chart.short(title, 26)))</text>"
        s += "<line x1=\"10\" y1=\"\(base)\" x2=\"\(max(1, bins.count) * slot + 10)\" y2=\"\(base)\" stroke=\"#444\"/>"
        for (i, bin) in bins.enumerated() {
            let h = Int((Double(bin.count) * Double(Self.barArea) / Double(most)).rounded())
            let x = 10 + i * slot
            s += "<rect x=\"\(x + 4)\" y=\"\(base - h)\" width=\"\(slot - 8)\" height=\"\(h)\" fill=\"#\(Chart.color(6))\"><title>\(Chart.escaped(bin.label)) \(bin.count) 人</title></rect>"
            s += "<text x=\"\(x + slot / 2)\" y=\"\(base - h - 4)\" text-anchor=\"middle\">\(bin.count)</text>"
            s += "<text x=\"\(x + slot / 2)\" y=\"\(base + 16)\" text-anchor=\"middle\">\(Chart.escaped(bin.label))</text>"
        }
        return s + "</svg>"
    }
}

extension CampaignGrading {
    /// 等次分布 of `units` per category: how many teams and how many cadres stand at each grade (people's decisions
    /// included, as graded), one bar per category; cadres not graded (not assessed, not yet graded) are counted apart.
    func gradeDistribution(policy: Policy, units: [CampaignRoster.UnitPart]) -> [BarChart] {
        var categories: [String] = []
        for u in units where !categories.contains(u.category) { categories.append(u.category) }
        let shown = Set(units.map(\.code))
        let unitCategory = Dictionary(units.map { ($0.code, $0.category) }) { a, _ in a }
        let ungraded = "未评定"
        func chart(_ title: String, _ scale: [String], _ subjects: [(category: String, grade: String?)]) -> BarChart? {
            guard !subjects.isEmpty else { return nil }
            let series = scale + (subjects.contains { $0.grade == nil } ? [ungraded] : [])
            var counts = Dictionary(uniqueKeysWithValues: categories.map { ($0, [Int](repeating: 0, count: series.count)) })
            for s in subjects {
                let k = s.grade.flatMap { scale.firstIndex(of: $0) } ?? series.count - 1
                counts[s.category]?[k] += 1
            }
            return BarChart(title: title, series: series, rows: categories.compactMap { c in
                counts[c].flatMap { $0.reduce(0, +) > 0 ? .init(label: c, values: $0) : nil }
            }, scale: .counts)
        }
        let teams = roster.cadresOnly ? [] : dataset.teams.indices.compactMap { i -> (String, String?)? in
            unitCategory[dataset.teams[i].id].map { ($0, result.teams[i].grade) }
        }
        let cadres = dataset.cadres.indices.compactMap { i -> (String, String?)? in
            guard shown.contains(dataset.cadres[i].team), result.cadres[i].status != .notAssessed else { return nil }
            return unitCategory[dataset.cadres[i].team].map { ($0, result.cadres[i].grade) }
        }
        return [chart("领导班子等次分布（按单位类别）", policy.teamScale.grades, teams),
                chart("领导干部等次分布（按单位类别）", policy.cadreScale.grades, cadres)].compactMap { $0 }
    }
}
