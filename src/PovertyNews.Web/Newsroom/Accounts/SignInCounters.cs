using System.Collections.Concurrent;

namespace PovertyNews.Web.Newsroom.Accounts;

/// <summary>
/// Where <see cref="SignInThrottle"/> keeps its counts: this node's memory (<see cref="MemorySignInCounters"/>) or,
/// for a cluster, Redis (<see cref="RedisSignInCounters"/>). A store only counts and remembers; the rules (how many
/// failures lock, for how long, how the delay grows) are the throttle's. Every count is "since the last failure":
/// a count whose last failure is older than its window starts again from nothing.
/// </summary>
public interface ISignInCounters
{
    /// <summary>Counts a failure from <paramref name="source"/>; returns the source's failures within <paramref name="memory"/>.</summary>
    Task<int> CountSourceFailureAsync(string source, DateTimeOffset now, TimeSpan memory);

    /// <summary>The source's failures and when the last one was; null when it has none within its window.</summary>
    Task<(int Failures, DateTimeOffset LastFailure)?> SourceAsync(string source, DateTimeOffset now, TimeSpan memory);

    /// <summary>Counts a failure for the account from the source; returns the pair's failures within <paramref name="window"/>.</summary>
    Task<int> CountPairFailureAsync(string account, string source, DateTimeOffset now, TimeSpan window);

    /// <summary>Locks the account for the source until <paramref name="until"/>; the pair's count starts again.</summary>
    Task LockAsync(string account, string source, DateTimeOffset now, DateTimeOffset until);

    /// <summary>Until when the account is locked for the source; null when it is not (any more).</summary>
    Task<DateTimeOffset?> LockedUntilAsync(string account, string source, DateTimeOffset now);

    /// <summary>The latest end of a lock on the account from any source; null when none is in force.</summary>
    Task<DateTimeOffset?> LatestLockAsync(string account, DateTimeOffset now);

    /// <summary>Forgets the pair's count and lock.</summary>
    Task ForgetPairAsync(string account, string source);

    /// <summary>Forgets every count and lock of the account.</summary>
    Task ForgetAccountAsync(string account);
}

/// <summary>
/// The counts in this node's memory: a single node's store, and a cluster node's fallback while Redis is away. They
/// are bounded: quiet entries are dropped, and beyond <see cref="MaxEntries"/> the oldest go.
/// </summary>
public sealed class MemorySignInCounters : ISignInCounters
{
    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string Account, string Source), Counter> _pairs = new();
    private readonly ConcurrentDictionary<string, Counter> _sources = new();

    private sealed class Counter
    {
        public int Failures;
        public DateTimeOffset LastFailure;
        public DateTimeOffset? LockedUntil;
    }

    /// <summary>Entries held (account-and-source pairs plus sources).</summary>
    public int Count => _pairs.Count + _sources.Count;

    public Task<int> CountSourceFailureAsync(string source, DateTimeOffset now, TimeSpan memory)
    {
        Prune(now, memory);
        var counter = _sources.GetOrAdd(source, _ => new Counter());
        lock (counter)
        {
            return Task.FromResult(Increment(counter, now, memory));
        }
    }

    public Task<(int Failures, DateTimeOffset LastFailure)?> SourceAsync(string source, DateTimeOffset now, TimeSpan memory)
    {
        (int, DateTimeOffset)? result = null;
        if (_sources.TryGetValue(source, out var counter))
        {
            lock (counter)
            {
                if (counter.Failures > 0 && now - counter.LastFailure <= memory)
                {
                    result = (counter.Failures, counter.LastFailure);
                }
            }
        }
        return Task.FromResult(result);
    }

    public Task<int> CountPairFailureAsync(string account, string source, DateTimeOffset now, TimeSpan window)
    {
        var pair = _pairs.GetOrAdd((account, source), _ => new Counter());
        lock (pair)
        {
            return Task.FromResult(Increment(pair, now, window));
        }
    }

    private static int Increment(Counter counter, DateTimeOffset now, TimeSpan window)
    {
        if (now - counter.LastFailure > window)
        {
            counter.Failures = 0;
        }
        counter.LastFailure = now;
        return ++counter.Failures;
    }

    public Task LockAsync(string account, string source, DateTimeOffset now, DateTimeOffset until)
    {
        var pair = _pairs.GetOrAdd((account, source), _ => new Counter());
        lock (pair)
        {
            pair.Failures = 0;
            pair.LockedUntil = until;
        }
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> LockedUntilAsync(string account, string source, DateTimeOffset now)
    {
        DateTimeOffset? until = null;
        if (_pairs.TryGetValue((account, source), out var pair))
        {
            lock (pair)
            {
                if (pair.LockedUntil is { } locked && locked > now)
                {
                    until = locked;
                }
            }
        }
        return Task.FromResult(until);
    }

    public Task<DateTimeOffset?> LatestLockAsync(string account, DateTimeOffset now) =>
        Task.FromResult(_pairs.Where(p => p.Key.Account == account).Select(p => p.Value.LockedUntil).Where(u => u > now).Max());

    public Task ForgetPairAsync(string account, string source)
    {
        _pairs.TryRemove((account, source), out _);
        return Task.CompletedTask;
    }

    public Task ForgetAccountAsync(string account)
    {
        foreach (var pair in _pairs.Keys.Where(k => k.Account == account))
        {
            _pairs.TryRemove(pair, out _);
        }
        return Task.CompletedTask;
    }

    private void Prune(DateTimeOffset now, TimeSpan sourceMemory)
    {
        if (_pairs.Count + _sources.Count < MaxEntries)
        {
            return;
        }
        foreach (var (key, pair) in _pairs)
        {
            if (now - pair.LastFailure > SignInThrottle.LockTime && !(pair.LockedUntil > now))
            {
                _pairs.TryRemove(key, out _);
            }
        }
        foreach (var (key, source) in _sources)
        {
            if (now - source.LastFailure > sourceMemory)
            {
                _sources.TryRemove(key, out _);
            }
        }
        // Still full (a flood from many addresses): the oldest half goes, so the newest failures keep counting.
        if (_pairs.Count + _sources.Count >= MaxEntries)
        {
            foreach (var key in _pairs.OrderBy(p => p.Value.LastFailure).Take(_pairs.Count / 2).Select(p => p.Key).ToList())
            {
                _pairs.TryRemove(key, out _);
            }
            foreach (var key in _sources.OrderBy(p => p.Value.LastFailure).Take(_sources.Count / 2).Select(p => p.Key).ToList())
            {
                _sources.TryRemove(key, out _);
            }
        }
    }
}
