import AssessmentCore
import Fluent
import SQLKit
import Vapor

/// 考核档案: the organisation department searches every year's results (approved campaigns and imported earlier
/// years), exports what it found as .xlsx, and imports earlier years' results so the archive starts full.
struct ArchiveController: RouteCollection {
    static let maxUploadBytes = 10 << 20
    static let perPage = 50

    func boot(routes: any RoutesBuilder) throws {
        let department = routes.grouped(RequireRole(.admin, .organisationDepartment))
        department.get(.archive, use: Self.index)
        department.get(.archiveExport, use: Self.export)
        department.grouped(CSRFMiddleware(maxBodySize: Self.maxUploadBytes))
            .post(.archiveImport, body: .collect(maxSize: ByteCount(value: Self.maxUploadBytes)), use: Self.importResults)
    }

    static func query(_ req: Request) -> (Archive.Query, [(String, String)]) {
        func field(_ name: String) -> String { String((req.query[String.self, at: name] ?? "").trimmingCharacters(in: .whitespaces).prefix(50)) }
        let year = Int(field("year")).flatMap { (1990...2100).contains($0) ? $0 : nil }
        let q = Archive.Query(text: field("q"), unit: field("unit"), year: year, grade: field("grade"))
        return (q, [("q", q.text), ("unit", q.unit), ("year", year.map(String.init) ?? ""), ("grade", q.grade)])
    }

    struct Row: Encodable { var year: Int; var kind: String; var subject: String; var code: String; var name: String; var unit: String; var grade: String; var source: String }
    struct IndexPage: Encodable {
        var page: PageContext
        var q: String; var unit: String; var year: String; var grade: String
        var rows: [Row]; var total: Int; var pageNumber: Int; var pageCount: Int; var previous: String?; var next: String?
        var action: String; var export: String; var importAction: String; var columns: String; var notice: String?
    }

    @Sendable static func index(req: Request) async throws -> View {
        let (q, params) = query(req)
        let number = req.pageNumber
        let (entries, total) = try await Archive.search(q, limit: perPage, offset: (number - 1) * perPage, on: req.sql)
        let pages = max(1, (total + perPage - 1) / perPage)
        let path = SiteRoute.archive.path
        func page(_ n: Int) -> String { path + listQueryString(params + [("page", "\(n)")]) }
        return try await req.view.render("archive/index", IndexPage(
            page: PageContext(req, title: "考核档案"), q: q.text, unit: q.unit, year: q.year.map(String.init) ?? "", grade: q.grade,
            rows: entries.map { e in
                Row(year: e.year, kind: Archive.kindLabel(e.kind), subject: e.subject == "team" ? "班子" : "干部", code: e.code, name: e.name,
                    unit: e.unit, grade: e.grade ?? "—", source: e.source)
            },
            total: total, pageNumber: min(number, pages), pageCount: pages,
            previous: number > 1 ? page(min(number, pages) - 1) : nil, next: number < pages ? page(number + 1) : nil,
            action: path, export: SiteRoute.archiveExport.path + listQueryString(params), importAction: SiteRoute.archiveImport.path,
            columns: Archive.columns.joined(separator: "、"), notice: req.query[String.self, at: "imported"].map { "导入完成：\($0.prefix(60))" }))
    }

    @Sendable static func export(req: Request) async throws -> Response {
        var (q, _) = query(req)
        // Approved and imported results only: what the system derives from its own records (日常考核, 季度评价, 整改,
        // 专题报告) is read from them again, so the file imports back without doubling anything.
        q.excludedKinds = Archive.derivedKinds
        let (entries, _) = try await Archive.search(q, limit: 100_000, offset: 0, on: req.sql)
        return Response.xlsx(try Archive.workbook(entries, title: "考核档案").data(), filename: "考核档案.xlsx")
    }

    struct Upload: Content { var file: File? }

    /// Earlier years' results (.xlsx with the export's columns): all rows or none; a result of the same year, kind and
    /// subject is replaced. Audited with the file's name, SHA-256 and counts.
    @Sendable static func importResults(req: Request) async throws -> Response {
        guard let file = try req.content.decode(Upload.self).file, file.data.readableBytes > 0 else {
            throw RequestFailure.invalid("请选择要导入的 .xlsx 文件（列：\(Archive.columns.joined(separator: "、"))）。")
        }
        let data = Data(buffer: file.data)
        let rows: [Archive.Row]
        do { rows = try Archive.read(data) } catch let p as Archive.ImportProblems {
            throw RequestFailure.invalid(["文件「\(file.filename.prefix(80))」未导入（没有写入任何数据）："] + p.problems)
        } catch {
            throw RequestFailure.invalid("文件「\(file.filename.prefix(80))」不是可读取的 .xlsx 文件：\(error)")
        }
        let source = "导入：" + String(file.filename.prefix(100))
        let counts = try await req.audited { tx, audit in
            let counts = try await Archive.write(rows, source: source, on: tx as! any SQLDatabase)
            audit.record(.init(action: .create, entity: .campaign, entityID: "archive",
                               after: ["archiveImport": String(file.filename.prefix(100)), "sha256": CampaignWorkflow.sha256(data),
                                       "added": "\(counts.added)", "replaced": "\(counts.replaced)"]))
            return counts
        }
        return req.redirect(to: SiteRoute.archive.path + listQueryString([("imported", "新增 \(counts.added) 条，替换 \(counts.replaced) 条")]))
    }
}
