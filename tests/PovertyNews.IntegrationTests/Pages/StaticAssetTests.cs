using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using PovertyNews.IntegrationTests.Infrastructure;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// Stylesheets go out under fingerprinted URLs, cached for a year, precompressed by the build — under `dotnet run` as
/// when published; only Development reloads edited files.
/// </summary>
public sealed class StaticAssetTests(NewsFactory factory) : IClassFixture<NewsFactory>
{
    private async Task<string> StylesheetUrlAsync(HttpClient client)
    {
        var page = await client.GetPageAsync("/");
        return page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;
    }

    [Fact]
    public async Task Stylesheet_HasAFingerprintedUrl_CachedForAYearAsPublished()
    {
        var client = factory.CreateClient();

        var url = await StylesheetUrlAsync(client);
        using var response = await client.GetAsync(url);

        Assert.Matches(@"^/css/site\.[a-z0-9]{6,}\.css$", url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
        Assert.Contains(".site-header", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StylesheetUnderDotnetRunsDefaultEnvironment_GzippedAndImmutableAsPublished()
    {
        // What `dotnet run --project src/PovertyNews.Web` is: the build's output and manifest, environment Production.
        using var production = factory.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        var client = production.CreateClient();
        var url = await StylesheetUrlAsync(client);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
        Assert.Single(response.Content.Headers.ContentEncoding, coding => coding is "gzip" or "br");
    }

    [Fact]
    public async Task StylesheetInDevelopment_ReloadedFromDiskAndNotCached()
    {
        // Development keeps the framework's reloading of edited files, which must not be cached.
        using var development = factory.WithWebHostBuilder(b => b.UseEnvironment("Development"));
        var client = development.CreateClient();

        using var response = await client.GetAsync(await StylesheetUrlAsync(client));

        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Stylesheet_Gzipped_DecompressesToTheSameFile()
    {
        var client = factory.CreateClient();
        var url = await StylesheetUrlAsync(client);
        var plain = await client.GetStringAsync(url);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await client.SendAsync(request);
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);

        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        Assert.Equal(plain, await new StreamReader(gzip).ReadToEndAsync());
        Assert.Contains(".site-header", plain);
    }
}
