/// Checks of typed or imported text shared by the forms.
enum TextChecks {
    /// Whether a text holds a control character other than a line break or tab (a NUL is refused by PostgreSQL; an
    /// .xlsx cell's `_x0000_` decodes to one).
    static func hasControl(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0.properties.generalCategory == .control && !["\n", "\r", "\t"].contains($0) }
    }
}
