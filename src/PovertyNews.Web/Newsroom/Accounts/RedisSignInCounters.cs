using StackExchange.Redis;

namespace PovertyNews.Web.Newsroom.Accounts;

/// <summary>
/// The sign-in counts in Redis, shared by every node of a cluster, so five wrong passwords lock the account for
/// their source whichever nodes they reached. Keys, under <c>{prefix}:signin:</c>:
/// <c>source:{source}</c> (a hash of the source's failure count and last failure),
/// <c>fails:{account}</c> (a hash of each source's count and last failure for the account) and
/// <c>locks:{account}</c> (a sorted set of sources scored by the end of their lock). Each expires by itself when
/// its window has passed. Updates are Lua scripts, so two nodes counting at once never lose a failure. Times are the
/// app's clock (<see cref="TimeProvider"/>), passed in; the expiry is only the clean-up.
/// </summary>
public sealed class RedisSignInCounters(IConnectionMultiplexer redis, string keyPrefix) : ISignInCounters
{
    private IDatabase Db => redis.GetDatabase();

    private RedisKey SourceKey(string source) => $"{keyPrefix}:signin:source:{source}";
    private RedisKey FailsKey(string account) => $"{keyPrefix}:signin:fails:{account}";
    private RedisKey LocksKey(string account) => $"{keyPrefix}:signin:locks:{account}";

    private static string TimeField(string source) => source + "|t";

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static long Ms(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalMilliseconds));

    // KEYS[1] the hash; ARGV: count field, time field, now (ms), window (ms). A count whose last failure is older than
    // the window starts again; the hash lives a window past its latest failure.
    private const string CountScript = """
        local last = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '-1')
        local n = 0
        if last >= 0 and tonumber(ARGV[3]) - last <= tonumber(ARGV[4]) then
          n = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
        end
        n = n + 1
        redis.call('HSET', KEYS[1], ARGV[1], n, ARGV[2], ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return n
        """;

    // KEYS[1] locks, KEYS[2] fails; ARGV: source, now (ms), until (ms), time to live (ms).
    private const string LockScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
        redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        redis.call('HDEL', KEYS[2], ARGV[1], ARGV[1] .. '|t')
        return 1
        """;

    public async Task<int> CountSourceFailureAsync(string source, DateTimeOffset now, TimeSpan memory) =>
        (int)await Db.ScriptEvaluateAsync(CountScript, [SourceKey(source)], ["n", "last", Ms(now), Ms(memory)]);

    public async Task<(int Failures, DateTimeOffset LastFailure)?> SourceAsync(string source, DateTimeOffset now, TimeSpan memory)
    {
        var values = await Db.HashGetAsync(SourceKey(source), ["n", "last"]);
        if (values[0].IsNull || values[1].IsNull)
        {
            return null;
        }
        var last = DateTimeOffset.FromUnixTimeMilliseconds((long)values[1]);
        return now - last <= memory ? ((int)values[0], last) : null;
    }

    public async Task<int> CountPairFailureAsync(string account, string source, DateTimeOffset now, TimeSpan window) =>
        (int)await Db.ScriptEvaluateAsync(CountScript, [FailsKey(account)], [source, TimeField(source), Ms(now), Ms(window)]);

    public Task LockAsync(string account, string source, DateTimeOffset now, DateTimeOffset until) =>
        Db.ScriptEvaluateAsync(LockScript, [LocksKey(account), FailsKey(account)], [source, Ms(now), Ms(until), Ms(until - now)]);

    public async Task<DateTimeOffset?> LockedUntilAsync(string account, string source, DateTimeOffset now)
    {
        var score = await Db.SortedSetScoreAsync(LocksKey(account), source);
        return score is { } ms && ms > Ms(now) ? DateTimeOffset.FromUnixTimeMilliseconds((long)ms) : null;
    }

    public async Task<DateTimeOffset?> LatestLockAsync(string account, DateTimeOffset now)
    {
        var latest = await Db.SortedSetRangeByScoreWithScoresAsync(LocksKey(account), Ms(now), double.PositiveInfinity,
            Exclude.Start, Order.Descending, 0, 1);
        return latest.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)latest[0].Score);
    }

    public async Task ForgetPairAsync(string account, string source)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.HashDeleteAsync(FailsKey(account), [source, TimeField(source)]);
        _ = transaction.SortedSetRemoveAsync(LocksKey(account), source);
        await transaction.ExecuteAsync();
    }

    public Task ForgetAccountAsync(string account) => Db.KeyDeleteAsync([FailsKey(account), LocksKey(account)]);
}
