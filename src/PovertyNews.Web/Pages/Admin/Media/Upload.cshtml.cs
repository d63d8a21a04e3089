using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Common;
using PovertyNews.Web.Media;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Operations.Failures;

namespace PovertyNews.Web.Pages.Admin.Media;

/// <summary>
/// 上传图片. The size is checked before the body is read: a 200 MB request is answered from its Content-Length
/// (413 with the form and a Chinese message) without reading a byte, and a body without a length is cut off at the
/// limit. That is why this page reads the form itself, with its own limits, and validates the antiforgery token by
/// hand afterwards: the automatic check and model binding would read the whole body first and fail with a bare 400.
/// Answers JSON instead of the page when asked to (the editor's picker uploads with fetch).
/// </summary>
[Authorize(Policy = AccessPolicies.MediaUsers)]
[IgnoreAntiforgeryToken] // validated in OnPostAsync once the size is known to be acceptable
[RequestSizeLimit(MediaOptions.RequestCeiling)] // lowered to the configured limit in OnPostAsync
public class UploadModel(MediaLibrary library, IAntiforgery antiforgery, IOptions<MediaOptions> options) : PageModel, IKeepsInputOnStorageFailure
{
    public string? Error { get; private set; }
    public string? AltText { get; private set; }
    public long MaxBytes => options.Value.MaxBytes;
    public long MaxPixels => options.Value.MaxPixels;

    public void OnGet() => Titles();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var limit = options.Value.MaxRequestBytes;
        if (Request.ContentLength > limit)
        {
            return Refuse(MediaLibrary.TooLargeMessage(MaxBytes, Request.ContentLength), StatusCodes.Status413PayloadTooLarge);
        }
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }
        if (!Request.HasFormContentType)
        {
            return Refuse("请通过上传表单选择图片。", StatusCodes.Status400BadRequest);
        }
        IFormCollection form;
        try
        {
            form = await Request.ReadFormAsync(new FormOptions
            {
                MultipartBodyLengthLimit = limit,
                ValueCountLimit = 16,
                ValueLengthLimit = 16 * 1024,
                MultipartHeadersLengthLimit = 16 * 1024,
            }, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refuse(MediaLibrary.TooLargeMessage(MaxBytes), StatusCodes.Status413PayloadTooLarge);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(MediaLibrary.TooLargeMessage(MaxBytes), StatusCodes.Status413PayloadTooLarge);
        }
        catch (Exception e) when ((e is InvalidDataException or IOException or BadHttpRequestException) && StorageFailure.Recognize(e) is null)
        {
            return Refuse("上传没有完成（连接中断或数据有误），请重试。", StatusCodes.Status400BadRequest);
        }
        try
        {
            await antiforgery.ValidateRequestAsync(HttpContext);
        }
        catch (AntiforgeryValidationException)
        {
            return Refuse("页面已过期，请刷新后重新上传。", StatusCodes.Status400BadRequest);
        }

        AltText = form["AltText"].ToString();
        if (form.Files.GetFile("File") is not { } file || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
        {
            return Refuse("请选择要上传的图片。", StatusCodes.Status400BadRequest);
        }
        await using var stream = file.OpenReadStream();
        var result = await library.UploadAsync(stream, file.Length, file.FileName, AltText, User.ToActor(), ct);
        if (result is not { Succeeded: true, Value: { } item })
        {
            return Refuse(result.Message!, result.StatusCode);
        }
        var duplicate = result.Kind == ResultKind.Unchanged;
        if (WantsJson)
        {
            return new JsonResult(new
            {
                id = item.Id,
                url = item.Url,
                alt = item.AltText ?? "",
                markdown = item.MarkdownSnippet,
                width = item.Width,
                height = item.Height,
                duplicate,
            }, JsonOptions) { StatusCode = duplicate ? StatusCodes.Status200OK : StatusCodes.Status201Created };
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/Media/Details", new { id = item.Id })!);
    }

    /// <summary>A full disk or a busy database: the same answer as a refusal (page or JSON for the picker), with 503.</summary>
    public Task<IActionResult> FormAfterStorageFailureAsync(string? handler, CancellationToken ct) =>
        Task.FromResult(Refuse(StorageFailure.Message, StatusCodes.Status503ServiceUnavailable));

    private bool WantsJson => Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    private IActionResult Refuse(string message, int status)
    {
        if (WantsJson)
        {
            return new JsonResult(new { message }, JsonOptions) { StatusCode = status };
        }
        Titles();
        Error = message;
        Response.StatusCode = status;
        return Page();
    }

    private void Titles()
    {
        ViewData["Title"] = "上传图片";
        ViewData["AdminSection"] = "media";
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}
