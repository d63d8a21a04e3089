using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace PovertyNews.Web.Reading;

/// <summary>
/// Counts article reads in memory; <see cref="ViewFlushService"/> writes them in batches, so a page view never
/// writes to the database.
/// </summary>
public sealed partial class ViewCounter
{
    private ConcurrentDictionary<int, long> _pending = new();
    private ConcurrentDictionary<ArticleSource, long> _sources = new();

    /// <param name="referrerHost">Where the read came from (<see cref="ReferrerHost"/>); null when it is not known.</param>
    public void Record(int articleId, string? userAgent, string? referrerHost = null)
    {
        if (IsObviousBot(userAgent))
        {
            return;
        }
        _pending.AddOrUpdate(articleId, 1, (_, n) => n + 1);
        if (referrerHost is not null)
        {
            var sources = Volatile.Read(ref _sources);
            var key = new ArticleSource(articleId, referrerHost);
            // Referrers are the reader's to forge: past the limit a new host is dropped, the read itself is not.
            if (sources.ContainsKey(key) || sources.Count < MaxHeldSources)
            {
                sources.AddOrUpdate(key, 1, (_, n) => n + 1);
            }
        }
    }

    /// <summary>Article and referring host pairs held at most between flushes (about 100 bytes a pair).</summary>
    public const int MaxHeldSources = 50_000;

    /// <summary>Takes the reads by referring host counted so far.</summary>
    public IReadOnlyDictionary<ArticleSource, long> DrainSources() =>
        Interlocked.Exchange(ref _sources, new ConcurrentDictionary<ArticleSource, long>());

    /// <summary>Puts reads by host that could not be written back, under the same limit; returns those that did not fit.</summary>
    public long RestoreSources(IReadOnlyDictionary<ArticleSource, long> counts)
    {
        var sources = Volatile.Read(ref _sources);
        long dropped = 0;
        foreach (var (key, n) in counts)
        {
            if (sources.ContainsKey(key) || sources.Count < MaxHeldSources)
            {
                sources.AddOrUpdate(key, n, (_, m) => m + n);
            }
            else
            {
                dropped += n;
            }
        }
        return dropped;
    }

    /// <summary>
    /// Articles whose counts are held at most when flushes keep failing (a full disk, a locked database): memory stays
    /// bounded (about 50 bytes an article) however long the failure lasts; reads of articles beyond it are dropped.
    /// </summary>
    public const int MaxHeldArticles = 100_000;

    /// <summary>
    /// Puts counts that could not be written back into the tally, for the next flush. Returns the reads that did not
    /// fit under <see cref="MaxHeldArticles"/> (0 normally).
    /// </summary>
    public long Restore(IReadOnlyDictionary<int, long> counts)
    {
        var pending = Volatile.Read(ref _pending);
        long dropped = 0;
        foreach (var (id, n) in counts)
        {
            if (pending.ContainsKey(id) || pending.Count < MaxHeldArticles)
            {
                pending.AddOrUpdate(id, n, (_, m) => m + n);
            }
            else
            {
                dropped += n;
            }
        }
        return dropped;
    }

    /// <summary>Takes everything counted so far and starts a new tally.</summary>
    public IReadOnlyDictionary<int, long> Drain() => Interlocked.Exchange(ref _pending, new ConcurrentDictionary<int, long>());

    public readonly record struct ArticleSource(int ArticleId, string Host);

    public static bool IsObviousBot(string? userAgent) =>
        string.IsNullOrWhiteSpace(userAgent) || BotPattern().IsMatch(userAgent);

    [GeneratedRegex(@"bot\b|bot/|spider|crawl|slurp|preview|feedfetcher|curl/|wget/|python-|python/|java/|go-http|libwww|okhttp|httpclient|scrapy|axios/|node-fetch|headlesschrome|lighthouse|monitor|uptime",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BotPattern();
}
