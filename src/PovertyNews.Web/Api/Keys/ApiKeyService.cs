using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Cluster;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Api.Keys;

/// <summary>
/// Partners' keys: administrators create them (name, requests per minute) and revoke them. The key is made of 32
/// random bytes and shown once, in the creation's flash message; the database keeps its prefix and its SHA-256.
/// A revocation or a new limit holds on every node when the administrator's answer arrives (the cluster bus waits for
/// the other nodes to forget their copies of the keys).
/// </summary>
public sealed class ApiKeyService(NewsDbContext db, AuditLog audit, ApiKeyDirectory directory, IClusterBus cluster, TimeProvider time,
    ILogger<ApiKeyService> logger)
{
    public const string NameField = "Name";
    public const string LimitField = "RequestsPerMinute";
    public const int MaxRequestsPerMinute = 1_000_000;

    /// <summary>A new random key: "pnk_" and 43 base64url characters.</summary>
    public static string NewKey() => ApiKeyDirectory.KeyStart + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    public async Task<Result> CreateAsync(string? name, int? requestsPerMinute, string createdBy, CancellationToken ct)
    {
        var cleanName = name?.Trim() ?? "";
        var errors = new List<InputError>();
        if (cleanName.Length == 0)
        {
            errors.Add(new(NameField, "请填写密钥名称（如合作方名称）。"));
        }
        else if (cleanName.Length > ApiKey.MaxNameLength)
        {
            errors.Add(new(NameField, $"名称不能超过 {ApiKey.MaxNameLength} 个字符。"));
        }
        if (LimitError(requestsPerMinute) is { } limitError)
        {
            errors.Add(limitError);
        }
        if (errors.Count > 0)
        {
            return Result.Refused(errors);
        }
        var key = NewKey();
        // 48 random bits in the prefix: a clash is all but impossible, but the prefix is unique in the table, so draw again.
        while (await db.ApiKeys.AnyAsync(k => k.Prefix == ApiKeyDirectory.PrefixOf(key), ct))
        {
            key = NewKey();
        }
        var row = new ApiKey
        {
            Name = cleanName,
            Prefix = ApiKeyDirectory.PrefixOf(key),
            SecretHash = ApiKeyDirectory.Hash(key),
            RequestsPerMinute = requestsPerMinute!.Value,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            CreatedBy = createdBy,
        };
        db.ApiKeys.Add(row);
        await db.SaveChangesAsync(ct);
        await audit.WriteAsync(AuditActions.ApiKeyCreated, $"api-key:{row.Id}",
            $"{row.Name}（{row.Prefix}…，每分钟 {row.RequestsPerMinute} 次）", ct: ct);
        logger.LogInformation("API key {ApiKeyId} {ApiKeyPrefix} created for {ApiKeyName}", row.Id, row.Prefix, row.Name);
        return Result.Done($"已创建密钥“{row.Name}”：{key} 。密钥只显示这一次，请立即复制并安全地交给合作方。");
    }

    public async Task<Result> RevokeAsync(int id, CancellationToken ct)
    {
        var row = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
        if (row is null)
        {
            return Result.NotFound("没有这个密钥。");
        }
        if (!row.IsActive)
        {
            return Result.Unchanged($"密钥“{row.Name}”已经停用。");
        }
        row.RevokedAt = time.GetUtcNow().UtcDateTime;
        audit.Add(AuditActions.ApiKeyRevoked, $"api-key:{row.Id}", $"{row.Name}（{row.Prefix}…）");
        await db.SaveChangesAsync(ct);
        await ForgetEverywhereAsync(row.Prefix, ct);
        logger.LogInformation("API key {ApiKeyId} {ApiKeyPrefix} revoked", row.Id, row.Prefix);
        return Result.Done($"已停用密钥“{row.Name}”，使用它的请求将被拒绝。");
    }

    /// <summary>A partner's new allowance, from its next request on (the current minute's count is kept).</summary>
    public async Task<Result> ChangeLimitAsync(int id, int? requestsPerMinute, CancellationToken ct)
    {
        var row = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
        if (row is null)
        {
            return Result.NotFound("没有这个密钥。");
        }
        if (!row.IsActive)
        {
            return Result.Refused(new InputError(LimitField, $"密钥“{row.Name}”已经停用，不能再调整限额。"));
        }
        if (LimitError(requestsPerMinute) is { } error)
        {
            return Result.Refused(error);
        }
        if (row.RequestsPerMinute == requestsPerMinute)
        {
            return Result.Unchanged($"密钥“{row.Name}”的限额本来就是每分钟 {row.RequestsPerMinute} 次。");
        }
        var before = row.RequestsPerMinute;
        row.RequestsPerMinute = requestsPerMinute!.Value;
        audit.Add(AuditActions.ApiKeyLimitChanged, $"api-key:{row.Id}", $"{row.Name}（{row.Prefix}…）：每分钟 {before} 次 → {row.RequestsPerMinute} 次");
        await db.SaveChangesAsync(ct);
        await ForgetEverywhereAsync(row.Prefix, ct);
        logger.LogInformation("API key {ApiKeyId} {ApiKeyPrefix} limit changed from {Before} to {After} requests per minute",
            row.Id, row.Prefix, before, row.RequestsPerMinute);
        return Result.Done($"密钥“{row.Name}”的限额已改为每分钟 {row.RequestsPerMinute} 次。");
    }

    private static InputError? LimitError(int? requestsPerMinute) => requestsPerMinute is >= 1 and <= MaxRequestsPerMinute
        ? null
        : new InputError(LimitField, $"每分钟请求数应为 1 到 {MaxRequestsPerMinute} 之间的整数。");

    private async Task ForgetEverywhereAsync(string prefix, CancellationToken ct)
    {
        directory.Forget(prefix);
        await cluster.AnnounceAsync(ClusterChange.Keys, ct);
    }
}
