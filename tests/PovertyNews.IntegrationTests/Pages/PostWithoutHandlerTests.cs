using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;

namespace PovertyNews.IntegrationTests.Pages;

/// <summary>
/// A POST, with a valid antiforgery token, to a page that has no POST handler answers 405 with a Chinese page, never
/// 500 and never a stack trace; readers' pages and staff pages alike.
/// </summary>
public sealed class PostWithoutHandlerTests(SharedNewsApp app) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private NewsFactory Factory => app.Factory;

    [Theory]
    [InlineData("/")]
    [InlineData("/channels/xiezuo")]
    [InlineData("/channels/xiezuo?page=2")]
    [InlineData("/articles/1")]
    [InlineData("/articles/999999")]
    [InlineData("/tags/%E6%B9%98%E8%A5%BF")]
    [InlineData("/videos")]
    [InlineData("/search?q=%E6%89%B6%E8%B4%AB")]
    [InlineData("/archive/2020")]
    public async Task ReaderPage_PostWithToken_Answers405InChinese(string url)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = await TokenAsync(client, "/admin/signin");

        using var response = await client.PostAsync(url, new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("x", "1")]));

        await AssertRefusedAsync(response, url);
    }

    [Theory]
    [InlineData("/admin/media")]
    [InlineData("/admin/media/picker")]
    [InlineData("/admin/search")]
    [InlineData("/admin/search?q=%E6%89%B6%E8%B4%AB")]
    public async Task StaffPage_PostWithToken_Answers405InChinese(string url)
    {
        await Factory.CreateUserAsync("editor@example.com", NewsRoles.Editor);
        var client = await Factory.SignInAsync("editor@example.com");
        var token = await TokenAsync(client, "/admin/articles");

        using var response = await client.PostAsync(url, new FormUrlEncodedContent([new("__RequestVerificationToken", token), new("x", "1")]));

        await AssertRefusedAsync(response, url);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string url)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{url} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain(" at PovertyNews", body);
        Assert.Contains("不支持", body);
    }

    private static async Task<string> TokenAsync(HttpClient client, string pageUrl)
    {
        var page = await client.GetPageAsync(pageUrl);
        return page.QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value;
    }
}
