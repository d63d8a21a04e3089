using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using PovertyNews.IntegrationTests.Infrastructure;
using PovertyNews.Web.Domain;
using PovertyNews.Web.Pages.Admin.Settings;

namespace PovertyNews.IntegrationTests.Admin;

public sealed class SettingsTests(SharedNewsApp shared) : IClassFixture<SharedNewsApp>, IAsyncLifetime
{
    private const string Admin = "admin@example.com";
    private const string Form = "form.settings-form";

    /// <summary>205 characters, more than the 200 a tagline may have.</summary>
    private const string TooLongTagline = "口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号口号"
        + "！";
    private readonly NewsFactory _factory = shared.Factory;

    public Task InitializeAsync() => shared.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("ICP备12345678号")]
    [InlineData("京ICP证12345678号")]
    [InlineData("京ICP备123号-1")]
    [InlineData("京ICP备12345678号-1<script>")]
    public async Task BadIcpNumber_IsRefusedWithTheReasonAndNothingChanges(string icp)
    {
        var admin = await SignedInAdminAsync();
        var before = await SettingsAsync();

        using var response = await admin.SubmitFormAsync("/admin/settings", Form, new() { ["Input.IcpNumber"] = icp, ["Input.Tagline"] = "不应保存" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains("京ICP备12345678号-1", page.QuerySelector("[data-valmsg-for='Input.IcpNumber']").Text());
        Assert.Equal(icp, page.QuerySelector("input[name='Input.IcpNumber']")!.GetAttribute("value"));
        var after = await SettingsAsync();
        Assert.Equal(before.IcpNumber, after.IcpNumber);
        Assert.Equal(before.Tagline, after.Tagline);
        Assert.Equal(before.Version, after.Version);
        Assert.False(await _factory.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == AuditActions.SettingsChanged)));
    }

    [Fact]
    public async Task BadPublicSecurityNumber_IsRefused()
    {
        var admin = await SignedInAdminAsync();

        using var response = await admin.SubmitFormAsync("/admin/settings", Form, new() { ["Input.PublicSecurityFilingNumber"] = "京公网安备123号" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("14 位数字", (await ParseAsync(response)).QuerySelector("[data-valmsg-for='Input.PublicSecurityFilingNumber']").Text());
        Assert.Equal("京公网安备00000000000000号", (await SettingsAsync()).PublicSecurityFilingNumber);
    }

    [Theory]
    [InlineData("Input.SiteName", "")]
    [InlineData("Input.Tagline", TooLongTagline)]
    public async Task OutOfRangeValues_AreRefusedNextToTheField(string field, string value)
    {
        var admin = await SignedInAdminAsync();
        var before = await SettingsAsync();

        using var response = await admin.SubmitFormAsync("/admin/settings", Form, new() { [field] = value });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = (await ParseAsync(response)).QuerySelector($"[data-valmsg-for='{field}']").Text();
        Assert.NotEmpty(message);
        Assert.DoesNotContain("The ", message);
        Assert.Equal(before.Version, (await SettingsAsync()).Version);
    }

    [Fact]
    public async Task ValidChange_ShowsInTheFooterAndOnArticlePagesAtTheNextRequest()
    {
        var admin = await SignedInAdminAsync();
        var articleId = await _factory.ArticleIdAsync("jinan-xiangxi-delegation");
        var reader = _factory.CreateReader();
        await reader.GetPageAsync("/");
        await reader.GetPageAsync($"/articles/{articleId}/jinan-xiangxi-delegation");

        using var response = await admin.SubmitFormAsync("/admin/settings", Form, new()
        {
            ["Input.IcpNumber"] = " 湘ICP备2020062301号-12 ",
            ["Input.CopyrightNotice"] = "测试声明：转载请注明来源。",
            ["Input.FooterLines"] = "第一行\r\n\r\n<script>alert(1)</script>\r\n",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var front = await reader.GetPageAsync("/");
        Assert.Contains("湘ICP备2020062301号-12", front.QuerySelector(".site-footer__filings").Text());
        Assert.Contains(front.QuerySelectorAll(".site-footer p"), p => p.TextContent == "<script>alert(1)</script>");
        Assert.Null(front.QuerySelector(".site-footer script"));
        var article = await reader.GetPageAsync($"/articles/{articleId}/jinan-xiangxi-delegation");
        Assert.Contains("测试声明：转载请注明来源。", article.QuerySelector(".article__copyright").Text());
        var saved = await SettingsAsync();
        Assert.Equal("第一行\n<script>alert(1)</script>", saved.FooterLines);
        var entry = await _factory.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.Action == AuditActions.SettingsChanged));
        Assert.Equal("修改：版权及免责声明、ICP 备案号、页脚文字", entry.Details);
        Assert.Contains("网站设置已保存", (await admin.GetPageAsync("/admin/settings")).QuerySelector(".flash").Text());
    }

    /// <summary>The sidebars are the editors' (版面编排, see CurationTests): one place edits them, not two.</summary>
    [Fact]
    public async Task SidebarSettings_AreLeftToTheCurationPage()
    {
        var admin = await SignedInAdminAsync();

        var page = await admin.GetPageAsync("/admin/settings");

        Assert.Empty(page.QuerySelectorAll("form.settings-form select"));
        Assert.NotNull(page.QuerySelector("form.settings-form a[href='/admin/curation/sidebars']"));
    }

    [Fact]
    public async Task StaleForm_ShowsTheConflictAndKeepsTheInput()
    {
        var admin = await SignedInAdminAsync();
        var stale = (await admin.GetPageAsync("/admin/settings")).QuerySelector("input[name='Input.Version']")!.GetAttribute("value")!;
        (await admin.SubmitFormAsync("/admin/settings", Form, new() { ["Input.Tagline"] = "甲的口号" })).Dispose();

        using var response = await admin.SubmitFormAsync("/admin/settings", Form,
            new() { ["Input.Tagline"] = "乙的口号", ["Input.Version"] = stale });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains("设置已被他人修改", page.QuerySelector(".form-errors").Text());
        Assert.Equal("乙的口号", page.QuerySelector("input[name='Input.Tagline']")!.GetAttribute("value"));
        Assert.Contains("甲的口号", page.QuerySelector(".settings-stored").Text());
        var saved = await SettingsAsync();
        Assert.Equal("甲的口号", saved.Tagline);
        Assert.Equal(saved.Version.ToString(), page.QuerySelector("input[name='Input.Version']")!.GetAttribute("value"));
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("")]
    public async Task TamperedVersion_CountsAsAConflict(string version)
    {
        var admin = await SignedInAdminAsync();

        using var response = await admin.SubmitFormAsync("/admin/settings", Form, new() { ["Input.Tagline"] = "新口号", ["Input.Version"] = version });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("设置已被他人修改", (await ParseAsync(response)).QuerySelector(".form-errors").Text());
        Assert.NotEqual("新口号", (await SettingsAsync()).Tagline);
    }

    [Fact]
    public async Task WithoutASettingsRow_SavingCreatesIt()
    {
        var admin = await SignedInAdminAsync();
        await _factory.WithDbAsync(db => db.SiteSettings.ExecuteDeleteAsync());

        using var response = await admin.SubmitFormAsync("/admin/settings", Form, new() { ["Input.SiteName"] = "新的网站" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("新的网站", (await SettingsAsync()).SiteName);
        Assert.Contains("新的网站", (await _factory.CreateReader().GetPageAsync("/")).QuerySelector("title").Text());
    }

    [Fact]
    public async Task UnchangedForm_SavesNothing()
    {
        var admin = await SignedInAdminAsync();
        var before = await SettingsAsync();

        using var response = await admin.SubmitFormAsync("/admin/settings", Form, new());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(before.Version, (await SettingsAsync()).Version);
        Assert.Contains("没有变化", (await admin.GetPageAsync("/admin/settings")).QuerySelector(".flash").Text());
    }

    private async Task<HttpClient> SignedInAdminAsync()
    {
        await _factory.CreateUserAsync(Admin, NewsRoles.Administrator);
        return await _factory.SignInAsync(Admin);
    }

    private Task<SiteSettings> SettingsAsync() => _factory.WithDbAsync(db => db.SiteSettings.AsNoTracking().SingleAsync());

    private static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
}
