import Fluent
import SQLKit

/// 008: the fields of a 干部任免审批表 — 民族, 籍贯, 出生地, 参加工作时间, 入党时间, 任现职级时间, 全日制/在职 学历 and 学位,
/// 身份证号. Text, empty when not known (dates as `yyyy-MM-dd` or `yyyy-MM`).
struct AddCadreRecordFields: AsyncMigration {
    static let columns = ["ethnicity", "native_place", "birth_place", "work_start", "party_joined", "rank_since",
                          "full_time_education", "full_time_degree", "part_time_education", "part_time_degree", "id_number"]

    func prepare(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for column in Self.columns {
            try await sql.raw("ALTER TABLE cadres ADD COLUMN \(unsafeRaw: column) VARCHAR(64) NOT NULL DEFAULT ''").run()
        }
    }

    func revert(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for column in Self.columns.reversed() { try await sql.raw("ALTER TABLE cadres DROP COLUMN \(unsafeRaw: column)").run() }
    }
}
