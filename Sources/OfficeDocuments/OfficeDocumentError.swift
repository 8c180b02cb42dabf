import Foundation

/// Errors raised while reading or writing office documents. `description` is Chinese and meant
/// to be shown to the person who uploaded or requested the file.
public enum OfficeDocumentError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The data is not a ZIP package. `format` is e.g. ".xlsx".
    case notAZipFile(format: String)
    /// The data is an OLE compound file: a legacy .xls/.doc or a password-protected file.
    case legacyOrEncryptedFile(format: String)
    /// A required part is missing from the package, e.g. `xl/workbook.xml`.
    case missingPart(String)
    /// A part could not be parsed.
    case malformedPart(part: String, detail: String)
    /// No sheet with this name.
    case sheetNotFound(String)
    /// `sheetIndex` is outside `0..<count`.
    case sheetIndexOutOfRange(index: Int, count: Int)
    /// CSV text could not be decoded with the detected encoding.
    case undecodableText(encoding: String)
    /// Writing the package failed.
    case writeFailed(String)
    /// The caller passed something that cannot be written (e.g. a table without columns).
    case invalidInput(String)
    /// The file would cost more to read than `OfficeLimits` allow (a zip bomb, too many parts, a huge row).
    case tooLarge(String)

    public var description: String {
        switch self {
        case .notAZipFile(let format):
            return "不是有效的 \(format) 文件（无法按 ZIP 压缩包打开），请确认文件未损坏且扩展名正确"
        case .legacyOrEncryptedFile(let format):
            return "不是有效的 \(format) 文件：这是旧版 Office 格式（.xls/.doc）或已加密的文件，请在 Excel/WPS 中取消密码并另存为 \(format) 后再试"
        case .missingPart(let part):
            return "文件缺少必需的部件 \(part)，可能已损坏"
        case .malformedPart(let part, let detail):
            return "文件中的 \(part) 格式有误：\(detail)"
        case .sheetNotFound(let name):
            return "找不到工作表「\(name)」"
        case .sheetIndexOutOfRange(let index, let count):
            return "找不到第 \(index + 1) 个工作表（文件中共有 \(count) 个工作表）"
        case .undecodableText(let encoding):
            return "无法按 \(encoding) 编码读取文本，请将文件另存为 UTF-8 或 GB18030 编码的 CSV"
        case .writeFailed(let detail):
            return "生成文件失败：\(detail)"
        case .invalidInput(let detail):
            return "无法生成文件：\(detail)"
        case .tooLarge(let detail):
            return "文件超出可读取的限度：\(detail)。请确认文件未损坏，或拆分为几个较小的文件后再导入"
        }
    }

    public var errorDescription: String? { description }
}
