using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Api.Keys;

/// <summary>
/// Finds the active key a request presents. Rows are found by their clear prefix and kept in memory for
/// <see cref="CacheFor"/> (unknown prefixes too, so a stream of made-up keys does not reach the database each time);
/// the secret is compared by its SHA-256 in constant time. A revocation or a new limit forgets the key here at once,
/// and the cluster bus tells the other nodes to forget every key they hold (<see cref="ForgetAll"/>); a node cut off
/// from Redis drops them with everything else at its fallback interval, and never keeps one past <see cref="CacheFor"/>.
/// </summary>
public sealed class ApiKeyDirectory(IServiceScopeFactory scopes, IMemoryCache cache)
{
    public const string KeyStart = "pnk_";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string PrefixOf(string key) => key[..ApiKey.PrefixLength];

    /// <summary>The active key, or null for anything else (malformed, unknown, revoked, wrong secret).</summary>
    public async Task<ActiveApiKey?> FindAsync(string presented, CancellationToken ct)
    {
        if (!presented.StartsWith(KeyStart, StringComparison.Ordinal) || presented.Length < ApiKey.PrefixLength || presented.Length > 100)
        {
            return null;
        }
        var prefix = PrefixOf(presented);
        var generation = Volatile.Read(ref _generation);
        var key = await cache.GetOrCreateAsync(CacheKey(prefix), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            entry.Size = 1;
            entry.AddExpirationToken(new CancellationChangeToken(generation.Token));
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            return await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix && k.RevokedAt == null)
                .Select(k => new ActiveApiKey(k.Id, k.Prefix, k.SecretHash, k.RequestsPerMinute))
                .SingleOrDefaultAsync(ct);
        });
        if (key is null)
        {
            return null;
        }
        var same = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(key.SecretHash));
        return same ? key : null;
    }

    public void Forget(string prefix) => cache.Remove(CacheKey(prefix));

    /// <summary>Forgets every key looked up so far (another node revoked one or changed its limit).</summary>
    public void ForgetAll()
    {
        var old = Interlocked.Exchange(ref _generation, new CancellationTokenSource());
        // Not disposed: a lookup in flight may still read its token; a lookup that began before this stores an
        // entry that is expired already.
        old.Cancel();
    }

    // Every cached lookup expires when this is cancelled; IMemoryCache cannot remove entries by prefix.
    private CancellationTokenSource _generation = new();

    private static string CacheKey(string prefix) => "api-key:" + prefix;
}
