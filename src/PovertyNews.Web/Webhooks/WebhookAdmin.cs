using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Webhooks;

/// <summary>What an administrator posts to register or change an endpoint.</summary>
public sealed record WebhookEndpointInput(string? Name, string? Url, WebhookKind Kind, WebhookEvents Events);

/// <summary>
/// The administrators' writes: endpoints (the secret is generated here and returned once), their state, and the
/// queue's resend and test. Each validates, saves and audits.
/// </summary>
public sealed class WebhookAdmin(NewsDbContext db, AuditLog audit, TimeProvider time, IDataProtectionProvider protection,
    IOptions<WebhookOptions> options)
{
    /// <summary>Registers an endpoint; the value is its id and its secret in clear, which is not shown again.</summary>
    public async Task<Result<(int Id, string Secret)>> CreateAsync(WebhookEndpointInput input, string? userName, CancellationToken ct)
    {
        var url = input.Url?.Trim();
        if (input.Kind == WebhookKind.BaiduPush && string.IsNullOrEmpty(url) && options.Value is { BaiduSite: { Length: > 0 } site, BaiduToken: { Length: > 0 } token })
        {
            url = $"{options.Value.BaiduPushUrl}?site={Uri.EscapeDataString(site)}&token={Uri.EscapeDataString(token)}";
        }
        var errors = new List<InputError>();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(new("Name", "请填写名称。"));
        }
        else if (name.Length > WebhookEndpoint.MaxNameLength)
        {
            errors.Add(new("Name", $"名称不能超过 {WebhookEndpoint.MaxNameLength} 个字。"));
        }
        if (WebhookAddresses.Refusal(url, input.Kind, options.Value) is { } refusal)
        {
            errors.Add(new("Url", refusal));
        }
        if (!Enum.IsDefined(input.Kind))
        {
            errors.Add(new("Kind", "请选择类型。"));
        }
        var events = input.Events & WebhookEvents.All;
        if (events == WebhookEvents.None)
        {
            errors.Add(new("Events", "请至少选择一种事件。"));
        }
        if (errors.Count > 0)
        {
            return Result.Refused(errors).As<(int, string)>();
        }
        var secret = WebhookSignature.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            Name = name!,
            Url = url!,
            Kind = input.Kind,
            Events = events,
            ProtectedSecret = Protector().Protect(secret),
            CreatedAt = time.GetUtcNow().UtcDateTime,
            CreatedBy = userName ?? "",
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(ct);
        // The token of a 百度 address is a credential: the audit names the host, not the query.
        audit.Add(WebhookAuditActions.Created, Target(endpoint.Id), $"{endpoint.Name}（{input.Kind}，{new Uri(endpoint.Url).GetLeftPart(UriPartial.Path)}）");
        await db.SaveChangesAsync(ct);
        return Result<(int, string)>.Done((endpoint.Id, secret), "已添加接收地址。签名密钥只显示这一次，请立即保存。");
    }

    public async Task<Result<string>> RotateSecretAsync(int id, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null)
        {
            return Result.NotFound().As<string>();
        }
        var secret = WebhookSignature.NewSecret();
        endpoint.ProtectedSecret = Protector().Protect(secret);
        audit.Add(WebhookAuditActions.SecretRotated, Target(id), endpoint.Name);
        await db.SaveChangesAsync(ct);
        return Result<string>.Done(secret, "已更换签名密钥。新密钥只显示这一次，请立即保存；旧密钥已失效。");
    }

    public async Task<Result> SetActiveAsync(int id, bool active, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null)
        {
            return Result.NotFound();
        }
        if (endpoint.IsActive == active)
        {
            return Result.Unchanged();
        }
        endpoint.IsActive = active;
        audit.Add(active ? WebhookAuditActions.Enabled : WebhookAuditActions.Disabled, Target(id), endpoint.Name);
        await db.SaveChangesAsync(ct);
        return Result.Done(active ? "已启用。" : "已停用：不再为新事件发送。");
    }

    public async Task<Result> DeleteAsync(int id, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null)
        {
            return Result.NotFound();
        }
        // Its deliveries go with it (cascade): the log of an endpoint that no longer exists has no page.
        db.WebhookEndpoints.Remove(endpoint);
        audit.Add(WebhookAuditActions.Deleted, Target(id), endpoint.Name);
        await db.SaveChangesAsync(ct);
        return Result.Done($"已删除接收地址“{endpoint.Name}”。");
    }

    /// <summary>重新发送: the delivery goes back into the queue as new, due now.</summary>
    public async Task<Result> ResendAsync(int endpointId, long deliveryId, CancellationToken ct)
    {
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == endpointId, ct);
        if (delivery is null)
        {
            return Result.NotFound();
        }
        if (delivery.Status == WebhookDeliveryStatus.Pending)
        {
            return Result.Refused("这次发送还在队列中，无需重新发送。", StatusCodes.Status409Conflict);
        }
        delivery.Status = WebhookDeliveryStatus.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptAt = time.GetUtcNow().UtcDateTime;
        delivery.LockedUntil = null;
        delivery.DeliveredAt = null;
        audit.Add(WebhookAuditActions.Resent, Target(endpointId), $"delivery:{deliveryId}");
        await db.SaveChangesAsync(ct);
        return Result.Done("已重新加入发送队列。");
    }

    /// <summary>发送测试: a ping event delivered to this endpoint alone (it is marked fanned out at once).</summary>
    public async Task<Result> PingAsync(int id, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null)
        {
            return Result.NotFound();
        }
        var now = time.GetUtcNow().UtcDateTime;
        var key = $"{WebhookEventTypes.Ping}:{id}:{Guid.NewGuid():N}";
        var evt = new WebhookEvent
        {
            Key = key,
            Type = WebhookEventTypes.Ping,
            Payload = new WebhookPayload(key, WebhookEventTypes.Ping, now, null, []).ToJson(),
            OccurredAt = now,
            FannedOutAt = now,
        };
        db.WebhookEvents.Add(evt);
        await db.SaveChangesAsync(ct);
        db.WebhookDeliveries.Add(new WebhookDelivery { EventId = evt.Id, EndpointId = id, CreatedAt = now, NextAttemptAt = now });
        audit.Add(WebhookAuditActions.Pinged, Target(id), endpoint.Name);
        await db.SaveChangesAsync(ct);
        return Result.Done("已加入发送队列，几秒后可在下方发送记录中查看结果。");
    }

    private IDataProtector Protector() => protection.CreateProtector(WebhookDispatcher.SecretPurpose);

    private static string Target(int id) => $"webhook:{id}";
}

/// <summary>The audit log's names for webhook changes.</summary>
public static class WebhookAuditActions
{
    public const string Created = "webhook.created";
    public const string SecretRotated = "webhook.secret-rotated";
    public const string Enabled = "webhook.enabled";
    public const string Disabled = "webhook.disabled";
    public const string Deleted = "webhook.deleted";
    public const string Resent = "webhook.resent";
    public const string Pinged = "webhook.pinged";
}
