using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;

namespace PovertyNews.Web.Webhooks;

/// <summary>
/// The webhook queue's worker, on every node: fans new events out into deliveries (one node at a time, under
/// <see cref="JobLock"/>), then sends the due deliveries. Each delivery is claimed with one conditional UPDATE of its
/// lease, so two nodes passing at the same moment never send the same one; a node that dies mid-send leaves a lease
/// that runs out, and the delivery is tried again (at least once, not exactly once, across a crash).
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes,
    JobLock jobs,
    TimeProvider time,
    IHttpClientFactory clients,
    IDataProtectionProvider protection,
    IOptions<WebhookOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    public const string Job = "webhooks";
    public const int BatchSize = 50;
    public const string SecretPurpose = "PovertyNews.Webhooks.Secret";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        await PeriodicPass.RunAsync(time, options.Value.SendInterval, async ct =>
        {
            await RunPassAsync(ct);
        }, ex =>
        {
            logger.LogError(ex, "Sending webhooks failed; retrying in {Interval}", options.Value.SendInterval);
        }, stoppingToken);
    }

    /// <summary>How often a node looks for events past <see cref="WebhookOptions.RetentionDays"/>.</summary>
    public static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    /// <summary>One pass: fan out, send, and (once an hour) prune the log. Returns how many deliveries succeeded.</summary>
    public async Task<int> RunPassAsync(CancellationToken ct)
    {
        await FanOutAsync(ct);
        var delivered = await SendDueAsync(ct);
        if (time.GetUtcNow() - _lastPrune >= PruneInterval)
        {
            _lastPrune = time.GetUtcNow();
            await PruneAsync(ct);
        }
        return delivered;
    }

    /// <summary>
    /// Deletes events older than <see cref="WebhookOptions.RetentionDays"/> whose deliveries have all ended, with those
    /// deliveries; the queue would otherwise grow by every save of every live report, for ever. Returns how many events.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        await using var pass = await jobs.TryEnterAsync(Job, ct);
        if (pass is null)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        var ended = db.WebhookEvents.Where(e => e.FannedOutAt != null && e.OccurredAt < cutoff
            && !db.WebhookDeliveries.Any(d => d.EventId == e.Id && d.Status == WebhookDeliveryStatus.Pending));
        // Set-based: the log is not on any cached page. Deliveries first, for their foreign key; one transaction, so a
        // delivery an administrator sends again meanwhile is either kept with its event or was never there.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.WebhookDeliveries.Where(d => ended.Any(e => e.Id == d.EventId)).ExecuteDeleteAsync(ct);
        var events = await ended.ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        if (events > 0)
        {
            logger.LogInformation("Webhook log: {Events} events older than {Days} days deleted with their deliveries", events, options.Value.RetentionDays);
        }
        return events;
    }

    /// <summary>Makes a delivery for each active endpoint subscribed to each event not yet fanned out. Returns how many.</summary>
    public async Task<int> FanOutAsync(CancellationToken ct)
    {
        await using var pass = await jobs.TryEnterAsync(Job, ct);
        if (pass is null)
        {
            return 0;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var events = await db.WebhookEvents.Where(e => e.FannedOutAt == null).OrderBy(e => e.Id).Take(BatchSize).ToListAsync(ct);
        if (events.Count == 0)
        {
            return 0;
        }
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.IsActive).ToListAsync(ct);
        var ids = events.Select(e => e.Id).ToList();
        var existing = (await db.WebhookDeliveries.Where(d => ids.Contains(d.EventId)).Select(d => new { d.EventId, d.EndpointId }).ToListAsync(ct))
            .Select(d => (d.EventId, d.EndpointId)).ToHashSet();
        var made = 0;
        foreach (var e in events)
        {
            foreach (var endpoint in endpoints.Where(p => WebhookEventTypes.Wants(p, e.Type) && !existing.Contains((e.Id, p.Id))))
            {
                db.WebhookDeliveries.Add(new WebhookDelivery { EventId = e.Id, EndpointId = endpoint.Id, CreatedAt = now, NextAttemptAt = now });
                made++;
            }
            e.FannedOutAt = now;
        }
        await db.SaveChangesAsync(ct);
        if (made > 0)
        {
            logger.LogInformation("Webhook fan-out made {Deliveries} deliveries for {Events} events", made, events.Count);
        }
        return made;
    }

    /// <summary>Sends every delivery due now that no other node holds. Returns how many were delivered.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        List<long> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<NewsDbContext>().WebhookDeliveries.AsNoTracking()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LockedUntil == null || d.LockedUntil < now))
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).Select(d => d.Id).Take(BatchSize).ToListAsync(ct);
        }
        var delivered = 0;
        foreach (var id in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<NewsDbContext>();
            var leaseEnd = now + settings.LeaseLength;
            // The claim: whichever node's UPDATE matches first holds the row until its lease ends.
            var claimed = await db.WebhookDeliveries
                .Where(d => d.Id == id && d.Status == WebhookDeliveryStatus.Pending && (d.LockedUntil == null || d.LockedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LockedUntil, leaseEnd), ct);
            if (claimed == 0)
            {
                continue;
            }
            var delivery = await db.WebhookDeliveries.SingleAsync(d => d.Id == id, ct);
            var evt = await db.WebhookEvents.AsNoTracking().SingleAsync(e => e.Id == delivery.EventId, ct);
            var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == delivery.EndpointId, ct);
            var outcome = await SendAsync(delivery, evt, endpoint, ct);
            var after = time.GetUtcNow().UtcDateTime;
            delivery.Attempts++;
            delivery.LastStatusCode = outcome.StatusCode;
            delivery.LastDurationMs = outcome.DurationMs;
            delivery.LockedUntil = null;
            if (outcome.Error is null)
            {
                delivery.Status = WebhookDeliveryStatus.Delivered;
                delivery.DeliveredAt = after;
                delivery.LastError = null;
                delivered++;
                logger.LogInformation("Webhook delivery {DeliveryId} of {EventType} to endpoint {EndpointId} delivered ({StatusCode})",
                    id, evt.Type, endpoint.Id, outcome.StatusCode);
            }
            else
            {
                delivery.LastError = AuditLog.Clean(outcome.Error, 1000);
                if (delivery.Attempts >= settings.MaxAttempts)
                {
                    delivery.Status = WebhookDeliveryStatus.Failed;
                    logger.LogWarning("Webhook delivery {DeliveryId} to endpoint {EndpointId} failed for good after {Attempts} attempts: {Error}",
                        id, endpoint.Id, delivery.Attempts, outcome.Error);
                }
                else
                {
                    delivery.NextAttemptAt = after + Backoff(delivery.Attempts, settings.BaseBackoff);
                    logger.LogInformation("Webhook delivery {DeliveryId} to endpoint {EndpointId} failed ({Error}); attempt {Next} at {NextAttemptAt:o}",
                        id, endpoint.Id, outcome.Error, delivery.Attempts + 1, delivery.NextAttemptAt);
                }
            }
            await db.SaveChangesAsync(CancellationToken.None);
        }
        return delivered;
    }

    /// <summary>The wait after <paramref name="attempts"/> failures: base × 2^(attempts−1), plus up to a fifth more so retries spread out.</summary>
    public static TimeSpan Backoff(int attempts, TimeSpan baseDelay)
    {
        var delay = baseDelay * Math.Pow(2, Math.Clamp(attempts - 1, 0, 16));
        return delay + delay * (Random.Shared.NextDouble() / 5);
    }

    private sealed record Outcome(int? StatusCode, string? Error, int DurationMs);

    private async Task<Outcome> SendAsync(WebhookDelivery delivery, WebhookEvent evt, WebhookEndpoint endpoint, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var request = Request(delivery, evt, endpoint);
            var client = clients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, ct);
            var body = await ReadSomeAsync(response, ct);
            var code = (int)response.StatusCode;
            var error = !response.IsSuccessStatusCode ? $"HTTP {code}: {body}"
                : endpoint.Kind == WebhookKind.BaiduPush ? BaiduError(body)
                : null;
            return new(code, error, (int)watch.ElapsedMilliseconds);
        }
        // Whatever went wrong with this one request (refused, timed out, secret unreadable) is this attempt's failure.
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var message = ex is TaskCanceledException ? $"超时（{options.Value.RequestTimeout.TotalSeconds:0} 秒）" : ex.Message;
            return new(null, message, (int)watch.ElapsedMilliseconds);
        }
    }

    private HttpRequestMessage Request(WebhookDelivery delivery, WebhookEvent evt, WebhookEndpoint endpoint)
    {
        var payload = WebhookPayload.Parse(evt.Payload);
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url);
        request.Headers.Add(WebhookSignature.EventHeader, evt.Type);
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (endpoint.Kind == WebhookKind.BaiduPush)
        {
            // 百度 wants the pages to crawl, one per line; the article's page is what changed.
            var url = payload?.Article?.Url ?? "";
            request.Content = new StringContent(url, Encoding.UTF8, "text/plain");
            return request;
        }
        var body = endpoint.Kind == WebhookKind.CdnPurge
            ? JsonSerializer.Serialize(new { urls = payload?.Urls ?? [] }, WebhookPayload.Json)
            : evt.Payload;
        var secret = protection.CreateProtector(SecretPurpose).Unprotect(endpoint.ProtectedSecret);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>百度 answers 200 with {"success":n,"remain":m} or {"error":code,"message":"..."}.</summary>
    internal static string? BaiduError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("error", out var error))
            {
                var message = json.RootElement.TryGetProperty("message", out var m) ? m.ToString() : "";
                return $"百度推送失败：{error} {message}".Trim();
            }
            return json.RootElement.TryGetProperty("success", out _) ? null : $"百度推送的回答无法识别：{body}";
        }
        catch (JsonException)
        {
            return $"百度推送的回答无法识别：{body}";
        }
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length > 300 ? text[..300] : text;
    }
}
