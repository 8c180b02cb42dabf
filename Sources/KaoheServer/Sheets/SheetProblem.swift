/// One problem of an uploaded sheet (or a form), reported as `第 N 行「列名」：原因` with N the spreadsheet row
/// number; a form's problems have no row and read `「字段」：原因`.
struct SheetProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// Spreadsheet row number (1-based, as Excel/WPS show it); 0 for problems of the whole file or of a form.
    var row: Int
    var column: String
    var message: String
    /// The sheet, when it is not the file's main sheet (e.g. 「单位」).
    var sheet: String?

    init(row: Int, column: String, message: String, sheet: String? = nil) {
        self.row = row; self.column = column; self.message = message; self.sheet = sheet
    }

    var description: String {
        let prefix = sheet.map { "「\($0)」工作表" } ?? ""
        if row == 0 { return "\(prefix)「\(column)」：\(message)" }
        return "\(prefix)第 \(row) 行「\(column)」：\(message)"
    }
}
