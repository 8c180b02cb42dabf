import Vapor

extension Request {
    /// The `page` of a list URL, 1 when absent or not a number, and never so large that `(page - 1) × page size`
    /// could overflow (a hostile `?page=999999999999999999` used to trap the server).
    var pageNumber: Int {
        min(max(1, query[Int.self, at: "page"] ?? 1), Self.maxPageNumber)
    }

    static let maxPageNumber = 10_000_000
}
