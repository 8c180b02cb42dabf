import Fluent
import OfficeDocuments
import SQLKit
import Vapor

/// 花名册: the .xlsx template, the import page (all or nothing, every problem listed), the export of the
/// cadre list (current filters, the account's scope).
struct RosterController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.rosterTemplate, use: Self.template)
        routes.get(.rosterImport, use: Self.importForm)
        // The upload: role first, then the CSRF token with the upload limit, then the body (see CSRFMiddleware).
        routes.grouped(RequireRegistryEditor(), CSRFMiddleware(maxBodySize: maxUploadBytes))
            .post(.rosterImport, body: .collect(maxSize: ByteCount(value: maxUploadBytes)), use: Self.upload)
        routes.get(.rosterPreview, use: Self.preview)
        routes.get(.rosterPreviewWorkbook, use: Self.previewWorkbook)
        routes.post(.rosterConfirm, use: Self.confirm)
        routes.post(.rosterDiscard, use: Self.discard)
        routes.get(.rosterExport, use: Self.export)
    }

    // MARK: Template

    /// The columns of the 干部 sheet in template order.
    static let cadreColumns: [RosterColumn] = RosterColumn.allCases

    /// Rows of the template's 干部 sheet that offer the drop-down lists.
    static let templateRows = 20_000

    /// The template workbook: 干部 (headers + example row), 单位 (headers + example row), 说明.
    static func templateWorkbook() throws -> Data {
        var wb = XLSXWorkbook()
        wb.title = "干部花名册导入模板"
        let example: [RosterColumn: CellValue] = [
            .code: "示例0001", .name: "张三", .gender: "男", .birthDate: .date(year: 1978, month: 5, day: 12),
            .politicalStatus: "中共党员", .education: "大学本科", .rank: "正科", .unitCode: "示例01", .unitName: "示例镇",
            .title: "党委书记", .orderNumber: 100, .principal: "是", .mainDuty: "主职", .startDate: .date(year: 2021, month: 9, day: 1),
            .underInvestigation: "否", .villageTeam: "否", .awaitingAssignment: "否", .year: 2025, .leaveDays: 0,
        ]
        wb.addSheet(name: RosterSheet.cadres, rows: [
            cadreColumns.map { .text($0.templateHeader) },
            cadreColumns.map { example[$0] ?? .empty },
        ], lists: cadreColumns.enumerated().compactMap { index, column in
            column.choices.map { XLSXWorkbook.ListValidation(column: index, options: $0, rows: 2...templateRows) }
        })
        wb.addSheet(name: RosterSheet.units, rows: [
            RosterUnitColumn.allCases.map { .text($0.rawValue) },
            ["示例01", "示例镇", "乡镇街道", ""],
        ])
        var help: [[CellValue]] = [["工作表", "列名", "说明"]]
        help += cadreColumns.map { [.text(RosterSheet.cadres), .text($0.rawValue), .text($0.explanation)] }
        help += RosterUnitColumn.allCases.map { [.text(RosterSheet.units), .text($0.rawValue), .text($0.explanation)] }
        help += [
            ["通用", "示例行", .text("干部编号或单位编码以「示例」开头的行是填写示例，导入时跳过，可以删除。")],
            ["通用", "表头", "第一行必须是表头；列的顺序可以调整，列名两侧的空格和全角字符不影响识别。"],
            ["通用", "全部或全不", "文件中任何一行有错，整个文件都不导入，并列出每一处问题（第 N 行「列名」：原因）；改正后重新导入即可。"],
            ["通用", "先预览后导入", "上传后先显示预览：每位干部改动的字段（原值 → 新值）、新任和结束的职务、新增的单位，以及需要核对的提醒；点击「确认导入」才写入。"],
            ["通用", "旧文件", "文件中的职务早于系统中已记录的任免（如已结束的职务、晚于文件任职日期的现任主职）时，该行职务不导入并提示；文件保存后系统中又修改过的干部信息，预览中会提示。"],
            ["通用", "重新导入", "按干部编号更新已有干部，不会重复新增；现任主职变化时，原主职以新的任职日期结束，职务历史保留。"],
            ["通用", "空白与清空", .text("已有干部的空白单元格表示「不修改」，系统中原有的值保留；要清除某项（如退休日期），在单元格中填「\(CadreRules.clearMarker)」。姓名、性别不能清空，新干部必须填写。")],
            ["通用", "CSV", "也可以导入 CSV 文件（只含「干部」工作表的列），UTF-8 或 GBK/GB18030 编码均可。"],
        ]
        wb.addSheet(name: RosterSheet.help, rows: help, columnWidths: [10, 16, 90])
        return try wb.data()
    }

    @Sendable static func template(req: Request) async throws -> Response {
        try req.requireRegistryEditor()
        return xlsxResponse(try templateWorkbook(), filename: "干部花名册导入模板.xlsx")
    }

    static func xlsxResponse(_ data: Data, filename: String) -> Response { Response.xlsx(data, filename: filename) }

    // MARK: Import

    /// The import form (and, after an import, what it did). A rejected file is shown by the error middleware:
    /// every problem, nothing written, a link back here.
    struct ImportPage: Encodable {
        var page: PageContext
        var summary: String?
        var filename: String?
        var mayImportUnits: Bool
        var templatePath = SiteRoute.rosterTemplate.path
        var action = SiteRoute.rosterImport.path
    }

    static func importPage(_ req: Request, summary: String? = nil, filename: String? = nil) -> ImportPage {
        ImportPage(page: PageContext(req, title: "花名册导入"), summary: summary, filename: filename, mayImportUnits: req.isDepartmentWide)
    }

    @Sendable static func importForm(req: Request) async throws -> View {
        try req.requireRegistryEditor()
        return try await req.view.render("roster/import", importPage(req))
    }

    // MARK: Export

    /// The export rows: the cadre list with the same filters and scope, in the template's 干部 layout (re-importable).
    /// 身份证号 only for the organisation department (`withIDNumbers`); a unit's export leaves the column blank, which a
    /// re-import reads as "keep".
    static func exportRows(_ rows: [CadreListRow], withIDNumbers: Bool = true, header: Bool = true) -> [[CellValue]] {
        let columns = cadreColumns.filter { ![.year, .leaveDays, .secondmentLevel, .secondmentHost, .secondmentMonths].contains($0) }
        var out: [[CellValue]] = header ? [columns.map { .text($0.templateHeader) }] : []
        out.reserveCapacity(rows.count + 1)
        func date(_ s: String?) -> CellValue {
            guard let s, s.count == 10, let y = Int(s.prefix(4)), let m = Int(s.dropFirst(5).prefix(2)), let d = Int(s.suffix(2)) else {
                return s.map { .text(SheetText.shownDate($0)) } ?? .empty  // a year and month as 「1978.05」
            }
            return .date(year: y, month: m, day: d)
        }
        func yesNo(_ b: Bool) -> CellValue { .text(b ? "是" : "否") }
        for r in rows {
            out.append(columns.map { c -> CellValue in
                switch c {
                case .code: .text(r.code)
                case .name: .text(r.name)
                case .gender: .text(r.gender)
                case .birthDate: date(r.birth_date)
                case .politicalStatus: .text(r.political_status)
                case .education: .text(r.education)
                case .rank: .text(r.rank)
                case .unitCode: r.unit_code.map { .text($0) } ?? .empty
                case .unitName: r.unit_name.map { .text($0) } ?? .empty
                case .title: r.title.map { .text($0) } ?? .empty
                case .orderNumber: r.order_number.map { .number(Double($0)) } ?? .empty
                case .principal: r.principal.map(yesNo) ?? .empty
                case .mainDuty: r.title == nil ? .empty : "主职"
                case .startDate: date(r.start_date)
                case .retiredOn: date(r.retired_on)
                case .underInvestigation: yesNo(r.under_investigation)
                case .villageTeam: yesNo(r.village_team)
                case .awaitingAssignment: yesNo(r.awaiting_assignment)
                case .idNumber: withIDNumbers ? .text(r.id_number) : .empty
                case .workStart, .partyJoined, .rankSince: date(r.record(c))
                default: r.record(c).map { .text($0) } ?? .empty
                }
            })
        }
        return out
    }

    /// The roster as .xlsx, streamed: the package and the header row go out at once (column widths from the list's
    /// first page), then the list's order is read and the rows follow in batches (`CadreQueries.forEachBatch`), each
    /// written and sent before the next is read — memory stays flat. A failure after the first byte (the database gone)
    /// can only cut the download short, which no spreadsheet program opens.
    @Sendable static func export(req: Request) async throws -> Response {
        let scope = try await req.requireRegistryScope()
        let filter = CadreFilter(query: req.query)
        let today = req.clock.today.description
        let withIDNumbers = req.isDepartmentWide
        let (sql, cache) = (req.sql, req.application.cadreListCache)
        let sample = try await CadreQueries.list(filter, scopeUnits: scope.unitIDs, page: 1, today: today, cache: cache, on: sql).rows
        let widths = XLSXWorkbook.estimatedWidths(exportRows(sample, withIDNumbers: withIDNumbers))
        let response = Response(status: .ok, body: .init(managedAsyncStream: { writer in
            let sheet = XLSXSheetStream(title: "干部花名册", sheetName: RosterSheet.cadres, headerRows: 1, columnWidths: widths) { data in
                try await writer.writeBuffer(ByteBuffer(data: data))
            }
            try await sheet.append(exportRows([], withIDNumbers: withIDNumbers))
            try await CadreQueries.forEachBatch(filter, scopeUnits: scope.unitIDs, today: today, cache: cache, on: sql) { rows in
                try await sheet.append(exportRows(rows, withIDNumbers: withIDNumbers, header: false))
            }
            try await sheet.finish()
        }))
        response.attachXLSX(filename: "干部花名册-\(today).xlsx")
        return response
    }
}
