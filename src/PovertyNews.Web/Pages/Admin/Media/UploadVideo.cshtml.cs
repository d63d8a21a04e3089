using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PovertyNews.Web.Common;
using PovertyNews.Web.Data;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Media;
using PovertyNews.Web.Newsroom.Access;
using PovertyNews.Web.Newsroom.Accounts;
using PovertyNews.Web.Operations.Failures;

namespace PovertyNews.Web.Pages.Admin.Media;

/// <summary>
/// 上传视频: an MP4 or WebM file, with a poster chosen from the library's images or uploaded with it. Like the image
/// upload, the size is checked from Content-Length before the body is read and the form is read here with its own
/// limits (files above 64 KB are buffered to disk by the form reader, never held in memory), then the antiforgery
/// token is validated by hand. What the file is, is decided by its bytes (<see cref="VideoContainer"/>).
/// </summary>
[Authorize(Policy = AccessPolicies.MediaUsers)]
[IgnoreAntiforgeryToken] // validated in OnPostAsync once the size is known to be acceptable
[RequestSizeLimit(MediaOptions.VideoRequestCeiling)] // lowered to the configured limit in OnPostAsync
public class UploadVideoModel(MediaLibrary library, NewsDbContext db, IAntiforgery antiforgery, IOptions<MediaOptions> options)
    : PageModel, IKeepsInputOnStorageFailure
{
    public string? Error { get; private set; }
    public string? AltText { get; private set; }
    public int? PosterId { get; private set; }
    public long MaxBytes => options.Value.MaxVideoBytes;
    public long MaxImageBytes => options.Value.MaxBytes;
    public IReadOnlyList<PosterChoice> Posters { get; private set; } = [];

    /// <summary>A library image offered as a poster.</summary>
    public sealed record PosterChoice(int Id, string OriginalName, int Width, int Height);

    public async Task OnGetAsync(CancellationToken ct) => await PrepareAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var limit = options.Value.MaxVideoRequestBytes;
        if (Request.ContentLength > limit)
        {
            return await RefuseAsync(MediaLibrary.VideoTooLargeMessage(MaxBytes, Request.ContentLength), StatusCodes.Status413PayloadTooLarge, ct);
        }
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }
        if (!Request.HasFormContentType)
        {
            return await RefuseAsync("请通过上传表单选择视频。", StatusCodes.Status400BadRequest, ct);
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
        catch (Exception e) when ((e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
                                  || (e is InvalidDataException && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)))
        {
            return await RefuseAsync(MediaLibrary.VideoTooLargeMessage(MaxBytes), StatusCodes.Status413PayloadTooLarge, ct);
        }
        catch (Exception e) when ((e is InvalidDataException or IOException or BadHttpRequestException) && StorageFailure.Recognize(e) is null)
        {
            return await RefuseAsync("上传没有完成（连接中断或数据有误），请重试。", StatusCodes.Status400BadRequest, ct);
        }
        try
        {
            await antiforgery.ValidateRequestAsync(HttpContext);
        }
        catch (AntiforgeryValidationException)
        {
            return await RefuseAsync("页面已过期，请刷新后重新上传。", StatusCodes.Status400BadRequest, ct);
        }

        AltText = form["AltText"].ToString();
        PosterId = int.TryParse(form["PosterId"], NumberStyles.None, CultureInfo.InvariantCulture, out var chosen) && chosen > 0 ? chosen : null;
        if (form.Files.GetFile("File") is not { } file || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
        {
            return await RefuseAsync("请选择要上传的视频。", StatusCodes.Status400BadRequest, ct);
        }
        var actor = User.ToActor();
        // A poster uploaded with the video becomes a library image of its own, checked like any other.
        if (form.Files.GetFile("Poster") is { Length: > 0 } posterFile)
        {
            await using var posterStream = posterFile.OpenReadStream();
            var poster = await library.UploadAsync(posterStream, posterFile.Length, posterFile.FileName, AltText, actor, ct);
            if (poster is not { Succeeded: true, Value: { } image })
            {
                return await RefuseAsync("视频封面：" + poster.Message, poster.StatusCode, ct);
            }
            if (image.Kind != MediaKind.Image)
            {
                return await RefuseAsync("视频封面须是图片。", StatusCodes.Status400BadRequest, ct);
            }
            PosterId = image.Id;
        }
        await using var stream = file.OpenReadStream();
        var result = await library.UploadVideoAsync(stream, file.Length, file.FileName, AltText, PosterId, actor, ct);
        if (result is not { Succeeded: true, Value: { } item })
        {
            return await RefuseAsync(result.Message!, result.StatusCode, ct);
        }
        TempData.Flash(result);
        return Redirect(Url.Page("/Admin/Media/Details", new { id = item.Id })!);
    }

    /// <summary>A full disk or a busy database: the form again, with 503.</summary>
    public async Task<IActionResult> FormAfterStorageFailureAsync(string? handler, CancellationToken ct) =>
        await RefuseAsync(StorageFailure.Message, StatusCodes.Status503ServiceUnavailable, ct);

    private async Task<IActionResult> RefuseAsync(string message, int status, CancellationToken ct)
    {
        await PrepareAsync(ct);
        Error = message;
        Response.StatusCode = status;
        return Page();
    }

    private async Task PrepareAsync(CancellationToken ct)
    {
        ViewData["Title"] = "上传视频";
        ViewData["AdminSection"] = "media";
        Posters = await PosterChoicesAsync(db, ct);
    }

    /// <summary>The newest library images, offered as posters (the library page finds older ones by name).</summary>
    public static Task<List<PosterChoice>> PosterChoicesAsync(NewsDbContext db, CancellationToken ct) =>
        db.MediaItems.AsNoTracking().Where(m => m.Kind == MediaKind.Image)
            .OrderByDescending(m => m.UploadedAt).ThenByDescending(m => m.Id).Take(100)
            .Select(m => new PosterChoice(m.Id, m.OriginalName, m.Width, m.Height))
            .ToListAsync(ct);
}
