using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Search;

/// <summary>
/// Keeps the search index in the same transaction as the articles: whatever saves an article (editor, review,
/// scheduler, importer) makes the index agree before the commit, so a published article is found on the next
/// request and a withdrawn one is gone at once. Only changes to searched fields cost an index write.
/// </summary>
public sealed class SearchIndexInterceptor(ISearchIndex index) : SaveChangesInterceptor, ISaveInterceptor
{
    public SaveStage Stage => SaveStage.InTransaction;

    /// <summary>The Article properties <see cref="SearchSource"/> reads; ArticleFieldListsTests keeps the two in step.</summary>
    internal static readonly HashSet<string> IndexedProperties =
    [
        nameof(Article.Title), nameof(Article.Subtitle), nameof(Article.Summary), nameof(Article.BodyHtml),
        nameof(Article.Source), nameof(Article.Author), nameof(Article.ChannelId), nameof(Article.Kind),
        nameof(Article.Status), nameof(Article.PublishedAt), nameof(Article.CreatedAt), nameof(Article.OwnerId),
        nameof(Article.WentOfflineAt),
    ];

    private sealed class Pending
    {
        public HashSet<int> Ids { get; } = [];
        public List<Article> Added { get; } = [];
        public List<int> MovedChannels { get; } = [];
        public IDbContextTransaction? OwnTransaction { get; set; }
    }

    private readonly ConditionalWeakTable<DbContext, Pending> pending = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is NewsDbContext db && Collect(db) is { } work)
        {
            if (db.Database.CurrentTransaction is null)
            {
                work.OwnTransaction = await db.Database.BeginTransactionAsync(cancellationToken);
            }
            pending.AddOrUpdate(db, work);
        }
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is NewsDbContext db && pending.TryGetValue(db, out var work))
        {
            pending.Remove(db);
            try
            {
                foreach (var article in work.Added)
                {
                    work.Ids.Add(article.Id);
                }
                if (work.MovedChannels.Count > 0)
                {
                    // Facets name every ancestor channel, so a moved channel re-indexes everything beneath it.
                    var channels = await db.Channels.AsNoTracking().Select(c => new { c.Id, c.ParentId }).ToListAsync(cancellationToken);
                    var subtree = new HashSet<int>(work.MovedChannels);
                    for (var grew = true; grew;)
                    {
                        grew = false;
                        foreach (var c in channels.Where(c => c.ParentId is { } p && subtree.Contains(p)))
                        {
                            grew |= subtree.Add(c.Id);
                        }
                    }
                    work.Ids.UnionWith(await db.Articles.Where(a => subtree.Contains(a.ChannelId)).Select(a => a.Id).ToListAsync(cancellationToken));
                }
                await index.UpdateAsync(db, work.Ids, cancellationToken);
                if (work.OwnTransaction is { } transaction)
                {
                    await transaction.CommitAsync(cancellationToken);
                }
            }
            finally
            {
                if (work.OwnTransaction is { } transaction)
                {
                    await transaction.DisposeAsync();
                }
            }
        }
        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is NewsDbContext db && pending.TryGetValue(db, out var work))
        {
            pending.Remove(db);
            if (work.OwnTransaction is { } transaction)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        eventData.Context is NewsDbContext db && Collect(db) is not null
            ? throw new InvalidOperationException("Articles are saved with SaveChangesAsync so the search index can follow them.")
            : result;

    private static Pending? Collect(NewsDbContext db)
    {
        Pending? work = null;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.Entity)
            {
                case Article article when entry.State == EntityState.Added:
                    (work ??= new()).Added.Add(article);
                    break;
                case Article article when entry.State == EntityState.Deleted
                    || entry.State == EntityState.Modified && entry.Properties.Any(p => p.IsModified && IndexedProperties.Contains(p.Metadata.Name)):
                    (work ??= new()).Ids.Add(article.Id);
                    break;
                case Channel channel when entry.State == EntityState.Modified && entry.Property(nameof(Channel.ParentId)).IsModified:
                    (work ??= new()).MovedChannels.Add(channel.Id);
                    break;
                case Dictionary<string, object> join when entry.Metadata.Name == "ArticleTags"
                    && entry.State is EntityState.Added or EntityState.Deleted
                    && join.TryGetValue("ArticlesId", out var articleId) && articleId is int id && id > 0:
                    (work ??= new()).Ids.Add(id);
                    break;
            }
        }
        return work;
    }
}
