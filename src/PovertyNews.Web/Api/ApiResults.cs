using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PovertyNews.Web.Common;

namespace PovertyNews.Web.Api;

/// <summary>How the API answers: JSON with a strong ETag of its bytes, and Chinese problem details for refusals.</summary>
public static partial class ApiResults
{
    /// <summary>
    /// The bytes once, their hash as the ETag: the same answer has the same tag on every node and after an eviction,
    /// so a partner polling with If-None-Match gets 304 until something really changed. The output cache keeps the tag
    /// with the entry and answers If-None-Match from it by itself.
    /// </summary>
    public static IResult Json<T>(HttpContext http, T value)
    {
        var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, json);
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"";
        var maxAge = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxAgeSeconds;
        var headers = http.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = $"public, max-age={maxAge.ToString(CultureInfo.InvariantCulture)}";
        var ifNoneMatch = http.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag == etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(bytes, "application/json; charset=utf-8");
    }

    /// <summary>A 400 naming the query parameter in <c>parameter</c>, so a program can tell a bad cursor from a bad limit without reading the Chinese.</summary>
    public static IResult BadRequest(string parameter, string detail) => Results.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest, Title = "请求参数有误", Detail = detail, Extensions = { ["parameter"] = parameter },
    });

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "未找到", detail);

    public static IResult Problem(int status, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });

    /// <summary>Writes a problem answer directly, for middleware (the key check, the rate limiter) that has no endpoint result.</summary>
    public static Task WriteProblemAsync(HttpContext http, int status, string title, string detail, CancellationToken ct)
    {
        http.Response.StatusCode = status;
        http.Response.Headers.CacheControl = "no-store";
        // The type Results.Problem gives the endpoints' own 400 and 404, so every error has the same shape.
        var type = status == StatusCodes.Status429TooManyRequests ? "https://tools.ietf.org/html/rfc6585#section-4"
            : status == StatusCodes.Status401Unauthorized ? "https://tools.ietf.org/html/rfc9110#section-15.5.2"
            : null;
        return http.Response.WriteAsJsonAsync(new ProblemDetails { Type = type, Status = status, Title = title, Detail = detail },
            (JsonSerializerOptions?)null, "application/problem+json; charset=utf-8", ct);
    }

    /// <summary>An address the site stores relative ("/media/…") made absolute from the public origin.</summary>
    public static string? Absolute(string baseUrl, string? url) =>
        url is null ? null : url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) ? baseUrl + url : url;

    /// <summary>Links and media in stored HTML point at the site itself ("/media/…"); a partner's page needs them absolute.</summary>
    public static string AbsoluteLinks(string baseUrl, string html) =>
        RootRelative().Replace(html, m => m.Groups[1].Value + baseUrl + "/");

    [GeneratedRegex("""(\s(?:src|href|poster)=["'])/(?!/)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RootRelative();

    public static string KindName(Domain.ArticleKind kind) => kind switch
    {
        Domain.ArticleKind.Gallery => "gallery",
        Domain.ArticleKind.Video => "video",
        _ => "article",
    };

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);

    public static string BaseUrl(HttpContext http) => PublicOrigin.Of(http).BaseUrl;
}
