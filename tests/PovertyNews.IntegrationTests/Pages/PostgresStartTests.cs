using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Testing;
using PovertyNews.Web.Data;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// Several web nodes (or a restart racing another) start on one new PostgreSQL database at the same moment: the
/// migrations are applied once under EF Core's migration lock (an advisory lock on PostgreSQL, which the server
/// releases with the connection, so a killed start leaves nothing to clean up), the sample content is imported once,
/// and every node serves.
/// </summary>
[Trait("Provider", "PostgreSql")]
public sealed class PostgresStartTests : IDisposable
{
    private readonly string _database = "pn_start_" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<string> _folders = [];

    [Fact]
    public async Task ThreeNodesStartingAtOnceOnANewDatabase_MigrateAndImportOnce_AndAllServe()
    {
        var connectionString = await PostgresCluster.Instance.CreateDatabaseAsync(_database);
        var nodes = Enumerable.Range(0, 3).Select(_ => Node(connectionString)).ToList();
        try
        {
            // Touching Services builds and starts each host, which runs the start-up (migrations, import).
            await Task.WhenAll(nodes.Select(node => Task.Run(() => node.Services)));

            foreach (var node in nodes)
            {
                using var response = await node.CreateClient().GetAsync("/");
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            }
            await using var scope = nodes[0].Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            Assert.True(db.Database.IsNpgsql());
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var slugs = await db.Articles.Select(a => a.Slug).ToListAsync();
            var files = Directory.EnumerateFiles(Path.Combine(NewsFactory.RepositoryRoot, "content"), "*.md", SearchOption.AllDirectories).Count();
            Assert.Equal(files, slugs.Count);
            Assert.Equal(slugs.Count, slugs.Distinct().Count());
            Assert.Equal(db.Database.GetMigrations().Count(),
                await db.Database.SqlQueryRaw<int>("""SELECT count(*)::int AS "Value" FROM "__EFMigrationsHistory" """).SingleAsync());
        }
        finally
        {
            nodes.ForEach(n => n.Dispose());
        }
    }

    private WebApplicationFactory<Program> Node(string connectionString)
    {
        var folder = Path.Combine(Path.GetTempPath(), "povertynews-tests", Guid.NewGuid().ToString("N"));
        _folders.Add(folder);
        return new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseSetting("PovertyNews:DataPath", folder);
            b.UseSetting("PovertyNews:ContentPath", Path.Combine(NewsFactory.RepositoryRoot, "content"));
            b.UseSetting("PovertyNews:Backup:Enabled", "false");
            b.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            b.UseSetting("PovertyNews:Database:Provider", "PostgreSql");
            b.UseSetting("ConnectionStrings:News", connectionString);
        });
    }

    public void Dispose()
    {
        PostgresCluster.Instance.DropDatabase(_database);
        foreach (var folder in _folders.Where(Directory.Exists))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
