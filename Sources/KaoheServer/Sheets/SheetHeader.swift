import OfficeDocuments

/// The columns of one kind of sheet (roster, scores, tallies…), named by their Chinese header.
protocol SheetColumn: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {}

extension SheetColumn {
    /// The case's position in declaration order — the tag of a fieldless enum — so that rows look columns up in
    /// an array: a `[Column: Int]` hashes the String raw value on every cell (a sixth of a roster's reading time).
    var caseIndex: Int {
        withUnsafeBytes(of: self) { bytes in bytes.isEmpty ? 0 : Int(bytes[0]) }
    }
}

/// Column → cell position, indexed by `caseIndex`.
struct ColumnPositions<Column: SheetColumn>: Sendable {
    private var slots = [Int](repeating: -1, count: Column.allCases.count)

    subscript(column: Column) -> Int? {
        get { let i = slots[column.caseIndex]; return i < 0 ? nil : i }
        set { slots[column.caseIndex] = newValue ?? -1 }
    }
}

/// Maps a header row to column positions by header name, in any column order.
struct SheetHeader<Column: SheetColumn>: Sendable {
    var positions = ColumnPositions<Column>()
    var problems: [SheetProblem] = []

    init(_ cells: [CellValue], row: Int, required: [Column], sheet: String?) {
        var seen: [String: Int] = [:]
        for (i, cell) in cells.enumerated() {
            let key = SheetText.headerKey(cell.textValue)
            guard let column = Column.allCases.first(where: { $0.rawValue == key }) else { continue }
            if let first = seen[key] {
                problems.append(SheetProblem(row: row, column: column.rawValue,
                                             message: "列名重复（第 \(first + 1) 列和第 \(i + 1) 列）", sheet: sheet))
                continue
            }
            seen[key] = i
            positions[column] = i
        }
        for column in required where positions[column] == nil {
            problems.append(SheetProblem(row: row, column: column.rawValue, message: "缺少必需的列（表头应有「\(column.rawValue)」）", sheet: sheet))
        }
    }

    func cell(_ column: Column, in cells: [CellValue]) -> CellValue {
        guard let i = positions[column], i < cells.count else { return .empty }
        return cells[i]
    }
}

/// One data row read by column, collecting its problems: the same reading for a spreadsheet row and a form
/// (whose fields are given as text cells), so that both report the same messages.
struct SheetRow<Column: SheetColumn> {
    let number: Int
    let sheet: String?
    private let cells: [CellValue]
    private let positions: ColumnPositions<Column>
    private(set) var problems: [SheetProblem] = []

    /// A spreadsheet row under its header.
    init(number: Int, cells: [CellValue], header: SheetHeader<Column>, sheet: String? = nil) {
        self.number = number; self.sheet = sheet; self.cells = cells; self.positions = header.positions
    }

    /// A form's fields (row 0: problems read `「字段」：原因`).
    init(form values: [Column: CellValue]) {
        number = 0; sheet = nil
        let entries = Array(values)
        cells = entries.map(\.value)
        var positions = ColumnPositions<Column>()
        for (i, entry) in entries.enumerated() { positions[entry.key] = i }
        self.positions = positions
    }

    var hasProblems: Bool { !problems.isEmpty }

    func cell(_ column: Column) -> CellValue {
        guard let i = positions[column], i < cells.count else { return .empty }
        return cells[i]
    }

    func text(_ column: Column) -> String { SheetText.text(cell(column)) }

    mutating func problem(_ column: Column, _ message: String) {
        problems.append(SheetProblem(row: number, column: column.rawValue, message: message, sheet: sheet))
    }

    mutating func required(_ column: Column) -> String {
        let s = text(column)
        if s.isEmpty { problem(column, "必填，不能为空") }
        return s
    }

    /// A day (`yyyy-MM-dd`); with `monthAllowed` also a year and month (`yyyy-MM`, for 出生年月 and the like).
    mutating func date(_ column: Column, monthAllowed: Bool = false) -> String? {
        parsed(column, SheetCell.date(cell(column), monthAllowed: monthAllowed))
    }

    /// 是/否; blank is 否.
    mutating func yesNo(_ column: Column) -> Bool {
        parsed(column, SheetCell.yesNo(cell(column))) ?? false
    }

    mutating func integer(_ column: Column, _ range: ClosedRange<Int>) -> Int? {
        parsed(column, SheetCell.integer(cell(column), range))
    }

    /// One of a few words (half-width, trimmed); blank gives `blank`. Otherwise `message` is the problem.
    mutating func choice<T>(_ column: Column, _ words: [String: T], blank: T, message: (String) -> String) -> T {
        let s = SheetText.halfWidth(text(column))
        if s.isEmpty { return blank }
        if let v = words[s] { return v }
        problem(column, message(s))
        return blank
    }

    private mutating func parsed<T>(_ column: Column, _ p: SheetCell.Parsed<T>) -> T? {
        switch p {
        case .empty: return nil
        case .value(let v): return v
        case .invalid(let why): problem(column, why); return nil
        }
    }
}
