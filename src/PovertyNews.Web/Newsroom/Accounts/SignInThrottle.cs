using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace PovertyNews.Web.Newsroom.Accounts;

/// <summary>
/// Failed sign-ins, counted per account <em>and</em> source (client address), and per source over all accounts.
/// </summary>
/// <remarks>
/// A lock on the account alone let anyone lock anyone out (five wrong passwords from anywhere locked the only
/// administrator for 15 minutes). Here <see cref="FailuresBeforeLock"/> wrong passwords lock the account for
/// <see cref="LockTime"/> only for the source they came from; the owner signs in from their own address meanwhile.
/// A source guessing across accounts (password spraying) or from one account to the next gets a progressive delay:
/// after <see cref="FreeFailuresPerSource"/> failures each further attempt has to wait 1 s, 2 s, 4 s … up to
/// <see cref="MaxSourceDelay"/> after the last failure. An unknown address is counted like a known one, so neither
/// reveals which addresses have accounts. IPv6 sources count per /64, the block one subscriber normally holds.
/// The counts live in memory: they are a brake on guessing, not a record (the audit log is that), and a restart
/// forgets them. They are bounded: quiet entries are dropped, and beyond <see cref="MaxEntries"/> the oldest go.
/// </remarks>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int FailuresBeforeLock = 5;
    public static readonly TimeSpan LockTime = TimeSpan.FromMinutes(15);
    public const int FreeFailuresPerSource = 5;
    public static readonly TimeSpan MaxSourceDelay = TimeSpan.FromMinutes(5);
    /// <summary>A source with no failure for this long starts again from nothing.</summary>
    public static readonly TimeSpan SourceMemory = TimeSpan.FromHours(1);
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

    /// <summary>The source an address counts as: the IPv4 address, or the /64 an IPv6 address belongs to.</summary>
    public static string SourceOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Until when a sign-in to <paramref name="account"/> from <paramref name="source"/> is refused unchecked; null when it may try.</summary>
    public DateTimeOffset? BlockedUntil(string account, string source)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? until = null;
        if (_pairs.TryGetValue((Key(account), source), out var pair))
        {
            lock (pair)
            {
                if (pair.LockedUntil is { } locked && locked > now)
                {
                    until = locked;
                }
            }
        }
        if (_sources.TryGetValue(source, out var counter))
        {
            lock (counter)
            {
                if (NotBefore(counter) is { } notBefore && notBefore > now && (until is null || notBefore > until))
                {
                    until = notBefore;
                }
            }
        }
        return until;
    }

    /// <summary>Counts a wrong password; true when it locked the account for this source.</summary>
    public bool Failed(string account, string source)
    {
        var now = time.GetUtcNow();
        Prune(now);
        var counter = _sources.GetOrAdd(source, _ => new Counter());
        lock (counter)
        {
            if (now - counter.LastFailure > SourceMemory)
            {
                counter.Failures = 0;
            }
            counter.Failures++;
            counter.LastFailure = now;
        }
        var pair = _pairs.GetOrAdd((Key(account), source), _ => new Counter());
        lock (pair)
        {
            if (now - pair.LastFailure > LockTime)
            {
                pair.Failures = 0;
            }
            pair.Failures++;
            pair.LastFailure = now;
            if (pair.Failures < FailuresBeforeLock)
            {
                return false;
            }
            pair.Failures = 0;
            pair.LockedUntil = now + LockTime;
            return true;
        }
    }

    /// <summary>The right password from this source: its count for the account starts again (the source's own stays).</summary>
    public void Succeeded(string account, string source) => _pairs.TryRemove((Key(account), source), out _);

    /// <summary>Lifts every lock on the account (an administrator set a new password).</summary>
    public void Clear(string account)
    {
        var key = Key(account);
        foreach (var pair in _pairs.Keys.Where(k => k.Account == key))
        {
            _pairs.TryRemove(pair, out _);
        }
    }

    /// <summary>The latest end of a lock on the account from any source, for the users pages.</summary>
    public DateTimeOffset? LockedUntil(string? account)
    {
        if (account is null)
        {
            return null;
        }
        var key = Key(account);
        var now = time.GetUtcNow();
        return _pairs.Where(p => p.Key.Account == key)
            .Select(p => p.Value.LockedUntil)
            .Where(u => u > now)
            .Max();
    }

    private static DateTimeOffset? NotBefore(Counter source)
    {
        var over = source.Failures - FreeFailuresPerSource;
        if (over <= 0)
        {
            return null;
        }
        var delay = over >= 20 ? MaxSourceDelay : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, over - 1), MaxSourceDelay.TotalSeconds));
        return source.LastFailure + delay;
    }

    private static string Key(string account) => account.Trim().ToUpperInvariant();

    private void Prune(DateTimeOffset now)
    {
        if (_pairs.Count + _sources.Count < MaxEntries)
        {
            return;
        }
        foreach (var (key, pair) in _pairs)
        {
            if (now - pair.LastFailure > LockTime && !(pair.LockedUntil > now))
            {
                _pairs.TryRemove(key, out _);
            }
        }
        foreach (var (key, source) in _sources)
        {
            if (now - source.LastFailure > SourceMemory)
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
