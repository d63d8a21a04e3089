using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Testing;
using PovertyNews.Web;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data.Postgres;
using PovertyNews.Web.Generate;
using PovertyNews.Web.Import;
using PovertyNews.Web.Infrastructure;
using PovertyNews.Web.Markdown;
using PovertyNews.Web.Operations.Backup;

namespace PovertyNews.IntegrationTests.Operations;

/// <summary>
/// <c>backup</c>, <c>backup --verify</c> and <c>restore</c> on a PostgreSQL site, run as the command line runs them
/// (the app built, not started, the verb run on it): the archive holds a pg_dump of the database with media/ and
/// keys/, and a restore into an empty database gives the same rows, sequences and files.
/// </summary>
[Trait("Provider", "PostgreSql")]
public sealed class PostgresBackupTests : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "povertynews-tests", "pgbackup-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _databases = [];

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_work);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var database in _databases)
        {
            PostgresCluster.Instance.DropDatabase(database);
        }
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<string> NewDatabaseAsync()
    {
        var name = "pnbk_" + Guid.NewGuid().ToString("N")[..16];
        _databases.Add(name);
        return await PostgresCluster.Instance.CreateDatabaseAsync(name);
    }

    /// <summary>The app as <c>dotnet PovertyNews.Web.dll &lt;verb&gt;</c> builds it, on a PostgreSQL database and a data folder.</summary>
    private static WebApplication CommandLineApp(string connectionString, string dataPath)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PovertyNews:DataPath"] = dataPath,
            ["PovertyNews:ContentPath"] = Path.Combine(NewsFactory.RepositoryRoot, "content"),
            ["PovertyNews:Database:Provider"] = "PostgreSql",
            ["ConnectionStrings:News"] = connectionString,
            ["PovertyNews:Backup:Enabled"] = "false",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        builder.AddPovertyNews();
        return builder.Build();
    }

    private static Task<(int Code, string Output, string Error)> RunAsync(WebApplication app, params string[] args) =>
        RunWithInputAsync(app, "", args);

    private static async Task<(int Code, string Output, string Error)> RunWithInputAsync(WebApplication app, string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Commands.RunAsync(app.Services, args[0], args, new StringReader(input), output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// A site's database with the sample content, generated articles with tags, a user; files in media/ and keys/.
    /// The rows go in through a context without the save pipeline, so this needs nothing of the search index.
    /// </summary>
    private async Task<(string ConnectionString, string DataPath)> SourceSiteAsync()
    {
        var connectionString = await NewDatabaseAsync();
        var dataPath = Path.Combine(_work, "source");
        await using (var app = CommandLineApp(connectionString, dataPath))
        {
            var options = new DbContextOptionsBuilder<PostgresNewsDbContext>();
            PostgresDatabase.Configure(options, connectionString);
            await using var db = new PostgresNewsDbContext(options.Options);
            await db.Database.MigrateAsync();
            using var scope = app.Services.CreateScope();
            var importer = new ContentImporter(db, scope.ServiceProvider.GetRequiredService<MarkdownRenderer>(),
                scope.ServiceProvider.GetRequiredService<IReaderTextGate>(), TimeProvider.System, NullLogger<ContentImporter>.Instance);
            await new CorpusGenerator(db, importer, TimeProvider.System, searchIndex: null)
                .RunAsync(new GenerateOptions(400, 3, 150, Path.Combine(NewsFactory.RepositoryRoot, "content")), TextWriter.Null, TextWriter.Null, redraw: false);
            var (code, _, error) = await RunWithInputAsync(app, "Xiangxi-2026-backup\n", "create-user", "--email", "chief@example.com", "--role", "总编辑");
            Assert.True(code == 0, error);
        }
        Directory.CreateDirectory(Path.Combine(dataPath, "media", "2026", "12"));
        await File.WriteAllBytesAsync(Path.Combine(dataPath, "media", "2026", "12", "a1b2c3.jpg"), [0xFF, 0xD8, 1, 2, 3, 0xFF, 0xD9]);
        Directory.CreateDirectory(Path.Combine(dataPath, "keys"));
        await File.WriteAllTextAsync(Path.Combine(dataPath, "keys", "key-1.xml"), "<key id=\"1\" />");
        return (connectionString, dataPath);
    }

    /// <summary>Every table's row count and a hash of its rows in key order, and where each sequence stands.</summary>
    private static async Task<List<string>> FingerprintAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var lines = new List<string>();
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand(
                $"""SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "{table}" t""", connection);
            lines.Add($"{table}: {await command.ExecuteScalarAsync()}");
        }
        await using (var sequences = new NpgsqlCommand("SELECT sequencename || ' ' || coalesce(last_value, 0) FROM pg_sequences ORDER BY sequencename", connection))
        await using (var reader = await sequences.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add("sequence " + reader.GetString(0));
            }
        }
        return lines;
    }

    /// <summary>Files a restore would have put in the data folder (the app itself makes the empty media/ folder).</summary>
    private static IEnumerable<string> FilesUnder(string dataPath) =>
        new[] { "media", "keys" }.Select(f => Path.Combine(dataPath, f)).Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*", SearchOption.AllDirectories));

    [Fact]
    public async Task Backup_VerifyAndRestoreIntoAnEmptyDatabase_SameRowsSequencesAndFiles()
    {
        var (source, sourceData) = await SourceSiteAsync();
        var file = Path.Combine(_work, "site.zip");

        await using (var app = CommandLineApp(source, sourceData))
        {
            var (code, output, error) = await RunAsync(app, "backup", file);
            Assert.True(code == 0, error + output);
            var (verifyCode, verifyOutput, verifyError) = await RunAsync(app, "backup", "--verify", file);
            Assert.True(verifyCode == 0, verifyError);
            Assert.Contains("sound", verifyOutput);
            Assert.Contains($"{400 + SampleContent.ArticleCount} articles", verifyOutput);
        }
        using (var zip = ZipFile.OpenRead(file))
        {
            Assert.Equal(
                ["keys/key-1.xml", "manifest.json", "media/2026/12/a1b2c3.jpg", "news.pgdump"],
                zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
            await using var dump = zip.GetEntry("news.pgdump")!.Open();
            var magic = new byte[5];
            await dump.ReadExactlyAsync(magic);
            Assert.Equal("PGDMP"u8.ToArray(), magic);
        }

        var target = await NewDatabaseAsync();
        var targetData = Path.Combine(_work, "restored");
        await using (var app = CommandLineApp(target, targetData))
        {
            var (code, output, error) = await RunAsync(app, "restore", file);
            Assert.True(code == 0, error);
            Assert.Contains("restored", output);
            Assert.Contains($"{400 + SampleContent.ArticleCount} articles", output);
        }

        Assert.Equal(await FingerprintAsync(source), await FingerprintAsync(target));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(sourceData, "media", "2026", "12", "a1b2c3.jpg")),
            await File.ReadAllBytesAsync(Path.Combine(targetData, "media", "2026", "12", "a1b2c3.jpg")));
        Assert.Equal("<key id=\"1\" />", await File.ReadAllTextAsync(Path.Combine(targetData, "keys", "key-1.xml")));
        // The restored site's next article gets the id after the restored ones.
        await using var connection = new NpgsqlConnection(target);
        await connection.OpenAsync();
        await using var next = new NpgsqlCommand("""SELECT nextval(pg_get_serial_sequence('"Articles"', 'Id')) = (SELECT max("Id") + 1 FROM "Articles")""", connection);
        Assert.True((bool)(await next.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task ScheduledBackup_WritesAndChecksADumpArchive()
    {
        var (source, sourceData) = await SourceSiteAsync();
        await using var app = CommandLineApp(source, sourceData);

        var attempt = await app.Services.GetRequiredService<BackupScheduler>().RunOnceAsync(CancellationToken.None);

        Assert.True(attempt.Succeeded, attempt.Error);
        Assert.StartsWith(Path.Combine(sourceData, "backups"), attempt.File);
        var check = await app.Services.GetRequiredService<BackupService>().VerifyAsync(attempt.File!);
        Assert.True(check.Ok, string.Join(" | ", check.Problems));
        Assert.True(check.Manifest!.IsPostgres);
        Assert.Equal(400 + SampleContent.ArticleCount, check.Manifest.Counts.Articles);
        Assert.Equal(1, check.Manifest.Counts.Users);
    }

    [Fact]
    public async Task Restore_IntoADatabaseWithTables_IsRefusedAndLeavesItAlone()
    {
        var (source, sourceData) = await SourceSiteAsync();
        var file = Path.Combine(_work, "site.zip");
        await using (var app = CommandLineApp(source, sourceData))
        {
            Assert.Equal(0, (await RunAsync(app, "backup", file)).Code);
        }
        var before = await FingerprintAsync(source);

        var targetData = Path.Combine(_work, "restored");
        await using (var app = CommandLineApp(source, targetData))
        {
            var (code, _, error) = await RunAsync(app, "restore", file);
            Assert.Equal(1, code);
            Assert.Contains("REFUSED", error);
            Assert.Contains("restore only into an empty database", error);
        }
        Assert.Equal(before, await FingerprintAsync(source));
        Assert.Empty(FilesUnder(targetData));
    }

    [Fact]
    public async Task Verify_DumpPgRestoreCannotRead_IsDamaged_AndRestoreWritesNothing()
    {
        var (source, sourceData) = await SourceSiteAsync();
        var file = Path.Combine(_work, "site.zip");
        await using (var app = CommandLineApp(source, sourceData))
        {
            Assert.Equal(0, (await RunAsync(app, "backup", file)).Code);
        }
        // A dump cut short, with a manifest that agrees: only pg_restore can tell.
        using (var zip = ZipFile.Open(file, ZipArchiveMode.Update))
        {
            byte[] cut;
            await using (var dump = zip.GetEntry("news.pgdump")!.Open())
            {
                var all = new MemoryStream();
                await dump.CopyToAsync(all);
                cut = all.ToArray()[..100];
            }
            zip.GetEntry("news.pgdump")!.Delete();
            await using (var entry = zip.CreateEntry("news.pgdump").Open())
            {
                await entry.WriteAsync(cut);
            }
            BackupManifest manifest;
            await using (var stream = zip.GetEntry("manifest.json")!.Open())
            {
                manifest = BackupManifest.Parse(stream)!;
            }
            manifest = manifest with
            {
                Files = manifest.Files.Select(f => f.Path == "news.pgdump"
                    ? f with { Size = cut.Length, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(cut)) }
                    : f).ToList(),
            };
            zip.GetEntry("manifest.json")!.Delete();
            await using (var entry = zip.CreateEntry("manifest.json").Open())
            {
                await entry.WriteAsync(manifest.ToJson());
            }
        }

        var target = await NewDatabaseAsync();
        var targetData = Path.Combine(_work, "restored");
        await using var restoring = CommandLineApp(target, targetData);
        var (verifyCode, _, verifyError) = await RunAsync(restoring, "backup", "--verify", file);
        Assert.Equal(1, verifyCode);
        Assert.Contains("pg_restore cannot read the dump", verifyError);
        var (code, _, error) = await RunAsync(restoring, "restore", file);
        Assert.Equal(1, code);
        Assert.Contains("pg_restore cannot read the dump", error);
        await using var connection = new NpgsqlConnection(target);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", connection);
        Assert.Equal(0L, await tables.ExecuteScalarAsync());
        Assert.Empty(FilesUnder(targetData));
    }
}
