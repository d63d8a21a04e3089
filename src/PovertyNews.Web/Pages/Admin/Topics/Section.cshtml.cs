using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Topics;

namespace PovertyNews.Web.Pages.Admin.Topics;

/// <summary>One section of a 专题: its heading and source, and for a hand-picked section the reports in their order.</summary>
[Authorize(Policy = AccessPolicies.TopicManagers)]
public class SectionModel(NewsDbContext db, TopicService topics, TimeProvider time) : PageModel
{
    public sealed record PickedRow(int Id, string Title, ArticleStatus Status, bool Visible);

    [BindProperty]
    public TopicSectionInput Section { get; set; } = new();

    [BindProperty]
    public string? Article { get; set; }

    public string TopicTitle { get; private set; } = "";
    public TopicSectionSource Source { get; private set; }
    public IReadOnlyList<PickedRow> Picked { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, int sectionId, CancellationToken ct)
    {
        if (!await FillInputAsync(id, sectionId, ct))
        {
            return NotFound();
        }
        return await LoadAsync(id, sectionId, ct) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostAsync(int id, int sectionId, CancellationToken ct) =>
        AnswerAsync(id, sectionId, () => topics.UpdateSectionAsync(id, sectionId, Section, ct), "Section", ct);

    public Task<IActionResult> OnPostAddArticleAsync(int id, int sectionId, CancellationToken ct) =>
        AnswerAsync(id, sectionId, () => topics.AddArticleAsync(id, sectionId, Article, ct), "", ct);

    public Task<IActionResult> OnPostMoveArticleAsync(int id, int sectionId, int articleId, int delta, CancellationToken ct) =>
        AnswerAsync(id, sectionId, () => topics.MoveArticleAsync(id, sectionId, articleId, delta, ct), null, ct);

    public Task<IActionResult> OnPostRemoveArticleAsync(int id, int sectionId, int articleId, CancellationToken ct) =>
        AnswerAsync(id, sectionId, () => topics.RemoveArticleAsync(id, sectionId, articleId, ct), null, ct);

    private async Task<IActionResult> AnswerAsync(int id, int sectionId, Func<Task<Result>> write, string? prefix, CancellationToken ct)
    {
        ModelState.Clear();
        var result = await write();
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return Redirect(Url.Page("/Admin/Topics/Section", new { id, sectionId })!);
        }
        if (prefix != "Section" && !await FillInputAsync(id, sectionId, ct))
        {
            return NotFound();
        }
        ModelState.AddErrors(result, prefix);
        Response.StatusCode = result.StatusCode;
        return await LoadAsync(id, sectionId, ct) ? Page() : NotFound();
    }

    private async Task<bool> FillInputAsync(int id, int sectionId, CancellationToken ct)
    {
        var section = await db.TopicSections.AsNoTracking().Where(s => s.Id == sectionId && s.TopicId == id)
            .Select(s => new { s.Title, s.Source, s.ChannelId, s.MaxItems, Tag = db.Tags.Where(t => t.Id == s.TagId).OrderBy(t => t.Id).Select(t => t.Name).FirstOrDefault() })
            .SingleOrDefaultAsync(ct);
        if (section is null)
        {
            return false;
        }
        Section = new TopicSectionInput
        {
            Title = section.Title, Source = section.Source.ToString(), Tag = section.Tag,
            ChannelId = section.ChannelId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            MaxItems = section.MaxItems.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return true;
    }

    private async Task<bool> LoadAsync(int id, int sectionId, CancellationToken ct)
    {
        var found = await db.TopicSections.AsNoTracking().Where(s => s.Id == sectionId && s.TopicId == id)
            .Select(s => new { s.Source, Topic = db.Topics.Where(t => t.Id == id).Select(t => t.Title).First() }).SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return false;
        }
        (TopicTitle, Source) = (found.Topic, found.Source);
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await db.TopicSectionArticles.AsNoTracking().Where(p => p.SectionId == sectionId).OrderBy(p => p.Position)
            .Join(db.Articles, p => p.ArticleId, a => a.Id, (p, a) => new { a.Id, a.Title, a.Status, a.PublishedAt, a.OfflineAt })
            .ToListAsync(ct);
        Picked = rows.Select(a => new PickedRow(a.Id, a.Title, a.Status, Domain.Article.IsVisible(a.Status, a.PublishedAt, a.OfflineAt, now))).ToList();
        ViewData["Channels"] = await db.Channels.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Id)
            .Select(c => new EditModel.ChannelOption(c.Id, c.Name)).ToListAsync(ct);
        ViewData["Title"] = $"专题栏目：{Section.Title}";
        ViewData["AdminSection"] = "topics";
        return true;
    }
}
