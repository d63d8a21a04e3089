using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using PovertyNews.IntegrationTests.Infrastructure;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>Stylesheets go out under fingerprinted URLs, cached for a year, precompressed by the build.</summary>
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
        // As a published app serves it: without the build's runtime reloading of changed files.
        using var published = factory.WithWebHostBuilder(b => b.UseSetting("ReloadStaticAssetsAtRuntime", "false"));
        var client = published.CreateClient();

        var url = await StylesheetUrlAsync(client);
        using var response = await client.GetAsync(url);

        Assert.Matches(@"^/css/site\.[a-z0-9]{6,}\.css$", url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
        Assert.Contains(".site-header", await response.Content.ReadAsStringAsync());
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
