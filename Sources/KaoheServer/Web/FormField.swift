import AssessmentCore
import Fluent
import Vapor

/// Reading a submitted form's fields the same way on every page: trimmed, bounded and named in Chinese when wrong; a
/// blank is nil (so a blank never erases a stored value).
enum FormField {
    /// A field of the form, trimmed and bounded; nil when blank (a problem too when `required`).
    static func text(_ value: String?, _ label: String, max: Int, required: Bool = false, problems: inout [String]) -> String? {
        let v = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !v.isEmpty else {
            if required { problems.append("「\(label)」必填。") }
            return nil
        }
        if v.count > max { problems.append("「\(label)」不超过 \(max) 字（现 \(v.count) 字）。"); return nil }
        return v
    }

    static func day(_ value: String?, _ label: String, year: ClosedRange<Int>, problems: inout [String]) -> Day? {
        let v = (value ?? "").trimmingCharacters(in: .whitespaces)
        guard !v.isEmpty else { return nil }
        guard v.count <= 10, let d = Day(v), year.contains(d.components.year) else {
            problems.append("「\(label)」应为日期，如 2026-05-20（\(year.lowerBound)—\(year.upperBound) 年）。"); return nil
        }
        return d
    }

    /// A unit chosen by id (the drop-down) or typed by 编码.
    static func unit(_ value: String?, on req: Request) async throws -> Unit? {
        let v = (value ?? "").trimmingCharacters(in: .whitespaces)
        guard !v.isEmpty, v.count <= 64 else { return nil }
        if let id = UUID(uuidString: v) { return try await Unit.find(id, on: req.db) }
        return try await Unit.query(on: req.db).filter(\.$code == v).first()
    }
}
