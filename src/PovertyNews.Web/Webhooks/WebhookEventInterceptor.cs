using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Webhooks;

/// <summary>
/// Records webhook events in the save that causes them, whatever code saves (workflow, editor, scheduler, importer):
/// the event rows commit or roll back with the article, so an event exists exactly when the change does, and the
/// sender finds it after a restart. Visibility is compared before and after the save at the clock's now. A scheduled
/// report or a 下线时间 coming due changes nothing until the publishing job saves it (CompleteSchedule,
/// CompleteOffline), which one node does under its lock; the unique event key is the backstop.
/// </summary>
public sealed class WebhookEventInterceptor(
    TimeProvider time,
    IConfiguration configuration,
    IHttpContextAccessor http,
    ILogger<WebhookEventInterceptor> logger) : SaveChangesInterceptor, ISaveInterceptor
{
    public SaveStage Stage => SaveStage.InTransaction;

    /// <summary>What readers (and receivers) see of a report: a change of any of these on a visible report is article.updated.</summary>
    internal static readonly HashSet<string> ReaderFacing =
    [
        nameof(Article.Title), nameof(Article.Subtitle), nameof(Article.Summary), nameof(Article.BodyHtml), nameof(Article.Slug),
        nameof(Article.ChannelId), nameof(Article.Source), nameof(Article.ReprintedFrom), nameof(Article.Author),
        nameof(Article.ResponsibleEditor), nameof(Article.CoverImageUrl), nameof(Article.CoverImageAlt), nameof(Article.Kind),
        nameof(Article.VideoUrl), nameof(Article.VideoPosterUrl), nameof(Article.CorrectionNote), nameof(Article.ContactHotline),
        nameof(Article.ContactWeChat),
    ];

    /// <summary>Reports added already visible (the importer): their ids exist only after the insert.</summary>
    private readonly ConditionalWeakTable<DbContext, List<Article>> _added = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is NewsDbContext db)
        {
            await CollectAsync(db, cancellationToken);
        }
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is NewsDbContext db && _added.TryGetValue(db, out var added))
        {
            _added.Remove(db);
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var article in added)
            {
                await AddEventAsync(db, article, WebhookEventTypes.Published, $"{article.PublishedAt!.Value.Ticks}", now, cancellationToken);
            }
            // A second save inside the first one's transaction (NewsDbContext opens one around a save that adds a live
            // report), so the event commits with the report.
            await db.SaveChangesAsync(cancellationToken);
        }
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        _added.Remove(eventData.Context!);
        // A refused save (a conflict the caller may retry) must not leave its events waiting to go out with the next one.
        foreach (var entry in eventData.Context!.ChangeTracker.Entries<WebhookEvent>().Where(e => e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }
        return Task.CompletedTask;
    }

    private async Task CollectAsync(NewsDbContext db, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var retagged = RetaggedArticleIds(db);
        foreach (var entry in db.ChangeTracker.Entries<Article>().ToList())
        {
            if (entry.State == EntityState.Added)
            {
                if (entry.Entity.Status == ArticleStatus.Published && entry.Entity.IsVisibleAt(now))
                {
                    _added.GetOrCreateValue(db).Add(entry.Entity);
                }
                continue;
            }
            if (entry.State == EntityState.Modified && Classify(entry, now) is { } found)
            {
                await AddEventAsync(db, entry.Entity, found.Type, found.Discriminator, now, ct);
            }
            else if (entry.State is EntityState.Modified or EntityState.Unchanged && retagged.Contains(entry.Entity.Id)
                && entry.Entity.IsVisibleAt(now) && WasVisible(entry, now))
            {
                // Tags are on the page and in the feed: a live report whose tags alone changed is updated too. An
                // unchanged row has no new version, so the save's own id tells this save from the next.
                var discriminator = entry.State == EntityState.Modified ? entry.Entity.Version.ToString("N") : "tags-" + Guid.NewGuid().ToString("N");
                await AddEventAsync(db, entry.Entity, WebhookEventTypes.Updated, discriminator, now, ct);
            }
        }
    }

    /// <summary>Reports that gain or lose a tag in this save (rows of the ArticleTags join).</summary>
    private static HashSet<int> RetaggedArticleIds(NewsDbContext db) =>
        db.ChangeTracker.Entries<Dictionary<string, object>>()
            .Where(e => e.Metadata.Name == "ArticleTags" && e.State is EntityState.Added or EntityState.Deleted)
            .Select(e => e.Entity.TryGetValue("ArticlesId", out var id) && id is int articleId ? articleId : 0)
            .Where(id => id > 0)
            .ToHashSet();

    private static bool WasVisible(EntityEntry<Article> entry, DateTime now) => Article.IsVisible(entry.Property(a => a.Status).OriginalValue,
        entry.Property(a => a.PublishedAt).OriginalValue, entry.Property(a => a.OfflineAt).OriginalValue, now);

    /// <summary>What a save did to a report, at most one event: expiry, withdrawal, publication, then an edit.</summary>
    internal static (string Type, string Discriminator)? Classify(EntityEntry<Article> entry, DateTime now)
    {
        var article = entry.Entity;
        var formerStatus = entry.Property(a => a.Status).OriginalValue;
        var wasVisible = WasVisible(entry, now);
        var isVisible = article.IsVisibleAt(now);
        // The version stamped for this save (NewsDbContext) tells one save's event from the next one's.
        var version = article.Version.ToString("N");
        if (entry.Property(a => a.WentOfflineAt).OriginalValue is null && article.WentOfflineAt is not null)
        {
            return (WebhookEventTypes.Expired, $"{article.OfflineAt?.Ticks}");
        }
        if (article.Status == ArticleStatus.Withdrawn && formerStatus != ArticleStatus.Withdrawn
            && (wasVisible || formerStatus == ArticleStatus.Published))
        {
            return (WebhookEventTypes.Withdrawn, version);
        }
        if (article.Status == ArticleStatus.Published && isVisible && !(formerStatus == ArticleStatus.Published && wasVisible))
        {
            // The first publication is keyed by its time, so two nodes completing one schedule make one event;
            // coming back online after a 下线时间 was cancelled is a new publication of the same time.
            return (WebhookEventTypes.Published, formerStatus == ArticleStatus.Published ? version : $"{article.PublishedAt!.Value.Ticks}");
        }
        if (wasVisible && isVisible && entry.Properties.Any(p => p.IsModified && ReaderFacing.Contains(p.Metadata.Name)
                && !Equals(p.OriginalValue, p.CurrentValue)))
        {
            return (WebhookEventTypes.Updated, version);
        }
        return null;
    }

    private async Task AddEventAsync(NewsDbContext db, Article article, string type, string discriminator, DateTime now, CancellationToken ct)
    {
        var key = $"{type}:{article.Id}:{discriminator}";
        // Insert-if-absent inside the save's transaction; a unique violation would fail the article's own save.
        if (db.WebhookEvents.Local.Any(e => e.Key == key) || await db.WebhookEvents.AnyAsync(e => e.Key == key, ct))
        {
            logger.LogDebug("Webhook event {EventKey} already recorded", key);
            return;
        }
        var baseUrl = BaseUrl();
        var channel = await db.Channels.AsNoTracking().Where(c => c.Id == article.ChannelId)
            .Select(c => new { c.Slug, c.Name }).SingleOrDefaultAsync(ct);
        var url = baseUrl + PublicUrls.Article(article.Id, article.Slug);
        List<string> urls = [url];
        WebhookChannel? channelInfo = null;
        if (channel is not null)
        {
            channelInfo = new WebhookChannel(channel.Slug, channel.Name, baseUrl + PublicUrls.Channel(channel.Slug));
            urls.Add(channelInfo.Url);
            urls.Add(baseUrl + PublicUrls.ChannelFeed(channel.Slug));
        }
        urls.Add(baseUrl + "/");
        urls.Add(baseUrl + "/feed.xml");
        var payload = new WebhookPayload(key, type, now,
            new WebhookArticle(article.Id, article.Title, url, channelInfo, article.PublishedAt, article.UpdatedAt), urls);
        db.WebhookEvents.Add(new WebhookEvent
        {
            Key = key,
            Type = type,
            ArticleId = article.Id,
            Payload = payload.ToJson(),
            OccurredAt = now,
        });
    }

    /// <summary>The configured public address, else the request's; a background job without either sends paths only.</summary>
    private string BaseUrl() =>
        configuration[PublicBaseUrlKey] is { Length: > 0 } configured ? configured.Trim().TrimEnd('/')
        : http.HttpContext is { } context ? PublicOrigin.Of(context).BaseUrl
        : "";

    public const string PublicBaseUrlKey = "PovertyNews:PublicBaseUrl";
}
