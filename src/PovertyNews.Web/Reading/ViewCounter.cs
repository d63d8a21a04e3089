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

    public void Record(int articleId, string? userAgent)
    {
        if (IsObviousBot(userAgent))
        {
            return;
        }
        _pending.AddOrUpdate(articleId, 1, (_, n) => n + 1);
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

    public static bool IsObviousBot(string? userAgent) =>
        string.IsNullOrWhiteSpace(userAgent) || BotPattern().IsMatch(userAgent);

    [GeneratedRegex(@"bot\b|bot/|spider|crawl|slurp|preview|feedfetcher|curl/|wget/|python-|python/|java/|go-http|libwww|okhttp|httpclient|scrapy|axios/|node-fetch|headlesschrome|lighthouse|monitor|uptime",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BotPattern();
}
