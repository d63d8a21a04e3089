using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Tags;

namespace PovertyNews.Web.Pages.Admin.Tags;

/// <summary>One tag: its reports, the old names that lead to it, and 改名, 合并 and (when unused) 删除.</summary>
[Authorize(Policy = AccessPolicies.TagManagers)]
public class EditModel(NewsDbContext db, TagService tags) : PageModel
{
    public string Name { get; private set; } = "";
    public int Articles { get; private set; }
    public IReadOnlyList<string> OldNames { get; private set; } = [];

    /// <summary>The most used other tags, offered as merge targets while typing.</summary>
    public IReadOnlyList<string> Suggestions { get; private set; } = [];

    [BindProperty] public TagInput Input { get; set; } = new();

    public sealed class TagInput
    {
        [StringLength(200, ErrorMessage = "标签不能超过 {1} 个字。")]
        public string? Name { get; set; }

        [StringLength(200, ErrorMessage = "标签不能超过 {1} 个字。")]
        public string? Target { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRenameAsync(int id, CancellationToken ct) =>
        await AnswerAsync(id, ModelState.IsValid ? await tags.RenameAsync(id, Input.Name, ct) : Result.Refused(), stay: true, ct);

    public async Task<IActionResult> OnPostMergeAsync(int id, CancellationToken ct) =>
        await AnswerAsync(id, ModelState.IsValid ? await tags.MergeAsync(id, Input.Target, ct) : Result.Refused(), stay: false, ct);

    public async Task<IActionResult> OnPostDeleteAsync(int id, CancellationToken ct) =>
        await AnswerAsync(id, await tags.DeleteAsync(id, ct), stay: false, ct);

    private async Task<IActionResult> AnswerAsync(int id, Result result, bool stay, CancellationToken ct)
    {
        if (result.Kind == ResultKind.NotFound)
        {
            return NotFound();
        }
        if (result.Succeeded)
        {
            TempData.Flash(result);
            return stay ? RedirectToPage(new { id }) : RedirectToPage("/Admin/Tags/Index");
        }
        ModelState.AddErrors(result);
        if (!await LoadAsync(id, ct))
        {
            return NotFound();
        }
        Response.StatusCode = result.StatusCode;
        return Page();
    }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var tag = await db.Tags.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new { t.Name, Articles = t.Articles.Count }).SingleOrDefaultAsync(ct);
        if (tag is null)
        {
            return false;
        }
        (Name, Articles) = (tag.Name, tag.Articles);
        OldNames = await db.TagRedirects.AsNoTracking().Where(r => r.TagId == id).OrderBy(r => r.OldName).Select(r => r.OldName).ToListAsync(ct);
        Suggestions = await db.Tags.AsNoTracking().Where(t => t.Id != id)
            .OrderByDescending(t => t.Articles.Count).ThenBy(t => t.Name).Take(200).Select(t => t.Name).ToListAsync(ct);
        ViewData["Title"] = $"标签：{Name}";
        ViewData["AdminSection"] = "tags";
        return true;
    }
}
