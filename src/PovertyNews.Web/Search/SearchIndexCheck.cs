using System.Diagnostics;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;

namespace PovertyNews.Web.Search;

/// <summary>Where the start-up check of the search index stands.</summary>
public enum SearchIndexCheckPhase
{
    /// <summary>Not run yet (the site is starting, or <see cref="SearchOptions.CheckOnStart"/> is off).</summary>
    NotChecked,
    Checking,
    Repairing,
    /// <summary>The counts agreed; nothing was written.</summary>
    Consistent,
    /// <summary>A difference was repaired; <see cref="SearchIndexCheckState.After"/> says whether the counts now agree.</summary>
    Repaired,
    /// <summary>The check or the repair threw; <see cref="SearchIndexCheckState.Error"/> says what.</summary>
    Failed,
    /// <summary>
    /// The index was built by another analyzer version (<see cref="Text.ChineseText.AnalyzerVersion"/>) and is being
    /// rebuilt beside the one in use; searches use the old one until the swap.
    /// </summary>
    Rebuilding,
    /// <summary>The rebuild for a new analyzer version swapped in.</summary>
    Rebuilt,
}

/// <summary>
/// The last start-up check of the search index: the counts it found, what the repair did, when. Immutable, so a
/// reader (health checks, the status page) gets one consistent picture.
/// </summary>
public sealed record SearchIndexCheckState(
    SearchIndexCheckPhase Phase,
    SearchIndexCount? Before = null,
    SearchIndexCount? After = null,
    SearchIndexRepair? Repair = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? FinishedAt = null,
    string? Error = null)
{
    public bool Running => Phase is SearchIndexCheckPhase.Checking or SearchIndexCheckPhase.Repairing or SearchIndexCheckPhase.Rebuilding;

    /// <summary>The index agrees with the articles table as far as the last check knows.</summary>
    public bool Healthy => Phase is SearchIndexCheckPhase.Consistent or SearchIndexCheckPhase.Rebuilt
        || Phase is SearchIndexCheckPhase.Repaired && After is { Consistent: true };
}

/// <summary>The start-up check's state, for other features (health, the status page) to read.</summary>
public interface ISearchIndexStatus
{
    SearchIndexCheckState Current { get; }
}

/// <summary>Holds the state <see cref="SearchIndexCheck"/> writes; a singleton.</summary>
public sealed class SearchIndexStatus : ISearchIndexStatus
{
    private SearchIndexCheckState current = new(SearchIndexCheckPhase.NotChecked);

    public SearchIndexCheckState Current => Volatile.Read(ref current);

    internal void Set(SearchIndexCheckState state) => Volatile.Write(ref current, state);
}

