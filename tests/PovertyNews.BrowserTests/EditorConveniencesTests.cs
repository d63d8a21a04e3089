using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>What a reporter working all day in the editor expects: Ctrl+S, a word count, and no stale error messages.</summary>
public sealed class EditorConveniencesTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task StaleMessage_ClearsWhenTheFieldIsFixed_CountFollowsTheText_CtrlSSaves()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await page.GotoAsync("/admin/articles/new");
        var title = page.GetByLabel("标题", new() { Exact = true });
        var body = await ArticleEditor.MarkdownAsync(page);
        var titleMessage = page.Locator("[data-valmsg-for='Input.Title']");

        // Saved without a title: the server says so under the field.
        await page.GetByLabel("栏目").SelectOptionAsync(new SelectOptionValue { Label = "东西部协作" });
        await body.FillAsync("正文先写一句。");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await Expect(titleMessage).ToHaveTextAsync("请填写标题。");
        await Expect(page.Locator(".form-errors li")).ToHaveTextAsync("请填写标题。");
        await ArticleEditor.ReadyAsync(page);

        await title.FillAsync("快捷键保存的稿件");
        await Expect(titleMessage).ToHaveTextAsync("");
        await Expect(page.Locator(".form-errors")).ToHaveCountAsync(0);

        await body.FillAsync("## 小标题\n\n**扶贫**协作 2020，[链接](https://example.com/很长的地址)");
        await Expect(page.Locator("#editor-count")).ToHaveTextAsync("正文 14 字（其中汉字 9 个）");

        await Screenshots.SaveAsync(page, "editor-1280", firstScreen: true);
        await body.PressAsync("Control+s");
        await page.WaitForURLAsync(new Regex(@"/admin/articles/\d+/edit$"));
        await Expect(title).ToHaveValueAsync("快捷键保存的稿件");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(Screen.Desktop)]
    [InlineData(Screen.Phone)]
    public async Task TitleAndBody_ComeFirst_TheOtherFieldsBesideOrBelow(Screen screen)
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter, screen);
        await page.GotoAsync("/admin/articles/new");

        var title = await page.GetByLabel("标题", new() { Exact = true }).BoundingBoxAsync();
        var body = await (await ArticleEditor.VisualAsync(page)).BoundingBoxAsync();
        var channel = await page.GetByLabel("栏目").BoundingBoxAsync();

        // The body starts within the first screen, right under the title.
        Assert.True(body!.Y < 600, $"the body starts {body.Y} px down");
        Assert.True(body.Y > title!.Y);
        if (screen == Screen.Desktop)
        {
            Assert.True(channel!.X > body.X + body.Width, "the channel field is in the panel beside the body");
        }
        else
        {
            Assert.True(channel!.Y > body.Y + body.Height, "on a phone the panel follows the body");
        }
        await Screenshots.SaveAsync(page, screen.Name("editor-layout"), firstScreen: true);
        await page.Context.CloseAsync();
    }

    // As Word (and WPS) put a document on the clipboard: Mso classes, inline styles, a list as paragraphs with their
    // bullets in mso-list:Ignore spans, <o:p>, a table without a heading row, full-width indents.
    private const string WordHtml = """
        <html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{font-family:宋体}</style></head><body>
        <h1 style="mso-outline-level:1"><span style="font-family:黑体">济南湘西协作进展</span></h1>
        <p class="MsoNormal" style="text-indent:2em"><span style="font-size:14pt;font-family:仿宋">　　两地签约<b>两家企业</b>，项目见<a href="https://example.com/xiangxi">公告</a>。<o:p></o:p></span></p>
        <p class="MsoListParagraphCxSpFirst" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">·<span>&nbsp;&nbsp;</span></span>乡村旅游</p>
        <p class="MsoListParagraphCxSpLast" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">·<span>&nbsp;&nbsp;</span></span>劳务协作</p>
        <table class="MsoTableGrid" border="1"><tr><td><p class="MsoNormal">项目</p></td><td><p class="MsoNormal">金额</p></td></tr>
        <tr><td><p class="MsoNormal">产业园</p></td><td><p class="MsoNormal">1000万元</p></td></tr></table>
        </body></html>
        """;

    [Fact]
    public async Task PastedWordAndWeChatHtml_BecomeCleanMarkdown_AndSaveAsSuch()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await page.GotoAsync("/admin/articles/new");
        var body = await ArticleEditor.MarkdownAsync(page);

        await Clipboard.PasteHtmlAsync(ArticleEditor.PostedBody(page), WordHtml);
        await Expect(body).ToHaveValueAsync("""
            # 济南湘西协作进展

            两地签约**两家企业**，项目见[公告](https://example.com/xiangxi)。

            - 乡村旅游
            - 劳务协作

            | 项目 | 金额 |
            | --- | --- |
            | 产业园 | 1000万元 |
            """);

        await body.FillAsync("");
        await Clipboard.PasteHtmlAsync(ArticleEditor.PostedBody(page), Clipboard.WeChatHtml);
        await Expect(body).ToHaveValueAsync("十八洞村的**乡村游**越来越热。\n\n（此处原有图片“村口”，请从媒体库插入）");

        await page.GetByLabel("标题", new() { Exact = true }).FillAsync("粘贴的稿件");
        await page.GetByLabel("栏目").SelectOptionAsync(new SelectOptionValue { Label = "东西部协作" });
        await body.PressAsync("Control+s");
        await page.WaitForURLAsync(new Regex(@"/admin/articles/\d+/edit$"));
        await Expect(body).ToHaveValueAsync(new Regex(Regex.Escape("十八洞村的**乡村游**越来越热。")));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task LinkDialog_RefusesAnAddressThatIsNotAWebPage_AndInsertsAGoodOne()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await page.GotoAsync("/admin/articles/new");
        var body = await ArticleEditor.MarkdownAsync(page);
        await body.FillAsync("详见公告。");
        await body.EvaluateAsync("b => { b.focus(); b.setSelectionRange(2, 4); }");

        await page.Locator(".editor-toolbar").GetByRole(AriaRole.Button, new() { Name = "链接" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "插入链接" });
        await Expect(dialog.GetByLabel("链接文字")).ToHaveValueAsync("公告");
        await dialog.GetByLabel("链接地址").FillAsync("javascript:alert(1)");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "插入" }).ClickAsync();

        await Expect(dialog.Locator("#link-dialog-error")).ToContainTextAsync("https://");
        await Expect(body).ToHaveValueAsync("详见公告。");
        await Screenshots.SaveAsync(page, "editor-link-dialog-1280", firstScreen: true);

        await dialog.GetByLabel("链接地址").FillAsync("https://example.com/gonggao");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "插入" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(body).ToHaveValueAsync("详见[公告](https://example.com/gonggao)。");
        await page.Context.CloseAsync();
    }
}
