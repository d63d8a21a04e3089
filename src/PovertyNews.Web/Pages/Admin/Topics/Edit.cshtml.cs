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

/// <summary>
/// One 专题: its fields, publishing, its sections (order, add, remove; each section's own page picks reports) and its
/// 大事记. Every form posts to its own handler; a refusal shows the page again with the messages and a 4xx.
/// </summary>
[Authorize(Policy = AccessPolicies.TopicManagers)]
public class EditModel(NewsDbContext db, TopicService topics) : PageModel
{
    public sealed record SectionRow(int Id, string Title, TopicSectionSource Source, string SourceText, int MaxItems, int Picked);

    public sealed record EntryRow(int Id, DateOnly Date, string Text, int? ArticleId);

    [BindProperty]
    public TopicInput Input { get; set; } = new();

    [BindProperty]
    public TopicSectionInput Section { get; set; } = new() { Source = nameof(TopicSectionSource.Tag) };

    [BindProperty]
    public TopicTimelineInput Entry { get; set; } = new();

    public string Title { get; private set; } = "";
    public string Slug { get; private set; } = "";
    public bool IsPublished { get; private set; }
    public IReadOnlyList<SectionRow> Sections { get; private set; } = [];
    public IReadOnlyList<EntryRow> Timeline { get; private set; } = [];
    public IReadOnlyList<ChannelOption> Channels { get; private set; } = [];

    public sealed record ChannelOption(int Id, string Name);

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (await db.Topics.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct) is not { } topic)
        {
            return NotFound();
        }
        Input = TopicInput.From(topic);
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public Task<IActionResult> OnPostAsync(int id, CancellationToken ct) => AnswerAsync(id, () => topics.UpdateAsync(id, Input, ct), "Input", ct);

    public Task<IActionResult> OnPostPublishAsync(int id, CancellationToken ct) => AnswerAsync(id, () => topics.PublishAsync(id, true, ct), null, ct);

    public Task<IActionResult> OnPostUnpublishAsync(int id, CancellationToken ct) => AnswerAsync(id, () => topics.PublishAsync(id, false, ct), null, ct);

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct)
    {
        var result = await topics.DeleteAsync(id, ct);
        return result.Succeeded ? Done(result, Url.Page("/Admin/Topics/Index")!) : await AnswerAsync(id, () => Task.FromResult(result), null, ct);
    }

    public Task<IActionResult> OnPostAddSectionAsync(int id, CancellationToken ct) =>
        AnswerAsync(id, async () => await topics.AddSectionAsync(id, Section, ct), "Section", ct);

    public Task<IActionResult> OnPostMoveSectionAsync(int id, int sectionId, int delta, CancellationToken ct) =>
        AnswerAsync(id, () => topics.MoveSectionAsync(id, sectionId, delta, ct), null, ct);

    public Task<IActionResult> OnPostRemoveSectionAsync(int id, int sectionId, CancellationToken ct) =>
        AnswerAsync(id, () => topics.RemoveSectionAsync(id, sectionId, ct), null, ct);

    public Task<IActionResult> OnPostAddEntryAsync(int id, CancellationToken ct) =>
        AnswerAsync(id, () => topics.AddTimelineEntryAsync(id, Entry, ct), "Entry", ct);

    public Task<IActionResult> OnPostRemoveEntryAsync(int id, int entryId, CancellationToken ct) =>
        AnswerAsync(id, () => topics.RemoveTimelineEntryAsync(id, entryId, ct), null, ct);

    /// <summary>Post-redirect-get on success; otherwise the page again, the input kept, with the messages and the result's status.</summary>
    private async Task<IActionResult> AnswerAsync(int id, Func<Task<Result>> write, string? prefix, CancellationToken ct)
    {
        ModelState.Clear();
        var result = await write();
        if (result.Succeeded)
        {
            return Done(result, Url.Page("/Admin/Topics/Edit", new { id })!);
        }
        if (result.Kind == ResultKind.NotFound && !await db.Topics.AnyAsync(t => t.Id == id, ct))
        {
            return NotFound();
        }
        ModelState.AddErrors(result, prefix);
        Response.StatusCode = result.StatusCode;
        if (prefix != "Input" && await db.Topics.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, ct) is { } topic)
        {
            Input = TopicInput.From(topic);
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private RedirectResult Done(Result result, string url)
    {
        TempData.Flash(result);
        return Redirect(url);
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var topic = await db.Topics.AsNoTracking().Where(t => t.Id == id).Select(t => new { t.Title, t.Slug, t.IsPublished }).SingleOrDefaultAsync(ct);
        if (topic is null)
        {
            return false;
        }
        (Title, Slug, IsPublished) = (topic.Title, topic.Slug, topic.IsPublished);
        Channels = await db.Channels.AsNoTracking().OrderBy(c => c.SortOrder).ThenBy(c => c.Id).Select(c => new ChannelOption(c.Id, c.Name)).ToListAsync(ct);
        var rows = await db.TopicSections.AsNoTracking().Where(s => s.TopicId == id).OrderBy(s => s.Position).ThenBy(s => s.Id)
            .Select(s => new
            {
                s.Id, s.Title, s.Source, s.MaxItems, Picked = s.Articles.Count,
                Tag = db.Tags.Where(t => t.Id == s.TagId).OrderBy(t => t.Id).Select(t => t.Name).FirstOrDefault(),
                Channel = db.Channels.Where(c => c.Id == s.ChannelId).OrderBy(c => c.Id).Select(c => c.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        Sections = rows.Select(s => new SectionRow(s.Id, s.Title, s.Source, s.Source switch
        {
            TopicSectionSource.Tag => s.Tag is null ? "标签（已删除）" : $"标签：{s.Tag}",
            TopicSectionSource.Channel => s.Channel is null ? "栏目（已删除）" : $"栏目：{s.Channel}（含子栏目）",
            _ => $"手选稿件：{s.Picked} 篇",
        }, s.MaxItems, s.Picked)).ToList();
        Timeline = await db.TopicTimelineEntries.AsNoTracking().Where(e => e.TopicId == id).OrderBy(e => e.Date).ThenBy(e => e.Id)
            .Select(e => new EntryRow(e.Id, e.Date, e.Text, e.ArticleId)).ToListAsync(ct);
        ViewData["Title"] = $"专题：{Title}";
        ViewData["AdminSection"] = "topics";
        return true;
    }
}
