import Testing
@testable import LifelineStore

/// The two databases' schemas move together: a SQLite migration added without its PostgreSQL twin
/// (or the reverse) would leave one database behind the code.
@Suite("SQLite migrations and PostgreSQL scripts stay twins")
struct MigrationsTests {
    @Test("migrations 1–18 are PostgreSQL's first script; each later one has a PostgreSQL script of its own")
    func twins() {
        #expect(Migrations.upToPostgres.count == 18)
        #expect(Migrations.sincePostgres.count == PostgresSchema.all.count - 1)
        #expect(Migrations.all.count == Migrations.upToPostgres.count + Migrations.sincePostgres.count)
    }
}
