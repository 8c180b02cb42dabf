import Vapor

extension Request {
    /// The `page` of a list URL, 1 when absent or not a number, and never so large that `(page - 1) × page size`
    /// could overflow (a hostile `?page=999999999999999999` used to trap the server).
    var pageNumber: Int {
        min(max(1, query[Int.self, at: "page"] ?? 1), Self.maxPageNumber)
    }

    static let maxPageNumber = 10_000_000
}

/// The query string of a list link: `?a=1&b=2` of the non-empty values, percent-encoded (a `+` kept as `%2B`, since
/// forms read `+` as a space); `""` when there is none.
func listQueryString(_ pairs: [(String, String)]) -> String {
    let items = pairs.filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
    var c = URLComponents()
    c.queryItems = items
    guard !items.isEmpty, let q = c.percentEncodedQuery else { return "" }
    return "?" + q.replacingOccurrences(of: "+", with: "%2B")
}

/// One page of a list held in memory: the page asked for (kept within 1…count), its items, and the links to the pages
/// beside it (`link(n)`: page n's address).
struct ListPage<Item> {
    var items: ArraySlice<Item>
    var number: Int
    var count: Int
    var previous: String?
    var next: String?

    init(_ all: [Item], perPage: Int, requested: Int, link: (Int) -> String) {
        count = max(1, (all.count + perPage - 1) / perPage)
        number = min(max(1, requested), count)
        items = all[min(all.count, (number - 1) * perPage)..<min(all.count, number * perPage)]
        previous = number > 1 ? link(number - 1) : nil
        next = number < count ? link(number + 1) : nil
    }
}
