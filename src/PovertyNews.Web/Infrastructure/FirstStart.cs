using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Data;
using PovertyNews.Web.Data.Sqlite;
using PovertyNews.Web.Import;
using PovertyNews.Web.Newsroom;
using PovertyNews.Web.Reading;
using PovertyNews.Web.Search;

namespace PovertyNews.Web.Infrastructure;

public static class FirstStart
{
    /// <summary>Applies migrations and, into an empty database, imports the sample content.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<NewsDbContext>();
        var logger = services.GetRequiredService<ILogger<NewsDbContext>>();
        await db.Database.MigrateAsync(cancellationToken);
        await SqliteDatabase.PrepareAsync(db, cancellationToken);
        await services.GetRequiredService<ISearchIndex>().EnsureBuiltAsync(db, cancellationToken);

        var options = services.GetRequiredService<IOptions<PovertyNewsOptions>>().Value;
        await services.PrepareNewsroomAsync(options.Admin);
        if (!options.ImportContentOnFirstStart || await db.Articles.AnyAsync(cancellationToken) || await db.Channels.AnyAsync(cancellationToken))
        {
            return;
        }
        var folder = DataFolder.ResolveContentPath(options.ContentPath, app.Environment);
        if (folder is null)
        {
            logger.LogWarning("The database is empty and no content folder was found; set {Setting} to import sample content",
                "PovertyNews:ContentPath");
            return;
        }
        var report = await services.GetRequiredService<ContentImporter>().ImportAsync(folder, cancellationToken);
        foreach (var rejection in report.Rejected)
        {
            logger.LogWarning("Sample content {File} was not imported: {Reason}", rejection.Path, rejection.Reason);
        }
        services.GetRequiredService<PortalCache>().Invalidate();
    }
}
