using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PovertyNews.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PovertyNews.BrowserTests;

/// <summary>
/// The visual body editor (TipTap, bundled from npm): a reporter writes, formats, illustrates and saves without seeing
/// Markdown, and what is saved is Markdown that renders as the preview showed.
/// </summary>
public sealed class VisualEditorTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static ILocator Toolbar(IPage page) => page.Locator(".editor-toolbar");

    private static ILocator Button(IPage page, string name) =>
        Toolbar(page).GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static async Task StartArticleAsync(IPage page, string title)
    {
        await page.GotoAsync("/admin/articles/new");
        await page.GetByLabel("标题", new() { Exact = true }).FillAsync(title);
        await page.GetByLabel("栏目").SelectOptionAsync(new SelectOptionValue { Label = "东西部协作" });
    }

    /// <summary>
    /// Types as a Chinese input method does in Chromium: the pinyin is composed (compositionstart/update), then the
    /// chosen characters are committed (compositionend) — through the DevTools protocol's IME calls, as a real IME
    /// reaches the page.
    /// </summary>
    private static async Task ComposeAsync(IPage page, string pinyin, string characters)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        for (var length = 1; length <= pinyin.Length; length++)
        {
            await cdp.SendAsync("Input.imeSetComposition", new Dictionary<string, object>
            {
                ["text"] = pinyin[..length],
                ["selectionStart"] = length,
                ["selectionEnd"] = length,
            });
        }
        await cdp.SendAsync("Input.insertText", new Dictionary<string, object> { ["text"] = characters });
        await cdp.DetachAsync();
    }

    [Fact]
    public async Task ImeTextBoldHeadingTableAndLink_SaveAsMarkdown_ThatRendersAsThePreview()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await StartArticleAsync(page, "可视编辑的稿件");
        var editor = await ArticleEditor.VisualAsync(page);
        var posted = ArticleEditor.PostedBody(page);
        await Expect(posted).ToBeHiddenAsync(); // no Markdown in sight
        await Expect(page.Locator("#body-markdown-hint")).ToBeHiddenAsync();

        await editor.ClickAsync();
        await ComposeAsync(page, "jinanxiangxi", "济南湘西");
        await page.Keyboard.InsertTextAsync("两地开展扶贫协作。");
        await Expect(editor.Locator("p").First).ToHaveTextAsync("济南湘西两地开展扶贫协作。");

        await page.Keyboard.PressAsync("Enter");
        await Button(page, "标题").ClickAsync();
        await ComposeAsync(page, "chanye", "产业项目");
        await Expect(Button(page, "标题")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Control+b");
        await page.Keyboard.InsertTextAsync("重点");
        await page.Keyboard.PressAsync("Control+b");
        await page.Keyboard.InsertTextAsync("是茶叶和旅游。");

        // A table: two columns with a heading row; a row added, a column added and taken away again.
        await page.Keyboard.PressAsync("Enter");
        await Button(page, "表格").ClickAsync();
        await Expect(page.Locator("[data-table-tools]")).ToBeVisibleAsync();
        var cells = new[] { "项目", "金额", "茶园", "300万元", "民宿", "120万元" };
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                await page.Keyboard.PressAsync("Tab");
            }
            await page.Keyboard.InsertTextAsync(cells[i]);
        }
        await Button(page, "加行").ClickAsync();
        await Expect(editor.Locator("tr")).ToHaveCountAsync(4);
        await editor.Locator("tr").Nth(3).Locator("td").First.ClickAsync();
        await page.Keyboard.InsertTextAsync("劳务");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.InsertTextAsync("80万元");
        await Button(page, "加列").ClickAsync();
        await Expect(editor.Locator("tr").First.Locator("th")).ToHaveCountAsync(3);
        await page.Keyboard.PressAsync("Tab"); // into the new, empty column
        await Button(page, "删列").ClickAsync();
        await Expect(editor.Locator("tr").First.Locator("th")).ToHaveCountAsync(2);

        // A link on words already written, through the dialog.
        await editor.Locator("p").Last.ClickAsync();
        await page.Keyboard.InsertTextAsync("详见公告");
        await page.Keyboard.PressAsync("Shift+ArrowLeft");
        await page.Keyboard.PressAsync("Shift+ArrowLeft");
        await Button(page, "链接").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "插入链接" });
        await Expect(dialog.GetByLabel("链接文字")).ToHaveValueAsync("公告");
        await dialog.GetByLabel("链接地址").FillAsync("javascript:alert(1)");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "插入" }).ClickAsync();
        await Expect(dialog.Locator("#link-dialog-error")).ToContainTextAsync("https://");
        await dialog.GetByLabel("链接地址").FillAsync("https://example.com/gonggao");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "插入" }).ClickAsync();
        await Expect(editor.Locator("a[href='https://example.com/gonggao']")).ToHaveTextAsync("公告");

        const string expected = """
            济南湘西两地开展扶贫协作。

            ## 产业项目

            **重点**是茶叶和旅游。

            | 项目 | 金额 |
            | --- | --- |
            | 茶园 | 300万元 |
            | 民宿 | 120万元 |
            | 劳务 | 80万元 |

            详见[公告](https://example.com/gonggao)
            """;
        await Expect(posted).ToHaveValueAsync(Normalized(expected));
        await Expect(page.Locator("#editor-count")).ToContainTextAsync("正文");
        await Expect(page.Locator("#editor-preview table td", new() { HasText = "80万元" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "editor-visual-1280", firstScreen: true);

        // Ctrl+S from inside the visual editor saves; the saved text is the same Markdown.
        await editor.PressAsync("Control+s");
        await page.WaitForURLAsync(new Regex(@"/admin/articles/\d+/edit$"));
        await Expect(ArticleEditor.PostedBody(page)).ToHaveValueAsync(Normalized(expected));
        editor = await ArticleEditor.VisualAsync(page);
        await Expect(editor.Locator("h2")).ToHaveTextAsync("产业项目");
        await Expect(editor.Locator("strong")).ToHaveTextAsync("重点");

        // The reader's page renders the body exactly as the editor's preview did.
        var preview = page.Locator("#editor-preview");
        await Expect(preview.Locator("table")).ToBeVisibleAsync();
        var previewHtml = await preview.InnerHTMLAsync();
        var id = Regex.Match(page.Url, @"/articles/(\d+)/edit").Groups[1].Value;
        await page.GotoAsync($"/admin/articles/{id}/reader-preview");
        var readerHtml = await page.Locator("article .article__body").InnerHTMLAsync();
        Assert.Equal(previewHtml.Trim(), readerHtml.Trim());
        await page.Context.CloseAsync();
    }

    // The expected text in the form the visual editor writes tables: each column padded to its widest cell.
    private static Regex Normalized(string markdown)
    {
        var pattern = Regex.Escape(markdown.ReplaceLineEndings("\n"));
        // Table cells may be padded with spaces and their rule lines widened to the column.
        pattern = pattern.Replace(@"\ \|", @"\ *\|").Replace(@"\|\ ---", @"\|\ -{3,}");
        return new Regex("^" + pattern + "$");
    }

    // As Word (and WPS) put a document on the clipboard: Mso classes, inline styles, a list as paragraphs with their
    // bullets in mso-list:Ignore spans, <o:p>, a table.
    private const string WordHtml = """
        <html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{font-family:宋体}</style></head><body>
        <h2 style="mso-outline-level:2"><span style="font-family:黑体">济南湘西协作进展</span></h2>
        <p class="MsoNormal" style="text-indent:2em"><span style="font-size:14pt;font-family:仿宋">　　两地签约<b>两家企业</b>，项目见<a href="https://example.com/xiangxi">公告</a>。<o:p></o:p></span></p>
        <p class="MsoListParagraphCxSpFirst" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">·<span>&nbsp;&nbsp;</span></span>乡村旅游</p>
        <p class="MsoListParagraphCxSpLast" style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">·<span>&nbsp;&nbsp;</span></span>劳务协作</p>
        <p class=MsoNormal style='text-indent:28.0pt;mso-outline-level:2'><b style='mso-bidi-font-weight:normal'><span style='font-size:16.0pt;font-family:黑体'>合作成果<o:p></o:p></span></b></p>
        <p class=MsoNormal><span style='font-family:仿宋_GB2312'>依据《<span style='mso-bidi-font-weight:bold'>东西部扶贫协作考核办法</span>》开展。<o:p></o:p></span></p>
        <table class="MsoTableGrid" border="1"><tr><td><p class="MsoNormal">项目</p></td><td><p class="MsoNormal">金额</p></td></tr>
        <tr><td><p class="MsoNormal">产业园</p></td><td><p class="MsoNormal">1000万元</p></td></tr></table>
        </body></html>
        """;

    [Fact]
    public async Task PastedWordAndWeChatHtml_InTheVisualEditor_SaveAsCleanMarkdown()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await StartArticleAsync(page, "粘贴到可视编辑器的稿件");
        var editor = await ArticleEditor.VisualAsync(page);

        await Clipboard.PasteHtmlAsync(editor, WordHtml);
        await Expect(editor.Locator("h2")).ToHaveTextAsync("济南湘西协作进展");
        await Expect(editor.Locator("li")).ToHaveCountAsync(2);
        await Expect(editor.Locator("span, font, p[style], h2[style], li[style], td[style]")).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Control+End");
        await Clipboard.PasteHtmlAsync(editor, Clipboard.WeChatHtml);
        await Expect(editor.Locator("strong", new() { HasText = "乡村游" })).ToBeVisibleAsync();

        await editor.PressAsync("Control+s");
        await page.WaitForURLAsync(new Regex(@"/admin/articles/\d+/edit$"));
        await Expect(ArticleEditor.PostedBody(page)).ToHaveValueAsync(Normalized("""
            ## 济南湘西协作进展

            两地签约**两家企业**，项目见[公告](https://example.com/xiangxi)。

            - 乡村旅游
            - 劳务协作

            ### 合作成果

            依据《东西部扶贫协作考核办法》开展。

            | 项目 | 金额 |
            | --- | --- |
            | 产业园 | 1000万元 |

            十八洞村的**乡村游**越来越热。

            （此处原有图片“村口”，请从媒体库插入）
            """));
        await page.Context.CloseAsync();
    }

    // A picture made in the page (a canvas as PNG), handed to the editor as a dropped or a pasted file.
    private const string HandImageOver = """
        async (target, { kind, colour }) => {
          const canvas = document.createElement('canvas');
          canvas.width = 320;
          canvas.height = 200;
          const context = canvas.getContext('2d');
          context.fillStyle = colour;
          context.fillRect(0, 0, 320, 200);
          context.fillStyle = '#ffffff';
          context.fillRect(40, 40, 120, 60);
          const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
          const data = new DataTransfer();
          data.items.add(new File([blob], kind === 'drop' ? 'tea-garden.png' : 'image.png', { type: 'image/png' }));
          target.focus();
          if (kind === 'drop') {
            const box = target.getBoundingClientRect();
            target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, clientX: box.left + 20, clientY: box.top + 20, bubbles: true, cancelable: true }));
          } else {
            target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
          }
        }
        """;

    [Fact]
    public async Task DroppedAndPastedImages_GoToTheMediaLibrary_AndIntoTheBodyWithTheirDescription()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await StartArticleAsync(page, "配图的稿件");
        var editor = await ArticleEditor.VisualAsync(page);
        await editor.ClickAsync();
        await page.Keyboard.InsertTextAsync("茶园一角。");

        await editor.EvaluateAsync(HandImageOver, new { kind = "drop", colour = "#2e7d32" });
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "上传图片到媒体库" });
        await Expect(dialog.GetByLabel("图片说明")).ToHaveValueAsync("tea-garden"); // the file's name, to be improved
        await dialog.GetByLabel("图片说明").FillAsync("");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "上传并插入" }).ClickAsync();
        await Expect(dialog.Locator("#image-dialog-error")).ToHaveTextAsync("请填写图片说明。");
        await dialog.GetByLabel("图片说明").FillAsync("湘西的茶园");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "上传并插入" }).ClickAsync();
        await Expect(editor.Locator("img[alt='湘西的茶园']")).ToHaveAttributeAsync("src", new Regex("^/media/"));
        await Expect(page.Locator("#editor-status")).ToHaveTextAsync("图片已上传到媒体库并插入正文。");

        // A pasted screenshot has no useful name: the description starts empty.
        await page.Keyboard.PressAsync("Control+End");
        await editor.EvaluateAsync(HandImageOver, new { kind = "paste", colour = "#1565c0" });
        await Expect(dialog.GetByLabel("图片说明")).ToHaveValueAsync("");
        await dialog.GetByLabel("图片说明").FillAsync("村里的新路");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "上传并插入" }).ClickAsync();
        await Expect(editor.Locator("img[alt='村里的新路']")).ToHaveAttributeAsync("src", new Regex("^/media/"));

        // Typing goes on after the image, not over it.
        await page.Keyboard.InsertTextAsync("新路通到了村口。");
        await Expect(editor.Locator("img[alt='村里的新路']")).ToHaveCountAsync(1);
        await Expect(editor.Locator("p", new() { HasText = "新路通到了村口。" })).ToHaveCountAsync(1);

        // Copied and pasted within the editor (ProseMirror's own clipboard), an image stays an image.
        await page.Keyboard.PressAsync("Control+End");
        var src = await editor.Locator("img[alt='湘西的茶园']").GetAttributeAsync("src");
        await Clipboard.PasteHtmlAsync(editor, $"<p data-pm-slice=\"1 1 []\"><img src=\"{src}\" alt=\"湘西的茶园\"></p>");
        await Expect(editor.Locator("img[alt='湘西的茶园']")).ToHaveCountAsync(2);

        var markdown = await ArticleEditor.PostedBody(page).InputValueAsync();
        Assert.Matches(@"!\[湘西的茶园\]\(/media/[^)\s]+\)", markdown);
        Assert.Matches(@"!\[村里的新路\]\(/media/[^)\s]+\)", markdown);
        Assert.Contains("茶园一角。", markdown, StringComparison.Ordinal);

        // Both are in the media library with their descriptions.
        await page.GotoAsync("/admin/media");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "湘西的茶园" })).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "村里的新路" })).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task BodyWithFormatsTheVisualEditorCannotShow_OpensAsMarkdown_Untouched()
    {
        const string body = "提示如下：\n\n::: 注意\n本文数据截至 2020 年底。\n:::\n\n正文第二段[^1]。\n\n| 项目 | 金额 |\n| :--- | ---: |\n| 茶园 | 300万元 |\n\n[^1]: 数据来源：湘西州统计局。";
        var page = await portal.SignInAsync(PortalFixture.Reporter);
        await StartArticleAsync(page, "带脚注的稿件");
        await (await ArticleEditor.MarkdownAsync(page)).FillAsync(body);
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/admin/articles/\d+/edit$"));

        // Next time, the editor would open visually, but this body would lose its container and footnote there.
        await page.EvaluateAsync("() => localStorage.removeItem('povertynews:editor:mode')");
        await page.ReloadAsync();
        await Expect(page.Locator("#editor-mode-notice")).ToContainTextAsync("自定义容器");
        await Expect(page.Locator("#editor-mode-notice")).ToContainTextAsync("脚注");
        await Expect(page.Locator("#editor-mode-notice")).ToContainTextAsync("表格列对齐");
        await Expect(page.Locator(".visual-editor")).ToHaveCountAsync(0);
        await Expect(ArticleEditor.PostedBody(page)).ToBeVisibleAsync();
        await Expect(page.Locator("#body-markdown-hint")).ToBeVisibleAsync();
        await Expect(ArticleEditor.PostedBody(page)).ToHaveValueAsync(body);

        // Asking for the visual editor again explains why not, and leaves the text as it is.
        await page.Locator(".editor-toolbar [data-mode]").ClickAsync();
        await Expect(page.Locator(".visual-editor")).ToHaveCountAsync(0);
        await Expect(ArticleEditor.PostedBody(page)).ToHaveValueAsync(body);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Phone_ToolbarAndBodyFitTheScreen()
    {
        var page = await portal.SignInAsync(PortalFixture.Reporter, Screen.Phone);
        await StartArticleAsync(page, "手机上写的稿件");
        var editor = await ArticleEditor.VisualAsync(page);
        await editor.ClickAsync();
        await ComposeAsync(page, "shouji", "手机上也能写稿。");
        await Button(page, "表格").ClickAsync();
        await page.Keyboard.InsertTextAsync("项目");

        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 360, $"the page is {width} px wide on a 360 px screen");
        var box = await editor.BoundingBoxAsync();
        Assert.True(box!.Y < 640, $"the body starts {box.Y} px down");
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await Screenshots.SaveAsync(page, "editor-visual-360", firstScreen: true);
        await page.Context.CloseAsync();
    }
}
