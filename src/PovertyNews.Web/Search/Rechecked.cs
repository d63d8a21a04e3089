namespace PovertyNews.Web.Search;

/// <summary>
/// A value the search reads from the database that may be up to <c>interval</c> old (the document count for the IDF,
/// whether the index's table holds month lexemes): read again at most once per interval, and set directly by this
/// process when it changes the value itself. Readers racing past the interval may both read; the last one wins,
/// which is harmless for values that only need to be roughly current.
/// </summary>
internal sealed class Rechecked<T>(TimeSpan interval, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    // One immutable entry swapped as a whole, so a reader never pairs a new value with an old time or the reverse.
    private sealed record Entry(T Value, long ReadAt);

    private Entry? _entry;

    public async ValueTask<T> GetAsync(Func<CancellationToken, Task<T>> read, CancellationToken ct)
    {
        var entry = Volatile.Read(ref _entry);
        if (entry is not null && _time.GetElapsedTime(entry.ReadAt) < interval)
        {
            return entry.Value;
        }
        var value = await read(ct);
        Set(value);
        return value;
    }

    /// <summary>Records a value this process has just made true, so the next reads need not ask the database.</summary>
    public void Set(T value) => Volatile.Write(ref _entry, new Entry(value, _time.GetTimestamp()));
}
