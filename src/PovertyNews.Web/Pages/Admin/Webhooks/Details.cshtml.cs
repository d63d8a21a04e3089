using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Webhooks;

namespace PovertyNews.Web.Pages.Admin.Webhooks;

/// <summary>One endpoint: its settings and actions (test, rotate secret, disable, delete) and its latest 50 deliveries with 重新发送.</summary>
[Authorize(Policy = AccessPolicies.Administrators)]
public class DetailsModel(NewsDbContext db, WebhookAdmin admin) : PageModel
{
    public const string SecretKey = "WebhookSecret";

    public sealed record Delivery(long Id, string EventType, string EventKey, WebhookDeliveryStatus Status, int Attempts, int? LastStatusCode,
        string? LastError, int? LastDurationMs, DateTime CreatedAt, DateTime NextAttemptAt, DateTime? DeliveredAt);

    public WebhookEndpoint Endpoint { get; private set; } = null!;

    public IReadOnlyList<Delivery> Deliveries { get; private set; } = [];

    /// <summary>The secret just generated, shown this once.</summary>
    public string? Secret { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Secret = TempData[SecretKey] as string;
        return Page();
    }

    public async Task<IActionResult> OnPostPingAsync(int id, CancellationToken ct) => Answer(id, await admin.PingAsync(id, ct));

    public async Task<IActionResult> OnPostEnableAsync(int id, CancellationToken ct) => Answer(id, await admin.SetActiveAsync(id, true, ct));

    public async Task<IActionResult> OnPostDisableAsync(int id, CancellationToken ct) => Answer(id, await admin.SetActiveAsync(id, false, ct));

    public async Task<IActionResult> OnPostResendAsync(int id, long delivery, CancellationToken ct) => Answer(id, await admin.ResendAsync(id, delivery, ct));

    public async Task<IActionResult> OnPostRotateAsync(int id, CancellationToken ct)
    {
        var result = await admin.RotateSecretAsync(id, ct);
        if (result.Succeeded)
        {
            TempData[SecretKey] = result.Value;
        }
        return Answer(id, result);
    }

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        var result = await admin.DeleteAsync(id, ct);
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        TempData.Flash(result);
        return RedirectToPage("Index");
    }

    private IActionResult Answer(int id, Result result)
    {
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        if (!result.Succeeded)
        {
            // Every refusal here is a button on a stale page (a delivery already queued): its message, with its status.
            return StatusCode(result.StatusCode, string.Join(" ", result.Messages));
        }
        TempData.Flash(result);
        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        if (await db.WebhookEndpoints.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct) is not { } endpoint)
        {
            return false;
        }
        Endpoint = endpoint;
        ViewData["Title"] = $"Webhook：{endpoint.Name}";
        ViewData["AdminSection"] = "webhooks";
        Deliveries = await (from d in db.WebhookDeliveries.AsNoTracking()
                            join e in db.WebhookEvents on d.EventId equals e.Id
                            where d.EndpointId == id
                            orderby d.CreatedAt descending, d.Id descending
                            select new Delivery(d.Id, e.Type, e.Key, d.Status, d.Attempts, d.LastStatusCode, d.LastError, d.LastDurationMs,
                                d.CreatedAt, d.NextAttemptAt, d.DeliveredAt))
            .Take(50).ToListAsync(ct);
        return true;
    }

    public static string StatusLabel(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Delivered => "已送达",
        WebhookDeliveryStatus.Failed => "失败",
        _ => "待发送",
    };
}
