namespace PovertyNews.Web.Operations.Metrics;

/// <summary>Requests finished in one minute (UTC, the minute's start).</summary>
public readonly record struct MinuteCount(DateTimeOffset Minute, long Requests);

/// <summary>
/// Requests per minute for the last <see cref="Minutes"/> minutes, in a ring of counters: fixed memory, one atomic
/// add per request, and a slot is reset when its minute comes round again.
/// </summary>
public sealed class RequestRateHistory(TimeProvider time)
{
    public const int Minutes = 6 * 60;

    private readonly long[] _counts = new long[Minutes];
    private readonly long[] _minuteOf = new long[Minutes];
    private readonly Lock _gate = new();

    public void Add(long requests = 1)
    {
        var minute = CurrentMinute();
        var slot = (int)(minute % Minutes);
        if (Volatile.Read(ref _minuteOf[slot]) != minute)
        {
            lock (_gate)
            {
                if (_minuteOf[slot] != minute)
                {
                    // The count first: a request that sees the new minute must find the slot already cleared.
                    Volatile.Write(ref _counts[slot], 0);
                    Volatile.Write(ref _minuteOf[slot], minute);
                }
            }
        }
        Interlocked.Add(ref _counts[slot], requests);
    }

    /// <summary>The last <paramref name="minutes"/> minutes, oldest first, the current (partial) minute last.</summary>
    public IReadOnlyList<MinuteCount> Last(int minutes = Minutes)
    {
        minutes = Math.Clamp(minutes, 1, Minutes);
        var now = CurrentMinute();
        var result = new List<MinuteCount>(minutes);
        for (var minute = now - minutes + 1; minute <= now; minute++)
        {
            var slot = (int)(minute % Minutes);
            var count = Volatile.Read(ref _minuteOf[slot]) == minute ? Interlocked.Read(ref _counts[slot]) : 0;
            result.Add(new MinuteCount(DateTimeOffset.FromUnixTimeSeconds(minute * 60), count));
        }
        return result;
    }

    private long CurrentMinute() => time.GetUtcNow().ToUnixTimeSeconds() / 60;
}
