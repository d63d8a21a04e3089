using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// The comment form under a cached report: js/comments.js fetches the reader's own form stamp when they start
/// writing, and after the few seconds a person takes the comment is sent and held for review (先审后发).
/// </summary>
public sealed class CommentBrowserTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task ReaderWritesAComment_TheScriptFetchesAStamp_AndTheCommentIsHeldForReview()
    {
        var page = await portal.NewPageAsync(Screen.Phone);
        await page.GotoAsync(await portal.ArticleUrlAsync("jinan-xiangxi-delegation"));
        var stamp = page.Locator("#comment-form input[name='Input.Stamp']");
        await Expect(stamp).ToHaveValueAsync("");

        await page.GetByLabel("留言内容").FillAsync("希望继续报道湘西的协作项目。");
        await Expect(stamp).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(".{20,}"));
        // A person takes a few seconds; the server refuses a form sent sooner after its stamp (the app's clock is the
        // fixture's, moved by hand).
        portal.App.Clock.Advance(TimeSpan.FromSeconds(5));
        await page.GetByRole(AriaRole.Button, new() { Name = "提交留言" }).ClickAsync();

        await Expect(page.Locator(".comments__note")).ToHaveTextAsync("感谢留言！您的留言已提交，将在审核后显示。");
        Assert.Contains("comment=pending", page.Url);
    }
}
