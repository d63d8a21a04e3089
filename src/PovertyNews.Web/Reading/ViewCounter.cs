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

    /// <summary>Takes everything counted so far and starts a new tally.</summary>
    public IReadOnlyDictionary<int, long> Drain() => Interlocked.Exchange(ref _pending, new ConcurrentDictionary<int, long>());

    public static bool IsObviousBot(string? userAgent) =>
        string.IsNullOrWhiteSpace(userAgent) || BotPattern().IsMatch(userAgent);

    [GeneratedRegex(@"bot\b|bot/|spider|crawl|slurp|preview|feedfetcher|curl/|wget/|python-|python/|java/|go-http|libwww|okhttp|httpclient|scrapy|axios/|node-fetch|headlesschrome|lighthouse|monitor|uptime",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BotPattern();
}
