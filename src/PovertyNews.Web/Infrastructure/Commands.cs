using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Import;

namespace PovertyNews.Web.Infrastructure;

/// <summary>Command-line verbs run instead of the web server: <c>dotnet run --project src/PovertyNews.Web -- import content</c>.</summary>
public static class Commands
{
    private static readonly string[] Verbs = ["import"];

    /// <summary>The verb in <paramref name="args"/>, if any; the web host must not see it as configuration.</summary>
    public static string? Find(string[] args) =>
        args.Length > 0 && Verbs.Contains(args[0], StringComparer.OrdinalIgnoreCase) ? args[0].ToLowerInvariant() : null;

    public static async Task<int> RunAsync(WebApplication app, string verb, string[] args)
    {
        var output = Console.Out;
        switch (verb)
        {
            case "import":
                if (args.Length < 2)
                {
                    await Console.Error.WriteLineAsync("usage: import <folder>");
                    return 2;
                }
                return await ImportAsync(app, Path.GetFullPath(args[1]), output);
            default:
                return 2;
        }
    }

    private static async Task<int> ImportAsync(WebApplication app, string folder, TextWriter output)
    {
        if (!Directory.Exists(folder))
        {
            await Console.Error.WriteLineAsync($"import: folder '{folder}' does not exist");
            return 2;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        await db.Database.MigrateAsync();
        await SqliteDatabase.PrepareAsync(db, CancellationToken.None);
        var report = await scope.ServiceProvider.GetRequiredService<ContentImporter>().ImportAsync(folder);

        foreach (var slug in report.ChannelsAdded)
        {
            await output.WriteLineAsync($"channel added: {slug}");
        }
        foreach (var file in report.Added)
        {
            await output.WriteLineAsync($"added:     {file}");
        }
        foreach (var file in report.Updated)
        {
            await output.WriteLineAsync($"updated:   {file}");
        }
        foreach (var rejection in report.Rejected)
        {
            await output.WriteLineAsync($"rejected:  {rejection.Path}: {rejection.Reason}");
        }
        await output.WriteLineAsync(
            $"{report.Added.Count} added, {report.Updated.Count} updated, {report.Unchanged.Count} unchanged, {report.Rejected.Count} rejected");
        return report.Rejected.Count == 0 ? 0 : 1;
    }
}
