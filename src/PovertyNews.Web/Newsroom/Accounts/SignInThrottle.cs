using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

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
/// The counts are a brake on guessing, not a record (the audit log is that). A single node keeps them in memory
/// (a restart forgets them); a cluster in Redis (<see cref="RedisSignInCounters"/>), so they count over every node.
/// While Redis cannot be reached an attempt is counted in the node's memory instead (logged): sign-in keeps working,
/// with limits per node until Redis is back.
/// </remarks>
public sealed class SignInThrottle
{
    public const int FailuresBeforeLock = 5;
    public static readonly TimeSpan LockTime = TimeSpan.FromMinutes(15);
    public const int FreeFailuresPerSource = 5;
    public static readonly TimeSpan MaxSourceDelay = TimeSpan.FromMinutes(5);
    /// <summary>A source with no failure for this long starts again from nothing.</summary>
    public static readonly TimeSpan SourceMemory = TimeSpan.FromHours(1);
    public const int MaxEntries = MemorySignInCounters.MaxEntries;

    private readonly TimeProvider _time;
    private readonly ISignInCounters _counters;
    private readonly MemorySignInCounters _memory;
    private readonly ILogger _logger;

    /// <summary>Counts in this node's memory.</summary>
    public SignInThrottle(TimeProvider time) : this(time, null, NullLogger<SignInThrottle>.Instance)
    {
    }

    /// <summary>Counts in <paramref name="shared"/> (Redis), or in this node's memory when null or unreachable.</summary>
    public SignInThrottle(TimeProvider time, ISignInCounters? shared, ILogger<SignInThrottle> logger)
    {
        _time = time;
        _memory = new MemorySignInCounters();
        _counters = shared ?? _memory;
        _logger = logger;
    }

    /// <summary>Entries held in this node's memory (account-and-source pairs plus sources).</summary>
    public int Count => _memory.Count;

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
    public Task<DateTimeOffset?> BlockedUntilAsync(string account, string source) =>
        WithCountersAsync(async counters =>
        {
            var now = _time.GetUtcNow();
            var until = await counters.LockedUntilAsync(Key(account), source, now);
            if (await counters.SourceAsync(source, now, SourceMemory) is { } counted
                && NotBefore(counted.Failures, counted.LastFailure) is { } notBefore && notBefore > now && (until is null || notBefore > until))
            {
                until = notBefore;
            }
            return until;
        });

    /// <summary>Counts a wrong password; true when it locked the account for this source.</summary>
    public Task<bool> FailedAsync(string account, string source) =>
        WithCountersAsync(async counters =>
        {
            var now = _time.GetUtcNow();
            await counters.CountSourceFailureAsync(source, now, SourceMemory);
            // At or over: two nodes counting the fifth and sixth failure at once both lock, to the same effect.
            if (await counters.CountPairFailureAsync(Key(account), source, now, LockTime) < FailuresBeforeLock)
            {
                return false;
            }
            await counters.LockAsync(Key(account), source, now, now + LockTime);
            return true;
        });

    /// <summary>The right password from this source: its count for the account starts again (the source's own stays).</summary>
    public Task SucceededAsync(string account, string source) =>
        WithCountersAsync(async counters => { await counters.ForgetPairAsync(Key(account), source); return 0; });

    /// <summary>Lifts every lock on the account (an administrator set a new password).</summary>
    public async Task ClearAsync(string account)
    {
        var key = Key(account);
        // Both: locks counted in memory while Redis was away are lifted too.
        await _memory.ForgetAccountAsync(key);
        await WithCountersAsync(async counters => { await counters.ForgetAccountAsync(key); return 0; });
    }

    /// <summary>The latest end of a lock on the account from any source, for the users pages.</summary>
    public async Task<DateTimeOffset?> LockedUntilAsync(string? account)
    {
        if (account is null)
        {
            return null;
        }
        return await WithCountersAsync(counters => counters.LatestLockAsync(Key(account), _time.GetUtcNow()));
    }

    private static DateTimeOffset? NotBefore(int failures, DateTimeOffset lastFailure)
    {
        var over = failures - FreeFailuresPerSource;
        if (over <= 0)
        {
            return null;
        }
        var delay = over >= 20 ? MaxSourceDelay : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, over - 1), MaxSourceDelay.TotalSeconds));
        return lastFailure + delay;
    }

    private static string Key(string account) => account.Trim().ToUpperInvariant();

    // Redis away (connection refused, timed out, in the middle of a failover): this attempt counts in memory rather
    // than failing the sign-in page.
    private async Task<T> WithCountersAsync<T>(Func<ISignInCounters, Task<T>> work)
    {
        if (ReferenceEquals(_counters, _memory))
        {
            return await work(_memory);
        }
        try
        {
            return await work(_counters);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException or ObjectDisposedException)
        {
            _logger.LogWarning(e, "Sign-in limits could not be reached in Redis; counting this attempt in this node's memory only");
            return await work(_memory);
        }
    }
}
