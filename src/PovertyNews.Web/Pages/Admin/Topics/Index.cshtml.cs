using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Data;
using PovertyNews.Web.Newsroom.Access;

namespace PovertyNews.Web.Pages.Admin.Topics;

/// <summary>专题 in the newsroom: every topic, published or not, in the order readers get them.</summary>
[Authorize(Policy = AccessPolicies.TopicManagers)]
public class IndexModel(NewsDbContext db) : PageModel
{
    public sealed record Row(int Id, string Title, string Slug, bool IsPublished, bool ShowOnFrontPage, int Position, int Sections, int Entries, DateTime UpdatedAt);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        ViewData["Title"] = "专题";
        ViewData["AdminSection"] = "topics";
        Rows = await db.Topics.AsNoTracking()
            .OrderByDescending(t => t.IsPublished).ThenBy(t => t.Position).ThenByDescending(t => t.PublishedAt ?? t.CreatedAt).ThenByDescending(t => t.Id)
            .Select(t => new Row(t.Id, t.Title, t.Slug, t.IsPublished, t.ShowOnFrontPage, t.Position, t.Sections.Count, t.Timeline.Count, t.UpdatedAt))
            .ToListAsync(ct);
    }
}
