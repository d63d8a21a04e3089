using Microsoft.AspNetCore.OutputCaching;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Caching;
using PovertyNews.Web.Cluster;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Search;

/// <summary>
/// Changes the synonym groups. Each change is saved with its audit entry, then the synonym table and the cached reader
/// searches are dropped on this node and every other, so the next search anywhere uses the change.
/// </summary>
public sealed class SynonymAdmin(
    NewsDbContext db,
    AuditLog audit,
    SynonymCache cache,
    IOutputCacheStore pages,
    IClusterBus cluster,
    TimeProvider time,
    ILogger<SynonymAdmin> logger)
{
    /// <summary>The form field refusals name.</summary>
    public const string WordsField = "Words";

    public static string Target(int id) => $"search-synonym:{id}";

    public async Task<Result> AddAsync(string? typed, Actor actor, CancellationToken ct)
    {
        if (await CheckAsync(typed, exceptId: null, ct) is { } refused)
        {
            return refused.Result;
        }
        var words = SynonymGroup.Join(SynonymGroup.Words(typed));
        var group = new SearchSynonym { Words = words, UpdatedAt = time.GetUtcNow().UtcDateTime };
        // The entry names the group by its id, which exists only after the insert: both in one transaction.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            db.SearchSynonyms.Add(group);
            await db.SaveChangesAsync(ct);
            audit.Add(AuditActions.SearchSynonymAdded, Target(group.Id), words);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await ChangedAsync(ct);
        logger.LogInformation("Synonym group {GroupId} ({Words}) added by {UserId}", group.Id, words, actor.UserId);
        return Result.Done($"已添加同义词组“{words}”。");
    }

    public async Task<Result> UpdateAsync(int id, string? typed, Actor actor, CancellationToken ct)
    {
        var group = await db.SearchSynonyms.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (group is null)
        {
            return Result.NotFound();
        }
        if (await CheckAsync(typed, exceptId: id, ct) is { } refused)
        {
            return refused.Result;
        }
        var words = SynonymGroup.Join(SynonymGroup.Words(typed));
        if (words == group.Words)
        {
            return Result.Unchanged($"同义词组“{words}”没有变化。");
        }
        audit.Add(AuditActions.SearchSynonymChanged, Target(id), $"{group.Words} → {words}");
        var old = group.Words;
        group.Words = words;
        group.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await ChangedAsync(ct);
        logger.LogInformation("Synonym group {GroupId} changed from {OldWords} to {Words} by {UserId}", id, old, words, actor.UserId);
        return Result.Done($"已把同义词组改为“{words}”。");
    }

    public async Task<Result> DeleteAsync(int id, Actor actor, CancellationToken ct)
    {
        var group = await db.SearchSynonyms.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (group is null)
        {
            return Result.NotFound();
        }
        db.SearchSynonyms.Remove(group);
        audit.Add(AuditActions.SearchSynonymDeleted, Target(id), group.Words);
        await db.SaveChangesAsync(ct);
        await ChangedAsync(ct);
        logger.LogInformation("Synonym group {GroupId} ({Words}) deleted by {UserId}", id, group.Words, actor.UserId);
        return Result.Done($"已删除同义词组“{group.Words}”。");
    }

    private sealed record Refusal(Result Result);

    /// <summary>The group's own rules, then that none of its words is already a word of another group.</summary>
    private async Task<Refusal?> CheckAsync(string? typed, int? exceptId, CancellationToken ct)
    {
        if (SynonymGroup.Check(typed, out var words) is { } error)
        {
            return new(Result.Refused(new InputError(WordsField, error)));
        }
        var others = await db.SearchSynonyms.AsNoTracking().Where(s => s.Id != exceptId).Select(s => s.Words).ToListAsync(ct);
        var owner = new Dictionary<string, (string Word, string Group)>(StringComparer.Ordinal);
        foreach (var other in others)
        {
            foreach (var word in SynonymGroup.Words(other))
            {
                owner.TryAdd(SynonymGroup.Key(word), (word, other));
            }
        }
        foreach (var word in words)
        {
            if (owner.TryGetValue(SynonymGroup.Key(word), out var taken))
            {
                return new(Result.Refused(new InputError(WordsField, taken.Word == word
                    ? $"“{word}”已在同义词组“{taken.Group}”中；一个词只能属于一组，请修改那一组。"
                    : $"“{word}”与同义词组“{taken.Group}”中的“{taken.Word}”检索时是同一个词；一个词只能属于一组，请修改那一组。")));
            }
        }
        return null;
    }

    /// <summary>
    /// The table first, then the cached searches: a search that starts after the eviction reads the new groups, and
    /// one that started before is not stored (the reader cache's store drops answers begun before an eviction). The
    /// store is reached through ASP.NET Core's interface, as features use one another. The other nodes do the same
    /// in the same order before this answer goes out.
    /// </summary>
    private async Task ChangedAsync(CancellationToken ct)
    {
        cache.Invalidate();
        await pages.EvictByTagAsync(CacheTags.Search, ct);
        await cluster.AnnounceAsync(new ClusterChange([CacheTags.Search], Synonyms: true), ct);
    }
}
