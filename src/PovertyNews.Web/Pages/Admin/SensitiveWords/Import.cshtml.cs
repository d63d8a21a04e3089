using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Newsroom.SensitiveWords;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Pages.Admin.SensitiveWords;

/// <summary>Imports a word list file (the export's format) into the list and reports what it did, line by line.</summary>
[Authorize(Policy = AccessPolicies.Administrators)]
// The request may be far larger than the file limit, so a file chosen by mistake gets a message rather than a refused
// request; the framework buffers uploads over 64 KB to disk, and Length is checked before anything is read.
[RequestFormLimits(MultipartBodyLengthLimit = UploadLimit)]
[RequestSizeLimit(UploadLimit + 64 * 1024)]
public class ImportModel(SensitiveWordAdmin admin) : PageModel
{
    /// <summary>Rejected lines listed on the page; a file of nonsense is summarised past this.</summary>
    public const int ShownRejections = 200;

    /// <summary>Largest request accepted at all; files up to this size are refused with a message, larger ones with 413.</summary>
    public const int UploadLimit = 16 * SensitiveWordFile.MaxBytes;

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public SensitiveWordImport? Result { get; private set; }

    public string? FileName { get; private set; }

    public void OnGet() => SetTitle();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        SetTitle();
        if (await ReadAsync(ct) is not { } text)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var imported = await admin.ImportAsync(text, FileName!, User.ToActor(), ct);
        Result = imported.Value;
        if (!imported.Succeeded)
        {
            ModelState.AddErrors(imported, "");
            Response.StatusCode = imported.StatusCode;
        }
        return Page();
    }

    /// <summary>The uploaded file's text, or null with a message for the page.</summary>
    private async Task<string?> ReadAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid || Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), "请选择要导入的文件（UTF-8 编码的文本文件）。");
            return null;
        }
        FileName = AuditLogName(Upload.FileName);
        if (Upload.Length > SensitiveWordFile.MaxBytes)
        {
            ModelState.AddModelError(nameof(Upload),
                $"文件“{FileName}”有 {Upload.Length / 1024:N0} KB，超过了 {SensitiveWordFile.MaxBytes / 1024 / 1024} MB 的上限。请拆成几个文件分别导入。");
            return null;
        }
        using var buffer = new MemoryStream((int)Upload.Length);
        await using (var stream = Upload.OpenReadStream())
        {
            await stream.CopyToAsync(buffer, ct);
        }
        var text = SensitiveWordFile.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        if (text is null)
        {
            ModelState.AddModelError(nameof(Upload), $"文件“{FileName}”不是 UTF-8 编码的文本。请在编辑器中另存为 UTF-8 后再导入。");
        }
        return text;
    }

    private static string AuditLogName(string? name)
    {
        var file = Path.GetFileName(name ?? "");
        return file.Length == 0 ? "（未命名）" : AuditLog.Clean(file, 100);
    }

    private void SetTitle()
    {
        ViewData["Title"] = "导入敏感词";
        ViewData["AdminSection"] = "sensitive-words";
    }
}