/// <summary>
/// Once the site has started: compares the number of indexed articles with the articles table and, when they differ
/// (a killed <c>generate</c>, an index damaged or restored from elsewhere), logs both numbers and repairs the
/// difference in the background: the missing articles are indexed and the rows of deleted ones removed, while the
/// site serves. A full rebuild would cost minutes at a hundred thousand articles; a repair costs what differs.
/// </summary>
public sealed class SearchIndexCheck(
    IServiceScopeFactory scopes,
    ISearchIndex index,
    SearchIndexStatus status,
    IOptions<SearchOptions> options,
    TimeProvider time,
    StartupGate startup,
    ILogger<SearchIndexCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Neither the host's start nor its first answer waits for any of this.
        await Task.Yield();
        try
        {
            await startup.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await OwnThread.RunAsync(() => CheckAndRebuildAsync(stoppingToken));
    }

    private async Task CheckAndRebuildAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.CheckOnStart)
        {
            await WarnOfOldAnalyzerAsync(stoppingToken);
            return;
        }
        var checkedState = await CheckAsync(stoppingToken);
        if (checkedState.Phase != SearchIndexCheckPhase.Failed)
        {
            await RebuildForAnalyzerAsync(stoppingToken);
        }
    }

    /// <summary>
    /// Rebuilds the index when it was built by another analyzer version (this version folds traditional characters
    /// to simplified, the last one did not). The rebuild runs beside the index in use and swaps at the end, so the
    /// site serves searches throughout, from the old tokens until the swap: at a million articles that is about 20
    /// minutes (see the search benchmark), too long to hold the start for. Another process already rebuilding (a
    /// `reindex`, another node) is left to it.
    /// </summary>
    public async Task<SearchIndexCheckState?> RebuildForAnalyzerAsync(CancellationToken ct)
    {
        var state = status.Current;
        var watch = Stopwatch.StartNew();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var built = await index.AnalyzerVersionAsync(db, ct);
            if (built == Text.ChineseText.AnalyzerVersion)
            {
                return null;
            }
            logger.LogWarning(
                "The search index was built by analyzer version {Built} and this version of the site cuts words with version {Current}; rebuilding it in the background, beside the index in use",
                built, Text.ChineseText.AnalyzerVersion);
            status.Set(state = state with { Phase = SearchIndexCheckPhase.Rebuilding, StartedAt = time.GetUtcNow(), FinishedAt = null, Error = null });
            var indexed = await index.RebuildAsync(db, progress: null, ct);
            logger.LogInformation("Search index rebuilt for analyzer version {Current} in {Seconds:0.0} s: {Indexed} articles",
                Text.ChineseText.AnalyzerVersion, watch.Elapsed.TotalSeconds, indexed);
            var count = await index.CountAsync(db, ct);
            state = state with { Phase = SearchIndexCheckPhase.Rebuilt, After = count, FinishedAt = time.GetUtcNow() };
        }
        catch (SearchIndexBusyException e)
        {
            logger.LogInformation("The search index is from an older analyzer version and another process is rebuilding it: {Reason}", e.Message);
            return null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            state = state with { Phase = SearchIndexCheckPhase.Failed, Error = "stopped with the site", FinishedAt = time.GetUtcNow() };
        }
        catch (Exception e)
        {
            logger.LogError(e, "The search index rebuild for the new analyzer version failed; searches use the old index; run `reindex`");
            state = state with { Phase = SearchIndexCheckPhase.Failed, Error = e.Message, FinishedAt = time.GetUtcNow() };
        }
        status.Set(state);
        return state;
    }

    private async Task WarnOfOldAnalyzerAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var built = await index.AnalyzerVersionAsync(scope.ServiceProvider.GetRequiredService<NewsDbContext>(), ct);
            if (built != Text.ChineseText.AnalyzerVersion)
            {
                logger.LogWarning(
                    "The search index was built by analyzer version {Built} and this version of the site cuts words with version {Current}; with the start-up check off it is not rebuilt: run `reindex`",
                    built, Text.ChineseText.AnalyzerVersion);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The search index's analyzer version could not be read");
        }
    }

    /// <summary>One check, and a repair when the counts differ; the result is in <see cref="SearchIndexStatus"/>.</summary>
    public async Task<SearchIndexCheckState> CheckAsync(CancellationToken ct)
    {
        var state = new SearchIndexCheckState(SearchIndexCheckPhase.Checking, StartedAt: time.GetUtcNow());
        status.Set(state);
        var watch = Stopwatch.StartNew();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var before = await index.CountAsync(db, ct);
            if (!before.Consistent)
            {
                logger.LogWarning(
                    "The search index holds {Indexed} articles but the articles table has {Articles}; repairing the difference in the background",
                    before.Indexed, before.Articles);
                state = state with { Phase = SearchIndexCheckPhase.Repairing, Before = before };
                status.Set(state);
            }
            // Compared by id even when the counts agree: a missing article and a deleted one still indexed cancel out
            // in the counts. Two index-only anti-joins; nothing is written when nothing differs.
            var repair = await index.RepairAsync(db, ct);
            if (before.Consistent && repair is { Added: 0, Removed: 0 })
            {
                logger.LogDebug("Search index checked: {Indexed} articles indexed, {Articles} in the articles table", before.Indexed, before.Articles);
                state = state with { Phase = SearchIndexCheckPhase.Consistent, Before = before, After = before, Repair = repair, FinishedAt = time.GetUtcNow() };
                status.Set(state);
                return state;
            }
            var after = await index.CountAsync(db, ct);
            if (before.Consistent)
            {
                logger.LogWarning(
                    "The search index's count agreed with the articles table ({Articles}) but {Added} articles were missing from it and {Removed} deleted ones still in it; repaired in {Seconds:0.0} s",
                    before.Articles, repair.Added, repair.Removed, watch.Elapsed.TotalSeconds);
            }
            else if (after.Consistent)
            {
                logger.LogInformation(
                    "Search index repaired in {Seconds:0.0} s: {Added} missing articles indexed, {Removed} rows of deleted articles removed; now {Indexed} indexed of {Articles}",
                    watch.Elapsed.TotalSeconds, repair.Added, repair.Removed, after.Indexed, after.Articles);
            }
            else
            {
                // Saves during the repair can move either count; a difference left here is for `reindex` or the next start.
                logger.LogWarning(
                    "Search index repaired in {Seconds:0.0} s ({Added} indexed, {Removed} removed) but the counts still differ: {Indexed} indexed of {Articles}; run `reindex`",
                    watch.Elapsed.TotalSeconds, repair.Added, repair.Removed, after.Indexed, after.Articles);
            }
            state = state with { Phase = SearchIndexCheckPhase.Repaired, Before = before, After = after, Repair = repair, FinishedAt = time.GetUtcNow() };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            state = state with { Phase = SearchIndexCheckPhase.Failed, Error = "stopped with the site", FinishedAt = time.GetUtcNow() };
        }
        catch (Exception e)
        {
            logger.LogError(e, "The search index check failed; searches use the index as it is");
            state = state with { Phase = SearchIndexCheckPhase.Failed, Error = e.Message, FinishedAt = time.GetUtcNow() };
        }
        status.Set(state);
        return state;
    }
}
