using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace PovertyNews.Benchmarks;

/// <summary>An editor in the newsroom, posting the real forms (antiforgery token included) as a browser would.</summary>
public sealed partial class NewsroomDriver(string baseUrl, TimeSpan? timeout = null) : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer(), UseCookies = true })
    {
        BaseAddress = new Uri(baseUrl),
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
    };
    private string? _uploadToken;
    private string? _editorToken;

    public async Task SignInAsync(string email, string password) =>
        await PostFormAsync("/admin/signin", "form", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>Writes a draft through 写稿 and returns its id.</summary>
    public async Task<int> CreateDraftAsync(string title, string channelName, string body)
    {
        var page = await GetPageAsync("/admin/articles/new");
        var channel = page.QuerySelectorAll("select[name='Input.ChannelId'] option")
            .First(o => o.TextContent.Trim() == channelName).GetAttribute("value")!;
        var response = await PostFormAsync(page, "/admin/articles/new", "#article-form", new()
        {
            ["Input.Title"] = title,
            ["Input.ChannelId"] = channel,
            ["Input.Summary"] = title,
            ["Input.Body"] = body,
        });
        var location = response.Headers.Location?.OriginalString ?? throw new InvalidOperationException("no redirect after saving the draft");
        return int.Parse(IdPattern().Match(location).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Saves new text into an article through its edit form (保存), as a browser posts it; throws unless the save redirects.</summary>
    public async Task EditAsync(int id, string summary, string body, CancellationToken ct = default)
    {
        var url = $"/admin/articles/{id}/edit";
        await PostFormAsync(await GetPageAsync(url), url, "#article-form", new()
        {
            ["Input.Summary"] = summary,
            ["Input.Body"] = body,
        }, ct);
    }

    /// <summary>One step of the review page (submit, pass, publish …).</summary>
    public async Task StepAsync(int id, string step, string? note = null)
    {
        var values = new Dictionary<string, string>();
        if (note is not null)
        {
            values["Input.Note"] = note;
        }
        await PostFormAsync($"/admin/articles/{id}", $"#workflow-{step}", values);
    }

    /// <summary>
    /// Posts an image through 上传图片's multipart form, token included, as a browser does (no JSON asked for): a
    /// stored image answers 302 to its page. The answer is the caller's to judge and dispose.
    /// </summary>
    public async Task<HttpResponseMessage> UploadAsync(HttpContent file, string fileName, string contentType, string altText,
        CancellationToken ct = default)
    {
        _uploadToken ??= TokenOf(await GetPageAsync("/admin/media/upload"), "form.media-upload");
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(_uploadToken), "__RequestVerificationToken" },
            { new StringContent(altText), "AltText" },
            { file, "File", fileName },
        };
        return await _client.PostAsync("/admin/media/upload", form, ct);
    }

    /// <summary>As editor.js previews: the Markdown as a form field, the token in the RequestVerificationToken header.</summary>
    public async Task<HttpResponseMessage> PreviewAsync(string markdown, CancellationToken ct = default)
    {
        _editorToken ??= TokenOf(await GetPageAsync("/admin/articles/new"), "#article-form");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/articles/preview")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Markdown"] = markdown }),
        };
        request.Headers.Add("RequestVerificationToken", _editorToken);
        return await _client.SendAsync(request, ct);
    }

    public Task<HttpResponseMessage> GetAsync(string url, CancellationToken ct = default) => _client.GetAsync(url, ct);

    private static string TokenOf(IHtmlDocument page, string formSelector) =>
        page.QuerySelector($"{formSelector} input[name=__RequestVerificationToken]")?.GetAttribute("value")
        ?? throw new InvalidOperationException($"no antiforgery token in {formSelector}");

    private async Task<IHtmlDocument> GetPageAsync(string url)
    {
        using var response = await _client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}");
        }
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> PostFormAsync(string url, string selector, Dictionary<string, string> values) =>
        await PostFormAsync(await GetPageAsync(url), url, selector, values);

    private async Task<HttpResponseMessage> PostFormAsync(IHtmlDocument page, string url, string selector, Dictionary<string, string> values,
        CancellationToken ct = default)
    {
        var form = page.QuerySelector(selector) as IHtmlFormElement ?? throw new InvalidOperationException($"no form {selector} on {url}");
        var fields = form.Elements.OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name) && i.Type is "hidden" or "text" or "email" or "password")
            .ToDictionary(i => i.Name!, i => i.Value ?? "");
        foreach (var select in form.Elements.OfType<IHtmlSelectElement>().Where(s => !string.IsNullOrEmpty(s.Name)))
        {
            fields[select.Name!] = select.Value ?? "";
        }
        foreach (var area in form.Elements.OfType<IHtmlTextAreaElement>().Where(a => !string.IsNullOrEmpty(a.Name)))
        {
            fields[area.Name!] = area.Value ?? "";
        }
        foreach (var (name, value) in values)
        {
            fields[name] = value;
        }
        var action = form.GetAttribute("action") is { Length: > 0 } a ? a : url;
        var response = await _client.PostAsync(action, new FormUrlEncodedContent(fields), ct);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"POST {action} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return response;
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex(@"/admin/articles/(\d+)")]
    private static partial Regex IdPattern();
}
