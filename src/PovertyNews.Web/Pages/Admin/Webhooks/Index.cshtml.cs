using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Webhooks;

namespace PovertyNews.Web.Pages.Admin.Webhooks;

/// <summary>Webhook 接收地址: the registered endpoints, and the form registering a new one.</summary>
[Authorize(Policy = AccessPolicies.Administrators)]
public class IndexModel(NewsDbContext db, WebhookAdmin admin) : PageModel
{
    public sealed record Row(int Id, string Name, string Url, WebhookKind Kind, WebhookEvents Events, bool IsActive,
        int Pending, int Failed, DateTime? LastDeliveredAt);

    public sealed class InputModel
    {
        [Display(Name = "名称")]
        public string? Name { get; set; }

        [Display(Name = "接收地址")]
        public string? Url { get; set; }

        public WebhookKind Kind { get; set; }

        public List<WebhookEvents> Events { get; set; } = [];
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var events = Input.Events.Aggregate(WebhookEvents.None, (all, e) => all | e);
        var result = await admin.CreateAsync(new WebhookEndpointInput(Input.Name, Input.Url, Input.Kind, events), User.Identity?.Name, ct);
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result);
            await LoadAsync(ct);
            Response.StatusCode = result.StatusCode;
            return Page();
        }
        TempData.Flash(result);
        TempData[DetailsModel.SecretKey] = result.Value.Secret;
        return RedirectToPage("Details", new { id = result.Value.Id });
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        ViewData["Title"] = "Webhook";
        ViewData["AdminSection"] = "webhooks";
        Rows = await db.WebhookEndpoints.AsNoTracking().OrderBy(e => e.Id)
            .Select(e => new Row(e.Id, e.Name, e.Url, e.Kind, e.Events, e.IsActive,
                db.WebhookDeliveries.Count(d => d.EndpointId == e.Id && d.Status == WebhookDeliveryStatus.Pending),
                db.WebhookDeliveries.Count(d => d.EndpointId == e.Id && d.Status == WebhookDeliveryStatus.Failed),
                db.WebhookDeliveries.Where(d => d.EndpointId == e.Id).Max(d => d.DeliveredAt)))
            .ToListAsync(ct);
    }

    public static string KindLabel(WebhookKind kind) => kind switch
    {
        WebhookKind.CdnPurge => "CDN 刷新",
        WebhookKind.BaiduPush => "百度推送",
        _ => "通用（JSON）",
    };

    /// <summary>The address without its query: a 百度 token must not be shown on every list.</summary>
    public static string ShortUrl(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Path) : url;
}
