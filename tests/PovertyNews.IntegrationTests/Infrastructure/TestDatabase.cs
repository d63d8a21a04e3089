using PovertyNews.Web.Data;

namespace PovertyNews.IntegrationTests.Infrastructure;

/// <summary>
/// Which database the integration tests run on: SQLite unless the environment says
/// <c>PovertyNews__Database__Provider=PostgreSql</c> (the same setting the app reads), in which case every app gets a
/// database of its own in a private cluster (<see cref="PovertyNews.Testing.PostgresCluster"/>). A test that is about
/// one provider says so with <c>[Trait("Provider", "Sqlite")]</c> (or <c>"PostgreSql"</c>); the run on the other
/// provider leaves it out with <c>--filter "Provider!=Sqlite"</c>.
/// </summary>
public static class TestDatabase
{
    public static DatabaseProvider Provider { get; } =
        Environment.GetEnvironmentVariable("PovertyNews__Database__Provider") is { Length: > 0 } configured
            ? Enum.Parse<DatabaseProvider>(configured, ignoreCase: true)
            : DatabaseProvider.Sqlite;
}
